"""Build the warehouse's models: reference tables from data/reference, then the SQL in sql/.

The folder decides the layer and the schema (sql/staging → staging, sql/core → core,
sql/marts → mart); sql/macros.sql, the queries' shared predicates, comes last. Each .sql file holds one select; its file name is the table name. Within
a layer, models run in dependency order, read off the schema-qualified names they mention.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from etl.config import SQL_DIR
from etl.reference.geography import provinces
from etl.reference.programme import domains, programme
from etl.units.link import link_units
from etl.writing import WriteFailed

LAYERS = (("staging", "staging", "view"), ("core", "core", "table"), ("marts", "mart", "table"))
SCHEMAS = ("raw", "ref", "staging", "core", "mart", "meta")


def build(con: duckdb.DuckDBPyConnection, retry_memory: str | None = None) -> None:
    """Rebuild ref.*, then every model of every layer, in order. Under a memory cap (a load's),
    `retry_memory` is where a model that does not fit is built again (within_memory)."""
    write_reference(con)
    create_macros(con)  # the scalar ones, which models use
    for folder, schema, materialise in LAYERS:
        if schema == "core":
            # core.unit_names: the registry the core models key units on
            within_memory(con, "core.unit_names", lambda: link_units(con), retry_memory)
        for name, sql in ordered_models(SQL_DIR / folder, schema):
            kind = "view" if materialise == "view" else "table"
            statement = f"create or replace {kind} {schema}.{name} as\n{sql}"
            within_memory(con, f"{schema}.{name}", lambda s=statement: con.execute(s),
                          retry_memory)  # fmt: skip
    create_macros(con)  # and the table macros, which read the models


def within_memory(
    con: duckdb.DuckDBPyConnection, model: str, step: Callable[[], object], retry: str | None
) -> None:
    """Run a model's step under the connection's memory cap (a load caps its build so that
    DuckDB spills instead of growing with the rows); if DuckDB cannot finish it there (at
    --scale 1000 some joins and ordered aggregates cannot spill enough), the step (rolled
    back whole by DuckDB) runs once more under `retry`, and the cap is put back. Out of
    memory there too: WriteFailed, in Chinese, naming the model; the caller keeps the
    warehouse as it was. Without `retry` (an uncapped build) DuckDB's error stands."""
    try:
        step()
        return
    except duckdb.OutOfMemoryException:
        if retry is None:
            raise
        cap = con.execute("select current_setting('memory_limit')").fetchone()[0]
    print(f"提示：构建 {model} 超出 {cap} 的内存上限，放宽到 {retry} 后重试", file=sys.stderr)
    con.execute(f"set memory_limit = '{retry}'")
    try:
        step()
    except duckdb.OutOfMemoryException as exc:
        raise WriteFailed(
            f"构建 {model} 时内存不足：上限 {cap} 和放宽后的 {retry} 都不够用；"
            "仓库保持原样，本次导入未生效。请在内存更大的机器上导入，或分批导入文件"
            f"（DuckDB：{str(exc).splitlines()[0]}）"
        ) from exc
    finally:
        con.execute(f"set memory_limit = '{cap}'")


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """sql/macros.sql, statement by statement.

    A table macro binds its tables when it is created, so one over a table this database
    lacks (not built yet, or not in a role's database, which holds only what the role may
    read) is left out, not an error: run it again once the tables exist.
    """
    for statement in con.extract_statements((SQL_DIR / "macros.sql").read_text(encoding="utf-8")):
        try:
            con.execute(statement.query)
        except duckdb.CatalogException:
            continue


def model_files() -> list[Path]:
    return [p for folder, _, _ in LAYERS for p in sorted((SQL_DIR / folder).glob("*.sql"))]


def ordered_models(folder: Path, schema: str) -> list[tuple[str, str]]:
    models = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql"))}
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise ValueError(f"sql/{folder.name}: circular reference {' → '.join(path)}")
        for dep in re.findall(rf"\b{schema}\.(\w+)", models[name]):
            if dep in models and dep != name:
                visit(dep, (*path, name))
        done.append(name)

    for name in models:
        visit(name, ())
    return [(name, models[name]) for name in done]


def write_reference(con: duckdb.DuckDBPyConnection) -> None:
    """ref.provinces, ref.programme_years, ref.selected_quota, ref.rubric, from data/reference."""
    _replace(con, "ref.provinces", _provinces_frame())
    _replace(con, "ref.programme_years", _years_frame())
    _replace(con, "ref.published_counts", _published_frame())
    _replace(con, "ref.rubric", _rubric_frame())
    _replace(con, "ref.stages", _stages_frame())


def _replace(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("_frame", frame.to_arrow())
    con.execute(f"create or replace table {table} as select * from _frame")
    con.unregister("_frame")


def _provinces_frame() -> pl.DataFrame:
    frame = pl.DataFrame(list(provinces()))
    return frame.with_columns(
        pl.col("sort_order", "tile_row", "tile_col").cast(pl.Int64),
        (pl.col("takes_part") == "true").alias("takes_part"),
        pl.col("region").replace("", None),
    )


def _years_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "year": y.year,
                "scheme": y.scheme,
                "scheme_label": y.scheme_label,
                "tracks": list(y.tracks),
                "categories": list(y.categories),
                "stages": list(y.stages),
                "deadline": y.deadline,
                "max_chars": y.max_chars,
                "selected_total": y.selected_total,
                "selected_by": y.selected_by,
                "selected_assumed": y.selected_assumed,
                "selected_source": y.selected_source,
                "results_published": y.results_published,
                "published_on": y.published_on,
                "has_quota": y.quota is not None,
                "applicants": y.applicants,
                "final_round": y.final_round,
            }
            for y in programme().values()
        ]
    )


def _published_frame() -> pl.DataFrame:
    rows = [
        {"year": y.year, "selected_by": y.selected_by, "group_value": key, "selected": n}
        for y in programme().values()
        for key, n in y.selected.items()
    ]
    return pl.DataFrame(rows)


def _rubric_frame() -> pl.DataFrame:
    rows = [
        {
            "year": y.year,
            "field": c.field,
            "label": c.label,
            "max_points": c.max,
            "weight": c.weight,
            "sort_order": i,
        }
        for y in programme().values()
        for i, c in enumerate(y.criteria, start=1)
    ]
    return pl.DataFrame(rows)


def _stages_frame() -> pl.DataFrame:
    stages = domains()["stage"]
    return pl.DataFrame({"stage": list(stages), "stage_order": list(range(1, len(stages) + 1))})
