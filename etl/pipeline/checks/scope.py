"""A bureau checking its own draft (推荐自查): a row of another province is itself a finding.

The row is quarantined (and so counts toward no quota), and the message names the province
written in the bureau's own file, nothing from the warehouse.
"""

from __future__ import annotations

import polars as pl

from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.schemas import ISSUE_SCHEMA
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW

RULE = "scope.province"


def check(tables: list[Normalised], province: str | None) -> tuple[pl.DataFrame, int]:
    """Blocking issues on the rows whose province is not `province` (none when it is None)."""
    if province is None:
        return pl.DataFrame(schema=ISSUE_SCHEMA), 0
    rule, found, checked = rules()[RULE], [], 0
    for table in tables:
        frame = table.frame  # read once: a spilled table reads its file on each `.frame`
        if "province" not in frame.columns:
            continue
        given = frame.select(ROW, "province").drop_nulls("province")
        checked += given.height
        for row, theirs in given.filter(pl.col("province") != province).iter_rows():
            values = {"value": theirs, "own": province}
            found.append((table.raw.sha256, table.spec.kind, row, "province", theirs, RULE,
                          rule.severity, rule.render(values)))  # fmt: skip
    return pl.DataFrame(found, schema=ISSUE_SCHEMA, orient="row"), checked
