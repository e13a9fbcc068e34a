"""Numbers as a Chinese reader expects them: thousands separators, percentages with one
decimal, 个/家/分 units, year-on-year changes in 个百分点 for rates."""

from __future__ import annotations

from datetime import date, datetime

DASH = "—"
WITHHELD = "未公布"  # a result of a year not yet published, withheld from this role (issue 5)
NOT_APPLICABLE = "不适用"  # a year whose scheme the filters cannot match (a category before 2024)
INTERNAL = "内部"  # a result of a year not yet published, shown to a role that may see it
NO_SUBMISSIONS = "无申报"
SUPPRESSED = "样本过少"  # another province's statistic over fewer than 3 cases, for a bureau
SAME = "与上年持平"


def count(n: float | None, unit: str = "个") -> str:
    if n is None:
        return DASH
    return f"{int(n):,}{(' ' + unit) if unit else ''}"


def pct(rate: float | None) -> str:
    """A rate given as a fraction (0.143) as 14.3%."""
    return DASH if rate is None else f"{rate * 100:.1f}%"


def score(x: float | None) -> str:
    return DASH if x is None else f"{x:.1f} 分"


def value(x: float | None, kind: str, unit: str = "个") -> str:
    """A measure's value by its kind (count | rate | score)."""
    if kind == "rate":
        return pct(x)
    if kind == "score":
        return score(x)
    return count(x, unit)


def change(now: float | None, before: float | None, kind: str, unit: str = "个") -> str | None:
    """The change since the previous year, signed and short enough for a KPI card (rates
    change in 个百分点); None when either side is missing."""
    if now is None or before is None:
        return None
    diff = now - before
    if kind == "rate":
        return SAME if abs(diff) < 0.0005 else f"{diff * 100:+.1f} 个百分点"
    if kind == "score":
        return SAME if abs(diff) < 0.05 else f"{diff:+.1f} 分"
    if diff == 0:
        return SAME
    return f"{int(diff):+,}{(' ' + unit) if unit else ''}"


def decimals(column: str) -> int:
    """Decimals a table column of floats is shown with, on screen and in exports: two for a
    share (…比例（%）, failure shares are often < 0.1%), one for rates and scores."""
    return 2 if column.endswith("比例（%）") else 1


def day(moment: date | datetime | None) -> str:
    """2024年7月23日 — no zero padding, as written in Chinese."""
    if moment is None:
        return DASH
    return f"{moment.year}年{moment.month}月{moment.day}日"


def moment(at: datetime | None) -> str:
    if at is None:
        return DASH
    return f"{day(at)} {at:%H:%M}"
