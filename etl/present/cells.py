"""Cells into any workbook we produce: data, never formulas (issue 10).

A spreadsheet runs a string that begins with = (and, in some, + - @) as a formula. xlsxwriter's
`sheet.write()` does exactly that with such a string, so `=HYPERLINK("http://…"&A1;"点此修正")`
sent in an export would come back live in the very workbook we ask people to open and fix. Every
workbook is opened with `workbook()` (no string ever turned into a formula, link or number) and
every cell goes through `write_cell()`, which picks the cell type from the Python value: a str is
always written as a string cell, whatever it begins with.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def workbook(target, **options: object) -> xlsxwriter.Workbook:
    """A new workbook (a path or a BytesIO) that never makes formulas, links or numbers of text."""
    return xlsxwriter.Workbook(target, {**SAFE_OPTIONS, **options})


def write_cell(
    sheet: Worksheet, row: int, col: int, value: object, style: Format | None = None
) -> None:
    """One cell, typed by its value: None and "" stay empty (formatted if a style is given),
    numbers are numbers, dates are dates, everything else is a string cell (never a formula)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, style)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, style)
    elif value == "":
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_string(row, col, str(value), style)
