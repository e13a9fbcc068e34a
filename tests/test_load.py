"""The loader against real DuckDB files: idempotence, atomic publish, formats, published lists."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.config import ROOT
from etl.pipeline.load import load
from etl.pipeline.read import ROW
from etl.simulate import sample_files
from tests.warehouse_state import fingerprint, rows, scalar

FIXTURES = Path(__file__).parent / "fixtures" / "load"
SMALL = [FIXTURES / f"{kind}_small.csv" for kind in ("submissions", "scores", "outcomes")]


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "small.duckdb"
    load(SMALL, db, progress=False)
    return db


def test_small_load_counts(small_db: Path) -> None:
    assert scalar(small_db, "select count(*) from core.submissions") == 5
    assert scalar(small_db, "select count(*) from core.scores") == 11
    selected = rows(
        small_db, "select submission_id from core.submissions where is_selected order by 1"
    )
    assert selected == [("2024-000001",), ("2024-000005",)]
    assert (
        scalar(
            small_db,
            "select furthest_stage from core.submissions where submission_id = '2024-000002'",
        )
        == "初评"
    )
    assert (
        scalar(
            small_db,
            "select furthest_stage from core.submissions where submission_id = '2024-000004'",
        )
        is None
    )


def test_aliases_are_normalised_and_logged(small_db: Path) -> None:
    provinces = dict(rows(small_db, "select submission_id, province from core.submissions"))
    assert provinces["2024-000002"] == "浙江"  # written 浙江省
    assert provinces["2024-000004"] == "浙江"  # written Zhejiang
    chars = scalar(
        small_db, "select material_chars from core.submissions where submission_id = '2024-000003'"
    )
    assert chars == 4900  # written ４９００
    fixes = rows(
        small_db,
        "select excel_row, before, after, rule_id from meta.corrections where field = 'province' order by 1",
    )
    assert fixes == [
        (3, "浙江省", "浙江", "fix.province_alias"),
        (5, "Zhejiang", "浙江", "fix.province_alias"),
    ]


def test_same_file_twice_changes_nothing(small_db: Path) -> None:
    before = fingerprint(small_db)
    run = load(SMALL, small_db, progress=False)
    assert [f.status for f in run.files] == ["skipped"] * 3
    assert fingerprint(small_db) == before
    assert scalar(small_db, "select count(*) from meta.load_runs") == 2
    assert scalar(small_db, "select count(*) from raw.submissions") == 5


def test_reader_keeps_working_during_and_after_a_load(small_db: Path, tmp_path: Path) -> None:
    reader = duckdb.connect(str(small_db), read_only=True)
    assert reader.execute("select count(*) from core.submissions").fetchone()[0] == 5
    load([FIXTURES / "published_2019.csv"], small_db, progress=False)
    # The open connection still reads its own (previous) version without error…
    assert reader.execute("select count(*) from core.submissions").fetchone()[0] == 5
    reader.close()
    # …and a new connection sees the new version.
    assert scalar(small_db, "select count(*) from core.submissions") == 14


@pytest.mark.slow
def test_killed_load_leaves_previous_warehouse(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    load(SMALL, db, progress=False)
    before = fingerprint(db)
    command = [
        sys.executable,
        "-m",
        "etl",
        "--quiet",
        "--db",
        str(db),
        "load",
        *map(str, sample_files()),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("warehouse.duckdb.building-*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert list(tmp_path.glob("warehouse.duckdb.building-*")), "the load never started building"
    time.sleep(0.2)  # let it write part of the copy
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert fingerprint(db) == before
    # The next load clears the half-built copy and succeeds.
    run = load(sample_files()[:1], db, progress=False)
    assert run.status == "succeeded"
    assert not list(tmp_path.glob("warehouse.duckdb.building-*"))


def test_published_list_loads_alone_and_places_units(tmp_path: Path) -> None:
    db = tmp_path / "published.duckdb"
    load([FIXTURES / "published_2019.csv"], db, progress=False)
    placed = dict(rows(db, "select unit_name, province from core.submissions"))
    assert placed["湖南广播电视台"] == "湖南"
    assert placed["苏州广播电视总台"] == "江苏"
    assert placed["浙江安吉新闻集团"] == "浙江"
    assert placed["福建尤溪县融媒体中心"] == "福建"
    assert placed["湖北赤壁市融媒体中心"] == "湖北"
    assert placed["宜春市广播电视台"] == "江西"
    assert placed["中国教育电视台"] == "中央单位"
    flagged = dict(
        rows(db, "select unit_name, review_note from core.submissions where needs_review")
    )
    assert set(flagged) == {"数智视听科技有限公司", "朝阳区融媒体中心"}
    assert "多个省份" in flagged["朝阳区融媒体中心"]
    facts = rows(
        db,
        "select bool_and(is_selected), bool_and(is_from_published_list), min(source) from core.submissions",
    )
    assert facts == [(True, True, "公布名单")]


def _write_variants(source: Path, out: Path) -> dict[str, Path]:
    frame = pl.read_csv(source, infer_schema=False)
    text = source.read_text(encoding="utf-8-sig")
    gbk = out / f"{source.stem}_gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    xlsx = out / f"{source.stem}.xlsx"
    frame.write_excel(xlsx, worksheet="导出")
    return {"utf-8-sig": source, "gbk": gbk, "xlsx": xlsx}


@pytest.mark.slow
def test_gbk_bom_and_xlsx_give_the_same_warehouse(tmp_path: Path) -> None:
    variants = [_write_variants(p, tmp_path) for p in SMALL]
    prints = {}
    for encoding in ("utf-8-sig", "gbk", "xlsx"):
        db = tmp_path / f"{encoding}.duckdb"
        run = load([v[encoding] for v in variants], db, progress=False)
        assert {f.encoding for f in run.files} == {encoding if encoding != "xlsx" else "xlsx"}
        prints[encoding] = fingerprint(db)
    assert prints["gbk"] == prints["utf-8-sig"] == prints["xlsx"]


def test_demo_selected_counts_equal_published(demo_db: Path) -> None:
    from etl.reference.programme import programme

    counted = rows(
        demo_db,
        "select year, coalesce(category, track), count(*) filter (where is_selected) "
        "from core.submissions group by all",
    )
    got = {(y, k): n for y, k, n in counted if n}
    expected = {(y, k): n for y, r in programme().items() for k, n in r.selected.items()}
    assert got == expected


def test_demo_2024_calibration(demo_db: Path) -> None:
    units = scalar(
        demo_db, "select count(distinct unit_id) from core.submissions where year = 2024"
    )
    assert 225 <= units <= 235
    final = scalar(
        demo_db,
        "select count(*) from core.submissions where year = 2024 and furthest_stage = '终评'",
    )
    assert final == 80


def test_db_env_var_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "from_env.duckdb"
    monkeypatch.setenv("CONVERGENCE_DB", str(db))
    load(SMALL[:1], None, progress=False)
    assert scalar(db, "select count(*) from core.submissions") == 5


def _etl(db: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "etl", "--quiet", "--db", str(db), *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(found, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not found() and time.monotonic() < deadline:
        time.sleep(0.002)
    assert found(), what


def _completed(db: Path, files: list[Path], tmp_path: Path) -> dict:
    """The fingerprint the same load gives when nothing interrupts it."""
    twin = tmp_path / "twin" / db.name
    twin.parent.mkdir()
    shutil.copyfile(db, twin)
    load(files, twin, progress=False)
    return fingerprint(twin)


@pytest.mark.slow
def test_killed_while_writing_the_data_docs(tmp_path: Path) -> None:
    """Data Docs follow the swap: a kill there leaves the completed load, nothing else."""
    db = tmp_path / "w" / "warehouse.duckdb"
    db.parent.mkdir()
    load(SMALL, db, progress=False)
    shutil.rmtree(db.parent / "docs")
    before, files = fingerprint(db), sample_files()[:3]
    completed = _completed(db, files, tmp_path)
    proc = _etl(db, "load", *map(str, files))
    _wait_for(lambda: (db.parent / "docs").exists(), "the Data Docs were never begun")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert fingerprint(db) in (before, completed)
    assert not list(db.parent.glob("warehouse.duckdb.building-*"))
    assert load(files[:1], db, progress=False).status in ("succeeded", "nothing new")


@pytest.mark.slow
def test_killed_demo_beside_a_load(demo_db: Path, tmp_path: Path) -> None:
    """A demo killed while it waits for a load costs the load nothing."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    completed = _completed(db, SMALL[:1], tmp_path)
    loading = _etl(db, "load", str(SMALL[0]))
    _wait_for(lambda: list(tmp_path.glob("warehouse.duckdb.building-*")), "the load never built")
    demo = _etl(db, "demo")
    time.sleep(0.3)
    os.kill(demo.pid, signal.SIGKILL)
    demo.wait()
    assert loading.wait(120) == 0
    assert fingerprint(db) == completed


