"""The run's ledger: its row in meta.load_runs, its files' rows, its rule results, and, when
the warehouse was rebuilt, a new version in meta.warehouse (what dashboard caches key on)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from etl.pipeline.run import RunSummary
from etl.pipeline.stage import insert


def write_ledger(con: duckdb.DuckDBPyConnection, run: RunSummary, built: bool) -> None:
    """The run's row, its files' rows, its rule results, and a new warehouse version."""
    finished = datetime.now()
    rows = run.rows
    con.execute(
        "insert into meta.load_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.command,
            finished,
            finished,
            run.status,
            len(run.files),
            rows["rows_read"],
            rows["rows_accepted"],
            rows["rows_quarantined"],
            rows["rows_warned"],
            run.seconds,
            run.gate,
            None,
        ],
    )
    con.execute(
        "update meta.load_runs set started_at = finished_at - to_microseconds(?::bigint) "
        "where run_id = ?",
        [int(run.seconds * 1e6), run.run_id],
    )
    insert(con, "meta.load_files", _files_frame(run))
    insert(con, "meta.dq_results", _results_frame(run))
    if built:
        simulated = con.execute(
            "select coalesce(bool_or(is_simulated), false) from meta.load_files "
            "where status = 'loaded'"
        ).fetchone()[0]
        con.execute("delete from meta.warehouse")
        con.execute(
            "insert into meta.warehouse values (?, ?, ?, ?, ?)",
            [run.run_id, finished, run.run_id, finished, simulated],
        )


def _files_frame(run: RunSummary) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "run_id": run.run_id,
                "file_id": f.file_id,
                "file_name": f.name,
                "file_path": str(f.path.resolve()),
                "kind": f.kind,
                "encoding": f.encoding,
                "bytes": f.bytes,
                "status": f.status,
                "load_seq": getattr(f, "load_seq", None),
                "is_simulated": f.is_simulated,
                "rows_read": f.rows_read,
                "rows_accepted": f.rows_accepted,
                "rows_quarantined": f.rows_quarantined,
                "rows_warned": f.rows_warned,
                "read_seconds": f.read_seconds,
                "check_seconds": f.check_seconds,
                "stage_seconds": f.stage_seconds,
                "message": f.message,
            }
            for f in run.files
        ],
        infer_schema_length=None,
    )


def _results_frame(run: RunSummary) -> pl.DataFrame:
    results = run.report.results
    return results.with_columns(
        pl.lit(run.run_id).alias("run_id"),
        (pl.col("failed") / pl.col("checked").clip(lower_bound=1) * 100).alias("failed_pct"),
        (pl.col("failed") == 0).alias("passed"),
    )
