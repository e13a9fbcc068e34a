"""Great Expectations plumbing: one ephemeral context per process, one suite per frame shape.

Each rule is derived as a column with polars (null where the rule does not apply), then
expected with a stock expectation on that column. The context, datasource and suites are built
on first use and reused, so a run pays GX's start-up once. GX's cost per validation is fixed
(about 15 ms per expectation, for building its metric graph in Python), so all files of one
kind are validated as one batch. Failing rows come back as `unexpected_index_list`, positions
in the frame (`_pos`), which carries each row's file and Excel row number.

A large batch (a run's score rows) is validated in chunks (`Chunked`): GX's pandas copy and
its metrics grow with the rows it sees at once, and at --scale 100 one pass over 1.6 M score
rows took 1.4 GB more than the frames themselves. Each chunk keeps its rows' `_pos` as the
pandas index, so failing rows are named the same way, and the chunks' results are merged into
the one result a single pass would have given (counts, percentages, examples, row lists).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from functools import cache

import polars as pl
import polars.selectors as cs

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no telemetry from a ministry's ETL

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.core import ExpectationSuiteValidationResult  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

KEPT_FOR_DOCS = 20  # unexpected values and rows kept per expectation once issues are extracted
PARTIAL = 20  # examples GX keeps per expectation (partial_unexpected_list)
COMPLETE = {"result_format": "COMPLETE", "partial_unexpected_count": PARTIAL}

__all__ = ["Check", "Chunked", "Failure", "SuiteSpec", "Validation", "gxe", "validate"]


@dataclass(frozen=True)
class Check:
    """One expectation and the rule it stands for."""

    rule_id: str
    field: str | None  # the export field an issue names; None for a row- or group-level rule
    expectation: gxe.Expectation
    value: str | None = None  # derived column reported as the value (and {value})
    values: tuple[tuple[str, str], ...] = ()  # message placeholder -> derived column
    constants: tuple[tuple[str, str], ...] = ()  # message placeholder -> fixed text


@dataclass(frozen=True)
class SuiteSpec:
    name: str  # GX suite and asset name, e.g. "submissions", "scores_by_expert"
    kind: str  # the export the suite belongs to
    checks: tuple[Check, ...]

    @property
    def columns(self) -> list[str]:
        """The derived columns the expectations read (only these cross into pandas)."""
        names: dict[str, None] = {}
        for check in self.checks:
            config = check.expectation
            for attr in ("column", "column_A", "column_B"):
                if getattr(config, attr, None):
                    names[getattr(config, attr)] = None
        return list(names)


@dataclass(frozen=True)
class Failure:
    check: Check
    checked: int  # rows (or groups) the rule applied to
    index: list  # failing rows, as positions in the validated frame


@dataclass(frozen=True)
class Validation:
    """One suite run on one batch, kept (trimmed) for the run's quality report."""

    suite: str
    batch: str  # the file name, or what a group suite aggregated
    result: ExpectationSuiteValidationResult


def quiet_context(config: DataContextConfig | None = None):
    """A fresh in-memory context without progress bars or telemetry."""
    config = config or _config()
    return gx.get_context(mode="ephemeral", project_config=config)


def _config() -> DataContextConfig:
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )


class _Gate:
    """The process's GX context, with each suite registered on first use."""

    def __init__(self) -> None:
        self.context = quiet_context()
        self.source = self.context.data_sources.add_pandas("gate")
        self.batches: dict[str, object] = {}
        self.suites: dict[str, gx.ExpectationSuite] = {}

    def register(self, spec: SuiteSpec):
        if spec.name not in self.suites:
            suite = self.context.suites.add(gx.ExpectationSuite(name=spec.name))
            for i, check in enumerate(spec.checks):
                check.expectation.meta = {"check": i, "rule_id": check.rule_id}
                suite.add_expectation(check.expectation)
            asset = self.source.add_dataframe_asset(spec.name)
            self.batches[spec.name] = asset.add_batch_definition_whole_dataframe("whole")
            self.suites[spec.name] = suite
        return self.batches[spec.name], self.suites[spec.name]


@cache
def _gate() -> _Gate:
    return _Gate()


def validate(spec: SuiteSpec, frame: pl.DataFrame, batch: str) -> tuple[list[Failure], Validation]:
    """Run the suite on the frame; the failures per check, and the trimmed result for docs."""
    run = Chunked(spec)
    failures = run.add(frame)
    return failures, run.validation(batch)


