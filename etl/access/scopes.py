"""Role scopes (访问范围): each role's own database, built from the warehouse by the policy.

Every query of the dashboard, its exports and the SQL console runs on a connection from
`scoped_connection(db, role, province)`. That connection is a DuckDB file holding only what
the role may see (data/reference/access.toml): the tables it may read, a bureau's rows of its
own province, no expert identities, no results of unpublished years. It is opened read-only,
with external access disabled and the configuration locked, so that neither a page nor a
console query can reach the warehouse, a file or the network. Nothing a role may not see is
in its database at all, so there is nothing to bypass.

Compute once, nationally, then mask. Every figure that depends on rows a role may not see —
ranks, cut-offs, distributions, percentiles — is computed by the warehouse build over all
rows (sql/marts); a role's database is the warehouse's tables copied with rows filtered and
columns masked, and no model is re-run on what is left, so a bureau's case carries its
national rank and a researcher's 2025 rows say 未公布, not 0. How a table is copied:
- results of years whose results the role may not see: outcome columns null, outcome rows
  left out, and the row's `result_status` set to 'withheld', so a masked value is never read
  as "none" (the warehouse says 'published' or, before publication, 'internal');
- a province-scoped role: row-grain tables filtered to its province;
- columns the role may not see (expert identities, server paths) dropped;
- the one kind of model that is re-derived: a table marked `rederive` in the policy, whose
  every row is about one unit (core.units: a unit's counts across years), is rebuilt from the
  role's masked rows, so its cross-year counts leave withheld results out.
Then the queries' macros (sql/macros.sql) are created over what the role holds. A scope is
built once per warehouse version, role and province, then cached.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import tomllib
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from etl.access import audit
from etl.config import REFERENCE_DIR, SQL_DIR, db_path
from etl.pipeline.build import create_macros, ordered_models
from etl.reference.geography import provinces, resolve_province
from etl.reference.programme import programme

POLICY_FILE = REFERENCE_DIR / "access.toml"
SCHEMAS = ("core", "mart", "meta", "ref")
STATUS_COLUMN, WITHHELD = "result_status", "withheld"  # see the module doc
# A score statistic over fewer cases than this, of a province other than a bureau's own, is
# not in the bureau's database (statistical disclosure control): with one or two cases behind
# it, a mean is a case's score, and cases are matched to the public lists by their names.
SMALL_CELL = 3
SCORE_STATS = ("min_score", "q1", "median", "q3", "max_score", "mean_score", "median_percentile")


class AccessError(ValueError):
    """A role or province that cannot be served; the message is for the user (Chinese)."""


class PolicyError(RuntimeError):
    """access.toml contradicts itself or the warehouse; no scope is built until it is fixed."""


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    unpublished: bool  # sees results of years whose results are not yet published
    experts: bool  # sees expert identities
    internal: bool  # sees server paths of loaded files
    own_province: bool  # row-grain tables limited to the user's province


@dataclass(frozen=True)
class TablePolicy:
    name: str  # schema.table
    roles: frozenset[str]
    grain: str  # "row" | "aggregate"
    province_column: str | None = None
    year_column: str | None = None
    outcome_columns: tuple[str, ...] = ()
    outcome_rows: bool = False
    outcome_row_flag: str | None = None
    expert_columns: tuple[str, ...] = ()
    internal_columns: tuple[str, ...] = ()
    kind_column: str | None = None
    own_province_kinds: tuple[str, ...] = ()
    source: str = "warehouse"  # "warehouse" | "audit"
    rederive: bool = False  # a per-unit model rebuilt from the role's masked rows (module doc)
    other_province_columns: tuple[str, ...] = ()  # null on other provinces' rows, for a bureau
    small_cells: bool = False  # mart.score_scopes: other provinces' cells under SMALL_CELL cases

    @property
    def withholds(self) -> bool:
        return bool(self.outcome_columns or self.outcome_rows or self.outcome_row_flag)


@dataclass(frozen=True)
class Policy:
    roles: dict[str, Role]
    tables: dict[str, TablePolicy]
    memory_limit: str
    threads: int
    cache_size: int
    timeout_s: float
    row_cap: int
    result_mb: int
    console_roles: frozenset[str]
    upload_roles: frozenset[str]

    def visible(self, role: str) -> list[TablePolicy]:
        return [t for t in self.tables.values() if role in t.roles]


@dataclass(frozen=True)
class Scope:
    """A role, and for a province-scoped role its province."""

    role: str
    province: str | None = None

    @classmethod
    def of(cls, role: str, province: str | None = None) -> Scope:
        """A checked scope: a known role, and a province exactly when the role needs one."""
        roles = policy().roles
        if role not in roles:
            known = "、".join(f"{r.name}（{r.label}）" for r in roles.values())
            raise AccessError(f"没有角色“{role}”；可用的角色有：{known}")
        if not roles[role].own_province:
            if province:
                raise AccessError(f"{roles[role].label}看全部省份，不需要指定省份")
            return cls(role)
        return cls(role, _bureau_province(province, roles[role].label))

    @property
    def key(self) -> str:
        """bureau:浙江, researcher: how the audit log names a scope."""
        return f"{self.role}:{self.province}" if self.province else self.role

    @property
    def label(self) -> str:
        label = policy().roles[self.role].label
        return f"{label}（{self.province}）" if self.province else label


def _bureau_province(province: str | None, label: str) -> str:
    if not province:
        raise AccessError(f"{label}用户必须指定省份，例如 --province 浙江")
    found = resolve_province(province)
    if found is None or found[0] == "中央单位":
        names = "、".join(
            p["province"]
            for p in provinces()
            if p["takes_part"] == "true" and p["province"] != "中央单位"
        )
        raise AccessError(f"“{province}”不是可设省局的省份；可用的有：{names}")
    return found[0]


@cache
def policy() -> Policy:
    """The access policy, read from data/reference/access.toml and checked."""
    with open(POLICY_FILE, "rb") as handle:
        raw = tomllib.load(handle)
    roles = {name: Role(name=name, **spec) for name, spec in raw["roles"].items()}
    tables = {name: _table_policy(name, spec, roles) for name, spec in raw["tables"].items()}
    return Policy(
        roles=roles,
        tables=tables,
        memory_limit=raw["scope"]["memory_limit"],
        threads=raw["scope"]["threads"],
        cache_size=raw["scope"]["cache_size"],
        timeout_s=raw["console"]["timeout_s"],
        row_cap=raw["console"]["row_cap"],
        result_mb=raw["console"]["result_mb"],
        console_roles=frozenset(raw["console"]["roles"]),
        upload_roles=frozenset(raw["uploads"]["roles"]),
    )


_TABLE_KEYS = set(TablePolicy.__dataclass_fields__) - {"name"}


def _table_policy(name: str, spec: dict, roles: dict[str, Role]) -> TablePolicy:
    if unknown := spec.keys() - _TABLE_KEYS:
        raise PolicyError(f"access.toml, table {name}: unknown keys {sorted(unknown)}")
    spec = dict(spec)
    table = TablePolicy(
        name=name,
        roles=frozenset(spec.pop("roles")),
        **{k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()},
    )
    problems = []
    if name.split(".")[0] not in SCHEMAS:
        problems.append(f"schema must be one of {SCHEMAS}")
    if unknown := table.roles - roles.keys():
        problems.append(f"unknown roles {sorted(unknown)}")
    if table.grain not in ("row", "aggregate"):
        problems.append("grain must be 'row' or 'aggregate'")
    scoped = any(roles[r].own_province for r in table.roles & roles.keys())
    if table.grain == "row" and scoped and not table.province_column:
        problems.append("a row-grain table seen by a province-scoped role needs province_column")
    if table.withholds and not table.year_column:
        problems.append("outcome rules need year_column")
    if table.source not in ("warehouse", "audit"):
        problems.append("source must be 'warehouse' or 'audit'")
    if table.rederive and (table.source != "warehouse" or table.withholds):
        problems.append("rederive is for a per-unit model of the warehouse, without outcome rules")
    if (table.other_province_columns or table.small_cells) and table.grain != "aggregate":
        problems.append("other_province_columns and small_cells are for aggregate tables")
    if table.other_province_columns and not table.province_column:
        problems.append("other_province_columns needs province_column")
    if bool(table.kind_column) != bool(table.own_province_kinds):
        problems.append("kind_column and own_province_kinds go together")
    if problems:
        raise PolicyError(f"access.toml, table {name}: " + "; ".join(problems))
    return table


# ---- scoped connections --------------------------------------------------------------------


@dataclass
class _Entry:
    con: duckdb.DuckDBPyConnection
    path: Path


_lock = threading.Lock()
_scopes: OrderedDict[tuple, _Entry] = OrderedDict()
_building: dict[tuple, threading.Lock] = {}  # a lock per scope being built
_workdir: Path | None = None


def scoped_connection(
    db: str | Path | None, role: str, province: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A new cursor on the role's read-only database (built on first use, then cached).

    Use one cursor per thread; close it when done. Raises AccessError for an unknown role or
    a missing province, FileNotFoundError when the warehouse has not been built.
    """
    scope = Scope.of(role, province)
    warehouse = db_path(db)
    if not warehouse.exists():
        raise FileNotFoundError(f"仓库尚未构建：{warehouse}（请先运行 python -m etl demo）")
    key = (_identity(warehouse), scope, _audit_key(scope))
    with _lock:
        entry = _scopes.get(key)
        if entry is not None:
            _scopes.move_to_end(key)
            return entry.con.cursor()
        building = _building.setdefault(key, threading.Lock())
    # Built outside the cache's lock: a session whose scope is ready never waits for another
    # scope being built; two sessions wanting the same new scope build it once.
    with building:
        with _lock:
            entry = _scopes.get(key)
        if entry is None:
            entry = _open(warehouse, scope)
            with _lock:
                _scopes[key] = entry
                _building.pop(key, None)
                _evict(policy().cache_size)
        with _lock:
            if key in _scopes:
                _scopes.move_to_end(key)
            return entry.con.cursor()


