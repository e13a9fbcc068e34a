"""What a researcher and a bureau read in the unpublished year, in a real browser: every data
page, and the map coloured by a result. A withheld result reads 未公布 — never 无申报 for a
province that submitted, never 未入选, never a digit on a result's KPI card, never a rank."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from served_app import ServedApp, open_page, router_pages

UNPUBLISHED = "2025"
DATA_PAGES = [p for p in router_pages() if p.title in (
    "总览", "地区分布", "类别结构", "评分分析", "年度趋势", "地区对比", "案例检索", "参与单位")]  # fmt: skip
ROLES = {"researcher": {"role": "researcher"}, "bureau": {"role": "bureau", "as": "浙江"}}
RESULT_CARDS = ("进入终评", "入选数", "入选率", "平均分")
# The page's sentences, captions and notes: markdown outside any widget (a widget's options,
# such as the 结果 filter's 未入选, are choices, not claims).
STATED_JS = """el => Array.from(el.querySelectorAll('[data-testid="stMarkdownContainer"]'))
    .filter(m => !m.closest('[data-testid="stButtonGroup"], [data-testid="stWidgetLabel"],'
        + ' [data-testid="stSelectbox"], [data-testid="stMultiSelect"]'))
    .map(m => m.innerText).join('\\n')"""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("app_page", DATA_PAGES, ids=[p.url_path for p in DATA_PAGES])
def test_no_page_states_a_withheld_result(
    served_app: ServedApp, page: Page, role: str, app_page
) -> None:
    url = served_app.url(app_page.served_path, year=UNPUBLISHED, **ROLES[role])
    open_page(page, url, app_page.title)
    main = page.get_by_test_id("stMain")
    # What the page states in words (the 结果 filter's own option 未入选 is a choice, not a claim)
    text = main.evaluate(STATED_JS)
    assert text.strip(), app_page.title
    assert "未入选" not in text, app_page.title
    assert "Traceback" not in text
    for card in page.get_by_test_id("stMetric").all():
        label = card.get_by_test_id("stMetricLabel").inner_text().strip()
        value = card.get_by_test_id("stMetricValue").inner_text().strip()
        if label in RESULT_CARDS:
            assert value == "未公布", (app_page.title, label, value)
    assert not re.search(r"入选(数|率)排名：\*?\*?第", text)


@pytest.mark.parametrize("role", ROLES)
def test_the_map_by_a_result_says_withheld(served_app: ServedApp, page: Page, role: str) -> None:
    regions = next(p for p in router_pages() if p.title == "地区分布")
    url = served_app.url(regions.served_path, year=UNPUBLISHED, measure="入选率", **ROLES[role])
    open_page(page, url, regions.title)
    words = page.locator(".js-plotly-plot").first.evaluate(
        "el => Array.from(el.querySelectorAll('text')).map(t => t.textContent).join(' ')"
    )
    assert words.count("未公布") >= 25, words  # every province that submitted
    assert "浙江" in words and "不按入选率排名" in page.get_by_test_id("stMain").inner_text()
