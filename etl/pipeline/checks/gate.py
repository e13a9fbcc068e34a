"""The gate's engine: run each export's suites and gather issues, tallies and GX results."""

from __future__ import annotations

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
from etl.pipeline.checks.gx import SuiteSpec, Validation, validate
from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA, RESULT_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW

KINDS = ("submissions", "scores", "outcomes")


def run_gate(
    tables: list[Normalised], known: Known | None = None, province: str | None = None
) -> CheckReport:
    """Row suites on every file, then aggregate suites on the rows they did not quarantine.
    With `province` (a bureau's own check), a row of another province is a finding too."""
    known = known or Known()
    by_kind = {k: [t for t in tables if t.spec.kind == k] for k in KINDS}
    run = _run(by_kind, known)
    gate = _Collector()
    for kind, tables_of_kind in by_kind.items():
        gate.direct(sheets.RULE, kind, *sheets.check(tables_of_kind))
        gate.direct(scope.RULE, kind, *scope.check(tables_of_kind, province))
    if by_kind["submissions"]:
        frame = submissions.derive(by_kind["submissions"])
        gate.rows(submissions.suite(), frame, by_kind["submissions"])
        gate.groups(submissions.groups(gate.surviving(frame), known.submissions))
    if by_kind["scores"]:
        frame = scores.derive(by_kind["scores"], run)
        gate.rows(scores.suite(), frame, by_kind["scores"])
        gate.groups(scores.groups(gate.surviving(frame), run))
    if by_kind["outcomes"]:
        frame = outcomes.derive(by_kind["outcomes"], run)
        gate.rows(outcomes.suite(), frame, by_kind["outcomes"])
        gate.groups(outcomes.groups(gate.surviving(frame)))
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

    def __init__(self) -> None:
        self.issues: list[pl.DataFrame] = []
        self.tally: dict[tuple[str, str], list[int]] = {}
        self.validations: list[Validation] = []

    def rows(self, spec: SuiteSpec, frame: pl.DataFrame, tables: list[Normalised]) -> None:
        headers = {t.raw.sha256: headers_of(t) for t in tables}
        self._run(spec, frame, _batch(tables), headers)

    def surviving(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows no blocking rule quarantined: what aggregates across rows should see."""
        blocked = [
            i.filter(pl.col("severity") == "blocking").select(
                pl.col("file_id").alias(FILE), pl.col(ROW)
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


def _batch(tables: list[Normalised]) -> str:
    """How Data Docs names a batch: the file, or the first file and how many there were."""
    first = tables[0].raw.name
    return first if len(tables) == 1 else f"{first} 等{len(tables)}个文件"
