"""年度趋势: values, year-on-year changes and shares equal SQL; the change of scheme is marked
on every chart and no line joins tracks to categories; the view comes back from the URL."""

from __future__ import annotations

import pytest
from page_reading import figures, table, texts

SCHEME = "2024年起改为四个类别"


def _count(sql, where: str, params: list) -> int:
    return sql(f"select count(*) from core.submissions where {where}", params)


def test_region_values_change_and_share_match_sql(open_page, sql):
    at = open_page("年度趋势", year="2024")
    assert not at.exception
    rows = table(at, "年度").set_index(["区域", "年度"])
    east = {y: _count(sql, "year = ? and region = '东部'", [y]) for y in (2022, 2023)}
    nation = _count(sql, "year = 2023", [])
    row = rows.loc[("东部", 2023)]
    assert row["申报数"] == east[2023]
    assert row["同比变化"] == east[2023] - east[2022]
    assert row["占全国比例（%）"] == pytest.approx(east[2023] / nation * 100)


def test_every_chart_marks_the_change_of_scheme(open_page):
    at = open_page("年度趋势", year="2024")
    charts = figures(at)
    assert len(charts) == 3  # national totals, the trend, its share of the nation
    for chart in charts:
        assert SCHEME in [a["text"] for a in chart["layout"]["annotations"]]
    assert "申报总数与入选总数作为个数可以跨年比较" in texts(at)


def test_no_line_joins_tracks_and_categories(open_page, sql):
    at = open_page("年度趋势", year="2024", by="类型/类别", metric="入选数")
    assert at.segmented_control(key="by").value == "类型/类别"
    trend = figures(at)[1]
    for trace in trend["data"]:
        years = {int(x) for x in trace["x"]}
        assert max(years) <= 2023 or min(years) >= 2024, trace["name"]
    names = {t["name"] for t in trend["data"]}
    assert {"先导单位", "成长项目", "融合生产传播"} <= names
    rows = table(at, "年度").set_index(["类型/类别", "年度"])
    assert rows.loc[("先导单位", 2023), "入选数"] == 10
    assert pd_isnull(rows.loc[("融合生产传播", 2024), "同比变化"])


def test_regions_continue_across_only_as_a_dotted_connector(open_page):
    trend = figures(open_page("年度趋势", year="2024"))[1]
    across = [t for t in trend["data"] if {"2023", "2024"} <= set(t["x"])]
    assert across  # one faint connector per region
    assert all(t["line"]["dash"] == "dot" and not t["showlegend"] for t in across)


def test_provinces_from_the_url(open_page, sql):
    at = open_page("年度趋势", year="2024", by="省份", metric="入选数", provinces=["浙江", "江苏"])
    assert at.multiselect(key="provinces").value == ["浙江", "江苏"]
    rows = table(at, "年度")
    assert set(rows["省份"]) == {"浙江", "江苏"}
    expected = _count(sql, "year = 2022 and province = '江苏' and is_selected", [])
    assert rows.set_index(["省份", "年度"]).loc[("江苏", 2022), "入选数"] == expected


def test_the_province_view_defaults_to_the_top_five(open_page, sql):
    at = open_page("年度趋势", year="2024")
    at.segmented_control(key="by").set_value("省份").run()
    fifth = sql(
        "select count(*) from core.submissions where year = 2024 "
        "group by province order by 1 desc limit 1 offset 4"
    )
    chosen = at.multiselect(key="provinces").value
    assert len(chosen) == 5
    rows = table(at, "年度").set_index(["省份", "年度"])
    assert min(rows.loc[(p, 2024), "申报数"] for p in chosen) >= fifth


def test_a_filter_narrows_the_trend(open_page):
    at = open_page("年度趋势", year="2024")
    at.multiselect(key="region").select("西部").run()
    assert set(table(at, "年度")["区域"]) == {"西部"}


def test_nothing_in_any_year_is_a_sentence(open_page):
    at = open_page("年度趋势", year="2024", track="先导单位", category="融合生产传播")
    assert not at.exception
    assert "历年都没有申报数据" in texts(at)


def pd_isnull(value: object) -> bool:
    return value is None or value != value  # NaN is not equal to itself
