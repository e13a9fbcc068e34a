"""Text frames → typed frames, plus a log of every correction made on the way.

Corrections are the ones a person would make without asking (invisible characters such as a
byte-order mark left by `cat`, full-width digits, stray spaces, 浙江省 → 浙江, Y → 是); each is logged with the rule that made it. Anything that
cannot be read stays null in the typed column and is judged by the checks, which still
see the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from etl.pipeline.read import ROW, RawTable
from etl.reference.contract import ExportSpec
from etl.reference.geography import province_aliases
from etl.reference.programme import domains
from etl.reference.text import INVISIBLE_PATTERN, SEPARATOR_PATTERN

_TRUE = ("是", "y", "yes", "true", "1", "√", "推荐", "已推荐")
_FALSE = ("否", "n", "no", "false", "0", "×", "不推荐", "未推荐")
_ENUM_SYNONYMS = {
    "unit_level": {"市级": "地市级", "地级": "地市级", "区县级": "县级", "中央级": "中央"},
    "result": {"拟入选": "入选", "通过": "入选"},
}
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y.%m.%d %H:%M",
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d")
_EXCEL_EPOCH = pl.datetime(1899, 12, 30)

FIX_SCHEMA = {
    ROW: pl.Int64,
    "field": pl.String,
    "before": pl.String,
    "after": pl.String,
    "rule_id": pl.String,
}


@dataclass(frozen=True)
class Normalised:
    raw: RawTable
    frame: pl.DataFrame  # _row + one typed column per field of the spec present in the file
    fixes: pl.DataFrame  # FIX_SCHEMA: one row per corrected cell

    @property
    def spec(self) -> ExportSpec:
        return self.raw.spec


def normalise(raw: RawTable) -> Normalised:
    """Clean and type every recognised column of one file."""
    columns, fixes = [raw.frame.get_column(ROW)], []
    for col in raw.spec.columns:
        if col.field in raw.frame.columns:
            typed, logged = _column(raw.frame.select(ROW, col.field), col.field, col.kind)
            columns.append(typed)
            fixes.extend(logged)
    frame = pl.DataFrame(columns)
    fixes_frame = pl.concat(fixes, how="vertical") if fixes else pl.DataFrame(schema=FIX_SCHEMA)
    return _absent_columns(Normalised(raw, frame, fixes_frame))


def _absent_columns(table: Normalised) -> Normalised:
    """A column the file lacks but whose value the contract knows (a published list has no
    结果 column: every row is 入选), filled in, and said in the file's notes."""
    missing = [c for c in table.spec.columns if c.absent and c.field not in table.raw.frame.columns]
    if not missing:
        return table
    frame = table.frame.with_columns(pl.lit(c.absent).alias(c.field) for c in missing)
    notes = tuple(f"文件没有“{c.header}”列：每一行按“{c.absent}”读取" for c in missing)
    return Normalised(replace(table.raw, notes=table.raw.notes + notes), frame, table.fixes)


def _column(cells: pl.DataFrame, field: str, kind: str) -> tuple[pl.Series, list[pl.DataFrame]]:
    """One column typed, and its corrections logged.

    The work is done once per distinct value, then joined back: exports repeat the same
    stages, provinces, dates and scores on every row, so this is many times cheaper than
    normalising every cell of a million-row score file.
    """
    lookup = _lookup(cells.get_column(field).unique(), field, kind)
    rows = cells.join(lookup, on=field, how="left", nulls_equal=True, maintain_order="left")
    fixes = [
        _log(rows, field, "visible", "fix.invisible", before=field),
        _log(rows, field, "nfkc", "fix.fullwidth", before="visible"),
        _log(rows, field, "clean", "fix.whitespace", before="nfkc"),
    ]
    if "semantic" in rows.columns:
        rule = {"province": "fix.province_alias", "bool": "fix.bool_text"}.get(kind, "fix.synonym")
        fixes.append(_log(rows, field, "semantic", rule, before="clean"))
    return rows.get_column("typed").alias(field), [f for f in fixes if f.height]


