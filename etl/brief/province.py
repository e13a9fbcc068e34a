"""本省情况: one province against its region group and the nation, as on 地区对比 — its rank,
rates with their counts (small samples flagged), quota use, scores, its cases and where each
stopped, and its history."""

from __future__ import annotations

import polars as pl

from etl.brief.common import Year, count, rate, row
from etl.brief.document import Brief
from etl.brief.national import withheld_sentence
from etl.brief.source import Source, quota_of
from etl.present import charts, fmt, narrative, states, theme
from etl.present.labels import CENTRAL, MEASURES, PEER_REGIONS, SMALL_SAMPLE, SMALL_SAMPLE_NOTE
from etl.present.narrative import Rate

RATES = (("推荐率", "recommended"), ("终评率", "reached_final"), ("入选率", "selected"))


def section(b: Brief, src: Source, y: Year, province: str, provinces: pl.DataFrame) -> None:
    b.section("本省情况")
    mine = row(provinces, y.year, province=province)
    if mine is None or not mine["submissions"]:
        b.say(f"{province}在{y.year}年度没有申报，本节无从比较。")
        _history(b, province, provinces)
        return
    region_name = mine["region"] if mine["region"] in PEER_REGIONS else None
    region = row(src.region_year(), y.year, region=region_name) if region_name else None
    year = provinces.filter(pl.col("year") == y.year)
    b.sub("申报与排名")
    _sentences(b, y, province, mine, region, region_name, year)
    _table(b, y, province, mine, region, region_name)
    _rates_chart(b, y, province, mine, region, region_name)
    if province != CENTRAL:
        _quota(b, src, y, province)
    _scores(b, src, y, province)
    _cases(b, src, y, province)
    _history(b, province, provinces)


def _rate(label: str, r: dict | None, key: str) -> Rate | None:
    if not r or r[key] is None:
        return None
    return Rate(label, int(r[key]), int(r["submissions"]))


def _sentences(b: Brief, y: Year, province: str, mine, region, region_name, year) -> None:
    ranked = year.filter(pl.col("rank_submissions").is_not_null()).height
    share = mine["submissions"] / y.now["submissions"]
    b.say(
        f"{province}申报 {fmt.count(mine['submissions'])}，入选 "
        f"{states.shown(mine['selected'], MEASURES['selected'], y.state)}"
        + (f"（{fmt.INTERNAL}）" if y.state.internal else "")
        + "。"
        + narrative.rank_sentence(province, mine["rank_submissions"], ranked, share)
    )
    if y.state.withheld:
        b.say(f"{y.year}年度评审结果{fmt.WITHHELD}，不比较推荐率、终评率与入选率。")
    else:
        for label, key in RATES:
            b.say(
                narrative.compare_rate(
                    _rate(label, mine, key),
                    _rate(label, region, key),
                    region_name,
                    _rate(label, y.now, key),
                )
            )
    if region_name is None:
        b.say(f"{province}不属于东部、中部、西部、东北四大区域，只与全国比较。")


def _table(b: Brief, y: Year, province: str, mine, region, region_name) -> None:
    scopes = [(province, mine), (f"{region_name}合计", region), ("全国合计", y.now)]
    rows = [
        [
            name,
            count(r["submissions"]),
            count(r["recommended"]),
            count(r["reached_final"], y.state, result=True),
            count(r["selected"], y.state, result=True),
            rate(r["recommended"], r["submissions"]),
            rate(r["reached_final"], r["submissions"], y.state),
            rate(r["selected"], r["submissions"], y.state),
            SMALL_SAMPLE_NOTE if 0 < r["submissions"] < SMALL_SAMPLE else "",
        ]
        for name, r in scopes
        if r is not None
    ]
    name = b.table(
        f"{y.year}年度{province}与所在区域、全国比较",
        ["范围", "申报", "推荐", "终评", "入选", "推荐率", "终评率", "入选率", "说明"],
        rows,
        numeric={1, 2, 3, 4, 5, 6, 7},
    )
    b.note(
        f"{name}个数单位为个；区域、全国的比率为合并计算（合计个数相除），全国含中央单位。"
        f"申报不足 {SMALL_SAMPLE} 个时比率波动大，标“{SMALL_SAMPLE_NOTE}”。"
    )


def _rates_chart(b: Brief, y: Year, province: str, mine, region, region_name) -> None:
    if y.state.withheld:
        return
    scopes = {"本省": mine, "区域": region, "全国": y.now}
    names = {"本省": province, "区域": region_name or "", "全国": "全国"}
    series, notes = {}, {}
    for scope, r in scopes.items():
        if r is None:
            continue
        series[names[scope]] = [
            r[key] / r["submissions"] if r["submissions"] and r[key] is not None else None
            for _, key in RATES
        ]
        notes[names[scope]] = [f"{r[key]}/{r['submissions']}" for _, key in RATES]
    colours = {names[s]: theme.SCOPE_COLOURS[s] for s in scopes}
    fig = charts.grouped_bars([label for label, _ in RATES], series, colours, "rate", notes)
    b.figure(f"{y.year}年度{province}推荐率、终评率与入选率", fig)


