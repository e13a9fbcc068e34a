"""The brief's one way into the warehouse: the pages' named queries (sql/queries/<name>.sql),
bound to the report's parameters and run on the role's scoped database.

The report has no sidebar: every filtered query runs with no restriction (all tracks,
categories, regions and levels, 中央单位 included), which is what a page shows before a
filter is touched. A dataset the role's database does not hold (expert identities for a role
without them) reads as None, so a section can say why it is missing.
"""

from __future__ import annotations

from functools import cache

import duckdb
import polars as pl

from etl.access.scopes import Scope, policy
from etl.config import SQL_DIR
from etl.glossary import stages
from etl.reference.programme import programme

QUERY_DIR = SQL_DIR / "queries"
UNFILTERED = {"tracks": [], "categories": [], "regions": [], "levels": [], "include_central": True}
# The pages' thresholds for 偏严/偏宽 (dashboard/queries.py uses the same three numbers).
EXPERT_MIN_Z, EXPERT_MIN_T, EXPERT_MIN_SCORES = 2.5, 2.58, 5


@cache
def _sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


class Source:
    """Named queries on one role's scoped connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
        self.con = con
        self.scope = scope

    def run(self, name: str, **params: object) -> pl.DataFrame:
        return self.con.sql(_sql(name), params=params).pl()

    def warehouse(self) -> tuple:
        """(data_as_of, is_simulated) of the build being read."""
        rows = self.con.execute("select data_as_of, is_simulated from meta.warehouse").fetchall()
        return rows[0]

    def can_read(self, table: str) -> bool:
        return table in {t.name for t in policy().visible(self.scope.role)}

    def years(self) -> pl.DataFrame:
        return self.run("years")

    def provinces(self) -> pl.DataFrame:
        return self.run("provinces")

    def year_totals(self) -> pl.DataFrame:
        return self.run("year_totals", **UNFILTERED)

    def province_year(self) -> pl.DataFrame:
        return self.run("province_year", **UNFILTERED)

    def region_year(self) -> pl.DataFrame:
        return self.run("region_year", **UNFILTERED)

    def group_mix(self, province: str | None = None) -> pl.DataFrame:
        return self.run("group_mix", province=province, **UNFILTERED)

    def group_units(self, year: int) -> pl.DataFrame:
        return self.run("group_units", year=year, **UNFILTERED)

    def score_distribution(self, year: int) -> pl.DataFrame:
        """National lines for a role holding one province's scores, as on 评分分析."""
        if self.scope.province is not None:
            return self.run("national_score_distribution", year=year)
        return self.run("score_distribution", year=year, **UNFILTERED)

    def score_scopes(self, year: int, province: str) -> pl.DataFrame:
        return self.run(
            "score_scopes", year=year, province=province, stage=stages()[0], group="全部"
        )

    def expert_consistency(self, year: int) -> pl.DataFrame | None:
        if not self.can_read("mart.expert_consistency"):
            return None
        return self.run(
            "expert_consistency",
            year=year,
            min_z=EXPERT_MIN_Z,
            min_t=EXPERT_MIN_T,
            min_scores=EXPERT_MIN_SCORES,
        )

    def quota_use(self, year: int, province: str) -> pl.DataFrame | None:
        quota = quota_of(year)
        if quota is None:
            return None
        return self.run(
            "quota_use", year=year, province=province, per_category=quota.province_per_category
        )

    def province_submissions(self, year: int, province: str) -> pl.DataFrame:
        """The province's cases of the year and the stage each reached (案例检索's query)."""
        return self.run(
            "case_search",
            year=year,
            keywords=[],
            selected=None,
            stages=[],
            provinces=[province],
            **UNFILTERED,
        )

    def load_runs(self) -> pl.DataFrame | None:
        return self.run("load_runs") if self.can_read("meta.load_runs") else None

    def quarantine(self, province: str | None) -> pl.DataFrame | None:
        if not self.can_read("meta.quarantine"):
            return None
        return self.run("quarantine", provinces=[province] if province else [])


def quota_of(year: int):
    """The year's quota rules (programme.toml), or None for a year without quotas."""
    rules = programme().get(year)
    return None if rules is None else rules.quota
