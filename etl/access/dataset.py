"""The whole dataset a role may read, as one download a researcher can cite.

Every table of the public interface (core, mart, ref and meta.warehouse) that the role's
policy grants, read through the role's scoped database — so a bureau's bundle holds its own
province's rows and a researcher's holds no unpublished result, exactly as on the pages — plus
a data dictionary (table, grain, column, type, meaning in Chinese) generated from
docs/warehouse.md and the glossary, and a 说明 file with the dataset version and the 模拟数据
mark. CSV in the bundle is UTF-8 with a BOM and formulas neutralised (etl.access.exports);
Parquet keeps the types for a researcher's own tools.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache

import duckdb
import polars as pl

from etl.access.exports import About as About  # the bundle's 说明, for callers
from etl.access.exports import to_csv_bytes
from etl.access.scopes import policy
from etl.config import ROOT
from etl.glossary import COLUMNS

SCHEMA_DOC = ROOT / "docs" / "warehouse.md"
PUBLIC = ("core.", "mart.", "ref.", "meta.warehouse")
FORMATS = ("csv", "parquet")
DICTIONARY = "数据字典"
_HEADING = re.compile(r"^###\s+`?(\w+\.\w+)`?\s+—\s+(.+)$")
_SHARED = "### 通用列"  # the heading of the glossary of columns shared by several tables
_ITEM = re.compile(r"^-\s+`(\w+\.\w+)`[：:]\s*(.+)$")
_ROW = re.compile(r"^\|\s*(\w+)\s*\|\s*([\w\[\]() ]+)\s*\|\s*(.+?)\s*\|$")


@dataclass(frozen=True)
class Documented:
    """What docs/warehouse.md says of the tables: a grain or description per table, and a
    meaning per column where it has a column table."""

    tables: dict[str, str]
    columns: dict[tuple[str, str], str]

    def meaning(self, table: str, column: str) -> str | None:
        """The column's meaning in its table, else where the same column is documented in
        another table (unit_id means the same in mart.cases as in core.submissions)."""
        return (
            self.columns.get((table, column))
            or self.columns.get(("*", column))
            or next((m for (_, c), m in self.columns.items() if c == column), None)
        )


def tables(role: str) -> list[str]:
    """The public tables the role's policy grants, in the policy's order."""
    return [t.name for t in policy().visible(role) if t.name.startswith(PUBLIC)]


def dictionary(con: duckdb.DuckDBPyConnection, names: list[str]) -> pl.DataFrame:
    """One row per table × column of the role's database: 表, 说明, 列, 类型, 含义."""
    doc = documented()
    rows = []
    for name in names:
        schema, table = name.split(".")
        described = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        for column, dtype in described:
            meaning = doc.meaning(name, column) or COLUMNS.get(column, "")
            rows.append((name, doc.tables.get(name, ""), column, dtype, meaning))
    return pl.DataFrame(rows, schema=["表", "说明", "列", "类型", "含义"], orient="row")


def bundle(
    con: duckdb.DuckDBPyConnection, names: list[str], about: About, kind: str = "csv"
) -> bytes:
    """A ZIP: 说明.txt, 数据字典.csv, and one file per table (CSV or Parquet)."""
    if kind not in FORMATS:
        raise ValueError(f"不支持的格式“{kind}”；可用的有：{'、'.join(FORMATS)}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("说明.txt", _readme(about, names, kind))
        archive.writestr(f"{DICTIONARY}.csv", to_csv_bytes(dictionary(con, names)))
        for name in names:
            frame = con.sql(f"from {_quoted(name)}").pl()
            archive.writestr(f"{name}.{kind}", _table_file(frame, kind))
    return buffer.getvalue()


def _table_file(frame: pl.DataFrame, kind: str) -> bytes:
    if kind == "csv":
        return to_csv_bytes(frame)
    out = io.BytesIO()
    frame.write_parquet(out)  # typed columns for a researcher's tools; no spreadsheet runs it
    return out.getvalue()


def _readme(about: About, names: list[str], kind: str) -> str:
    lines = [f"{label}：{value}" for label, value in about.lines()]
    lines += [
        "",
        f"共 {len(names)} 张表，每张表一个 {kind.upper()} 文件；列的含义见 {DICTIONARY}.csv：",
    ]
    lines += [f"  {name}" for name in names]
    lines += ["", f"引用：{citation(about)}"]
    return "\r\n".join(lines) + "\r\n"  # Windows Notepad reads CRLF


def citation(about: About) -> str:
    """How to cite the dataset: its name, version and data date."""
    mark = "（模拟数据）" if about.simulated else ""
    return f"融合看板·全国广播电视媒体融合典型案例数据集{mark}，{about.version}，数据截至{about.data_as_of}。"


def _quoted(name: str) -> str:
    schema, table = name.split(".")
    return f'"{schema}"."{table}"'


@cache
def documented() -> Documented:
    """docs/warehouse.md read once: ### headings and list items describe tables, the column
    tables under a heading describe its columns; those under 通用列 serve every table."""
    tables: dict[str, str] = {}
    columns: dict[tuple[str, str], str] = {}
    current = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        if heading := _HEADING.match(line):
            current = heading[1]
            tables[current] = _plain(heading[2])
        elif line.startswith(_SHARED):
            current = "*"
        elif item := _ITEM.match(line):
            tables.setdefault(item[1], _plain(item[2]))
        elif current and (row := _ROW.match(line)) and row[1] != "列":
            columns[(current, row[1])] = _plain(row[3])
        elif line.startswith("## "):
            current = None
    return Documented(tables, columns)


def _plain(text: str) -> str:
    """Markdown as a reader of a CSV sees it: no backticks or bold marks, no English gloss in
    brackets after the Chinese."""
    text = re.sub(r"\s*\([A-Za-z][^()]*\)$", "", text.replace("`", "").replace("**", ""))
    return text.strip()
