"""Named, cached queries: the only way a page reads the warehouse.

Each function below names one dataset and says what it holds; its SQL lives in
sql/queries/<name>.sql with bound parameters ($year, $tracks, …), never values pasted in.
Every one of them goes through run(), which caches the result per warehouse version and
parameters (a new build is a new version, so nothing stale is served and no TTL is needed).

Role scoping (issue 5) lives here: run() reads the session's scope (dashboard.auth) and runs
the query on `scoped_connection(warehouse, role, province)`, a database holding only what the
role may see; the scope is part of the cache key, so one role's result is never served to
another. No page touches a connection: tests/dashboard/test_access_pages.py checks that no view
imports duckdb or dashboard.db.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboard import auth, db
from dashboard.db import WarehouseMissing as WarehouseMissing  # pages catch it from here
from dashboard.filters import Filters
from etl.access import audit, dataset
from etl.access.scopes import PolicyError, Scope, policy, scoped_connection
from etl.config import SQL_DIR
from etl.reference.programme import programme

QUERY_DIR = SQL_DIR / "queries"


def run(name: str, *, _fresh: object = None, **params: object) -> pl.DataFrame:
    """The result of sql/queries/<name>.sql with these bound parameters, as a Polars frame,
    read through the session's role scope. `_fresh` only joins the cache key (e.g. the audit
    log's version, for a query over a table that changes between warehouse builds).

    Raises db.WarehouseMissing when there is no built warehouse to read.
    """
    version = db.current()
    return _cached(version, auth.current().scope, name, _freeze(params), _fresh)


def scope() -> Scope:
    """The scope every query of this session runs in."""
    return auth.current().scope


def can_read(table: str) -> bool:
    """Whether the session's role has that table (schema.name) in its database."""
    return table in {t.name for t in policy().visible(scope().role)}


def connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the session's scoped database, for the SQL console (close it after)."""
    return scoped_connection(db.current().path, *_role_province(scope()))


def version() -> db.Version:
    """The warehouse being served: its build, its data date and whether it is simulated."""
    return db.current()


def _role_province(scope: Scope) -> tuple[str, str | None]:
    return scope.role, scope.province


def _version_key(version: db.Version) -> tuple:
    return (version.path, version.inode, version.mtime_ns)


def _scope_key(scope: Scope) -> str:
    return scope.key


# A resource, not data: a hit hands every session the same frame (no page changes a polars
# frame in place), where st.cache_data unpickles a copy on every call, several times a rerun;
# and the key is hashed from the build's identity and the scope's name, not by pickling the
# dataclasses. Together about a fifth of a busy server's time (py-spy, 50 sessions).
@st.cache_resource(
    show_spinner=False,
    max_entries=2000,
    hash_funcs={db.Version: _version_key, Scope: _scope_key},
)
def _cached(
    version: db.Version, scope: Scope, name: str, params: tuple, fresh: object
) -> pl.DataFrame:
    try:
        cur = scoped_connection(version.path, *_role_province(scope))
    except FileNotFoundError:
        raise WarehouseMissing(Path(version.path)) from None
    except PolicyError as exc:
        raise WarehouseMissing(Path(version.path), f"访问策略与仓库不一致：{exc}") from None
    try:
        return cur.sql(_sql(name), params=_thaw(params)).pl()
    except duckdb.CatalogException as exc:
        # A warehouse built before this dashboard's marts existed: say so, do not crash.
        reason = f"缺少看板需要的表，仓库可能由旧版本构建，请重新构建（{exc}）"
        raise WarehouseMissing(Path(version.path), reason) from None
    finally:
        cur.close()


@cache
def _sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _freeze(params: dict[str, object]) -> tuple:
    """Hashable, order-independent parameters (lists become tuples) for the cache key."""
    return tuple(
        sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in params.items())
    )


def _thaw(params: tuple) -> dict[str, object]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params}


# The whole dataset (研究资料) ----------------------------------------------------------------


def data_dictionary() -> pl.DataFrame:
    """Table, description, column, type and meaning of every public table this role reads."""
    return _dictionary(db.current(), scope())


