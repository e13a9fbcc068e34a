"""The brief's charts as PNG: the pages' own Plotly figures, drawn by kaleido in the system
Chromium, offline (plotly.js comes from the plotly package; MathJax, which would be fetched
from the network, is switched off).

Starting Chromium is most of the cost of a first chart, so one kaleido server is started per
process, on first use, and kept for the next report (the dashboard produces many).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import threading

import plotly.graph_objects as go

CHROMIUM = "/usr/bin/chromium"
WIDTH_PX = 900  # drawn at this width, twice the pixels, then set 15 cm wide in the document
SCALE = 2

_lock = threading.Lock()
_started = _registered = False


class ChartsUnavailable(RuntimeError):
    """No Chromium to draw with; the message is for the user (Chinese)."""


def png(figure: go.Figure, width_cm: float = 15.0) -> bytes:
    """The figure as PNG bytes, as wide (in pixels) as the page's chart at 15 cm."""
    import kaleido

    width = figure.layout.width or round(WIDTH_PX * width_cm / 15.0)
    height = figure.layout.height or 360
    opts = {"format": "png", "scale": SCALE, "width": width, "height": height}
    with _lock:
        _start()
        try:
            return kaleido.calc_fig_sync(figure, opts=opts)
        except Exception:  # a browser that died or garbled its pipe: start it again, once
            _restart()
        try:
            return kaleido.calc_fig_sync(figure, opts=opts)
        except Exception as exc:
            raise ChartsUnavailable(f"无法绘制图表：Chromium 未能完成绘制（{exc!r}）。") from exc


def warm_up() -> None:
    """Start Chromium in the background, while the brief's data are read (a cold brief's
    largest cost); the first png() waits for it."""

    def start() -> None:
        with _lock, contextlib.suppress(ChartsUnavailable):  # png() raises it to the caller
            _start()

    threading.Thread(target=start, name="brief-charts", daemon=True).start()


def _restart() -> None:
    global _started
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    _started = False
    _start()


def _start() -> None:
    global _started, _registered
    if _started:
        return
    import kaleido

    browser = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or CHROMIUM
    if not os.path.exists(browser):
        raise ChartsUnavailable(
            f"无法绘制图表：找不到 Chromium（{browser}）。请运行 bash .ci/setup --browser 安装，"
            "或用环境变量 BROWSER_PATH 指定浏览器。"
        )
    os.environ["BROWSER_PATH"] = browser
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    if not _registered:
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = _registered = True
