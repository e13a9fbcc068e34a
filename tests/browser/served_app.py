"""The served app in a real browser: start `streamlit run`, find the router's pages, launch
Debian's Chromium, wait for a page to finish, and check that Chinese glyphs really render.

No pytest in here, so a benchmark or load test can reuse it (sys.path.insert(0, "tests/browser")):

    with serve(warehouse) as app, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        open_page(page, app.url("compare", province="浙江"), "地区对比")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
ARTIFACTS = ROOT / "tests" / "artifacts"
DB_ENV_VAR = "CONVERGENCE_DB"  # etl.config.env_var("db"), spelled out so this module stands alone

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"{CHROMIUM} 不存在：浏览器测试需要 Debian 的 Chromium 和 CJK 字体。"
    "请运行 `bash .ci/setup --browser`（apt-get install chromium fonts-noto-cjk）。"
    f" / {CHROMIUM} is missing: run `bash .ci/setup --browser` to install Chromium and "
    "fonts-noto-cjk (Playwright must not download its own browser)."
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
HEALTH_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 60_000

# The frontend marks its root with the script's state: "initial" before the first run, then
# "running" / "rerunRequested" / "notRunning" (Streamlit's own e2e tests wait on this).
RUN_FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


# The router's pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AppPage:
    number: int  # 1-based, in the router's order
    title: str
    script: str  # as written in st.Page, relative to dashboard/
    url_path: str  # st.Page's url_path: explicit, or inferred from the file name
    default: bool

    @property
    def served_path(self) -> str:
        """The path the page is served at: the default page lives at the root URL."""
        return "" if self.default else self.url_path

    @property
    def screenshot_name(self) -> str:
        return f"{self.number:02d}_{self.url_path}.png"


def router_pages() -> list[AppPage]:
    """Every page of the router's table (dashboard/navigation.py), in navigation order, then
    the sign-in page. test_pages checks this list against the navigation the served app
    actually shows, so it cannot drift from the router."""
    from dashboard.navigation import PAGES

    specs = [*PAGES.values()]
    pages = [
        AppPage(n, s.title, s.path, Path(s.path).stem, s.default)
        for n, s in enumerate(specs, start=1)
    ]
    return [*pages, AppPage(len(pages) + 1, "登录", "views/sign_in.py", "sign_in", False)]


# The server -----------------------------------------------------------------------------------


@dataclass
class ServedApp:
    base_url: str
    process: subprocess.Popen
    log: Path
    started: float  # time.perf_counter() just before the process was started
    healthy_after_s: float | None = None
    first_page_after_s: float | None = None  # set by whoever renders the first page
    navigation: list[tuple[str, str]] = field(default_factory=list)  # (path, title) links

    def url(self, path: str = "", **params: str | int) -> str:
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.base_url}/{path}{query}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(warehouse: Path, log: Path | None = None) -> Iterator[ServedApp]:
    """`streamlit run dashboard/app.py` on a free loopback port against that warehouse, until
    /_stcore/health answers; the server is stopped on the way out, whatever happened."""
    port = free_port()
    log = log or ARTIFACTS / "streamlit.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    # demo mode (no users file), and an audit log of its own, beside the warehouse: the served
    # app never touches data/users.toml or data/audit.duckdb
    env = {
        **os.environ,
        DB_ENV_VAR: str(warehouse),
        "CONVERGENCE_USERS": str(warehouse.with_name("users.toml")),
        "CONVERGENCE_AUDIT": str(warehouse.with_name("audit.duckdb")),
    }
    env.pop("CONVERGENCE_TRUSTED_HEADER", None)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        app = ServedApp(f"http://127.0.0.1:{port}", process, log, started)
        try:
            _wait_healthy(app)
            app.healthy_after_s = time.perf_counter() - started
            yield app
        finally:
            _stop(process)


def _wait_healthy(app: ServedApp) -> None:
    deadline = time.perf_counter() + HEALTH_TIMEOUT_S
    while time.perf_counter() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {app.process.returncode} before answering "
                f"/_stcore/health; its log ({app.log}):\n{app.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{app.base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"streamlit did not answer {app.base_url}/_stcore/health within {HEALTH_TIMEOUT_S} s; "
        f"its log ({app.log}):\n{app.log_tail()}"
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# The browser ----------------------------------------------------------------------------------


def launch_chromium(playwright: Playwright, **env: str) -> Browser:
    """Debian's Chromium, never a browser Playwright would download. A plain launch gets a
    fresh temporary profile (user-data-dir) every time. env: extra variables for the browser
    (the tofu self-test passes FONTCONFIG_FILE)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(CHROMIUM_MISSING)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        env={**os.environ, **env} if env else None,
    )


# Ready: the script is not running, no element is a loading skeleton or stale from the previous
# run, and every visible Plotly chart has drawn its SVG (charts draw after the run, in the
# browser). Settled: ready without a break for SETTLE_MS. A single "notRunning" is not enough:
# 评分分析's lazy tabs are bound to the URL, and the browser reports the open tab back, which
# reruns the page's fragment right after the first run has finished.
SETTLE_MS = 400
SETTLED_JS = """
([settleMs]) => {
  const visible = (el) => el.offsetParent !== null;
  const ready =
    document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning' &&
    ![...document.querySelectorAll('[data-testid="stSkeleton"], [data-stale="true"]')]
      .some(visible) &&
    [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .filter(visible).every((chart) => chart.querySelector('.main-svg'));
  const now = performance.now();
  if (!ready) { window.__readySince = undefined; return false; }
  window.__readySince ??= now;
  return now - window.__readySince >= settleMs;
}
"""


