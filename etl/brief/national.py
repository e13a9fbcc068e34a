"""The national sections of the brief, in the order of a 汇报材料: 总体情况, 地区分布, 类别与
单位结构, 评审情况, 年度趋势. Each reads the pages' named queries (etl/brief/source.py) and
writes the pages' sentences (etl/present/narrative.py) and charts (etl/present/charts.py)."""

from __future__ import annotations

import polars as pl

from etl.brief.common import Year, count, rate, row, shown
from etl.brief.document import Brief
from etl.brief.source import Source
from etl.present import charts, fmt, narrative, states, theme
from etl.present.labels import (
    CENTRAL,
    FUNNEL,
    MEASURES,
    SCHEME_CHANGE_NOTE,
    SCHEME_CHANGE_YEAR,
)
from etl.reference.programme import programme

KEY_MEASURES = (
    "submissions",
    "provinces",
    "recommended",
    "reached_final",
    "selected",
    "selection_rate",
    "mean_score",
)


def withheld_sentence(year: int, what: str) -> str:
    return f"{year}年度评审结果{fmt.WITHHELD}（公示前只有领导可见），本报告不列{what}。"


def top_provinces(frame: pl.DataFrame, n: int) -> pl.DataFrame:
    """The year's provinces ranked by submissions (ties share a rank), 兵团 in, 中央单位 out."""
    return frame.filter(pl.col("rank_submissions") <= n).sort("rank_submissions", "province_order")


def overall(b: Brief, src: Source, y: Year, provinces: pl.DataFrame, funnel: bool = True) -> None:
    """一、总体情况: the year's totals, the funnel, the change on last year, the scheme."""
    b.section("总体情况")
    first = top_provinces(provinces, 1)
    top = ("、".join(first["province"]), int(first["submissions"][0])) if first.height else None
    if y.state.withheld:
        b.say(narrative.withheld_summary(y.year, y.now, top))
    else:
        b.say(
            narrative.overview_summary(y.year, y.now, y.before, top),
            f"（{fmt.INTERNAL}：评审结果尚未公布）" if y.state.internal else "",
        )
    b.say(_scheme_sentence(y))
    name = b.table(f"{y.year}年度主要指标", *_key_table(y), numeric={1, 2, 3})
    b.note(f"{name}中入选率 = 入选 ÷ 申报；平均分为初评专家总分的均值（满分100分）。")
    if y.state.internal:
        b.note(
            f"{y.year}年度评审结果尚未公布，{name}中的进入终评、入选、入选率与平均分为"
            f"{fmt.INTERNAL}数据，公布前不得外传。"
        )
    if not funnel:
        return
    if y.state.withheld:
        b.say(withheld_sentence(y.year, "评审漏斗"))
        return
    values = [int(y.now[key] or 0) for key, _ in FUNNEL]
    name = b.figure(f"{y.year}年度评审漏斗", charts.funnel([label for _, label in FUNNEL], values))
    b.note(f"{name}每一级为最远到达该阶段及以后的个数，百分比为占申报数的比例。")


def _scheme_sentence(y: Year) -> str:
    rules = programme().get(y.year)
    label = rules.scheme_label if rules else ""
    if y.year == SCHEME_CHANGE_YEAR:
        return (
            "2019—2023年按先导单位、典型案例、成长项目三种申报类型推选，2024年起只设典型案例，"
            "分新媒体平台建设、融合生产传播、综合信息服务、体制机制改革四个类别。"
        )
    if y.before is None:
        return f"本年度按{label}推选；没有可比的上一年度，不作同比。"
    return f"本年度按{label}推选，与{y.before['year']}年度口径相同。"


def _key_table(y: Year) -> tuple[list[str], list[list[str]]]:
    before_state = states.of_row(y.before) if y.before else None
    rows = []
    for key in KEY_MEASURES:
        measure = MEASURES[key]
        now = states.shown(y.now[key], measure, y.state)
        if y.before is None or key == "mean_score" and not _same_rubric(y):
            rows.append([measure.label, now, fmt.DASH, fmt.DASH])
            continue
        then = states.shown(y.before[key], measure, before_state)
        hidden = y.state.note(measure) or before_state.note(measure)
        change = hidden or fmt.change(y.now[key], y.before[key], measure.kind, measure.unit)
        rows.append([measure.label, now, then, change or fmt.DASH])
    before = f"{y.before['year']}年度" if y.before else "上年度"
    return ["指标", f"{y.year}年度", before, "变化"], rows