class Chunked:
    """One suite over a batch that arrives in chunks, with the result one pass would give."""

    def __init__(self, spec: SuiteSpec) -> None:
        self.spec = spec
        self.results: list[ExpectationSuiteValidationResult] = []

    def add(self, chunk: pl.DataFrame) -> list[Failure]:
        """Validate one chunk (it carries `_pos`); its failing rows per check."""
        result = _run(self.spec, chunk)
        self.results.append(result)
        failures = []
        for outcome in result.results:
            check = self.spec.checks[outcome.expectation_config.meta["check"]]
            counts = outcome.result
            checked = counts.get("element_count", 0) - counts.get("missing_count", 0)
            index = list(counts.get("unexpected_index_list") or [])
            failures.append(Failure(check, checked, index))
        return failures

    def validation(self, batch: str) -> Validation:
        """The chunks' results as one, trimmed for the quality report."""
        result = _merged(self.results)
        for outcome in result.results:
            _trim(outcome.result)
        return Validation(self.spec.name, batch, result)


def _run(spec: SuiteSpec, frame: pl.DataFrame) -> ExpectationSuiteValidationResult:
    definition, suite = _gate().register(spec)
    # Categorical crosses into pandas ~5x faster than text; GX's in-set works the same on it.
    # Integers as floats: pandas would type a column int64 in a chunk without nulls and
    # float64 in one with them, so the examples shown would depend on where a chunk ends.
    data = frame.select(spec.columns).with_columns(
        pl.col(pl.String).cast(pl.Categorical), cs.integer().cast(pl.Float64)
    )
    data = data.to_pandas()
    data.index = frame.get_column("_pos").to_numpy()
    return definition.get_batch(batch_parameters={"dataframe": data}).validate(
        suite, result_format=COMPLETE
    )


def _merged(results: list[ExpectationSuiteValidationResult]) -> ExpectationSuiteValidationResult:
    """The first chunk's result object, its counts replaced by the sums over every chunk."""
    first = results[0]
    if len(results) == 1:
        return first
    by_check = [{o.expectation_config.meta["check"]: o for o in r.results} for r in results]
    for outcome in first.results:
        parts = [chunk[outcome.expectation_config.meta["check"]] for chunk in by_check]
        outcome.success = all(p.success for p in parts)
        outcome.result = _summed([p.result for p in parts])
    passed = sum(o.success for o in first.results)
    evaluated = len(first.results)
    first.success = passed == evaluated
    first.statistics.update(
        successful_expectations=passed,
        unsuccessful_expectations=evaluated - passed,
        success_percent=passed / evaluated * 100 if evaluated else None,
    )
    return first


def _summed(parts: list[dict]) -> dict:
    """One expectation's COMPLETE result over all chunks, as GX's _format_map_output computes
    it for one pass: summed counts, percentages of the sums, lists joined in row order."""
    n = sum(p.get("element_count", 0) for p in parts)
    bad = sum(p.get("unexpected_count", 0) or 0 for p in parts)
    values = [v for p in parts for v in p.get("unexpected_list") or []]
    index = [i for p in parts for i in p.get("unexpected_index_list") or []]
    out = dict(parts[0], element_count=n, unexpected_count=bad)
    if "missing_count" in out:
        missing = sum(p["missing_count"] for p in parts)
        present = n - missing
        share = bad / present * 100 if n and present else None
        out.update(missing_count=missing, missing_percent=missing / n * 100 if n else None,
                   unexpected_percent_nonmissing=share, unexpected_percent=share,
                   unexpected_percent_total=bad / n * 100 if n else None)  # fmt: skip
    else:
        out["unexpected_percent"] = bad / n * 100 if n else None
    for key, joined in (("unexpected_list", values), ("unexpected_index_list", index)):
        if key in out:
            out[key] = joined
            out[f"partial_{key}"] = joined[:PARTIAL]
    if "partial_unexpected_counts" in out:
        out["partial_unexpected_counts"] = _most_common(values)
    out.pop("unexpected_index_query", None)
    return out


def _most_common(values: list) -> list[dict]:
    hashable = [tuple(v.values()) if isinstance(v, dict) else v for v in values]
    try:
        counted = Counter(hashable).most_common(PARTIAL)
        return [{"value": v, "count": n} for v, n in sorted(counted, key=lambda x: (-x[1], x[0]))]
    except TypeError:
        return [{"error": "partial_exception_counts requires a hashable type"}]


def _trim(counts: dict) -> None:
    """Keep what the quality report shows; the full row lists already became issues."""
    for key in ("unexpected_list", "unexpected_index_list"):
        if key in counts:
            counts[key] = counts[key][:KEPT_FOR_DOCS]
    counts.pop("unexpected_index_query", None)