@st.cache_data(show_spinner=False, max_entries=50)
def _dictionary(version: db.Version, scope: Scope) -> pl.DataFrame:
    cur = scoped_connection(version.path, *_role_province(scope))
    try:
        return dataset.dictionary(cur, dataset.tables(scope.role))
    finally:
        cur.close()


def dataset_bundle(kind: str, about: dataset.About) -> Callable[[], bytes]:
    """The role's whole dataset as a ZIP (CSV or Parquet per table), built when called: the
    scope is taken now, while the page runs, as for every other download."""
    version, now = db.current(), scope()

    def build() -> bytes:
        cur = scoped_connection(version.path, *_role_province(now))
        try:
            return dataset.bundle(cur, dataset.tables(now.role), about, kind)
        finally:
            cur.close()

    return build


# Reference ---------------------------------------------------------------------------------


def years() -> pl.DataFrame:
    """One row per programme year with data, newest first: scheme, tracks, categories,
    whether results are published, whether quotas apply, and its submission count."""
    return run("years")


def provinces() -> pl.DataFrame:
    """Every province-level region in official order, with region group and tile position;
    台湾/香港/澳门 have takes_part = false."""
    return run("provinces")


def quota(year: int) -> dict[str, int] | None:
    """The year's quotas (per province: per category and in all; per central unit: the
    same), or None for years without quotas. Rules are configuration: programme.toml."""
    rules = programme().get(year)
    if rules is None or rules.quota is None:
        return None
    q = rules.quota
    return {
        "province_per_category": q.province_per_category,
        "province_total": q.province_total,
        "central_per_category": q.central_per_category,
        "central_total": q.central_total,
    }


def rubric_max(year: int) -> float | None:
    """The most points the year's rubric gives (weights applied): two years' mean scores
    compare only when this is the same."""
    rules = programme().get(year)
    if rules is None:
        return None
    return sum(c.max * c.weight for c in rules.criteria)


# Submissions, under the global filters -----------------------------------------------------


def year_totals(f: Filters) -> pl.DataFrame:
    """One row per year (all years, zero-filled): submissions, participating provinces,
    the funnel counts, selected, rates and mean 初评 score. The source of every headline
    number, so the same number is the same on every page."""
    return run("year_totals", **f.params())


def province_year(f: Filters) -> pl.DataFrame:
    """One row per year × province in scope (zero-filled, official order): counts, rates,
    mean score, and rank and rank change for each map measure."""
    return run("province_year", **f.params())


def region_year(f: Filters) -> pl.DataFrame:
    """One row per year × region group (东部/中部/西部/东北, 兵团, 中央单位): subtotals,
    pooled rates, participating provinces and mean submissions per province."""
    return run("region_year", **f.params())


def group_mix(f: Filters, province: str | None = None) -> pl.DataFrame:
    """One row per year × category (2024+) or track (before): counts and selection rate,
    nationally or for one province."""
    return run("group_mix", province=province, **f.params())


def score_scopes(f: Filters, province: str, stage: str) -> pl.DataFrame:
    """For one year and stage: the score distribution of the province, its region group and
    the nation (n, quartiles, mean, the median's national percentile), computed nationally in
    the warehouse. The group is the one category or track chosen, else '全部' (score_group);
    other filters do not apply to it."""
    return run("score_scopes", year=f.year, province=province, stage=stage, group=score_group(f))


def score_group(f: Filters) -> str:
    """The one group the filters choose (a single 申报类别 or 申报类型), else 全部."""
    chosen = [*f.categories, *f.tracks]
    return chosen[0] if len(chosen) == 1 else "全部"


def quota_use(year: int, province: str) -> pl.DataFrame:
    """For a year with quotas: the province's recommended submissions per category against
    the per-category quota. Empty for years without quotas."""
    q = quota(year)
    if q is None:
        return pl.DataFrame()
    return run("quota_use", year=year, province=province, per_category=q["province_per_category"])


def central_quota_use(year: int) -> pl.DataFrame:
    """For a year with quotas: each central unit's recommended submissions, in all and in
    its fullest category, against the per-unit quotas."""
    q = quota(year)
    if q is None:
        return pl.DataFrame()
    return run(
        "central_quota_use",
        year=year,
        per_category=q["central_per_category"],
        total=q["central_total"],
    )


