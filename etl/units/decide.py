"""A person's decisions on suggested unit matches: read the list, confirm or reject a pair.

The decision goes to data/reference/unit_aliases.csv (reviewed like code, kept across
rebuilds); the caller then rebuilds the warehouse so that it holds.
"""

from __future__ import annotations

from datetime import date

import duckdb

from etl.units.link import KEEP_APART, MERGE, Decision, read_decisions, write_decisions

MATCH_COLUMNS = ("province", "name_a", "name_b", "score", "reason")


class NoSuchMatch(LookupError):
    """The review list has no pair with that number."""


def pending(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The suggested matches, numbered from 1 as the review list shows them."""
    rows = con.execute(f"select {', '.join(MATCH_COLUMNS)} from meta.unit_matches").fetchall()
    return [
        {"number": i, **dict(zip(MATCH_COLUMNS, r, strict=True))} for i, r in enumerate(rows, 1)
    ]


def decide(con: duckdb.DuckDBPyConnection, number: int, merge: bool, by: str) -> Decision:
    """Record 合并 or 不合并 for the pair numbered `number`; name_b becomes the canonical name."""
    match = next((m for m in pending(con) if m["number"] == number), None)
    if match is None:
        raise NoSuchMatch(number)
    made = Decision(
        match["province"],
        match["name_a"],
        match["name_b"],
        MERGE if merge else KEEP_APART,
        by,
        date.today().isoformat(),
    )
    write_decisions([*read_decisions(), made])
    return made
