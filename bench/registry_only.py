"""The unit registry alone, on a loaded warehouse: `python bench/registry_only.py DB`
(what a load spends on etl.units.link; the bench runs it in a fresh process like the load)."""

from __future__ import annotations

import sys

import duckdb

from etl.units.link import link_units

if __name__ == "__main__":
    with duckdb.connect(sys.argv[1]) as con:
        link_units(con)
