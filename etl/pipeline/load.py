"""Load export files into the warehouse: read → normalise → validate → stage → build → publish.

The warehouse is never written in place. A load copies it aside, writes and builds the copy,
and swaps it in with one atomic rename, so a failed or killed load leaves the previous
warehouse as it was, and a dashboard reading it meanwhile keeps its open file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from tqdm import tqdm

from etl.config import SQL_DIR, db_path, docs_dir
from etl.pipeline.build import build
from etl.pipeline.checks import ISSUE_SCHEMA, RESULT_SCHEMA, CheckReport, Known, run_checks
from etl.pipeline.normalise import Normalised, normalise
from etl.pipeline.read import ROW, FileRejected, read_export
from etl.pipeline.stage import StagedFile, stage_file, write_ledger, write_staged
from etl.reference.places import infer_province

RUN_STATUS_LABEL = {
    "succeeded": "成功",
    "nothing new": "无新数据",
    "passed": "通过",
    "failed": "有阻断问题",
}


@dataclass
class FileResult:
    """What happened to one file in one run (a row of meta.load_files)."""

    path: Path
    file_id: str | None = None
    kind: str | None = None
    encoding: str | None = None
    bytes: int = 0
    status: str = "pending"  # loaded | skipped | rejected | checked
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_warned: int = 0
    message: str = ""
    read_seconds: float = 0.0
    check_seconds: float = 0.0
    stage_seconds: float = 0.0
    load_seq: int | None = None
    is_simulated: bool = False
    table: Normalised | None = field(default=None, repr=False)


@dataclass
class RunSummary:
    run_id: str
    command: str
    db: Path
    files: list[FileResult]
    report: CheckReport
    status: str = "running"
    seconds: float = 0.0
    gate: bool = True

    @property
    def rows(self) -> dict[str, int]:
        keys = ("rows_read", "rows_accepted", "rows_quarantined", "rows_warned")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    @property
    def status_label(self) -> str:
        return RUN_STATUS_LABEL.get(self.status, self.status)

    @property
    def has_blocking(self) -> bool:
        rejected = any(f.status == "rejected" for f in self.files)
        return rejected or self.report.blocking().height > 0


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
        run = _start("load", target, paths, gate)
        loaded_ids = _loaded_file_ids(target)
        _read_all(run, loaded_ids, progress)
        known = _known(target)
        _validate(run, known if gate else None)
        for f in run.files:
            f.is_simulated = simulated
        provinces = _submission_provinces(run, known)
        staged = [
            stage_file(f, run.report, simulated, provinces)
            for f in run.files
            if f.table is not None
        ]
        _publish(target, run, staged, progress)
    if gate and run.report.results.height:
        _write_docs(run, target)
    return run


def _write_docs(run: RunSummary, target: Path) -> None:
    """Data Docs are a report about the run; a failure to write them must not fail the load."""
    from etl.pipeline.report import write_data_docs

    try:
        write_data_docs(run.run_id, run.report, docs_dir(target))
    except Exception as exc:  # noqa: BLE001 - GX raises many types; the load itself succeeded
        print(f"提示：数据质量报告（Data Docs）未能生成：{exc}", file=sys.stderr)


def check(paths: list[Path], db: Path | str | None = None, progress: bool = True) -> RunSummary:
    """Validate files as a load would, against the warehouse, and write nothing."""
    target = db_path(db)
    run = _start("check", target, paths, True)
    _read_all(run, set(), progress)
    _validate(run, _known(target))
    for f in run.files:
        if f.table is not None:
            _tally(f, run.report)
            f.status = "checked"
    run.status = "failed" if run.has_blocking else "passed"
    return run


def _start(command: str, target: Path, paths: list[Path], gate: bool) -> RunSummary:
    run_id = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    files = [FileResult(Path(p)) for p in paths]
    empty = CheckReport(pl.DataFrame(schema=ISSUE_SCHEMA), pl.DataFrame(schema=RESULT_SCHEMA))
    run = RunSummary(run_id, command, target, files, empty, gate=gate)
    run.seconds = -time.perf_counter()
    return run


def _read_all(run: RunSummary, loaded_ids: set[str], progress: bool) -> None:
    seen = set(loaded_ids)
    for f in tqdm(run.files, desc="读取文件", unit="个", disable=not progress or None):
        started = time.perf_counter()
        try:
            raw = read_export(f.path)
        except FileRejected as exc:
            f.status, f.message = "rejected", exc.message
            f.bytes = f.path.stat().st_size if f.path.exists() else 0
            continue
        f.file_id, f.kind, f.encoding = raw.sha256, raw.spec.kind, raw.encoding
        f.bytes, f.rows_read = f.path.stat().st_size, raw.frame.height
        if f.file_id in seen:
            f.status, f.message = "skipped", "内容相同的文件已导入过，本次跳过"
            continue
        seen.add(f.file_id)
        f.table = _with_places(normalise(raw))
        f.read_seconds = time.perf_counter() - started


def _with_places(table: Normalised) -> Normalised:
    """A published list may omit 所属省份: infer it from the unit name, or flag it."""
    if table.spec.kind != "outcomes":
        return table
    frame = table.frame
    if "province" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("province"))
    given = (
        table.raw.frame.get_column("province")
        if "province" in table.raw.frame.columns
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


def _validate(run: RunSummary, known: Known | None) -> None:
    tables = [f.table for f in run.files if f.table is not None]
    if known is None or not tables:
        return
    started = time.perf_counter()
    run.report = run_checks(tables, known)
    share = (time.perf_counter() - started) / len(tables)
    for f in run.files:
        if f.table is not None:
            f.check_seconds = share


def _tally(f: FileResult, report: CheckReport) -> None:
    issues = report.issues.filter(pl.col("file_id") == f.file_id)
    blocking = issues.filter(pl.col("severity") == "blocking")
    warned = issues.filter(pl.col("severity") == "warning", pl.col(ROW).is_not_null())
    f.rows_quarantined = blocking.get_column(ROW).n_unique()
    f.rows_accepted = f.rows_read - f.rows_quarantined
    f.rows_warned = warned.get_column(ROW).n_unique()


def _known(target: Path) -> Known:
    """What the warehouse already holds that rules across files need (see Known)."""
    if not target.exists():
        return Known()
    with duckdb.connect(str(target), read_only=True) as con:
        submissions = con.sql(
            "select submission_id, year, province, track, category, is_recommended, "
            "unit_name, submitted_at from core.submissions where source = '申报表'"
        ).pl()
        stages = con.sql("select distinct submission_id, stage from core.scores").pl()
    return Known(submissions=submissions, stages=stages)


def _loaded_file_ids(target: Path) -> set[str]:
    if not target.exists():
        return set()
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute("select file_id from meta.load_files where status = 'loaded'").fetchall()
    return {r[0] for r in rows}


@contextmanager
def writer_lock(target: Path) -> Iterator[None]:
    """One writer at a time per warehouse; a second load waits for the first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish(target: Path, run: RunSummary, staged: list[StagedFile], progress: bool) -> None:
    """Write the run into a copy of the warehouse, build it, and swap it in atomically."""
    building = target.with_name(f"{target.name}.building-{os.getpid()}")
    for stale in target.parent.glob(f"{target.name}.building-*"):
        stale.unlink()
    if target.exists():
        shutil.copyfile(target, building)
    try:
        with duckdb.connect(str(building)) as con:
            con.execute((SQL_DIR / "warehouse.sql").read_text(encoding="utf-8"))
            _write_run(con, run, staged, progress)
            con.execute("checkpoint")
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)


def _write_run(con, run: RunSummary, staged: list[StagedFile], progress: bool) -> None:
    changed = False
    next_seq = con.execute("select coalesce(max(load_seq), 0) + 1 from meta.load_files").fetchone()[
        0
    ]
    for offset, s in enumerate(
        tqdm(staged, desc="写入数据", unit="个", disable=not progress or None)
    ):
        started = time.perf_counter()
        write_staged(con, run.run_id, s, next_seq + offset)
        s.result.stage_seconds = time.perf_counter() - started
        s.result.status = "loaded"
        changed = True
    if changed or not con.execute("select count(*) from meta.warehouse").fetchone()[0]:
        build(con)
    run.seconds += time.perf_counter()
    run.status = "succeeded" if changed else "nothing new"
    write_ledger(con, run, changed)
