"""Helpers for tests that compare a warehouse before and after something happens."""

from __future__ import annotations

from pathlib import Path

import duckdb

CORE_TABLES = ("core.submissions", "core.scores", "core.units")


def fingerprint(db: Path, tables: tuple[str, ...] = CORE_TABLES) -> dict[str, tuple[int, str]]:
    """(row count, content hash) per table: equal fingerprints mean equal tables."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(
                f"select count(*), coalesce(md5(string_agg(t::varchar, '|' "
                f"order by t::varchar)), '') from {table} t"
            ).fetchone()
            for table in tables
        }


def scalar(db: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
