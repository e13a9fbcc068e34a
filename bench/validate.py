"""Does a protocol session cost the server what a browser session does?

One Chromium tab visits every page in turn, as the leader, on a warmed server; its outgoing
websocket frames (the BackMsgs) are captured, and the server-side part of each visit is timed
by Chromium's network layer (DevTools Network.webSocketFrame* timestamps: rerun_script sent →
script_finished received). Then, on the same server, (a) a protocol session replays the
browser's own BackMsgs byte for byte, and (b) a protocol session (etl.serve.stream.Session)
makes the same visits with its own messages. (a) = (b) says the generated messages cost the
server what a browser's do; the browser's own timing is larger because its drawing runs on
the same two cores as the server while the server answers.

    .venv/bin/python -m bench.validate --scale 1
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import time

from playwright.sync_api import sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.etl_bench import warehouse_dir
from etl.config import ROOT
from etl.serve.launch import start
from etl.serve.stream import Session

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from served_app import VIEWPORT, launch_chromium, wait_finished  # noqa: E402

ROUNDS = 3  # each page visited this many times by each


class Frames:
    """Every rerun_script → script_finished span of one browser tab (the page's own runs;
    fragment reruns that follow are left out, as the protocol session makes none), timed by
    Chromium's network layer (DevTools Network.webSocketFrame* events carry its timestamps, so
    the browser's own drawing does not delay them)."""

    def __init__(self, page) -> None:
        self.spans: list[float] = []
        self.reruns: list[bytes] = []  # the page reruns sent, in order
        self._sent: float | None = None
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameSent", self._on_sent)
        cdp.on("Network.webSocketFrameReceived", self._on_received)
        cdp.send("Network.enable")

    @staticmethod
    def _payload(event: dict) -> bytes | None:
        response = event["response"]
        return base64.b64decode(response["payloadData"]) if response["opcode"] == 2 else None

    def _on_sent(self, event: dict) -> None:
        data = self._payload(event)
        if data is None:
            return
        msg = BackMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.fragment_id:
            self.reruns.append(data)
            if self._sent is None:
                self._sent = event["timestamp"]

    def _on_received(self, event: dict) -> None:
        data = self._payload(event)
        if data is None or self._sent is None:
            return
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "script_finished":
            self.spans.append(event["timestamp"] - self._sent)
            self._sent = None


def browser_times(url: str, titles: list[str]) -> tuple[dict[str, list[float]], list[bytes]]:
    """Per page, the server part of the browser's visits; and the page reruns it sent."""
    times: dict[str, list[float]] = {t: [] for t in titles}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        frames = Frames(page)
        page.goto(url)
        wait_finished(page, titles[0])
        for _ in range(ROUNDS):
            for title in titles[1:] + titles[:1]:
                before, sent = len(frames.spans), len(frames.reruns)
                page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
                wait_finished(page, title)
                times[title].append(frames.spans[before])
                del frames.reruns[sent + 1 :]  # the click's own rerun only
        browser.close()
    return times, frames.reruns


async def replay_times(base: str, titles: list[str], reruns: list[bytes]) -> dict[str, list[float]]:
    """The browser's own page reruns (after its first), sent again by a protocol session."""
    times: dict[str, list[float]] = {t: [] for t in titles}
    session = Session(base, {"role": "leader"})
    await session.connect()
    await session.open()
    order = [t for _ in range(ROUNDS) for t in titles[1:] + titles[:1]]
    for title, raw in zip(order, reruns[1:], strict=True):
        started = time.perf_counter()
        await session.ws.send(raw)
        await session.until_finished()
        times[title].append(time.perf_counter() - started)
        await asyncio.sleep(0.5)
    await session.close()
    return times


async def protocol_times(base: str, titles: list[str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {t: [] for t in titles}
    session = Session(base, {"role": "leader"})
    await session.connect()
    await session.open()
    by_title = {p.title: p for p in session.pages}
    for _ in range(ROUNDS):
        for title in titles[1:] + titles[:1]:
            outcome = await session.switch(by_title[title])
            times[title].append(outcome.seconds)
            await asyncio.sleep(0.5)
    await session.close()
    return times


def compare(scale: int) -> tuple[list[str], dict, dict, dict]:
    """The pages, and per page the three series of times (Chromium, replayed, protocol)."""
    from dashboard.navigation import allowed

    # the leader's sidebar, which both sessions have (推荐自查 is a bureau's page)
    titles = [spec.title for specs in allowed("leader").values() for spec in specs]
    app = start(db=warehouse_dir(scale) / "gate.duckdb", workers=1, port=None,
                address="127.0.0.1", proxy=False)  # fmt: skip
    try:
        chromium, reruns = browser_times(app.url(), titles)
        replayed = asyncio.run(replay_times(app.ws_url(), titles, reruns))
        protocol = asyncio.run(protocol_times(app.ws_url(), titles))
    finally:
        app.stop()
    return titles, chromium, replayed, protocol


def table(titles: list[str], *series: dict) -> list[str]:
    lines = [
        "| page | Chromium, server part (ms) | its BackMsgs replayed (ms) | protocol session (ms) |",
        "|---|---:|---:|---:|",
    ]
    for title in titles:
        cells = [statistics.median(t[title]) * 1000 for t in series]
        lines.append(f"| {title} | " + " | ".join(f"{c:.0f}" for c in cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validate")
    parser.add_argument("--scale", type=int, default=1)
    print("\n".join(table(*compare(parser.parse_args().scale))))


if __name__ == "__main__":
    main()
