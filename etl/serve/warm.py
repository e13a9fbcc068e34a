"""What a worker does before its first visitor, so that a cold first visit and a page opened
from a shared link cost what a warm rerun costs:
- build_scopes (in the worker's own process, worker.py): every role's database, the bureaus'
  of every province too, most-used first;
- visit (from the launcher, over the websocket, demo mode only): one session per role opens
  every page of its sidebar, which imports the pages and fills the query and figure caches for
  the default filters (the filters a shared link without a query string shows).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time

from etl.access.scopes import AccessError, policy, scoped_connection
from etl.reference.geography import provinces
from etl.serve.stream import Session

_log = logging.getLogger(__name__)


def bureau_provinces() -> list[str]:
    """The provinces a bureau can have, in official order."""
    return [
        p["province"]
        for p in provinces()
        if p["takes_part"] == "true" and p["province"] != "中央单位"
    ]


def scopes() -> list[tuple[str, str | None]]:
    """(role, province) of every scope, the national roles first."""
    roles = policy().roles.values()
    national = [(r.name, None) for r in roles if not r.own_province]
    regional = [(r.name, p) for r in roles if r.own_province for p in bureau_provinces()]
    return national + regional


SCOPES_BUILT = "role databases built"  # the line a worker logs when build_scopes is done


def build_scopes() -> None:
    """Build every scope's database now (cached by etl.access.scopes for this process), at
    the lowest CPU priority (this thread and the DuckDB threads it starts), so that a visitor
    who arrives meanwhile is served first."""
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    started, built = time.perf_counter(), 0
    for role, province in scopes():
        try:
            scoped_connection(None, role, province).close()
        except (FileNotFoundError, AccessError) as exc:  # no warehouse yet: built on first use
            _log.warning("scope %s/%s not prebuilt: %s", role, province, exc)
            return
        built += 1
    print(f"{SCOPES_BUILT}: {built} in {time.perf_counter() - started:.1f} s", flush=True)


async def _visit_all(base: str, role_query: dict[str, str]) -> list[str]:
    """One session of that role opens the app, then every other page of its sidebar."""
    session = Session(base, role_query)
    await session.connect()
    try:
        errors = [(await session.open()).error]
        for page in [p for p in session.pages if p != session.page]:
            errors.append((await session.switch(page)).error)
        return [e for e in errors if e]
    finally:
        await session.close()


def visit(base: str) -> list[str]:
    """Warm one worker (ws://127.0.0.1:PORT) as every national role and one bureau; the errors
    its pages showed, if any (none expected)."""
    queries = [{"role": r} for r, p in scopes() if p is None]
    queries += [{"role": r, "as": p} for r, p in scopes() if p is not None][:1]

    async def all_roles() -> list[str]:
        found = await asyncio.gather(*[_visit_all(base, q) for q in queries])
        return [e for errors in found for e in errors]

    return asyncio.run(all_roles())
