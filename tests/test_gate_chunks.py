"""The gate validates a run's rows in chunks (issue 16): GX sees at most `chunk_rows` rows at
once, so a load's memory no longer grows with its largest export. Whatever the chunk size, the
quarantine (rows, rules, Excel row numbers), every rule's tally and the quality report's counts
and examples are those of one pass, also when a failing row is the first or last of a chunk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl.pipeline.checks.gate import run_gate
from etl.pipeline.normalise import normalise
from etl.pipeline.read import ROW, read_export
from etl.pipeline.validation_report import rule_results

BAD = Path(__file__).parent / "fixtures" / "bad"
FILES = [BAD / f"rules_{k}.csv" for k in ("submissions", "scores", "outcomes", "quota")]
ONE_PASS = 10**9


@pytest.fixture(scope="module")
def tables():
    return [normalise(read_export(p)) for p in FILES]


@pytest.fixture(scope="module")
def one_pass(tables):
    return _outcome(tables, ONE_PASS)


def _outcome(tables, chunk_rows: int) -> tuple[pl.DataFrame, pl.DataFrame, list]:
    report = run_gate(tables, chunk_rows=chunk_rows)
    shown = [(v.suite, v.batch, rule_results(v)) for v in report.validations]
    return report.issues, report.results, shown


def _blocked_score_position(tables, one_pass) -> int:
    """Where the first quarantined score row sits among the run's score rows."""
    scores = next(t for t in tables if t.spec.kind == "scores")
    blocked = one_pass[0].filter(pl.col("kind") == "scores", pl.col("severity") == "blocking")
    row = blocked.get_column(ROW).min()
    return scores.frame.get_column(ROW).to_list().index(row)


@pytest.mark.parametrize("edge", ["chunk of 3", "failing row opens a chunk",
                                  "failing row closes a chunk"])  # fmt: skip
def test_chunked_gate_gives_one_pass_quarantine_tallies_and_report(tables, one_pass, edge) -> None:
    position = _blocked_score_position(tables, one_pass)
    assert position > 1  # the fixture's first rows are clean, so the edge is a real one
    chunk_rows = {"chunk of 3": 3, "failing row opens a chunk": position,
                  "failing row closes a chunk": position + 1}[edge]  # fmt: skip
    issues, results, shown = _outcome(tables, chunk_rows)
    quarantine = ["file_id", ROW, "rule_id", "field"]
    blocking = one_pass[0].filter(pl.col("severity") == "blocking").select(quarantine)
    assert blocking.height >= 10
    assert issues.filter(pl.col("severity") == "blocking").select(quarantine).equals(blocking)
    assert issues.equals(one_pass[0])
    assert results.equals(one_pass[1])
    assert shown == one_pass[2]
