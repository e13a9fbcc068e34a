"""Reading an AppTest page the way a user reads it: its words, its KPI cards, its tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard import navigation

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = {spec.title: spec.path for spec in navigation.PAGES.values()}


def texts(at: AppTest) -> str:
    """Everything the page says in words (markdown, captions, notes), joined."""
    parts = [
        e.value
        for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def metric(at: AppTest, label: str) -> str:
    """The value of the first KPI card with that label."""
    return next(m.value for m in at.metric if m.label == label)


def table(at: AppTest, first_header: str) -> pd.DataFrame:
    """The first table whose first column has that header, as a pandas frame."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_header)


def figures(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page, as the figure JSON the browser receives."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def exported_csv(data: bytes) -> tuple[dict[str, str], pl.DataFrame]:
    """A CSV export as its reader sees it: the 说明 lines down to the first blank line, then
    the table (all columns as text, as a spreadsheet shows them)."""
    head, _, body = data.decode("utf-8-sig").partition("\n\n")
    about = {row[0]: row[1] for row in csv.reader(io.StringIO(head))}
    return about, pl.read_csv(io.StringIO(body), infer_schema=False)
