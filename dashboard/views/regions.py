"""地区分布: where the submissions and the selected come from, province by province.

A tile-grid map (one equal square per province-level submitter) coloured by a chosen
measure; clicking a tile — or choosing in the box beside it — focuses the rest of the page
on that province. Then the ranking with rank changes, and the region-group subtotals.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import components, queries
from dashboard.filters import Filters
from etl.config import setting
from etl.present import charts, fmt, labels, states
from etl.present.labels import MAP_MEASURES, MEASURES, PEER_REGIONS, SCHEME_CHANGE_YEAR, Measure

NATION = "全国"
RESULTS = ("reached_final", "selected", "selection_rate", "mean_score")
MEASURE_BY_LABEL = {MEASURES[k].label: k for k in MAP_MEASURES}
FOCUS = "focus"  # the URL parameter: ?focus=浙江 opens the page focused on 浙江


def main() -> None:
    f = components.filters()
    provinces = queries.provinces()
    rows = queries.province_year(f)
    year = rows.filter(pl.col("year") == f.year)
    state = components.year_state(f)
    if not state.applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if not year["submissions"].sum():
        components.empty(components.no_data_sentence(f))
        return
    label = st.segmented_control(
        "着色指标",
        list(MEASURE_BY_LABEL),
        default=MEASURES["submissions"].label,
        required=True,
        key="measure",
        bind="query-params",
    )
    measure = MEASURES[MEASURE_BY_LABEL[label]]
    options = [NATION, *provinces.filter(pl.col("takes_part"))["province"].to_list()]
    values = _tile_values(year, measure, state)
    left, right = st.columns([3, 2])
    with right:
        own = queries.scope().province  # a bureau lands focused on its own province
        focus = st.selectbox(
            "查看省份",
            options,
            index=options.index(own) if own in options else 0,
            key=FOCUS,
            bind="query-params",
            help="也可以点击地图上的方块",
            placeholder="请选择",
        )
        focus = None if focus == NATION else focus
    with left:
        fig = components.figure(charts.tile_map, provinces, values, measure, focus)
        components.chart(
            fig,
            "tile_map",
            f"地区分布图_{measure.label}_{f.slug()}",
            internal=state.internal and measure.is_result,
            width="content",
            on_select=partial(_on_tile_click, options),
            selection_mode="points",
        )
        st.caption(
            "方格图：每个省级单位一个等大方格，大致按地理位置排列，不表示行政区域界线。"
            + (
                f"{f.year}年度评审结果{fmt.WITHHELD}，按{measure.label}着色的方格标为“{fmt.WITHHELD}”。"
                if state.withheld and measure.is_result
                else ""
            )
        )
    with right:
        if focus:
            _focus_panel(f, year, focus, measure, state)
        else:
            _nation_panel(f, state)
    _choropleth(provinces, values, measure)
    _ranking(f, year, measure, focus, state)
    _regions(f, year, focus)


def _on_tile_click(options: list[str]) -> None:
    points = st.session_state["tile_map"].selection.points
    if not points:
        return
    clicked = points[0].get("customdata")
    clicked = clicked[0] if isinstance(clicked, list) else clicked
    if clicked in options:
        st.session_state[FOCUS] = clicked


def _tile_values(year: pl.DataFrame, measure: Measure, state: states.YearState) -> pl.DataFrame:
    """One row per province in scope: the measure (null when it submitted nothing, or when
    the measure is a result withheld from this role), the word a tile without a value shows
    (无申报 / 未公布), and a hover text with the counts behind it."""
    submitted = pl.col("submissions") > 0
    withheld = state.withheld and measure.is_result
    rank = pl.col(f"rank_{measure.key}")
    results = MEASURES["selected"], MEASURES["selection_rate"], MEASURES["mean_score"]
    hover = [
        f"<b>{r['province']}</b>（{r['region']}）<br>申报 {r['submissions']:,} 个 · "
        f"入选 {states.shown(r['selected'], results[0], state)}"
        f"<br>入选率 {states.shown(r['selection_rate'], results[1], state)} · "
        f"平均分 {states.shown(r['mean_score'], results[2], state)}"
        + (f"<br>{measure.label}第 {r['rank']} 名" if r["rank"] else "")
        for r in year.with_columns(rank.alias("rank")).iter_rows(named=True)
    ]
    return year.select(
        "province",
        "submissions",
        pl.when(submitted & pl.lit(not withheld)).then(pl.col(measure.key)).alias("value"),
        pl.when(submitted)
        .then(pl.lit(fmt.WITHHELD if withheld else _no_value(measure)))
        .otherwise(pl.lit(fmt.NO_SUBMISSIONS))
        .alias("note"),
        pl.Series("hover", hover),
    )


def _no_value(measure: Measure) -> str | None:
    """What a tile of a province that submitted says when its value is missing: a mean with
    no score behind it, or (for a bureau) another province's mean over fewer than 3 cases."""
    if measure.kind != "score":
        return None
    return fmt.SUPPRESSED if queries.national_scores() else "无评分"