@pytest.mark.slow
def test_killed_while_building_the_demo(demo_db: Path, tmp_path: Path) -> None:
    """A demo killed while it builds leaves the warehouse it would have replaced."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    before = fingerprint(db)
    demo = _etl(db, "demo")
    _wait_for(lambda: list(tmp_path.glob("warehouse.duckdb.demo*")), "the demo never built")
    time.sleep(0.5)
    os.kill(demo.pid, signal.SIGKILL)
    demo.wait()
    assert fingerprint(db) == before


@pytest.mark.slow
def test_two_identical_loads_give_identical_marts(demo_db: Path, tmp_path: Path) -> None:
    """Float sums taken in a different order differ in the last bits: the marts order them."""
    again = tmp_path / "again.duckdb"
    load(sample_files(), again, simulated=True, progress=False)
    marts = tuple(
        f"mart.{name}"
        for (name,) in rows(
            demo_db, "select table_name from duckdb_tables() where schema_name = 'mart'"
        )
    )
    assert len(marts) >= 8
    assert fingerprint(again, marts) == fingerprint(demo_db, marts)


def test_an_id_that_changes_its_case_is_warned_by_row(small_db: Path, tmp_path: Path) -> None:
    """The later file supersedes, but a new province, unit, track or title for an id already
    loaded is named by row, old and new, before anyone relies on it."""
    lines = SMALL[0].read_text(encoding="utf-8-sig").splitlines()
    moved = lines[2].replace("浙江省", "湖南").replace("温岭市融媒体中心", "湖南广播电视台")
    assert moved != lines[2]
    changed = tmp_path / "submissions_again.csv"
    changed.write_text("\n".join([lines[0], lines[1], moved, *lines[3:]]) + "\n", encoding="utf-8")
    run = load([changed], small_db, progress=False)
    warned = run.report.issues.filter(pl.col("rule_id") == "key.changed")
    where = warned.select(ROW, "value", "severity").rows()
    assert where == [(3, "2024-000002", "warning")]  # Excel row 3, the only row changed
    message = warned["message"][0]
    assert "所属省份由“浙江”改为“湖南”" in message
    assert "申报单位由“温岭市融媒体中心”改为“湖南广播电视台”" in message
    province = "select province from core.submissions where submission_id = '2024-000002'"
    assert scalar(small_db, province) == "湖南"  # a warning: the row is loaded
