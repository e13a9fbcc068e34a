"""Link unit names into units: splink scores, hard guards, a person's decisions, union-find.

One record per name as normalised within its province (etl.units.names). splink (DuckDB
backend) scores the pairs that share a province and a stem or a head, with a fixed m/u model:
no EM training, so the same names always give the same scores, in about a second. A pair at or
above AUTO_MERGE is merged; a pair in [REVIEW_FLOOR, AUTO_MERGE) is listed for a person in
meta.unit_matches, unless data/reference/unit_aliases.csv already holds a decision on it. Two
names of different provinces are never compared (blocking), of different levels never merged.
A unit's id is the hash of its first-seen name, so a rebuild from the same files and the same
decisions gives the same ids.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from etl.config import setting_path
from etl.units.names import parts

ALIAS_COLUMNS = ("所属省份", "别名", "规范名称", "决定", "决定人", "日期")
MERGE, KEEP_APART = "合并", "不合并"
AUTO_MERGE, REVIEW_FLOOR = 0.99, 0.5
# 安吉 and 安吉县: one place, with and without its 县/市/区 (not sure enough to merge alone).
SAME_PLACE_SQL = (
    "regexp_replace(stem_l, '[县市区]$', '') = regexp_replace(stem_r, '[县市区]$', '') "
    "and family_l = family_r"
)
PRIOR = 0.002  # two names of one province, blocked together, that are one unit


@dataclass(frozen=True)
class Decision:
    province: str
    alias: str
    canonical: str
    decision: str  # 合并 | 不合并
    decided_by: str
    date: str


def aliases_path() -> Path:
    """data/reference/unit_aliases.csv, or $CONVERGENCE_UNIT_ALIASES."""
    return setting_path("unit_aliases")


def read_decisions(path: Path | None = None) -> list[Decision]:
    path = path or aliases_path()
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [Decision(*(row[c] for c in ALIAS_COLUMNS)) for row in csv.DictReader(handle)]


def write_decisions(decisions: list[Decision], path: Path | None = None) -> None:
    path = path or aliases_path()
    ordered = sorted(set(decisions), key=lambda d: (d.province, d.canonical, d.alias))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ALIAS_COLUMNS)
        writer.writerows(
            (d.province, d.alias, d.canonical, d.decision, d.decided_by, d.date) for d in ordered
        )


def link_units(con: duckdb.DuckDBPyConnection, decisions: list[Decision] | None = None) -> None:
    """core.unit_names (every name seen, with its unit_id) and meta.unit_matches (to review)."""
    con.execute(f"create or replace temp table _seen as {SEEN_SQL}")
    seen = _names_seen(con)
    spelled = _spellings(seen)
    records = _records(seen, spelled)
    pairs = _scored_pairs(records)
    decided = _decided(decisions if decisions is not None else read_decisions())
    merged = [p for p in pairs if _merges(p, decided)]
    unit_of = _clusters(records, merged)
    _write(con, spelled, records, unit_of, _to_review(pairs, decided, unit_of))


# Every name seen, one row per file row (core.unit_names adds the unit_id).
SEEN_SQL = """
    select unit_name, province, unit_level, unit_type, year, file_id, excel_row,
        '申报表' as source, unit_key
    from staging.stg_submissions
    union all by name
    select unit_name, province, null as unit_level, null as unit_type, year, file_id, excel_row,
        '公布名单' as source, unit_key
    from staging.stg_outcomes
"""


def _names_seen(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per (name, province) seen: its usual level and type, its first year."""
    return con.sql(
        "select unit_name, province, mode(unit_level) as unit_level, "
        "mode(unit_type) as unit_type, min(year) as year "
        "from _seen group by all"
    ).pl()


def _spellings(seen: pl.DataFrame) -> pl.DataFrame:
    """Each distinct (name, province) once, with its normalised parts (names are few, rows many)."""
    names = seen.select("unit_name", "province")
    split = [parts(n, p) for n, p in names.iter_rows()]
    return names.with_columns(
        pl.Series("norm", [s.norm for s in split], pl.String),
        pl.Series("family", [s.family for s in split], pl.String),
        pl.Series("stem", [s.stem for s in split], pl.String),
        pl.Series("head", [s.head for s in split], pl.String),
    )


