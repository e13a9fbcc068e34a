"""年度趋势: 2019 onward, by region group, province, track/category or unit level.

The change of scheme (three tracks until 2023, four categories from 2024) is marked on every
chart, and no line joins the two schemes: tracks are drawn for 2019–2023 and categories from
2024 as separate series; a region, province or level is drawn as two segments, joined only
by a faint dotted connector, because a count still compares across as a count. The measure,
dimension and province choices live in the URL and rerun only their part of the page.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, queries
from dashboard.filters import Filters
from etl.present import charts, fmt, labels, states, theme
from etl.present.labels import CENTRAL, MEASURES, REGIONS, SCHEME_CHANGE_YEAR
from etl.reference.programme import domains

TREND_MEASURES = ("submissions", "selected", "selection_rate", "reached_final")
MEASURE_BY_LABEL = {MEASURES[k].label: k for k in TREND_MEASURES}
DIMENSIONS = {"区域": "region", "省份": "province", "类型/类别": "group", "单位层级": "level"}
MAX_PROVINCES, DEFAULT_PROVINCES = 8, 5
SCHEME_NOTE = (
    "虚线处为方案改变：2019—2023年分先导单位、典型案例、成长项目三种申报类型，"
    "2024年起只有典型案例，分四个类别。"
)


def main() -> None:
    f = components.filters()
    totals = queries.year_totals(f)
    if not totals["submissions"].sum():
        components.empty(
            f"在当前筛选条件（{f.describe()}）下，历年都没有申报数据。请在左侧调整筛选条件。"
        )
        return
    _totals(f, totals)
    _by_dimension(f, totals["year"].to_list())


def _totals(f: Filters, totals: pl.DataFrame) -> None:
    st.subheader("全国合计")
    years = totals["year"].to_list()
    fig = components.figure(
        charts.year_bars,
        years,
        {"申报数": totals["submissions"].to_list(), "入选数": totals["selected"].to_list()},
        {"申报数": theme.FUNNEL_COLOUR, "入选数": theme.HIGHLIGHT},
        notes=states.year_notes(totals, "入选数"),
    )
    components.chart(fig, "totals", f"全国合计_{f.slug(with_year=False) or '全部申报'}")
    st.caption(
        SCHEME_NOTE + "申报总数与入选总数作为个数可以跨年比较，但2024年起不再有先导单位和成长项目，"
        "总数的变化有一部分来自方案改变，不全是参与意愿的变化。"
    )


@st.fragment
def _by_dimension(f: Filters, years: list[int]) -> None:
    st.subheader("分组趋势")
    left, right = st.columns(2)
    with left:
        label = st.segmented_control(
            "指标",
            list(MEASURE_BY_LABEL),
            default=MEASURES["submissions"].label,
            required=True,
            key="metric",
            bind="query-params",
        )
    with right:
        by = st.segmented_control(
            "分组", list(DIMENSIONS), default="区域", required=True, key="by", bind="query-params"
        )
    measure, dimension = MEASURES[MEASURE_BY_LABEL[label]], DIMENSIONS[by]
    rows = queries.trend(f, dimension, _order(dimension))
    colours = _colours(dimension)
    if dimension == "province":
        chosen = _pick_provinces(f, rows)
        rows = rows.filter(pl.col("member").is_in(chosen))
        colours = dict(zip(chosen, theme.SERIES_COLOURS, strict=False))
    if rows.is_empty():
        components.empty("当前选择下没有可显示的数据。")
        return
    title = f"{measure.label}（按{by}）"
    notes = states.year_notes(rows, measure.label if measure.is_result else None)
    fig = components.figure(
        charts.trend_lines,
        rows,
        measure.key,
        measure.kind,
        colours,
        years,
        measure.label,
        notes=notes,
    )
    components.chart(fig, "trend", f"年度趋势_{title}_{f.slug(with_year=False)}")
    st.caption(_note(dimension) + _yoy_sentence(f, rows, measure, by))
    if measure.kind == "count":
        share = f"share_{measure.key}"
        fig = components.figure(
            charts.trend_lines, rows, share, "rate", colours, years, "占全国比例", notes=notes
        )
        components.chart(fig, "trend_share", f"占全国比例_{title}_{f.slug(with_year=False)}")
        st.caption(f"各组{measure.label}占当年全国（当前筛选下）{measure.label}的比例。")
    _table(f, rows, measure, by)


def _order(dimension: str) -> list[str]:
    """The members of a dimension in display order (official province order, and so on)."""
    if dimension == "province":
        return queries.provinces()["province"].to_list()
    if dimension == "region":
        return [*REGIONS, CENTRAL, "待确认"]
    if dimension == "group":
        return [*domains()["track"], *domains()["category"]]
    return [*domains()["unit_level"], "未标注"]


def _colours(dimension: str) -> dict[str, str]:
    return {
        "region": theme.REGION_COLOURS,
        "level": theme.LEVEL_COLOURS,
    }.get(dimension, {})


def _pick_provinces(f: Filters, rows: pl.DataFrame) -> list[str]:
    """Up to eight provinces, by default the five that submitted most in the chosen year."""
    present = rows.group_by("member").agg(pl.col("submissions").sum())
    options = [
        m
        for m in _order("province")
        if m in present.filter(pl.col("submissions") > 0)["member"].to_list()
    ]
    top = (
        rows.filter(pl.col("year") == f.year, pl.col("submissions") > 0)
        .sort("submissions", "member_order", descending=[True, False])
        .head(DEFAULT_PROVINCES)["member"]
        .to_list()
    )
    return st.multiselect(
        "省份",
        options,
        default=[p for p in top if p in options],
        max_selections=MAX_PROVINCES,
        key="provinces",
        bind="query-params",
        help=f"最多 {MAX_PROVINCES} 个；默认为所选年度申报数最多的 {DEFAULT_PROVINCES} 个",
        select_all=False,
    )


def _note(dimension: str) -> str:
    if dimension == "group":
        return (
            SCHEME_NOTE
            + "申报类型只画到2023年，申报类别从2024年画起，两者不连线，也不计算跨方案的同比。"
        )
    return SCHEME_NOTE + "同一组在方案改变前后分两段画，中间的细点线只表示个数上的衔接。"


def _yoy_sentence(f: Filters, rows: pl.DataFrame, measure: labels.Measure, by: str) -> str:
    """The largest rise and fall in the chosen year, when the year before is comparable."""
    prev = f"prev_{measure.key}"
    year = rows.filter(pl.col("year") == f.year, pl.col(prev).is_not_null())
    if year.is_empty():
        return f"{f.year}年度没有可比的上一年度数据。"
    year = year.with_columns((pl.col(measure.key) - pl.col(prev)).alias("diff")).drop_nulls("diff")
    if year.is_empty():
        return ""
    up = year.sort("diff", descending=True).row(0, named=True)
    down = year.sort("diff").row(0, named=True)
    words = []
    if up["diff"] and up["diff"] > 0:
        words.append(
            f"增加最多的是{up['member']}（{fmt.change(up[measure.key], up[prev], measure.kind)}）"
        )
    if down["diff"] and down["diff"] < 0:
        words.append(
            f"减少最多的是{down['member']}（{fmt.change(down[measure.key], down[prev], measure.kind)}）"
        )
    if not words:
        return f"{f.year}年度各{by}{measure.label}与上年持平。"
    across = "（跨方案改变，仅作个数上的比较）" if f.year == SCHEME_CHANGE_YEAR else ""
    return f"{f.year}年度与上年相比{across}，" + "，".join(words) + "。"


def _count_columns(key: str, prev: str) -> list[pl.Expr]:
    """For a count: the relative change on the year before, and the share of the year's total."""
    return [
        pl.when(pl.col(prev) > 0)
        .then((pl.col(key) - pl.col(prev)) / pl.col(prev) * 100)
        .alias("change_pct"),
        (pl.col(f"share_{key}") * 100).alias("share"),
    ]


