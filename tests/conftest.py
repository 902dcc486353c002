"""Shared fixtures: a real store on disk built from the seed files, one
app server and one headless Chromium for the whole test session, and the
test users of the sign-in pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from loaders import seed
from tests.serving import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tracker import auth
from tracker.store import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).with_name("assets")
PASSWORD = "test-only-password-1"  # test data, not anyone's password
BORDER = ASSETS / "border"
# Agencies without any report in tests/assets/border/reports_2024.csv (see its README).
MISSING_2024 = ["stttt", "stnmt", "skhcn", "syt", "svhttdl", "sldtbxh", "snv", "sngv", "bdt", "ubnd_huyen_bien_gioi"]


# Tests of the one served app (scripts/test.sh runs pytest-xdist workers).
SERVED_FIXTURES = {"app_server"}
# Fixtures that make a unit of work long: a browser, or a synthetic store for the benchmarks.
LONG_FIXTURES = {"browser", "synthetic"}


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): tests that one pytest-xdist worker runs together")


def pytest_make_parametrize_id(config, val, argname):
    """Long bytes are named by their argument in test ids: a file made at
    collection (an encrypted PDF has a random id) would otherwise name a test
    differently in each xdist worker, and xdist refuses to run then."""
    if isinstance(val, bytes) and len(val) > 64:
        return argname
    return None


def serves_the_app(item) -> bool:
    return bool(SERVED_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Group the tests for pytest-xdist's `--dist loadgroup`: each test file
    is one unit, so a module's fixtures are built once, and every test of
    the served app goes to one worker, so the run starts one app server per
    worker that serves. The longest units go first (the served app's, then
    those that start a browser or build a synthetic store), so that no
    worker starts a long one when the others are nearly done. Without xdist
    the marks change nothing."""
    group = {item: "served_app" if serves_the_app(item) else item.nodeid.split("::")[0] for item in items}
    long = {group[item] for item in items if LONG_FIXTURES & set(getattr(item, "fixturenames", ()))}
    rank = {name: 0 if name == "served_app" else 1 if name in long else 2 for name in group.values()}
    items.sort(key=lambda item: rank[group[item]])  # stable: files keep their order
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group[item]))


def read_reports(name: str) -> pd.DataFrame:
    """A task-report CSV of tests/assets/border/ (SPEC §7 columns) as the store takes it."""
    frame = pd.read_csv(BORDER / name, dtype=str, keep_default_na=False, na_values=[""])
    return frame.assign(year=frame["year"].astype("int64"), reported_on=pd.to_datetime(frame["reported_on"]))


def cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m loaders ARGS` as a subprocess in the repository, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )


def publish(store: Store, *names: str) -> None:
    """Publish task-report CSVs of tests/assets/border/ to `store`."""
    for name in names:
        store.publish("task_reports", read_reports(name), user="test", file_name=name)


@pytest.fixture(scope="session", autouse=True)
def one_component_scan():
    """Every AppTest shares one registry of installed Streamlit components. A
    new AppTest scans every installed package's metadata for them (0.7-2 s
    with the ~160 packages here) at its first run, which a real server does
    once at start; the registry only lists what is installed, so sharing it
    changes no page run. AppTest keeps the registry in `_bidi_component_manager`
    and scans only while that is None (streamlit 1.67, pinned)."""
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    registry = BidiComponentManager()
    registry.discover_and_register_components(start_file_watching=False)
    original = AppTest.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._bidi_component_manager = registry

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AppTest, "__init__", init)
        yield


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Store:
    """The store built from data/ once per test run. Read it, never write
    to it: use `fresh_store` for tests that write."""
    root = tmp_path_factory.mktemp("store") / "store"
    store = Store(root)
    seed.run(store)
    return store


@pytest.fixture(scope="session")
def plan_120_store(tmp_path_factory) -> Store:
    """A store of the catalogue with the figures of Kế hoạch 120/KH-UBND
    alone (no published history): for tests of how the 2018 plan is drawn,
    exported and put on slides. Read it, never write to it."""
    data = tmp_path_factory.mktemp("data_120") / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("store", "observations"))
    (data / "observations").mkdir()
    shutil.copy(REPO_ROOT / "data" / "observations" / "120_KH-UBND_2018.csv", data / "observations")
    store = Store(tmp_path_factory.mktemp("store_120") / "store")
    seed.run(store, data_dir=data)
    return store


@pytest.fixture
def fresh_store(built_store, tmp_path) -> Store:
    """A private copy of the built store that a test may write to."""
    root = tmp_path / "store"
    shutil.copytree(built_store.root, root)
    return Store(root)


@pytest.fixture
def store_env(fresh_store, monkeypatch) -> Store:
    """A private store that the app and the command line find through
    $PLAN_STORE (for AppTest and subprocess tests)."""
    monkeypatch.setenv("PLAN_STORE", fresh_store.root)
    return fresh_store


@pytest.fixture(autouse=True)
def plain_main(monkeypatch):
    """A plain __main__ for spawned children: an AppTest run earlier in this
    process leaves a page script as __main__, which spawn would run again."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The argon2id hash of PASSWORD (hashing costs time: once per session)."""
    return auth.hash_password(PASSWORD)


@pytest.fixture(scope="session")
def users(password_hash) -> dict:
    """Two test users for the secrets of the pages that need a sign-in: an
    analyst and a viewer, both with PASSWORD."""
    return {
        "lan": {"password_hash": password_hash, "role": "analyst"},
        "minh": {"password_hash": password_hash, "role": "viewer"},
    }


# -- one app server and one browser for the session ------------------------------------
@pytest.fixture(scope="session")
def served_store(built_store, tmp_path_factory) -> Path:
    """A private copy of the built store for the served app (read only)."""
    root = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(built_store.root, root)
    return root


@pytest.fixture(scope="session")
def app_server(served_store, tmp_path_factory) -> str:
    """The app served by `streamlit run` over `served_store`, once for the
    session; its base URL. Its log is kept beside the session's temporary files."""
    log = tmp_path_factory.mktemp("server_log") / "streamlit.log"
    with streamlit_server("app.py", {"PLAN_STORE": str(served_store)}, log) as (base, _):
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium driven by Playwright for the session;
    a test opens a tab with `browser_page`, or a context of its own."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (the README's test command installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_page(browser):
    """A new tab, `browser_page(locale, width)`, in a context shared by the
    session's tests of that locale; the test closes it. Each tab is its own
    Streamlit session, but the app's scripts are fetched and compiled once
    per context: a Budget page costs Chromium about 8 CPU-s in a new
    context and 5.5 in one that has loaded it before. A test that needs
    cookies or downloads of its own opens its own context."""
    contexts = {}

    def open_page(locale: str = "vi-VN", width: int = 1440, height: int = 2400):
        if locale not in contexts:
            contexts[locale] = browser.new_context(viewport={"width": 1440, "height": 2400}, locale=locale)
        page = contexts[locale].new_page()
        page.set_viewport_size({"width": width, "height": height})
        return page

    yield open_page
    for context in contexts.values():
        context.close()


@pytest.fixture
def page_app_store(store_env, monkeypatch):
    """$PLAN_STORE a private store for a page under AppTest: no cached store,
    no cached reading and no sign-in throttle left by another test."""
    import streamlit as st

    from tracker import auth

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    return store_env
