"""The dashboard's one way into the warehouse: a read-only connection per warehouse version.

The loader never writes the warehouse in place: it builds a copy and swaps it in with
os.replace, so every build is a new inode. A connection opened on the old inode keeps
reading the old file, consistently, until the next rerun notices the new inode and opens it.

Why ATTACH and not duckdb.connect(path): DuckDB caches one database instance per path in a
process, so connect() on a swapped path hands back the old file while any connection to it
lives. An in-memory database that attaches the file read-only opens the file anew.

Nothing here writes or takes a write lock. This module only says which build is on disk (and
reads meta.warehouse, which every role may see, for its label); data is read in
dashboard.queries.run, on the session role's scoped database (etl.access.scopes). Pages never import
this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import streamlit as st

from etl.config import db_path

BUILD_COMMAND = "python -m etl demo"
_CATALOG = "warehouse"


class WarehouseMissing(Exception):
    """The warehouse file does not exist, or is not a built warehouse."""

    def __init__(self, path: Path, reason: str = "") -> None:
        super().__init__(f"{path}: {reason}" if reason else str(path))
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Version:
    """One build of the warehouse: its file (path, inode, mtime) and its meta.warehouse row."""

    path: str
    inode: int
    mtime_ns: int
    version: str
    built_at: datetime | None
    data_as_of: datetime | None
    is_simulated: bool


def current() -> Version:
    """The warehouse on disk now: one stat, then a cached lookup (opened once per version)."""
    path = db_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise WarehouseMissing(path) from None
    return _open(str(path), stat.st_ino, stat.st_mtime_ns).version


@dataclass(frozen=True)
class _Opened:
    con: duckdb.DuckDBPyConnection
    version: Version


def _close(opened: _Opened) -> None:
    opened.con.close()


# Two entries: the version being served and, just after a swap, the one before it.
@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _open(path: str, inode: int, mtime_ns: int) -> _Opened:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach ? as {_CATALOG} (read_only)", [path])
        con.execute(f"use {_CATALOG}")
        row = con.execute(
            "select version, built_at, data_as_of, is_simulated from meta.warehouse"
        ).fetchone()
    except duckdb.Error as exc:
        con.close()
        raise WarehouseMissing(Path(path), str(exc)) from None
    if row is None:
        con.close()
        raise WarehouseMissing(Path(path), "meta.warehouse 为空：仓库尚未完成构建")
    return _Opened(con, Version(path, inode, mtime_ns, row[0], row[1], row[2], bool(row[3])))
