"""Written brief benchmark (issue 15): the national and the 浙江 brief as PDF at --scale 1,
beside the time of rendering the same charts alone, measured in the same run.

Cold: `python -m etl report` in a fresh process, as a user at the terminal sees it (imports,
the role's scope built, Chromium and LibreOffice started). Warm: the next brief in the same
process, as the dashboard serves them (median of 3). The floor is the brief's own figures drawn
to PNG by the same kaleido server, nothing else; the report's ratio is over that floor.

    .venv/bin/python -m bench.brief_bench            # writes bench/results-brief.md
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, WORK, export_files, measure, sample_dir
from etl.config import env_var

TARGETS = {"全国": 10.0, "浙江": 5.0}  # seconds, issue 15
RUNS = 3


def warehouse(scale: int) -> Path:
    target = WORK / f"brief_{scale}" / "warehouse.duckdb"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        files = [str(p) for p in export_files(sample_dir(scale))]
        command = [sys.executable, "-m", "etl", "--quiet", "--db", str(target), "load", *files]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return target


def cold(db: Path, province: str | None) -> float:
    with tempfile.TemporaryDirectory() as out:
        args = ["-m", "etl", "--db", str(db), "report", "--year", "2024", "--format", "pdf"]
        args += ["--out", str(Path(out) / "brief.pdf")]
        return measure([*args, *(["--province", province] if province else [])]).seconds


def warm(db: Path, province: str | None) -> dict[str, float]:
    """In this process: charts alone (first draw starts Chromium), then whole briefs."""
    from etl.access.scopes import Scope, scoped_connection
    from etl.brief import images, pdf, word
    from etl.brief.compose import compose
    from etl.brief.produce import produce
    from etl.brief.source import Source

    scope = Scope.of("leader")
    con = scoped_connection(db, scope.role, scope.province)
    brief = compose(Source(con, scope), 2024, province, scope.label)
    con.close()

    def charts() -> float:
        started = time.perf_counter()
        for figure in brief.figures:
            images.png(figure.figure, figure.width_cm)
        return time.perf_counter() - started

    first = charts()
    docx = word.write(brief, lambda f: images.png(f.figure, f.width_cm))
    times = {"charts_first": first, "charts": statistics.median(charts() for _ in range(RUNS))}
    started = time.perf_counter()
    pdf.convert(docx)
    times["pdf_first"] = time.perf_counter() - started
    whole = []
    for _ in range(RUNS):
        started = time.perf_counter()
        produce(db, scope, 2024, province, "pdf", "基准测试")
        whole.append(time.perf_counter() - started)
    times["brief"] = statistics.median(whole)
    times["figures"] = len(brief.figures)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.brief_bench")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-brief.md"))
    args = parser.parse_args()
    os.environ[env_var("audit")] = str(WORK / "brief_audit.duckdb")  # not the real audit log
    db = warehouse(args.scale)
    rows = []
    for name, province in (("全国", None), ("浙江", "浙江")):
        print(f"{name} brief …", flush=True)
        rows.append((name, cold(db, province), warm(db, province)))
    lines = [
        "# Benchmark: the written brief (PDF)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, --scale {args.scale}, command: "
        "`.venv/bin/python -m bench.brief_bench`. Cold = `python -m etl report --format pdf` in",
        "a fresh process; warm = the next brief in the same process (median of 3); charts alone",
        "= the brief's figures drawn to PNG by the same kaleido server (the floor).",
        "",
        "| brief | figures | target | cold (fresh process) | warm | charts alone, warm | "
        "warm ÷ charts | first charts (Chromium start) | first PDF conversion |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, first, t in rows:
        lines.append(
            f"| {name} | {t['figures']} | < {TARGETS[name]:.0f} s | {first:.2f} s | "
            f"{t['brief']:.2f} s | {t['charts']:.2f} s | {t['brief'] / t['charts']:.1f}× | "
            f"{t['charts_first']:.2f} s | {t['pdf_first']:.2f} s |"
        )
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
