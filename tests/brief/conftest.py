"""The brief's fixtures: the demo warehouse (tests/conftest.py), read through a role's scope,
and an audit log of the test's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from etl.access.scopes import Scope, scoped_connection
from etl.brief.compose import compose
from etl.brief.document import Brief
from etl.brief.source import Source
from etl.config import env_var


@pytest.fixture(autouse=True)
def audit_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes data/audit.duckdb."""
    path = tmp_path / "audit.duckdb"
    monkeypatch.setenv(env_var("audit"), str(path))
    return path


@pytest.fixture
def brief(demo_db: Path) -> Callable[..., Brief]:
    """brief(2024, "浙江", role="bureau") → the document model, as the role would get it."""

    def _compose(year: int, province: str | None = None, role: str = "leader") -> Brief:
        scope = Scope.of(role, province if role == "bureau" else None)
        con = scoped_connection(demo_db, scope.role, scope.province)
        try:
            return compose(Source(con, scope), year, province, scope.label)
        finally:
            con.close()

    return _compose
