"""The command line as a user meets it: exit codes and the Chinese messages it prints."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import Ran, run_etl
from tests.warehouse_state import fingerprint, scalar

FIXTURES = Path(__file__).parent / "fixtures" / "load"


def etl(*args: str, db: Path) -> Ran:
    return run_etl("--quiet", "--db", str(db), *args)


def test_load_then_status(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    done = etl("load", str(FIXTURES / "submissions_small.csv"), db=db)
    assert done.returncode == 0, done.stderr
    assert "submissions_small.csv" in done.stdout and "已导入" in done.stdout
    status = etl("status", db=db)
    assert status.returncode == 0
    assert "最近的导入" in status.stdout
    assert scalar(db, "select count(*) from core.submissions") == 5


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    done = etl("load", str(tmp_path / "没有这个文件.csv"), db=tmp_path / "w.duckdb")
    assert done.returncode == 2
    assert "找不到文件" in done.stderr and "没有这个文件.csv" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_status_without_warehouse_says_how_to_build(tmp_path: Path) -> None:
    done = etl("status", db=tmp_path / "none.duckdb")
    assert done.returncode == 1
    assert "python -m etl demo" in done.stdout


def test_check_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    etl("load", str(FIXTURES / "submissions_small.csv"), db=db)
    before, stamp = fingerprint(db), db.stat().st_mtime_ns
    scores = tmp_path / "scores_small.csv"
    scores.write_bytes((FIXTURES / "scores_small.csv").read_bytes())
    done = etl("check", str(scores), db=db)
    assert done.returncode == 0, done.stderr  # warnings only: two experts where three score
    assert "[警告] score.experts" in done.stdout and "问题行已写入" in done.stdout
    assert db.stat().st_mtime_ns == stamp
    assert fingerprint(db) == before
    assert scalar(db, "select count(*) from meta.load_runs") == 1
