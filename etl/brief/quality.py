"""数据质量说明: what was loaded, what was kept aside and why, and what is assumed."""

from __future__ import annotations

import polars as pl

from etl.brief.common import wan
from etl.brief.document import Brief
from etl.brief.source import Source
from etl.glossary import KINDS
from etl.present import fmt
from etl.reference.programme import programme


def section(b: Brief, src: Source, province: str | None) -> None:
    b.section("数据质量说明")
    b.say(_loaded(src))
    b.say(_quarantined(src, province))
    b.say(_assumed())
    b.say(
        "本报告的数字与看板各页同源（同一组命名查询），按报告使用者的角色读取：未公布年度的"
        f"评审结果写作“{fmt.WITHHELD}”，不以其他数字代替。入选率 = 入选 ÷ 申报。"
    )


def _loaded(src: Source) -> str:
    runs = src.load_runs()
    if runs is None or runs.is_empty():
        return "仓库中没有导入记录。"
    done = runs.filter(pl.col("status") == "succeeded")
    if done.is_empty():
        return "仓库中没有成功完成的导入。"
    r = done.row(0, named=True)
    return (
        f"最近一次导入完成于{fmt.moment(r['finished_at'])}，读取 {r['files']} 个文件共 "
        f"{wan(r['rows_read'])} 行，接收 {wan(r['rows_accepted'])} 行，隔离 {r['rows_quarantined']} 行，"
        f"另有 {r['rows_warned']} 行带警告保留；共检查质量规则 {r['rules']} 条，其中 "
        f"{r['rules_failed']} 条发现了问题（明细见看板“数据质量”页）。"
    )


def _quarantined(src: Source, province: str | None) -> str:
    rows = src.quarantine(province if src.scope.province else None)
    if rows is None:
        return "被隔离行的明细不在本角色可见的数据中。"
    if rows.is_empty():
        return "没有被隔离的行。"
    kinds = rows.group_by("kind").len().sort("len", descending=True)
    parts = "、".join(f"{KINDS.get(k, k)} {n} 行" for k, n in kinds.iter_rows())
    scope = f"{src.scope.province}的申报表中" if src.scope.province else ""
    return f"{scope}被隔离（未导入、保留待核）的行：{parts}；每行都记有原因，改正后重新导入即可。"


def _assumed() -> str:
    text = (
        "评分标准为假设：通知只列出政治性、创新性、实效性、典型性四项要求，未公布分值，"
        "得分按假设的各维度分值计算（分值见看板「评分分析」，方法见「研究资料」）。"
    )
    assumed = [r for r in programme().values() if r.selected_assumed]
    if assumed:
        text += "；".join(f"{r.year}年度入选数{r.selected_source}" for r in assumed) + "。"
    return text
