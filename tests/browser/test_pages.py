"""Every page of the served app in headless Chromium: it runs without an error, says what it is
and that its data are simulated, draws Chinese with real glyphs, and leaves a screenshot in
tests/artifacts/screenshots/. Plus the global filters living in the URL, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect
from served_app import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_MISSING,
    AppPage,
    ServedApp,
    fonts_used,
    full_page_screenshot,
    glyph_problems,
    launch_chromium,
    open_page,
    router_pages,
    wait_finished,
)

SIMULATED = "模拟数据"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The demo opens as 领导: the admin's and the bureau's own pages and the sign-in page are not in
# its navigation.
NOT_FOR_THE_LEADER = ("上传导入", "审计日志", "推荐自查", "登录")
PAGES = [p for p in router_pages() if p.title not in NOT_FOR_THE_LEADER]
BY_TITLE = {p.title: p for p in PAGES}
HAN = re.compile("[\u4e00-\u9fff]")


def test_chromium_is_installed() -> None:
    assert CHROMIUM.exists(), CHROMIUM_MISSING


def test_page_list_matches_the_served_navigation(served_app: ServedApp) -> None:
    """The pages of the router's table are exactly the sidebar's links, in order (as the
    first page showed them, see served_app)."""
    assert served_app.navigation == [(p.served_path, p.title) for p in PAGES]


@pytest.mark.parametrize("app_page", PAGES, ids=[p.screenshot_name[:-4] for p in PAGES])
def test_page_renders(
    served_app: ServedApp, page: Page, js_errors: list[str], app_page: AppPage
) -> None:
    open_page(page, served_app.url(app_page.served_path), app_page.title)
    full_page_screenshot(page, SCREENSHOTS / app_page.screenshot_name)

    expect(page.get_by_test_id("stException")).to_have_count(0)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert SIMULATED in text, f"{app_page.title} does not say {SIMULATED}"
    assert js_errors == []

    checked = [page.locator("h1"), page.locator('[data-testid="stSidebarNavLink"] span[label]')]
    chart_text = page.locator(".js-plotly-plot text").filter(has_text=HAN)
    if chart_text.count():
        checked.append(chart_text)  # Plotly's SVG text, drawn in the charts' own font list
    problems = [problem for element in checked if (problem := glyph_problems(element))]
    assert problems == []


def test_chinese_text_is_drawn_with_a_simplified_chinese_font(
    served_app: ServedApp, page: Page
) -> None:
    last = PAGES[-1]
    open_page(page, served_app.url(last.served_path), last.title)
    fonts = fonts_used(page.locator("h1"))
    assert any(font.endswith(" SC") for font in fonts), fonts


def test_compare_takes_province_and_year_from_the_url(served_app: ServedApp, page: Page) -> None:
    """?province=浙江 picks the province; a year chosen in the sidebar goes into the URL and
    stays there when moving to another page."""
    compare, overview = BY_TITLE["地区对比"], BY_TITLE["总览"]
    open_page(page, served_app.url(compare.served_path, province="浙江"), compare.title)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="省份")).to_have_value("浙江")
    expect(
        main.get_by_test_id("stMarkdownContainer").filter(has_text="浙江申报")
    ).not_to_have_count(0)

    year_box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="年度")
    shown = year_box.input_value()
    year_box.click()
    options = page.get_by_role("option")
    expect(options).not_to_have_count(0)
    other = next(year for year in options.all_inner_texts() if year.strip() != shown).strip()
    page.get_by_role("option", name=other, exact=True).click()

    page.wait_for_url(re.compile(rf"[?&]year={other}(&|$)"))
    assert "province=%E6%B5%99%E6%B1%9F" in page.url  # 浙江 stays
    expect(main.get_by_test_id("stCaptionContainer").first).to_contain_text(
        f"当前筛选：{other}年度"
    )
    expect(year_box).to_have_value(other)

    page.get_by_test_id("stSidebarNavLink").filter(has_text=overview.title).click()
    wait_finished(page, overview.title)
    assert re.search(rf"[?&]year={other}(&|$)", page.url), page.url
    expect(main.get_by_test_id("stCaptionContainer").first).to_contain_text(f"{other}年度")


def test_glyph_check_catches_tofu(playwright: Playwright, browser: Browser, tmp_path: Path) -> None:
    """The glyph check passes with the CJK fonts and fails without them: a second Chromium is
    given a fontconfig file that rejects every font covering Chinese, so it draws tofu."""
    no_cjk = tmp_path / "fonts.conf"
    no_cjk.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        '<selectfont><rejectfont><pattern><patelt name="lang"><string>zh-cn</string>'
        "</patelt></pattern></rejectfont></selectfont>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    html = "<h1 style=\"font-family: 'Noto Sans CJK SC', sans-serif\">融合看板 模拟数据</h1>"

    with_fonts = browser.new_page()
    try:
        with_fonts.set_content(html)
        assert glyph_problems(with_fonts.locator("h1")) is None
    finally:
        with_fonts.close()

    without_fonts = launch_chromium(playwright, FONTCONFIG_FILE=str(no_cjk))
    try:
        page = without_fonts.new_page()
        page.set_content(html)
        problem = glyph_problems(page.locator("h1"))
    finally:
        without_fonts.close()
    assert problem is not None and "missing-glyph box: 融合看板模拟数据" in problem, problem
