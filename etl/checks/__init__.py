"""The data-quality gate: one Great Expectations suite per export, run by every load and check.

Interface used by etl.load and the `check` command:

    report = run_checks(tables, known)

`tables` are the normalised files of one run; `known` is what the warehouse already holds
(so a score may refer to a submission loaded last week). The report lists every failing
cell (issues) and every rule's tally (results). A blocking issue quarantines its row; a
warning keeps the row and flags it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from etl.normalise import Normalised

ISSUE_SCHEMA = {
    "file_id": pl.String,  # sha256 of the file
    "kind": pl.String,  # submissions | scores | outcomes
    "_row": pl.Int64,  # Excel row number; null for a rule about a group (e.g. an expert)
    "field": pl.String,  # English field name, null when the rule is about the row
    "value": pl.String,  # the cell as the sender wrote it
    "rule_id": pl.String,
    "severity": pl.String,  # blocking | warning
    "message": pl.String,  # Chinese, actionable
}
RESULT_SCHEMA = {
    "rule_id": pl.String,
    "kind": pl.String,
    "description": pl.String,  # Chinese
    "severity": pl.String,
    "checked": pl.Int64,
    "failed": pl.Int64,
}


@dataclass(frozen=True)
class Known:
    """Rows already in the warehouse that rules across files need."""

    submissions: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"submission_id": pl.String, "year": pl.Int64, "province": pl.String,
                    "track": pl.String, "category": pl.String, "is_recommended": pl.Boolean}
        )
    )


@dataclass(frozen=True)
class CheckReport:
    issues: pl.DataFrame
    results: pl.DataFrame

    def blocking(self) -> pl.DataFrame:
        return self.issues.filter(pl.col("severity") == "blocking")


def run_checks(tables: list[Normalised], known: Known | None = None) -> CheckReport:
    """Placeholder until the Great Expectations suites land: no issues."""
    return CheckReport(pl.DataFrame(schema=ISSUE_SCHEMA), pl.DataFrame(schema=RESULT_SCHEMA))
