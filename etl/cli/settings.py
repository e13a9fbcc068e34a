"""python -m etl settings: every setting, its environment variable, value and meaning."""

from __future__ import annotations

import click

from etl.cli.options import Command
from etl.cli.output import say
from etl.config import SETTINGS, setting


@click.command(cls=Command, help="列出全部设置：名称、环境变量、当前值与说明。")
def settings() -> None:
    for s in SETTINGS.values():
        say(f"{s.name}（环境变量 {s.env}）：{setting(s.name) or '未设置'}\n    {s.help}")
