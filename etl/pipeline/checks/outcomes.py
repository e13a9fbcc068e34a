"""结果表 suites: one row per published item, plus one row per year × track (or category).

A published list must load on its own: rules that need scores (reached 终评) apply only to
years whose scores this run or the warehouse holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import polars as pl

from etl.pipeline.checks.common import (
    FILE,
    TEXT,
    Run,
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
from etl.reference.contract import OUTCOMES
from etl.reference.places import infer_province
from etl.reference.programme import programme

SELECTED = "入选"
UNPLACED = ("ambiguous", "unknown")  # PlaceGuess statuses a person must settle


def _described(rule_id: str) -> str:
    return rules()[rule_id].description


@cache
def suite() -> SuiteSpec:
    checks = [
        *base_checks(OUTCOMES),
        *scheme_checks(),
        title_check("rule.title_missing"),
        Check(
            "schema.required",
            "result",
            gxe.ExpectColumnValuesToBeInSet(
                column="_result_needed", value_set=[True], description=_described("schema.required")
            ),
            TEXT + "result",
        ),
        unique_check("申报编号", "submission_id"),
        Check(
            "flow.selected_final",
            "submission_id",
            gxe.ExpectColumnValuesToBeInSet(
                column="_reached_final", value_set=[True],
                description=_described("flow.selected_final"),
            ),
            TEXT + "submission_id",
            (("final", "_final_stage"),),
        ),
        Check(
            "place.unplaced",
            "province",
            gxe.ExpectColumnValuesToBeInSet(
                column="_placed", value_set=[True], description=_described("place.unplaced")
            ),
            TEXT + "province",
            (("unit", "unit_name"), ("note", "_place_note")),
        ),
    ]  # fmt: skip
    return SuiteSpec("outcomes", "outcomes", tuple(checks))


@cache
def count_suite() -> SuiteSpec:
    check = Check(
        "flow.published_count",
        None,
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="_count", column_B="_expected", description=_described("flow.published_count")
        ),
        "_group",
        (("year", "year"), ("group", "_group"), ("count", "_count"), ("expected", "_expected")),
    )
    return SuiteSpec("outcomes_by_year", "outcomes", (check,))


def derive(tables: list[Normalised], run: Run) -> Iterator[pl.DataFrame]:
    """Each outcome file of the run, in turn, with its typed, original and helper columns."""
    return stack(_derive_one(t, run) for t in tables)


KEPT = (FILE, ROW, "year", "track", "category", "result")  # what groups() reads


def _derive_one(table: Normalised, run: Run) -> pl.DataFrame:
    final = by_year({y: r.stages[-1] for y, r in programme().items()}, pl.String)
    pairs = run.scored.select(pl.concat_str("submission_id", pl.lit("|"), "stage")).to_series()
    frame = with_duplicates(title_frame(scheme_frame(base_frame(table))), ["submission_id"])
    frame = frame.with_columns(
        final.alias("_final_stage"),
        # A 结果 column the file has must be filled; without one, every row is 入选.
        pl.when(pl.lit("result" in table.raw.frame.columns))
        .then(pl.col("_filled__result"))
        .alias("_result_needed"),
    )
    judged = (
        pl.col("submission_id").is_not_null()
        & (pl.col("result") == SELECTED)
        & pl.col("year").is_in(list(run.scored_years))
    )
    return frame.with_columns(
        pl.when(judged)
        .then(pl.concat_str("submission_id", pl.lit("|"), "_final_stage").is_in(pairs.implode()))
        .alias("_reached_final"),
        *_placement(frame),
    )


def _placement(frame: pl.DataFrame) -> list[pl.Series]:
    """Whether a row without 所属省份 can be placed from its unit name, and the note if not.

    The loader may already have guessed (place_status, place_note); otherwise guess here, the
    same way, so `check` on a bare file says what `load` would.
    """
    if {"place_status", "place_note"} <= set(frame.columns):
        status, note = frame.get_column("place_status"), frame.get_column("place_note")
    else:
        guesses = [infer_province(n or "") for n in frame.get_column("unit_name").to_list()]
        status = pl.Series([g.status for g in guesses], dtype=pl.String)
        note = pl.Series([g.note for g in guesses], dtype=pl.String)
    applies = ~frame.get_column("_filled__province") & frame.get_column("_filled__unit_name")
    placed = pl.select(pl.when(applies).then(~status.is_in(UNPLACED))).to_series()
    return [placed.alias("_placed"), note.alias("_place_note")]


def groups(frame: pl.DataFrame) -> list[tuple[SuiteSpec, pl.DataFrame]]:
    """Selected per year and track (or category, from 2024) against the published count."""
    rows = frame.select(FILE, "year", "track", "category", "result").filter(
        pl.col("year").is_in(list(programme()))
    )
    expected = [
        (y, group, n, "category" if r.selected_by == "category" else "track")
        for y, r in programme().items()
        for group, n in r.selected.items()
    ]
    grid = pl.DataFrame(
        expected,
        schema={"year": pl.Int64, "_group": pl.String, "_expected": pl.Int64, "_by": pl.String},
        orient="row",
    )
    firsts = rows.group_by("year", maintain_order=True).agg(pl.col(FILE).first())
    selected = rows.filter(pl.col("result") == SELECTED).with_columns(
        pl.when(pl.col("year").is_in(_category_years()))
        .then(pl.col("category"))
        .otherwise(pl.col("track"))
        .alias("_group")
    )
    counts = selected.group_by(["year", "_group"]).agg(pl.len().cast(pl.Int64).alias("_count"))
    table = (
        grid.join(firsts, on="year", how="inner", maintain_order="left")
        .join(counts, on=["year", "_group"], how="left", maintain_order="left")
        .with_columns(
            pl.col("_count").fill_null(0),
            pl.lit(None, pl.Int64).alias(ROW),
            pl.int_range(pl.len()).alias("_pos"),
        )
    )
    return [(count_suite(), table)]


def _category_years() -> list[int]:
    return [y for y, r in programme().items() if r.selected_by == "category"]
