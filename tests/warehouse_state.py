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


# What differs between two runs that load the same files: run ids, versions, clocks, timings.
VOLATILE = frozenset({"run_id", "version", "built_at", "started_at", "finished_at",
                      "data_as_of", "seconds", "read_seconds", "check_seconds", "stage_seconds"})  # fmt: skip


def whole(db: Path) -> dict[str, tuple[int, str]]:
    """fingerprint() of every table of every schema (raw, core, mart, meta, ref), each without
    the VOLATILE columns: equal for a warehouse and a twin that loaded the same files in the
    same order, different if any table holds a row the other does not. A warehouse that is
    part one load and part another (or part before) cannot equal either."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "select schema_name || '.' || table_name, list(column_name order by column_index) "
            "from duckdb_columns() where database_name = current_database() group by all"
        ).fetchall()
        return {
            table: con.execute(
                f"select count(*), coalesce(md5(string_agg(r::varchar, '|' order by r::varchar)),"
                f" '') from (select {kept} from {table}) r"
            ).fetchone()
            for table, names in sorted(columns)
            if (kept := ", ".join(f'"{c}"' for c in names if c not in VOLATILE))
        }
