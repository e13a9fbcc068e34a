"""Chinese to the last string (issue 14): every page, for every role, in Chromium — its visible
text, its tooltips (title, Plotly's data-title), its placeholders, the main menu and an opened
multiselect — holds no Latin word outside a short allow-list.

What a person reads counts; what only a screen reader reads (aria-label) and the glyph names
of Material icons (drawn as icons, typed as words in the DOM) do not. Case titles and unit
names are data: where a sentence quotes one (“…”, 「…」, 《…》) the quote is not checked, and the
Latin proper names the programme's titles use (5G, AI, Vlog, CGTN…) are allowed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from playwright.sync_api import Page
from served_app import ServedApp, open_page, router_pages

from dashboard import navigation

ROLES = {
    "领导": {"role": "leader"},
    "研究人员": {"role": "researcher"},
    "省局": {"role": "bureau", "as": "浙江"},
    "管理员": {"role": "admin"},
}
ROLE_OF = {"领导": "leader", "研究人员": "researcher", "省局": "bureau", "管理员": "admin"}
PATHS = {p.title: p.served_path for p in router_pages()}

# File formats and programs a user must name to use them, and the proper names in case titles.
ALLOWED = {
    "PNG", "CSV", "SQL", "Excel", "XLSX", "XLS", "PDF", "Word", "WPS", "DuckDB", "Parquet",
    "Python", "R", "UTF", "BOM", "ZIP", "zip", "KB", "MB", "GB",
    "5G", "4K", "AI", "AIGC", "TV", "H5", "Vlog", "MCN", "CGTN", "SMG", "XR", "i", "V",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z0-9_.]*[A-Za-z][A-Za-z0-9_.]*")
IDENTIFIER = re.compile(r"^(core|mart|ref|meta|stg)\.[a-z_]+$")  # a table a researcher queries
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》|‘[^’]*’")
VERSION = re.compile(r"\b\d{8}-\d{6}-[0-9a-f]{6}\b")  # a warehouse build, cited as it is

# Visible text nodes (not inside an icon, not hidden), and what a tooltip or placeholder says.
COLLECT = """
() => {
  const root = document.querySelector('[data-testid="stApp"]');
  const out = [];
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && style.opacity !== '0'
      && !el.closest('[data-testid="stSkipLink"], .sr-only');
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    if (el.closest('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"], style, script'))
      continue;
    if (/Material/.test(getComputedStyle(el).fontFamily)) continue;  // an icon's glyph name
    if (!shown(el) || parseFloat(getComputedStyle(el).fontSize) === 0) continue;
    out.push(['文字', node.textContent]);
  }
  for (const el of root.querySelectorAll('[title], [placeholder], [data-title], [alt]')) {
    if (el.closest('[style*="display: none"]') || (!el.offsetParent && getComputedStyle(el).position !== 'fixed'))
      continue;  // not displayed: nobody can hover it
    for (const name of ['title', 'placeholder', 'data-title', 'alt']) {
      const value = el.getAttribute(name);
      if (value) out.push([`${name}（${el.tagName.toLowerCase()}）`, value]);
    }
  }
  return out;
}
"""


class Visit(NamedTuple):
    role: str
    title: str


VISITS = [
    Visit(role, spec.title)
    for role in ROLES
    for specs in navigation.allowed(ROLE_OF[role]).values()
    for spec in specs
]


def latin_words(text: str) -> set[str]:
    """The Latin words of a text that are neither allowed names nor table identifiers."""
    words = set(WORD.findall(VERSION.sub("", QUOTED.sub("", text))))
    return {
        w
        for w in words
        if w.strip(".") not in ALLOWED
        and not IDENTIFIER.match(w.strip("."))
        and not re.fullmatch(r"[0-9.]+[A-Za-z]?", w)
    }


def _collect(page: Page) -> list[tuple[str, str]]:
    found = [tuple(item) for item in page.evaluate(COLLECT)]
    menu = page.get_by_test_id("stMainMenu")
    if menu.count():
        menu.click()
        found.append(("主菜单", page.get_by_test_id("stMainMenuPopover").inner_text()))
        page.keyboard.press("Escape")
    picks = page.get_by_test_id("stMultiSelect")
    if picks.count():
        box = picks.first.get_by_role("combobox")
        box.click()
        box.press("ArrowDown")  # react-aria's combobox opens its list on the arrow key
        listbox = page.locator('[role="listbox"]')
        listbox.first.wait_for(timeout=5_000)
        found.append(("多选下拉", listbox.first.inner_text()))
        page.keyboard.press("Escape")
    return found


def test_the_check_itself_finds_english_and_passes_names() -> None:
    assert latin_words("Select all") == {"Select", "all"}
    assert latin_words("Download plot as a png") == {"Download", "plot", "as", "a", "png"}
    assert latin_words("导出为 Excel 或 CSV；5G 与“i北京 App”") == set()
    assert latin_words("查询 mart.year_summary 与 core.units") == set()
    assert latin_words("etl check 报告") == {"etl", "check"}
    assert latin_words("仓库版本 20261203-093123-dd8603") == set()


@pytest.mark.parametrize(
    "visit", VISITS, ids=[f"{ROLE_OF[v.role]}-{PATHS[v.title] or 'overview'}" for v in VISITS]
)
def test_every_string_a_user_meets_is_chinese(
    served_app: ServedApp, page: Page, visit: Visit
) -> None:
    open_page(page, served_app.url(PATHS[visit.title], **ROLES[visit.role]), visit.title)
    leaks = {}
    for where, text in _collect(page):
        if visit.title == "SQL 控制台" and where == "placeholder（textarea）":
            continue  # the console's example is SQL, which is what a researcher types there
        for word in latin_words(text):
            leaks.setdefault(word, f"{where}：{text.strip()[:80]}")
    assert not leaks, "\n".join(f"{w} ← {where}" for w, where in sorted(leaks.items()))
