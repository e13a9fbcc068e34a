"""AppTest fixtures: the real app against the real demo warehouse (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from page_reading import APP, PAGES
from streamlit.testing.v1 import AppTest

from etl.config import env_var

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test starts cold: no cached connection or query result from another test."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def _private_users_and_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes data/users.toml or data/audit.duckdb: both live in tmp_path (no
    users file = demo mode, as the app runs without configuration)."""
    monkeypatch.setenv(env_var("users"), str(tmp_path / "users.toml"))
    monkeypatch.setenv(env_var("audit"), str(tmp_path / "audit.duckdb"))
    monkeypatch.delenv(env_var("trusted_header"), raising=False)
    return tmp_path


@pytest.fixture
def warehouse(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(env_var("db"), str(demo_db))
    return demo_db


@pytest.fixture
def open_page(warehouse: Path) -> Callable[..., AppTest]:
    """open_page("地区分布", province="浙江") → the app run once on that page with that URL."""

    def _open(title: str = "总览", **params: str | list[str]) -> AppTest:
        """?role=bureau&as=浙江 (demo mode's switcher) opens the page as that role."""
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        if title != "总览":
            at.switch_page(PAGES[title])
        return at.run()

    return _open


@pytest.fixture
def sql(warehouse: Path) -> Callable[..., object]:
    """sql("select …", [params]) → the single value the query returns."""

    def _one(query: str, params: list | None = None) -> object:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(query, params or []).fetchall()[0][0]

    return _one


@pytest.fixture
def open_published(published_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """open_page on the published-list warehouse."""
    monkeypatch.setenv(env_var("db"), str(published_db))

    def _open(title: str, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(PAGES[title])
        return at.run()

    return _open
