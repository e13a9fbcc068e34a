"""Text frames → typed frames, plus a log of every correction made on the way.

Corrections are the ones a person would make without asking (full-width digits, stray
spaces, 浙江省 → 浙江, Y → 是); each is logged with the rule that made it. Anything that
cannot be read stays null in the typed column and is judged by the checks, which still
see the original text.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.contract import ExportSpec
from etl.read import ROW, RawTable
from etl.reference import domains, province_aliases

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
    cleaned, fixes = _clean_text(raw.frame)
    typed = [pl.col(ROW)]
    for col in raw.spec.columns:
        if col.field in cleaned.columns:
            typed.append(_typed(col.field, col.kind).alias(col.field))
    frame = cleaned.select(typed)
    fixes.extend(_semantic_fixes(cleaned, raw.spec))
    fixes_frame = pl.concat(fixes, how="vertical") if fixes else pl.DataFrame(schema=FIX_SCHEMA)
    return Normalised(raw, frame, fixes_frame)


def _clean_text(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """NFKC (full-width → half-width) and whitespace, logging each cell that changed."""
    fields = [c for c in frame.columns if c != ROW]
    nfkc = {f: pl.col(f).str.normalize("NFKC") for f in fields}
    spaced = {
        f: nfkc[f]
        .str.strip_chars()
        .str.replace_all(r"(\p{Han})\s+", "$1")
        .str.replace_all(r"\s+(\p{Han})", "$1")
        .str.replace_all(r"\s{2,}", " ")
        for f in fields
    }
    staged = frame.with_columns(
        *[nfkc[f].alias(f"{f}__nfkc") for f in fields],
        *[spaced[f].alias(f"{f}__clean") for f in fields],
    )
    fixes = []
    for f in fields:
        fixes.append(_log(staged, f, f, f"{f}__nfkc", "fix.fullwidth"))
        fixes.append(_log(staged, f, f"{f}__nfkc", f"{f}__clean", "fix.whitespace"))
    cleaned = staged.select(
        ROW, *[pl.col(f"{f}__clean").replace("", None).alias(f) for f in fields]
    )
    return cleaned, [f for f in fixes if f.height]


def _log(frame: pl.DataFrame, field: str, before: str, after: str, rule_id: str) -> pl.DataFrame:
    changed = frame.filter(pl.col(before) != pl.col(after))
    return changed.select(
        pl.col(ROW),
        pl.lit(field).alias("field"),
        pl.col(field).alias("before"),
        pl.col(after).alias("after"),
        pl.lit(rule_id).alias("rule_id"),
    )


def _semantic_fixes(cleaned: pl.DataFrame, spec: ExportSpec) -> list[pl.DataFrame]:
    """Province aliases, yes/no words and level synonyms that were mapped to the canonical form."""
    fixes = []
    for col in spec.columns:
        if col.field not in cleaned.columns:
            continue
        if col.kind in ("province", "bool") or col.field in _ENUM_SYNONYMS:
            after = _typed(col.field, col.kind).cast(pl.String)
            rule = {"province": "fix.province_alias", "bool": "fix.bool_text"}.get(col.kind)
            staged = cleaned.with_columns(after.alias("__after"))
            if col.kind == "bool":
                staged = staged.with_columns(
                    pl.when(pl.col("__after") == "true")
                    .then(pl.lit("是"))
                    .when(pl.col("__after") == "false")
                    .then(pl.lit("否"))
                    .alias("__after")
                )
            log = _log(
                staged.filter(pl.col("__after").is_not_null()),
                col.field,
                col.field,
                "__after",
                rule or "fix.synonym",
            )
            if log.height:
                fixes.append(log)
    return fixes


def _typed(field: str, kind: str) -> pl.Expr:
    text = pl.col(field)
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
