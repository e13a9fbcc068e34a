"""What every export's suite shares: the derived columns, the rules of each column, the issues.

Derived columns follow one convention, so a suite reads like the rule list:
`_text__f` the cell as sent · `_filled__f` the cell has text · `_castable__f` text that could be
typed (null when empty) · `_domain__f` the value to look up (null when empty) · other `_…`
columns are named after the rule. Null means "the rule does not apply to this row".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from etl.pipeline.checks.gx import Check, Failure, gxe
from etl.pipeline.checks.rules import rules, type_hint
from etl.pipeline.checks.schemas import ISSUE_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.reference.contract import UNTITLED_TRACKS, ExportSpec
from etl.reference.programme import domains, programme

TEXT = "_text__"
FILE = "_file_id"
TYPED_KINDS = ("int", "datetime", "bool", "score")
_DTYPES = {"int": pl.Int64, "score": pl.Float64, "datetime": pl.Datetime("us"), "bool": pl.Boolean}


@dataclass(frozen=True)
class Run:
    """What rules across files see: this run's submissions and scores, then the warehouse's."""

    submissions: pl.DataFrame  # submission_id, year, province: one row per id, run first
    scored: pl.DataFrame  # submission_id, stage: every pair scored in the run or warehouse
    scored_years: frozenset[int]  # years with any score: where "reached 终评" can be judged


def years() -> tuple[int, ...]:
    return tuple(sorted(programme()))


def by_year(values: dict[int, object], dtype: pl.DataType, year: str = "year") -> pl.Expr:
    """A per-year value from the programme, null for a year outside it."""
    return pl.col(year).replace_strict(values, default=None, return_dtype=dtype)


def listing(values) -> str:
    return "、".join(str(v) for v in values)


def domain_of(field: str, kind: str) -> str:
    """The domains() key and rule suffix of an enumerated or province column."""
    return "province" if kind == "province" else field


# ---------------------------------------------------------------- derived columns


def base_frame(table: Normalised) -> pl.DataFrame:
    """Typed columns, the text as sent, and the schema/domain helpers of every spec column."""
    typed, raw, spec = table.frame, table.raw.frame, table.spec
    text = [
        (raw.get_column(c.field) if c.field in raw.columns else pl.Series([None] * raw.height))
        .cast(pl.String)
        .alias(TEXT + c.field)
        for c in spec.columns
    ]
    # Categorical: one code per row, not a copy of the 64-character id (100 MB at --scale 100).
    file_id = pl.lit(table.raw.sha256).cast(pl.Categorical).alias(FILE)
    frame = typed.hstack(text).with_columns(file_id)
    missing = [c for c in spec.columns if c.field not in typed.columns]
    frame = frame.with_columns(
        pl.lit(None, _DTYPES.get(c.kind, pl.String)).alias(c.field) for c in missing
    )
    return frame.with_columns(_helpers(spec)).with_columns(_domains(spec))


def _filled(field: str) -> pl.Expr:
    return pl.col(TEXT + field).str.strip_chars().str.len_chars().fill_null(0) > 0


def _helpers(spec: ExportSpec) -> list[pl.Expr]:
    exprs = [_filled(c.field).alias(f"_filled__{c.field}") for c in spec.columns]
    exprs += [
        pl.when(_filled(c.field)).then(pl.col(c.field).is_not_null()).alias(f"_castable__{c.field}")
        for c in spec.columns
        if c.kind in TYPED_KINDS
    ]
    return exprs


def _domains(spec: ExportSpec) -> list[pl.Expr]:
    return [
        pl.when(pl.col(f"_filled__{c.field}"))
        .then(pl.coalesce(pl.col(c.field), pl.col(TEXT + c.field)))
        .alias(f"_domain__{c.field}")
        for c in spec.columns
        if c.kind in ("enum", "province")
    ]


def with_duplicates(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """`_dup_rank` 1 for a key's first row in the file, 2 for each later copy, null when a key
    part is empty; and, for copies only, the first copy's row and the key as sent."""
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    first = pl.struct(keys).is_first_distinct()
    ranked = frame.with_columns(
        pl.when(complete).then(pl.when(first).then(1).otherwise(2)).alias("_dup_rank")
    )
    copies = (
        ranked.filter(pl.struct(keys).is_duplicated() & complete)
        .group_by(keys)
        .agg(pl.col(ROW).first().alias("_dup_first_row"))
    )
    joined = ranked.join(copies, on=keys, how="left", maintain_order="left")
    shown = pl.concat_str([pl.col(TEXT + k) for k in keys], separator=" / ")
    return joined.with_columns(
        pl.when(pl.col("_dup_rank") == 2).then(shown).alias("_dup_value"),
    )


