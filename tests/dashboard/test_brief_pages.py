"""The brief's buttons on 总览 and 地区对比: one source of numbers (the brief's figures equal the
page's), the signed-in role's brief only, and each brief produced recorded in the audit log."""

from __future__ import annotations

import pytest
from page_reading import metric, table, texts

from etl.access import audit
from etl.access.scopes import Scope, scoped_connection
from etl.brief.compose import compose
from etl.brief.source import Source

BRIEFS = "_briefs"
BUREAU = {"role": "bureau", "as": "浙江"}


def _brief(db, year, province=None, role="leader", own=None):
    scope = Scope.of(role, own)
    con = scoped_connection(db, scope.role, scope.province)
    try:
        return compose(Source(con, scope), year, province, scope.label)
    finally:
        con.close()


def _cells(brief, title, row):
    found = next(t for t in brief.tables if t.caption.endswith(title))
    line = next(r for r in found.rows if r[0] == row)
    return dict(zip(found.headers, line, strict=True))


@pytest.mark.parametrize(("role", "year"), [("leader", "2024"), ("researcher", "2025")])
def test_the_briefs_headline_numbers_are_the_overview_pages(open_page, warehouse, role, year):
    at = open_page("总览", role=role, year=year)
    key = _cells_by_measure(_brief(warehouse, int(year), role=role), f"{year}年度主要指标", year)
    for label in ("申报数", "参与省份", "进入终评", "入选数", "入选率", "平均分"):
        assert key[label] == metric(at, label), label


def _cells_by_measure(brief, title, year):
    found = next(t for t in brief.tables if t.caption.endswith(title))
    return {r[0]: r[found.headers.index(f"{year}年度")] for r in found.rows}


def test_the_province_briefs_numbers_are_the_compare_pages(open_page, warehouse):
    at = open_page("地区对比", province="浙江", year="2024", **BUREAU)
    page = table(at, "范围").set_index("范围")
    brief = _brief(warehouse, 2024, "浙江", role="bureau", own="浙江")
    title = "2024年度浙江与所在区域、全国比较"
    for page_row, brief_row in (
        ("浙江", "浙江"),
        ("东部合计", "东部合计"),
        ("全国合计", "全国合计"),
    ):
        cells = _cells(brief, title, brief_row)
        shown = page.loc[page_row]
        assert int(cells["申报"]) == shown["申报数"]
        assert int(cells["推荐"]) == shown["省级推荐"]
        assert int(cells["终评"]) == shown["进入终评"]
        assert int(cells["入选"]) == shown["入选数"]
        assert cells["入选率"] == f"{shown['入选率（%）']:.1f}%"
        assert cells["推荐率"] == f"{shown['推荐率（%）']:.1f}%"
    said = texts(at)
    rates = [b.text for b in brief.blocks if getattr(b, "text", "").startswith("本省")]
    assert len(rates) == 3  # 推荐率, 终评率, 入选率 against 东部 and the nation
    assert all(sentence in said for sentence in rates)


def test_a_bureau_gets_its_own_province_only(open_page, warehouse):
    other = open_page("地区对比", province="江苏", year="2024", **BUREAU)
    assert "省局用户只能生成本省（浙江）的分析报告。" in texts(other)
    assert BRIEFS not in other.session_state  # no button drawn
    overview = open_page("总览", year="2024", **BUREAU)  # its own province's, not the nation's
    assert overview.session_state[BRIEFS]["brief_pdf"].province == "浙江"
    own = open_page("地区对比", province="浙江", year="2024", **BUREAU)
    offered = own.session_state[BRIEFS]["brief_docx"]
    assert (offered.access.scope, offered.province) == (Scope("bureau", "浙江"), "浙江")


@pytest.mark.slow
def test_the_button_produces_the_brief_and_logs_it(open_page):
    at = open_page("总览", role="researcher", year="2024")
    offered = at.session_state[BRIEFS]["brief_docx"]
    content = offered()
    assert content[:2] == b"PK"
    last = audit.events().row(-1, named=True)
    assert (last["action"], last["role"]) == ("report", "researcher")
    assert last["detail"] == "2024年全国广播电视媒体融合典型案例征集推选情况分析（docx）"