def wait_finished(page: Page, title: str, timeout_ms: int = RENDER_TIMEOUT_MS) -> float:
    """Wait until the page has settled (see SETTLED_JS) and shows its title. Returns when it
    became ready, on the time.perf_counter() clock (the settling wait is not counted)."""
    page.locator(RUN_FINISHED).wait_for(timeout=timeout_ms)
    page.evaluate("() => { window.__readySince = undefined; }")
    page.wait_for_function(SETTLED_JS, arg=[SETTLE_MS], polling=100, timeout=timeout_ms)
    ready_for_ms = page.evaluate("() => performance.now() - window.__readySince")
    ready_at = time.perf_counter() - ready_for_ms / 1000
    expect(page.locator("h1").first).to_have_text(title, timeout=timeout_ms)
    return ready_at


def open_page(page: Page, url: str, title: str) -> float:
    """Open the URL and wait until it has finished; returns when it was ready (perf_counter)."""
    page.goto(url)
    return wait_finished(page, title)


def navigation(page: Page, app: ServedApp) -> list[tuple[str, str]]:
    """The sidebar's page links as (path, title), in order (path "" is the root URL)."""
    links = page.get_by_test_id("stSidebarNavLink")
    expect(links).not_to_have_count(0)
    return [
        (
            (link.get_attribute("href") or "").removeprefix(app.base_url).strip("/"),
            link.locator("span[label]").get_attribute("label") or "",
        )
        for link in links.all()
    ]


def full_page_screenshot(page: Page, path: Path) -> None:
    """The whole page, not just the first screen: Streamlit scrolls inside <main> (and the
    sidebar), so a plain full_page shot stops at the viewport; grow the viewport instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stSidebarContent']
                 .map(id => document.querySelector(`[data-testid="${id}"]`))
                 .filter(Boolean).map(el => el.scrollHeight))"""
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, 600), 16_000)})
    try:
        page.wait_for_timeout(150)  # let the grown layout (and canvas tables) repaint
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)


# Chinese glyphs ------------------------------------------------------------------------------

# How we know a character rendered (and not as tofu): draw each distinct CJK character of an
# element's text on a canvas in that element's own computed font, and also draw U+0378, a code
# point no font has, which Chromium on Linux draws as the primary font's .notdef box ("tofu").
# A character whose pixels equal that box, or that draws nothing, did not render; and since
# every missing character draws the same box, distinct characters must give distinct pixels.
# Checked both ways (test_glyph_check_catches_tofu keeps the failing half honest): with
# fonts-noto-cjk visible all characters pass; with a fontconfig file that rejects every font
# covering zh-cn (Chromium then falls back to DejaVu/Liberation), every character equals the box.
# document.fonts.check('16px "Noto Sans CJK SC"') is no test: it only looks at @font-face
# fonts and answers true for a system font that is not installed.
GLYPH_CHECK_JS = """
async (element) => {
  await document.fonts.ready;
  const style = getComputedStyle(element);
  const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
  const chars = [...new Set(element.textContent.match(/[\\u3400-\\u9fff]/g) || [])].slice(0, 12);
  const draw = (ch) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const g = canvas.getContext('2d');
    g.font = font;
    g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    const alpha = g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3);
    return alpha.join(',');
  };
  const box = draw('\\u0378');
  const drawn = chars.map(draw);
  return {
    font,
    chars: chars.join(''),
    tofu: chars.filter((_, i) => drawn[i] === box).join(''),
    blank: chars.filter((_, i) => !/[1-9]/.test(drawn[i])).join(''),
    distinct: new Set(drawn).size,
  };
}
"""


def glyph_problems(element: Locator) -> str | None:
    """None when the CJK characters of the element (the locator's first match) render as real,
    distinct glyphs; otherwise what is wrong, and which fonts Chromium used for them."""
    element = element.first
    result = element.evaluate(GLYPH_CHECK_JS)
    if not result["chars"]:
        return f"{element}: no CJK characters to check"
    problems = []
    if result["tofu"]:
        problems.append(f"drawn as the missing-glyph box: {result['tofu']}")
    if result["blank"]:
        problems.append(f"drawn as nothing: {result['blank']}")
    if result["distinct"] < len(result["chars"]):
        problems.append(f"{len(result['chars'])} characters, only {result['distinct']} shapes")
    if not problems:
        return None
    return (
        f"{element} 「{result['chars']}」 in {result['font']}: {'; '.join(problems)}. "
        f"Fonts Chromium used: {fonts_used(element)}. Install fonts-noto-cjk "
        "(`bash .ci/setup --browser`)."
    )


def fonts_used(element: Locator) -> list[str]:
    """The platform fonts Chromium drew the element's own text with (DevTools protocol)."""
    page = element.page
    marker = "data-fonts-used-probe"
    element.first.evaluate(f"el => el.setAttribute('{marker}', '')")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f"[{marker}]"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        return [font["familyName"] for font in fonts]
    finally:
        cdp.detach()
        element.first.evaluate(f"el => el.removeAttribute('{marker}')")
