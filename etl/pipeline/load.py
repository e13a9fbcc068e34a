"""Load export files into the warehouse: read → normalise → validate → stage → build → publish.

The warehouse is never written in place. A load copies it aside, writes and builds the copy,
and swaps it in with one atomic rename, so a failed or killed load leaves the previous
warehouse as it was, and a dashboard reading it meanwhile keeps its open file.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import time
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from etl.config import SQL_DIR, db_path, docs_dir, env_var, setting_mb
from etl.pipeline import wide
from etl.pipeline.build import build
from etl.pipeline.checks import Known, import_meanwhile, run_checks
from etl.pipeline.ledger import write_ledger
from etl.pipeline.normalise import Normalised, normalise
from etl.pipeline.read import ROW, FileRejected, RawTable, read_tables
from etl.pipeline.run import FileResult, RunSummary
from etl.pipeline.spill import Spill, in_memory
from etl.pipeline.stage import stage_file, write_staged
from etl.progress import steps
from etl.reference.places import infer_province
from etl.writing import WriteFailed, chinese_write_errors, writer_lock

# DuckDB's buffer pool for a load's build. By default DuckDB may hold 80% of the machine's
# memory, and at --scale 100 it took 750 MB over the rows the load already holds; with a
# limit it writes the copy's pages out and spills joins to disk instead, at little cost in time.
BUILD_MEMORY = "400MB"
# Where a model that does not fit under that cap is built again (etl/pipeline/build.py
# within_memory; at --scale 1000 mart.score_scopes): 60% of this machine's memory (DuckDB's
# own default is 80%; the rest is the load's Python side, holding the run's issues and state).
RETRY_MEMORY = f"{int(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') * 0.6 / 2**20)}MB"


def load(
    paths: list[Path],
    db: Path | str | None = None,
    *,
    gate: bool = True,
    simulated: bool = False,
    progress: bool = True,
) -> RunSummary:
    """Load files into the warehouse; files already loaded (same content) are skipped."""
    target = db_path(db)
    with writer_lock(target):
        started = time.perf_counter()
        if gate:
            import_meanwhile()
        known, loaded_ids = _warehouse_state(target)
        spill = Spill()
        files = _read_all(paths, loaded_ids, simulated, progress, spill)
        run = RunSummary.start("load", target, files, gate, spill, started)
        _with_case_ids(run, known)
        _validate(run, known if gate else None)
        _publish(target, run, _submission_provinces(run, known), progress)
    if gate and run.report.results.height:
        _write_docs(run, target)
    return run


def rebuild(
    paths: list[Path], db: Path | str | None = None, *, progress: bool = True
) -> RunSummary:
    """A new warehouse of these simulated files alone, swapped in for the old one under its
    writer lock (so a load running meanwhile finishes first, or waits). A warehouse holding
    files that are not simulated is never replaced: WriteFailed says so."""
    target = db_path(db)
    with writer_lock(target):
        _refuse_real_data(target)
        fresh = target.with_name(target.name + ".demo")
        fresh.unlink(missing_ok=True)
        run = load(paths, fresh, simulated=True, progress=progress)
        with chinese_write_errors(target, "仓库保持原样"):
            os.replace(fresh, target)
    return run


def _refuse_real_data(target: Path) -> None:
    if not target.exists():
        return
    with duckdb.connect(str(target), read_only=True) as con:
        real = con.execute(
            "select count(*) from meta.load_files where status = 'loaded' and not is_simulated"
        ).fetchone()[0]
    if real:
        raise WriteFailed(
            f"仓库 {target} 中已导入 {real} 个真实数据文件（非模拟数据），演示仓库不会覆盖它；"
            "仓库保持原样。请用 --db 为演示指定另一个文件。"
        )


def check(
    paths: list[Path],
    db: Path | str | None = None,
    progress: bool = True,
    province: str | None = None,
) -> RunSummary:
    """Validate files as a load would, against the warehouse, and write nothing.

    With `province` (a bureau checking its own draft), the file is compared with that
    province's rows of the warehouse only, and a row of another province is a finding.
    """
    target = db_path(db)
    started = time.perf_counter()
    import_meanwhile()
    known, _ = _warehouse_state(target)
    if province:
        known = known.within(province)
    spill = Spill()
    files = _read_all(paths, set(), False, progress, spill)
    run = RunSummary.start("check", target, files, True, spill, started)
    _with_case_ids(run, known)
    _validate(run, known, province)
    for f in run.files:
        if f.table is not None:
            f.tally(run.report)
            f.status = "checked"
    run.finish("failed" if run.has_blocking else "passed")
    return run


def _write_docs(run: RunSummary, target: Path) -> None:
    """The run's quality report (etl/pipeline/validation_report.py) is a report about the run:
    a failure to write it must not fail the load, and says so in Chinese."""
    from etl.pipeline import validation_report

    simulated = any(f.is_simulated for f in run.files)
    try:
        validation_report.write(run.run_id, run.report.validations, docs_dir(target),
                                at=datetime.now(), simulated=simulated)  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - the load itself succeeded
        print(f"提示：数据质量检查报告未能生成：{exc}", file=sys.stderr)


def _read_all(
    paths: list[Path], loaded_ids: set[str], simulated: bool, progress: bool, spill: Spill
) -> list[FileResult]:
    """Every file read and normalised, its tables put on disk before the next file is read:
    only one file's frames are in memory at a time (etl/pipeline/spill.py)."""
    seen = set(loaded_ids)
    files = []
    for path in steps(paths, "读取文件", progress):
        for result in _read_one(Path(path), seen, simulated):
            if result.table is not None:
                result.table = spill.put(result.table)
            files.append(result)
    return files


