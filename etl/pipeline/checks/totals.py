"""Totals rows a bureau adds under its data (合计 12项 … 56,000字): their figures checked.

The row itself is skipped at reading (etl.reference.layout); here its count of items and its
sum of 材料字数 are compared with the data rows above it. A 小计 covers a part we cannot
delimit reliably, so only 合计 / 总计 / 共计 rows are checked.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from etl.pipeline.checks.common import show
from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.reference.layout import COUNT

RULE = "rule.totals"
_GRAND = re.compile(r"^(合计|总计|共计)")
_NUMBER = re.compile(r"^(\d+)(?:字)?$")


def check(tables: list[Normalised]) -> tuple[pl.DataFrame, int]:
    """Warnings for totals that disagree with the rows above them, and how many were checked."""
    found, checked = [], 0
    for table in tables:
        totals = table.raw.skipped.filter(pl.col("what") == "total")
        for row in totals.iter_rows(named=True):
            text = _plain(row["text"])
            if not _GRAND.match(text):
                continue
            for what, given, actual, rows in _figures(table, row, text):
                checked += 1
                if given != actual:
                    found.append(_issue(table, row[ROW], what, given, actual, rows))
    return pl.DataFrame(found, schema=ISSUE_SCHEMA, orient="row"), checked


def _figures(table: Normalised, row: dict, text: str):
    """(what, given, actual, rows above) for each figure the totals row states."""
    above = table.frame.filter(pl.col(ROW) < row[ROW])
    count = COUNT.search(text)
    if count:
        yield "项目数", int(count.group(1)), above.height, above.height
    chars = _NUMBER.match(_plain(row.get("material_chars") or ""))
    if chars and "material_chars" in above.columns:
        total = int(above.get_column("material_chars").sum() or 0)
        yield "材料字数", int(chars.group(1)), total, above.height


def _issue(table: Normalised, row: int, what: str, given: int, actual: int, rows: int) -> tuple:
    values = {"row": row, "what": what, "value": show(given), "actual": show(actual), "rows": rows}
    rule = rules()[RULE]
    field = "material_chars" if what == "材料字数" else None
    return (table.raw.sha256, table.spec.kind, None, field, show(given), RULE, rule.severity,
            rule.render(values))  # fmt: skip


def _plain(text: str) -> str:
    return re.sub(r"[\s,，]+", "", unicodedata.normalize("NFKC", text))
