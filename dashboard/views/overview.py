"""总览 (leadership): the chosen year at a glance, and what changed since the year before."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import brief, components, queries
from dashboard.filters import Filters
from etl.present import charts, fmt, labels, narrative, states
from etl.present.labels import FUNNEL, MEASURES, SCHEME_CHANGE_NOTE, SCHEME_CHANGE_YEAR


def main() -> None:
    f = components.filters()
    totals = queries.year_totals(f)
    now = components.year_row(totals, f.year)
    state = states.of_row(now, f.year)
    if not state.applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if now is None or not now["submissions"]:
        components.empty(components.no_data_sentence(f))
        return
    before = components.year_row(totals, f.previous_year(totals["year"].to_list()))
    _kpis(f, now, before, state)
    provinces = queries.province_year(f).filter(pl.col("year") == f.year)
    st.container(border=True).markdown(
        narrative.withheld_summary(f.year, now, _top(provinces))
        if state.withheld
        else narrative.overview_summary(f.year, now, before, _top(provinces))
        + (f"（{fmt.INTERNAL}：评审结果尚未公布）" if state.internal else "")
    )
    own = queries.scope().province
    if own:
        _own_province(f, own, now, provinces, state)
    left, right = st.columns(2)
    with left:
        st.subheader("评审漏斗")
        if state.withheld:
            components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不显示评审漏斗。")
        else:
            values = [now[key] for key, _ in FUNNEL]
            fig = components.figure(charts.funnel, [label for _, label in FUNNEL], values)
            components.chart(fig, "funnel", f"评审漏斗_{f.slug()}", internal=state.internal)
            st.caption("每一级为最远到达该阶段及以后的个数；百分比为占申报数的比例。")
    with right:
        _mix(f)
    _top_provinces(f, provinces, own)
    _selected_list(f, state)
    with st.expander("历年概况（当前筛选）"):
        _history(f, totals)
    brief.offer(f.year, own)  # a bureau: its own province's brief, the nation's for the rest


def _own_province(
    f: Filters, own: str, now: dict, provinces: pl.DataFrame, state: states.YearState
) -> None:
    """A bureau's own province first: its counts beside the nation's, and its rank."""
    rows = provinces.filter(pl.col("province") == own).to_dicts()
    box = st.container(border=True)
    box.markdown(f"**本省：{own} · {f.year}年度**")
    if not rows or not rows[0]["submissions"]:
        box.markdown(f"{own}在当前筛选条件下没有申报。")
        return
    mine = rows[0]
    ranked = provinces.filter(pl.col("rank_submissions").is_not_null()).height
    text = (
        f"申报 {mine['submissions']:,} 个，在有申报的 {ranked} 个省份中排第 {mine['rank_submissions']}；"
        f"进入终评 {states.shown(mine['reached_final'], MEASURES['reached_final'], state)}，"
        f"入选 {states.shown(mine['selected'], MEASURES['selected'], state)}，"
        f"入选率 {states.shown(mine['selection_rate'], MEASURES['selection_rate'], state)}"
        f"（全国 {states.shown(now['selection_rate'], MEASURES['selection_rate'], state)}）。"
    )
    box.markdown(text)
    box.page_link(
        "views/compare.py",
        label=f"在「地区对比」中查看{own}的案例、入选线与配额",
        icon=":material/compare_arrows:",
        query_params={"province": own},
    )


def _selected_list(f: Filters, state: states.YearState) -> None:
    """The year's selected items as the published list prints them (public, every role)."""
    if state.withheld or state.internal:
        return  # not published yet: no list (the leader finds the internal one in 案例检索)
    listed = queries.published_selections(f, None, f.year)
    if listed.is_empty():
        return
    simulated = f"，{labels.SIMULATED}" if queries.version().is_simulated else ""
    with st.expander(f"{f.year}年度入选名单（共 {listed.height} 个{simulated}）"):
        shown = listed.drop("year")
        components.table(labels.rename(shown), "入选名单", f, "selected_list")