def _same_rubric(y: Year) -> bool:
    rules = programme()
    a, b = rules.get(y.year), rules.get(y.before["year"])
    total = lambda r: sum(c.max * c.weight for c in r.criteria) if r else None  # noqa: E731
    return total(a) == total(b)


def regions(b: Brief, src: Source, y: Year, provinces: pl.DataFrame) -> None:
    """二、地区分布: the tile map, the provinces that submitted most, the region groups."""
    b.section("地区分布")
    year = provinces.filter(pl.col("year") == y.year)
    submitted = year.filter(pl.col("submissions") > 0, pl.col("province") != CENTRAL)
    top = top_provinces(year, 10)
    leaders = "、".join(f"{r['province']}（{r['submissions']} 个）" for r in top.head(5).to_dicts())
    quiet = year.filter(pl.col("submissions") == 0, pl.col("province") != CENTRAL)
    text = f"{submitted.height} 个省级单位（含新疆生产建设兵团）有申报，申报数居前的是{leaders}。"
    if quiet.height:
        text += f"没有申报的有{'、'.join(quiet['province'])}。"
    central = row(year, y.year, province=CENTRAL)
    if central and central["submissions"]:
        text += f"中央单位申报 {central['submissions']} 个。"
    if not y.state.withheld:
        most = year.filter(pl.col("rank_selected") == 1)
        if most.height and most["selected"][0]:
            text += f"入选最多的是{'、'.join(most['province'])}（{most['selected'][0]} 个）。"
    b.say(text)
    values = year.select(
        "province",
        "submissions",
        pl.when(pl.col("submissions") > 0).then(pl.col("submissions")).alias("value"),
        pl.when(pl.col("submissions") > 0)
        .then(pl.lit(None, pl.String))
        .otherwise(pl.lit(fmt.NO_SUBMISSIONS))
        .alias("note"),
        pl.lit("").alias("hover"),
    )
    fig = charts.tile_map(src.provinces(), values, MEASURES["submissions"])
    name = b.figure(f"{y.year}年度各省级单位申报数", fig, width_cm=12.5)
    b.note(f"{name}为方格图：每个省级单位一个等大方格，大致按地理位置排列，不表示行政区域界线。")
    rows = [
        [
            str(r["rank_submissions"]),
            r["province"],
            r["region"],
            count(r["submissions"]),
            count(r["selected"], y.state, result=True),
            rate(r["selected"], r["submissions"], y.state),
        ]
        for r in top.to_dicts()
    ]
    name = b.table(
        f"{y.year}年度申报数前十的省级单位",
        ["名次", "省份", "区域", "申报数（个）", "入选数（个）", "入选率"],
        rows,
        numeric={0, 3, 4, 5},
    )
    b.note(f"{name}排名含新疆生产建设兵团，不含中央单位；并列时名次相同。")
    _region_groups(b, src, y)


def _region_groups(b: Brief, src: Source, y: Year) -> None:
    groups = src.region_year().filter(pl.col("year") == y.year).sort("region_order")
    total = y.now["submissions"]
    parts, rows = [], []
    for r in groups.to_dicts():
        share = r["submissions"] / total if total else None
        parts.append(f"{r['region']} {r['submissions']} 个（{fmt.pct(share)}）")
        rows.append(
            [
                r["region"],
                count(r["provinces"]),
                count(r["submissions"]),
                fmt.pct(share),
                count(r["selected"], y.state, result=True),
                rate(r["selected"], r["submissions"], y.state),
            ]
        )
    b.say(f"按区域看，申报数为{'，'.join(parts)}。")
    name = b.table(
        f"{y.year}年度分区域申报与入选",
        ["区域", "有申报省份（个）", "申报数（个）", "占全国", "入选数（个）", "入选率"],
        rows,
        numeric={1, 2, 3, 4, 5},
    )
    b.note(
        f"{name}东部、中部、西部、东北按国家统计局划分；兵团、中央单位单列。"
        "比率为合并计算（入选总数 ÷ 申报总数）。"
    )


