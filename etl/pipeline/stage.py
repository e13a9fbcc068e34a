"""Split one checked file into accepted rows, quarantined rows and flags, and write them.

Accepted rows go to raw.<kind>; every blocking issue becomes a row of meta.quarantine with
the original cells; every warning a row of meta.row_flags; every correction a row of
meta.corrections. Nothing read is dropped: read = accepted + quarantined, per file.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from etl.glossary import SKIPPED_ROWS
from etl.pipeline.checks import CheckReport
from etl.pipeline.read import ROW
from etl.pipeline.run import FileResult

RAW_COLUMNS = {
    "submissions": (
        "submission_id",
        "year",
        "track",
        "category",
        "unit_name",
        "unit_type",
        "unit_level",
        "province",
        "title",
        "submitted_at",
        "material_chars",
        "is_recommended",
    ),
    "scores": (
        "submission_id",
        "stage",
        "expert_id",
        "expert_province",
        "political",
        "innovation",
        "effectiveness",
        "typicality",
        "total_score",
        "scored_at",
    ),
    "outcomes": (
        "year",
        "track",
        "category",
        "unit_name",
        "title",
        "result",
        "province",
        "submission_id",
        "province_source",
        "place_status",
        "place_note",
    ),
}


@dataclass
class StagedFile:
    result: FileResult
    accepted: pl.DataFrame
    quarantine: pl.DataFrame
    flags: pl.DataFrame
    corrections: pl.DataFrame


def stage_file(result: FileResult, report: CheckReport, provinces: pl.DataFrame) -> StagedFile:
    """Decide, row by row, what of this file enters the warehouse.

    `provinces` maps submission_id → province (this run's and the warehouse's), so a score
    row's issues carry the province of the case it scores and its bureau can see them.
    """
    table = result.table
    frame = table.frame  # read once: a spilled table reads its file on each `.frame`
    located = _row_provinces(frame, provinces)
    issues = report.issues.filter(pl.col("file_id") == result.file_id)
    blocking = issues.filter(pl.col("severity") == "blocking")
    bad_rows = blocking.get_column(ROW).drop_nulls().unique()
    accepted = frame.filter(~pl.col(ROW).is_in(bad_rows.implode()))
    result.tally(report)
    flags = issues.filter(pl.col("severity") == "warning")
    return StagedFile(
        result=result,
        accepted=_raw_shape(accepted, table.spec.kind),
        quarantine=_with_original(blocking, result).join(located, on=ROW, how="left"),
        flags=flags.join(located, on=ROW, how="left"),
        corrections=pl.concat([table.fixes, _skipped(table)]).join(located, on=ROW, how="left"),
    )


def _skipped(table) -> pl.DataFrame:
    """Rows that are not data, as corrections: what they were taken for, and their text."""
    skipped = table.raw.skipped
    return skipped.select(
        pl.col(ROW),
        pl.lit(None, pl.String).alias("field"),
        pl.col("text").alias("before"),
        pl.format("已跳过（{}）", pl.col("what").replace_strict(SKIPPED_ROWS)).alias("after"),
        pl.format("skip.{}", pl.col("what")).alias("rule_id"),
    )


def _raw_shape(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    columns = [
        pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in RAW_COLUMNS[kind]
    ]
    return frame.select(pl.col(ROW).alias("excel_row"), *columns)


def _row_provinces(typed: pl.DataFrame, provinces: pl.DataFrame) -> pl.DataFrame:
    """(_row, province) for every row: its own province, or its submission's."""
    if "province" in typed.columns:
        return typed.select(ROW, "province")
    if "submission_id" in typed.columns:
        return (
            typed.select(ROW, "submission_id")
            .join(provinces, on="submission_id", how="left")
            .select(ROW, "province")
        )
    return typed.select(ROW, pl.lit(None, pl.String).alias("province"))


def _with_original(blocking: pl.DataFrame, result: FileResult) -> pl.DataFrame:
    """Blocking issues with the row's original cells (as JSON, under the sender's headers)."""
    raw = result.table.raw
    sent = raw.frame
    original = sent.rename({f: raw.headers.get(f, f) for f in sent.columns if f != ROW})
    cells = original.select(
        ROW, pl.struct(pl.exclude(ROW)).struct.json_encode().alias("original_cells")
    )
    with_headers = blocking.with_columns(
        pl.col("field").replace_strict(raw.headers, default=pl.col("field")).alias("column_header")
    )
    return with_headers.join(cells, on=ROW, how="left")


def write_staged(
    con: duckdb.DuckDBPyConnection, run_id: str, staged: StagedFile, load_seq: int
) -> None:
    """Insert one file's accepted rows, quarantine, flags and corrections."""
    r = staged.result
    ident = {"run_id": run_id, "file_id": r.file_id, "file_name": r.name}
    accepted = staged.accepted.with_columns(
        pl.lit(r.file_id).alias("file_id"), pl.lit(load_seq, pl.Int64).alias("load_seq")
    )
    insert(con, f"raw.{r.kind}", accepted)
    insert(con, "meta.quarantine", _tagged(staged.quarantine, ident).rename({ROW: "excel_row"}))
    insert(con, "meta.row_flags", _tagged(staged.flags, ident).rename({ROW: "excel_row"}))
    corrections = _tagged(staged.corrections, ident).rename({ROW: "excel_row"})
    insert(con, "meta.corrections", corrections)


def _tagged(frame: pl.DataFrame, ident: dict[str, str]) -> pl.DataFrame:
    return frame.with_columns(*[pl.lit(v, pl.String).alias(k) for k, v in ident.items()])


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Insert by column name: the frame may hold fewer columns than the table."""
    if frame.height == 0:
        return
    columns = [c[0] for c in con.execute(f"describe {table}").fetchall()]
    present = [c for c in frame.columns if c in columns]
    con.register("_rows", frame.select(present).to_arrow())
    names = ", ".join(present)
    con.execute(f"insert into {table} ({names}) select {names} from _rows")
    con.unregister("_rows")
