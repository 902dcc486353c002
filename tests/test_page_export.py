"""The Export page and the download menu under charts: Streamlit's AppTest,
then a real headless Chromium that downloads a deck and a chart image."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from tests.apptest import run_script
from tests.conftest import REPO_ROOT
from tracker import charts, scorecard
from tracker.model import Facts
from tracker.outputs.deck import SCORECARD

PAGE = str(REPO_ROOT / "pages" / "export.py")


def run_page(**query) -> AppTest:
    return run_script(PAGE, timeout=120, **query)


def test_the_page_offers_the_scorecard_and_main_charts_by_default(store_env):
    at = run_page(year="2018", period="H1")
    assert not at.exception
    assert at.title[0].value == "Xuất báo cáo trình chiếu"
    assert (at.selectbox(key="pick_year").value, at.selectbox(key="pick_period").value) == (2018, "H1")

    facts = Facts.from_store(store_env)
    main = [spec.chart_id for spec in charts.main_charts(facts, 2018, "H1", "vi")]
    picker = at.multiselect(key="export_charts")
    assert picker.value == [SCORECARD, *main]
    head = scorecard.headline(scorecard.scorecard(facts.observations, facts.indicators, 2018, "H1"))
    assert picker.format_func(SCORECARD) == f"Bảng tổng hợp: {head.text('vi')}"
    assert at.caption[0].value == f"Bộ trình chiếu gồm {2 + len(main)} trang (trang tiêu đề, {len(main)} biểu đồ); khổ 16:9."
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải bộ trình chiếu (.pptx)", "Toàn bộ dữ liệu (Excel)", "Toàn bộ dữ liệu (CSV nén zip)",
                      "Bảng tổng hợp (Excel)"]


def test_picking_charts_changes_the_deck(store_env):
    at = run_page(year="2018", period="H1")
    at.multiselect(key="export_charts").set_value([SCORECARD, "grdp_growth"]).run()
    assert not at.exception
    assert at.caption[0].value == "Bộ trình chiếu gồm 3 trang (trang tiêu đề, 1 biểu đồ); khổ 16:9."
    at.multiselect(key="export_charts").set_value([]).run()
    assert at.get("download_button")[0].proto.disabled


def test_another_period_offers_its_own_charts(store_env):
    at = run_page(year="2018", period="H1")
    at.multiselect(key="export_charts").set_value([SCORECARD, "grdp_growth"]).run()
    at.selectbox(key="pick_period").set_value("FY").run()
    assert not at.exception
    assert at.query_params["period"] == "FY"
    facts = Facts.from_store(store_env)
    options = at.multiselect(key="export_charts").options
    main = [spec.chart_id for spec in charts.main_charts(facts, 2018, "FY", "vi")]
    labels = [at.multiselect(key="export_charts").format_func(o) for o in [SCORECARD, *main]]
    assert all(label in options for label in labels)
    assert "grdp_growth" in at.multiselect(key="export_charts").value


def test_the_page_in_english(store_env):
    at = run_page(year="2018", period="H1", lang="en")
    assert not at.exception
    assert at.title[0].value == "Export for meetings"
    assert at.get("download_button")[0].proto.label == "Download the deck (.pptx)"


def sample_chart_script():
    """A page with one chart and its download menu (test data, not plan figures)."""
    import pandas as pd
    import plotly.graph_objects as go

    from tracker.model import ChartSpec
    from ui.downloads import chart_downloads

    fig = go.Figure(go.Bar(x=["thử A", "thử B"], y=[1, 2]))
    spec = ChartSpec("test.chart", "Biểu đồ thử", "%", "kỳ thử", "dữ liệu thử", "", "tài liệu thử", "01/01/2024",
                     fig, pd.DataFrame({"Mục thử": ["A", "B"], "Giá trị (%)": [1, 2]}))
    chart_downloads(spec, "vi")


def test_the_chart_menu_offers_five_downloads_and_renders_nothing_until_asked(monkeypatch):
    from tracker.outputs import images

    calls = []
    monkeypatch.setattr(images, "render", lambda *a, **k: calls.append(a) or b"")
    at = AppTest.from_function(sample_chart_script, default_timeout=60).run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["PNG", "SVG", "PDF", "Excel", "CSV"]
    assert calls == []  # images are drawn on click only


@pytest.fixture
def no_browser(monkeypatch):
    """A server without Chromium: $BROWSER_PATH names no program."""
    import streamlit as st

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_without_chromium_every_image_control_says_why_before_a_click(store_env, no_browser):
    at = AppTest.from_function(sample_chart_script, default_timeout=60).run()
    assert not at.exception
    buttons = {b.proto.label: b.proto.disabled for b in at.get("download_button")}
    assert buttons == {"PNG": True, "SVG": True, "PDF": True, "Excel": False, "CSV": False}
    assert any("chưa cài trình duyệt Chromium" in c.value for c in at.caption)
    at = run_page(year="2018", period="H1", lang="en")
    assert not at.exception
    deck = at.get("download_button")[0].proto
    assert deck.label == "Download the deck (.pptx)" and deck.disabled
    assert any("no Chromium browser" in c.value for c in at.caption)


def test_an_image_is_drawn_once_per_chart_content():
    import pandas as pd
    import plotly.graph_objects as go

    from tracker.model import ChartSpec
    from ui import downloads

    def spec(title):  # test data
        return ChartSpec("test.cache", title, "%", "kỳ thử", "dữ liệu thử", "", "tài liệu thử", "01/01/2024",
                         go.Figure(go.Bar(x=["A"], y=[1])), pd.DataFrame({"A": [1]}))

    assert downloads.content_key(spec("Thử 1"), "png") == downloads.content_key(spec("Thử 1"), "png")
    assert downloads.content_key(spec("Thử 1"), "png") != downloads.content_key(spec("Thử 2"), "png")
    assert downloads.content_key(spec("Thử 1"), "png") != downloads.content_key(spec("Thử 1"), "svg")


# -- a real browser -------------------------------------------------------------------
@pytest.fixture
def browser_page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_presenter_downloads_the_deck_in_a_browser(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/export?year=2018&period=H1", wait_until="networkidle")
    button = page.get_by_role("button", name="Tải bộ trình chiếu (.pptx)")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    assert download.value.suggested_filename == "bao_cao_trinh_chieu_2018_H1.pptx"
    deck = Presentation(download.value.path())
    assert len(deck.slides) >= 2
    assert deck.slides[1].shapes.title.text == "Kết quả thực hiện các chỉ tiêu 6 tháng đầu năm 2018"


def test_a_presenter_downloads_a_chart_image_in_a_browser(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/economy?year=2018&period=H1", wait_until="networkidle")
    menu = page.get_by_role("button", name="Tải xuống").first
    menu.wait_for(timeout=60_000)
    menu.click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    assert download.value.suggested_filename.endswith(".png")
    pixels = np.asarray(Image.open(io.BytesIO(open(download.value.path(), "rb").read())).convert("RGB"))
    assert pixels.shape[:2] == (1080, 1920)
