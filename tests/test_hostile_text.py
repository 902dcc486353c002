"""Text stays text (issue 11 item 9): hostile text in every text field of
the store (sources, notes, task report summaries, agency names, plan items)
and in an uploaded file's name is shown as written on every page: no image
is loaded, no HTML, link, emphasis or LaTeX is interpreted."""

from __future__ import annotations

import json
import re
import time

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import PASSWORD, REPO_ROOT
from tests.serving import CHROMIUM, streamlit_server
from tracker import auth, schema
from tracker.text import chart_literal, literal

HOSTILE = ("![x](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)> **bold** "
           "[link](javascript:alert(1)) $x$ :red[red] # heading")
# What would be interpreted, found in a Markdown body once every escaped character is taken out.
LIVE = re.compile(r"!\[|<img|\*\*bold\*\*|\[link\]|\$x\$|:red\[|\]\(")
PAGES = ["overview", "economy", "trade", "budget", "society", "environment", "explorer", "border_plan",
         "export", "data_update", "history"]
MARKDOWN_ELEMENTS = ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader")


def live_markdown(body: str) -> list[str]:
    """The interpretable pieces of a Markdown body (backslash-escaped characters are text)."""
    return LIVE.findall(re.sub(r"\\.", "", body))


def test_literal_escapes_everything_that_markdown_or_plotly_reads():
    assert live_markdown(literal(HOSTILE)) == []
    assert live_markdown(HOSTILE)  # the check itself sees the raw text
    assert literal("1. x\n- y\n> z") == "1\\. x  \n\\- y  \n\\> z"
    assert literal("1.437,4 tỷ đồng (đạt 41,4% KH)") == "1.437,4 tỷ đồng \\(đạt 41,4% KH\\)"
    assert literal(None) == literal(float("nan")) == ""
    assert chart_literal("<a href='javascript:x'>&") == "&lt;a href='javascript:x'&gt;&amp;"


@pytest.fixture
def hostile_store(store_env, monkeypatch):
    """Every text field of the store holds HOSTILE: the newest figures'
    sources and notes, a task report summary for every task, agency names and
    the border plan's items."""
    store = store_env
    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    figures = store.current("observations")[schema.OBSERVATION_COLUMNS].assign(source=HOSTILE, note=HOSTILE)
    tasks = store.current("tasks")
    reports = tasks[["task_id", "agency_id"]].assign(
        year=2024, status="in_progress", summary=HOSTILE, reported_on=pd.Timestamp("2024-11-01"))
    store.publish_all({"observations": figures, "task_reports": reports}, user="lan", file_name=HOSTILE)
    agencies = store.current("agencies")
    # The compiling agency keeps its Vietnamese name: the plan's reporting rule names it so.
    compiler = agencies["agency_id"] == "skhdt"
    store.replace("agencies", agencies.assign(
        name_vi=agencies["name_vi"].where(compiler, HOSTILE + " " + agencies["name_vi"]),
        name_en=HOSTILE + " " + agencies["name_en"]), user="test")
    items = store.current("plan_items")
    store.replace("plan_items", items.assign(text_vi=items["text_vi"] + " " + HOSTILE,
                                             text_en=HOSTILE + " " + items["text_en"]), user="test")
    return store


def run(page: str, users: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = {"users": users}
    at.switch_page(f"pages/{page}.py").run()
    assert [e.value for e in at.exception] == [], page
    return at


def bodies(at: AppTest) -> list[str]:
    found = [e.value for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    found += [e.proto.label for e in at.get("expandable")]
    found += [e.label for e in at.metric] + [e.proto.help for e in at.metric]
    return [str(b) for b in found if b]


def chart_texts(at: AppTest) -> list[str]:
    texts = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            for field in ("hovertext", "text", "customdata", "hovertemplate", "name"):
                value = trace.get(field)
                texts += [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
        texts += [str(a.get("text", "")) for a in spec["layout"].get("annotations", [])]
    return texts


def test_every_page_shows_hostile_text_as_text(hostile_store, users, tmp_path):
    shown_escaped = set()
    for page in PAGES:
        at = run(page, users)
        if page == "data_update":  # an analyst uploads a file whose name is hostile
            at.text_input(key="login_upload_name").input("lan")
            at.text_input(key="login_upload_password").input(PASSWORD)
            at.button(key="login_upload_submit").click().run()
            name = HOSTILE.replace("/", "_") + ".csv"
            data = (b"indicator_id,area_id,year,period,kind,value,source,note\n"
                    b"grdp_growth,VN-09,2019,FY,actual,\"9,1\",test,test\n")
            at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
            assert [e.value for e in at.exception] == []
        for body in bodies(at):
            assert live_markdown(body) == [], (page, body)
            if "onerror" in body:
                shown_escaped.add(page)
        for text in chart_texts(at):
            assert "<img" not in text and "<a " not in text, (page, text)
    # The hostile text did reach the pages that show sources, summaries, agency names and file names.
    assert {"overview", "economy", "border_plan", "data_update"} <= shown_escaped


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_a_real_browser_loads_nothing_the_text_names(hostile_store, browser, tmp_path):
    """The overview and the border plan in headless Chromium: the hostile
    text is on screen as text, no request goes to the address it names, and
    no image or javascript: link is made from it."""
    requested: list[str] = []
    with streamlit_server("app.py", {"PLAN_STORE": hostile_store.root}, tmp_path / "streamlit.log",
                          graceful=False) as (base, _):
        context = browser.new_context(viewport={"width": 1440, "height": 2400})
        try:
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            for path in ("", "border_plan"):
                page.goto(f"{base}/{path}", wait_until="domcontentloaded", timeout=90_000)
                main = page.locator('[data-testid="stMain"]')
                page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
                deadline = time.monotonic() + 90
                while "![x](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)>" not in main.inner_text():
                    assert time.monotonic() < deadline, f"/{path}: the hostile text is not shown as text"
                    page.wait_for_timeout(500)
                page.wait_for_timeout(1500)  # images in the text would be requested by now
                assert main.locator('img[src="x"], img[src*="127.0.0.1:9"], a[href^="javascript"]').count() == 0
        finally:
            context.close()
    assert not [url for url in requested if "127.0.0.1:9/" in url]
