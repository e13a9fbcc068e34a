"""python -m etl report: the year's written brief (分析报告) as .docx or PDF, for one role."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli.options import Command, db_option
from etl.cli.output import say, warn
from etl.cli.users import cli_user


@click.command(
    cls=Command,
    help="生成某年度的分析报告（全国或一个省份），Word（.docx）或 PDF；被拒绝时退出码为 2。",
)
@click.option("--year", type=int, required=True, help="年度，如 2024")
@click.option("--province", help="省份，如 浙江（不给则为全国报告）")
@click.option(
    "--format", "form", type=click.Choice(["docx", "pdf"]), default="docx", help="docx 或 pdf"
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="输出文件")
@click.option(
    "--role",
    default="leader",
    show_default=True,
    help="以哪个角色的权限生成：leader / researcher / bureau:浙江（省局及其省份；"
    "只写 bureau 时为 --province 的省局）",
)
@db_option
def report(
    year: int, province: str | None, form: str, out: Path | None, role: str, db: Path | None
) -> None:
    from etl.access.scopes import AccessError
    from etl.brief.images import ChartsUnavailable
    from etl.brief.pdf import PdfUnavailable
    from etl.brief.produce import BriefRefused, produce

    try:
        scope = _scope(role, province)
        made = produce(db, scope, year, province, form, cli_user())
    except (AccessError, BriefRefused, ChartsUnavailable, PdfUnavailable) as exc:
        warn(str(exc))
        sys.exit(2)
    except FileNotFoundError as exc:
        warn(str(exc))
        sys.exit(1)
    target = out or Path(made.file_name)
    target.write_bytes(made.content)
    brief = made.brief
    say(
        f"已生成：{target}（{len(brief.tables)} 张表、{len(brief.figures)} 幅图，"
        f"{'模拟数据，' if brief.simulated else ''}{brief.data_date}）"
    )


def _scope(role: str, province: str | None):
    """bureau:浙江 is the bureau of 浙江; a bare bureau is the bureau of the report's province."""
    from etl.access.scopes import Scope

    name, _, own = role.partition(":")
    if own:
        return Scope.of(name, own)
    return Scope.of(name, province if name == "bureau" else None)
