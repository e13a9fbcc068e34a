"""Every claim a page makes, for every role: the nation's number, 未公布, or 不适用 — never a
different number.

A table of page × role × situation (a published year, the unpublished year, a category filter,
a track filter, each where it applies and where it does not). For each row the page is opened
as that role (AppTest, demo mode's switcher) and what it shows is checked against SQL over the
full warehouse file, masked by the policy in words: a result of an unpublished year reads
未公布 for a role that may not see it; a year whose scheme the filters cannot match reads
不适用; everything else is the number the full warehouse gives.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from page_reading import figures, table, texts

from etl.present import fmt

UNPUBLISHED, PUBLISHED = 2025, 2024
ROLES = {
    "leader": {"role": "leader"},
    "researcher": {"role": "researcher"},
    "bureau": {"role": "bureau", "as": "浙江"},
}
# (year, filters as URL parameters, does the year's scheme apply, label)
SITUATIONS = [
    (PUBLISHED, {}, True, "published"),
    (UNPUBLISHED, {}, True, "unpublished"),
    (PUBLISHED, {"category": "融合生产传播"}, True, "category"),
    (2023, {"category": "融合生产传播"}, False, "category-before-2024"),
    (2023, {"track": "先导单位"}, True, "track"),
    (PUBLISHED, {"track": "先导单位"}, False, "track-after-2023"),
]
CASES = [
    pytest.param(role, year, params, applies, id=f"{role}-{label}")
    for role in ROLES
    for year, params, applies, label in SITUATIONS
]
RESULT_KPIS = ("进入终评", "入选数", "入选率", "平均分")


def _where(year: int, params: dict[str, str], province: str | None = None) -> tuple[str, list]:
    clauses, args = ["year = ?"], [year]
    if "category" in params:
        clauses.append("category = ?")
        args.append(params["category"])
    if "track" in params:
        clauses.append("track = ?")
        args.append(params["track"])
    if province:
        clauses.append("province = ?")
        args.append(province)
    return " and ".join(clauses), args


def _truth(db, year: int, params: dict[str, str], province: str | None = None) -> dict:
    """The headline numbers of the full warehouse (the leader's numbers), as the page formats
    them."""
    where, args = _where(year, params, province)
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "select sum(submissions), count(distinct province) filter (where province <> '中央单位'), "
            "sum(reached_final), sum(selected), sum(first_score_sum) / nullif(sum(first_score_n), 0) "
            f"from mart.submission_facts where {where}",
            args,
        ).fetchone()
    submissions, provinces, final, selected, mean = row
    return {
        "申报数": fmt.count(submissions),
        "参与省份": fmt.count(provinces),
        "进入终评": fmt.count(final),
        "入选数": fmt.count(selected),
        "入选率": fmt.pct(selected / submissions if submissions else None),
        "平均分": fmt.score(mean),
    }


def _expected(db, role: str, year: int, params: dict, applies: bool, province=None) -> dict:
    if not applies:
        return dict.fromkeys(("申报数", "参与省份", *RESULT_KPIS), fmt.NOT_APPLICABLE)
    shown = _truth(db, year, params, province)
    if role != "leader" and year == UNPUBLISHED:
        shown.update(dict.fromkeys(RESULT_KPIS, fmt.WITHHELD))
    return shown


def _cards(at) -> dict[str, str]:
    """KPI label → value, with the 内部 mark a leader's unpublished year carries taken off."""
    return {m.label.removesuffix(f"（{fmt.INTERNAL}）"): m.value for m in at.metric}


@pytest.mark.parametrize("role, year, params, applies", CASES)
def test_overview_headline(open_page, warehouse, role, year, params, applies) -> None:
    at = open_page("总览", year=str(year), **params, **ROLES[role])
    assert not at.exception
    if not applies:
        assert fmt.NOT_APPLICABLE in texts(at) and not at.metric
        return
    expected = _expected(warehouse, role, year, params, applies)
    assert _cards(at) == {k: v for k, v in expected.items() if k in _cards(at)}
    assert set(_cards(at)) == set(expected)
    internal = {m.label for m in at.metric if fmt.INTERNAL in m.label}
    assert bool(internal) == (role == "leader" and year == UNPUBLISHED)


@pytest.mark.parametrize("role, year, params, applies", CASES)
def test_regions_focus_panel(open_page, warehouse, role, year, params, applies) -> None:
    at = open_page("地区分布", year=str(year), focus="浙江", **params, **ROLES[role])
    assert not at.exception
    if not applies:
        assert fmt.NOT_APPLICABLE in texts(at)
        return
    expected = _expected(warehouse, role, year, params, applies, "浙江")
    cards = _cards(at)
    for label in ("申报数", "入选数", "入选率", "平均分"):
        assert cards[label] == expected[label], label
    words = texts(at)
    assert "无申报" not in words.replace("无申报的", "")  # 浙江 submitted: never 无申报
    if role != "leader" and year == UNPUBLISHED:
        assert "不按入选数排名" not in words  # the page opens on 申报数: ranked, not withheld


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("measure", ["入选数", "入选率"])
def test_no_rank_and_no_empty_tile_for_a_withheld_result(open_page, warehouse, role, measure):
    at = open_page("地区分布", year=str(UNPUBLISHED), measure=measure, **ROLES[role])
    assert not at.exception
    tiles = _tile_words(at)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        submitted = {
            r[0]
            for r in con.execute(
                "select province from mart.submission_facts where year = ? group by province "
                "having sum(submissions) > 0",
                [UNPUBLISHED],
            ).fetchall()
        }
    said = lambda word: {p for p, w in tiles.items() if w == word}  # noqa: E731
    if role == "leader":
        assert f"不按{measure}排名" not in texts(at) and not said(fmt.WITHHELD)
        return
    assert f"不按{measure}排名" in texts(at)
    assert said(fmt.WITHHELD) == submitted
    assert not said(fmt.NO_SUBMISSIONS) & submitted  # a province that submitted: never 无申报


TILE_NAME = {"兵团": "新疆生产建设兵团"}  # the tile's short label back to the province


def _tile_words(at) -> dict[str, str]:
    """province → the word its tile shows below its name (values are digits, not words)."""
    tiles = next(f for f in figures(at) if "不参评" in json.dumps(f, ensure_ascii=False))
    words = {}
    for trace in tiles["data"]:
        for text in trace.get("text") or []:
            name, _, word = text.partition("<br>")
            words[TILE_NAME.get(name, name)] = word
    return words


def test_a_withheld_case_reads_withheld(open_page, warehouse) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        case = con.execute(
            "select submission_id, title from mart.cases where year = ? and is_selected "
            "and province = '浙江' order by submission_id limit 1",
            [UNPUBLISHED],
        ).fetchone()
    for role in ROLES:
        at = open_page("案例检索", year=str(UNPUBLISHED), case=case[0], q=case[1], **ROLES[role])
        assert not at.exception
        record = dict(table(at, "字段").values.tolist())
        words = texts(at)
        if role == "leader":
            assert record["入选"] == "是" and record["最远阶段"] == "终评"
            assert "尚未公布" in words
        else:
            assert record["入选"] == record["最远阶段"] == fmt.WITHHELD, role
            assert "未入选" not in words and "没有评分记录" not in words
            assert "评审结果未公布" in words


def _a_zhejiang_finalist(db) -> tuple[str, str, str, int]:
    """A 浙江 case of the published year at 终评, its group, title and national finalist rank."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "with finalists as (select * from mart.submission_scores "
            "where year = ? and stage = '终评'), ranked as (select *, rank() over "
            "(partition by score_group order by mean_score desc) as national from finalists) "
            "select ranked.submission_id, ranked.score_group, cases.title, ranked.national "
            "from ranked join mart.cases as cases using (submission_id) "
            "where ranked.province = '浙江' and not ranked.is_selected "
            "order by ranked.national limit 1",
            [PUBLISHED],
        ).fetchone()


def test_a_bureau_sees_the_national_rank_and_cut_off_of_its_case(open_page, warehouse) -> None:
    sid, group, title, national = _a_zhejiang_finalist(warehouse)
    assert national > 1  # not the best of its group: a rank among 浙江 alone would differ
    seen = {}
    for role in ("leader", "bureau"):
        moves = open_page("评分分析", year=str(PUBLISHED), view="排名变化", **ROLES[role])
        moves.selectbox(key="rank_group").select(group).run()
        rows = table(moves, "终评名次")
        final_rank = int(rows.loc[rows["案例名称"] == title, "终评名次"].iloc[0])
        record = open_page("案例检索", year=str(PUBLISHED), case=sid, q=title, **ROLES[role])
        ranks = table(record, "评审阶段")
        in_search = int(ranks.loc[ranks["评审阶段"] == "终评", "组内名次"].iloc[0])
        cutoff = next(
            line for line in texts(record).split("\n") if "入选线" in line and "低于" in line
        )
        seen[role] = (final_rank, in_search, cutoff)
    assert seen["leader"] == seen["bureau"]
    assert seen["bureau"][0] == seen["bureau"][1] == national


@pytest.mark.parametrize("role", ROLES)
def test_trends_under_a_category_filter(open_page, role) -> None:
    at = open_page("年度趋势", year=str(PUBLISHED), category="融合生产传播", **ROLES[role])
    assert not at.exception
    rows = table(at, "年度")
    before = rows[rows["年度"] < 2024]
    assert len(before) and set(before["申报数"]) == {fmt.NOT_APPLICABLE}
    assert set(before["同比变化"]) == {fmt.NOT_APPLICABLE}
    assert "增加最多" not in texts(at) and "2024年度没有可比的上一年度数据" in texts(at)
