"""Unit registry benchmark: the registry's time beside the load it is part of, same run.

`load --no-gate` at a scale includes the registry; bench/registry_only.py then runs the
registry alone on that warehouse, in a fresh process (imports included, so the figure errs
high). The target: load with the registry within +20% of the load without it, i.e.
registry ÷ (load − registry) ≤ 0.20.

    .venv/bin/python -m bench.units_bench --scale 100
"""

from __future__ import annotations

import argparse
import shutil

from bench.common import WORK, export_files, measure, sample_dir


def bench_registry(scale: int) -> dict[str, float]:
    files = [str(p) for p in export_files(sample_dir(scale))]
    dbs = WORK / f"units_{scale}"
    shutil.rmtree(dbs, ignore_errors=True)
    dbs.mkdir(parents=True)
    db = str(dbs / "nogate.duckdb")
    load = measure(["-m", "etl", "--quiet", "--db", db, "load", "--no-gate", *files])
    registry = measure(["bench/registry_only.py", db])
    without = load.seconds - registry.seconds
    return {"scale": scale, "load": load.seconds, "registry": registry.seconds,
            "share": registry.seconds / without}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="单位登记的基准测试")
    parser.add_argument("--scale", type=int, default=100)
    r = bench_registry(parser.parse_args().scale)
    print(
        f"scale {r['scale']}: load --no-gate {r['load']:.2f} s, of which the unit registry "
        f"{r['registry']:.2f} s = +{100 * r['share']:.1f}% over the load without it "
        f"(target ≤ +20%)"
    )


if __name__ == "__main__":
    main()
