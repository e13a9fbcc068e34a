"""Tables as files: .xlsx and UTF-8-BOM CSV (Excel opens it as Chinese without asking).

A cell that begins with = + - @ (or a tab or carriage return) would run as a formula when
the file is opened; such text cells are prefixed with ' so they stay text (issue 5 audits
this). Numbers stay numbers: a negative rank change is not a formula.
"""

from __future__ import annotations

import io
import re

import polars as pl

_FORMULA = r"^[=+\-@\t\r]"
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell that a spreadsheet would read as a formula, prefixed with '."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a BOM, formulas neutralised."""
    return neutralise(frame).write_csv(include_bom=True).encode("utf-8")


def to_xlsx(frame: pl.DataFrame, sheet: str = "数据") -> bytes:
    """One sheet, a header row, column widths that fit Chinese text, formulas neutralised."""
    buffer = io.BytesIO()
    safe = neutralise(frame)
    safe.write_excel(
        buffer,
        worksheet=sheet[:31],
        autofit=True,
        header_format={"bold": True},
        float_precision=1,
    )
    return buffer.getvalue()


def file_name(name: str, suffix: str, *parts: str) -> str:
    """地区分布_2024_典型案例.xlsx: the table's name and the filters, file-system safe."""
    stem = "_".join(p for p in (name, *parts) if p)
    return f"{_UNSAFE_FILENAME.sub('_', stem)}.{suffix}"