def clear_cache() -> None:
    """Forget every scoped database (their files are removed; open cursors keep working)."""
    with _lock:
        _evict(0)


def published_years(con: duckdb.DuckDBPyConnection, catalog: str) -> tuple[int, ...]:
    """Years published both by configuration (programme.toml) and in the warehouse's ref."""
    configured = {y for y, rules in programme().items() if rules.results_published}
    rows = con.execute(
        f"select year from {catalog}.ref.programme_years where results_published"
    ).fetchall()
    return tuple(sorted(configured & {int(r[0]) for r in rows}))


def _identity(warehouse: Path) -> tuple:
    """A load swaps in a new file: a new inode, so a new key."""
    stat = warehouse.stat()
    return (str(warehouse), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _audit_key(scope: Scope) -> tuple:
    reads_audit = any(t.source == "audit" for t in policy().visible(scope.role))
    return audit.version() if reads_audit else ()


def _evict(keep: int) -> None:
    while len(_scopes) > keep:
        _, entry = _scopes.popitem(last=False)
        entry.path.unlink(missing_ok=True)  # open cursors keep the open file


def _open(warehouse: Path, scope: Scope) -> _Entry:
    target = _new_file(scope.role)
    _build_scope(warehouse, scope, target)
    return _Entry(_read_only(target), target)


def _read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """The role's file, opened so that a query can reach nothing else and change nothing."""
    spill = path.with_suffix(".tmp")
    spill.mkdir(exist_ok=True)
    config = {
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "allow_persistent_secrets": False,
        "python_enable_replacements": False,
        "memory_limit": policy().memory_limit,
        "threads": policy().threads,
        "temp_directory": str(spill),
        "max_temp_directory_size": policy().memory_limit,
        "lock_configuration": True,
    }
    return duckdb.connect(str(path), read_only=True, config=config)


def _new_file(label: str) -> Path:
    global _workdir
    if _workdir is None:
        _workdir = Path(tempfile.mkdtemp(prefix="convergence-scopes-"))
        atexit.register(shutil.rmtree, _workdir, True)
    return _workdir / f"{label}-{uuid.uuid4().hex[:12]}.duckdb"


# ---- the role's database ---------------------------------------------------------------------


def _build_scope(warehouse: Path, scope: Scope, target: Path) -> None:
    role = policy().roles[scope.role]
    visible = policy().visible(scope.role)
    with duckdb.connect(str(target)) as con:
        _attach(con, warehouse)
        published = None if role.unpublished else published_years(con, "src")
        for schema in SCHEMAS:
            con.execute(f"create schema {schema}")
        for table in visible:
            if table.source == "audit":
                _copy_audit(con, table, role)
            elif not table.rederive:
                _copy_scoped(con, table, role, scope.province, published)
        con.execute("detach src")  # from here on, a model can read only what the role holds
        for table in visible:
            if table.rederive:
                _rederive(con, table)
        create_macros(con)
        con.execute("checkpoint")


def _copy_scoped(
    con: duckdb.DuckDBPyConnection,
    table: TablePolicy,
    role: Role,
    province: str | None,
    published: tuple[int, ...] | None,
) -> None:
    """Copy one table: rows filtered, results of withheld years masked, columns dropped, and
    for a bureau other provinces' score sums left out. `published` None: every year shown."""
    columns = _columns(con, "src", table.name)
    if columns is None:
        return
    kept = _kept_columns(table, columns, role)
    select, where = _masked_select(table, kept, published)
    params: list = []
    if role.own_province and table.other_province_columns:
        _require(table, columns, [table.province_column, *table.other_province_columns])
        for i, c in enumerate(kept):
            if c in table.other_province_columns:
                select[i] = f"case when {_q(table.province_column)} = ? then {select[i]} end"
                params.append(province)
    if role.own_province and table.grain == "row":
        _require(table, columns, [table.province_column, table.kind_column])
        where.append(f"{_q(table.province_column)} = ?")
        params.append(province)
        if table.kind_column:
            where.append(f"list_contains(?, {_q(table.kind_column)})")
            params.append(list(table.own_province_kinds))
    items = ", ".join(f"{expr} as {_q(c)}" for expr, c in zip(select, kept, strict=True))
    con.execute(
        f"create table {_ident(table.name)} as select {items} "
        f"from src.{_ident(table.name)} where {' and '.join(where)}",
        params,
    )
    if role.own_province and table.small_cells:
        _suppress_small_cells(con, table, province)


def _masked_select(
    table: TablePolicy, columns: list[str], published: tuple[int, ...] | None
) -> tuple[list[str], list[str]]:
    """One expression per column (unnamed) and filters that withhold results of the years
    outside `published`."""
    if published is None or not table.withholds:
        return [_q(c) for c in columns], ["true"]
    _require(table, columns, [*table.outcome_columns, table.year_column, table.outcome_row_flag])
    years = ", ".join(str(int(y)) for y in published) or "null"
    shown = f"coalesce({_q(table.year_column)} in ({years}), false)"
    select = []
    for c in columns:
        if c in table.outcome_columns:
            select.append(f"case when {shown} then {_q(c)} end")
        elif c == STATUS_COLUMN:
            select.append(f"case when {shown} then {_q(c)} else '{WITHHELD}' end")
        else:
            select.append(_q(c))
    where = ["true"]
    if table.outcome_rows:
        where.append(shown)
    if table.outcome_row_flag:
        where.append(f"({shown} or not coalesce({_q(table.outcome_row_flag)}, false))")
    return select, where


def _suppress_small_cells(con: duckdb.DuckDBPyConnection, table: TablePolicy, own: str) -> None:
    """Score statistics of another province resting on fewer than SMALL_CELL cases are nulled
    (the count stays), and so is one more cell wherever a single suppressed cell could be
    recovered by difference: the smallest other group of the same province (全部 minus the
    visible groups; 全部 itself when no other group is left), and the smallest other province
    of the same region group."""
    name = _ident(table.name)
    stats = ", ".join(f"{_q(c)} = null" for c in SCORE_STATS)
    con.execute(
        f"update {name} set {stats} where scope_kind = '省份' and scope <> ? and n < ?",
        [own, SMALL_CELL],
    )
    # The smallest other visible group, ties by name (so every build suppresses the same
    # cells); with no other group, 全部 itself, which would otherwise equal the one suppressed.
    lone_group = (
        "select year, stage, scope, coalesce(min_by(score_group, (n, score_group)) filter "
        "(where mean_score is not null and score_group <> '全部'), '全部') as pick "
        f"from {name} where scope_kind = '省份' and scope <> ? group by year, stage, scope "
        "having count(*) filter (where mean_score is null and score_group <> '全部') = 1"
    )
    lone_province = (
        f"select s.year, s.stage, s.score_group, "
        f"min_by(s.scope, (s.n, s.scope)) filter (where s.mean_score is not null) as pick "
        f"from {name} as s join src.ref.provinces as p on p.province = s.scope "
        "where s.scope_kind = '省份' and s.scope <> ? "
        "group by s.year, s.stage, s.score_group, p.region "
        "having count(*) filter (where s.mean_score is null) = 1"
    )
    changed = True
    while changed:  # each pass can leave a new lone cell for the other: until none is left
        changed = False
        for lone, match in (
            (lone_group, "t.scope = lone.scope and t.score_group = lone.pick"),
            (lone_province, "t.score_group = lone.score_group and t.scope = lone.pick"),
        ):
            updated = con.execute(
                f"update {name} as t set {stats} from ({lone}) as lone "
                "where t.scope_kind = '省份' and t.year = lone.year and t.stage = lone.stage "
                f"and t.mean_score is not null and {match}",
                [own],
            ).fetchone()[0]
            changed = changed or updated > 0


def _rederive(con: duckdb.DuckDBPyConnection, table: TablePolicy) -> None:
    """Rebuild a per-unit model from the role's own, already masked rows (see the module doc)."""
    schema, name = table.name.split(".")
    folder = {"core": "core", "mart": "marts"}[schema]
    sql = dict(ordered_models(SQL_DIR / folder, schema))[name]
    try:
        con.execute(f"create table {_ident(table.name)} as\n{sql}")
    except duckdb.CatalogException as exc:
        raise PolicyError(
            f"{table.name} cannot be re-derived for {sorted(table.roles)}: does every table "
            f"it reads have an access policy for the same roles? {exc}"
        ) from exc


def _copy_audit(con: duckdb.DuckDBPyConnection, table: TablePolicy, role: Role) -> None:
    frame = audit.events()
    kept = _kept_columns(table, frame.columns, role)
    con.register("_audit", frame.select(kept).to_arrow())
    con.execute(f"create table {_ident(table.name)} as select * from _audit")
    con.unregister("_audit")


def _kept_columns(table: TablePolicy, columns: list[str], role: Role) -> list[str]:
    _require(table, columns, [*table.expert_columns, *table.internal_columns])
    dropped = set()
    if not role.experts:
        dropped |= set(table.expert_columns)
    if not role.internal:
        dropped |= set(table.internal_columns)
    return [c for c in columns if c not in dropped]


# ---- small helpers ----------------------------------------------------------------------------


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute("attach ? as src (read_only)", [str(path)])


def _columns(con: duckdb.DuckDBPyConnection, catalog: str | None, name: str) -> list[str] | None:
    """The table's columns in order, or None when the table does not exist there."""
    schema, table = name.split(".")
    rows = con.execute(
        "select column_name from duckdb_columns() "
        "where database_name = coalesce(?, current_database()) "
        "and schema_name = ? and table_name = ? order by column_index",
        [catalog, schema, table],
    ).fetchall()
    return [r[0] for r in rows] or None


def _require(table: TablePolicy, columns: list[str], named: list[str | None]) -> None:
    missing = [c for c in named if c and c not in columns]
    if missing:
        raise PolicyError(f"access.toml, table {table.name}: no column {missing} in the warehouse")


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _ident(name: str) -> str:
    return ".".join(_q(part) for part in name.split("."))
