"""Tables as files: .xlsx and UTF-8-BOM CSV, through etl.access.exports (issue 5).

A cell that begins with = + - @ (or a tab, carriage return or line feed) would run as a formula
when the file is opened; etl.access.exports prefixes such text cells and column names with ' so
they stay text, and tells the .xlsx writer never to make formulas, links or numbers of text.
Numbers stay numbers: a negative rank change is not a formula. This module only adds the
dashboard's file names.
"""

from __future__ import annotations

import re

import polars as pl

from etl.access.exports import to_csv_bytes, to_xlsx_bytes

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a BOM, formulas neutralised."""
    return to_csv_bytes(frame)


def to_xlsx(frame: pl.DataFrame, sheet: str = "数据") -> bytes:
    """One sheet, a bold header row, fitted widths, formulas neutralised."""
    return to_xlsx_bytes(frame, sheet)


def file_name(name: str, suffix: str, *parts: str) -> str:
    """地区分布_2024_典型案例.xlsx: the table's name and the filters, file-system safe."""
    stem = "_".join(p for p in (name, *parts) if p)
    return f"{_UNSAFE_FILENAME.sub('_', stem)}.{suffix}"
