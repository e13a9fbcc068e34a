"""Browser fixtures: Debian's Chromium, and the real app served by `streamlit run` against the
demo warehouse (tests/conftest.py). One server, one browser and one browser context per test
module (module scope, so they are gone before the rest of the suite runs); a new tab, hence
a new Streamlit session, per test. served_app.py holds the pieces without pytest, for reuse
by the benchmark's start-up and load measurements.

The server fixture also measures start-up: from starting the server process to the first page
rendered in the browser (issue 6). The browser is launched before the server, so its own
start-up is not counted. The figure is printed at the end of the run and written to
tests/artifacts/startup.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Error,
    Page,
    Playwright,
    sync_playwright,
)
from served_app import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_MISSING,
    ROOT,
    VIEWPORT,
    ServedApp,
    launch_chromium,
    navigation,
    open_page,
    router_pages,
    serve,
)

STARTUP_FILE = ARTIFACTS / "startup.json"
_startup: dict[str, float] = {}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser context for the module, so the app's scripts are fetched once (HTTP
    cache); every tab is still its own Streamlit session."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def served_app(context: BrowserContext, demo_db: Path) -> Iterator[ServedApp]:
    """The app served on a free loopback port, already shown once in the browser (the default
    page, which is when start-up is measured, and whose sidebar links are kept in
    app.navigation); stopped after the module's tests, pass or fail."""
    with serve(demo_db) as app:
        default = next(p for p in router_pages() if p.default)
        page = context.new_page()
        try:
            app.first_page_after_s = open_page(page, app.url(), default.title) - app.started
            app.navigation = navigation(page, app)
        finally:
            page.close()
        _startup.update(
            server_healthy_s=round(app.healthy_after_s, 2),
            first_page_rendered_s=round(app.first_page_after_s, 2),
        )
        STARTUP_FILE.write_text(json.dumps(_startup, indent=2) + "\n", encoding="utf-8")
        yield app


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A new tab: its own Streamlit session, a Chinese browser locale."""
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def js_errors(page: Page) -> list[str]:
    """Uncaught JavaScript exceptions of the app itself. Console noise (Streamlit probing
    /<page>/_stcore/health before /_stcore/health, a favicon from fonts.gstatic.com) is not
    collected, nor are errors inside HTML the app embeds in an iframe (about:srcdoc frames;
    数据质量's quality report has no script, but a page we embed is not the app)."""
    errors: list[str] = []

    def collect(error: Error) -> None:
        if "about:srcdoc" not in (error.stack or ""):
            errors.append(f"{error.name}: {error.message}\n{error.stack}")

    page.on("pageerror", collect)
    return errors


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _startup:
        terminalreporter.write_line(
            "browser start-up: server process start → /_stcore/health "
            f"{_startup['server_healthy_s']:.2f} s → first page rendered "
            f"{_startup['first_page_rendered_s']:.2f} s ({STARTUP_FILE.relative_to(ROOT)})"
        )