def _kpis(row: dict, state: states.YearState):
    """申报数, 入选率 and 入选数 of a row (the nation or one province), as a 2 × 2 grid;
    returns the column where the caller puts the fourth card."""
    one, two = st.columns(2)
    with one:
        components.kpi(MEASURES["submissions"], row["submissions"], state=state)
        components.kpi(MEASURES["selection_rate"], row["selection_rate"], state=state)
    with two:
        components.kpi(MEASURES["selected"], row["selected"], state=state)
    return two


def _nation_panel(f: Filters, state: states.YearState) -> None:
    totals = components.year_row(queries.year_totals(f), f.year)
    st.markdown(f"**全国 · {f.year}年度**")
    with _kpis(totals, state):
        components.kpi(MEASURES["provinces"], totals["provinces"], state=state)
    st.caption("点击地图上的方块，或在上方选择省份，本页其余部分即聚焦该省。")


def _focus_panel(
    f: Filters, year: pl.DataFrame, focus: str, measure: Measure, state: states.YearState
) -> None:
    rows = year.filter(pl.col("province") == focus).to_dicts()
    if not rows:
        components.empty(f"{focus}不在当前筛选的区域范围内。")
        return
    row = rows[0]
    st.markdown(f"**{focus} · {row['region']} · {f.year}年度**")
    with _kpis(row, state):
        components.kpi(MEASURES["mean_score"], row["mean_score"], state=state)
    rank = row[f"rank_{measure.key}"]
    if state.withheld and measure.is_result:
        st.markdown(f"{measure.label}排名：**{fmt.WITHHELD}**")
    elif rank:
        change = _change(row[f"rank_change_{measure.key}"], f.year)
        st.markdown(f"{measure.label}排名：**第 {rank} 名**　{change}")
    if 0 < row["submissions"] < labels.SMALL_SAMPLE:
        st.caption(f"申报不足 {labels.SMALL_SAMPLE} 个，比率{labels.SMALL_SAMPLE_NOTE}。")
    mix = queries.group_mix(f, focus).filter(pl.col("year") == f.year)
    shown = mix.select(
        "result_status",
        "applies",
        "group",
        "submissions",
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
    )
    shown = states.masked(shown, ("selected", "selection_rate"), ("submissions",))
    shown = shown.drop("result_status", "applies")
    st.dataframe(
        labels.rename(shown),
        hide_index=True,
        column_config=components.formats(labels.rename(shown)),
        placeholder="—",
    )
    st.page_link(
        "views/compare.py",
        label=f"在「地区对比」中查看{focus}",
        icon=":material/compare_arrows:",
        query_params={"province": focus},
    )


def _change(change: int | None, year: int) -> str:
    if change is None:
        return ""
    text = (
        "与上年持平"
        if change == 0
        else f"较上年{'上升' if change > 0 else '下降'} {abs(change)} 位"
    )
    return text + (f"（{SCHEME_CHANGE_MARK}）" if year == SCHEME_CHANGE_YEAR else "")


def _arrow(change: int | None) -> str:
    if change is None:
        return ""
    return "持平" if change == 0 else f"{'↑' if change > 0 else '↓'}{abs(change)}"


SCHEME_CHANGE_MARK = "跨2024年方案调整：上年为三类推选，本年为四个类别，仅作个数比较"


def _choropleth(provinces: pl.DataFrame, values: pl.DataFrame, measure: Measure) -> None:
    path, review_no = setting("geojson"), setting("map_review_no")
    if not path or not review_no:  # no reviewed map, no map: the tile grid stands alone
        return
    path = Path(path).expanduser()
    if not path.exists():
        st.warning(f"已配置的行政区划图文件不存在：{path}")
        return
    with st.expander("行政区划图", expanded=False):
        shapes = _geojson(str(path), path.stat().st_mtime_ns)
        shown = values.filter(pl.col("value").is_not_null()).join(
            provinces.select("province", "code"), on="province"
        )
        components.chart(
            charts.choropleth(shapes, shown, measure), "choropleth", f"行政区划图_{measure.label}"
        )
        st.caption(f"审图号：{review_no}")


