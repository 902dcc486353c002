"""Every page of the app in a real headless Chromium (Debian's package,
driven by Playwright), in Vietnamese and in English: the page loads, its
title shows in the language, its charts draw, and no exception, error
alert or script error appears. A screenshot of each page is kept in
$BROWSER_SCREENSHOTS when it is set, and of a page that fails (else in a
temporary folder)."""

from __future__ import annotations

import ast
import contextlib
import os
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.serving import CHROMIUM, LOAD_TIMEOUT_MS, OVERFLOW_JS, free_port, streamlit_server, wait_until_idle
from tracker.i18n import t

# Pages that must draw at least one chart with the seed figures.
CHART_PAGES = {"overview", "economy", "trade", "budget", "society", "environment", "explorer"}
VIEWPORT = {"width": 1440, "height": 2400}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium (the README's test command installs it)",
)


def registered_pages(app: Path = REPO_ROOT / "app.py") -> list[dict]:
    """The pages app.py registers, read from its source without running
    Streamlit: url path, script, title key and whether it is the default."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        script = node.args[0].value if node.args else keywords["page"].value
        title = keywords.get("title")
        # A title computed otherwise (the border plan's, named by its plan number) has no key to check.
        title_key = (title.args[0].value if isinstance(title, ast.Call) and title.args
                     and isinstance(title.args[0], ast.Constant) else None)
        url_path = keywords["url_path"].value if "url_path" in keywords else Path(script).stem
        default = isinstance(keywords.get("default"), ast.Constant) and keywords["default"].value is True
        pages.append({"url_path": url_path, "script": script, "title_key": title_key, "default": default})
    return pages


PAGES = registered_pages()


def test_app_registers_every_view():
    paths = {p["url_path"] for p in PAGES}
    assert CHART_PAGES <= paths
    assert [p["url_path"] for p in PAGES if p["default"]] == ["overview"]
    assert all((REPO_ROOT / p["script"]).is_file() for p in PAGES)
    # Until app.py has run once, Streamlit maps a URL to a file in pages/ by its stem;
    # a link opened first after a restart reaches the router only if the two agree.
    assert all(p["url_path"] == Path(p["script"]).stem for p in PAGES)


@pytest.fixture(scope="module")
def restart_port() -> list[int]:
    """The port every restarted server of this module listens on, so that
    the shared browser context keeps the app's scripts cached across the
    restarts (a returning reader's browser; the server is new each time)."""
    return [free_port()]


@contextlib.contextmanager
def serve(store_root: Path, log_dir: Path, port: list[int]):
    """A new server of the app over `store_root` on `port[0]` (on another
    free port, kept for the next, if that one was taken meanwhile); yields
    its base URL."""
    start = partial(streamlit_server, "app.py", {"PLAN_STORE": str(store_root)}, log_dir / "streamlit.log",
                    graceful=False)
    with contextlib.ExitStack() as stack:
        try:
            base, _ = stack.enter_context(start(port=port[0]))
        except RuntimeError:
            port[0] = free_port()
            base, _ = stack.enter_context(start(port=port[0]))
        yield base


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("entry", PAGES, ids=[p["url_path"] for p in PAGES])
def test_page_renders_in_a_real_browser(app_server, browser_page, screenshots, entry, lang):
    page = browser_page("vi-VN" if lang == "vi" else "en-US", VIEWPORT["width"], VIEWPORT["height"])
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    try:
        # The default page lives at the root (Streamlit ignores its url_path).
        path = "" if entry["default"] else entry["url_path"]
        url = f"{app_server}/{path}" + ("?lang=en" if lang == "en" else "")
        page.goto(url, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT_MS)
        wait_until_idle(page)

        if entry["title_key"]:
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text(timeout=LOAD_TIMEOUT_MS)
            assert t(entry["title_key"], lang) in nav, f"{entry['url_path']}: title not in the {lang} navigation"

        charts = page.locator('[data-testid="stPlotlyChart"]')
        if entry["url_path"] in CHART_PAGES:
            # Elements draw a moment after the script has finished.
            charts.first.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        if charts.count():
            page.wait_for_function(
                """n => document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').length >= n""",
                arg=charts.count(), timeout=LOAD_TIMEOUT_MS,
            )

        if os.environ.get("BROWSER_SCREENSHOTS"):
            page.screenshot(path=str(screenshots / f"{entry['url_path']}_{lang}.png"))
        # At a laptop's width neither the page nor its main column scrolls sideways.
        sizes = page.evaluate(OVERFLOW_JS)
        assert sizes["page"][0] <= sizes["page"][1] and sizes["main"][0] <= sizes["main"][1], sizes
        dialogs = page.locator('[role="dialog"]')
        assert dialogs.count() == 0, dialogs.first.inner_text()  # e.g. "Page not found"
        exceptions = page.locator('[data-testid="stException"]')
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        # The one red alert a page may show is data, not a failure: the border plan's
        # reporting deadline has passed with agencies still missing.
        overdue = t("orgs.calendar.overdue", lang).split("{deadline}")[0]
        failures = [text for text in errors.all_inner_texts() if not text.startswith(overdue)]
        assert failures == [], failures[0]
        assert script_errors == []
    except AssertionError:
        page.screenshot(path=str(screenshots / f"{entry['url_path']}_{lang}_failed.png"))
        raise
    finally:
        page.close()


@pytest.mark.parametrize("width", [390])
def test_no_page_scrolls_sideways(app_server, browser_page, screenshots, width):
    """Every registered page at a phone's width: nothing makes the page or
    its main column scroll horizontally (at a laptop's, 1440 px, each page
    is checked as it renders in both languages, above)."""
    page = browser_page("vi-VN", width, 2400)
    wide = {}
    try:
        for entry in PAGES:
            page.goto(f"{app_server}/{'' if entry['default'] else entry['url_path']}", wait_until="domcontentloaded",
                      timeout=LOAD_TIMEOUT_MS)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT_MS)
            wait_until_idle(page)
            charts = page.locator('[data-testid="stPlotlyChart"]')
            if charts.count():
                page.wait_for_function(
                    """n => document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length >= n""",
                    arg=charts.count(), timeout=LOAD_TIMEOUT_MS,
                )
            sizes = page.evaluate(OVERFLOW_JS)
            if sizes["page"][0] > sizes["page"][1] or sizes["main"][0] > sizes["main"][1]:
                wide[entry["url_path"]] = sizes
                page.screenshot(path=str(screenshots / f"{entry['url_path']}_{width}_overflow.png"))
    finally:
        page.close()
    assert wide == {}


