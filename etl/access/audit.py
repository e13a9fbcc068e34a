"""The audit log (审计日志): who signed in, failed to, exported, uploaded or queried what.

It lives in its own DuckDB file, data/audit.duckdb (table meta.audit), not in the warehouse: a
load builds a new warehouse and swaps it in, and the dashboard opens the warehouse read-only,
so a log kept there would be lost or unwritable. Each event is one short transaction; the
file is opened only for that moment, so the CLI and the dashboard can both write to it, one writer at a time (etl.writing). The
admin role sees it as meta.audit in its scoped database (etl/access/scopes.py).

Never pass a password, a session token or a secret as `detail`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from etl.config import setting_path
from etl.glossary import AUDIT_ACTIONS
from etl.writing import writer_lock

_SCHEMA = """
create schema if not exists meta;
create table if not exists meta.audit (
    logged_at timestamp, who varchar, role varchar, action varchar, detail varchar, rows bigint
);
"""
EVENT_SCHEMA = {
    "logged_at": pl.Datetime("us"),
    "who": pl.String,
    "role": pl.String,
    "action": pl.String,
    "detail": pl.String,
    "rows": pl.Int64,
}
_MAX_DETAIL = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers


def audit_path(explicit: str | os.PathLike | None = None) -> Path:
    """The audit file: an explicit path wins, then $CONVERGENCE_AUDIT, then data/audit.duckdb."""
    return setting_path("audit", explicit)


def record(
    who: str,
    action: str,
    detail: str = "",
    rows: int | None = None,
    *,
    role: str | None = None,
    path: str | os.PathLike | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event to meta.audit (action: a key of etl.glossary.AUDIT_ACTIONS)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"未知的审计动作：{action}")
    name = _clean(who, 200).replace("\n", " ").replace("\t", " ")
    event = [at or datetime.now(), name, role, action, _clean(detail), rows]
    with _connection(path) as con:
        con.execute("insert into meta.audit values (?, ?, ?, ?, ?, ?)", event)


def events(
    path: str | os.PathLike | None = None,
    *,
    who: str | None = None,
    since: datetime | None = None,
) -> pl.DataFrame:
    """Audit events, oldest first, optionally for one name and from a moment on."""
    if not audit_path(path).exists():  # reading creates nothing (version() stays the same)
        return pl.DataFrame(schema=EVENT_SCHEMA)
    sql = "select * from meta.audit where ($who is null or who = $who)"
    sql += " and ($since is null or logged_at >= $since) order by logged_at, rowid"
    with _connection(path) as con:
        return con.sql(sql, params={"who": who, "since": since}).pl()


def version(path: str | os.PathLike | None = None) -> tuple:
    """Changes whenever an event is written, by any process (a cache key; no file opened)."""
    target = audit_path(path)
    return tuple(
        (s.st_mtime_ns, s.st_size) if (s := _stat(f)) else None
        for f in (target, target.with_name(target.name + ".wal"))
    )


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


@contextmanager
def _connection(path: str | os.PathLike | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; another process holding the file makes us wait, briefly."""
    target = audit_path(path)
    with writer_lock(target):
        _set_aside_if_empty(target)
        con = _connect_with_retry(target)
        try:
            con.execute(_SCHEMA)
            yield con
        finally:
            con.close()


def _set_aside_if_empty(target: Path) -> None:
    """A file shorter than DuckDB's headers (left by a full disk) holds no event and would fail
    every write after it: it is moved aside, and a new log is begun."""
    stat = _stat(target)
    if stat is not None and stat.st_size < _HEADER_BYTES:
        target.rename(target.with_name(f"{target.name}.unreadable-{time.time_ns()}"))
        target.with_name(target.name + ".wal").unlink(missing_ok=True)


def _connect_with_retry(target: Path, seconds: float = 5.0) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return duckdb.connect(str(target))
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _clean(text: str | None, limit: int = _MAX_DETAIL) -> str:
    """Printable text (tabs and line breaks kept, as SQL has them), cut to a length."""
    kept = _CONTROL.sub(" ", str(text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"