def _records(seen: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """One record per (normalised name, province): the unit the linkage compares."""
    facts = seen.join(names, on=["unit_name", "province"], nulls_equal=True)
    return (
        facts.group_by("norm", "province")
        .agg(
            pl.col("family", "stem", "head").first(),
            pl.col("unit_level").drop_nulls().mode().sort().first(),
            pl.col("unit_type").drop_nulls().mode().sort().first(),
            pl.col("year").min().alias("first_year"),
            pl.col("unit_name").sort().first().alias("first_name"),
        )
        .with_columns((pl.col("province").fill_null("") + "|" + pl.col("norm")).alias("unique_id"))
        .sort("unique_id")
    )


def _scored_pairs(records: pl.DataFrame) -> list[dict]:
    """Pairs at or above REVIEW_FLOOR, scored by splink, different levels left out."""
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    usable = records.filter(pl.col("province").is_not_null())
    if usable.height < 2:
        return []
    api = DuckDBAPI()
    table = api.register(usable.to_arrow(), table_name="unit_records")
    settings = SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=PRIOR,
        blocking_rules_to_generate_predictions=[
            block_on("province", "stem"),
            block_on("province", "head"),
        ],
        comparisons=_comparisons(),
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.ERROR)
    found = linker.inference.predict(threshold_match_probability=REVIEW_FLOOR)
    frame = found.as_duckdbpyrelation().pl()
    level = dict(zip(usable["unique_id"], usable["unit_level"], strict=True))
    return [
        row
        for row in frame.select("unique_id_l", "unique_id_r", "match_probability").iter_rows(
            named=True
        )
        if _same_level(level[row["unique_id_l"]], level[row["unique_id_r"]])
    ]


