"""申报表 suite: one row per case; the notice's deadline, length, scheme and quota rules."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import polars as pl

from etl.pipeline.checks.common import (
    FILE,
    TEXT,
    base_checks,
    base_frame,
    by_year,
    scheme_checks,
    scheme_frame,
    stack,
    title_check,
    title_frame,
    unique_check,
    with_duplicates,
)
from etl.pipeline.checks.gx import Check, SuiteSpec, gxe
from etl.pipeline.checks.rules import rules
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.reference.contract import SUBMISSIONS
from etl.reference.places import CENTRAL
from etl.reference.programme import programme


@cache
def suite() -> SuiteSpec:
    described = {r.id: r.description for r in rules().values()}
    year = ("year", "year")
    checks = [
        *base_checks(SUBMISSIONS),
        *scheme_checks(),
        title_check("schema.required"),
        Check(
            "rule.deadline",
            "submitted_at",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="_deadline", column_B="_submitted_on", or_equal=True,
                ignore_row_if="either_value_is_missing", description=described["rule.deadline"],
            ),
            TEXT + "submitted_at",
            (year, ("deadline", "_deadline")),
        ),
        Check(
            "rule.max_chars",
            "material_chars",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="_max_chars", column_B="material_chars", or_equal=True,
                ignore_row_if="either_value_is_missing", description=described["rule.max_chars"],
            ),
            TEXT + "material_chars",
            (year, ("limit", "_max_chars")),
        ),
        unique_check("申报编号", "submission_id"),
    ]  # fmt: skip
    return SuiteSpec("submissions", "submissions", tuple(checks))


@cache
def quota_suite() -> SuiteSpec:
    values = (("year", "year"), ("province", "province"), ("unit", "unit_name"),
              ("category", "category"), ("per_category", "_quota_per_category"),
              ("total", "_quota_total"), ("rank_category", "_rank_category"),
              ("rank_total", "_rank_total"))  # fmt: skip
    checks = tuple(
        Check(
            rule_id,
            field,
            gxe.ExpectColumnValuesToBeInSet(
                column=column, value_set=[True], description=rules()[rule_id].description
            ),
            TEXT + field,
            values,
        )
        for rule_id, field, column in (
            ("rule.quota_province", "province", "_quota_province_ok"),
            ("rule.quota_central", "unit_name", "_quota_central_ok"),
        )
    )
    return SuiteSpec("submissions_by_quota", "submissions", checks)


# The fields that say which case an id is: a new value for one of them is another case, or a
# correction a person must confirm (the later file supersedes, so nothing stops it).
IDENTITY = ("province", "unit_name", "track", "title")


@cache
def changes_suite() -> SuiteSpec:
    check = Check(
        "key.changed",
        "submission_id",
        gxe.ExpectColumnValuesToBeInSet(
            column="_unchanged", value_set=[True], description=rules()["key.changed"].description
        ),
        TEXT + "submission_id",
        (("changes", "_changes"),),
    )
    return SuiteSpec("submissions_against_warehouse", "submissions", (check,))


def derive(tables: list[Normalised]) -> Iterator[pl.DataFrame]:
    """Each submission file of the run, in turn, with its typed, original and helper columns."""
    return stack(_derive_one(t) for t in tables)


# What groups() reads of the rows: the rest of the derived columns are dropped once validated.
KEPT = (
    FILE, ROW, TEXT + "submission_id", "submission_id", *IDENTITY, TEXT + "province",
    TEXT + "unit_name", "year", "category", "is_recommended", "submitted_at", "_file_order",
)  # fmt: skip


def groups(frame: pl.DataFrame, known: pl.DataFrame) -> list[tuple[SuiteSpec, pl.DataFrame]]:
    """Recommended rows ranked against the year's quota, across the run and the warehouse;
    rows whose id the warehouse holds with another province, unit, track or title."""
    suites = [(quota_suite(), _quota(frame, known))]
    if known.height:  # a first load has nothing to change
        suites.append((changes_suite(), _changed(frame, known)))
    return suites


def _changed(frame: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """Each row whose id is in the warehouse, with what it changes ("所属省份由“浙江”改为“湖南”")."""
    fields = [f for f in IDENTITY if f in known.columns]
    old = known.select("submission_id", *(pl.col(f).alias(f"_old_{f}") for f in fields))
    rows = frame.select(FILE, ROW, TEXT + "submission_id", "submission_id", *fields).join(
        old.unique("submission_id"), on="submission_id", how="inner", maintain_order="left"
    )
    changes = pl.concat_str([_change(f) for f in fields] or [pl.lit(None)], separator="；",
                            ignore_nulls=True).fill_null("")  # fmt: skip
    return rows.with_columns(changes.alias("_changes")).with_columns(
        (pl.col("_changes") == "").alias("_unchanged"), pl.int_range(pl.len()).alias("_pos")
    )


def _change(field: str) -> pl.Expr:
    """ "申报单位由“甲”改为“乙”" where the field's value differs from the warehouse's, else null."""
    old, new = pl.col(f"_old_{field}").fill_null("（空）"), pl.col(field).fill_null("（空）")
    text = pl.format(f"{SUBMISSIONS.column(field).header}由“{{}}”改为“{{}}”", old, new)
    return pl.when(pl.col(field).ne_missing(pl.col(f"_old_{field}"))).then(text)


def _derive_one(table: Normalised) -> pl.DataFrame:
    years = programme()
    frame = with_duplicates(title_frame(scheme_frame(base_frame(table))), ["submission_id"])
    return frame.with_columns(
        by_year({y: r.deadline for y, r in years.items()}, pl.Date).alias("_deadline"),
        pl.col("submitted_at").dt.date().alias("_submitted_on"),
        by_year({y: r.max_chars for y, r in years.items()}, pl.Int64).alias("_max_chars"),
    )


def _quota(frame: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """Rows beyond the year's quota, counted in submission order among recommended rows.

    A row over its category's limit does not also use up the total, so a province that sent six
    cases in one category and eight in others is flagged twice, not four times. Rows already in
    the warehouse count first (they came earlier); quarantined rows (given here already
    removed) do not count.
    """
    columns = ["year", "province", "category", "unit_name", "is_recommended", "submitted_at"]
    run = frame.select(
        FILE, ROW, TEXT + "province", TEXT + "unit_name", *columns,
        (pl.col("_file_order") + 1).alias("_order"),
    )  # fmt: skip
    ids = frame.get_column("submission_id").drop_nulls().implode()
    earlier = _known_rows(known, columns).filter(~pl.col("submission_id").is_in(ids))
    rows = pl.concat([earlier.drop("submission_id"), run], how="vertical_relaxed")
    return _over_quota(rows).with_columns(pl.int_range(pl.len()).alias("_pos"))


def _known_rows(known: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    present = [pl.col(c) if c in known.columns else pl.lit(None).alias(c) for c in columns]
    return known.select(
        pl.col("submission_id"),
        pl.lit(None, pl.String).alias(FILE),
        pl.lit(None, pl.Int64).alias(ROW),
        pl.lit(None, pl.String).alias(TEXT + "province"),
        pl.lit(None, pl.String).alias(TEXT + "unit_name"),
        *present,
        pl.lit(0).alias("_order"),
    ).with_columns(pl.col("submitted_at").cast(pl.Datetime("us")))


def _over_quota(rows: pl.DataFrame) -> pl.DataFrame:
    quotas = {y: r.quota for y, r in programme().items() if r.quota}
    central = pl.col("province") == CENTRAL
    key = pl.when(central).then(pl.col("unit_name")).otherwise(pl.col("province"))
    per_category = (
        pl.when(central)
        .then(by_year({y: q.central_per_category for y, q in quotas.items()}, pl.Int64))
        .otherwise(by_year({y: q.province_per_category for y, q in quotas.items()}, pl.Int64))
    )
    total = (
        pl.when(central)
        .then(by_year({y: q.central_total for y, q in quotas.items()}, pl.Int64))
        .otherwise(by_year({y: q.province_total for y, q in quotas.items()}, pl.Int64))
    )
    eligible = rows.with_columns(
        key.alias("_key"), per_category.alias("_quota_per_category"), total.alias("_quota_total")
    ).filter(
        pl.col("is_recommended").fill_null(False),
        pl.col("_quota_total").is_not_null(),
        pl.col("_key").is_not_null(),
    )
    in_run = pl.col("_order") > 0  # the warehouse's rows first, then by time of submission
    ordered = eligible.sort(
        [in_run, "submitted_at", "_order", ROW], nulls_last=True, maintain_order=True
    )
    group, in_category = ["year", "_key"], ["year", "_key", "category"]
    ranked = ordered.with_columns(
        pl.when(pl.col("category").is_not_null())
        .then(pl.int_range(pl.len()).over(in_category) + 1)
        .alias("_rank_category"),
        (pl.int_range(pl.len()).over(group) + 1).alias("_rank_total"),
    ).with_columns(
        (pl.col("_rank_category") > pl.col("_quota_per_category")).fill_null(False).alias("_over")
    )
    counted = (~pl.col("_over")).cast(pl.Int64).cum_sum().over(group)
    over = pl.col("_over") | (counted > pl.col("_quota_total"))
    return ranked.with_columns(
        pl.when(~central).then(~over).alias("_quota_province_ok"),
        pl.when(central).then(~over).alias("_quota_central_ok"),
    ).filter(pl.col(FILE).is_not_null())
