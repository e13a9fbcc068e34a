"""A scoring summary's own figures (平均分, 去掉最高最低后平均分, 排名) against its experts' columns.

The figures are the review office's arithmetic, not data we load: where one disagrees with the
experts' totals on its row, the row is loaded as scored and flagged, by its Excel row, with the
figure the experts' columns give. A figure is taken to agree within the rounding it is written
with (83.29 for 83.2857…, 83.3 or 83 too); a rank agrees when it is any place a tie could give.
"""

from __future__ import annotations

import polars as pl

from etl.pipeline.checks.common import show
from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.reference.contract import SCORE_SUMMARY

MEAN, RANK = "score.sheet_mean", "score.sheet_rank"
_TRIMMED = "去掉一个最高分和一个最低分后"


def means(tables: list[Normalised]) -> tuple[pl.DataFrame, int]:
    """Warnings for each 平均分 / 去掉最高最低后平均分 its row's experts do not give."""
    found, checked = [], 0
    for table in _summaries(tables):
        rows = _rows(table)
        for field, how in (("mean_score", ""), ("trimmed_mean", _TRIMMED)):
            if field not in rows.columns:
                continue
            expected = "_mean" if field == "mean_score" else "_trimmed"
            stated = rows.filter(pl.col(field).is_not_null(), pl.col(expected).is_not_null())
            checked += stated.height
            for row in stated.iter_rows(named=True):
                if abs(row[field] - row[expected]) > _tolerance(row[f"_text_{field}"]):
                    values = {"n": row["_n"], "how": how, "expected": _round(row[expected])}
                    found.append(_issue(table, row, field, MEAN, values))
    return pl.DataFrame(found, schema=ISSUE_SCHEMA, orient="row"), checked


def ranks(tables: list[Normalised]) -> tuple[pl.DataFrame, int]:
    """Warnings for each 排名 that the row's place among the sheet's cases of its stage, by
    去掉最高最低后平均分 when the sheet has one (else by 平均分), does not give."""
    found, checked = [], 0
    for table in _summaries(tables):
        columns = table.frame.columns  # read once: a spilled table reads its file each time
        if "rank" not in columns:
            continue
        trimmed = "trimmed_mean" in columns
        basis, label = ("_trimmed", _TRIMMED + "的平均分") if trimmed else ("_mean", "平均分")
        rows = _placed(_rows(table), basis).filter(pl.col("rank").is_not_null())
        checked += rows.height
        for row in rows.filter(~pl.col("rank").is_between("_best", "_worst")).iter_rows(named=True):
            values = {"basis": label, "expected": _place(row), "count": row["_of"]}
            found.append(_issue(table, row, "rank", RANK, values))
    return pl.DataFrame(found, schema=ISSUE_SCHEMA, orient="row"), checked


def _summaries(tables: list[Normalised]) -> list[Normalised]:
    return [t for t in tables if t.spec is SCORE_SUMMARY]


def _rows(table: Normalised) -> pl.DataFrame:
    """One row per Excel row whose experts' totals all read: its figures as typed and as sent,
    and the experts' mean and trimmed mean (null with fewer than three experts)."""
    frame = table.frame  # read once: a spilled table reads its file on each `.frame`
    figures = [f for f in ("mean_score", "trimmed_mean", "rank") if f in frame.columns]
    sent = table.raw.frame.group_by(ROW, maintain_order=True).agg(
        pl.col(f).first().alias(f"_text_{f}") for f in figures
    )
    total = pl.col("total_score")
    per_row = frame.group_by(ROW, maintain_order=True).agg(
        pl.col("stage").first(),
        *[pl.col(f).first() for f in figures],
        pl.len().alias("_n"),
        total.null_count().alias("_unread"),
        total.mean().alias("_mean"),
        pl.when(pl.len() >= 3)
        .then((total.sum() - total.max() - total.min()) / (pl.len() - 2))
        .alias("_trimmed"),
    )
    return per_row.filter(pl.col("_unread") == 0).join(sent, on=ROW, maintain_order="left")


def _placed(rows: pl.DataFrame, basis: str) -> pl.DataFrame:
    """Each row's best and worst place a tie allows among the rows of its stage, 1 = highest."""
    score = pl.col(basis).round(2)
    over = pl.col("stage")
    return rows.with_columns(
        score.rank("min", descending=True).over(over).cast(pl.Int64).alias("_best"),
        score.rank("max", descending=True).over(over).cast(pl.Int64).alias("_worst"),
        pl.len().over(over).alias("_of"),
    )


def _place(row: dict) -> str:
    """3, or 3–4 where two cases tie for third."""
    best, worst = row["_best"], row["_worst"]
    return str(best) if best == worst else f"{best}–{worst}"


def _tolerance(text: str | None) -> float:
    """Half a unit of the last decimal written: 83.29 agrees with 83.285 … 83.295."""
    decimals = len(text.split(".", 1)[1]) if text and "." in text else 0
    return max(0.5 * 10**-decimals, 1e-6)


def _round(value: float) -> str:
    return show(round(value, 2))


def _issue(table: Normalised, row: dict, field: str, rule_id: str, values: dict) -> tuple:
    rule = rules()[rule_id]
    value = show(row[field])
    header = table.raw.headers.get(field, SCORE_SUMMARY.column(field).header)
    values |= {"header": header, "value": value}
    return (table.raw.sha256, table.spec.kind, row[ROW], field, value, rule_id, rule.severity,
            rule.render(values))  # fmt: skip
