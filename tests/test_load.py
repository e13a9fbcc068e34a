"""The loader against real DuckDB files: idempotence, atomic publish, formats, published lists."""

from __future__ import annotations

import os
import re
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
from tests.warehouse_state import CORE_TABLES, fingerprint, rows, scalar, whole

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
    before = whole(db)
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
    _killed(proc)
    assert whole(db) == before
    # The next load clears the half-built copy and succeeds.
    run = load(sample_files()[:1], db, progress=False)
    assert run.status == "succeeded"
    assert not list(tmp_path.glob("warehouse.duckdb.building-*"))


def test_a_killed_loads_temporary_tables_are_removed_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load holds its files' tables in a temporary folder (etl/pipeline/spill.py); killed
    outright it cannot remove it, and at --scale 100 it is as large as the input. The next run
    removes it, and never the folder of a run still going."""
    from etl.pipeline.spill import Spill

    temp = tmp_path / "tmp"
    temp.mkdir()
    command = [sys.executable, "-m", "etl", "--quiet", "--db", str(tmp_path / "w.duckdb"),
               "load", *map(str, sample_files())]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for(lambda: list(temp.glob(f"etl-run-{proc.pid}-*/1/typed.arrow")), "no table spilled")
    _killed(proc)
    left = list(temp.glob(f"etl-run-{proc.pid}-*"))
    assert len(left) == 1 and any(left[0].rglob("*.arrow"))
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    running = Spill()  # a run of this (living) process
    Spill()
    assert not left[0].exists()
    assert Path(running._folder.name).is_dir()


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


def _wait_for(found, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not found() and time.monotonic() < deadline:
        time.sleep(0.002)
    assert found(), what


def _killed(proc: subprocess.Popen) -> None:
    """SIGKILL, and proof that it landed while the process was still running."""
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(60) == -signal.SIGKILL, "the process had already finished"


def _completed(db: Path, files: list[Path], tmp_path: Path) -> dict:
    """The whole state the same load gives when nothing interrupts it."""
    twin = tmp_path / "twin" / db.name
    twin.parent.mkdir()
    shutil.copyfile(db, twin)
    load(files, twin, progress=False)
    return whole(twin)


def _flock(pid: int, lock: Path, *, waiting: bool) -> bool:
    """Whether process `pid` holds (waiting=False) or waits for (waiting=True) the flock on
    `lock` (etl.writing.writer_lock), as the kernel lists it in /proc/locks."""
    if not lock.exists():
        return False
    inode = lock.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        blocked = "->" in fields
        fields = [f for f in fields if f != "->"]
        if (
            fields[1] == "FLOCK"
            and int(fields[4]) == pid
            and int(fields[5].rsplit(":", 1)[1]) == inode
            and blocked == waiting
        ):
            return True
    return False


# The quality-report step (etl.pipeline.validation_report.write), from its beginning to the
# index that lists the run's page.
DOCS_STEPS = {
    "begun": lambda docs: docs.exists(),
    "page written": lambda docs: any(p.name != "index.html" for p in docs.glob("*.html")),
}


@pytest.mark.slow
@pytest.mark.parametrize("step", DOCS_STEPS)
@pytest.mark.parametrize("with_demo", [False, True], ids=["alone", "a demo waiting"])
def test_killed_while_writing_the_quality_report(
    tmp_path: Path, step: str, with_demo: bool
) -> None:
    """The report follows the swap (and the writer lock's release): a kill there leaves the
    completed load, whole, no half-written page, and a demo waiting for the load still refuses
    to replace it."""
    db = tmp_path / "w" / "warehouse.duckdb"
    db.parent.mkdir()
    load(SMALL, db, progress=False)  # real data: a demo must not replace it
    docs, files = db.parent / "docs", sample_files()[:3]
    shutil.rmtree(docs)
    before, completed = whole(db), _completed(db, files, tmp_path)
    assert completed != before
    proc = _etl(db, "load", *map(str, files))
    if with_demo:
        lock = db.with_name(db.name + ".lock")
        _wait_for(lambda: _flock(proc.pid, lock, waiting=False), "the load never took the lock")
        demo = _etl(db, "demo")
        _wait_for(lambda: _flock(demo.pid, lock, waiting=True), "the demo never waited")
    _wait_for(lambda: DOCS_STEPS[step](docs), f"the report never reached “{step}”")
    _killed(proc)
    assert whole(db) == completed  # published before the report: the load is all there
    assert not list(db.parent.glob("warehouse.duckdb.building-*"))
    for page in docs.glob("*.html"):
        assert page.read_text(encoding="utf-8").endswith("</html>"), f"{page.name} is cut"
    if with_demo:
        assert demo.wait(120) == 2  # it refused: the warehouse holds a real file
        assert whole(db) == completed
    assert load(files[:1], db, progress=False).status == "nothing new"


LOAD, DEMO = "load", "demo"


def _start(kind: str, db: Path) -> subprocess.Popen:
    return _etl(db, "load", str(SMALL[0])) if kind == LOAD else _etl(db, "demo")


def _building(kind: str, proc: subprocess.Popen, db: Path):
    """True once `proc` is writing its new warehouse (a load its copy, a demo its fresh file)."""
    pattern = f"{db.name}.building-{proc.pid}" if kind == LOAD else f"{db.name}.demo.building-*"
    return lambda: bool(list(db.parent.glob(pattern)))


@pytest.mark.slow
@pytest.mark.parametrize("first", [LOAD, DEMO], ids=["load first", "demo first"])
@pytest.mark.parametrize("killed", ["first", "second", "both"])
def test_a_demo_and_a_load_at_once_one_killed(
    demo_db: Path, tmp_path: Path, first: str, killed: str
) -> None:
    """A `demo` and a `load` of one warehouse at once: the second waits for the first's writer
    lock. Kill the one building, the one waiting, or both (each while it builds): the warehouse
    is then the one before, the completed load or the completed demo, whole, never a mix."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    before = whole(db)
    states = {LOAD: _completed(db, SMALL[:1], tmp_path), DEMO: before}  # the demo's, rebuilt
    assert states[LOAD] != before
    second = DEMO if first == LOAD else LOAD
    lock = db.with_name(db.name + ".lock")
    procs = {first: _start(first, db)}
    _wait_for(lambda: _flock(procs[first].pid, lock, waiting=False), f"{first} took no lock")
    procs[second] = _start(second, db)
    _wait_for(lambda: _flock(procs[second].pid, lock, waiting=True), f"{second} did not wait")
    _wait_for(_building(first, procs[first], db), f"{first} never began building")
    if killed == "second":
        _killed(procs[second])
        assert procs[first].wait(300) == 0
        expected = states[first]
    else:
        _killed(procs[first])
        _wait_for(_building(second, procs[second], db), f"{second} never built after the kill")
        if killed == "both":
            _killed(procs[second])
            expected = before
        else:
            assert procs[second].wait(300) == 0
            expected = states[second]
    assert whole(db) == expected
    assert load(SMALL[:1], db, progress=False).status in ("succeeded", "nothing new")
    assert not list(db.parent.glob("warehouse.duckdb.building-*"))


@pytest.mark.slow
def test_killed_while_building_the_demo(demo_db: Path, tmp_path: Path) -> None:
    """A demo killed while it builds leaves the warehouse it would have replaced."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    before = whole(db)
    demo = _etl(db, "demo")
    _wait_for(_building(DEMO, demo, db), "the demo never built")
    _killed(demo)
    assert whole(db) == before


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


def test_the_time_a_load_reports_includes_reading_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`本次导入：成功，用时 N 秒` and meta.load_runs' started_at count from before the first
    file is read: at --scale 100 reading is a fifth of the load, and was left out."""
    from etl.pipeline import load as pipeline

    reading_began = []
    read_all = pipeline._read_all

    def timed(*args, **kwargs):
        reading_began.append(time.perf_counter())
        return read_all(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_read_all", timed)
    before = time.perf_counter()
    run = load(SMALL, tmp_path / "w.duckdb", progress=False)
    assert before <= run.started <= reading_began[0]
    told = scalar(
        tmp_path / "w.duckdb",
        "select extract(epoch from finished_at - started_at) from meta.load_runs",
    )
    assert told == pytest.approx(run.seconds, abs=0.01)


MARTS = ("mart.submission_scores", "mart.submission_facts", "mart.unit_history", "mart.cases")


def test_a_model_over_the_builds_memory_cap_is_built_again_with_more_and_the_load_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A load caps DuckDB's memory for its build; at --scale 1000 a model did not fit and the
    load died with DuckDB's English traceback. Here the cap is small enough that the demo's
    models do not fit: they are built again under the larger limit, and the warehouse is the
    same as an uncapped load's."""
    uncapped = tmp_path / "uncapped.duckdb"
    load(sample_files(), uncapped, gate=False, progress=False)
    monkeypatch.setattr("etl.pipeline.load.BUILD_MEMORY", "16MB")
    capped = tmp_path / "capped.duckdb"
    run = load(sample_files(), capped, gate=False, progress=False)
    assert run.status == "succeeded"
    said = capsys.readouterr().err
    assert re.search(
        r"提示：构建 (core|mart)\.\w+ 超出 1[45]\.\d MiB 的内存上限，放宽到 \d+MB 后重试", said
    )
    assert fingerprint(capped, (*CORE_TABLES, *MARTS)) == fingerprint(
        uncapped, (*CORE_TABLES, *MARTS)
    )


def test_a_build_out_of_memory_even_with_more_says_so_and_keeps_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.writing import WriteFailed

    db = tmp_path / "w.duckdb"
    load(SMALL, db, gate=False, progress=False)
    before = fingerprint(db, (*CORE_TABLES, *MARTS))
    monkeypatch.setattr("etl.pipeline.load.BUILD_MEMORY", "16MB")
    monkeypatch.setattr("etl.pipeline.load.RETRY_MEMORY", "16MB")
    with pytest.raises(WriteFailed) as failed:
        load(sample_files(), db, gate=False, progress=False)
    message = failed.value.message
    assert re.match(
        r"构建 (core|mart)\.\w+ 时内存不足：上限 [\d.]+ MiB 和放宽后的 16MB 都不够用", message
    )
    assert "仓库保持原样，本次导入未生效" in message
    assert fingerprint(db, (*CORE_TABLES, *MARTS)) == before
    assert not list(tmp_path.glob("w.duckdb.building-*"))