def _quota(b: Brief, src: Source, y: Year, province: str) -> None:
    quota = quota_of(y.year)
    use = src.quota_use(y.year, province)
    if quota is None or use is None:
        return
    b.sub("配额使用")
    total = int(use["recommended"].sum())
    text = (
        f"{province}{y.year}年度省级推荐 {total} 个（合计配额 {quota.province_total} 个，"
        f"每类别 {quota.province_per_category} 个），用去合计配额的 "
        f"{fmt.pct(total / quota.province_total)}。"
    )
    over = use.filter(pl.col("recommended") > pl.col("quota"))["category"].to_list()
    if over or total > quota.province_total:
        text += "超出配额：" + "、".join(over or ["合计"]) + "。"
    b.say(text)
    fig = charts.quota_bars(
        list(use["category"]), list(use["recommended"]), quota.province_per_category
    )
    b.figure(f"{y.year}年度{province}各类别推荐数与配额", fig)


def _scores(b: Brief, src: Source, y: Year, province: str) -> None:
    b.sub("初评得分")
    if y.state.withheld:
        b.say(withheld_sentence(y.year, "本省得分"))
        return
    stats = src.score_scopes(y.year, province)
    mine = stats.filter(pl.col("scope_role") == "本省")
    if mine.is_empty():
        b.say(f"{province}在{y.year}年度没有初评得分。")
        return
    r = mine.row(0, named=True)
    text = (
        f"{province}初评得分中位数 {fmt.score(r['median'])}（四分位 {r['q1']:.1f}–{r['q3']:.1f}），"
        f"位于全国第 {r['median_percentile'] * 100:.0f} 百分位。"
    )
    if r["n"] < SMALL_SAMPLE:
        text += f"（只有 {r['n']} 个得分，{SMALL_SAMPLE_NOTE}）"
    b.say(text)
    shown = stats.with_columns(pl.col("scope").alias("label"), pl.col("scope_role").alias("scope"))
    name = b.figure(
        f"{y.year}年度{province}、所在区域与全国初评得分分布", charts.score_boxes(shown)
    )
    b.note(f"{name}箱体为四分位，须线为最低与最高分；分布按全国全部案例计算。")


def _cases(b: Brief, src: Source, y: Year, province: str) -> None:
    b.sub("本省申报案例")
    cases = src.province_submissions(y.year, province)
    if cases.is_empty():
        b.say(f"{province}在{y.year}年度没有可列出的申报案例。")
        return
    order = {"终评": 0, "复评": 1, "初评": 2}
    rows = [
        [
            r["unit_name"] or fmt.DASH,
            r["title"] or fmt.DASH,
            r["category"] or r["track"] or fmt.DASH,
            _stage(r, y.state),
            _selected(r, y.state),
        ]
        for r in sorted(
            cases.to_dicts(),
            key=lambda r: (not r["is_selected"], order.get(r["furthest_stage"], 3)),
        )
    ]
    selected = int(cases["is_selected"].sum()) if not y.state.withheld else None
    text = f"{province}{y.year}年度申报 {cases.height} 个案例"
    text += f"，入选 {selected} 个。" if selected is not None else f"，评审结果{fmt.WITHHELD}。"
    b.say(text)
    b.table(
        f"{y.year}年度{province}申报案例及所处评审阶段",
        ["申报单位", "案例名称", "类别或类型", "最远阶段", "是否入选"],
        rows,
    )


def _stage(r: dict, state: states.YearState) -> str:
    if state.withheld:
        return fmt.WITHHELD
    if not r["is_recommended"]:
        return "未获省级推荐"
    return r["furthest_stage"] or "未评审"


def _selected(r: dict, state: states.YearState) -> str:
    if state.withheld:
        return fmt.WITHHELD
    return "入选" if r["is_selected"] else "—"


def _history(b: Brief, province: str, provinces: pl.DataFrame) -> None:
    mine = provinces.filter(pl.col("province") == province).sort("year")
    if not mine["submissions"].sum():
        return
    b.sub("历年申报与入选")
    series = {"申报数": list(mine["submissions"]), "入选数": list(mine["selected"])}
    colours = {"申报数": theme.FUNNEL_COLOUR, "入选数": theme.HIGHLIGHT}
    notes = states.year_notes(mine, "入选数")
    fig = charts.year_bars(list(mine["year"]), series, colours, notes=notes)
    name = b.figure(f"{province}历年申报数与入选数", fig)
    b.note(f"{name}中2019—2023年为三类推选，2024年起为四个类别的典型案例；跨越调整的个数仅作参考。")
