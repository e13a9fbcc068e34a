"""A laptop screen and a printer (issue 14): at 1280 and 1024 pixels no KPI card cuts its label,
number or change; 总览 and 地区对比 printed from Chromium are A4 pages without the sidebar,
their KPI labels whole and their charts drawn."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page
from served_app import ARTIFACTS, ServedApp, open_page

# The pages with KPI cards, as the roles that come for them.
KPI_PAGES = [
    ("", "总览", {"role": "leader"}),
    ("regions", "地区分布", {"role": "leader"}),
    ("", "总览", {"role": "bureau", "as": "浙江"}),
    ("regions", "地区分布", {"role": "bureau", "as": "浙江"}),
]
SIDEBAR_ONLY = "切换角色即按该角色的权限查看"  # the demo's note under the role switcher
A4_POINTS = (595, 842)

# Every text box inside a KPI card that is cut: wider content than its box under a clipping
# overflow, or an ellipsis drawn by text-overflow.
CUT = """
() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap((card) =>
  [card, ...card.querySelectorAll('*')].filter((el) => {
    const style = getComputedStyle(el);
    const clips = style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
    return clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim();
  }).map((el) => card.innerText.replace(/\\s+/g, ' ') + ' ⟶ ' + el.textContent.trim()))
"""


@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize(("path", "title", "params"), KPI_PAGES, ids=lambda v: str(v))
def test_no_kpi_is_cut_on_a_laptop(
    served_app: ServedApp, page: Page, width: int, path: str, title: str, params: dict
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    open_page(page, served_app.url(path, **params), title)
    cards = page.get_by_test_id("stMetric")
    assert cards.count() >= 4
    assert page.evaluate(CUT) == []
    for text in cards.all_inner_texts():
        assert "…" not in text, text


def test_a_cut_card_is_caught(served_app: ServedApp, page: Page) -> None:
    """The check above, once against a card squeezed on purpose (it must see the cut)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, served_app.url("", role="leader"), "总览")
    page.add_style_tag(
        content='div[data-testid="stMetric"] div[data-testid="stMetricValue"] > div '
        "{ width: 1.2rem; overflow: hidden !important; text-overflow: ellipsis !important; "
        "white-space: nowrap !important; }"
    )
    assert page.evaluate(CUT)


@pytest.mark.parametrize(
    ("path", "title", "params"),
    [
        ("", "总览", {"role": "leader"}),
        ("compare", "地区对比", {"role": "leader", "province": "浙江"}),
    ],
    ids=["overview", "compare"],
)
def test_printed_on_a4_without_the_sidebar(
    served_app: ServedApp, page: Page, tmp_path: Path, path: str, title: str, params: dict
) -> None:
    open_page(page, served_app.url(path, **params), title)
    assert SIDEBAR_ONLY in page.locator("body").inner_text()  # on screen, it is there
    page.emulate_media(media="print")
    pdf = tmp_path / f"{title}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print" / pdf.name).write_bytes(pdf.read_bytes())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout).groups())
    assert (round(width), round(height)) == A4_POINTS
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert SIDEBAR_ONLY not in text
    assert "模拟数据" in text
    labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert labels or title != "总览"
    for label in labels:  # a label printed whole on one line, not one character per line
        assert label.strip() in text, label


def test_a_table_offers_no_download_of_its_own(served_app: ServedApp, page: Page) -> None:
    """One export path (issue 14): hovering a table shows no toolbar, so there is no
    `…_export.csv` with English booleans that bypasses the audited export; the page's own
    Excel and CSV buttons are there instead."""
    open_page(page, served_app.url("cases", role="researcher", year=2024), "案例检索")
    table = page.get_by_test_id("stDataFrame").first
    table.hover()
    page.mouse.move(*_top_right(table))  # where the toolbar appears
    page.wait_for_timeout(500)
    toolbars = page.get_by_test_id("stElementToolbar")
    shown = [t for t in toolbars.all() if t.is_visible()]
    assert shown == []
    assert page.locator("[data-testid='stElementToolbarButton']:visible").count() == 0
    buttons = page.get_by_test_id("stDownloadButton").all_inner_texts()
    assert any("Excel" in b for b in buttons) and any("CSV" in b for b in buttons), buttons


def _top_right(element) -> tuple[float, float]:
    box = element.bounding_box()
    return box["x"] + box["width"] - 20, box["y"] + 10
