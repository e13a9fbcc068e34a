"""Tables as files that are safe to open: .xlsx, and UTF-8-BOM CSV (Excel reads it as Chinese).

A spreadsheet runs a cell that begins with = + - @ (or a tab, carriage return or line feed
before one of them) as a formula: `=HYPERLINK("http://…")` in a case title would become a link
that leaks data, `=cmd|…` worse (CSV injection). Every such text cell and column name gets a
leading apostrophe, so it stays text in Excel, WPS and LibreOffice, and stays text if the .xlsx
is later saved as CSV. Numbers stay numbers: -3 in a numeric column is not a formula. The .xlsx
writer is also told never to turn strings into formulas, numbers or links.

A file that leaves the dashboard is cited: it carries what it is (`About`: title, filters, data
date, dataset version, the 模拟数据 mark) — a 说明 sheet before the data in .xlsx, a block of
说明 lines above the header in CSV — and in .xlsx a frozen header, an autofilter, and years
written as plain integers (2025, not 2,025).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

import polars as pl
import xlsxwriter

from etl.present import fmt
from etl.present.cells import workbook as new_workbook
from etl.present.cells import write_cell

# Columns that hold a year or another code-like integer: written without thousands separators.
ABOUT_SHEET = "说明"  # the sheet before the data, saying what the file is
PLAIN_INTEGERS = ("年度", "year", "排名", "名次", "初评名次", "终评名次")

_FORMULA = r"^[=+\-@\t\r\n]"
_TEXT = (pl.String, pl.Categorical, pl.Enum)
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as text a spreadsheet will not run: risky cells and names prefixed with '."""
    flat = _flattened(frame)
    text = [c for c, t in flat.schema.items() if isinstance(t, _TEXT) or t in _TEXT]
    safe = flat.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_FORMULA))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text
    )
    return safe.rename({c: _safe_text(c) for c in safe.columns if _safe_text(c) != c})


@dataclass(frozen=True)
class About:
    """What an exported table is, for the reader who cites it."""

    title: str
    filters: str = ""
    scope: str = ""
    data_as_of: str = ""
    version: str = ""
    simulated: bool = False
    rows: int | None = None

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs, in the order a reader looks for them."""
        lines = [("标题", self.title)]
        lines += [("筛选条件", self.filters)] if self.filters else []
        lines += [("数据范围", self.scope)] if self.scope else []
        lines += [("数据截至", self.data_as_of)] if self.data_as_of else []
        lines += [("数据集版本", self.version)] if self.version else []
        lines += [("行数", f"{self.rows:,}")] if self.rows is not None else []
        if self.simulated:
            lines.append(("模拟数据", SIMULATED_NOTE))
        lines.append(("来源", "融合看板（全国广播电视媒体融合典型案例数据仓库）"))
        return lines


SIMULATED_NOTE = "按公开信息校准生成，不代表真实申报与评审情况，引用时请注明。"


def to_csv_bytes(frame: pl.DataFrame, about: About | None = None) -> bytes:
    """UTF-8 with a byte-order mark, formulas neutralised; with `about`, its 说明 lines and a
    blank line above the header (a reader skips to the first blank line)."""
    head = ""
    if about is not None:
        head = pl.DataFrame(about.lines(), schema=["说明", "内容"], orient="row")
        head = neutralise(head).write_csv(include_header=False) + "\n"
    return b"\xef\xbb\xbf" + (head + neutralise(frame).write_csv()).encode("utf-8")


def to_xlsx_bytes(frame: pl.DataFrame, sheet: str = "数据", about: About | None = None) -> bytes:
    """The data sheet (bold frozen header, autofilter, fitted widths, plain years), formulas
    neutralised; with `about`, a 说明 sheet before it. The data sheet opens first."""
    buffer = io.BytesIO()
    name = _sheet_name(sheet if sheet != ABOUT_SHEET else f"{sheet}_数据")
    with new_workbook(buffer) as workbook:
        if about is not None:
            _about_sheet(workbook, about)
        safe = neutralise(frame)
        safe.write_excel(
            workbook=workbook,
            worksheet=name,
            autofit=True,
            header_format={"bold": True},
            column_formats=_formats(safe),
            freeze_panes="A2",
            autofilter=True,
        )
        data = workbook.get_worksheet_by_name(name)
        data.activate()
    return buffer.getvalue()


def _about_sheet(workbook: xlsxwriter.Workbook, about: About) -> None:
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 80)
    for row, (label, value) in enumerate(about.lines()):
        write_cell(sheet, row, 0, label, bold)
        write_cell(sheet, row, 1, _safe_text(value))


def _formats(frame: pl.DataFrame) -> dict[str, str]:
    """Years and ranks as plain integers; floats with the decimals the page shows."""
    formats = {}
    for column, dtype in frame.schema.items():
        if dtype.is_integer() and column in PLAIN_INTEGERS:
            formats[column] = "0"
        elif dtype.is_float():
            formats[column] = "0." + "0" * fmt.decimals(column)
    return formats


def _safe_text(value: str) -> str:
    return "'" + value if re.match(_FORMULA, value) else value


def _flattened(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists, structs and binary as JSON text: a CSV cell holds one value."""
    nested = [c for c, t in frame.schema.items() if t.is_nested() or t == pl.Binary]
    # In this thread, not map_elements (etl/present/states.py _text says why).
    return frame.with_columns(
        pl.Series(c, [None if v is None else _json_text(v) for v in frame[c]], dtype=pl.String)
        for c in nested
    )


def _json_text(value: object) -> str:
    if isinstance(value, pl.Series):
        value = value.to_list()
    if isinstance(value, bytes):
        return value.hex()
    return json.dumps(value, ensure_ascii=False, default=str)


def _sheet_name(sheet: str) -> str:
    return _SHEET_UNSAFE.sub("_", sheet)[:31] or "数据"
