"""Generated Chinese sentences: what changed since last year, where a province stands.

Pure functions of numbers; the pages decide what is comparable before asking for words.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.present import fmt
from etl.present.labels import (
    SCHEME_CHANGE_NOTE,
    SCHEME_CHANGE_YEAR,
    SMALL_SAMPLE,
    SMALL_SAMPLE_NOTE,
)


def _more_or_less(diff: float, more: str = "增加", less: str = "减少") -> str:
    return more if diff > 0 else less


def overview_summary(
    year: int,
    now: dict[str, float | None],
    before: dict[str, float | None] | None,
    top: tuple[str, int] | None,
) -> str:
    """One paragraph for leadership: the year's totals, their change on the year before
    (when comparable), and the province that submitted most."""
    parts = [f"{year}年度共申报 {fmt.count(now['submissions'])}"]
    if before and before["submissions"]:
        diff = int(now["submissions"] - before["submissions"])
        if diff:
            rel = diff / before["submissions"] * 100
            parts[0] += f"，较上年{_more_or_less(diff)} {abs(diff):,} 个（{rel:+.1f}%）"
        else:
            parts[0] += "，与上年持平"
    parts.append(f"{now['provinces']} 个省份有申报")
    parts.append(f"{fmt.count(now['reached_final'])}进入终评，入选 {fmt.count(now['selected'])}")
    rate = f"入选率 {fmt.pct(now['selection_rate'])}（入选 ÷ 申报）"
    if before and before["selection_rate"] is not None and now["selection_rate"] is not None:
        diff = (now["selection_rate"] - before["selection_rate"]) * 100
        if abs(diff) >= 0.05:
            rate += f"，较上年{_more_or_less(diff, '提高', '下降')} {abs(diff):.1f} 个百分点"
        else:
            rate += "，与上年持平"
    parts.append(rate)
    text = "；".join(parts) + "。"
    if before and year == SCHEME_CHANGE_YEAR:
        text += f"（{SCHEME_CHANGE_NOTE}；与上年只比较总数与入选率。）"
    if top:
        text += f"申报最多的是{top[0]}（{top[1]:,} 个）。"
    return text


def withheld_summary(year: int, now: dict[str, float | None], top: tuple[str, int] | None) -> str:
    """The same paragraph for a year whose results the reader may not see: totals only."""
    text = f"{year}年度共申报 {fmt.count(now['submissions'])}，{now['provinces']} 个省份有申报；"
    text += f"评审结果{fmt.WITHHELD}（公示前只有领导可见）。"
    if top:
        text += f"申报最多的是{top[0]}（{top[1]:,} 个）。"
    return text


@dataclass(frozen=True)
class Rate:
    """A rate with its counts, so a sentence can say 3/15 and flag small samples."""

    label: str
    hits: int
    base: int

    @property
    def value(self) -> float | None:
        return self.hits / self.base if self.base else None

    @property
    def small(self) -> bool:
        return self.base < SMALL_SAMPLE


def _against(mine: float, theirs: float | None, name: str) -> str | None:
    if theirs is None:
        return None
    diff = (mine - theirs) * 100
    if abs(diff) < 0.05:
        return f"与{name}（{fmt.pct(theirs)}）持平"
    word = "高于" if diff > 0 else "低于"
    return f"{word}{name}（{fmt.pct(theirs)}）{abs(diff):.1f} 个百分点"


def compare_rate(mine: Rate, region: Rate | None, region_name: str | None, nation: Rate) -> str:
    """「本省入选率 20.0%（3/15），高于西部均值（12.3%）7.7 个百分点，…」, flagged when
    the province's base is small. Region and nation are pooled: their hits ÷ their base."""
    if mine.value is None:
        return f"本省没有申报，{mine.label}无从计算。"
    head = f"本省{mine.label} {fmt.pct(mine.value)}（{mine.hits}/{mine.base}）"
    clauses = []
    if region is not None and region_name:
        clauses.append(_against(mine.value, region.value, f"{region_name}均值"))
    clauses.append(_against(mine.value, nation.value, "全国均值"))
    text = "，".join([head, *[c for c in clauses if c]]) + "。"
    if mine.small:
        text += f"（本省申报不足 {SMALL_SAMPLE} 个，{SMALL_SAMPLE_NOTE}）"
    return text


def rank_sentence(province: str, rank: int | None, ranked: int, share: float | None) -> str:
    """「申报数占全国 5.4%，在有申报的 32 个省份中排第 3。」"""
    if rank is None:
        return f"{province}本年度在当前筛选条件下没有申报。"
    return f"申报数占全国 {fmt.pct(share)}，在有申报的 {ranked} 个省份中排第 {rank}。"


def finalists_summary(province: str, year: int, rows: list[dict]) -> str:
    """「浙江2024年度有 5 个案例进入终评，入选 2 个；未入选的案例中，距入选线最近的是
    “…”（体制机制改革），差 0.8 分。」 rows: one per case at 终评, with title, score_group,
    is_selected and gap (cut-off − its mean)."""
    selected = sum(1 for r in rows if r["is_selected"])
    text = f"{province}{year}年度有 {len(rows)} 个案例进入终评，入选 {selected} 个"
    missed = [r for r in rows if not r["is_selected"] and r["gap"] is not None and r["gap"] > 0]
    if not missed:
        return text + "。"
    closest = min(missed, key=lambda r: r["gap"])
    return (
        text + f"；未入选的案例中，距入选线最近的是“{closest['title'] or closest['unit_name']}”"
        f"（{closest['score_group']}），差 {closest['gap']:.1f} 分。"
    )
