"""Run the benchmarks and write bench/results.md.

    .venv/bin/python -m bench.run                 # scales 1, 10, 100
    .venv/bin/python -m bench.run --scales 1,10   # a quicker run

Every figure is printed beside its floor measured in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import platform
from datetime import datetime
from pathlib import Path

from bench import dashboard_bench, serve_bench
from bench.common import RESULTS
from bench.etl_bench import bench_scale, table, warehouse_dir


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--sessions", default="1,10", help="concurrent browser sessions")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", default=str(RESULTS), help="where to write the markdown")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    etl = []
    for scale in scales:
        print(f"ETL at --scale {scale} …", flush=True)
        etl.append(bench_scale(scale))
    pages, served = {}, {}
    for scale in scales:
        db = warehouse_dir(scale) / "gate.duckdb"
        print(f"dashboard pages at --scale {scale} …", flush=True)
        pages[scale] = dashboard_bench.bench_pages(db)
        for n in (int(x) for x in args.sessions.split(",")):
            print(f"served app at --scale {scale} ({n} sessions) …", flush=True)
            served[(scale, n)] = serve_bench.bench_served(db, n, args.seconds)
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"command: `.venv/bin/python -m bench.run --scales {args.scales}`.",
        "",
        "## ETL: load beside DuckDB's own read_csv of the same rows",
        "",
        *table(etl),
        "",
        "## Dashboard: warm rerun per page (AppTest, median of 7) beside an empty page",
        "",
        "The empty page is a script that only imports streamlit, rerun the same way in the same",
        "process; raw SQL is the page's queries run directly on a read-only connection, uncached.",
        "",
        *dashboard_bench.table(pages),
        "",
        "## Served app: start-up, concurrent sessions, memory",
        "",
        "Each session is a Chromium context clicking through the sidebar pages in turn on",
        "127.0.0.1; page time = click → the page has finished and its charts are drawn. The",
        "browser sessions run on the same 2 cores as the server; the CPU column is the",
        "server process's share of all CPU time used during the run (the rest is Chromium).",
        "",
        *serve_bench.table(served),
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
