"""推荐自查 in Chromium: a 省局 drops its draft workbook, reads the findings by Excel row and
downloads the fix file; the served warehouse is the same file afterwards."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect
from served_app import ServedApp, open_page, wait_finished

from tests.warehouse_state import fingerprint

DRAFT = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "bureau_draft.xlsx"


def test_a_bureau_checks_its_draft_and_downloads_the_fix_file(
    served_app: ServedApp, page: Page, demo_db: Path, tmp_path: Path
) -> None:
    before = fingerprint(demo_db)
    url = served_app.url("self_check", role="bureau", **{"as": "浙江"})
    open_page(page, url, "推荐自查")
    main = page.get_by_test_id("stMain")
    main.locator("input[type=file]").set_input_files(str(DRAFT))
    expect(main.get_by_text("bureau_draft.xlsx")).to_be_visible()
    main.get_by_role("button", name="检查", exact=True).click()
    expect(main.get_by_text("有 2 行需要修改后才能推荐（共读入 8 行）")).to_be_visible(
        timeout=60_000
    )
    wait_finished(page, "推荐自查")

    with page.expect_download() as download:
        main.get_by_role("button", name="下载问题行文件（修改后可重新检查）").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "bureau_draft_问题行.xlsx"
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    reasons = {r[-4]: r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert reasons[9] == "提交时间“2024-04-23 10:00”晚于2024年申报截止日期2024-04-21"
    assert reasons[10] == "所属省份为江苏，不属于本省（浙江），请删除该行或交由该省推荐"
    assert fingerprint(demo_db) == before