def _read_one(path: Path, seen: set[str], simulated: bool) -> list[FileResult]:
    """One file's tables (one per data sheet) read and normalised, or the file rejected whole;
    a table already loaded (same content) is skipped."""
    started = time.perf_counter()
    if refusal := _size_refusal(path):
        return [FileResult(path, bytes=path.stat().st_size, status="rejected", message=refusal)]
    try:
        tables = read_tables(path)
    except FileRejected as exc:
        size = path.stat().st_size if path.exists() else 0
        return [FileResult(path, bytes=size, status="rejected", message=exc.message)]
    results = [_result(path, raw, seen, simulated) for raw in tables]
    results[0].bytes = path.stat().st_size  # the file's size, counted once
    results[0].read_seconds = time.perf_counter() - started
    return results


def _result(path: Path, raw: RawTable, seen: set[str], simulated: bool) -> FileResult:
    result = FileResult(
        path,
        file_id=raw.sha256,
        kind=raw.spec.kind,
        encoding=raw.encoding,
        rows_read=raw.frame.get_column(ROW).n_unique(),  # Excel rows: a summary's hold 7 scores
        is_simulated=simulated,
        sheet=raw.sheet,
    )
    if raw.sha256 in seen:
        result.status, result.message = "skipped", "内容相同的文件已导入过，本次跳过"
        return result
    seen.add(raw.sha256)
    result.table = _with_places(normalise(raw))
    return result


def _size_refusal(path: Path) -> str | None:
    """Why a file is too large to read, if it is: its size, and for an .xlsx (a zip) the size
    its directory says it unpacks to, checked before a byte of it is inflated."""
    if not path.is_file():
        return None  # read_tables says what is wrong with it
    size, limit = path.stat().st_size, setting_mb("max_file_mb")
    if size > limit:
        return f"文件大小 {_mb(size)}，超过上限 {_mb(limit)}{_configured('max_file_mb')}"
    if not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return None  # read_tables rejects it as damaged
    if unpacked > (limit := setting_mb("max_unzipped_mb")):
        return (
            f"Excel 文件解压后 {_mb(unpacked)}，超过上限 {_mb(limit)}{_configured('max_unzipped_mb')}；"
            "请确认文件内容，或拆分后再导入"
        )
    return None


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 // 10 else f"{size / 2**10:,.1f} KB"


def _configured(name: str) -> str:
    return f"（上限可用环境变量 {env_var(name)} 设置）"


def _with_places(table: Normalised) -> Normalised:
    """A published list may omit 所属省份: infer it from the unit name, or flag it."""
    if table.spec.kind != "outcomes":
        return table
    frame = table.frame
    if "province" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("province"))
    sent = table.raw.frame
    given = (
        sent.get_column("province")
        if "province" in sent.columns
        else pl.Series([None] * frame.height, dtype=pl.String)
    )
    names = frame.get_column("unit_name").to_list()
    places = [_place(name, text) for name, text in zip(names, given.to_list(), strict=True)]
    columns = ("_inferred", "province_source", "place_status", "place_note")
    extra = pl.DataFrame(places, schema={c: pl.String for c in columns}, orient="row")
    frame = pl.concat([frame, extra], how="horizontal")
    frame = frame.with_columns(pl.coalesce("province", "_inferred").alias("province"))
    return Normalised(table.raw, frame.drop("_inferred"), table.fixes)


def _place(unit_name: str | None, given: str | None) -> tuple[str | None, ...]:
    if given and given.strip():
        return (None, "file", "given", None)
    guess = infer_province(unit_name or "")
    source = "inferred" if guess.province else None
    return (guess.province, source, guess.status, guess.note)


def _with_case_ids(run: RunSummary, known: Known) -> None:
    """A scoring summary that names its cases by unit + title gets their 申报编号 from this
    run's submissions first, then the warehouse's."""
    submissions = [f.table for f in run.files if f.table is not None and f.kind == "submissions"]
    summaries = [f for f in run.files if f.table is not None and wide.names_cases(f.table)]
    if not summaries:
        return
    ours = [_case_columns(t.frame) for t in submissions]
    for f in summaries:
        f.table = run.spill.put(wide.match_cases(in_memory(f.table), [*ours, known.submissions]))


