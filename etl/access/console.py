"""The SQL console (SQL 查询台): one read-only query on a role's scoped database.

The scoped database (etl/access/scopes.py) already holds only what the role may see, is opened
read-only, cannot reach files, the network or extensions, and has its configuration locked.
The console adds what a shared service needs on top: exactly one statement, and only a query
(SELECT, or EXPLAIN of one); a time limit; a row cap and a size cap (bytes, so one huge value
cannot pass as one row); and errors in plain Chinese.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from etl.access import audit
from etl.access.scopes import Scope, policy
from etl.config import SQL_DIR

EXAMPLES_DIR = SQL_DIR / "examples"
_BATCH_ROWS = 2048
# The bounds a caller may set the limits within (access.toml sets the defaults).
LIMITS = {"timeout": (1, 300, "秒"), "max_rows": (1, 1_000_000, "行")}

_STATEMENT_LABEL = {
    "INSERT": "插入数据（INSERT）",
    "UPDATE": "修改数据（UPDATE）",
    "DELETE": "删除数据（DELETE）",
    "CREATE": "创建对象（CREATE）",
    "DROP": "删除对象（DROP）",
    "ALTER": "修改表结构（ALTER）",
    "ATTACH": "挂载数据库（ATTACH）",
    "DETACH": "卸载数据库（DETACH）",
    "COPY": "读写文件（COPY）",
    "EXPORT": "导出数据库（EXPORT）",
    "SET": "修改设置（SET/RESET/USE）",
    "PRAGMA": "修改设置（PRAGMA/IMPORT）",
    "LOAD": "安装或加载扩展（INSTALL/LOAD）",
    "CALL": "调用过程（CALL）",
    "TRANSACTION": "事务控制（BEGIN/COMMIT）",
    "VACUUM": "整理数据库（VACUUM/ANALYZE）",
    "PREPARE": "预备语句（PREPARE）",
    "EXECUTE": "执行预备语句（EXECUTE）",
    "MULTI": "多步语句（如独立的 PIVOT；可改写为 SELECT * FROM (PIVOT …)）",
    "UNKNOWN": "连接或其他非查询语句",
}


class ConsoleRefused(Exception):
    """The query was not run, or was stopped; `message` says why, in Chinese."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason  # refused | syntax | missing | files | timeout | memory | size | error


@dataclass(frozen=True)
class ConsoleResult:
    frame: pl.DataFrame
    truncated: bool  # more rows existed than the cap; `frame` holds the first `row_cap`
    seconds: float
    row_cap: int
    out_of_range: tuple[str, ...] = ()  # date/time columns shown as text (DuckDB's infinity)

    @property
    def notice(self) -> str:
        """What to say under the result table."""
        took = f"用时 {self.seconds:.2f} 秒"
        if self.truncated:
            return f"结果超过 {self.row_cap:,} 行，只显示前 {self.row_cap:,} 行；{took}"
        return f"{self.frame.height:,} 行，{took}"


@dataclass(frozen=True)
class Example:
    name: str  # file stem
    title: str  # the Chinese title on line 1
    sql: str


