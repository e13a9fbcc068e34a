"""The floor for loading: DuckDB's own read_csv of the same files into tables, nothing else.

GBK files are transcoded to UTF-8 beforehand (outside the timing), because DuckDB's
read_csv here reads only UTF-8, UTF-16 and Latin-1 (the encodings extension cannot be
installed offline). Usage: python bench/floor_read_csv.py DB FILE...
"""

import sys

import duckdb


def main() -> None:
    db, *files = sys.argv[1:]
    con = duckdb.connect(db)
    for i, path in enumerate(files):
        con.execute(
            f"create or replace table t{i} as select * from read_csv(?, header = true, "
            "all_varchar = true)",
            [path],
        )
    con.execute("checkpoint")
    con.close()


main()
