"""Shared fixtures: real DuckDB warehouses built by the real loader, never a mock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.pipeline.load import load
from etl.simulate import sample_files

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "load"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse, built once per test session from data/sample (read it, don't write)."""
    target = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    load(sample_files(), target, simulated=True, progress=False)
    return target


@pytest.fixture
def demo_db_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse, for tests that load into it."""
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, target)
    return target


@pytest.fixture(scope="session")
def published_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of one published list (2019) alone: no submission or score file, and two
    units whose province could not be inferred."""
    target = tmp_path_factory.mktemp("published") / "warehouse.duckdb"
    load([FIXTURES / "published_2019.csv"], target, progress=False)
    return target


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test (-m browser, -m 'not browser')."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
