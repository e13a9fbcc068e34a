"""Tables as files that are safe to open: .xlsx, and UTF-8-BOM CSV (Excel reads it as Chinese).

A spreadsheet runs a cell that begins with = + - @ (or a tab, carriage return or line feed
before one of them) as a formula: `=HYPERLINK("http://…")` in a case title would become a link
that leaks data, `=cmd|…` worse (CSV injection). Every such text cell and column name gets a
leading apostrophe, so it stays text in Excel, WPS and LibreOffice, and stays text if the .xlsx
is later saved as CSV. Numbers stay numbers: -3 in a numeric column is not a formula. The .xlsx
writer is also told never to turn strings into formulas, numbers or links.
"""

from __future__ import annotations

import io
import json
import re

import polars as pl
import xlsxwriter

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


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, formulas neutralised."""
    return b"\xef\xbb\xbf" + neutralise(frame).write_csv().encode("utf-8")


def to_xlsx_bytes(frame: pl.DataFrame, sheet: str = "数据") -> bytes:
    """One sheet with a bold header row and fitted widths, formulas neutralised."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        neutralise(frame).write_excel(
            workbook=workbook,
            worksheet=_sheet_name(sheet),
            autofit=True,
            header_format={"bold": True},
        )
    return buffer.getvalue()


def _safe_text(value: str) -> str:
    return "'" + value if re.match(_FORMULA, value) else value


def _flattened(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists, structs and binary as JSON text: a CSV cell holds one value."""
    nested = [c for c, t in frame.schema.items() if t.is_nested() or t == pl.Binary]
    return frame.with_columns(
        pl.col(c).map_elements(_json_text, return_dtype=pl.String) for c in nested
    )


def _json_text(value: object) -> str:
    if isinstance(value, pl.Series):
        value = value.to_list()
    if isinstance(value, bytes):
        return value.hex()
    return json.dumps(value, ensure_ascii=False, default=str)


def _sheet_name(sheet: str) -> str:
    return _SHEET_UNSAFE.sub("_", sheet)[:31] or "数据"
