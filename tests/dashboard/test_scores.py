"""评分分析: distributions and the cut-off, the criterion profile, expert consistency and rank
moves equal SQL; each view opens from the URL; a published-list year says it has no scores."""

from __future__ import annotations

import pytest
from page_reading import table, texts

STAGE_MEANS = """
    select scores.submission_id, avg(scores.total_score) as mean_score
    from core.scores as scores
    inner join core.submissions as submissions using (submission_id)
    where scores.year = ? and scores.stage = ? and submissions.category = ? {extra}
    group by scores.submission_id
"""


def test_distribution_and_cutoff_match_sql(open_page, sql):
    at = open_page("评分分析", year="2024")
    assert not at.exception
    assert at.tabs[0].label == "分数分布"
    rows = table(at, "类型/类别").set_index(["类型/类别", "评审阶段"])
    final = rows.loc[("融合生产传播", "终评")]
    n = sql(
        f"select count(*) from ({STAGE_MEANS.format(extra='')})", [2024, "终评", "融合生产传播"]
    )
    cutoff = sql(
        f"select min(mean_score) from ({STAGE_MEANS.format(extra='and is_selected')})",
        [2024, "终评", "融合生产传播"],
    )
    median = sql(
        f"select median(mean_score) from ({STAGE_MEANS.format(extra='')})",
        [2024, "初评", "融合生产传播"],
    )
    assert final["案例数"] == n
    assert final["入选线"] == pytest.approx(cutoff)
    assert rows.loc[("融合生产传播", "初评"), "中位数"] == pytest.approx(median)
    assert f"融合生产传播 {cutoff:.1f} 分" in texts(at)


def test_the_rubric_is_called_an_assumption(open_page):
    at = open_page("评分分析", year="2024")
    assert "评分标准为假设" in texts(at)
    assert "评分标准参考表" in texts(at)  # where it is set, in words (no server path)
    rubric = table(at, "评分维度").set_index("评分维度")
    assert rubric.loc["创新性", "满分"] == 30


def test_criterion_profile_from_the_url(open_page, sql):
    at = open_page("评分分析", year="2024", view="评分维度")
    assert at.segmented_control(key="profile_stage").value == "初评"
    profile = table(at, "类型/类别").set_index(["类型/类别", "是否入选", "评分维度"])
    expected = sql(
        "select avg(political) / 20 from mart.submission_scores "
        "where year = 2024 and stage = '初评' and is_selected"
    )
    assert profile.loc[("全部", "入选", "政治性"), "占满分（%）"] == pytest.approx(expected * 100)


def test_the_severe_expert_is_flagged(open_page, sql):
    at = open_page("评分分析", year="2024", view="专家一致性")
    at.segmented_control(key="expert_stage").set_value("复评").run()
    experts = table(at, "专家编号").set_index("专家编号")
    scores = sql(
        "select count(*) from core.scores where year = 2024 and stage = '复评' and expert_id = 'E065'"
    )
    deviation = sql(
        """
        select avg(total_score - peers)
        from (
            select expert_id, total_score,
                (sum(total_score) over w - total_score) / (count(*) over w - 1) as peers
            from core.scores where year = 2024 and stage = '复评'
            window w as (partition by submission_id)
        )
        where expert_id = 'E065'
        """
    )
    assert experts.loc["E065", "判断"] == "偏严"  # the planted severe expert (etl/simulate.py)
    assert experts.loc["E065", "评分次数"] == scores
    assert experts.loc["E065", "平均偏差"] == pytest.approx(deviation)
    assert "偏严 **1** 位（E065）" in texts(at)


def test_rank_moves_of_the_finalists(open_page, sql):
    at = open_page("评分分析", year="2024", view="排名变化")
    at.selectbox(key="rank_group").select("综合信息服务").run()
    moves = table(at, "终评名次")
    finalists = sql(
        "select count(*) from mart.cases "
        "where year = 2024 and category = '综合信息服务' and final_score is not null"
    )
    best = sql(
        "select title from mart.cases where year = 2024 and category = '综合信息服务' "
        "order by final_score desc limit 1"
    )
    assert len(moves) == finalists == 20
    assert moves.iloc[0]["案例名称"] == best
    assert set(moves["终评名次"]) <= set(range(1, finalists + 1))


def test_a_published_list_year_has_no_scores(open_published):
    at = open_published("评分分析", year="2019")
    assert not at.exception
    assert "2019年度只有公布名单" in texts(at)
