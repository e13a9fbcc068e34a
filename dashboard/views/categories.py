"""类别结构: what was submitted in which group — the four categories from 2024, the three
tracks before — from which province, and by which level and type of unit.

A year before 2024 has no categories: the page then shows the year's tracks and says so.
The heatmap's measure switch reruns only the heatmap (a fragment).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, queries
from dashboard.filters import Filters
from etl.present import charts, fmt, labels, states
from etl.present.labels import MEASURES, SCHEME_CHANGE_YEAR, Measure
from etl.reference.programme import domains

HEAT_MEASURES = ("submissions", "selected", "selection_rate")
HEAT_BY_LABEL = {MEASURES[k].label: k for k in HEAT_MEASURES}
UNKNOWN = "未标注"


def main() -> None:
    f = components.filters()
    mix = queries.group_mix(f).filter(pl.col("year") == f.year)
    state = components.year_state(f)
    if not state.applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if not mix["submissions"].sum():
        components.empty(components.no_data_sentence(f))
        return
    by_category = mix["group_kind"][0] == "category"
    noun = "申报类别" if by_category else "申报类型"
    _scheme_note(f, by_category)
    _shares(f, mix, noun)
    _heatmap(f, noun)
    _units(f, noun)


def _scheme_note(f: Filters, by_category: bool) -> None:
    if by_category:
        st.caption(
            "2024年起只有典型案例，分为新媒体平台建设、融合生产传播、综合信息服务、体制机制改革四个类别；"
            "2019—2023年的三种申报类型请选择相应年度查看。"
        )
        return
    st.info(
        f"{f.year}年度尚未分类别：按先导单位、典型案例、成长项目三种申报类型申报，"
        f"本页因此按申报类型显示。{SCHEME_CHANGE_YEAR}年起改为典型案例的四个类别。",
        icon=":material/swap_horiz:",
    )


def _shares(f: Filters, mix: pl.DataFrame, noun: str) -> None:
    state = components.year_state(f)
    st.subheader(f"{noun}构成")
    total = int(mix["submissions"].sum())
    left, right = st.columns(2)
    with left:
        fig = components.figure(
            charts.share_donut,
            mix["group"].to_list(),
            mix["submissions"].to_list(),
            f"申报<br>{total:,} 个",
        )
        components.chart(fig, "group_shares", f"{noun}构成_{f.slug()}")
    with right:
        if state.withheld:
            components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不显示入选率。")
        else:
            _rate_bars(f, mix, noun, state)
    _groups_table(f, mix, noun, total)


def _rate_bars(f: Filters, mix: pl.DataFrame, noun: str, state: states.YearState) -> None:
    fig = components.figure(
        charts.rate_bars,
        mix["group"].to_list(),
        mix["selected"].to_list(),
        mix["submissions"].to_list(),
    )
    components.chart(fig, "group_rates", f"{noun}入选率_{f.slug()}", internal=state.internal)


def _groups_table(f: Filters, mix: pl.DataFrame, noun: str, total: int) -> None:
    shown = mix.select(
        "result_status",
        "group",
        "submissions",
        (pl.col("submissions") / total * 100).alias("share"),
        "reached_final",
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
        "mean_score",
    )
    results = ("reached_final", "selected", "selection_rate", "mean_score")
    shown = states.masked(shown, results, ()).drop("result_status")
    components.table(
        labels.rename(shown, {"group": noun, "share": "占申报（%）"}), f"{noun}构成", f, "groups"
    )
    st.caption("入选率 = 入选 ÷ 申报；平均分为初评专家总分的均值。")


@st.fragment
def _heatmap(f: Filters, noun: str) -> None:
    st.subheader(f"各省 × {noun}")
    label = st.segmented_control(
        "热力图指标",
        list(HEAT_BY_LABEL),
        default=MEASURES["submissions"].label,
        required=True,
        key="heat",
        bind="query-params",
    )
    measure = MEASURES[HEAT_BY_LABEL[label]]
    cells = queries.province_group(f)
    if cells.is_empty():
        components.empty("当前筛选下没有可显示的省份。")
        return
    state = components.year_state(f)
    if state.withheld and measure.is_result:
        components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不显示各省{noun}的{measure.label}。")
        return
    fig = components.figure(charts.group_heatmap, cells, measure)
    components.chart(
        fig,
        "heatmap",
        f"各省{noun}热力图_{measure.label}_{f.slug()}",
        internal=state.internal and measure.is_result,
    )
    unplaced = (components.year_row(queries.year_totals(f), f.year) or {}).get("unplaced", 0)
    st.caption(
        "省份按官方行政区划顺序排列（含新疆生产建设兵团与中央单位）。"
        + (f"另有 {unplaced:,} 个所属省份待确认的条目未列入。" if unplaced else "")
        + (
            "入选率为该省该类的入选 ÷ 申报，没有申报的格子为空；个数少时比率波动大。"
            if measure.kind == "rate"
            else ""
        )
    )
    _heatmap_table(f, cells, measure, noun)


def _heatmap_table(f: Filters, cells: pl.DataFrame, measure: Measure, noun: str) -> None:
    """The heatmap as a table: one row per province, one column per group (and 合计 for a
    count), so it exports as a spreadsheet reads."""
    groups = list(dict.fromkeys(cells["group"].to_list()))
    wide = cells.pivot(
        on="group", index=["province", "region"], values=measure.key, sort_columns=False
    )
    if measure.kind == "rate":
        wide = wide.with_columns(pl.col(groups) * 100)
        names = {g: f"{g}（%）" for g in groups}
    else:
        wide = wide.with_columns(pl.sum_horizontal(groups).alias("合计"))
        names = {}
    components.table(labels.rename(wide, names), f"各省{noun}_{measure.label}", f, "heatmap")


def _units(f: Filters, noun: str) -> None:
    st.subheader(f"各{noun}的申报单位")
    units = queries.group_units(f)
    groups = queries.group_mix(f).filter(pl.col("year") == f.year)["group"].to_list()
    values = {d: [*domains()[d], UNKNOWN] for d in ("unit_level", "unit_type")}
    ranks = {v: i for d in values.values() for i, v in enumerate(d)}
    units = units.sort(
        pl.col("group").replace_strict(groups, list(range(len(groups))), default=len(groups)),
        "dimension",
        pl.col("value").replace_strict(ranks, default=99),
    )
    left, right = st.columns(2)
    for column, dimension, title in (
        (left, "unit_level", "单位层级"),
        (right, "unit_type", "单位类型"),
    ):
        with column:
            rows = units.filter(pl.col("dimension") == dimension)
            fig = components.figure(
                charts.mix_bars, rows, values[dimension], f"{title}占申报的比例"
            )
            components.chart(fig, f"mix_{dimension}", f"{noun}_{title}构成_{f.slug()}")
    _units_table(f, units, noun)


def _units_table(f: Filters, units: pl.DataFrame, noun: str) -> None:
    shown = units.select(
        "group",
        pl.col("dimension").replace_strict({"unit_level": "单位层级", "unit_type": "单位类型"}),
        "value",
        "submissions",
        (pl.col("share") * 100).alias("share"),
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
        pl.lit(components.year_state(f).status).alias("result_status"),
    )
    shown = states.masked(shown, ("selected", "selection_rate"), ()).drop("result_status")
    components.table(
        labels.rename(
            shown, {"group": noun, "dimension": "维度", "value": "值", "share": "占该组申报（%）"}
        ),
        f"{noun}_单位层级与类型",
        f,
        "units",
    )
    st.caption(
        f"每一行占比为该{noun}申报中的比例。只按公布名单录入的条目没有层级（{UNKNOWN}），单位类型由名称推断。"
        f"共 {fmt.count(int(units.filter(pl.col('dimension') == 'unit_level')['submissions'].sum()))}申报。"
    )


main()
