"""A first visit and pages opened from shared links, in Chromium, as a person sees them:
from `goto` to the page settled (script finished, charts drawn; tests/browser/served_app.py),
each in a new browser context (no cached scripts: a first visit) and so a new session.

    .venv/bin/python -m bench.link_bench --scale 1

Before: one worker serving the browser itself (`etl serve --workers 1 --no-proxy`), warmed
(role databases built, every page opened once per role at start).
After: as `etl serve` serves it, behind nginx (`--workers 1`), warmed the same way: nginx
serves Streamlit's scripts compressed and cacheable, and each page preloads Plotly's script
(etl/serve/proxy.py). Each link: median of 3 visits (RUNS), each in a new browser context.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.etl_bench import warehouse_dir
from etl.config import ROOT
from etl.serve.launch import start

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from served_app import VIEWPORT, free_port, launch_chromium, open_page  # noqa: E402

# (what a person opens, path and query, the page's title)
LINKS = (
    ("冷启动后第一次访问（总览）", "", "总览"),
    ("分享链接：评分分析", "scores?year=2024", "评分分析"),
    ("分享链接：地区对比（浙江）", "compare?province=浙江", "地区对比"),
    ("分享链接：地区分布（2023年）", "regions?year=2023", "地区分布"),
    ("分享链接：省局（广东）总览", "?role=bureau&as=广东", "总览"),
    ("分享链接：研究人员 类别结构", "categories?role=researcher&year=2022", "类别结构"),
)


@dataclass
class Opened:
    total: float  # goto → settled
    server: float  # the first rerun_script frame sent → its script_finished received
    to_socket: float  # goto → the first rerun_script sent (HTML, scripts, the app starting)


RUNS = 3


def bench_links(db: Path, proxy: bool) -> dict[str, Opened]:
    app = start(db=db, workers=1, port=None, address="127.0.0.1", proxy=proxy, warm=True)
    runs: dict[str, list[Opened]] = {label: [] for label, _, _ in LINKS}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            for _ in range(RUNS):
                for label, path, title in LINKS:
                    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                    page = context.new_page()
                    frames = FirstRun()
                    page.on("websocket", frames.watch)
                    started = time.perf_counter()
                    total = open_page(page, app.url(path), title) - started
                    runs[label].append(Opened(total, frames.server(), frames.sent - started))
                    context.close()
            browser.close()
    finally:
        app.stop()
    return {label: _median(opened) for label, opened in runs.items()}


def _median(opened: list[Opened]) -> Opened:
    return Opened(
        *(statistics.median(getattr(o, f) for o in opened) for f in Opened.__annotations__)
    )


class FirstRun:
    """Times the first rerun_script a page sends and the script_finished that answers it,
    from the browser's own websocket frames (the server-side part of the page)."""

    def __init__(self) -> None:
        self.sent = self.finished = float("nan")

    def watch(self, ws) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        msg = BackMsg()
        if isinstance(payload, bytes | bytearray) and self.sent != self.sent:
            msg.ParseFromString(bytes(payload))
            if msg.WhichOneof("type") == "rerun_script":
                self.sent = time.perf_counter()

    def _received(self, payload) -> None:
        if self.finished == self.finished or not isinstance(payload, bytes | bytearray):
            return
        msg = ForwardMsg()
        msg.ParseFromString(bytes(payload))
        if msg.WhichOneof("type") == "script_finished":
            self.finished = time.perf_counter()

    def server(self) -> float:
        return self.finished - self.sent


EMPTY_PAGE = 'import streamlit as st\nst.set_page_config(layout="wide")\nst.title("空白页")\n'
# The floor of any page that shows a chart: the same title and one small Plotly bar chart.
# Chromium fetches, evaluates and first draws Plotly's 4.7 MB script in every new page.
PLOTLY_PAGE = EMPTY_PAGE + (
    "import plotly.graph_objects as go\n"
    "st.plotly_chart(go.Figure(go.Bar(x=['甲', '乙', '丙'], y=[3, 1, 2])))\n"
)


def empty_page(runs: int = 3, page: str = EMPTY_PAGE) -> float:
    """The floor: a page that only shows a title (or `page`), served by `streamlit run`,
    opened in a new browser context the same way (median of `runs`)."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "empty.py"
        script.write_text(page, encoding="utf-8")
        port = free_port()
        command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
                   str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(f"http://127.0.0.1:{port}/_stcore/health")
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                times = []
                for _ in range(runs):
                    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                    started = time.perf_counter()
                    times.append(
                        open_page(context.new_page(), f"http://127.0.0.1:{port}/", "空白页")
                        - started
                    )
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return statistics.median(times)


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def table(
    scale: int,
    before: dict[str, Opened],
    after: dict[str, Opened],
    floor: float,
    chart_floor: float,
) -> list[str]:
    lines = [
        f"Floor, the same measure of an empty Streamlit page (a title only): {floor:.2f} s; "
        f"of the same page with one small Plotly chart: {chart_floor:.2f} s.",
        "",
        "| scale | page opened | before: total (to socket + server part) | after: total (to socket + server part) |",
        "|---:|---|---:|---:|",
    ]
    for label, b in before.items():
        a = after[label]
        lines.append(f"| {scale} | {label} | {_cell(b)} | {_cell(a)} |")
    return lines


def _cell(o: Opened) -> str:
    return f"{o.total:.2f} s ({o.to_socket:.2f} + {o.server:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.link_bench")
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    db = warehouse_dir(args.scale) / "gate.duckdb"
    if not db.exists():  # run alone, not after bench.run's ETL step: load the scale's exports
        from bench.brief_bench import warehouse

        db = warehouse(args.scale)
    before = bench_links(db, proxy=False)
    after = bench_links(db, proxy=True)
    floors = empty_page(), empty_page(page=PLOTLY_PAGE)
    print("\n".join(table(args.scale, before, after, *floors)))


if __name__ == "__main__":
    main()
