"""The brief's content, section by section, in the order of a 汇报材料.

National: 一、总体情况 二、地区分布 三、类别与单位结构 四、评审情况 五、年度趋势
六、数据质量说明. For a province: 总体情况 (the nation, briefly), 本省情况, 数据质量说明 —
what a bureau reports up to its 局. A year without data keeps its sections, each saying so.
"""

from __future__ import annotations

import polars as pl

from etl.brief import national, quality
from etl.brief import province as provincial
from etl.brief.common import Year, row
from etl.brief.document import Brief
from etl.brief.source import Source
from etl.present import fmt, states

NATIONAL_SECTIONS = ("总体情况", "地区分布", "类别与单位结构", "评审情况", "年度趋势")
PROVINCE_SECTIONS = ("总体情况", "本省情况")


def title(year: int, province: str | None) -> str:
    where = province or "全国"
    return f"{year}年{where}广播电视媒体融合典型案例征集推选情况分析"


def compose(src: Source, year: int, province: str | None, audience: str) -> Brief:
    data_as_of, simulated = src.warehouse()
    brief = Brief(
        title=title(year, province),
        scope=f"{province}与所在区域、全国比较" if province else "全国情况",
        audience=f"供{audience}参阅",
        data_date=f"数据截至{fmt.day(data_as_of)}",
        simulated=bool(simulated),
    )
    totals = src.year_totals()
    now = row(totals, year)
    before = row(totals, year - 1)
    comparable = before if before and before["submissions"] else None
    y = Year(year, states.of_row(now, year), now, comparable)
    if not y.has_data:
        _no_data(brief, totals, y, province)
    elif province:
        _province(brief, src, y, province)
    else:
        _national(brief, src, y, totals)
    quality.section(brief, src, province)
    return brief


def _national(b: Brief, src: Source, y: Year, totals: pl.DataFrame) -> None:
    provinces = src.province_year()
    national.overall(b, src, y, provinces.filter(pl.col("year") == y.year))
    national.regions(b, src, y, provinces)
    national.structure(b, src, y)
    national.review(b, src, y)
    national.trend(b, src, y, totals)


def _province(b: Brief, src: Source, y: Year, province: str) -> None:
    provinces = src.province_year()
    national.overall(b, src, y, provinces.filter(pl.col("year") == y.year), funnel=False)
    provincial.section(b, src, y, province, provinces)


def _no_data(b: Brief, totals: pl.DataFrame, y: Year, province: str | None) -> None:
    years = sorted(totals.filter(pl.col("submissions") > 0)["year"].to_list())
    have = f"仓库中有申报数据的年度为{years[0]}—{years[-1]}年" if years else "仓库中没有申报数据"
    sentence = f"{y.year}年度没有申报数据（{have}），本节无从分析。"
    for name in PROVINCE_SECTIONS if province else NATIONAL_SECTIONS:
        b.section(name)
        b.say(sentence)