def test_a_charts_data_table_opens_on_a_click(app_server, browser_page):
    """The table behind a chart is drawn when the reader opens its expander
    (a rerun), not with the page."""
    page = browser_page("vi-VN")
    try:
        page.goto(f"{app_server}/budget", wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT_MS)
        wait_until_idle(page)
        expanders = page.locator('[data-testid="stExpander"]').filter(has_text=t("views.chart.data", "vi"))
        assert expanders.count() >= 2
        assert expanders.first.locator('[data-testid="stDataFrame"]').count() == 0
        expanders.first.locator("summary").click()
        expanders.first.locator('[data-testid="stDataFrame"]').wait_for(timeout=LOAD_TIMEOUT_MS)
        assert expanders.nth(1).locator('[data-testid="stDataFrame"]').count() == 0
    finally:
        page.close()


def _first_visit(browser_page, served_store, tmp_path, port: list[int], path: str,
                 until_idle: bool = True) -> tuple[str, str, str, int]:
    """The sidebar, the address, the page heading and the number of dialogs
    (e.g. "Page not found") after a shared link is the very first request a
    freshly started server gets. The one place a test starts its own server:
    what it checks is a server's first request. Without `until_idle`, read
    as soon as the page's heading is drawn: the router has then run (a page
    sends the request through app.py before its title, and app.py's
    navigation, with any "Page not found", comes before the page), so the
    rest of a cold first run need not be waited for."""
    with serve(served_store, tmp_path, port) as base:
        page = browser_page("en-US")
        try:
            page.goto(f"{base}/{path}", wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT_MS)
            if until_idle:
                wait_until_idle(page)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text(timeout=LOAD_TIMEOUT_MS)
            heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
            return nav, page.url, heading, page.locator('[role="dialog"]').count()
        finally:
            page.close()


def test_a_shared_link_opened_first_after_a_restart_goes_through_the_router(browser_page, served_store, tmp_path,
                                                                             restart_port):
    nav, url, _, _ = _first_visit(browser_page, served_store, tmp_path, restart_port,
                                  "economy?year=2018&period=FY&lang=en")
    assert "Economy" in nav and "Indicator explorer" in nav
    assert "year=2018" in url and "period=FY" in url and "lang=en" in url


@pytest.mark.parametrize("entry", [p for p in PAGES if not p["default"]], ids=lambda p: p["url_path"])
def test_every_page_opened_first_after_a_restart_goes_through_the_router(browser_page, served_store, tmp_path,
                                                                        restart_port, entry):
    nav, _, heading, dialogs = _first_visit(browser_page, served_store, tmp_path, restart_port,
                                            f"{entry['url_path']}?lang=en", until_idle=False)
    assert "Overview" in nav
    assert dialogs == 0  # e.g. "Page not found"
    assert heading == t(entry["title_key"], "en") if entry["title_key"] else heading
