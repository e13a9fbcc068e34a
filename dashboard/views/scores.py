"""评分分析: how the experts scored the chosen year — distributions per group and stage with
the cut-off of the selected, the four criteria for the selected and the rest, each expert
against their peers, and how the finalists' ranks moved from 初评 to 终评.

The four views are lazy tabs bound to the URL (?view=专家一致性): only the open one runs, and
switching reruns only this part of the page (a fragment). The rubric is an assumption
(data/reference/rubric.toml), and the page says so next to its values.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, queries
from dashboard.filters import Filters
from dashboard.markdown import plain
from etl.glossary import final_stage, stages
from etl.present import charts, fmt, labels
from etl.reference.contract import SCORE_SUMMARY

VIEWS = ("分数分布", "评分维度", "专家一致性", "排名变化")
SUMMARY = SCORE_SUMMARY.label  # 评分汇总表: scores with experts' totals only


def main() -> None:
    f = components.filters()
    stats = queries.score_distribution(f)
    if stats.is_empty():
        _no_scores(f)
        return
    if own := queries.scope().province:
        st.info(
            f"省局角色：得分分布、入选线和评分维度为全国全部案例（不受区域、层级等筛选影响）；"
            f"排名变化只列出{own}的终评案例，名次为其在全国同组终评案例中的名次。",
            icon=":material/lock:",
        )
    _rubric(f)
    _totals_only(f)
    _views(f, stats)


def _totals_only(f: Filters) -> None:
    """Scores read from a scoring summary (评审打分汇总表) have experts' totals only: say so."""
    coverage = queries.criterion_coverage(f.year).row(0, named=True)
    scored, detailed = coverage["scored"], coverage["with_criteria"]
    if not scored or detailed == scored:
        return
    if detailed == 0:
        said = "分数分布、专家一致性和排名变化按总分计算，评分维度无从分析。"
    else:
        said = f"评分维度只按其余 {detailed:,} 项有各项得分的评审计算。"
    st.info(
        f"{f.year}年度有 {scored - detailed:,} 项评审（案例 × 评审阶段）的评分来自{SUMMARY}，"
        f"只有各位专家的总分，没有政治性、创新性、实效性、典型性各项得分：{said}",
        icon=":material/info:",
    )


def _no_scores(f: Filters) -> None:
    state = components.year_state(f)
    if not state.applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if state.withheld:
        components.empty(
            f"{f.year}年度评审结果{fmt.WITHHELD}：得分、评分维度、专家一致性和名次公布后可见。"
        )
        return
    year = components.year_row(queries.year_totals(f), f.year)
    if year and year["submissions"] and year["from_published_list"] == year["submissions"]:
        components.empty(
            f"{f.year}年度只有公布名单（入选结果），没有申报与评分数据，本页无从分析。"
        )
    elif year and year["submissions"]:
        components.empty(f"{f.year}年度在当前筛选条件（{f.describe()}）下没有评分数据。")
    else:
        components.empty(components.no_data_sentence(f))


def _rubric(f: Filters) -> None:
    rubric = queries.rubric(f.year)
    parts = "、".join(f"{r['label']} {r['max_points']:g} 分" for r in rubric.iter_rows(named=True))
    st.caption(
        f"评分标准为假设：通知只列出政治性、创新性、实效性、典型性四项要求，未公布分值。"
        f"本页按 {parts}（满分 {fmt.score(queries.rubric_max(f.year))}）计算。"
    )
    with st.expander("评分标准（假设）"):
        shown = rubric.select("label", "max_points", "weight")
        components.table(
            labels.rename(shown, {"label": "评分维度", "max_points": "满分", "weight": "权重"}),
            "评分标准",
            None,
            "rubric",
            extra_parts=(str(f.year),),
        )
        st.caption(
            "分值与权重在评分标准参考表（仓库的参考数据，由管理员维护）中按年度配置，"
            "改动后重新构建仓库即生效；方法说明见「研究资料」。"
        )


@st.fragment
def _views(f: Filters, stats: pl.DataFrame) -> None:
    tabs = st.tabs(list(VIEWS), key="view", bind="query-params")
    views = (_distribution, _criteria, _experts, _ranks)
    for tab, view in zip(tabs, views, strict=True):
        if tab.open:
            with tab:
                view(f, stats)


