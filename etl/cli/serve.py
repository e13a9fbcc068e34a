"""python -m etl serve: the dashboard on one port, N workers behind nginx (etl/serve)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from etl.cli.options import Command, db_option, quiet_option
from etl.cli.output import say, warn


@click.command(cls=Command, help="启动看板：N 个 Streamlit 进程，前面一个 nginx，只用一个端口。")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Streamlit 进程数（建议不超过 CPU 核数）",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="用户访问的端口"
)
@click.option(
    "--address", default="0.0.0.0", show_default=True, help="监听地址（只供本机访问用 127.0.0.1）"
)
@click.option("--no-proxy", is_flag=True, help="不用 nginx，只启动 1 个进程直接监听该端口")
@click.option("--no-warm", is_flag=True, help="启动时不预先打开各页面（预热各角色数据库与缓存）")
@db_option
@quiet_option
def serve(
    workers: int,
    port: int,
    address: str,
    no_proxy: bool,
    no_warm: bool,
    db: Path | None,
    quiet: bool,
) -> None:
    """Start, say where, wait for Ctrl-C or SIGTERM, stop everything."""
    from etl.serve.launch import ServeError, start

    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    try:
        served = start(
            db=db, workers=workers, port=port, address=address, proxy=not no_proxy, warm=not no_warm
        )
    except ServeError as exc:
        warn(f"启动失败：{exc}")
        raise SystemExit(2) from None
    try:
        if served.warm_errors:
            warn("预热时页面报错：" + "；".join(served.warm_errors))
        proxy = "直接监听" if no_proxy else f"{workers} 个进程，nginx 代理"
        say(f"看板已启动（{proxy}）：{served.url()}　按 Ctrl-C 停止")
        while not stopping.wait(0.5):
            if served.failed():
                warn(f"有进程意外退出，正在停止：{served.failed()}")
                raise SystemExit(1)
    finally:
        served.stop()
        say("看板已停止。")