def run_console(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float | None = None,
    row_cap: int | None = None,
) -> ConsoleResult:
    """Run one read-only query on a scoped connection, or raise ConsoleRefused.

    The limits default to access.toml's [console] section.
    """
    timeout_s = checked_limit("timeout", policy().timeout_s if timeout_s is None else timeout_s)
    row_cap = checked_limit("max_rows", policy().row_cap if row_cap is None else row_cap)
    query = _one_query(con, sql)
    cursor = con.cursor()
    timer = threading.Timer(timeout_s, cursor.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        table = _fetch(cursor, _sized(cursor, query), row_cap + 1)
    except duckdb.InterruptException as exc:
        raise ConsoleRefused(
            f"查询超过 {timeout_s:g} 秒，已停止；请缩小范围（加 WHERE 条件、先聚合或加 LIMIT）后重试",
            "timeout",
        ) from exc
    except duckdb.InvalidInputException as exc:
        raise (_too_large() if _TOO_LARGE in str(exc) else _translated(exc, query, con)) from exc
    except duckdb.Error as exc:
        raise _translated(exc, query, con) from exc
    finally:
        timer.cancel()
        cursor.close()
    seconds = time.perf_counter() - started
    frame, odd = _frame(_unique_names(table.slice(0, row_cap)))
    return ConsoleResult(frame, table.num_rows > row_cap, seconds, row_cap, odd)


def checked_limit(name: str, value: object) -> int:
    """A limit (LIMITS) as a whole number within its bounds, else ConsoleRefused saying so:
    0, -1, nan or 1e9 would stop nothing or everything."""
    low, high, unit = LIMITS[name]
    try:
        number = float(str(value).strip())
    except ValueError:
        number = math.nan
    if not (low <= number <= high) or number != int(number):
        raise ConsoleRefused(
            f"{_LIMIT_LABEL[name]}须为 {low} 到 {high:,} 之间的整数（{unit}），收到“{value}”",
            "refused",
        )
    return int(number)


_LIMIT_LABEL = {"timeout": "时间上限", "max_rows": "行数上限"}


def run_audited(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    who: str,
    scope: Scope,
    timeout_s: float | None = None,
    row_cap: int | None = None,
) -> ConsoleResult:
    """run_console, with the query and its row count (or its refusal) in the audit log."""
    try:
        result = run_console(con, sql, timeout_s=timeout_s, row_cap=row_cap)
    except ConsoleRefused as refused:
        audit.record(who, "console", f"已拒绝（{refused.reason}）：{sql}", None, role=scope.key)
        raise
    audit.record(who, "console", sql, result.frame.height, role=scope.key)
    return result


def examples() -> list[Example]:
    """The saved example queries of sql/examples/, by file name."""
    return [_example(p) for p in sorted(EXAMPLES_DIR.glob("*.sql"))]


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """schema.table of every table the connection's role may read, in order."""
    rows = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables() "
        "where not internal order by schema_name, table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    title = text.splitlines()[0].removeprefix("--").strip()
    return Example(path.stem, title, text)


def _one_query(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The statement's text if it is exactly one query; else ConsoleRefused."""
    if not sql or not sql.strip():
        raise ConsoleRefused("请输入一条查询语句（SELECT）", "refused")
    statements = _statements(con, sql)
    if len(statements) != 1:
        raise ConsoleRefused(
            f"一次只能运行一条查询语句，这里有 {len(statements)} 条；请去掉分号后面的语句",
            "refused",
        )
    statement = statements[0]
    kind = _kind(statement)
    if kind == "EXPLAIN":
        inner = re.sub(
            r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*explain\s+(?:analyze\s+)?(?:\([^)]*\)\s*)?",
            "",
            statement.query,
            count=1,
            flags=re.I | re.S,
        )
        inner_statements = _statements(con, inner)
        if len(inner_statements) == 1 and _kind(inner_statements[0]) == "SELECT":
            return statement.query
        kind = _kind(inner_statements[0]) if inner_statements else kind
    if kind != "SELECT":
        raise _not_a_query(_STATEMENT_LABEL.get(kind, kind))
    return statement.query


def _statements(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    try:
        return con.extract_statements(sql)
    except duckdb.ParserException as exc:
        raise ConsoleRefused(_syntax_message(str(exc)), "syntax") from exc


def _kind(statement) -> str:
    try:
        return statement.type.name
    except ValueError:  # a type this client has no name for, such as CONNECT
        return "UNKNOWN"


def _not_a_query(what: str) -> ConsoleRefused:
    return ConsoleRefused(
        f"只允许查询（SELECT），不允许修改数据或设置；收到的是：{what}", "refused"
    )


def _fetch(cursor: duckdb.DuckDBPyConnection, query: str, limit: int) -> pa.Table:
    """At most `limit` rows and access.toml's result_mb, streamed: a huge result is never
    built in full, and a batch too large is dropped before it becomes a data frame."""
    reader = cursor.sql(query).to_arrow_reader(_BATCH_ROWS)
    batches, rows, size = [], 0, 0
    try:
        for batch in reader:
            size += batch.nbytes
            if size > policy().result_mb * 2**20:
                raise _too_large(size)
            batches.append(batch)
            rows += batch.num_rows
            if rows >= limit:
                break
    finally:
        reader.close()
    return pa.Table.from_batches(batches, schema=reader.schema).slice(0, limit)


def _sized(cursor: duckdb.DuckDBPyConnection, query: str) -> str:
    """The query with every text or binary value held to the size cap inside DuckDB, before
    any of it is converted: `select repeat('x', 900000000)` is one row, and would otherwise
    be copied twice more (Arrow, then the data frame) before a row cap could see it."""
    if _kind(cursor.extract_statements(query)[0]) == "EXPLAIN":
        return query
    inner = f"select * from ({query}\n) as _result"
    relation = cursor.sql(inner)  # binds the query, runs nothing
    names = cursor.sql(query).columns
    cap = policy().result_mb * 2**20
    columns = [
        _capped(f'"{_quoted(inner_name)}"', kind.id, cap) + f' as "{_quoted(name)}"'
        for inner_name, name, kind in zip(relation.columns, names, relation.types, strict=True)
    ]
    return f"select {', '.join(columns)} from ({inner})"


def _capped(column: str, kind: str, cap: int) -> str:
    size = {"varchar": f"strlen({column})", "blob": f"octet_length({column})"}.get(kind)
    if size is None:
        return column
    return f"if({size} > {cap}, error('{_TOO_LARGE}'), {column})"


def _quoted(name: str) -> str:
    return name.replace('"', '""')


_TOO_LARGE = "console: value over the size cap"


def _too_large(size: int | None = None) -> ConsoleRefused:
    read = f"（已读到 {size / 2**20:,.0f} MB）" if size else ""
    return ConsoleRefused(
        f"查询结果超过 {policy().result_mb} MB 的上限{read}，已停止；"
        "请只选需要的列、先聚合或加 LIMIT 后重试",
        "size",
    )


def _frame(table: pa.Table) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The result as a data frame; a type it cannot hold (an interval, a union) as text, and a
    date or time no calendar holds (DuckDB's ±infinity) as text too, its column named."""
    columns, odd = [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not _in_calendar(column):
            odd.append(name)
            columns.append(pl.Series(name, _calendar_text(column), dtype=pl.String))
            continue
        try:
            columns.append(pl.Series(name, column))
        except (pl.exceptions.PolarsError, pa.ArrowException):
            text = [None if v is None else str(v) for v in column.to_pylist()]
            columns.append(pl.Series(name, text, dtype=pl.String))
    return pl.DataFrame(columns), tuple(odd)


def _in_calendar(column: pa.ChunkedArray) -> bool:
    """False for a date or timestamp column with a value Python's calendar (years 1–9999)
    cannot hold: a data frame takes it, then fails or shows "Invalid Date" when it is drawn."""
    if not (pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)):
        return True
    bounds = pc.min_max(column)
    try:
        bounds["min"].as_py(), bounds["max"].as_py()
    except (OverflowError, ValueError):
        return False
    return True


def _calendar_text(column: pa.ChunkedArray) -> list[str | None]:
    """Each value as DuckDB writes it: infinity, -infinity, or the date and time."""
    storage = pa.int32() if pa.types.is_date32(column.type) else pa.int64()
    top = 2 ** (storage.bit_width - 1) - 1
    raw, text = column.cast(storage).to_pylist(), column.cast(pa.string()).to_pylist()
    named = {top: "infinity", -top: "-infinity"}
    return [None if r is None else named.get(r, t) for r, t in zip(raw, text, strict=True)]


def _unique_names(table: pa.Table) -> pa.Table:
    """select a, a → a, a_2 (a data frame needs distinct column names)."""
    seen: dict[str, int] = {}
    names = []
    for name in table.column_names:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return table.rename_columns(names)


# ---- errors in plain Chinese ------------------------------------------------------------------


def _translated(exc: duckdb.Error, query: str, con: duckdb.DuckDBPyConnection) -> ConsoleRefused:
    text = str(exc)
    first = text.split("\n")[0]
    if isinstance(exc, duckdb.PermissionException):
        return ConsoleRefused(
            "控制台不能读取服务器上的文件、访问网络或加载扩展；只能查询本角色可见的表："
            + "、".join(table_names(con)),
            "files",
        )
    if isinstance(exc, duckdb.ParserException):
        return ConsoleRefused(_syntax_message(text), "syntax")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return ConsoleRefused(
            f"查询所需内存超过上限（{policy().memory_limit}），已停止；请缩小范围或先聚合",
            "memory",
        )
    if isinstance(exc, duckdb.CatalogException):
        return _missing(text, query, con)
    if isinstance(exc, duckdb.BinderException) and (
        found := re.search(r'Referenced column "([^"]+)" not found', first)
    ):
        candidates = re.search(r"Candidate bindings: (.+)", text)
        hint = f"；相近的列有：{candidates.group(1)}" if candidates else ""
        return ConsoleRefused(f"列 {found.group(1)} 不存在{hint}", "missing")
    if isinstance(exc, duckdb.InvalidInputException) and (
        "read-only" in first or "configuration has been locked" in first
    ):
        return _not_a_query("修改数据或设置的语句")
    if isinstance(exc, duckdb.ConversionException):
        return ConsoleRefused(f"类型转换失败（请检查比较的值与列的类型）：{first}", "error")
    return ConsoleRefused(f"查询出错：{first}", "error")


def _missing(text: str, query: str, con: duckdb.DuckDBPyConnection) -> ConsoleRefused:
    available = "、".join(table_names(con))
    if found := re.search(r'Table with name "?([^"!\s]+)"? does not exist', text):
        name = _as_written(found.group(1), query)
        return ConsoleRefused(f"表 {name} 不存在，可用的表有：{available}", "missing")
    if found := re.search(
        r"(Scalar|Table|Aggregate) Function with name (\S+) does not exist", text
    ):
        return ConsoleRefused(f"函数 {found.group(2)} 不存在或不可用", "missing")
    return ConsoleRefused(f"查询出错：{text.splitlines()[0]}；可用的表有：{available}", "missing")


def _as_written(name: str, query: str) -> str:
    """DuckDB names the table without its schema; show it as the query wrote it."""
    if "." in name:
        return name
    found = re.search(rf"\b([\w\"]+\.)*\"?{re.escape(name)}\b\"?", query)
    return found.group(0).replace('"', "") if found else name


def _syntax_message(text: str) -> str:
    first = text.split("\n")[0].removeprefix("Parser Error: ")
    if found := re.search(r'syntax error at or near "([^"]*)"', first):
        return f"SQL 语法错误：在“{found.group(1)}”附近"
    if "at end of input" in first:
        return "SQL 语法错误：语句不完整"
    return f"SQL 语法错误：{first}"
