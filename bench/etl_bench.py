"""ETL benchmark: `demo`, and `load` with and without the quality gate, beside the floor.

    .venv/bin/python -m bench.etl_bench --scales 1,10,100   # the ETL tables of bench/results.md

The floor is DuckDB's own read_csv of the same rows into tables (bench/floor_read_csv.py),
measured in the same run, in a fresh process like the loads. Ratios are load ÷ floor.
bench.run runs this too, with the dashboard and serving benchmarks, and writes results.md.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import polars as pl

from bench.common import WORK, Measured, export_files, measure, sample_dir


def floor_inputs(folder: Path) -> list[Path]:
    """UTF-8 CSV copies of the exports (GBK transcoded, xlsx converted), made untimed."""
    out = folder.with_name(folder.name + "_utf8")
    if out.exists():
        return sorted(out.glob("*.csv"))
    out.mkdir()
    for path in export_files(folder):
        target = out / (path.stem + ".csv")
        if path.suffix == ".xlsx":
            pl.read_excel(path, infer_schema_length=0).write_csv(target)
        else:
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
            target.write_text(text, encoding="utf-8")
    return sorted(out.glob("*.csv"))


def rows_in(files: list[Path]) -> int:
    return sum(pl.scan_csv(f, infer_schema=False).select(pl.len()).collect().item() for f in files)


def warehouse_dir(scale: int) -> Path:
    """Where the scale's warehouses are built; the dashboard benches read gate.duckdb here."""
    return WORK / f"db_{scale}"


def bench_scale(scale: int) -> dict[str, object]:
    folder = sample_dir(scale)
    files = [str(p) for p in export_files(folder)]
    utf8 = floor_inputs(folder)
    rows = rows_in(utf8)
    dbs = warehouse_dir(scale)
    shutil.rmtree(dbs, ignore_errors=True)
    dbs.mkdir(parents=True)
    floor = measure(["bench/floor_read_csv.py", str(dbs / "floor.duckdb"), *map(str, utf8)])
    gated = measure(["-m", "etl", "--quiet", "--db", str(dbs / "gate.duckdb"), "load", *files])
    bare = measure(
        ["-m", "etl", "--quiet", "--db", str(dbs / "nogate.duckdb"), "load", "--no-gate", *files]
    )
    checked = measure(
        [
            "-m",
            "etl",
            "--quiet",
            "--db",
            str(dbs / "nogate.duckdb"),
            "check",
            *files,
            "--report",
            str(dbs / "问题行.xlsx"),
        ]
    )
    result = {
        "scale": scale,
        "rows": rows,
        "floor": floor,
        "gate": gated,
        "nogate": bare,
        "check": checked,
    }
    if scale == 1:
        result["demo"] = measure(["-m", "etl", "--quiet", "--db", str(dbs / "demo.duckdb"), "demo"])
    return result


def table(results: list[dict[str, object]]) -> list[str]:
    lines = [
        "| scale | rows read | DuckDB read_csv (floor) | load, no gate | ratio | load, with gate | ratio | rows/s (gate) | `check` alone | check ÷ load without gate | peak RSS load (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor, gate, bare = r["floor"], r["gate"], r["nogate"]
        assert isinstance(floor, Measured) and isinstance(gate, Measured)
        lines.append(
            f"| {r['scale']} | {r['rows']:,} | {floor.seconds:.2f} s | {bare.seconds:.2f} s | "
            f"{bare.seconds / floor.seconds:.1f}× | {gate.seconds:.2f} s | "
            f"{gate.seconds / floor.seconds:.1f}× | {r['rows'] / gate.seconds:,.0f} | "
            f"{r['check'].seconds:.2f} s | {r['check'].seconds / bare.seconds:.1f}× | "
            f"{gate.peak_rss_mb:,.0f} |"
        )
    demo = next((r["demo"] for r in results if "demo" in r), None)
    if demo is not None:
        lines.append("")
        lines.append(
            f"`python -m etl demo` (scale 1, fresh warehouse, with gate): {demo.seconds:.2f} s, "
            f"peak RSS {demo.peak_rss_mb:,.0f} MB."
        )
    return lines


def main() -> None:
    """The ETL section alone (table, then peak RSS by stage at the largest scale), printed."""
    from bench import memory_profile

    parser = argparse.ArgumentParser(prog="python -m bench.etl_bench")
    parser.add_argument("--scales", default="1,10,100")
    scales = [int(s) for s in parser.parse_args().scales.split(",")]
    lines = table([bench_scale(scale) for scale in scales])
    memory = memory_profile.profile(max(scales))
    lines += ["", "| stage | peak RSS during it (MB) |", "|---|---:|"]
    lines += [f"| {stage} | {peak:,.0f} |" for stage, peak in memory.items()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
