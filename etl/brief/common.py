"""Small pieces every section uses: a year's row, the year's state, and cells as text."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.present import fmt, states
from etl.present.labels import MEASURES


def row(frame: pl.DataFrame, year: int | None, **match: object) -> dict | None:
    """The row of one year (and, given, one province/region/…) of a per-year frame."""
    if year is None:
        return None
    rows = frame.filter(pl.col("year") == year, *(pl.col(k) == v for k, v in match.items()))
    return rows.to_dicts()[0] if rows.height else None


def shown(value: float | None, key: str, state: states.YearState) -> str:
    """A measure's value as the pages write it: the number, 未公布 or 不适用."""
    return states.shown(value, MEASURES[key], state)


def count(value: int | None, state: states.YearState | None = None, result: bool = False) -> str:
    """A count cell of a table (no unit: the header says 个); 未公布 for a withheld result."""
    if result and state is not None and state.withheld:
        return fmt.WITHHELD
    return fmt.count(value, "")


def rate(hits: int | None, base: int | None, state: states.YearState | None = None) -> str:
    if state is not None and state.withheld:
        return fmt.WITHHELD
    if hits is None or not base:
        return fmt.DASH
    return fmt.pct(hits / base)


def wan(n: int) -> str:
    """A count as a Chinese reader says it: 1.2万 from ten thousand up, else 1,234."""
    return f"{n / 10000:.1f}万" if n >= 10000 else f"{n:,}"


@dataclass(frozen=True)
class Year:
    """The year of the report and what the role may see of it."""

    year: int
    state: states.YearState
    now: dict | None
    before: dict | None

    @property
    def has_data(self) -> bool:
        return bool(self.now and self.now["submissions"])
