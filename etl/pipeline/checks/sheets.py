"""Several data sheets of one workbook (a bureau splits its cases by category): their rows are
loaded together, and a key that two sheets both hold is a collision, named by sheet.

Within one sheet, key.unique finds copies; this rule finds them across the sheets of a file.
"""

from __future__ import annotations

import polars as pl

from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW

RULE = "key.sheets"
KEYS = {
    "submissions": ("申报编号", ["submission_id"]),
    "scores": ("申报编号 / 评审阶段 / 专家编号", ["submission_id", "stage", "expert_id"]),
    "outcomes": ("申报编号", ["submission_id"]),
}


def check(tables: list[Normalised]) -> tuple[pl.DataFrame, int]:
    """Blocking issues on each later copy of a key already in an earlier sheet of the file."""
    found, checked = [], 0
    books: dict[object, list[Normalised]] = {}
    for t in tables:
        if t.raw.sheet:
            books.setdefault(t.raw.path, []).append(t)
    for sheets in books.values():
        label, keys = KEYS[sheets[0].spec.kind]
        rows = pl.concat([_keyed(t, keys) for t in sheets]).drop_nulls(keys)
        checked += rows.height
        found += _collisions(rows, keys, label, sheets[0].spec.kind)
    return pl.DataFrame(found, schema=ISSUE_SCHEMA, orient="row"), checked


def _keyed(table: Normalised, keys: list[str]) -> pl.DataFrame:
    frame = table.frame.select(ROW, *[pl.col(k).cast(pl.String) for k in keys])
    return frame.with_columns(
        pl.lit(table.raw.sha256).alias("_file"), pl.lit(table.raw.sheet).alias("_sheet")
    )


def _collisions(rows: pl.DataFrame, keys: list[str], label: str, kind: str) -> list[tuple]:
    first = rows.group_by(keys, maintain_order=True).agg(
        pl.col("_file").first().alias("_first_file"),
        pl.col("_sheet").first().alias("_first_sheet"),
        pl.col(ROW).first().alias("_first_row"),
    )
    later = rows.join(first, on=keys).filter(pl.col("_file") != pl.col("_first_file"))
    rule = rules()[RULE]
    found = []
    for r in later.iter_rows(named=True):
        value = " / ".join(r[k] for k in keys)
        values = {"key": label, "value": value, "first_sheet": r["_first_sheet"],
                  "first_row": r["_first_row"]}  # fmt: skip
        found.append((r["_file"], kind, r[ROW], keys[0] if len(keys) == 1 else None, value,
                      RULE, rule.severity, rule.render(values)))  # fmt: skip
    return found
