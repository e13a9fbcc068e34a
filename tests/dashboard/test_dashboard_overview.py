"""总览: KPI cards and the summary equal SQL on the demo warehouse, under URL and widget filters."""

from __future__ import annotations

import pytest
from page_reading import metric, texts


def test_kpis_of_the_default_year_equal_sql(open_page, sql):
    at = open_page("总览")
    assert not at.exception
    year = sql("select max(year) from ref.programme_years where results_published")
    submissions = sql("select count(*) from core.submissions where year = ?", [year])
    selected = sql("select count(*) from core.submissions where year = ? and is_selected", [year])
    final = sql(
        "select count(*) from core.submissions where year = ? and furthest_stage = '终评'", [year]
    )
    provinces = sql(
        "select count(distinct province) from core.submissions "
        "where year = ? and province <> '中央单位'",
        [year],
    )
    assert metric(at, "申报数") == f"{submissions:,} 个"
    assert metric(at, "入选数") == f"{selected:,} 个"
    assert metric(at, "进入终评") == f"{final:,} 个"
    assert metric(at, "参与省份") == f"{provinces} 个"
    assert metric(at, "入选率") == f"{selected / submissions * 100:.1f}%"
    assert f"{year}年度共申报 {submissions:,} 个" in texts(at)


def test_year_on_year_change_is_against_the_year_before(open_page, sql):
    at = open_page("总览", year="2024")
    now, before = (
        sql("select count(*) from core.submissions where year = ?", [y]) for y in (2024, 2023)
    )
    delta = next(m.delta for m in at.metric if m.label == "申报数")
    assert delta == f"{now - before:+,} 个"
    assert "入选率 = 入选 ÷ 申报" in texts(at)
    assert "2024年起改为四个类别" in texts(at)


def test_first_year_has_no_comparison(open_page):
    at = open_page("总览", year="2019")
    assert all(not m.delta for m in at.metric)
    assert "没有可比的上一年度" in texts(at)


def test_url_restores_year_and_region(open_page, sql):
    at = open_page("总览", year="2023", region="西部")
    expected = sql("select count(*) from core.submissions where year = 2023 and region = '西部'")
    assert at.selectbox(key="year").value == 2023
    assert at.multiselect(key="region").value == ["西部"]
    assert metric(at, "申报数") == f"{expected:,} 个"
    assert "2023年度 · 西部" in texts(at)


@pytest.mark.parametrize(
    ("key", "choice", "where"),
    [
        ("category", "融合生产传播", "category = '融合生产传播'"),
        ("level", "县级", "unit_level = '县级'"),
        ("region", "东北", "region = '东北'"),
    ],
)
def test_a_filter_widget_changes_the_counts(open_page, sql, key, choice, where):
    at = open_page("总览", year="2024")
    at.multiselect(key=key).select(choice).run()
    expected = sql(f"select count(*) from core.submissions where year = 2024 and {where}")
    assert metric(at, "申报数") == f"{expected:,} 个"


def test_leaving_out_central_units(open_page, sql):
    at = open_page("总览", year="2024")
    at.toggle(key="central").set_value(False).run()
    expected = sql(
        "select count(*) from core.submissions where year = 2024 and province <> '中央单位'"
    )
    assert metric(at, "申报数") == f"{expected:,} 个"


def test_an_empty_year_gives_a_sentence(open_page):
    at = open_page("总览", year="2024", region="兵团", level="中央")
    assert not at.exception
    assert "2024年度在当前筛选条件" in texts(at)
    assert "没有申报数据" in texts(at)
