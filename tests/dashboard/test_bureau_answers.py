"""What a provincial bureau comes for: its own province first, its cases' distance to the
cut-off, and the other provinces' published selections — each checked against SQL over the
full warehouse, computed here independently of the marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from page_reading import figures, table, texts

BUREAU = {"role": "bureau", "as": "浙江"}

# Each 终评 case of a province with its national place among the group's finalists and the
# group's cut-off (the lowest 终评 mean among its selected cases), from core.scores alone.
FINALISTS = """
with means as (
    select s.submission_id, s.province, s.title, s.is_selected,
           coalesce(s.category, s.track) as grp, avg(c.total_score) as mean_score
    from core.scores as c join core.submissions as s using (submission_id)
    where c.year = ? and c.stage = '终评'
    group by all
),
ranked as (
    select *, rank() over (partition by grp order by mean_score desc) as place,
           count(*) over (partition by grp) as finalists,
           min(mean_score) filter (where is_selected) over (partition by grp) as cutoff
    from means
)
select title, place, finalists, cutoff - mean_score as gap, is_selected
from ranked where province = ? order by grp, place
"""


def test_a_bureau_lands_on_its_own_province(open_page) -> None:
    regions = open_page("地区分布", **BUREAU)
    assert regions.selectbox(key="focus").value == "浙江"
    assert "浙江 · " in texts(regions)  # the focus panel is drawn
    assert open_page("地区分布", role="leader").selectbox(key="focus").value == "全国"
    overview = open_page("总览", year="2024", **BUREAU)
    assert "本省：浙江 · 2024年度" in texts(overview)


def test_the_own_province_panel_says_the_nations_numbers(open_page, sql) -> None:
    at = open_page("总览", year="2024", **BUREAU)
    submitted = sql("select count(*) from core.submissions where year = 2024 and province = '浙江'")
    rank = sql(
        "select rank from (select province, rank() over (order by count(*) desc) as rank "
        "from core.submissions where year = 2024 and province <> '中央单位' group by province) "
        "where province = '浙江'"
    )
    selected = sql(
        "select count(*) from core.submissions where year = 2024 and province = '浙江' "
        "and is_selected"
    )
    assert f"申报 {submitted} 个" in texts(at) and f"排第 {rank}；" in texts(at)
    assert f"入选 {selected} 个" in texts(at)


def test_a_bureaus_finalists_show_their_national_place_and_gap(open_page, warehouse) -> None:
    at = open_page("地区对比", year="2024", **BUREAU)
    shown = table(at, "案例名称")
    expected = _finalists(warehouse, 2024, "浙江")
    assert len(shown) == len(expected) > 0
    for (_, row), (title, place, finalists, gap, selected) in zip(
        shown.iterrows(), expected, strict=True
    ):
        assert row["案例名称"] == title
        assert row["终评名次"] == f"{place} / {finalists}"
        if selected:
            assert row["距入选线"].startswith("入选")
        else:
            assert row["距入选线"] == f"差 {gap:.1f} 分"
    leader = table(open_page("地区对比", year="2024", role="leader", province="浙江"), "案例名称")
    assert leader["终评名次"].tolist() == shown["终评名次"].tolist()  # one rank, every role


def _finalists(warehouse: Path, year: int, province: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(FINALISTS, [year, province]).fetchall()


def test_the_criterion_comparison_is_against_the_selected_cases(open_page, sql) -> None:
    at = open_page("地区对比", year="2024", **BUREAU)
    long = table(at, "案例名称")
    compared = next(d.value for d in at.dataframe if "评分维度" in d.value.columns)
    assert set(compared["评分维度"]) == {"政治性", "创新性", "实效性", "典型性"}
    assert len(compared) == 4 * len(long)
    first = compared.iloc[0]
    assert round(first["差值"], 9) == round(first["本案例均分"] - first["该组入选案例均分"], 9)


def test_an_unpublished_year_shows_no_score_and_says_why(open_page) -> None:
    at = open_page("地区对比", year="2025", **BUREAU)
    assert "2025年度评审结果未公布，不显示终评得分与入选线。" in texts(at)
    assert not any("距入选线" in d.value.columns for d in at.dataframe)


def test_another_provinces_published_selections_are_public(open_page, sql) -> None:
    at = open_page("地区对比", year="2024", province="江苏", **BUREAU)
    listed = table(at, "年度")
    published = sql(
        "select count(*) from core.submissions join ref.programme_years using (year) "
        "where province = '江苏' and is_selected and results_published"
    )
    assert len(listed) == published > 0
    assert set(listed["所属省份"]) == {"江苏"}
    assert not {"终评得分", "终评均分", "平均分"} & set(listed.columns)  # the list, not scores
    unpublished = sql("select min(year) from ref.programme_years where not results_published")
    assert unpublished not in set(listed["年度"])


@pytest.mark.parametrize("role", ["leader", "researcher"])
def test_the_overview_lists_the_years_selected_cases(open_page, sql, role) -> None:
    at = open_page("总览", year="2024", role=role)
    listed = next(d.value for d in at.dataframe if "案例名称" in d.value.columns)
    assert len(listed) == sql(
        "select count(*) from core.submissions where year = 2024 and is_selected"
    )
    later = open_page("总览", year="2025", role=role)
    assert not any("入选名单" in e.label for e in later.expander)  # not published yet


@pytest.mark.parametrize(
    ("title", "params"),
    [("地区对比", {"role": "leader", "province": "浙江"}), ("年度趋势", {"role": "researcher"})],
)
def test_a_years_note_sits_under_its_year_and_covers_no_bar(open_page, title, params):
    """A note such as 入选数未公布 is written under its year's tick. Placed by the name "2025"
    Plotly read it as x = 2025 and squeezed every bar into the left edge; drawn over the bars
    it hid 2025's 申报数."""
    at = open_page(title, year="2024", **params)
    unpublished = "2025"
    noted = []
    for fig in figures(at):
        axis = fig["layout"].get("xaxis", {})
        if axis.get("type") != "category" or "ticktext" not in axis:
            continue
        ticks = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
        assert all(tick.startswith(year) for year, tick in ticks.items())
        noted.append(ticks[unpublished])
        assert not any(
            str(a.get("text", "")).startswith("入选数")
            for a in fig["layout"].get("annotations", [])
        )
    assert noted and all("入选数" in tick for tick in noted), noted


def test_a_bureau_opens_rank_moves_on_a_group_with_its_finalists(open_page, sql) -> None:
    """A bureau with no finalist in the first category opens on one where it has some."""
    province = sql(
        "select province from core.scores where year = 2024 and stage = '终评' "
        "and province <> '中央单位' "
        "group by province having count(*) filter (where category = "
        "(select categories[1] from ref.programme_years where year = 2024)) = 0 "
        "order by province limit 1"
    )
    at = open_page("评分分析", year="2024", view="排名变化", role="bureau", **{"as": province})
    group = at.selectbox(key="rank_group").value
    finalists = sql(
        "select count(distinct submission_id) from core.scores where year = 2024 "
        "and stage = '终评' and province = ? and coalesce(category, track) = ?",
        [province, group],
    )
    assert finalists > 0, (province, group)
    assert len(table(at, "终评名次")) == finalists