@st.cache_data(show_spinner=False)
def _geojson(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _ranking(
    f: Filters, year: pl.DataFrame, measure: Measure, focus: str | None, state: states.YearState
) -> None:
    st.subheader(f"{measure.label}排名")
    if state.withheld and measure.is_result:
        components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不按{measure.label}排名。")
        return
    rank, change = f"rank_{measure.key}", f"rank_change_{measure.key}"
    ranked = year.filter(pl.col(rank).is_not_null()).sort(rank, "province_order")
    if ranked.is_empty() and year[measure.key].is_not_null().any():
        components.empty(
            f"省局角色：有省份的{measure.label}不足3个案例、不予显示，因此不按{measure.label}排名；"
            "各省的值见上方方格图。"
        )
        return
    notes = [f"第{r}名 {_arrow(c)}" for r, c in zip(ranked[rank], ranked[change], strict=True)]
    fig = components.figure(
        charts.ranked_bars,
        ranked["province"].to_list(),
        ranked[measure.key].to_list(),
        measure,
        notes,
        focus,
    )
    components.chart(
        fig,
        "ranking",
        f"{measure.label}排名_{f.slug()}",
        internal=state.internal and measure.is_result,
    )
    st.caption(
        "排名含新疆生产建设兵团、不含中央单位，只排有申报的省份；并列时名次相同。"
        "排名变化与上一年度相比，↑ 为上升。"
        + (f"{SCHEME_CHANGE_MARK}。" if f.year == SCHEME_CHANGE_YEAR else "")
        + ("比率类指标受申报数影响大，申报少的省份请结合个数看。" if measure.kind == "rate" else "")
    )
    table = ranked.select(
        "result_status",
        pl.col(rank).alias("rank"),
        "province",
        "region",
        "submissions",
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
        "mean_score",
        pl.col(change).alias("rank_change"),
    )
    table = states.masked(table, RESULTS, ()).drop("result_status")
    components.table(labels.rename(table), "地区分布", f, "ranking", extra_parts=(measure.label,))


def _regions(f: Filters, year: pl.DataFrame, focus: str | None) -> None:
    region = year.filter(pl.col("province") == focus)["region"].to_list() if focus else []
    if region and region[0] in PEER_REGIONS:
        _region_provinces(f, year, region[0])
        return
    st.subheader("区域小计")
    groups = queries.region_year(f).filter(pl.col("year") == f.year)
    totals = queries.year_totals(f).filter(pl.col("year") == f.year)
    total = totals.select(
        "result_status",
        pl.lit("合计").alias("region"),
        pl.lit(None, pl.Int64).alias("provinces_in_group"),
        "provinces",
        "submissions",
        pl.lit(None, pl.Float64).alias("submissions_per_province"),
        "recommended",
        "reached_final",
        "selected",
        "selection_rate",
        "mean_score",
    )
    shown = pl.concat([groups.select(total.columns), total], how="vertical_relaxed").with_columns(
        pl.col("selection_rate") * 100
    )
    shown = states.masked(shown, RESULTS, ()).drop("result_status")
    names = {
        "provinces_in_group": "省份数",
        "provinces": "有申报省份",
        "submissions_per_province": "省均申报",
    }
    components.table(labels.rename(shown, names), "区域小计", f, "regions")
    st.caption(
        "东部、中部、西部、东北按国家统计局划分；兵团、中央单位单列。比率为合并计算（入选总数 ÷ 申报总数）。"
        "合计含未能确定所属省份的条目。"
    )


def _region_provinces(f: Filters, year: pl.DataFrame, region: str) -> None:
    state = components.year_state(f)
    st.subheader(f"{region}各省")
    rows = year.filter(pl.col("region") == region).sort("province_order")
    shown = rows.select(
        "result_status",
        "province",
        "submissions",
        "recommended",
        "reached_final",
        "selected",
        (pl.col("selection_rate") * 100).alias("selection_rate"),
        "mean_score",
        "rank_submissions",
    )
    shown = states.masked(shown, RESULTS, ()).drop("result_status")
    subtotal = queries.region_year(f).filter(pl.col("year") == f.year, pl.col("region") == region)
    components.table(
        labels.rename(shown, {"rank_submissions": "申报数全国排名"}),
        f"{region}各省",
        f,
        "region_provinces",
    )
    st.caption(
        f"{region}合计：申报 {fmt.count(subtotal['submissions'][0])}，"
        f"入选 {states.shown(subtotal['selected'][0], MEASURES['selected'], state)}，"
        f"入选率 {states.shown(subtotal['selection_rate'][0], MEASURES['selection_rate'], state)}。"
        "选择「全国」回到区域小计。"
    )


main()
