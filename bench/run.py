"""Run the benchmarks and write bench/results.md.

    .venv/bin/python -m bench.run                 # scales 1, 10, 100
    .venv/bin/python -m bench.run --scales 1,10   # a quicker run

Every figure is printed beside its floor measured in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import platform
from datetime import datetime

from bench.common import RESULTS
from bench.etl_bench import bench_scale, table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--scales", default="1,10,100")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    etl = []
    for scale in scales:
        print(f"ETL at --scale {scale} …", flush=True)
        etl.append(bench_scale(scale))
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
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
