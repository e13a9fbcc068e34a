"""地区对比 (for a provincial bureau): one province against its region group and the nation.

The province comes from the URL (?province=浙江) or the box. Rates come with their counts,
and a rate over fewer than 10 submissions is flagged 「样本少，仅供参考」. The comparison
groups are fixed, so the sidebar's region and 中央单位 filters do not apply here.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import brief, components, queries
from dashboard.filters import Filters
from etl import glossary
from etl.present import charts, fmt, labels, narrative, states, theme
from etl.present.labels import CENTRAL, MEASURES, PEER_REGIONS, SMALL_SAMPLE, SMALL_SAMPLE_NOTE
from etl.present.narrative import Rate

RATES = (
    ("推荐率", "recommended"),
    ("终评率", "reached_final"),
    ("入选率", "selected"),
)


def main() -> None:
    f = components.filters().nationwide()
    names = queries.provinces().filter(pl.col("takes_part"))["province"].to_list()
    own = queries.scope().province  # a bureau starts on its own province
    index = names.index(own) if own in names else 0
    province = st.selectbox(
        "省份", names, index=index, key="province", bind="query-params", placeholder="请选择"
    )
    rows = queries.province_year(f)
    mine = components.year_row(rows.filter(pl.col("province") == province), f.year)
    nation = components.year_row(queries.year_totals(f), f.year)
    state = states.of_row(nation, f.year)
    if not state.applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if nation is None or not nation["submissions"]:
        components.empty(components.no_data_sentence(f))
        return
    region_name = mine["region"] if mine["region"] in PEER_REGIONS else None
    region = _region_row(f, region_name)
    year = rows.filter(pl.col("year") == f.year)
    _sentences(province, mine, region, region_name, nation, year, state)
    _table(f, province, mine, region, region_name, nation, state)
    _rates_chart(f, province, mine, region, region_name, nation, state)
    _scores(f, province, state)
    _finalists(f, province, state)
    _quota(f, province)
    _history(f, province, rows)
    _cases(f, province)
    brief.offer(f.year, province)


def _region_row(f: Filters, region: str | None) -> dict | None:
    if region is None:
        return None
    groups = queries.region_year(f).filter(pl.col("region") == region)
    return components.year_row(groups, f.year)


def _rate(label: str, row: dict | None, key: str) -> Rate | None:
    if not row or row[key] is None:  # no row, or a result withheld (year not yet published)
        return None
    return Rate(label, int(row[key]), int(row["submissions"]))


def _sentences(
    province: str,
    mine: dict,
    region: dict | None,
    region_name: str | None,
    nation: dict,
    year: pl.DataFrame,
    state: states.YearState,
) -> None:
    if not mine["submissions"]:
        components.empty(f"{province}在{mine['year']}年度当前筛选条件下没有申报。")
        return
    ranked = year.filter(pl.col("rank_submissions").is_not_null()).height
    share = mine["submissions"] / nation["submissions"]
    withheld = state.withheld
    lines = [
        f"{province}申报 {fmt.count(mine['submissions'])}，"
        f"入选 {states.shown(mine['selected'], MEASURES['selected'], state)}"
        + (f"（{fmt.INTERNAL}）" if state.internal else "")
        + "。"
        + narrative.rank_sentence(province, mine["rank_submissions"], ranked, share)
    ]
    for label, key in RATES if not withheld else ():
        lines.append(
            narrative.compare_rate(
                _rate(label, mine, key),
                _rate(label, region, key),
                region_name,
                _rate(label, nation, key),
            )
        )
    if withheld:
        lines.append(f"{mine['year']}年度评审结果{fmt.WITHHELD}，不比较推荐率、终评率与入选率。")
    if region_name is None:
        lines.append(f"{province}不属于东部、中部、西部、东北四大区域，只与全国比较。")
    with st.container(border=True):
        for line in lines:
            st.markdown(f"- {line}")


def _table(
    f: Filters,
    province: str,
    mine: dict,
    region: dict | None,
    region_name: str | None,
    nation: dict,
    state: states.YearState,
) -> None:
    st.subheader("本省、区域与全国")
    scopes = [
        ("本省", province, mine),
        ("区域", f"{region_name}合计", region),
        ("全国", "全国合计", nation),
    ]
    rows = [
        {
            "scope": name,
            "submissions": row["submissions"],
            "recommended": row["recommended"],
            "reached_final": row["reached_final"],
            "selected": row["selected"],
            "recommendation_rate": _pct(row["recommended"], row["submissions"]),
            "final_rate": _pct(row["reached_final"], row["submissions"]),
            "selection_rate": _pct(row["selected"], row["submissions"]),
            "mean_score": row["mean_score"],
            "note": SMALL_SAMPLE_NOTE if 0 < row["submissions"] < SMALL_SAMPLE else "",
        }
        for _, name, row in scopes
        if row is not None
    ]
    frame = pl.DataFrame(rows, schema_overrides={"mean_score": pl.Float64}).with_columns(
        pl.lit(state.status).alias("result_status")
    )
    results = ("reached_final", "selected", "final_rate", "selection_rate", "mean_score")
    frame = states.masked(frame, results, ()).drop("result_status")
    components.table(
        labels.rename(frame, {"scope": "范围"}), "地区对比", f, "compare", extra_parts=(province,)
    )
    st.caption(
        "区域、全国的比率为合并计算（合计个数相除）；全国含中央单位。"
        f"申报不足 {SMALL_SAMPLE} 个时比率波动大，标「{SMALL_SAMPLE_NOTE}」。"
    )


def _pct(hits: int | None, base: int) -> float | None:
    return hits / base * 100 if base and hits is not None else None


def _rates_chart(
    f: Filters,
    province: str,
    mine: dict,
    region: dict | None,
    region_name: str | None,
    nation: dict,
    state: states.YearState,
) -> None:
    if state.withheld:
        components.empty(f"{nation['year']}年度评审结果{fmt.WITHHELD}，不比较终评率与入选率。")
        return
    scopes = {"本省": mine, "区域": region, "全国": nation}
    names = {"本省": province, "区域": region_name or "", "全国": "全国"}
    series, notes = {}, {}
    for scope, row in scopes.items():
        if row is None:
            continue
        series[names[scope]] = [
            row[key] / row["submissions"] if row["submissions"] and row[key] is not None else None
            for _, key in RATES
        ]
        notes[names[scope]] = [f"{row[key]}/{row['submissions']}" for _, key in RATES]
    colours = {names[s]: theme.SCOPE_COLOURS[s] for s in scopes}
    fig = components.figure(
        charts.grouped_bars, [label for label, _ in RATES], series, colours, "rate", notes
    )
    components.chart(
        fig, "compare_rates", f"比率对比_{province}_{f.slug()}", internal=state.internal
    )


def _scores(f: Filters, province: str, state: states.YearState) -> None:
    stage = glossary.stages()[0]
    st.subheader(f"{stage}得分分布")
    if state.withheld:
        components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不显示{stage}得分。")
        return
    stats = queries.score_scopes(f, province, stage)
    mine = stats.filter(pl.col("scope_role") == "本省")
    if mine.is_empty():
        components.empty(f"{province}在{f.year}年度没有{stage}得分。")
        return
    shown = stats.with_columns(pl.col("scope").alias("label"), pl.col("scope_role").alias("scope"))
    components.chart(
        components.figure(charts.score_boxes, shown),
        "score_boxes",
        f"{stage}得分分布_{province}_{f.slug()}",
        internal=state.internal,
    )
    row = mine.row(0, named=True)
    text = (
        f"{province}{stage}得分中位数 {fmt.score(row['median'])}"
        f"（四分位 {row['q1']:.1f}–{row['q3']:.1f}），"
        f"位于全国第 {row['median_percentile'] * 100:.0f} 百分位。"
    )
    if row["n"] < SMALL_SAMPLE:
        text += f"（只有 {row['n']} 个得分，{SMALL_SAMPLE_NOTE}）"
    st.markdown(text)
    group = queries.score_group(f)
    st.caption(
        f"每个申报取其{stage}各位专家总分的平均；箱体为四分位，须线为最低与最高分。"
        f"分布按全国全部案例计算（{'全部类型/类别' if group == '全部' else group}），"
        "不受单位层级筛选影响。"
    )


def _region_of(province: str) -> str:
    row = queries.provinces().filter(pl.col("province") == province)
    return row["region"][0] if row.height and row["region"][0] in PEER_REGIONS else "区域"


def _quota(f: Filters, province: str) -> None:
    quota = queries.quota(f.year)
    if quota is None:
        return
    st.subheader("配额使用")
    if province == CENTRAL:
        units = queries.central_quota_use(f.year)
        names = {
            "max_per_category": "单类别最多推荐",
            "quota_per_category": "每类别配额",
            "quota": "合计配额",
        }
        components.table(labels.rename(units, names), "中央单位配额使用", f, "central_quota")
        st.caption("中央单位按单位计配额：每单位每类别至多1个、合计至多3个。")
        return
    use = queries.quota_use(f.year, province)
    total = int(use["recommended"].sum())
    fig = components.figure(
        charts.quota_bars,
        use["category"].to_list(),
        use["recommended"].to_list(),
        quota["province_per_category"],
    )
    components.chart(fig, "quota", f"配额使用_{province}_{f.year}")
    over = use.filter(pl.col("recommended") > pl.col("quota"))["category"].to_list()
    text = f"{province}{f.year}年度省级推荐 {total} 个（合计配额 {quota['province_total']} 个，每类别 {quota['province_per_category']} 个）。"
    if over or total > quota["province_total"]:
        text += "超出配额：" + "、".join(over or ["合计"]) + "。"
    st.markdown(text)


def _history(f: Filters, province: str, rows: pl.DataFrame) -> None:
    st.subheader("历年申报与入选")
    mine = rows.filter(pl.col("province") == province).sort("year")
    series = {"申报数": mine["submissions"].to_list(), "入选数": mine["selected"].to_list()}
    colours = {"申报数": theme.FUNNEL_COLOUR, "入选数": theme.HIGHLIGHT}
    fig = components.figure(
        charts.year_bars, mine["year"].to_list(), series, colours, notes=_year_notes(mine)
    )
    components.chart(fig, "province_history", f"历年申报与入选_{province}")
    st.caption("2019—2023年为三类推选，2024年起为四个类别的典型案例；跨越调整的个数仅作参考。")


def _year_notes(rows: pl.DataFrame) -> dict[int, str]:
    """入选数未公布 / 内部 under the years whose results are withheld or internal."""
    words = {states.WITHHELD: f"入选数{fmt.WITHHELD}", states.INTERNAL: f"入选数（{fmt.INTERNAL}）"}
    return {
        r["year"]: words[r["result_status"]]
        for r in rows.iter_rows(named=True)
        if r["result_status"] in words
    }


GAP_NAMES = {
    "score_group": "组别",
    "mean_score": "终评均分",
    "finalist_place": "终评名次",
    "cutoff": "入选线",
    "gap_text": "距入选线",
}
CRITERIA = (
    ("political", "政治性"),
    ("innovation", "创新性"),
    ("effectiveness", "实效性"),
    ("typicality", "典型性"),
)


def _finalists(f: Filters, province: str, state: states.YearState) -> None:
    """The province's cases at 终评: how far each stayed from the cut-off, and where its
    criterion scores stand against the selected cases of its group (national means)."""
    st.subheader("进入终评的案例与入选线")
    own = queries.scope().province
    if state.withheld:
        components.empty(f"{f.year}年度评审结果{fmt.WITHHELD}，不显示终评得分与入选线。")
        return
    if own and province != own:
        components.empty(f"省局角色只能看到本省（{own}）案例的得分；{province}只显示汇总数据。")
        return
    rows = queries.province_finalists(f.year, province)
    if rows.is_empty():
        components.empty(f"{province}在{f.year}年度没有进入终评的案例。")
        return
    st.markdown(narrative.finalists_summary(province, f.year, rows.to_dicts()))
    shown = rows.with_columns(
        finalist_place=pl.format("{} / {}", "finalist_rank", "finalists"),
        # Written in this thread, not by map_elements: a Python function inside Polars makes
        # its thread pool wait for the GIL, which froze the server (states._text says how).
        gap_text=pl.Series(
            [_gap(r) for r in rows.select("gap", "is_selected").to_dicts()], dtype=pl.String
        ),
    )
    table = shown.select("title", "unit_name", "score_group", "mean_score", "finalist_place",
                         "cutoff", "gap_text", "is_selected")  # fmt: skip
    parts = (province, str(f.year))
    components.table(labels.rename(table, GAP_NAMES), "终评案例与入选线", None, "finalists",
                     extra_parts=parts)  # fmt: skip
    _criteria(rows, parts)
    st.caption(
        "入选线为该组入选案例中最低的终评均分；终评名次为在全国该组进入终评案例中的名次（全国计算）。"
        "维度得分与该组全国入选案例的均值比较；评分维度的分值为假设（见“研究资料 · 方法说明”）。"
    )


def _gap(row: dict) -> str:
    """差 0.8 分 below the line; 入选 (with how far above) for a selected case."""
    gap = row["gap"]
    if gap is None:
        return fmt.DASH
    if row["is_selected"]:
        return "入选" if gap >= 0 else f"入选（高出 {-gap:.1f} 分）"
    return f"差 {gap:.1f} 分" if gap > 0 else "达到入选线，未入选"


def _criteria(rows: pl.DataFrame, parts: tuple[str, ...]) -> None:
    long = pl.concat(
        rows.select(
            "title",
            pl.lit(label).alias("criterion"),
            pl.col(field).alias("mine"),
            pl.col(f"selected_{field}").alias("selected"),
        )
        for field, label in CRITERIA
    ).with_columns(difference=pl.col("mine") - pl.col("selected"))
    names = {"criterion": "评分维度", "mine": "本案例均分", "selected": "该组入选案例均分",
             "difference": "差值"}  # fmt: skip
    with st.expander("各评分维度：本省终评案例与入选案例比较"):
        components.table(labels.rename(long, names), "终评维度比较", None, "criteria",
                         extra_parts=parts)  # fmt: skip


def _cases(f: Filters, province: str) -> None:
    st.subheader("历年入选案例")
    own = queries.scope().province
    if own and province != own:
        _published(f, province)
        return
    cases = queries.province_cases(f, province)
    if cases.is_empty():
        components.empty(f"{province}在当前筛选下没有入选案例。")
        return
    shown = cases.drop("submission_id")
    parts = (province, "历年", f.slug(with_year=False))
    components.table(labels.rename(shown), "入选案例", None, "province_cases", extra_parts=parts)


def _published(f: Filters, province: str) -> None:
    """Another province's selected items, as the published lists print them (public)."""
    listed = queries.published_selections(f, province, None)
    if listed.is_empty():
        components.empty(f"{province}在已公布的年度中没有入选条目。")
        return
    st.caption(
        "已公布年度的入选名单：只有公布名单所列的单位与案例名称，不含得分。"
        + (f"（演示仓库为{labels.SIMULATED}）" if queries.version().is_simulated else "")
    )
    parts = (province, "公布名单", f.slug(with_year=False))
    components.table(labels.rename(listed), "公布的入选名单", None, "published", extra_parts=parts)


main()
