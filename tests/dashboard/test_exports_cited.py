"""Exports a researcher can cite, opened by a real client: LibreOffice headless converts the
.xlsx to CSV, and the CSV must hold exactly the filtered rows, 是/否, plain years, numbers
rounded as on the page, and the file's 说明 (title, filters, data date, version, 模拟数据)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from page_reading import exported_csv, table

from dashboard.components import EXPORTS
from etl.access.exports import ABOUT_SHEET

SOFFICE = shutil.which("soffice") or "soffice"  # Debian's LibreOffice, from .ci/setup --browser


def _through_libreoffice(data: bytes, tmp_path: Path) -> list[list[str]]:
    """The data sheet as LibreOffice reads and saves it (CSV, UTF-8, as shown)."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(data)
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    # 44,34,76,1,,0,false,true,true: comma, quote, UTF-8, from line 1, …, "save as shown".
    subprocess.run(
        [SOFFICE, profile, "--headless", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
         "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = sorted((tmp_path / "out").glob("*.csv"))
    data_sheet = next(p for p in sheets if ABOUT_SHEET not in p.stem)
    return list(csv.reader(io.StringIO(data_sheet.read_text(encoding="utf-8"))))


def _category_page(open_page):
    at = open_page("类别结构", year="2024", category="融合生产传播")
    assert not at.exception
    return at


@pytest.mark.slow
def test_a_category_filtered_export_opened_in_libreoffice_is_what_the_page_shows(
    open_page, tmp_path: Path
) -> None:
    at = _category_page(open_page)
    shown = table(at, "申报类别")
    assert shown["申报类别"].tolist() == ["融合生产传播"]
    rows = _through_libreoffice(at.session_state[EXPORTS]["groups_xlsx"](), tmp_path)
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == ["融合生产传播"]  # no other category, not even as 0 rows
    line = dict(zip(header, body[0], strict=True))
    assert line["申报数"] == f"{int(shown['申报数'][0]):,}"  # a count, with separators
    assert line["入选率（%）"] == f"{shown['入选率（%）'][0]:.1f}"  # rounded as on screen
    assert line["平均分"] == f"{shown['平均分'][0]:.1f}"


def test_the_xlsx_says_what_it_is_and_opens_on_its_data(open_page) -> None:
    at = _category_page(open_page)
    book = openpyxl.load_workbook(io.BytesIO(at.session_state[EXPORTS]["groups_xlsx"]()))
    assert book.sheetnames[0] == ABOUT_SHEET and book.active.title != ABOUT_SHEET
    about = {r[0]: r[1] for r in book[ABOUT_SHEET].iter_rows(values_only=True)}
    assert about["标题"] == "申报类别构成"
    assert "融合生产传播" in about["筛选条件"] and "2024" in about["筛选条件"]
    assert about["数据截至"].endswith("日") and about["数据集版本"]
    assert "不代表真实申报与评审情况" in about["模拟数据"]
    data = book.active
    assert data.freeze_panes == "A2"
    corner = f"{get_column_letter(data.max_column)}{data.max_row}"
    assert [t.ref for t in data.tables.values()] == [f"A1:{corner}"]  # filter buttons


def test_the_csv_carries_the_same_header_block(open_page) -> None:
    at = _category_page(open_page)
    about, frame = exported_csv(at.session_state[EXPORTS]["groups_csv"]())
    assert about["标题"] == "申报类别构成" and "模拟数据" in about
    assert frame["申报类别"].to_list() == ["融合生产传播"]


@pytest.mark.slow
def test_case_search_exports_years_plain_and_booleans_in_chinese(open_page, tmp_path: Path) -> None:
    at = open_page("案例检索", year="2024", result="入选")
    assert not at.exception
    rows = _through_libreoffice(at.session_state[EXPORTS]["cases_xlsx"](), tmp_path)
    header, body = rows[0], rows[1:]
    column = {name: [r[i] for r in body] for i, name in enumerate(header)}
    assert set(column["年度"]) == {"2024"}  # not 2,024
    assert set(column["入选"]) == {"是"}  # not TRUE / true
    assert len(body) == 40  # the 40 selected cases of 2024 (PROGRAMME.md)
    _, csv_frame = exported_csv(at.session_state[EXPORTS]["cases_csv"]())
    assert set(csv_frame["年度"].to_list()) == {"2024"}
    assert set(csv_frame["入选"].to_list()) == {"是"}
