"""参与单位: the units behind the cases, across years and names (the unit registry, issue 13).

First-time entrants by year and province, repeat winners, units that moved up between tracks
(成长项目 → 典型案例 → 先导单位) and how concentrated each province's selections are in its top
unit. A unit is the registry's unit: a county 广播电视台 that became a 融媒体中心 is one unit.
The scheme change (three tracks until 2023, one track in four categories from 2024) is marked
wherever it matters; a withheld year's selections count for nothing and are said to be 未公布.
A bureau reads its own province's units (the data layer scopes the registry).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, export, queries, unit_record
from etl.present import charts, fmt, theme
from etl.present.labels import SCHEME_CHANGE_YEAR, SMALL_SAMPLE_NOTE

FIRST_YEAR = 2019  # the programme's first year: every unit is a first-time entrant
SMALL = 5  # a province with fewer selections than this: a share says little


def main() -> None:
    scope = queries.scope()
    provinces = [scope.province] if scope.province else []
    entrants = queries.unit_entrants(provinces)
    if entrants.is_empty():
        components.empty("仓库中还没有申报单位的记录。")
        return
    who = f"{scope.province}的" if scope.province else ""
    st.caption(
        f"按{who}申报单位统计：同一单位在不同年度、不同文件中的名称已经匹配归并（改名仍算一个单位），"
        "在「多次入选的单位」下可打开单位档案查看其历年情况。本页不受左侧筛选影响。"
    )
    _entrants(entrants)
    _entrants_by_province(provinces)
    _repeat_winners(provinces)
    _progressions(provinces)
    _concentration(provinces)


def _entrants(entrants: pl.DataFrame) -> None:
    st.subheader("首次参与的单位")
    years = entrants["year"].to_list()
    later = entrants.filter(pl.col("year") > FIRST_YEAR)
    notes = {
        row["year"]: f"入选{fmt.WITHHELD}"
        for row in later.iter_rows(named=True)
        if row["is_withheld"]
    }
    fig = components.figure(
        charts.year_bars,
        later["year"].to_list(),
        {"参与单位": later["units"].to_list(), "首次参与": later["first_time"].to_list()},
        {"参与单位": theme.FUNNEL_COLOUR, "首次参与": theme.HIGHLIGHT},
        notes=notes,
    )
    components.chart(fig, "unit_entrants", "参与单位与首次参与单位")
    shown = entrants.select(
        pl.col("year").alias("年度"),
        pl.col("units").alias("参与单位"),
        pl.when(pl.col("year") == FIRST_YEAR)
        .then(pl.lit("首届"))
        .otherwise(pl.col("first_time").cast(pl.String))
        .alias("首次参与"),
        pl.when(pl.col("is_withheld"))
        .then(pl.lit(fmt.WITHHELD))
        .otherwise(pl.col("first_time_selected").cast(pl.String))
        .alias("首次参与即入选"),
    )
    components.table(shown, "首次参与的单位", None, "unit_entrants_table")
    latest = entrants.row(-1, named=True)
    caption = (
        f"{FIRST_YEAR}年为首届，所有单位都是首次参与，图中从{FIRST_YEAR + 1}年起。"
        f"{latest['year']}年度参与单位 {latest['units']:,} 个，其中首次参与 {latest['first_time']:,} 个。"
        f"{SCHEME_CHANGE_YEAR}年起只有典型案例一种申报类型，参与单位数的变化有一部分来自方案改变。"
    )
    if notes:
        caption += f"{'、'.join(str(y) for y in years if y in notes)}年度评审结果{fmt.WITHHELD}。"
    st.caption(caption)


def _entrants_by_province(provinces: list[str]) -> None:
    """Province by year: first-time entrants among the units that took part (2019: 首届)."""
    rows = queries.unit_entrants_by_province(provinces).filter(pl.col("year") > FIRST_YEAR)
    if rows.is_empty():
        return
    order = rows["province"].unique(maintain_order=True).to_list()
    cell = pl.col("first_time").cast(pl.String) + " / " + pl.col("units").cast(pl.String)
    grid = (
        rows.with_columns(cell.alias("cell"), pl.col("year").cast(pl.String) + "年")
        .pivot("year", index="province", values="cell")
        .with_columns(pl.col("province").cast(pl.Enum(order)))
        .sort("province")
        .with_columns(pl.col("province").cast(pl.String))
        .rename({"province": "所属省份"})
    )
    st.markdown("**各省首次参与的单位**（首次参与 / 参与单位）")
    components.table(grid, "各省首次参与的单位", None, "unit_entrants_by_province")


def _repeat_winners(provinces: list[str]) -> None:
    st.subheader("多次入选的单位")
    winners = queries.unit_repeat_winners(provinces)
    if winners.is_empty():
        components.empty("还没有在两个以上年度入选的单位。")
        return
    shown = winners.select(
        pl.col("unit_name").alias("申报单位"),
        pl.col("province").alias("所属省份"),
        pl.col("unit_level").alias("单位层级"),
        pl.col("selected_years").alias("入选年度数"),
        pl.col("selections").alias("入选记录"),
        pl.col("years_active").alias("参与年度数"),
    )
    components.table(shown, "多次入选的单位", None, "repeat_winners")
    st.caption(
        f"共 {winners.height:,} 个单位在两个以上年度入选（只计已公布或本角色可见的年度）。"
        "入选记录写出每年入选的申报类型；2024年起均为典型案例。"
    )
    _open_unit(winners, "repeat_pick")


def _progressions(provinces: list[str]) -> None:
    st.subheader("申报类型之间的晋级")
    steps = queries.unit_progressions(provinces)
    if steps.is_empty():
        components.empty("还没有先以较低类型入选、后以较高类型入选的单位。")
        return
    shown = steps.select(
        pl.col("unit_name").alias("申报单位"),
        pl.col("province").alias("所属省份"),
        (pl.col("from_year").cast(pl.String) + "年 " + pl.col("from_track")).alias("先入选"),
        (pl.col("to_year").cast(pl.String) + "年 " + pl.col("to_track")).alias("后入选"),
        pl.when(pl.col("crosses_scheme"))
        .then(pl.lit(export.YES))
        .otherwise(pl.lit(export.NO))
        .alias("跨越方案改变"),
    )
    components.table(shown, "申报类型之间的晋级", None, "progressions")
    crossing = int(steps["crosses_scheme"].sum())
    st.caption(
        f"共 {steps.height:,} 个单位先以成长项目（或典型案例）入选，后以更高的类型入选（成长项目 → "
        f"典型案例 → 先导单位，每个单位列出第一次晋级）；其中 {crossing:,} 个跨越{SCHEME_CHANGE_YEAR}年的"
        "方案改变（2024年起的典型案例不分先导单位与成长项目，这类晋级只说明单位再次入选）。"
    )


def _concentration(provinces: list[str]) -> None:
    st.subheader("入选的集中程度")
    rows = queries.unit_concentration(provinces)
    if rows.is_empty():
        components.empty("还没有可计算的入选记录。")
        return
    shown = rows.select(
        pl.col("period").alias("时期"),
        pl.col("province").alias("所属省份"),
        pl.col("selections").alias("入选数"),
        pl.col("units_selected").alias("入选单位数"),
        pl.col("top_unit").alias("入选最多的单位"),
        pl.col("top_selected").alias("该单位入选数"),
        (pl.col("top_share") * 100).round(1).alias("占本省入选（%）"),
        pl.when(pl.col("selections") < SMALL)
        .then(pl.lit(SMALL_SAMPLE_NOTE))
        .otherwise(pl.lit(""))
        .alias("说明"),
    )
    components.table(shown, "入选的集中程度", None, "concentration")
    st.caption(
        "占本省入选 = 入选最多的单位的入选数 ÷ 本省（或中央单位）该时期的入选数；"
        f"2019—2023年与2024年起分开计算（方案改变）。入选数少于 {SMALL} 个时比例仅供参考。"
    )


def _open_unit(frame: pl.DataFrame, key: str) -> None:
    """Pick a unit of the table to read its 单位档案 here."""
    names = dict(zip(frame["unit_id"], frame["unit_name"], strict=True))
    chosen = st.selectbox(
        "单位档案",
        list(names),
        index=None,
        key=key,
        format_func=lambda i: names.get(i, i),
        placeholder="选择一个单位，查看其历年情况",
    )
    if chosen:
        unit_record.show(chosen)


main()