def _distribution(f: Filters, stats: pl.DataFrame) -> None:
    components.chart(
        components.figure(charts.stage_boxes, stats),
        "stage_boxes",
        f"得分分布_{f.slug()}",
        internal=components.internal_year(f.year),
    )
    st.caption(
        "每个箱体为一个组在一个评审阶段的案例得分（每个案例取该阶段专家总分的平均）："
        "箱体为四分位距，中线为中位数，须线到最低与最高分。"
        "红色竖线为入选线：该组入选案例终评平均分的最低值（全国，不受区域、层级筛选影响）"
        + _cutoffs(stats)
        + "。"
    )
    shown = stats.select(
        "group",
        "stage",
        "n",
        "selected",
        "min_score",
        "q1",
        "median",
        "q3",
        "max_score",
        "mean_score",
        "cutoff",
    )
    names = {
        "group": "类型/类别",
        "stage": "评审阶段",
        "n": "案例数",
        "selected": "其中入选",
        "min_score": "最低分",
        "q1": "下四分位",
        "median": "中位数",
        "q3": "上四分位",
        "max_score": "最高分",
        "mean_score": "平均分",
        "cutoff": "入选线",
    }
    components.table(labels.rename(shown, names), "得分分布", f, "distribution")


def _cutoffs(stats: pl.DataFrame) -> str:
    cut = stats.filter(pl.col("stage") == final_stage(), pl.col("cutoff").is_not_null())
    if cut.is_empty():
        return "；本年度没有入选案例的终评得分"
    return "：" + "，".join(
        f"{g} {fmt.score(c)}" for g, c in zip(cut["group"], cut["cutoff"], strict=True)
    )


def _criteria(f: Filters, stats: pl.DataFrame) -> None:
    present = [s for s in stages() if s in stats["stage"].to_list()]
    stage = st.segmented_control(
        "评审阶段", present, default=present[0], required=True, key="profile_stage"
    )
    profile = queries.criterion_profile(f, stage)
    if profile.get_column("mean_points").null_count() == profile.height:
        components.empty(f"{stage}的评分只有专家总分（来自{SUMMARY}），没有各项得分。")
        return
    overall = profile.filter(pl.col("group") == "全部")
    criteria = list(dict.fromkeys(overall["label"].to_list()))
    series = {
        name: overall.filter(pl.col("is_selected") == chosen)["share"].to_list()
        for name, chosen in (("入选", True), ("未入选", False))
    }
    series = {name: values for name, values in series.items() if values}
    fig = components.figure(charts.criterion_bars, criteria, series)
    components.chart(
        fig, "criteria", f"评分维度_{stage}_{f.slug()}", internal=components.internal_year(f.year)
    )
    st.caption(
        f"{stage}各项得分（每个案例取专家平均）占该项满分的比例，入选与未入选分开平均。"
        "满分来自评分标准（假设），比例便于比较满分不同的维度。"
    )
    shown = profile.select(
        "group",
        pl.when(pl.col("is_selected"))
        .then(pl.lit("入选"))
        .otherwise(pl.lit("未入选"))
        .alias("selection"),
        "label",
        "n",
        "mean_points",
        "max_points",
        (pl.col("share") * 100).alias("share"),
    )
    names = {
        "selection": "是否入选",
        "label": "评分维度",
        "n": "案例数",
        "mean_points": "平均得分",
        "max_points": "满分",
        "share": "占满分（%）",
    }
    components.table(
        labels.rename(shown, names), "评分维度", f, "criteria_table", extra_parts=(stage,)
    )


def _experts(f: Filters, stats: pl.DataFrame) -> None:
    experts = queries.expert_consistency(f.year)
    if experts.is_empty():
        components.empty(f"{f.year}年度没有专家评分记录。")
        return
    present = [s for s in stages() if s in experts["stage"].to_list()]
    stage = st.segmented_control(
        "评审阶段", present, default=present[0], required=True, key="expert_stage"
    )
    rows = experts.filter(pl.col("stage") == stage)
    names = _expert_names(rows)
    st.markdown(_expert_summary(f, stage, rows, names))
    components.chart(
        components.figure(charts.expert_scatter, rows, names),
        "experts",
        f"专家一致性_{stage}_{f.year}",
        internal=components.internal_year(f.year),
    )
    st.caption(
        "偏差 = 专家给出的总分 − 同一案例同一阶段其他专家的平均总分；负为偏严，正为偏宽。"
        f"判为偏严或偏宽须同时满足：平均偏差在本阶段专家中属异常（稳健 z 值绝对值 ≥ {queries.EXPERT_MIN_Z}，"
        f"按中位数与绝对中位差计算），且不是偶然（t 值绝对值 ≥ {queries.EXPERT_MIN_T}）。"
        "按全部案例计算，不受左侧筛选影响。"
    )
    _experts_table(f, stage, rows, names)


