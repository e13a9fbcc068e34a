"""Sessions that speak Streamlit's own websocket protocol, so the load costs the server exactly
what a browser's would and the load generator almost nothing (no page is drawn).

What a browser tab does, at the protocol level (/_stcore/stream, binary protobufs from the
installed streamlit package): it connects, sends BackMsg.rerun_script with a ClientState (the
page and the URL's query string, the widget values it holds), and the server streams
ForwardMsgs (navigation, deltas, page_info_changed with the new query string) until
ForwardMsg.script_finished. A page time here is: rerun_script sent → script_finished received,
the server's part of a page; what Chromium adds (drawing, Plotly) is not in it. Checked against
a real Chromium session by timing the same two frames in its websocket (bench.validate).

A session arrives within the first 5 s, opens the app, then, after 2–5 s of thinking each time, switches to another page of its sidebar or changes the year filter, for
a fixed time. Roles are mixed as in a meeting: the 司 (leader), researchers and provincial
bureaus of different provinces (demo mode: ?role=bureau&as=浙江).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict

import websockets

from etl.reference.geography import provinces
from etl.serve.stream import Outcome, Session


def bureaus() -> list[str]:
    """The provinces a bureau session can have, in official order (as the role switcher)."""
    return [
        p["province"]
        for p in provinces()
        if p["takes_part"] == "true" and p["province"] != "中央单位"
    ]


def role_of(i: int) -> dict[str, str]:
    """Session i's role, as a meeting mixes them: 1 in 5 the 司's leaders, 1 in 10 a
    researcher, the rest bureaus, each of another province."""
    if i % 10 in (0, 5):
        return {"role": "leader"}
    if i % 10 == 3:
        return {"role": "researcher"}
    names = bureaus()
    return {"role": "bureau", "as": names[i % len(names)]}


async def _user(base: str, i: int, until: float, out: dict, think: tuple[float, float]) -> None:
    rng = random.Random(i)
    session = Session(base, role_of(i))
    try:
        await asyncio.sleep(rng.uniform(0, think[1]))  # people arrive over a few seconds
        await session.connect()
        out["connected"] += 1
        _record(out, await session.open())
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= until:
                break
            others = [p for p in session.pages if p != session.page]
            if others and rng.random() < 0.7:
                _record(out, await session.switch(rng.choice(others)))
            else:
                _record(out, await session.change_year(rng.choice))
    except (OSError, websockets.WebSocketException, TimeoutError) as exc:
        out["errors"].append(f"session {i}: {type(exc).__name__}: {exc}")
    finally:
        out["idle"].append(session)  # kept open until the caller has measured idle memory


def _record(out: dict, outcome: Outcome) -> None:
    out["times"][outcome.page].append(outcome.seconds)
    if outcome.error:
        out["errors"].append(f"{outcome.page}: {outcome.error}")


async def load(
    base: str,
    sessions: int,
    seconds: float,
    think: tuple[float, float] = (2.0, 5.0),
    on_idle=None,
) -> dict:
    """Run `sessions` users for `seconds`; then, with every session still connected and idle,
    call on_idle() (to measure the server), and close them. Returns times per page and errors."""
    out: dict = {"times": defaultdict(list), "errors": [], "connected": 0, "idle": []}
    until = time.monotonic() + seconds
    started = time.perf_counter()
    await asyncio.gather(*[_user(base, i, until, out, think) for i in range(sessions)])
    out["wall"] = time.perf_counter() - started
    out["idle_measure"] = on_idle() if on_idle else None
    await asyncio.gather(*[s.close() for s in out.pop("idle")])
    return out