def _table(f: Filters, rows: pl.DataFrame, measure: labels.Measure, by: str) -> None:
    key, prev = measure.key, f"prev_{measure.key}"
    scale = 100 if measure.kind == "rate" else 1
    shown = rows.sort("member_order", "member", "year").select(
        "year",
        "result_status",
        "applies",
        pl.col("member").alias("member"),
        (pl.col(key) * scale).alias("value"),
        ((pl.col(key) - pl.col(prev)) * scale).alias("change"),
        *(_count_columns(key, prev) if measure.kind == "count" else []),
    )
    measured = [c for c in ("value", "change", "change_pct", "share") if c in shown.columns]
    shown = states.masked(shown, measured if measure.is_result else (), measured)
    shown = shown.drop("result_status", "applies")
    unit = "（%）" if measure.kind == "rate" else ""
    names = {
        "member": by,
        "value": f"{measure.label}{unit}",
        "change": "同比变化（个百分点）" if measure.kind == "rate" else "同比变化",
        "change_pct": "同比（%）",
        "share": "占全国比例（%）",
    }
    components.table(
        labels.rename(shown, names),
        f"年度趋势_{measure.label}_按{by}",
        None,
        "trend_table",
        extra_parts=(f.slug(with_year=False) or "全部申报",),
    )
    st.caption(
        f"同比与上一年度相比，没有可比上一年度的（如{SCHEME_CHANGE_YEAR}年的申报类别）为空；"
        f"所选申报类型或类别在该年度不存在的，标为“{fmt.NOT_APPLICABLE}”。"
        f"{SCHEME_CHANGE_YEAR}年起的个数不含先导单位和成长项目。"
    )


main()
