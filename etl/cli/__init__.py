"""python -m etl: build, check and inspect the warehouse, and manage who may read it.

Each command lives in the module of its concern (data, sql, report, users, settings, serve); this module
declares the group, the options every command shares, and Click's words in Chinese. Exit
codes are the contract: 0 done, 1 blocking data errors (check) or a failed load, 2 bad usage
or a refusal.
"""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli import chinese, data, report, serve, settings, sql, units, users
from etl.cli.options import CONTEXT, Group, db_option, quiet_option

chinese.install()


@click.group(cls=Group, context_settings=CONTEXT, help="融合看板数据仓库工具。")
@db_option
@quiet_option
def main(db: Path | None, quiet: bool) -> None:
    """The group: --db and --quiet here apply to every command (or give them after it)."""


for command in (
    data.demo,
    data.load,
    data.check,
    data.status,
    data.simulate,
    sql.sql,
    report.report,
    users.user,
    units.units,
    settings.settings,
    serve.serve,
):
    main.add_command(command)