def _case_columns(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(c for c in wide.CASE_COLUMNS if c in frame.columns)


def _submission_provinces(run: RunSummary, known: Known) -> pl.DataFrame:
    """submission_id → province, from this run's submissions first, then the warehouse's."""
    ours = [
        f.table.frame.select("submission_id", "province")
        for f in run.files
        if f.table is not None and f.kind == "submissions"
    ]
    found = pl.concat([*ours, known.submissions.select("submission_id", "province")])
    return found.drop_nulls("submission_id").unique(
        "submission_id", keep="first", maintain_order=True
    )


def _validate(run: RunSummary, known: Known | None, province: str | None = None) -> None:
    tables = run.tables
    if known is None or not tables:
        return
    started = time.perf_counter()
    run.report = run_checks(tables, known, province)
    share = (time.perf_counter() - started) / len(tables)
    for f in run.files:
        if f.table is not None:
            f.check_seconds = share


def _warehouse_state(target: Path) -> tuple[Known, set[str]]:
    """What the warehouse already holds that rules across files need (see Known), and the ids
    of the files it has loaded: one read of the old warehouse."""
    if not target.exists():
        return Known(), set()
    with duckdb.connect(str(target), read_only=True) as con:
        submissions = con.sql(
            "select submission_id, year, province, track, category, is_recommended, "
            "unit_name, title, submitted_at from core.submissions where source = '申报表'"
        ).pl()
        stages = con.sql("select distinct submission_id, stage from core.scores").pl()
        loaded = con.execute("select file_id from meta.load_files where status = 'loaded'")
        loaded_ids = {r[0] for r in loaded.fetchall()}
    return Known(submissions=submissions, stages=stages), loaded_ids


def _publish(target: Path, run: RunSummary, provinces: pl.DataFrame, progress: bool) -> None:
    """Write the run into a copy of the warehouse, build it, and swap it in atomically."""
    building = target.with_name(f"{target.name}.building-{os.getpid()}")
    for stale in target.parent.glob(f"{target.name}.building-*"):
        stale.unlink()
    try:
        with chinese_write_errors(target, "仓库保持原样，本次导入未生效"):
            if target.exists():  # inside the try: a copy cut short by a full disk is removed
                shutil.copyfile(target, building)
            _build_copy(building, run, provinces, progress)
            os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)


def _build_copy(building: Path, run: RunSummary, provinces: pl.DataFrame, progress: bool) -> None:
    try:
        with duckdb.connect(str(building), config={"memory_limit": BUILD_MEMORY}) as con:
            con.execute((SQL_DIR / "warehouse.sql").read_text(encoding="utf-8"))
            _write_run(con, run, provinces, progress)
            con.execute("checkpoint")
    except duckdb.IOException as exc:  # DuckDB's own writes report a full disk this way
        raise OSError(_errno_of(exc), str(exc)) from exc
    except duckdb.Error as exc:  # out of memory while writing the rows, say: not a traceback
        raise WriteFailed(
            f"写入仓库副本时 DuckDB 出错：{str(exc).splitlines()[0]}；仓库保持原样，本次导入未生效"
        ) from exc


def _errno_of(exc: duckdb.IOException) -> int:
    text = str(exc).lower()
    return errno.ENOSPC if "no space left" in text else errno.EIO


def rebuild_models(db: Path | str | None = None) -> str:
    """Rebuild every model from what is loaded (after a decision on unit names), in a copy
    swapped in atomically, under a new warehouse version; return the version."""
    target = db_path(db)
    version = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    with writer_lock(target):
        building = target.with_name(f"{target.name}.building-{os.getpid()}")
        shutil.copyfile(target, building)
        try:
            with duckdb.connect(str(building)) as con:
                build(con)
                con.execute(
                    "update meta.warehouse set version = ?, built_at = ?", [version, datetime.now()]
                )
                con.execute("checkpoint")
            os.replace(building, target)
        finally:
            building.unlink(missing_ok=True)
    return version


def unit_decision(number: int, merge: bool, by: str, db: Path | str | None = None):
    """A person's decision on suggestion `number` of meta.unit_matches, kept in
    unit_aliases.csv, then the warehouse rebuilt so that it holds; returns the decision."""
    from etl.units.decide import decide

    with duckdb.connect(str(db_path(db)), read_only=True) as con:
        made = decide(con, number, merge, by)
    rebuild_models(db)
    return made


def _write_run(con, run: RunSummary, provinces: pl.DataFrame, progress: bool) -> None:
    """Each file staged and written in turn, its rows dropped before the next file's are read
    back from disk: the build's copy of DuckDB, not this process, holds the run's rows."""
    next_seq = con.execute("select coalesce(max(load_seq), 0) + 1 from meta.load_files")
    first_seq = next_seq.fetchone()[0]
    pending = [f for f in run.files if f.table is not None]
    for offset, f in enumerate(steps(pending, "写入数据", progress)):
        started = time.perf_counter()
        write_staged(con, run.run_id, stage_file(f, run.report, provinces), first_seq + offset)
        f.status, f.load_seq = "loaded", first_seq + offset
        f.stage_seconds = time.perf_counter() - started
    changed = bool(pending)
    if changed or not con.execute("select count(*) from meta.warehouse").fetchone()[0]:
        build(con, retry_memory=RETRY_MEMORY)
    run.finish("succeeded" if changed else "nothing new")
    write_ledger(con, run, changed)