def province_cases(f: Filters, province: str) -> pl.DataFrame:
    """The province's selected cases, every year, under the track/category/level filters."""
    return run(
        "province_cases",
        province=province,
        tracks=list(f.tracks),
        categories=list(f.categories),
        levels=list(f.levels),
    )


# Loads and data quality --------------------------------------------------------------------


def load_runs() -> pl.DataFrame:
    """The last 50 loader runs, newest first, with rule counts (checked, failed)."""
    return run("load_runs")


def load_files(run_id: str) -> pl.DataFrame:
    """The files of one run and what happened to each."""
    return run("load_files", run_id=run_id)


def dq_results(run_id: str) -> pl.DataFrame:
    """The quality rules checked in one run: rows checked and failed, failures first."""
    return run("dq_results", run_id=run_id)


def quarantine(provinces: list[str]) -> pl.DataFrame:
    """Rows kept aside by a blocking rule, with the reason (empty list = every province)."""
    return run("quarantine", provinces=provinces)


def row_flags(provinces: list[str]) -> pl.DataFrame:
    """Rows kept but flagged by a warning rule (empty list = every province)."""
    return run("row_flags", provinces=provinces)


def unit_matches() -> pl.DataFrame:
    """Suggested unit matches a person must decide (合并 / 不合并), best score first."""
    return run("unit_matches")


def corrections() -> pl.DataFrame:
    """Corrections the loader made without asking, with the rule that made them."""
    return run("corrections")


# 类别结构, 评分分析, 年度趋势, 案例检索 -----------------------------------------------------


def province_group(f: Filters) -> pl.DataFrame:
    """For the chosen year: one row per province in scope × group (申报类别 from 2024,
    申报类型 before), zero-filled, official order: submissions, selected, selection rate."""
    return run("province_group", year=f.year, **f.params())


def group_units(f: Filters) -> pl.DataFrame:
    """For the chosen year: per group, the mix of unit levels and of unit types (counts,
    selected, share of the group's submissions)."""
    return run("group_units", year=f.year, **f.params())


def score_distribution(f: Filters) -> pl.DataFrame:
    """For the chosen year: per group × stage, the distribution of per-submission mean
    scores (quartiles, mean) and the group's cut-off (lowest 终评 mean of the selected).
    A role that holds only its own province's scores gets the national lines, unfiltered:
    never a distribution recomputed from its own copy (see national_scores())."""
    if national_scores():
        return run("national_score_distribution", year=f.year)
    return run("score_distribution", year=f.year, **f.params())


def criterion_profile(f: Filters, stage: str) -> pl.DataFrame:
    """For the chosen year and stage: each criterion's mean as a share of its maximum, for
    the selected and the others, over all groups (全部) and per group (nationally and
    unfiltered for a role that holds only its own province's scores)."""
    if national_scores():
        return run("national_criterion_profile", year=f.year, stage=stage)
    return run("criterion_profile", year=f.year, stage=stage, **f.params())


def national_scores() -> bool:
    """Whether this session's scores are one province's only (a bureau), so score statistics
    come from the warehouse's national marts and the sidebar filters do not apply to them."""
    return scope().province is not None


def rubric(year: int) -> pl.DataFrame:
    """The year's rubric as configured (ref.rubric): criterion, maximum, weight. Assumed."""
    return run("rubric", year=year)


# An expert is 偏严/偏宽 when the mean deviation from peers is both unusual among the stage's
# experts and larger than chance; fewer compared scores than this are not judged.
EXPERT_MIN_Z, EXPERT_MIN_T, EXPERT_MIN_SCORES = 2.5, 2.58, 5


def expert_consistency(year: int) -> pl.DataFrame:
    """One row per expert × stage of the year: scores given, mean and spread, mean deviation
    from the peers on the same submissions, and a verdict (偏严/偏宽/正常/评分过少). Expert
    identities come only from this query (issue 5 withholds them by role)."""
    return run(
        "expert_consistency",
        year=year,
        min_z=EXPERT_MIN_Z,
        min_t=EXPERT_MIN_T,
        min_scores=EXPERT_MIN_SCORES,
    )


