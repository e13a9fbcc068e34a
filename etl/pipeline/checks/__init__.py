"""The data-quality gate: Great Expectations suites per export, run by every load and check.

Interface used by etl.pipeline.load and the `check` command:

    report = run_checks(tables, known)

`tables` are the normalised files of one run; `known` is what the warehouse already holds
(so a score may refer to a submission loaded last week). The report lists every failing
cell (issues) and every rule's tally (results). A blocking issue quarantines its row; a
warning keeps the row and flags it. Rules, severities and messages:
data/reference/quality_rules.toml; the values they compare against: etl.reference.programme.

How: each module (submissions, scores, outcomes) derives helper columns with polars — null
where a rule does not apply — and gx.py expects them with one GX suite per frame shape.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from etl.pipeline.checks.schemas import ISSUE_SCHEMA, RESULT_SCHEMA

if TYPE_CHECKING:
    from etl.pipeline.checks.gx import Validation
    from etl.pipeline.normalise import Normalised

__all__ = [
    "ISSUE_SCHEMA",
    "RESULT_SCHEMA",
    "CheckReport",
    "Known",
    "import_meanwhile",
    "run_checks",
]


@dataclass(frozen=True)
class Known:
    """Rows already in the warehouse that rules across files need."""

    submissions: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"submission_id": pl.String, "year": pl.Int64, "province": pl.String,
                    "track": pl.String, "category": pl.String, "is_recommended": pl.Boolean}
        )
    )  # fmt: skip
    # Optional extra columns used when present: unit_name, submitted_at (quota order), title
    # (key.changed: an id the warehouse holds arriving with another province, unit, track, title).
    stages: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"submission_id": pl.String, "stage": pl.String}
        )
    )  # submission × stage pairs already scored (score.stage_flow, flow.selected_final)

    def within(self, province: str) -> Known:
        """Only one province's rows: what a bureau's own check may compare its file with."""
        ours = self.submissions.filter(pl.col("province") == province)
        ids = ours.get_column("submission_id").implode()
        return Known(ours, self.stages.filter(pl.col("submission_id").is_in(ids)))


@dataclass(frozen=True)
class CheckReport:
    issues: pl.DataFrame
    results: pl.DataFrame
    validations: tuple[Validation, ...] = ()  # GX results (trimmed), for Data Docs

    def blocking(self) -> pl.DataFrame:
        return self.issues.filter(pl.col("severity") == "blocking")


def run_checks(
    tables: list[Normalised], known: Known | None = None, province: str | None = None
) -> CheckReport:
    """Row suites on every file, then aggregate suites on the rows they did not quarantine.

    Great Expectations is imported here, not at the top: it costs seconds, and commands that
    do not check (status, load --no-gate, the dashboard) should not pay for it.
    """
    from etl.pipeline.checks.gate import run_gate

    return run_gate(tables, known, province)


def import_meanwhile() -> threading.Thread:
    """Start importing the gate (Great Expectations, 2.5–3 s of the interpreter) in a thread,
    while the load reads its files: polars parses a file without the interpreter lock, so the
    two overlap on a second core. run_checks' own import then finds it done, or waits for it."""
    thread = threading.Thread(
        target=importlib.import_module, args=("etl.pipeline.checks.gate",),
        name="import-gate", daemon=True,
    )  # fmt: skip
    thread.start()
    return thread