def structure(b: Brief, src: Source, y: Year) -> None:
    """三、类别与单位结构: categories (2024+) or tracks, then unit levels and types."""
    b.section("类别与单位结构")
    mix = src.group_mix().filter(pl.col("year") == y.year, pl.col("submissions") > 0)
    by_category = mix["group_kind"][0] == "category"
    word = "类别" if by_category else "申报类型"
    total = int(mix["submissions"].sum())
    parts = [
        f"{r['group']} {r['submissions']} 个（{fmt.pct(r['submissions'] / total)}）"
        for r in mix.to_dicts()
    ]
    text = f"按{word}看，{'，'.join(parts)}。"
    if not y.state.withheld:
        best = mix.sort("selection_rate", descending=True).row(0, named=True)
        text += f"入选率最高的是{best['group']}（{fmt.pct(best['selection_rate'])}）。"
    b.say(text)
    fig = charts.share_donut(list(mix["group"]), list(mix["submissions"]), f"申报<br>{total:,} 个")
    b.figure(f"{y.year}年度申报{word}构成", fig, width_cm=12.5)
    rows = [
        [
            r["group"],
            count(r["submissions"]),
            fmt.pct(r["submissions"] / total),
            count(r["reached_final"], y.state, result=True),
            count(r["selected"], y.state, result=True),
            rate(r["selected"], r["submissions"], y.state),
        ]
        for r in mix.to_dicts()
    ]
    b.table(
        f"{y.year}年度分{word}申报与入选",
        [word, "申报数（个）", "占申报", "进入终评（个）", "入选数（个）", "入选率"],
        rows,
        numeric={1, 2, 3, 4, 5},
    )
    _units(b, src, y)


def _units(b: Brief, src: Source, y: Year) -> None:
    units = src.group_units(y.year)
    rows, sentences = [], []
    for dimension, word in (("unit_level", "单位层级"), ("unit_type", "单位类型")):
        part = (
            units.filter(pl.col("dimension") == dimension)
            .group_by("value")
            .agg(pl.col("submissions").sum(), pl.col("selected").sum())
            .sort("submissions", "value", descending=[True, False])
        )
        total = int(part["submissions"].sum())
        sentences.append(
            f"按{word}，"
            + "、".join(
                f"{r['value']} {r['submissions']} 个（{fmt.pct(r['submissions'] / total)}）"
                for r in part.to_dicts()
            )
        )
        rows += [
            [
                word,
                r["value"],
                count(r["submissions"]),
                fmt.pct(r["submissions"] / total),
                count(r["selected"], y.state, result=True),
                rate(r["selected"], r["submissions"], y.state),
            ]
            for r in part.to_dicts()
        ]
    b.say("；".join(sentences) + "。")
    b.table(
        f"{y.year}年度申报单位的层级与类型",
        ["分组", "层级或类型", "申报数（个）", "占申报", "入选数（个）", "入选率"],
        rows,
        numeric={2, 3, 4, 5},
    )


def review(b: Brief, src: Source, y: Year) -> None:
    """四、评审情况: score distributions and cut-offs, and expert consistency."""
    b.section("评审情况")
    if y.state.withheld:
        b.say(withheld_sentence(y.year, "得分分布、入选线与专家评分一致性"))
        return
    stats = src.score_distribution(y.year)
    if stats.is_empty():
        b.say(f"{y.year}年度没有评分数据，无从分析得分分布与入选线。")
        return
    rows, cutoffs = [], []
    for group in stats.sort("group_order")["group"].unique(maintain_order=True):
        lines = {r["stage"]: r for r in stats.filter(pl.col("group") == group).to_dicts()}
        first, final = lines.get("初评"), lines.get("终评")
        cutoff = (final or first or {}).get("cutoff")
        if cutoff is not None:
            cutoffs.append((group, cutoff))
        rows.append(
            [
                group,
                count(first and first["n"]),
                fmt.score(first and first["median"]),
                count(final and final["n"]),
                fmt.score(final and final["mean_score"]),
                fmt.score(cutoff),
            ]
        )
    if cutoffs:
        low, high = min(cutoffs, key=lambda c: c[1]), max(cutoffs, key=lambda c: c[1])
        b.say(
            f"各{'类别' if y.year >= SCHEME_CHANGE_YEAR else '申报类型'}入选线（入选案例终评均分的最低值）"
            f"在 {low[1]:.1f} 分（{low[0]}）到 {high[1]:.1f} 分（{high[0]}）之间。"
        )
    name = b.table(
        f"{y.year}年度各组得分与入选线",
        ["分组", "初评案例（个）", "初评中位数", "终评案例（个）", "终评均分", "入选线"],
        rows,
        numeric={1, 2, 3, 4, 5},
    )
    b.note(f"{name}每个申报取各位专家总分的平均；评分标准为假设（分值见看板「评分分析」）。")
    fig = charts.stage_boxes(stats.sort("group_order", "stage_order"))
    b.figure(f"{y.year}年度各组各评审阶段得分分布", fig)
    _experts(b, src, y)


