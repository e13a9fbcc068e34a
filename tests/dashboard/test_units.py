"""参与单位 and 单位档案 (issue 13): the registry's units as a reader checks them — counts that
SQL over core.submissions gives independently, 未公布 where a year is withheld (never 未入选),
a bureau held to its own province, and one unit's path under all its names."""

from __future__ import annotations

import pytest
from page_reading import table as shown_table
from page_reading import texts

from dashboard import navigation

ANJI = "安吉新闻集团"
RESEARCHER = {"role": "researcher"}
LEADER = {"role": "leader"}
BUREAU = {"role": "bureau", "as": "浙江"}

# Units selected in two or more years, from the submissions themselves; the researcher may
# not see unpublished years' results.
REPEAT_WINNERS = """
    select count(*) from (
        select unit_id
        from core.submissions
        where is_selected and year in (select year from ref.programme_years where {years})
        group by unit_id
        having count(distinct year) >= 2
    )
"""


def _anji(sql) -> str:
    return sql(f"select unit_id from core.units where unit_name = '{ANJI}'")


@pytest.mark.parametrize(
    ("params", "years"),
    [(RESEARCHER, "results_published"), (LEADER, "true")],
    ids=["researcher", "leader"],
)
def test_repeat_winners_are_the_units_sql_finds(open_page, sql, params, years):
    at = open_page("参与单位", **params)
    assert not at.exception
    expected = sql(REPEAT_WINNERS.format(years=years))
    assert expected > 10
    winners = shown_table(at, "申报单位")
    assert len(winners) == expected
    assert (winners["入选年度数"] >= 2).all()
    assert f"共 {expected:,} 个单位在两个以上年度入选" in texts(at)


def test_an_unpublished_year_reads_withheld_not_zero(open_page, sql):
    researcher = shown_table(open_page("参与单位", **RESEARCHER), "年度")
    leader = shown_table(open_page("参与单位", **LEADER), "年度")
    unpublished = sql("select max(year) from ref.programme_years where not results_published")
    row = researcher[researcher["年度"] == unpublished].iloc[0]
    assert row["首次参与即入选"] == "未公布"
    first_time_selected = sql(
        f"""select count(*) from mart.unit_history
            where year = {unpublished} and is_first_year and is_selected"""
    )
    assert leader[leader["年度"] == unpublished].iloc[0]["首次参与即入选"] == str(
        first_time_selected
    )
    # 2019 is the first year: every unit is new, which says nothing
    assert researcher[researcher["年度"] == 2019].iloc[0]["首次参与"] == "首届"


def test_a_bureau_reads_only_its_own_provinces_units(open_page, sql):
    at = open_page("参与单位", **BUREAU)
    assert not at.exception
    for first in ("申报单位", "所属省份", "时期"):
        for frame in (d.value for d in at.dataframe if d.value.columns[0] == first):
            assert set(frame["所属省份"]) == {"浙江"}, frame
    units = sql(
        "select count(distinct unit_id) from core.submissions where province = '浙江' and year = 2024"
    )
    entrants = shown_table(at, "年度")
    assert entrants[entrants["年度"] == 2024].iloc[0]["参与单位"] == units


def test_concentration_is_the_top_units_share(open_page, sql):
    at = open_page("参与单位", **RESEARCHER)
    rows = shown_table(at, "时期")
    henan = rows[(rows["所属省份"] == "河南") & (rows["时期"] == "2019—2023年")].iloc[0]
    total, top = (
        sql(
            f"""select {expr} from (
                    select unit_id, count(*) as n from core.submissions
                    where is_selected and province = '河南' and year <= 2023
                    group by unit_id)"""
        )
        for expr in ("sum(n)", "max(n)")
    )
    assert henan["入选数"] == total
    assert henan["该单位入选数"] == top
    assert henan["占本省入选（%）"] == pytest.approx(round(100 * top / total, 1))


def test_the_units_page_is_for_the_roles_that_read_the_registry():
    def titles(role: str) -> list[str]:
        return [s.title for specs in navigation.allowed(role).values() for s in specs]

    assert "参与单位" not in titles("admin")
    assert all("参与单位" in titles(role) for role in ("leader", "researcher", "bureau"))


def test_a_unit_opened_from_a_link_shows_every_year_and_name(open_page, sql):
    at = open_page("案例检索", unit=_anji(sql), **RESEARCHER)
    assert not at.exception
    said = texts(at)
    assert f"单位档案：{ANJI}" in said
    years = shown_table(at, "年度")
    assert years["年度"].tolist() == [2019, 2021, 2022, 2023]
    first = years.iloc[0]
    assert first["填报名称"] == "浙江安吉新闻集团"
    assert first["结果"] == "入选：典型案例"
    names = shown_table(at, "名称")
    assert names["名称"].tolist() == ["浙江安吉新闻集团", ANJI]
    assert "申报 4 个，入选 2 个" in said


def test_an_opened_case_shows_its_units_record(open_page, sql):
    case = sql(
        f"select submission_id from core.submissions where unit_name = '{ANJI}' and year = 2023"
    )
    at = open_page("案例检索", year="2023", q=ANJI, case=case, **RESEARCHER)
    assert not at.exception
    assert f"单位档案：{ANJI}" in texts(at)


def test_a_bureau_cannot_open_another_provinces_unit(open_page, sql):
    other = sql("select unit_id from core.units where province = '江苏' order by unit_id limit 1")
    at = open_page("案例检索", unit=other, role="bureau", **{"as": "浙江"})
    assert not at.exception
    said = texts(at)
    assert "不在本角色可查看的范围内" in said
    assert "单位档案：" not in said


def test_a_withheld_year_in_a_units_record_reads_withheld(open_page, sql):
    unit = sql(
        """select unit_id from mart.unit_history
           where year = 2025 and is_selected
           order by unit_id limit 1"""
    )
    years = shown_table(open_page("案例检索", unit=unit, **RESEARCHER), "年度")
    row = years[years["年度"] == 2025].iloc[0]
    assert row["结果"] == "未公布"
    assert row["最远阶段"] == "未公布"
    leader = shown_table(open_page("案例检索", unit=unit, **LEADER), "年度")
    assert leader[leader["年度"] == 2025].iloc[0]["结果"].startswith("入选：")
