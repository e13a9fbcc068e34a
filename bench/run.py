"""Run the benchmarks and write bench/results.md.

    flock /work/suite.lock .venv/bin/python -m bench.run      # ETL at 1, 10, 100; serving at 1, 100
    .venv/bin/python -m bench.run --scales 1 --serve-scales 1 --sessions 1,10 --seconds 20

Every figure is printed beside its floor measured in the same run, as a ratio or a column.
"""

from __future__ import annotations

import argparse
import os
import platform
from datetime import datetime
from pathlib import Path

from bench import dashboard_bench, link_bench, load_bench, memory_profile, validate
from bench.common import RESULTS
from bench.etl_bench import bench_scale, table, warehouse_dir


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def _paragraphs(doc: str | None, *numbers: int) -> str:
    """Paragraphs of a module's docstring (the benchmark says once what it measures)."""
    parts = (doc or "").split("\n\n")
    return "\n\n".join(parts[n].strip() for n in numbers)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--scales", default="1,10,100", help="ETL scales")
    parser.add_argument("--serve-scales", default="1,100", help="dashboard and serving scales")
    parser.add_argument("--sessions", default="1,10,25,50,100", help="protocol sessions")
    parser.add_argument("--proxy-sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--out", default=str(RESULTS), help="where to write the markdown")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    serve_scales = [int(s) for s in args.serve_scales.split(",")]
    levels = [int(n) for n in args.sessions.split(",")]
    load_at_start = _load_average()
    etl = []
    for scale in scales:
        print(f"ETL at --scale {scale} …", flush=True)
        etl.append(bench_scale(scale))
    print("memory by stage at the largest scale …", flush=True)
    memory = memory_profile.profile(max(scales))
    pages, served, proxied = {}, [], []
    for scale in serve_scales:
        db = warehouse_dir(scale) / "gate.duckdb"
        print(f"dashboard pages at --scale {scale} …", flush=True)
        pages[scale] = dashboard_bench.bench_pages(db)
        print(f"protocol sessions at --scale {scale} …", flush=True)
        served += [(scale, r) for r in load_bench.bench_levels(db, levels, args.seconds)]
    first = warehouse_dir(serve_scales[0]) / "gate.duckdb"
    for workers in (1, 2):
        print(f"through nginx, {workers} worker(s) …", flush=True)
        run = load_bench.bench_levels(first, [args.proxy_sessions], args.seconds, workers, True)
        proxied += [(serve_scales[0], r) for r in run]
    if (largest := max(serve_scales)) != serve_scales[0]:
        print(f"through nginx at --scale {largest}, 2 workers …", flush=True)
        db = warehouse_dir(largest) / "gate.duckdb"
        run = load_bench.bench_levels(db, sorted({args.proxy_sessions, max(levels)}),
                                      args.seconds, 2, True)  # fmt: skip
        proxied += [(largest, r) for r in run]
    print("protocol session against Chromium …", flush=True)
    checked = validate.compare(serve_scales[0])
    print("first visit and shared links in Chromium …", flush=True)
    before = link_bench.bench_links(first, proxy=False)
    after = link_bench.bench_links(first, proxy=True)
    floors = link_bench.empty_page(), link_bench.empty_page(page=link_bench.PLOTLY_PAGE)
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, command: "
        f"`flock /work/suite.lock .venv/bin/python -m bench.run --scales {args.scales} "
        f"--serve-scales {args.serve_scales} --sessions {args.sessions} "
        f"--seconds {args.seconds:g}`.",
        f"Load average (1 / 5 / 15 min) at the start: {load_at_start}; at the end: "
        f"{_load_average()} (other work on the machine shares its two cores).",
        "",
        "## ETL: load beside DuckDB's own read_csv of the same rows",
        "",
        *table(etl),
        "",
        f"Peak RSS by stage of one `load` at --scale {max(scales)} (bench/memory_profile.py):",
        "",
        "| stage | peak RSS during it (MB) |",
        "|---|---:|",
        *(f"| {stage} | {peak:,.0f} |" for stage, peak in memory.items()),
        "",
        "## Dashboard: warm rerun per page (AppTest, median of 7) beside an empty page",
        "",
        "The empty page is a script that only imports streamlit, rerun the same way in the same",
        "process; raw SQL is the page's queries run directly on a read-only connection, uncached.",
        "",
        *dashboard_bench.table(pages),
        "",
        "## Served: protocol sessions (bench/protocol_load.py)",
        "",
        _paragraphs(load_bench.__doc__, 2),
        "Each session arrives within 5 s and then, every 2–5 s, switches page (70%) or changes",
        "the year (30%); 2 in 10 sessions are leaders, 1 a researcher, 7 bureaus of different",
        "provinces. Page time = rerun_script sent → script_finished received.",
        "",
        *load_bench.table(served),
        "",
        "Per page, p50 / p95 / p99 in seconds (a year change counts under its page):",
        "",
        *load_bench.page_table(served),
        "",
        f"## Through nginx (`etl serve`): 1 worker against 2, {args.proxy_sessions} sessions; "
        f"2 workers at --scale {max(serve_scales)}",
        "",
        *load_bench.table(proxied),
        "",
        *load_bench.page_table(proxied),
        "",
        "## The load generator checked against Chromium (bench/validate.py)",
        "",
        _paragraphs(validate.__doc__, 1),
        "",
        *validate.table(*checked),
        "",
        "## A first visit and pages opened from shared links, in Chromium (bench/link_bench.py)",
        "",
        _paragraphs(link_bench.__doc__, 0, 2),
        "",
        *link_bench.table(serve_scales[0], before, after, *floors),
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
