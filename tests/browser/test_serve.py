"""`python -m etl serve --workers 2`: two Streamlit workers behind nginx on one port. Started
as a user starts it, a page opened through the proxy in Chromium (its websocket upgraded by
nginx, the affinity cookie set), then stopped with SIGTERM: it exits 0 and no process of it is
left, nginx's included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from served_app import ROOT, free_port, launch_chromium, open_page

from etl.serve.launch import process_tree
from etl.serve.proxy import ROUTE_COOKIE

READY = "看板已启动"


def _wait_for_line(process: subprocess.Popen, log: Path, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = log.read_text(encoding="utf-8", errors="replace")
        if text in out:
            return out
        if process.poll() is not None:
            pytest.fail(f"etl serve exited with {process.returncode}:\n{out}")
        time.sleep(0.2)
    pytest.fail(f"no «{text}» within {timeout} s:\n{log.read_text(errors='replace')}")


def _assert_first_visit_is_light(seen: list) -> None:
    """Streamlit's scripts come from nginx compressed and cacheable for a year, and Plotly's
    (4.7 MB, else fetched only when the first chart arrives) is asked for before the session's
    websocket opens."""
    order = [
        "websocket" if kind == "websocket" else "plotly" if "/PlotlyChart." in r.url else None
        for kind, r in seen
    ]
    assert "plotly" in order and "websocket" in order
    assert order.index("plotly") < order.index("websocket"), "Plotly's script was not preloaded"
    plotly = next(r for kind, r in seen if kind == "request" and "/PlotlyChart." in r.url)
    headers = plotly.response().all_headers()
    assert headers.get("content-encoding") == "gzip"
    assert "immutable" in headers.get("cache-control", "")
    assert headers.get("content-type") == "application/javascript"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_serve_two_workers_through_nginx(playwright, demo_db: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "CONVERGENCE_USERS": str(tmp_path / "users.toml"),  # demo mode
        "CONVERGENCE_AUDIT": str(tmp_path / "audit.duckdb"),
    }
    command = [sys.executable, "-m", "etl", "serve", "--workers", "2", "--port", str(port)]
    command += ["--address", "127.0.0.1", "--db", str(demo_db)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        said = _wait_for_line(server, log, READY, 180)
        assert f"http://127.0.0.1:{port}/" in said
        assert "预热时页面报错" not in said
        tree = process_tree([server.pid])
        names = {Path(f"/proc/{p}/comm").read_text().strip() for p in tree if _alive(p)}
        assert "nginx" in names
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            seen: list[tuple[str, object]] = []  # in the order the browser did them
            page.on("request", lambda r: seen.append(("request", r)))
            page.on("websocket", lambda ws: seen.append(("websocket", ws)))
            open_page(page, f"http://127.0.0.1:{port}/", "总览")
            _assert_first_visit_is_light(seen)
            open_page(page, f"http://127.0.0.1:{port}/compare?province=浙江", "地区对比")
            cookies = {c["name"] for c in page.context.cookies()}
            assert ROUTE_COOKIE in cookies
            assert not page.locator('[data-testid="stException"]').count()
        finally:
            browser.close()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert "看板已停止" in log.read_text(encoding="utf-8")
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in tree if _alive(p)] == []
    finally:
        if server.poll() is None:
            server.kill()