def stack(frames: Iterable[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The files of one kind, numbered as one batch (GX's fixed cost is per validation, not
    per row): `_file_order`, and `_pos` running on across files. Lazy, so that only one file's
    derived columns are held at a time."""
    start = 0
    for i, frame in enumerate(frames):
        yield frame.with_columns(
            pl.lit(i).alias("_file_order"), pl.int_range(start, start + frame.height).alias("_pos")
        )
        start += frame.height


def scheme_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Year-dependent helpers shared by submissions and outcomes: category and track by scheme."""
    rules_by_year = programme()
    has_categories = by_year({y: bool(r.categories) for y, r in rules_by_year.items()}, pl.Boolean)
    pairs = [f"{y}|{t}" for y, r in rules_by_year.items() for t in r.tracks]
    return frame.with_columns(
        pl.when(has_categories).then(pl.col("_filled__category")).alias("_category_when_required"),
        pl.when(~has_categories).then(pl.col("_filled__category")).alias("_category_when_absent"),
        pl.when(has_categories.fill_null(True))
        .then(pl.col("_domain__category"))
        .alias("_domain__category"),
        pl.when(pl.col("track").is_not_null() & pl.col("year").is_in(years()))
        .then(pl.concat_str(pl.col("year").cast(pl.String), pl.lit("|"), "track").is_in(pairs))
        .alias("_track_in_year"),
        by_year({y: listing(r.categories) for y, r in rules_by_year.items()}, pl.String).alias(
            "_year_categories"
        ),
        by_year({y: listing(r.tracks) for y, r in rules_by_year.items()}, pl.String).alias(
            "_year_tracks"
        ),
    )


# ---------------------------------------------------------------- checks


def _in_set(column: str, values, description: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=list(values), description=description
    )


def base_checks(spec: ExportSpec) -> list[Check]:
    """schema.required, schema.type and domain.* for every column of the spec."""
    described = {r.id: r.description for r in rules().values()}
    checks = []
    for c in spec.columns:
        text = TEXT + c.field
        if c.required and not c.blank_ok:
            expectation = _in_set(f"_filled__{c.field}", [True], f"{c.header}：必填")
            checks.append(Check("schema.required", c.field, expectation, value=text))
        if c.kind in TYPED_KINDS:
            hint = type_hint(c.field, c.kind)
            expectation = _in_set(f"_castable__{c.field}", [True], f"{c.header}：{hint['what']}")
            constants = tuple(hint.items())
            checks.append(Check("schema.type", c.field, expectation, text, (), constants))
        if c.kind in ("enum", "province"):
            rule_id = f"domain.{domain_of(c.field, c.kind)}"
            allowed = domains()[domain_of(c.field, c.kind)]
            expectation = _in_set(f"_domain__{c.field}", allowed, described[rule_id])
            checks.append(
                Check(rule_id, c.field, expectation, text, (), (("allowed", listing(allowed)),))
            )
        if c.field == "year":
            expectation = _in_set("year", years(), described["domain.year"])
            constants = (("allowed", listing(years())),)
            checks.append(Check("domain.year", "year", expectation, TEXT + "year", (), constants))
    return checks


def scheme_checks() -> list[Check]:
    """The year's scheme: category required or absent, track offered that year."""
    described = {r.id: r.description for r in rules().values()}
    year = (("year", "year"),)
    return [
        Check(
            "rule.category_required",
            "category",
            _in_set("_category_when_required", [True], described["rule.category_required"]),
            TEXT + "category",
            (*year, ("allowed", "_year_categories")),
        ),
        Check(
            "rule.category_absent",
            "category",
            _in_set("_category_when_absent", [False], described["rule.category_absent"]),
            TEXT + "category",
            year,
        ),
        Check(
            "rule.track_year",
            "track",
            _in_set("_track_in_year", [True], described["rule.track_year"]),
            TEXT + "track",
            (*year, ("allowed", "_year_tracks")),
        ),
    ]


def title_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`_title_needed`: whether the title is filled, for rows whose track needs one (null for a
    先导单位, an organisation, and for rows whose track is unreadable: their own rule says so)."""
    needs = pl.col("track").is_not_null() & ~pl.col("track").is_in(UNTITLED_TRACKS)
    return frame.with_columns(pl.when(needs).then(pl.col("_filled__title")).alias("_title_needed"))


def title_check(rule_id: str) -> Check:
    expectation = _in_set("_title_needed", [True], rules()[rule_id].description)
    values = (("track", "track"), ("unit", "unit_name"))
    return Check(rule_id, "title", expectation, TEXT + "title", values)


def unique_check(key_label: str, field: str | None) -> Check:
    expectation = gxe.ExpectColumnValuesToBeBetween(
        column="_dup_rank", min_value=1, max_value=1, description=rules()["key.unique"].description
    )
    values = (("first_row", "_dup_first_row"),)
    return Check("key.unique", field, expectation, "_dup_value", values, (("key", key_label),))


# ---------------------------------------------------------------- issues


def show(value: object) -> str | None:
    """A value as a message shows it: 4500 not 4500.0, dates without a midnight time."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
    if isinstance(value, datetime):
        return value.strftime(
            "%Y-%m-%d" if value.time() == datetime.min.time() else "%Y-%m-%d %H:%M"
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def issues(
    failure: Failure, frame: pl.DataFrame, kind: str, headers: dict[str, dict[str, str]]
) -> pl.DataFrame:
    """One issue per failing row of the frame (index `_pos`), with the rule's message filled in.

    `headers` is file id -> field -> the header as that file wrote it.
    """
    check, rule = failure.check, rules()[failure.check.rule_id]
    columns = {FILE, ROW, *(c for _, c in check.values)} | ({check.value} if check.value else set())
    rows = frame.filter(pl.col("_pos").is_in(failure.index)).select(sorted(columns))
    records = []
    for row in rows.iter_rows(named=True):
        values = dict(check.constants)
        values.update({name: show(row[col]) for name, col in check.values})
        value = show(row[check.value]) if check.value else None
        header = headers.get(row[FILE], {}).get(check.field) if check.field else None
        values.update(header=header, value=value)
        records.append(
            (
                row[FILE],
                kind,
                row[ROW],
                check.field,
                value,
                rule.id,
                rule.severity,
                rule.render(values),
            )
        )
    return pl.DataFrame(records, schema=ISSUE_SCHEMA, orient="row")


def headers_of(table: Normalised) -> dict[str, str]:
    """field -> header as the sender wrote it, canonical for columns the file lacks."""
    return {c.field: table.raw.headers.get(c.field, c.header) for c in table.spec.columns}