def _comparisons() -> list:
    """Fixed m/u probabilities: what a rename or a variant looks like, against chance."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def level(creator, m: float, u: float):
        return creator.configure(m_probability=m, u_probability=u)

    return [
        cl.CustomComparison(
            output_column_name="stem",
            comparison_levels=[
                cll.NullLevel("stem"),
                level(
                    cll.And(cll.ExactMatchLevel("stem"), cll.ExactMatchLevel("family")), 0.9, 1e-6
                ),
                level(cll.CustomLevel(SAME_PLACE_SQL), 0.05, 5e-5),
                level(cll.JaroWinklerLevel("stem", 0.9), 0.05, 0.02),
                level(cll.ElseLevel(), 0.05, 0.98),
            ],
        ),
        cl.CustomComparison(
            output_column_name="norm",
            comparison_levels=[
                cll.NullLevel("norm"),
                level(cll.JaroWinklerLevel("norm", 0.92), 0.5, 0.05),
                level(cll.ElseLevel(), 0.5, 0.95),
            ],
        ),
        cl.CustomComparison(
            output_column_name="unit_type",
            comparison_levels=[
                cll.NullLevel("unit_type"),
                level(cll.ExactMatchLevel("unit_type"), 0.8, 0.5),
                level(cll.ElseLevel(), 0.2, 0.5),
            ],
        ),
    ]


def _same_level(left: str | None, right: str | None) -> bool:
    """A published list gives no level: that name may join a unit of any level."""
    return left is None or right is None or left == right


def _decided(decisions: list[Decision]) -> dict[frozenset[str], str]:
    """(unique_id pair) → 合并 or 不合并, as a person decided."""
    out = {}
    for d in decisions:
        ids = {f"{d.province}|{parts(n, d.province).norm}" for n in (d.alias, d.canonical)}
        out[frozenset(ids)] = d.decision
    return out


def _merges(pair: dict, decided: dict[frozenset[str], str]) -> bool:
    decision = decided.get(frozenset((pair["unique_id_l"], pair["unique_id_r"])))
    if decision is not None:
        return decision == MERGE
    return pair["match_probability"] >= AUTO_MERGE


def _clusters(records: pl.DataFrame, merged: list[dict]) -> dict[str, str]:
    """unique_id → unit_id: union-find over the merged pairs; the id hashes the first-seen
    name (earliest year, then the name), so later years do not move it."""
    parent = {uid: uid for uid in records["unique_id"]}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in merged:
        a, b = root(pair["unique_id_l"]), root(pair["unique_id_r"])
        parent[max(a, b)] = min(a, b)
    first: dict[str, str] = {}
    for uid in records.sort("first_year", "unique_id")["unique_id"]:
        first.setdefault(root(uid), uid)
    return {uid: _unit_id(first[root(uid)]) for uid in parent}


def _unit_id(unique_id: str) -> str:
    return "U" + hashlib.md5(unique_id.encode("utf-8")).hexdigest()[:11]


def _to_review(
    pairs: list[dict], decided: dict[frozenset[str], str], unit_of: dict[str, str]
) -> list[dict]:
    return [
        p
        for p in pairs
        if p["match_probability"] < AUTO_MERGE
        and frozenset((p["unique_id_l"], p["unique_id_r"])) not in decided
        and unit_of[p["unique_id_l"]] != unit_of[p["unique_id_r"]]
    ]


def _write(
    con: duckdb.DuckDBPyConnection,
    spelled: pl.DataFrame,
    records: pl.DataFrame,
    unit_of: dict[str, str],
    review: list[dict],
) -> None:
    ids = records.select("unique_id", "norm", "province", "first_name").with_columns(
        pl.col("unique_id").replace_strict(unit_of).alias("unit_id")
    )
    spelled_ids = spelled.select("unit_name", "province", "norm").join(
        ids.select("norm", "province", "unit_id"), on=["norm", "province"], nulls_equal=True
    )
    con.register("_ids", spelled_ids.select("unit_name", "province", "unit_id").to_arrow())
    con.execute(
        "create or replace table core.unit_names as select ids.unit_id, seen.* "
        "from _seen as seen inner join _ids as ids on ids.unit_name = seen.unit_name "
        "and ids.province is not distinct from seen.province"
    )
    con.unregister("_ids")
    con.execute("drop table _seen")
    first = dict(zip(ids["unique_id"], ids["first_name"], strict=True))
    rows = [
        {
            "province": p["unique_id_l"].split("|", 1)[0],
            "name_a": first[p["unique_id_l"]],
            "name_b": first[p["unique_id_r"]],
            "unit_id_a": unit_of[p["unique_id_l"]],
            "unit_id_b": unit_of[p["unique_id_r"]],
            "score": round(float(p["match_probability"]), 4),
            "reason": _reason(p["unique_id_l"], p["unique_id_r"]),
        }
        for p in sorted(review, key=lambda p: (-p["match_probability"], p["unique_id_l"]))
    ]
    frame = pl.DataFrame(rows, schema=MATCH_SCHEMA)
    con.register("_matches", frame.to_arrow())
    con.execute("create or replace table meta.unit_matches as select * from _matches")
    con.unregister("_matches")


MATCH_SCHEMA = {
    "province": pl.String,
    "name_a": pl.String,
    "name_b": pl.String,
    "unit_id_a": pl.String,
    "unit_id_b": pl.String,
    "score": pl.Float64,
    "reason": pl.String,
}


def _reason(left: str, right: str) -> str:
    """Why the pair is a candidate, in Chinese, for the person who decides."""
    province, a = left.split("|", 1)
    b = right.split("|", 1)[1]
    pa, pb = parts(a, province), parts(b, province)
    if pa.stem == pb.stem:
        return f"去掉单位类型后名称相同（“{pa.stem}”），类型不同，需人工确认"
    if pa.stem.rstrip("县市区") == pb.stem.rstrip("县市区"):
        return f"同一地名（“{pa.stem.rstrip('县市区')}”），名称写法不同，需人工确认是否同一单位"
    return f"同省（{province}）名称相近（“{a}”与“{b}”），无法自动判定"
