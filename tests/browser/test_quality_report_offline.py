"""The quality report works without a network (issue 14 item 1): opened from its file in Chromium
with every request beyond the file refused, and inside 数据质量, it asks for nothing else, is
styled (its header row shaded, its failed rules marked), and its Chinese renders as glyphs.

GX's Data Docs, which it replaced, fetched Bootstrap and Font Awesome from CDNs and rendered
unstyled offline.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Route
from served_app import ServedApp, glyph_problems, open_page, router_pages

from etl.pipeline.validation_report import reports

HEADER_SHADE = "rgb(237, 242, 247)"  # validation_report.STYLE: th { background: #edf2f7; }
QUALITY = next(p for p in router_pages() if p.title == "数据质量")


def _latest_report(demo_db: Path) -> Path:
    found = reports(demo_db.parent / "docs")
    assert found, f"no quality report was written beside {demo_db}"
    return found[0]


def _styled(frame) -> dict:
    return frame.evaluate(
        """() => ({
          shade: getComputedStyle(document.querySelector('th')).backgroundColor,
          failed: document.querySelectorAll('td.bad').length,
          rules: document.querySelectorAll('tbody tr').length,
          sheets: document.styleSheets.length,
          font: getComputedStyle(document.body).fontFamily,
        })"""
    )


def test_the_report_file_opened_offline_is_styled_and_asks_for_nothing(
    context: BrowserContext, demo_db: Path
) -> None:
    report = _latest_report(demo_db)
    asked: list[str] = []

    def refuse(route: Route) -> None:
        if route.request.url == report.as_uri():
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort("internetdisconnected")

    page = context.new_page()
    try:
        page.route("**/*", refuse)  # all but the file fails, as on a network with no internet
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(report.as_uri(), wait_until="load")
        styled = _styled(page)
        title = page.title()
        problems = glyph_problems(page.locator("h1"))
    finally:
        page.close()
    assert asked == []
    assert seen == [report.as_uri()]  # the page itself, nothing else
    assert title.startswith("数据质量检查报告")
    assert styled["shade"] == HEADER_SHADE
    assert styled["sheets"] == 1 and "Noto Sans CJK SC" in styled["font"]
    assert styled["rules"] > 20 and styled["failed"] >= 1  # the demo has quarantined rows
    assert problems is None, problems


def test_the_report_inside_the_quality_page_is_the_same_page(
    served_app: ServedApp, page: Page, demo_db: Path
) -> None:
    from_report: list[str] = []  # what the embedded report asks for (the app's own requests aside)
    page.on(
        "request",
        lambda r: from_report.append(r.url) if r.frame.parent_frame is not None else None,
    )
    open_page(page, served_app.url(QUALITY.served_path, role="admin"), QUALITY.title)
    page.get_by_text("在看板中查看").click()
    frame = page.frame_locator("iframe").first
    frame.locator("h1").first.wait_for()
    styled = frame.locator("body").evaluate(
        """(body) => ({
          shade: getComputedStyle(body.querySelector('th')).backgroundColor,
          failed: body.querySelectorAll('td.bad').length,
          heading: body.querySelector('h1').textContent,
        })"""
    )
    assert styled["shade"] == HEADER_SHADE
    assert styled["failed"] >= 1
    assert styled["heading"] == "模拟数据 数据质量检查报告"  # the demo is labelled as simulated
    assert _latest_report(demo_db).stem in frame.locator("body").inner_text()
    assert [u for u in from_report if not u.startswith(("about:", "data:"))] == []
