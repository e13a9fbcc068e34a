"""Streamlit's websocket protocol, as a browser tab speaks it, with the installed streamlit
package's own protobufs: connect to /_stcore/stream, send BackMsg.rerun_script with a
ClientState (the page, the URL's query string, the widget values changed), read ForwardMsgs
(navigation, deltas, page_info_changed with the new query string) until
ForwardMsg.script_finished. Used to warm a worker's caches and by the load benchmark.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from etl.serve.proxy import ROUTE_COOKIE

TIMEOUT_S = 60
_FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Page:
    script_hash: str
    name: str  # url_pathname, "" for the default page
    title: str


@dataclass
class Outcome:
    """What one rerun took and whether it went wrong."""

    page: str
    seconds: float
    error: str | None = None


@dataclass
class Session:
    """One browser tab. `cookie`: its own affinity cookie (the proxy hashes on it)."""

    base: str  # ws://host:port
    role_query: dict[str, str]
    cookie: str = field(default_factory=lambda: uuid.uuid4().hex)
    pages: list[Page] = field(default_factory=list)
    query: str = ""
    page: Page | None = None
    widgets: dict[str, str] = field(default_factory=dict)  # label → widget id
    options: dict[str, list[str]] = field(default_factory=dict)  # label → options
    defaults: dict[str, str] = field(default_factory=dict)  # label → value shown
    states: dict[str, object] = field(default_factory=dict)  # widget id → value sent
    ws: object = None

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            f"{self.base}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": f"{ROUTE_COOKIE}={self.cookie}"},
            max_size=None,
            open_timeout=TIMEOUT_S,
            ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def open(self, page_name: str = "", extra: dict[str, str] | None = None) -> Outcome:
        """The first run, as a link opens it: a page by its URL path and a query string."""
        self.query = urlencode({**self.role_query, **(extra or {})})
        return await self._rerun(None, page_name=page_name)

    async def switch(self, page: Page) -> Outcome:
        return await self._rerun(page.title, script_hash=page.script_hash)

    async def change_year(self, pick) -> Outcome:
        """Pick another year in the sidebar's 年度 selectbox, as a click would."""
        options = self.options.get("年度") or []
        current = self.states.get(self.widgets.get("年度", ""), self.defaults.get("年度"))
        choices = [o for o in options if o != current] or options
        if not choices:
            return Outcome("年度筛选", 0.0, "no 年度 selectbox seen")
        self.states[self.widgets["年度"]] = pick(choices)
        title = self.page.title if self.page else "?"
        outcome = await self._rerun(title, script_hash=self.page.script_hash if self.page else "")
        return Outcome(f"{title}（年度筛选）", outcome.seconds, outcome.error)

    async def _rerun(
        self, title: str | None, *, script_hash: str = "", page_name: str = ""
    ) -> Outcome:
        """One rerun; its title None: the page the server says it ran (a link's page)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = script_hash
        state.page_name = page_name
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN"
        for widget_id, value in self.states.items():
            item = state.widget_states.widgets.add()
            item.id = widget_id
            item.string_value = str(value)
        started = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            error = await asyncio.wait_for(self.until_finished(), TIMEOUT_S)
        except TimeoutError:
            error = f"no script_finished within {TIMEOUT_S} s"
        except websockets.ConnectionClosed as exc:
            error = f"connection closed: {exc}"
        seconds = time.perf_counter() - started
        return Outcome(title or (self.page.title if self.page else "?"), seconds, error)

    async def until_finished(self) -> str | None:
        """Read ForwardMsgs until the run has finished; what went wrong in it, if anything."""
        error = None
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self._navigation(fwd)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                error = "page not found"
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                error = self._element(fwd.delta.new_element) or error
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if fwd.script_finished not in _FINISHED:
                    error = "script finished with a compile error"
                return error

    def _navigation(self, fwd: ForwardMsg) -> None:
        nav = fwd.navigation
        self.pages = [
            Page(p.page_script_hash, p.url_pathname, p.page_name)
            for p in nav.app_pages
            if not p.is_hidden
        ]
        self.page = next((p for p in self.pages if p.script_hash == nav.page_script_hash), None)

    def _element(self, element) -> str | None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            return f"exception: {element.exception.type}: {element.exception.message[:120]}"
        if kind == "selectbox":
            box = element.selectbox
            self.widgets[box.label] = box.id
            self.options[box.label] = list(box.options)
            shown = box.raw_value if box.set_value else None
            if shown is None and box.options:
                shown = box.options[box.default]
            self.defaults[box.label] = shown
        return None
