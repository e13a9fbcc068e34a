"""Great Expectations plumbing: one ephemeral context per process, one suite per frame shape.

Each rule is derived as a column with polars (null where the rule does not apply), then
expected with a stock expectation on that column. The context, datasource and suites are built
on first use and reused, so a run pays GX's start-up once. GX's cost per validation is fixed
(about 15 ms per expectation, for building its metric graph in Python), so all files of one
kind are validated as one batch. Failing rows come back as `unexpected_index_list`, positions
in the frame (`_pos`), which carries each row's file and Excel row number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import polars as pl

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no telemetry from a ministry's ETL

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.core import ExpectationSuiteValidationResult  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

COMPLETE = {"result_format": "COMPLETE"}
KEPT_FOR_DOCS = 20  # unexpected values and rows kept per expectation once issues are extracted

__all__ = ["Check", "Failure", "SuiteSpec", "Validation", "gxe", "validate"]


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
    definition, suite = _gate().register(spec)
    # Categorical crosses into pandas ~5x faster than text; GX's in-set works the same on it.
    data = frame.select(spec.columns).with_columns(pl.col(pl.String).cast(pl.Categorical))
    data = data.to_pandas()
    result = definition.get_batch(batch_parameters={"dataframe": data}).validate(
        suite, result_format=COMPLETE
    )
    failures = []
    for outcome in result.results:
        check = spec.checks[outcome.expectation_config.meta["check"]]
        counts = outcome.result
        checked = counts.get("element_count", 0) - counts.get("missing_count", 0)
        failures.append(Failure(check, checked, list(counts.get("unexpected_index_list") or [])))
        _trim(counts)
    return failures, Validation(spec.name, batch, result)


def _trim(counts: dict) -> None:
    """Keep what the quality report shows; the full row lists already became issues."""
    for key in ("unexpected_list", "unexpected_index_list"):
        if key in counts:
            counts[key] = counts[key][:KEPT_FOR_DOCS]
    counts.pop("unexpected_index_query", None)
