"""The shapes the gate hands to the loader (etl.pipeline.load, etl.pipeline.stage) and the reports."""

from __future__ import annotations

import polars as pl

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