def _experts(b: Brief, src: Source, y: Year) -> None:
    experts = src.expert_consistency(y.year)
    if experts is None:
        b.say("专家评分一致性不在本角色可见的数据中，本报告不作分析。")
        return
    if experts.is_empty():
        b.say(f"{y.year}年度没有可分析的专家评分。")
        return
    parts = []
    for stage in experts.sort("stage_order")["stage"].unique(maintain_order=True):
        verdicts = experts.filter(pl.col("stage") == stage)["verdict"].to_list()
        parts.append(
            f"{stage} {len(verdicts)} 位专家中偏严 {verdicts.count('偏严')} 位、偏宽 "
            f"{verdicts.count('偏宽')} 位"
        )
    b.say(
        "专家评分一致性：" + "；".join(parts) + "。判为偏严或偏宽须同时满足平均偏差在本阶段专家中"
        "属异常且不是偶然，评分少于 5 次的专家不作判断。"
    )


def trend(b: Brief, src: Source, y: Year, totals: pl.DataFrame) -> None:
    """五、年度趋势: every year since 2019, the 2023→2024 change of scheme marked."""
    b.section("年度趋势")
    shown_years = totals.filter(pl.col("submissions") > 0).sort("year")
    first, last = shown_years.row(0, named=True), shown_years.row(-1, named=True)
    text = (
        f"{first['year']}年度以来，申报数从 {first['submissions']:,} 个变为 "
        f"{last['submissions']:,} 个（{last['year']}年度）。"
    )
    before, change = row(totals, SCHEME_CHANGE_YEAR - 1), row(totals, SCHEME_CHANGE_YEAR)
    if before and change and before["submissions"] and change["submissions"]:
        diff = change["submissions"] - before["submissions"]
        text += (
            f"2024年度申报 {change['submissions']:,} 个，较2023年度"
            f"{'增加' if diff > 0 else '减少'} {abs(diff):,} 个；{SCHEME_CHANGE_NOTE}，"
            "两年的个数口径不同，变化仅作参考。"
        )
    b.say(text)
    series = {"申报数": list(shown_years["submissions"]), "入选数": list(shown_years["selected"])}
    colours = {"申报数": theme.FUNNEL_COLOUR, "入选数": theme.HIGHLIGHT}
    notes = states.year_notes(shown_years, "入选数")
    fig = charts.year_bars(list(shown_years["year"]), series, colours, notes=notes)
    name = b.figure("历年申报数与入选数", fig)
    b.note(
        f"{name}虚线为2024年征集办法调整处；入选数未公布的年度标“入选数{fmt.WITHHELD}”，"
        f"尚未公布、仅本角色可见的标“{fmt.INTERNAL}”。"
    )
    rows = []
    for r in shown_years.to_dicts():
        state = states.of_row(r)
        rows.append(
            [
                f"{r['year']}（{fmt.INTERNAL}）" if state.internal else str(r["year"]),
                count(r["submissions"]),
                count(r["provinces"]),
                count(r["reached_final"], state, result=True),
                count(r["selected"], state, result=True),
                shown(r["selection_rate"], "selection_rate", state),
            ]
        )
    b.table(
        "历年概况",
        ["年度", "申报数（个）", "有申报省份（个）", "进入终评（个）", "入选数（个）", "入选率"],
        rows,
        numeric={1, 2, 3, 4, 5},
    )
