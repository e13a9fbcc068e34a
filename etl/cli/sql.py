"""python -m etl sql: one query with a role's access; CSV on stdout, a refusal on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli.options import Command, db_option
from etl.cli.output import warn
from etl.cli.users import cli_user


class Limit(click.ParamType):
    """--timeout and --max-rows: a whole number within the console's bounds, else a Chinese
    refusal (exit 2) before anything is connected: 0, -1 or nan would stop nothing."""

    name = "整数"

    def __init__(self, limit: str) -> None:
        self.limit = limit

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        from etl.access.console import ConsoleRefused, checked_limit

        try:
            return checked_limit(self.limit, value)
        except ConsoleRefused as refused:
            self.fail(refused.message, param, ctx)


@click.command(
    cls=Command, help="以某个角色的权限运行一条查询，结果以 CSV 输出；被拒绝时退出码为 2。"
)
@click.argument("query", required=False)
@click.option(
    "--file", type=click.Path(dir_okay=False, path_type=Path), help="从 .sql 文件读取查询"
)
@click.option("--role", required=True, help="leader / researcher / bureau / admin")
@click.option("--province", help="省局角色的省份，如 浙江")
@click.option(
    "--timeout", type=Limit("timeout"), help="时间上限（整数秒，1–300，默认见 access.toml）"
)
@click.option(
    "--max-rows", type=Limit("max_rows"), help="最多输出的行数（1–1,000,000，默认见 access.toml）"
)
@click.option("--raw", is_flag=True, help="不给以 = + - @ 开头的单元格加 '")
@db_option
def sql(
    query: str | None,
    file: Path | None,
    role: str,
    province: str | None,
    timeout: float | None,
    max_rows: int | None,
    raw: bool,
    db: Path | None,
) -> None:
    from etl.access.console import ConsoleRefused, run_audited
    from etl.access.exports import neutralise
    from etl.access.scopes import AccessError, Scope, scoped_connection

    if file is not None and not file.exists():
        _refuse(f"找不到文件：{file}")
    text = file.read_text(encoding="utf-8") if file is not None else query
    if not text or (query and file):
        _refuse("请给出一条查询语句，或用 --file 指定 .sql 文件（二选一）")
    try:
        scope = Scope.of(role, province)
        con = scoped_connection(db, scope.role, scope.province)
        result = run_audited(
            con, text, who=cli_user(), scope=scope, timeout_s=timeout, row_cap=max_rows
        )
    except (AccessError, ConsoleRefused) as exc:
        _refuse(str(exc))
    except FileNotFoundError as exc:
        warn(str(exc))
        sys.exit(1)
    if result.out_of_range:
        _refuse(
            f"结果的列 {'、'.join(result.out_of_range)} 含超出日期范围的值（如 infinity），"
            "无法写成 CSV 的日期；请在查询中把它转成文本（如 列名::varchar）后重试"
        )
    frame = result.frame if raw else neutralise(result.frame)
    sys.stdout.buffer.write(frame.write_csv().encode("utf-8"))
    sys.stdout.flush()
    if result.truncated:
        warn(result.notice)


def _refuse(message: str) -> None:
    warn(message)
    sys.exit(2)
