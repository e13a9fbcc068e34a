"""推荐自查: a 省局 checks its draft in the browser and gets the same report as `etl check`,
every problem by Excel row, the fix workbook to download; the warehouse is left as it was."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from page_reading import APP, PAGES, table, texts
from streamlit.testing.v1 import AppTest

from dashboard.navigation import allowed
from etl.config import env_var
from etl.pipeline.load import check
from etl.pipeline.report import summary_text
from tests.warehouse_state import fingerprint

DRAFT = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "bureau_draft.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _checked(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv(env_var("db"), str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["role"], at.query_params["as"] = "bureau", "浙江"
    at.switch_page(PAGES["推荐自查"]).run()
    assert not at.exception
    at.get("file_uploader")[0].set_value(("推荐汇总表.xlsx", DRAFT.read_bytes(), XLSX))
    at.run()
    next(b for b in at.button if b.label == "检查").click()
    return at.run()


def test_only_a_bureau_has_the_page() -> None:
    pages = {role: [p.title for s in allowed(role).values() for p in s]
             for role in ("leader", "researcher", "bureau", "admin")}  # fmt: skip
    assert [r for r, titles in pages.items() if "推荐自查" in titles] == ["bureau"]


def test_a_draft_is_checked_by_row_and_nothing_is_loaded(published_db, monkeypatch) -> None:
    before = fingerprint(published_db)
    at = _checked(published_db, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert fingerprint(published_db) == before
    findings = table(at, "文件").set_index("位置")
    assert findings.loc["第8行", "问题"].startswith("浙江2024年省级推荐超出配额")
    assert (
        findings.loc["第9行", "问题"]
        == "提交时间“2024-04-23 10:00”晚于2024年申报截止日期2024-04-21"
    )
    assert (
        findings.loc["第10行", "问题"]
        == "所属省份为江苏，不属于本省（浙江），请删除该行或交由该省推荐"
    )
    assert findings.loc["第12行", "问题"] == "第12行：合计行，已跳过"
    assert "有 2 行需要修改后才能推荐（共读入 8 行）" in texts(at)


def test_the_report_is_the_one_etl_check_gives(published_db, monkeypatch) -> None:
    at = _checked(published_db, monkeypatch)
    shown = next(c.value for c in at.code)
    run = check([DRAFT], published_db, progress=False, province="浙江")
    assert shown == summary_text(run).replace("bureau_draft.xlsx", "推荐汇总表.xlsx")


def test_the_fix_workbook_holds_the_rows_to_change(published_db, monkeypatch) -> None:
    at = _checked(published_db, monkeypatch)
    (button,) = at.get("download_button")
    data = at.session_state["_self_check_result"]["fix"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "推荐汇总表"  # named after the uploaded file
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [r[-4] for r in rows] == [9, 10]  # 行号: the late entry and the other province's row
    assert "下载问题行文件" in button.proto.label
