"""数据质量 in Chromium (issue 13): an admin confirms a suggested unit match; after the rebuild
the two names are one unit, the decision is in the aliases file, and the list no longer asks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect
from served_app import open_page, serve, wait_finished

from etl.config import env_var
from etl.pipeline.load import rebuild_models
from etl.units.link import read_decisions

PAIR = "安吉县融媒体中心 ↔ 安吉新闻集团"


def test_an_admin_confirms_a_suggested_match_in_the_browser(
    page: Page, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, warehouse)  # the decision rebuilds the warehouse it is served from
    aliases = tmp_path / "unit_aliases.csv"
    monkeypatch.setenv(env_var("unit_aliases"), str(aliases))
    with serve(warehouse, log=tmp_path / "streamlit.log") as app:
        open_page(page, app.url("quality", role="admin"), "数据质量")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="单位名称待确认")).to_be_visible()
        pick = main.get_by_test_id("stSelectbox").filter(has_text="待确认的一对")
        expect(pick.locator("input")).to_have_value(re.compile(re.escape(PAIR)))
        main.get_by_role("button", name="确认是同一单位").click()
        expect(main.get_by_text("仓库已重建")).to_be_visible(timeout=120_000)
        wait_finished(page, "数据质量")
        page.reload()
        wait_finished(page, "数据质量")
        expect(main.get_by_text("没有待确认的单位名称匹配")).to_be_visible()
    assert [(d.alias, d.canonical, d.decision) for d in read_decisions(aliases)] == [
        ("安吉县融媒体中心", "安吉新闻集团", "合并")
    ]
    rebuild_models(warehouse)  # a later rebuild keeps the decision
    with duckdb.connect(str(warehouse), read_only=True) as con:
        units = con.execute(
            "select count(distinct unit_id) from core.unit_names where unit_name like '%安吉%'"
        ).fetchall()[0][0]
    assert units == 1