def criterion_coverage(year: int) -> pl.DataFrame:
    """One row for the year: submission × stage scores (scored) and how many carry the four
    criteria (with_criteria); a scoring summary's scores have totals only."""
    return run("criterion_coverage", year=year)


def rank_moves(f: Filters, group: str) -> pl.DataFrame:
    """The finalists of the chosen year in one group: their rank among the group's finalists
    (nationwide) at 初评, 复评 and 终评, the 终评 mean and whether selected."""
    return run("rank_moves", year=f.year, group=group, **f.params())


def trend(f: Filters, dimension: str, order: list[str]) -> pl.DataFrame:
    """Every year × member of a dimension (region | province | group | level), zero-filled
    (a track only in track years, a category only from 2024): counts, selection rate,
    share of the year's total and last year's values."""
    return run("trend", dimension=dimension, order=order, **f.params())


def province_finalists(year: int, province: str) -> pl.DataFrame:
    """The province's cases scored at 终评: mean, national finalist rank of how many, the
    group's cut-off and the gap to it, criterion means beside the selected cases' means."""
    return run("province_finalists", year=year, province=province)


def published_selections(f: Filters, province: str | None, year: int | None) -> pl.DataFrame:
    """The published lists (public): selected items of published years, unit and title."""
    return run(
        "published_selections",
        province=province,
        year=year,
        tracks=list(f.tracks),
        categories=list(f.categories),
    )


def case_search(
    f: Filters,
    *,
    all_years: bool,
    keywords: list[str],
    selected: bool | None,
    stages: list[str],
    provinces: list[str],
) -> pl.DataFrame:
    """Cases matching every keyword (title or unit, case-insensitive), under the global
    filters (all years, or the chosen one) and the page's own: 入选 or not, furthest stage
    ('未评审' = never scored), provinces."""
    return run(
        "case_search",
        year=None if all_years else f.year,
        keywords=[k.lower() for k in keywords],
        selected=selected,
        stages=stages,
        provinces=provinces,
        **f.params(),
    )


def case_scores(submission_id: str) -> pl.DataFrame:
    """One case's scores per stage: mean, lowest, highest, experts, criterion means, rank."""
    return run("case_scores", submission_id=submission_id)


# 单位档案 and the units section of 年度趋势 (the unit registry) -------------------------------


def unit_profile(unit_id: str) -> pl.DataFrame:
    """One unit of the registry: latest name, province, level, type, years, counts, names."""
    return run("unit_profile", unit_id=unit_id)


def unit_path(unit_id: str) -> pl.DataFrame:
    """One unit's years: name written, submissions, tracks, furthest stage, selected."""
    return run("unit_path", unit_id=unit_id)


def unit_names(unit_id: str) -> pl.DataFrame:
    """Every name one unit was seen under, with its first and last year."""
    return run("unit_names", unit_id=unit_id)


def unit_entrants(provinces: list[str]) -> pl.DataFrame:
    """Per year: units taking part, first-time entrants, first-time entrants selected."""
    return run("unit_entrants", provinces=provinces)


def unit_entrants_by_province(provinces: list[str]) -> pl.DataFrame:
    """Per province and year: units taking part, and how many for the first time."""
    return run("unit_entrants_by_province", provinces=provinces)


def unit_repeat_winners(provinces: list[str]) -> pl.DataFrame:
    """Units selected in two or more years whose results the role may see."""
    return run("unit_repeat_winners", provinces=provinces)


def unit_progressions(provinces: list[str]) -> pl.DataFrame:
    """Units selected in a lower track and later in a higher one (成长项目 → 典型案例 → 先导单位)."""
    return run("unit_progressions", provinces=provinces)


def unit_concentration(provinces: list[str]) -> pl.DataFrame:
    """Per province and period: selections, units that won them, the top unit's share."""
    return run("unit_concentration", provinces=provinces)


# 审计日志 (admin) ----------------------------------------------------------------------------


def audit_log(actions: list[str], who: str | None) -> pl.DataFrame:
    """The newest 2,000 audit events (meta.audit, in the admin's scope), newest first. The
    audit file's version joins the cache key: the log changes between warehouse builds."""
    return run("audit_log", _fresh=audit.version(), actions=actions, who=who)
