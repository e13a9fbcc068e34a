"""A load holds one file's rows at a time (etl/pipeline/spill.py, issue 16): its peak memory
does not grow with how many rows it is given, and a chunk edge of the gate inside a file
changes no Excel row number, no count and no quarantined row of what it publishes."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.config import ROOT
from etl.pipeline.checks import gate
from etl.pipeline.load import load
from tests.warehouse_state import rows

BAD = Path(__file__).parent / "fixtures" / "bad"
RULES = [BAD / f"rules_{k}.csv" for k in ("submissions", "scores", "outcomes", "quota")]
COPIES = 10
# What ten times the score rows may add to a load's peak: the narrow columns the gate keeps
# for rules across files and DuckDB's pages of the larger build. Holding every file, as the
# load did before, added about 4× this.
GROWTH_MB = 60


@pytest.fixture(scope="module")
def year_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One year's 申报表 at --scale 10 and its 评分表 (21k rows), then nine more copies of
    the 评分表 (each a file of its own: a blank line more at its end)."""
    out = tmp_path_factory.mktemp("scale10")
    simulate = [sys.executable, "-m", "etl", "--quiet", "simulate", "--scale", "10", "--out"]
    subprocess.run([*simulate, str(out)], cwd=ROOT, check=True)
    scores = (out / "scores_2019.csv").read_bytes()
    for i in range(1, COPIES):
        (out / f"copy_{i}_scores_2019.csv").write_bytes(scores + b"\n" * i)
    return out


def _peak_mb(db: Path, files: list[Path]) -> float:
    out = db.with_suffix(".json")
    command = [sys.executable, "bench/measure.py", str(out), "-m", "etl", "--quiet"]
    command += ["--db", str(db), "load", *map(str, files)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    measured = json.loads(out.read_text())
    assert measured["exit"] == 0
    return measured["peak_rss_mb"]


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_rows_loaded(year_files: Path, tmp_path: Path) -> None:
    first = [year_files / "submissions_2019.csv", year_files / "scores_2019.csv"]
    small = _peak_mb(tmp_path / "one.duckdb", first)
    large = _peak_mb(tmp_path / "ten.duckdb", [*first, *sorted(year_files.glob("copy_*"))])
    assert large - small < GROWTH_MB, (small, large)


def _published(db: Path) -> dict[str, list]:
    return {
        "quarantine": rows(
            db, "select file_name, excel_row, rule_id from meta.quarantine order by all"
        ),
        "counts": rows(
            db,
            "select file_name, rows_read, rows_accepted, rows_quarantined from meta.load_files "
            "order by all",
        ),
        "scores": rows(db, "select file_id, excel_row from raw.scores order by all"),
    }


def test_a_chunk_edge_inside_a_file_changes_nothing_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(RULES, tmp_path / "one_pass.duckdb", progress=False)
    monkeypatch.setattr(gate, "run_gate", functools.partial(gate.run_gate, chunk_rows=3))
    load(RULES, tmp_path / "chunked.duckdb", progress=False)
    one_pass, chunked = (
        _published(tmp_path / "one_pass.duckdb"),
        _published(tmp_path / "chunked.duckdb"),
    )
    assert chunked == one_pass
    assert one_pass["quarantine"], "the fixtures hold rows the gate quarantines"
    for _, read, accepted, quarantined in chunked["counts"]:
        assert accepted + quarantined == read
