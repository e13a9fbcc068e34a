"""What a run of the pipeline did: one FileResult per file, one RunSummary per run.

These types sit below every stage that uses them (stage, report, ledger, load), so each of
those imports them from here and none imports another's. The rows of a file are counted in
one place (`tally`), for a check and a load alike.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from etl.glossary import RUN_STATUS
from etl.pipeline.checks import ISSUE_SCHEMA, RESULT_SCHEMA, CheckReport
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW, sheet_label
from etl.pipeline.spill import Spill, SpilledTable


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
    sheet: str | None = None  # the worksheet, when the workbook has several data sheets
    table: Normalised | SpilledTable | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The file, and its sheet when the workbook has several (as reports name it)."""
        return sheet_label(self.path, self.sheet)

    def tally(self, report: CheckReport) -> None:
        """Rows quarantined (any blocking issue), accepted (the rest) and warned, from the report."""
        issues = report.issues.filter(pl.col("file_id") == self.file_id)
        blocking = issues.filter(pl.col("severity") == "blocking")
        warned = issues.filter(pl.col("severity") == "warning", pl.col(ROW).is_not_null())
        self.rows_quarantined = blocking.get_column(ROW).drop_nulls().n_unique()
        self.rows_accepted = self.rows_read - self.rows_quarantined
        self.rows_warned = warned.get_column(ROW).n_unique()


@dataclass
class RunSummary:
    run_id: str
    command: str
    db: Path
    files: list[FileResult]
    report: CheckReport
    status: str = "running"
    gate: bool = True
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None
    spill: Spill | None = field(default=None, repr=False)  # where the files' tables wait

    @classmethod
    def start(
        cls, command: str, db: Path, files: list[FileResult], gate: bool,
        spill: Spill | None = None, started: float | None = None,
    ) -> RunSummary:  # fmt: skip
        """The run of these files; `started` is when it began reading them (perf_counter), so
        the time a user is told includes the reading."""
        run_id = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        empty = CheckReport(pl.DataFrame(schema=ISSUE_SCHEMA), pl.DataFrame(schema=RESULT_SCHEMA))
        run = cls(run_id, command, db, files, empty, gate=gate, spill=spill)
        if started is not None:
            run.started = started
        return run

    def finish(self, status: str) -> None:
        self.status, self.finished = status, time.perf_counter()

    @property
    def seconds(self) -> float:
        """From the start of the run to its finish (or to now, while it runs)."""
        return (self.finished or time.perf_counter()) - self.started

    @property
    def rows(self) -> dict[str, int]:
        keys = ("rows_read", "rows_accepted", "rows_quarantined", "rows_warned")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    @property
    def status_label(self) -> str:
        return RUN_STATUS.get(self.status, self.status)

    @property
    def has_blocking(self) -> bool:
        rejected = any(f.status == "rejected" for f in self.files)
        return rejected or self.report.blocking().height > 0

    @property
    def tables(self) -> list[Normalised]:
        return [f.table for f in self.files if f.table is not None]
