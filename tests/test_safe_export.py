"""Exports that open safely: a formula in a cell stays text in Excel, WPS and LibreOffice."""

from __future__ import annotations

import csv
import io

import openpyxl
import polars as pl
import pytest

from etl.access.exports import neutralise, to_csv_bytes, to_xlsx_bytes

ATTACK = '=HYPERLINK("http://x")'


@pytest.fixture
def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "title": [ATTACK, "“宜春发布”矩阵传播实践", "-1+2", "@SUM(A1)", "\t=1", "+86 10"],
            "rank_change": [-3, 2, 0, 1, -1, 5],
            "tags": [["=x"], ["a"], [], None, ["b"], ["c"]],
            "=cmd|' /C calc'!A0": ["a"] * 6,
        }
    ).with_columns(unit=pl.col("title").cast(pl.Categorical))


@pytest.mark.parametrize(
    "value, safe",
    [
        (ATTACK, "'" + ATTACK),
        ("+86 10", "'+86 10"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("湖南广播电视台", "湖南广播电视台"),
    ],
)
def test_a_cell_that_would_run_gets_an_apostrophe(value: str, safe: str) -> None:
    assert neutralise(pl.DataFrame({"v": [value]}))["v"].to_list() == [safe]


def test_numbers_stay_numbers(frame: pl.DataFrame) -> None:
    assert neutralise(frame)["rank_change"].to_list() == [-3, 2, 0, 1, -1, 5]


def test_xlsx_keeps_the_attack_as_text(frame: pl.DataFrame) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, "案例/检索"))).active
    assert sheet.title == "案例_检索"
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["title"].value == "'" + ATTACK and first["title"].data_type == "s"
    assert first["unit"].value == "'" + ATTACK
    assert first["rank_change"].value == -3 and first["rank_change"].data_type == "n"
    assert first["tags"].value == '["=x"]'
    assert "'=cmd|' /C calc'!A0" in header
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_csv_has_a_bom_and_no_formula(frame: pl.DataFrame) -> None:
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][3] == "'=cmd|' /C calc'!A0"
    assert rows[1][0] == "'" + ATTACK and rows[2][0] == "“宜春发布”矩阵传播实践"
    assert not [
        cell
        for row in rows
        for cell in row
        if cell[:1] in ("=", "+", "-", "@", "\t") and not cell.lstrip("-").isdigit()
    ]
