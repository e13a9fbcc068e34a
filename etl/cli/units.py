"""python -m etl units …: the suggested unit matches, and a person's decision on each."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import duckdb

from etl.cli.options import Command, Group, db_option
from etl.cli.output import say, warn
from etl.config import db_path


@click.group(cls=Group, help="单位登记：待确认的单位名称匹配（合并或不合并）。")
def units() -> None:
    """The unit registry's commands."""


@units.command(cls=Command, help="列出待人工确认的单位名称匹配。")
@db_option
def review(db: Path | None) -> None:
    from etl.units.decide import pending

    matches = pending(_read(db))
    if not matches:
        say("没有待确认的单位名称匹配。")
        return
    say(f"待确认的单位名称匹配（{len(matches)} 对）：")
    for m in matches:  # one line a pair: a table would cut the long names in a narrow terminal
        say(f"{m['number']}. {m['province']}：{m['name_a']} ↔ {m['name_b']}"
            f"（得分 {m['score']:.2f}）— {m['reason']}")  # fmt: skip
    say("确认：python -m etl units confirm 编号；否决：python -m etl units reject 编号")


NUMBER = click.argument("number", type=int)
BY = click.option("--by", "by", default=None, help="决定人（默认为当前命令行用户）")


@units.command(cls=Command, help="确认一对名称是同一单位：写入 unit_aliases.csv 并重建仓库。")
@NUMBER
@BY
@db_option
def confirm(number: int, by: str | None, db: Path | None) -> None:
    _decide(number, True, by, db)


@units.command(cls=Command, help="否决一对名称（不是同一单位）：写入 unit_aliases.csv 并重建仓库。")
@NUMBER
@BY
@db_option
def reject(number: int, by: str | None, db: Path | None) -> None:
    _decide(number, False, by, db)


def _decide(number: int, merge: bool, by: str | None, db: Path | None) -> None:
    from etl.cli.users import cli_user
    from etl.pipeline.load import unit_decision
    from etl.units.decide import NoSuchMatch
    from etl.units.link import aliases_path

    _read(db).close()
    try:
        made = unit_decision(number, merge, by or cli_user(), db)
    except NoSuchMatch:
        warn(f"错误：待确认列表中没有编号 {number}。请先运行 python -m etl units review 查看编号。")
        sys.exit(2)
    say(f"已记录：{made.alias} 与 {made.canonical}（{made.province}）{made.decision}；"
        f"决定已写入 {aliases_path()}，仓库已重建。")  # fmt: skip


def _read(db: Path | None) -> duckdb.DuckDBPyConnection:
    target = db_path(db)
    if not target.exists():
        warn(
            f"错误：仓库尚未构建：{target}\n请先运行 python -m etl demo 或 python -m etl load 文件…"
        )
        sys.exit(2)
    return duckdb.connect(str(target), read_only=True)