def _lookup(values: pl.Series, field: str, kind: str) -> pl.DataFrame:
    """Per distinct raw value: without invisible characters, after NFKC, after whitespace,
    typed, and its canonical text."""
    seen = (
        pl.col(field).str.replace_all(INVISIBLE_PATTERN, "").str.replace_all(SEPARATOR_PATTERN, " ")
    )
    nfkc = pl.col("visible").str.normalize("NFKC")
    clean = (
        pl.col("nfkc")
        .str.strip_chars()
        .str.replace_all(r"(\p{Han})\s+", "$1")
        .str.replace_all(r"\s+(\p{Han})", "$1")
        .str.replace_all(r"\s{2,}", " ")
    )
    table = values.to_frame().with_columns(seen.alias("visible")).with_columns(nfkc.alias("nfkc"))
    table = table.with_columns(clean.replace("", None).alias("clean"))
    if kind == "datetime":
        table = _typed_datetimes(table)
    else:
        table = table.with_columns(_typed("clean", kind, field).alias("typed"))
    if kind in ("province", "bool") or field in _ENUM_SYNONYMS:
        table = table.with_columns(_canonical_text(kind).alias("semantic"))
    return table


def _canonical_text(kind: str) -> pl.Expr:
    """How the typed value is written canonically (true → 是), for the correction log."""
    if kind == "bool":
        return pl.when(pl.col("typed")).then(pl.lit("是")).when(~pl.col("typed")).then(pl.lit("否"))
    return pl.col("typed").cast(pl.String)


def _log(rows: pl.DataFrame, field: str, after: str, rule_id: str, before: str) -> pl.DataFrame:
    """The cells whose text changed from `before` to `after` (both present)."""
    changed = rows.filter(
        pl.col(after).is_not_null()
        & pl.col(before).is_not_null()
        & (pl.col(before) != pl.col(after))
    )
    return changed.select(
        pl.col(ROW),
        pl.lit(field).alias("field"),
        pl.col(before).alias("before"),
        pl.col(after).alias("after"),
        pl.lit(rule_id).alias("rule_id"),
    )


def _typed(column: str, kind: str, field: str) -> pl.Expr:
    """The typed value of a cleaned text column; null where the text cannot be read."""
    text = pl.col(column)
    if kind == "int":
        return _number(text).round(0).cast(pl.Int64, strict=False)
    if kind == "score":
        return _number(text)
    if kind == "bool":
        lowered = text.str.to_lowercase()
        return (
            pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False)
        ).cast(pl.Boolean)
    if kind == "datetime":
        return _datetime(text)
    if kind == "province":
        aliases = {k: v[0] for k, v in province_aliases().items()}
        return (
            text.str.replace_all(" ", "")
            .str.to_lowercase()
            .replace_strict(aliases, default=None, return_dtype=pl.String)
        )
    if kind == "enum":
        allowed = domains().get(field, ())
        mapped = text.replace(_ENUM_SYNONYMS.get(field, {}))
        return pl.when(mapped.is_in(allowed)).then(mapped)
    return text


def _number(text: pl.Expr) -> pl.Expr:
    """4,500 / 4500字 / ４５００ (already NFKC) / 4500.0 → a number; anything else → null."""
    digits = text.str.replace_all(r"[,，\s]", "").str.replace(r"(字|分)$", "")
    return digits.cast(pl.Float64, strict=False)


def _typed_datetimes(table: pl.DataFrame) -> pl.DataFrame:
    """ISO timestamps first; only the values that are not ISO try the other formats.

    Trying every format on every value costs ~15 parses each; platform exports are ISO.
    """
    iso = pl.col("clean").str.strptime(pl.Datetime("us"), _DATETIME_FORMATS[1], strict=False)
    table = table.with_columns(iso.alias("typed"))
    other = table.filter(pl.col("typed").is_null() & pl.col("clean").is_not_null())
    if other.is_empty():
        return table
    parsed = other.select("clean", _datetime(pl.col("clean")).alias("typed"))
    return table.update(parsed, on="clean")


def _datetime(text: pl.Expr) -> pl.Expr:
    parsed = [text.str.strptime(pl.Datetime("us"), f, strict=False) for f in _DATETIME_FORMATS]
    dated = [
        text.str.strptime(pl.Date, f, strict=False).cast(pl.Datetime("us")) for f in _DATE_FORMATS
    ]
    serial = _number(text)
    excel = pl.when(serial.is_between(20000, 80000)).then(
        _EXCEL_EPOCH + pl.duration(milliseconds=(serial * 86_400_000).round(0).cast(pl.Int64))
    )
    return pl.coalesce(*parsed, *dated, excel)
