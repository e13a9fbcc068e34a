"""Dashboard benchmark: each page's warm rerun and a filter change, beside the floors.

Floors measured in the same process and run: an empty Streamlit page's warm rerun (what
Streamlit itself costs), and the raw time of the SQL the page runs (each query the page
asked queries.run for, executed directly on a fresh read-only connection, uncached).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import navigation
from etl.config import ROOT, env_var

APP = ROOT / "dashboard" / "app.py"
RUNS = 7


def pages() -> dict[str, str]:
    """Title → script path, from the page table the router draws (dashboard.navigation)."""
    return {spec.title: spec.path for spec in navigation.PAGES.values()}


def _median_rerun(at: AppTest, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def empty_page_rerun() -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write("import streamlit as st\n")
    try:
        at = AppTest.from_file(handle.name, default_timeout=60)
        at.run()
        return _median_rerun(at)
    finally:
        os.unlink(handle.name)


def _recorded_queries(at: AppTest) -> list[tuple[str, dict]]:
    """The (name, params) of every query one rerun of the page asks for."""
    from dashboard import queries

    calls: list[tuple[str, dict]] = []
    original = queries.run

    def recording(name: str, **params: object):
        calls.append((name, params))
        return original(name, **params)

    queries.run = recording
    try:
        at.run()
    finally:
        queries.run = original
    return calls


def raw_sql_seconds(db: Path, calls: list[tuple[str, dict]]) -> float:
    from dashboard import queries

    with duckdb.connect(str(db), read_only=True) as con:
        started = time.perf_counter()
        for name, params in calls:
            con.sql(queries._sql(name), params=params).pl()
        return time.perf_counter() - started


def _year_box(at: AppTest):
    return next((s for s in at.sidebar.selectbox if s.label == "年度"), None)


def filter_change(at: AppTest) -> float | None:
    """Median time of switching the 年度 filter between two years, both already cached."""
    box = _year_box(at)
    if box is None or len(box.options) < 2:
        return None
    choices = [box.options[0], box.options[1]]
    for choice in choices:  # warm both
        _year_box(at).set_value(choice)
        at.run()
    times = []
    for i in range(RUNS):
        _year_box(at).set_value(choices[i % 2])
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_pages(db: Path) -> dict[str, object]:
    os.environ[env_var("db")] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    empty = empty_page_rerun()
    results = []
    for title, path in pages().items():
        at = AppTest.from_file(str(APP), default_timeout=120)
        if path != next(iter(pages().values())):
            at.switch_page(path)
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        assert not at.exception, f"{title}: {at.exception}"
        if not any(t.value == title for t in at.title):
            continue  # not a page of the demo's default role (the leader): e.g. 上传导入
        warm = _median_rerun(at)
        calls = _recorded_queries(at)
        results.append(
            {
                "title": title,
                "cold": cold,
                "warm": warm,
                "sql": raw_sql_seconds(db, calls),
                "queries": len(calls),
                "filter": filter_change(at),
            }
        )
    return {"empty": empty, "pages": results}


def table(by_scale: dict[int, dict[str, object]]) -> list[str]:
    lines = [
        "| scale | page | warm rerun | empty page | over empty | raw SQL of the page (queries) | filter change (年度) | cold first run |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, result in by_scale.items():
        empty = result["empty"]
        for p in result["pages"]:
            change = "—" if p["filter"] is None else f"{p['filter'] * 1000:.0f} ms"
            lines.append(
                f"| {scale} | {p['title']} | {p['warm'] * 1000:.0f} ms | {empty * 1000:.0f} ms | "
                f"+{(p['warm'] - empty) * 1000:.0f} ms | {p['sql'] * 1000:.0f} ms ({p['queries']}) | "
                f"{change} | {p['cold'] * 1000:.0f} ms |"
            )
    return lines
