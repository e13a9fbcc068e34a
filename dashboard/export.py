"""Tables as files: .xlsx and UTF-8-BOM CSV, through etl.access.exports (issue 5).

A cell that begins with = + - @ (or a tab, carriage return or line feed) would run as a formula
when the file is opened; etl.access.exports prefixes such text cells and column names with ' so
they stay text, and tells the .xlsx writer never to make formulas, links or numbers of text.
Numbers stay numbers: a negative rank change is not a formula. This module adds what makes a
file citeable as the page shows it: 是/否 for booleans, numbers rounded as on screen, and the
file's 说明 (title, filters, data date, dataset version, 模拟数据).
"""

from __future__ import annotations

import re

import polars as pl

from etl.access.exports import About, to_csv_bytes, to_xlsx_bytes
from etl.present import fmt

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')
YES, NO = "是", "否"


def citeable(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as the page shows it: booleans 是/否, floats rounded as on screen."""
    return frame.with_columns(
        pl.col(c).replace_strict({True: YES, False: NO}, return_dtype=pl.String)
        if dtype == pl.Boolean
        else pl.col(c).round(fmt.decimals(c))
        for c, dtype in frame.schema.items()
        if dtype == pl.Boolean or dtype.is_float()
    )


def to_csv(frame: pl.DataFrame, about: About | None = None) -> bytes:
    """UTF-8 with a BOM, formulas neutralised, 说明 lines above the header."""
    return to_csv_bytes(citeable(frame), about)


def to_xlsx(frame: pl.DataFrame, sheet: str = "数据", about: About | None = None) -> bytes:
    """A 说明 sheet, then the data: bold frozen header, autofilter, plain years."""
    return to_xlsx_bytes(citeable(frame), sheet, about)


def file_name(name: str, suffix: str, *parts: str) -> str:
    """地区分布_2024_典型案例.xlsx: the table's name and the filters, file-system safe."""
    stem = "_".join(p for p in (name, *parts) if p)
    return f"{_UNSAFE_FILENAME.sub('_', stem)}.{suffix}"
