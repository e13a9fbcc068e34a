"""The served app: start-up, peak memory, and N concurrent browser sessions on loopback.

Reuses tests/browser/served_app.py (how the app is served, how Chromium is launched, when a
page counts as finished). Each session is its own browser context (its own Streamlit
session) clicking through the sidebar for a fixed time, as a person would in a meeting.
Traffic goes to 127.0.0.1 only, and the loop stops by itself.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

from etl.config import ROOT

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from served_app import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    RUN_FINISHED,
    SETTLE_MS,
    SETTLED_JS,
    VIEWPORT,
    router_pages,
    serve,
)


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time of one process, or of the whole machine (all processes) when pid is None."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return (sum(fields) - fields[3] - fields[4]) / tick  # all but idle and iowait
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / tick


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident set since it started."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _finished(page, title: str) -> None:
    await page.locator(RUN_FINISHED).wait_for(timeout=60_000)
    await page.evaluate("() => { window.__readySince = undefined; }")
    await page.wait_for_function(SETTLED_JS, arg=[SETTLE_MS], polling=100, timeout=60_000)
    await page.locator("h1", has_text=title).first.wait_for(timeout=60_000)


async def _session(browser, url: str, titles: list[str], until: float, out: dict) -> None:
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    try:
        await page.goto(url)
        await _finished(page, titles[0])
        # Only the pages this session's role has in its sidebar (demo mode: the leader's).
        shown = await page.get_by_test_id("stSidebarNav").inner_text()
        titles = [t for t in titles if t in shown.split("\n")]
        out["pages_cycled"] = titles
        i = 0
        while time.monotonic() < until:
            title = titles[i % len(titles)]
            started = time.perf_counter()
            try:
                await page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
                await _finished(page, title)
                if await page.locator('[data-testid="stException"]').count():
                    out["errors"].append(f"{title}: exception element")
                # the settle wait (SETTLE_MS) is part of _finished but not of the page time
                out["times"].append(time.perf_counter() - started - SETTLE_MS / 1000)
            except Exception as exc:  # noqa: BLE001 - a failed page is a counted error
                out["errors"].append(f"{title}: {type(exc).__name__}: {str(exc)[:120]}")
            i += 1
    finally:
        await context.close()


async def _load(url: str, sessions: int, seconds: float) -> dict:
    titles = [p.title for p in router_pages()]
    out: dict = {"times": [], "errors": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        until = time.monotonic() + seconds
        await asyncio.gather(*[_session(browser, url, titles, until, out) for _ in range(sessions)])
        await browser.close()
    return out


async def _first_page(url: str, started: float) -> float:
    title = router_pages()[0].title
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await page.goto(url)
        await _finished(page, title)
        ready = time.perf_counter() - SETTLE_MS / 1000
        await browser.close()
    return ready - started


def bench_served(db: Path, sessions: int = 10, seconds: float = 60) -> dict[str, object]:
    with serve(db) as app:
        startup = asyncio.run(_first_page(app.url(), app.started))
        server_before, all_before = cpu_seconds(app.process.pid), cpu_seconds()
        load = asyncio.run(_load(app.url(), sessions, seconds))
        server_cpu = cpu_seconds(app.process.pid) - server_before
        all_cpu = cpu_seconds() - all_before
        peak = peak_rss_mb(app.process.pid)
    times = sorted(load["times"])
    p95 = times[max(0, int(len(times) * 0.95) - 1)] if times else float("nan")
    return {
        "startup": startup,
        "healthy": app.healthy_after_s,
        "peak_rss": peak,
        "pages": len(times),
        "errors": load["errors"],
        "p50": statistics.median(times) if times else float("nan"),
        "p95": p95,
        "sessions": sessions,
        "seconds": seconds,
        "cycled": load.get("pages_cycled", []),
        "server_cpu_share": server_cpu / all_cpu if all_cpu else float("nan"),
    }


def table(by_scale: dict[tuple[int, int], dict[str, object]]) -> list[str]:
    lines = [
        "| scale | server start → health | server start → first page rendered | sessions × seconds | pages served | errors | p50 page | p95 page | server's share of CPU used | served app peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (scale, _), r in by_scale.items():
        lines.append(
            f"| {scale} | {r['healthy']:.2f} s | {r['startup']:.2f} s | {r['sessions']} × "
            f"{r['seconds']:.0f} s | {r['pages']} | {len(r['errors'])} | {r['p50']:.2f} s | "
            f"{r['p95']:.2f} s | {r['server_cpu_share']:.0%} | {r['peak_rss']:,.0f} MB |"
        )
    return lines
