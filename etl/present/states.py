"""What a shown value is: the nation's number, 未公布, 不适用, or 内部 — never a different number.

The data layer says it explicitly (etl/access): every query of a year carries its
`result_status` ('published'; 'internal', not yet published but shown to this role; 'withheld',
masked for this role) and, under the sidebar filters, whether the year's scheme `applies` at
all (a 申报类别 filter cannot match 2019–2023). Pages ask this module how to write a value, so
a masked 入选数 reads 未公布 and not 0, a category filter over 2023 reads 不适用 and not 0, and a
leader looking at an unpublished year is told, on the page itself, that it is internal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from etl.present import fmt
from etl.present.labels import Measure

PUBLISHED, INTERNAL, WITHHELD = "published", "internal", "withheld"


@dataclass(frozen=True)
class YearState:
    """One year under the filters in force, as this session's role may see it."""

    year: int
    applies: bool = True
    status: str = PUBLISHED

    @property
    def withheld(self) -> bool:
        return self.status == WITHHELD

    @property
    def internal(self) -> bool:
        return self.status == INTERNAL

    def note(self, measure: Measure | None = None) -> str | None:
        """不适用 / 未公布 where that is what a value of the measure is, else None."""
        if not self.applies:
            return fmt.NOT_APPLICABLE
        if self.withheld and (measure is None or measure.is_result):
            return fmt.WITHHELD
        return None


def of_row(row: dict | None, year: int | None = None) -> YearState:
    """The state of a per-year query row (year_totals, province_year, …)."""
    if row is None:
        return YearState(year or 0)
    return YearState(
        row["year"], bool(row.get("applies", True)), row.get("result_status") or PUBLISHED
    )


def shown(value: float | None, measure: Measure, state: YearState) -> str:
    """A measure's value as a page writes it."""
    return state.note(measure) or fmt.value(value, measure.kind, measure.unit)


def label(measure: Measure, state: YearState) -> str:
    """The measure's label, marked 内部 where it shows a result not yet published."""
    if state.internal and measure.is_result:
        return f"{measure.label}（{fmt.INTERNAL}）"
    return measure.label


def masked(frame: pl.DataFrame, results: Iterable[str], values: Iterable[str]) -> pl.DataFrame:
    """A table whose rows carry result_status / applies, with every masked cell written out:
    不适用 in the value columns of rows that do not apply, 未公布 in the result columns of
    withheld rows. Untouched (numbers stay numbers) when no row is masked."""
    results, values = list(results), list(values)
    status = pl.col("result_status") if "result_status" in frame.columns else pl.lit(PUBLISHED)
    applies = pl.col("applies") if "applies" in frame.columns else pl.lit(True)
    if frame.select(((status == WITHHELD) | ~applies).any()).item() is not True:
        return frame
    return frame.with_columns(
        pl.when(~applies)
        .then(pl.lit(fmt.NOT_APPLICABLE))
        .when((status == WITHHELD) & pl.lit(column in results))
        .then(pl.lit(fmt.WITHHELD))
        .otherwise(_text(frame, column))
        .alias(column)
        for column in dict.fromkeys([*values, *results])
        if column in frame.columns
    )


def _text(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A numeric column as the table shows it: counts with separators, others one decimal.

    The separators are written here, in this thread, not by a map_elements inside Polars: a
    Python function in an expression makes Polars' thread pool wait for the GIL, and with
    sessions in other threads holding the GIL while they wait for that pool, the whole
    server froze (issue 16, 100 sessions at --scale 100)."""
    dtype = frame.schema[column]
    if dtype.is_integer():
        counts = [None if v is None else f"{v:,}" for v in frame[column].to_list()]
        return pl.lit(pl.Series(column, counts, dtype=pl.String))
    if dtype.is_float():
        return pl.col(column).round(1).cast(pl.String)
    return pl.col(column).cast(pl.String)


def year_notes(frame: pl.DataFrame, result: str | None = None) -> dict[int, str]:
    """Per year of a per-year frame, the word a chart writes where a bar or point is missing
    on purpose: 不适用, or (when the chart shows the result `result`, e.g. "入选数") its
    未公布 / 内部 mark."""
    notes: dict[int, str] = {}
    for row in frame.unique("year", keep="first", maintain_order=True).iter_rows(named=True):
        state = of_row(row)
        if not state.applies:
            notes[state.year] = fmt.NOT_APPLICABLE
        elif result and state.withheld:
            notes[state.year] = f"{result}{fmt.WITHHELD}"
        elif result and state.internal:
            notes[state.year] = f"{result}（{fmt.INTERNAL}）"
    return notes
