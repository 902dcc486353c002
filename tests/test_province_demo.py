"""A second province from data alone: a store built from the made-up data
folder tests/assets/province_demo/ (no file of data/ read), and every page
of the app run on it through AppTest with full pages: a headline, charts,
the border plan with its own deadline and compiling agency."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders import seed, template
from tests.apptest import figures, run_page
from tests.conftest import ASSETS
from tracker import settings
from tracker.model import Facts
from tracker.store import Store

DEMO = ASSETS / "province_demo"
THEMES = ["economy", "trade", "budget", "society", "environment"]


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> str:
    store = Store(tmp_path_factory.mktemp("demo") / "store")
    seed.run(store, DEMO)
    reports = pd.read_csv(DEMO / "task_reports.csv", dtype={"task_id": str, "agency_id": str})
    reports["reported_on"] = pd.to_datetime(reports["reported_on"])
    store.publish("task_reports", reports, user="test", action="import", file_name="task_reports.csv")
    return store.root


@pytest.fixture
def demo_env(demo_root, monkeypatch):
    monkeypatch.setenv("PLAN_STORE", demo_root)
    monkeypatch.setenv("PLAN_DATA", str(DEMO))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield Store(demo_root)
    st.cache_resource.clear()
    st.cache_data.clear()


def run(page: str, **query) -> AppTest:
    return run_page(page, timeout=120, **query)


def test_the_home_area_is_the_demo_province(demo_env):
    assert settings.home_area(demo_env.current("areas")) == "XX-99"
    facts = Facts.from_store(demo_env)
    assert set(facts.observations["area_id"]) == {"XX-99"}


def test_overview_has_a_headline_and_a_chart(demo_env):
    at = run("overview")
    assert at.selectbox(key="pick_year").value == 2024
    headline = [h.value for h in at.header]
    assert headline and headline[0].strip()
    assert figures(at)
    assert "15/KH-UBND" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("page", THEMES)
def test_every_theme_page_is_full(demo_env, page):
    at = run(page)
    drawn = figures(at)
    assert len(drawn) >= 2, page
    assert all(fig["data"] for fig in drawn), page
    assert at.dataframe, page  # the status table of the page's indicators


def test_explorer_draws_an_indicator(demo_env):
    at = run("explorer", indicator="trade_turnover")
    assert figures(at) and at.dataframe


def test_border_plan_reads_its_own_plan(demo_env):
    at = run("border_plan", year=2024)
    text = " ".join([e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
                    + [e.value for e in at.warning] + [e.value for e in at.subheader] + [e.value for e in at.title])
    assert "15/KH-UBND" in text and "20/10/2024" in text  # its own plan and its own deadline
    assert "88/KH-UBND" not in text and "Lạng Sơn" not in text
    assert at.title[0].value == "Kế hoạch 15"  # named by its own number, as the 88/KH-UBND page is "Kế hoạch 88"
    assert at.dataframe


def test_the_template_names_its_own_plan(demo_env):
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(demo_env, "en")))
    text = "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "Task reports for Plan 15/KH-UBND" in text and "Tasks (15/KH-UBND)" in text
    assert "before 20 October each year" in text and "15 November" not in text  # its own deadline
    assert "88/KH-UBND" not in text and "VN-09" not in text


@pytest.mark.parametrize("page", ["export", "data_update", "history"])
def test_other_pages_run(demo_env, page):
    at = run(page)
    assert at.title
    rendered = " ".join(e.value for e in at.markdown) + " ".join(e.value for e in at.caption)
    assert "Lạng Sơn" not in rendered
