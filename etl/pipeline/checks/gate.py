"""The gate's engine: run each export's suites and gather issues, tallies and GX results."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from etl.pipeline.checks import (
    CheckReport,
    Known,
    outcomes,
    scope,
    scores,
    sheets,
    submissions,
    summary,
    totals,
)
from etl.pipeline.checks.common import FILE, Run, headers_of, issues
from etl.pipeline.checks.gx import Chunked, SuiteSpec, Validation, validate
from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA, RESULT_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW

KINDS = ("submissions", "scores", "outcomes")
# Rows GX validates at once. Its pandas copy and metrics grow with the rows it sees, its cost
# per validation is fixed (about 0.5 s for the 评分表 suite). With the run's tables on disk
# (etl/pipeline/spill.py) the chunk is the gate's largest frame: 100k rows keeps a load at
# --scale 100 under 1 GB (250k: 1.13 GB), for about ten more validations there.
CHUNK_ROWS = 100_000


def run_gate(
    tables: list[Normalised],
    known: Known | None = None,
    province: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> CheckReport:
    """Row suites on every file, then aggregate suites on the rows they did not quarantine.
    With `province` (a bureau's own check), a row of another province is a finding too."""
    known = known or Known()
    by_kind = {k: [t for t in tables if t.spec.kind == k] for k in KINDS}
    run = _run(by_kind, known)
    gate = _Collector(chunk_rows)
    for kind, tables_of_kind in by_kind.items():
        gate.direct(sheets.RULE, kind, *sheets.check(tables_of_kind))
        gate.direct(scope.RULE, kind, *scope.check(tables_of_kind, province))
    if found := by_kind["submissions"]:
        kept = gate.rows(submissions.suite(), submissions.derive(found), found, submissions.KEPT)
        gate.groups(submissions.groups(gate.surviving(kept), known.submissions))
    if found := by_kind["scores"]:
        kept = gate.rows(scores.suite(), scores.derive(found, run), found, scores.KEPT)
        gate.groups(scores.groups(gate.surviving(kept), run))
    if found := by_kind["outcomes"]:
        kept = gate.rows(outcomes.suite(), outcomes.derive(found, run), found, outcomes.KEPT)
        gate.groups(outcomes.groups(gate.surviving(kept)))
    for kind, tables_of_kind in by_kind.items():
        gate.direct(totals.RULE, kind, *totals.check(tables_of_kind))
    gate.direct(summary.MEAN, "scores", *summary.means(by_kind["scores"]))
    gate.direct(summary.RANK, "scores", *summary.ranks(by_kind["scores"]))
    return gate.report()


def _run(by_kind: dict[str, list[Normalised]], known: Known) -> Run:
    """This run's submissions and scored stages, ahead of the warehouse's."""
    lookup = ["submission_id", "year", "province"]
    ours = [t.frame.select(lookup) for t in by_kind["submissions"]]
    theirs = known.submissions.select(lookup)
    found = pl.concat([*ours, theirs], how="vertical_relaxed").filter(
        pl.col("submission_id").is_not_null()
    )
    submitted = found.unique("submission_id", keep="first", maintain_order=True)
    pairs = [t.frame.select("submission_id", "stage") for t in by_kind["scores"]]
    scored = pl.concat([*pairs, known.stages.select("submission_id", "stage")],
                       how="vertical_relaxed").drop_nulls().unique()  # fmt: skip
    years = scored.join(submitted, on="submission_id").get_column("year").drop_nulls().unique()
    return Run(submitted, scored, frozenset(years.to_list()))


class _Collector:
    """Runs suites and gathers their issues, per-rule tallies and GX results."""

    def __init__(self, chunk_rows: int) -> None:
        self.chunk_rows = chunk_rows
        self.issues: list[pl.DataFrame] = []
        self.tally: dict[tuple[str, str], list[int]] = {}
        self.validations: list[Validation] = []

    def rows(
        self, spec: SuiteSpec, frames: Iterator[pl.DataFrame], tables: list[Normalised],
        kept: tuple[str, ...],
    ) -> pl.DataFrame:  # fmt: skip
        """Validate each file's rows in chunks, as one batch; the `kept` columns of every row."""
        headers = {t.raw.sha256: headers_of(t) for t in tables}
        run, narrow = Chunked(spec), []

        def kept_of(frames: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
            for frame in frames:
                narrow.append(frame.select(kept))
                yield frame

        for chunk in _chunks(kept_of(frames), self.chunk_rows):
            self._record(spec, run.add(chunk), chunk, headers)
        self.validations.append(run.validation(_batch(tables)))
        return pl.concat(narrow, how="diagonal_relaxed")

    def surviving(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows no blocking rule quarantined: what aggregates across rows should see."""
        blocked = [
            i.filter(pl.col("severity") == "blocking").select(
                pl.col("file_id").cast(pl.Categorical).alias(FILE), pl.col(ROW)
            )
            for i in self.issues
        ]
        keys = pl.concat(blocked).unique() if blocked else None
        if keys is None or keys.is_empty():
            return frame
        return frame.join(keys, on=[FILE, ROW], how="anti", maintain_order="left")

    def groups(self, suites: list[tuple[SuiteSpec, pl.DataFrame]]) -> None:
        for spec, frame in suites:
            self._run(spec, frame, "本次导入合计", {})

    def direct(self, rule_id: str, kind: str, found: pl.DataFrame, checked: int) -> None:
        """Issues of a rule checked without GX (a few rows, not a column of a frame)."""
        if checked:
            counts = self.tally.setdefault((rule_id, kind), [0, 0])
            counts[0] += checked
            counts[1] += found.height
        if found.height:
            self.issues.append(found)

    def _run(self, spec: SuiteSpec, frame: pl.DataFrame, batch: str, headers: dict) -> None:
        failures, validation = validate(spec, frame, batch)
        self.validations.append(validation)
        self._record(spec, failures, frame, headers)

    def _record(self, spec: SuiteSpec, failures: list, frame: pl.DataFrame, headers: dict) -> None:
        for failure in failures:
            counts = self.tally.setdefault((failure.check.rule_id, spec.kind), [0, 0])
            counts[0] += failure.checked
            counts[1] += len(failure.index)
            if failure.index:
                self.issues.append(issues(failure, frame, spec.kind, headers))

    def report(self) -> CheckReport:
        found = pl.concat(self.issues) if self.issues else pl.DataFrame(schema=ISSUE_SCHEMA)
        kind_order = pl.col("kind").replace_strict(KINDS, list(range(len(KINDS))))
        found = found.sort([kind_order, "file_id", ROW, "rule_id"], nulls_last=True,
                           maintain_order=True)  # fmt: skip
        table = rules()
        results = pl.DataFrame(
            [
                (rule_id, kind, table[rule_id].description, table[rule_id].severity, n, bad)
                for (rule_id, kind), (n, bad) in self.tally.items()
            ],
            schema=RESULT_SCHEMA,
            orient="row",
        )
        return CheckReport(found, results, tuple(self.validations))


def _chunks(frames: Iterator[pl.DataFrame], size: int) -> Iterator[pl.DataFrame]:
    """The files' rows in order, about `size` at a time across file boundaries (GX's cost per
    validation is fixed), each chunk ending between Excel rows: the score rows of one row of
    a scoring summary stay together, so their issues keep one pass's order. At least one
    chunk, so that a batch of empty files still counts its rules."""
    held, count, yielded = [], 0, False
    for frame in frames:
        last, start = frame, 0
        while start < frame.height:
            end = _edge(frame, min(start + size - count, frame.height))
            held.append(frame.slice(start, end - start))
            count, start = count + end - start, end
            if count >= size:
                yield pl.concat(held, how="diagonal_relaxed")
                held, count, yielded = [], 0, True
    if held or not yielded:
        yield pl.concat(held or [last], how="diagonal_relaxed")


def _edge(frame: pl.DataFrame, end: int) -> int:
    """`end`, moved on past the rest of its Excel row's score rows."""
    rows = frame.get_column(ROW)
    while 0 < end < frame.height and rows[end] == rows[end - 1]:
        end += 1
    return end


def _batch(tables: list[Normalised]) -> str:
    """How Data Docs names a batch: the file, or the first file and how many there were."""
    first = tables[0].raw.name
    return first if len(tables) == 1 else f"{first} 等{len(tables)}个文件"
