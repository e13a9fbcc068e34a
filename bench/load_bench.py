"""N protocol sessions against the served app (bench.protocol_load): page times per page,
errors, the server's CPU and memory, memory per session.

    .venv/bin/python -m bench.load_bench --scales 1 --sessions 1,10,50 --seconds 60

The server is started as `python -m etl serve` starts it (etl/serve), with --workers N, once
per scale and number of workers; the levels of sessions then run one after the other on it.
The sessions run in this process, on the same two cores, but cost little (no page is drawn).
RSS per session = (RSS with the N sessions connected and idle − RSS before they came) ÷ N.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from bench import protocol_load
from bench.etl_bench import warehouse_dir
from etl.serve.launch import start
from etl.serve.warm import SCOPES_BUILT

SCOPES_TIMEOUT_S = 900
PAGE_ORDER = ("总览", "地区分布", "类别结构", "评分分析", "年度趋势", "地区对比", "案例检索")


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / tick
    return total


def rss_mb(pids: list[int], field: str = "VmRSS") -> float:
    total = 0.0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        total += next((int(x.split()[1]) for x in lines if x.startswith(field + ":")), 0) / 1024
    return total


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


@contextmanager
def served(db: Path, workers: int, proxy: bool):
    """The server as `etl serve` starts it, once its workers have built every role's database
    (the load then measures a server that has been up a while, not its start)."""
    app = start(db=db, workers=workers, port=None, address="127.0.0.1", proxy=proxy)
    try:
        logs = [app.folder / f"worker-{n}.log" for n in range(1, workers + 1)]
        deadline = time.monotonic() + SCOPES_TIMEOUT_S
        while time.monotonic() < deadline and not all(
            SCOPES_BUILT in log.read_text(errors="replace") for log in logs
        ):
            time.sleep(1)
        yield app
    finally:
        app.stop()


def bench_levels(
    db: Path, levels: list[int], seconds: float, workers: int = 1, proxy: bool = False
) -> list[dict]:
    """One server; then each number of sessions in turn for `seconds`."""
    results = []
    with served(db, workers, proxy) as app:
        for sessions in levels:
            print(f"  {sessions} sessions, {workers} worker(s) …", flush=True)
            results.append(_level(app, sessions, seconds, workers, proxy))
    return results


def _level(app, sessions: int, seconds: float, workers: int, proxy: bool) -> dict:
    pids = app.pids()
    base_rss = rss_mb(pids)
    cpu0, t0 = cpu_seconds(pids), time.perf_counter()

    def idle() -> dict:
        time.sleep(2)  # let the last reruns finish and memory settle
        return {
            "rss": rss_mb(app.pids()),
            "cpu": cpu_seconds(app.pids()),
            "at": time.perf_counter(),
        }

    out = asyncio.run(protocol_load.load(app.ws_url(), sessions, seconds, on_idle=idle))
    measured = out["idle_measure"]
    times = [t for ts in out["times"].values() for t in ts]
    return {
        "sessions": sessions,
        "seconds": seconds,
        "workers": workers,
        "proxy": proxy,
        "times": dict(out["times"]),
        "all": times,
        "errors": out["errors"],
        "cpu_cores": (measured["cpu"] - cpu0) / (measured["at"] - t0),
        "base_rss": base_rss,
        "idle_rss": measured["rss"],
        "peak_rss": rss_mb(app.pids(), "VmHWM"),
        "per_session": (measured["rss"] - base_rss) / sessions,
    }


def _fmt(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.2f} / {percentile(values, 95):.2f} / {percentile(values, 99):.2f}"


def table(results: list[tuple[int, dict]]) -> list[str]:
    """One line per run: sessions, reruns, errors, p50/p95/p99, CPU, memory."""
    lines = [
        "| scale | workers | proxy | sessions × s | reruns | errors | p50 / p95 / p99 (s) | server CPU (cores) | RSS start → idle with N (MB) | peak RSS (MB) | RSS per session (MB) |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, r in results:
        lines.append(
            f"| {scale} | {r['workers']} | {'nginx' if r['proxy'] else '—'} | "
            f"{r['sessions']} × {r['seconds']:.0f} | {len(r['all'])} | {len(r['errors'])} | "
            f"{_fmt(r['all'])} | {r['cpu_cores']:.2f} | {r['base_rss']:,.0f} → "
            f"{r['idle_rss']:,.0f} | {r['peak_rss']:,.0f} | {r['per_session']:.1f} |"
        )
    return lines


def page_table(results: list[tuple[int, dict]]) -> list[str]:
    """Per page p50/p95/p99 for each run (a filter change counts under its page)."""
    pages = sorted(
        {p for _, r in results for p in r["times"]},
        key=lambda p: (
            PAGE_ORDER.index(p.split("（")[0]) if p.split("（")[0] in PAGE_ORDER else 99,
            p,
        ),
    )
    head = " | ".join(
        f"{s} × {r['sessions']}{'·' + str(r['workers']) + 'w' if r['workers'] > 1 else ''}"
        for s, r in results
    )
    lines = [f"| page | {head} |", "|---|" + "---:|" * len(results)]
    for page in pages:
        cells = " | ".join(_fmt(r["times"].get(page, [])) for _, r in results)
        lines.append(f"| {page} | {cells} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load_bench")
    parser.add_argument("--scales", default="1")
    parser.add_argument("--sessions", default="1,10,25,50,100")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", default="1")
    parser.add_argument("--proxy", action="store_true")
    args = parser.parse_args()
    results = []
    for scale in (int(s) for s in args.scales.split(",")):
        db = warehouse_dir(scale) / "gate.duckdb"
        if not db.exists():  # run alone, not after bench.run's ETL step: load the exports
            from bench.brief_bench import warehouse

            db = warehouse(scale)
        levels = [int(x) for x in args.sessions.split(",")]
        for workers in (int(w) for w in args.workers.split(",")):
            proxy = args.proxy or workers > 1
            for r in bench_levels(db, levels, args.seconds, workers, proxy):
                results.append((scale, r))
                print("\n".join(table([(scale, r)])[2:]), r["errors"][:3], flush=True)
    print("\n".join(table(results)))
    print()
    print("\n".join(page_table(results)))


if __name__ == "__main__":
    main()
