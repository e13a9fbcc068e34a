"""Every model's stated grain, tested as dbt tests a model's key: `unique` and `not_null`.

Each model in sql/staging, sql/core and sql/marts states its key on a `-- Key:` line (a
column marked `?` may be null, as a published list leaves a level or a category empty).
On the demo warehouse and on a warehouse of a published list alone, the key's columns
together identify one row, and the unmarked ones are never null.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from etl.pipeline.build import LAYERS, model_files

KEY_LINE = re.compile(r"^-- Key: (.+?)(?:\s{2,}.*)?$", re.M)


def _key(path: Path) -> list[str]:
    found = KEY_LINE.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.relative_to(path.parents[1])} states no key (-- Key: …)"
    return [c.strip() for c in found.group(1).split(",")]


def _table(path: Path) -> str:
    schema = next(s for folder, s, _ in LAYERS if path.parent.name == folder)
    return f"{schema}.{path.stem}"


MODELS = model_files()


@pytest.mark.parametrize("path", MODELS, ids=[_table(p) for p in MODELS])
@pytest.mark.parametrize("warehouse", ["demo_db", "published_db"])
def test_the_key_is_unique_and_not_null(path: Path, warehouse: str, request) -> None:
    columns = _key(path)
    names = ", ".join(c.rstrip("?") for c in columns)
    required = [c for c in columns if not c.endswith("?")]
    with duckdb.connect(str(request.getfixturevalue(warehouse)), read_only=True) as con:
        rows, duplicated = con.execute(
            f"select (select count(*) from {_table(path)}), count(*) from "
            f"(select {names} from {_table(path)} group by all having count(*) > 1)"
        ).fetchone()
        nulls = {
            c: con.execute(f"select count(*) from {_table(path)} where {c} is null").fetchone()[0]
            for c in required
        }
    assert duplicated == 0, f"{_table(path)}: {duplicated} values of ({names}) occur twice or more"
    assert not any(nulls.values()), f"{_table(path)}: null keys {nulls}"
    if warehouse == "demo_db":
        assert rows > 0, f"{_table(path)} is empty on the demo warehouse: the test proves nothing"