def _kpis(f: Filters, now: dict, before: dict | None, state: states.YearState) -> None:
    if before is not None:
        basis = f"与{before['year']}年度比较"
        if f.year == SCHEME_CHANGE_YEAR:
            basis += f"；{SCHEME_CHANGE_NOTE}，这里只比较总数与比率"
    elif f.has_category and f.year == SCHEME_CHANGE_YEAR:
        basis = f"{SCHEME_CHANGE_NOTE}，不显示同比"
    else:
        basis = "没有可比的上一年度，不显示同比"
    score_before = before if before and _same_rubric(f.year, before["year"]) else None
    cards = (
        ("submissions", before),
        ("provinces", before),
        ("reached_final", before),
        ("selected", before),
        ("selection_rate", before),
        ("mean_score", score_before),
    )
    for column, (key, base) in zip(st.columns(6), cards, strict=True):
        with column:
            components.kpi(MEASURES[key], now[key], base[key] if base else None, state=state)
    st.caption(f"{basis}。入选率 = 入选 ÷ 申报；平均分为初评专家总分的均值（满分100分）。")


def _same_rubric(year: int, other: int) -> bool:
    return queries.rubric_max(year) == queries.rubric_max(other)


def _top(provinces: pl.DataFrame) -> tuple[str, int] | None:
    ranked = provinces.filter(pl.col("rank_submissions") == 1)
    if ranked.is_empty():
        return None
    return "、".join(ranked["province"].to_list()), int(ranked["submissions"][0])


def _mix(f: Filters) -> None:
    mix = queries.group_mix(f).filter(pl.col("year") == f.year, pl.col("submissions") > 0)
    if mix.is_empty():
        components.empty("当前筛选下没有可显示的类别构成。")
        return
    by_category = mix["group_kind"][0] == "category"
    st.subheader("申报类别构成" if by_category else "申报类型构成")
    total = int(mix["submissions"].sum())
    fig = components.figure(
        charts.share_donut,
        mix["group"].to_list(),
        mix["submissions"].to_list(),
        f"申报<br>{total:,} 个",
    )
    components.chart(fig, "mix", f"{'类别' if by_category else '类型'}构成_{f.slug()}")
    selected = "　".join(
        f"{g} {fmt.WITHHELD if s is None else s}"
        for g, s in zip(mix["group"], mix["selected"], strict=True)
    )
    st.caption(f"入选：{selected}（个）")


def _top_provinces(f: Filters, provinces: pl.DataFrame, own: str | None) -> None:
    st.subheader("申报数前十的省份")
    top = provinces.filter(pl.col("rank_submissions") <= 10).sort(
        "rank_submissions", "province_order"
    )
    if top.is_empty():
        components.empty("当前筛选下没有省份申报。")
        return
    notes = [f"入选 {fmt.WITHHELD if s is None else f'{s} 个'}" for s in top["selected"].to_list()]
    fig = components.figure(
        charts.ranked_bars,
        top["province"].to_list(),
        top["submissions"].to_list(),
        MEASURES["submissions"],
        notes,
        highlight=own,
    )
    components.chart(fig, "top_provinces", f"申报数前十省份_{f.slug()}")
    st.caption("排名含新疆生产建设兵团，不含中央单位；并列时名次相同。")


def _history(f: Filters, totals: pl.DataFrame) -> None:
    shown = totals.select(
        "year",
        "result_status",
        "applies",
        "submissions",
        "provinces",
        "recommended",
        "reached_final",
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
        "mean_score",
    )
    values = ("submissions", "provinces", "recommended")
    results = ("reached_final", "selected", "selection_rate", "mean_score")
    shown = states.masked(shown, results, values).drop("result_status", "applies")
    components.table(
        labels.rename(shown),
        "年度概况",
        None,
        "history",
        extra_parts=(f.slug(with_year=False) or "全部申报",),
    )


main()