def _expert_summary(f: Filters, stage: str, rows: pl.DataFrame, names: list[str]) -> str:
    """「2024年度复评共 46 位专家：偏严 1 位（E065），偏宽 0 位，…」"""
    verdicts = rows["verdict"].to_list()

    def flagged(verdict: str) -> str:
        who = [n for n, v in zip(names, verdicts, strict=True) if v == verdict]
        return f"**{len(who)}** 位" + (f"（{'、'.join(map(plain, who))}）" if who else "")

    return (
        f"{f.year}年度{stage}共 {rows.height} 位专家：偏严 {flagged('偏严')}，偏宽 {flagged('偏宽')}；"
        f"评分少于 {queries.EXPERT_MIN_SCORES} 次、未作判断的 {verdicts.count('评分过少')} 位。"
    )


def _experts_table(f: Filters, stage: str, rows: pl.DataFrame, names: list[str]) -> None:
    shown = rows.select(
        pl.Series("expert", names),
        *[c for c in ("expert_province",) if c in rows.columns],
        "compared",
        "mean_score",
        "sd_score",
        "mean_deviation",
        "sd_deviation",
        "robust_z",
        "verdict",
    ).sort(pl.col("verdict").replace_strict({"偏严": 0, "偏宽": 1}, default=2), "mean_deviation")
    columns = {
        "expert": "专家编号",
        "expert_province": "专家所在省份",
        "compared": "评分次数",
        "mean_score": "平均给分",
        "sd_score": "给分标准差",
        "mean_deviation": "平均偏差",
        "sd_deviation": "偏差标准差",
        "robust_z": "稳健z值",
        "verdict": "判断",
    }
    components.table(
        labels.rename(shown, columns),
        "专家一致性",
        None,
        "experts_table",
        extra_parts=(str(f.year), stage),
    )


def _expert_names(rows: pl.DataFrame) -> list[str]:
    """Expert ids as the warehouse gives them; numbered placeholders when the access layer
    has withheld them for the viewer's role."""
    if "expert_id" in rows.columns:
        return rows["expert_id"].to_list()
    st.caption("专家编号按当前角色的权限不予显示，以序号代替。")
    return [f"专家{i + 1}" for i in range(rows.height)]


def _ranks(f: Filters, stats: pl.DataFrame) -> None:
    groups = stats.filter(pl.col("stage") == final_stage())["group"].to_list()
    if not groups:
        components.empty(f"{f.year}年度在当前筛选条件下没有进入终评的案例。")
        return
    group = st.selectbox(
        "类型/类别",
        groups,
        index=_first_with_cases(f, groups),
        key="rank_group",
        placeholder="请选择",
    )
    moves = labels.with_shown_titles(queries.rank_moves(f, group))
    if moves.is_empty():
        components.empty(f"{group}在当前筛选条件下没有进入终评的案例。")
        return
    components.chart(
        components.figure(charts.rank_slopes, moves),
        "rank_slopes",
        f"名次变化_{group}_{f.slug()}",
        internal=components.internal_year(f.year),
    )
    risen = moves.filter(pl.col("rank_change") > 0).height
    st.caption(
        f"{group}进入终评的 {moves.height} 个案例在初评、复评、终评中的名次（在该组全部终评案例中排名，"
        f"1 为最高），同一批案例的先后因此可以逐阶段比较。其中 {risen} 个终评名次高于初评。"
        "名次变化 = 初评名次 − 终评名次，正数为上升。"
    )
    shown = moves.select(
        "final_rank",
        "title",
        "unit_name",
        "province",
        "first_rank",
        "second_rank",
        "rank_change",
        "final_score",
        "is_selected",
    )
    names = {"final_rank": "终评名次", "first_rank": "初评名次", "second_rank": "复评名次"}
    components.table(labels.rename(shown, names), f"名次变化_{group}", f, "ranks")


def _first_with_cases(f: Filters, groups: list[str]) -> int:
    """A bureau, whose copy holds its own cases only, opens on a group where it has a
    finalist rather than on an empty one; every other role opens on the first group."""
    if not queries.scope().province:
        return 0
    return next((i for i, g in enumerate(groups) if queries.rank_moves(f, g).height), 0)


main()
