"""The "Kế hoạch 88" page through Streamlit's AppTest, on a private store with
the test reports of tests/assets/border/ published."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apptest import run_script
from tests.conftest import MISSING_2024, REPO_ROOT, publish
from tracker import border

PAGE = str(REPO_ROOT / "pages" / "border_plan.py")


@pytest.fixture(autouse=True)
def fresh_caches():
    """ui.data_io caches the Store of the first $PLAN_STORE it saw; each test
    here has its own store, so start every test with empty caches."""
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def page_store(store_env, monkeypatch):
    """$PLAN_STORE with the 2023 and 2024 reports, and the clock on 5/12/2024."""
    publish(store_env, "reports_2023.csv", "reports_2024.csv")
    monkeypatch.setattr(border, "current_date", lambda zone=None: date(2024, 12, 5))
    return store_env


def run_page(**query) -> AppTest:
    return run_script(PAGE, timeout=60, **query)


def test_the_page_shows_who_reported(page_store):
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Kế hoạch 88"
    assert at.selectbox(key="border_year").value == 2024  # the newest year with reports
    assert at.selectbox(key="border_year").options == ["2024", "2023", "2022"]
    assert [m.label for m in at.metric] == ["✓ Đúng hạn", "! Chậm", "◐ Chưa đủ nhiệm vụ", "✗ Chưa báo cáo"]
    assert [m.value for m in at.metric] == ["4/19", "3/19", "2/19", "10/19"]
    assert any("báo cáo ghi ngày 15/11/2024 được tính là đúng hạn" in i.value for i in at.info)
    assert not at.warning  # the deadline has passed and there are reports

    table = at.dataframe[0].value
    assert len(table) == 19
    assert table.loc[table["Cơ quan, đơn vị"] == "Sở Công Thương", "Tình trạng báo cáo"].item() == "◐ Chưa đủ nhiệm vụ"
    missing = table.loc[table["Tình trạng báo cáo"] == "✗ Chưa báo cáo", "Cơ quan, đơn vị"].tolist()
    names = page_store.current("agencies").set_index("agency_id").loc[MISSING_2024, "name_vi"].tolist()
    assert missing == names

    assert len(at.get("plotly_chart")) == 2
    assert at.query_params["year"] == "2024"
    expander = at.expander[0]
    assert "Phạm vi" in [m.value.strip("*") for m in expander.markdown]
    assert any("05 huyện, 21 xã, thị trấn biên giới" in m.value for m in expander.markdown)


def test_each_agency_shows_its_tasks_with_the_latest_report(page_store):
    at = run_page()
    at.selectbox(key="border_agency").set_value("sct").run()
    assert not at.exception
    text = [m.value for m in at.markdown]
    assert "◐ Chưa đủ nhiệm vụ · đã báo cáo 2/3 nhiệm vụ" in text
    assert "**Nhiệm vụ 1:** Hoàn thành · 05/11/2024 \\(đúng hạn\\)" in text
    assert "**Nhiệm vụ 3:** Chưa báo cáo" in text
    assert at.query_params["agency"] == "sct"


def test_changing_the_year_and_an_empty_year(page_store):
    at = run_page()
    at.selectbox(key="border_year").set_value(2023).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["1/19", "0/19", "1/19", "17/19"]
    assert at.query_params["year"] == "2023"

    at.selectbox(key="border_year").set_value(2022).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Chưa có báo cáo nào cho năm 2022: tất cả các cơ quan, đơn vị đều chưa báo cáo."]
    assert [m.value for m in at.metric][-1] == "19/19"
    assert len(at.get("plotly_chart")) == 0


def test_before_the_deadline_the_page_says_so(page_store, monkeypatch):
    monkeypatch.setattr(border, "current_date", lambda zone=None: date(2024, 11, 1))
    at = run_page(year="2024")
    assert not at.exception
    assert "Chưa đến hạn báo cáo (15/11/2024): các cơ quan, đơn vị chưa báo cáo chưa bị tính là chậm." in [w.value for w in at.warning]


def test_the_page_in_english_from_the_url(page_store):
    at = run_page(lang="en", year="2024")
    assert not at.exception
    assert at.title[0].value == "Plan 88"
    assert [m.label for m in at.metric][0] == "✓ On time"
    assert "Department of Industry and Trade" in at.dataframe[0].value["Agency"].tolist()


def test_the_router_lists_the_page(page_store):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/border_plan.py").run()
    assert not at.exception
    assert at.title[0].value == "Kế hoạch 88"


def test_a_store_without_any_report(store_env, monkeypatch):
    monkeypatch.setattr(border, "current_date", lambda zone=None: date(2024, 12, 5))
    at = run_page()
    assert not at.exception
    assert at.selectbox(key="border_year").value == 2024  # no reports yet: the current year
    assert "Chưa có báo cáo nào cho năm 2024: tất cả các cơ quan, đơn vị đều chưa báo cáo." in [w.value for w in at.warning]
    assert [m.value for m in at.metric] == ["0/19", "0/19", "0/19", "19/19"]


def test_2025_shows_the_bodies_in_force_and_whom_they_took_over_from(store_env, monkeypatch):
    publish(store_env, "reports_2024.csv", "reports_2025.csv")
    monkeypatch.setattr(border, "current_date", lambda zone=None: date(2025, 12, 1))
    at = run_page()
    assert not at.exception
    assert at.selectbox(key="border_year").value == 2025  # the newest year with reports
    assert [m.value for m in at.metric] == ["0/15", "1/15", "3/15", "11/15"]
    table = at.dataframe[0].value
    assert len(table) == 15
    finance = table[table["Cơ quan, đơn vị"] == "Sở Tài chính"].iloc[0]
    assert finance["Tiếp nhận nhiệm vụ của"] == "Sở Kế hoạch và Đầu tư, Sở Tài chính (cũ)"  # the merged body, not itself
    assert "Sở Kế hoạch và Đầu tư" not in table["Cơ quan, đơn vị"].tolist()
    assert any("gửi báo cáo về Sở Tài chính" in i.value for i in at.info)  # the compiler in force
    assert any(i.value.startswith("Hạn báo cáo năm 2025:") for i in at.info)  # the chosen year's, not "năm nay"
    overdue = [e.value for e in at.error]
    assert len(overdue) == 1 and overdue[0].startswith("Đã quá hạn báo cáo 15/11/2025")
    assert "Sở Nông nghiệp và Môi trường" in overdue[0] and "Sở Tài chính;" not in overdue[0]
    changes = at.dataframe[1].value  # the changes since the plan was issued
    assert "Nghị quyết số 04/NQ-HĐND ngày 18/02/2025" in changes.loc[changes["Cơ quan, đơn vị"] == "Sở Kế hoạch và Đầu tư", "Căn cứ pháp lý"].item()
    assert any("từ 01/7/2025: 65 xã, phường" in m.value for m in at.markdown)

    at.selectbox(key="border_agency").set_value("snv_2025").run()
    captions = [c.value for c in at.caption]
    assert "Tiếp nhận nhiệm vụ của Sở Lao động - Thương binh và Xã hội, Sở Nội vụ \\(cũ\\)" in captions  # markdown-escaped
    assert "Báo cáo do Sở Lao động - Thương binh và Xã hội gửi" in captions

    at.selectbox(key="border_year").set_value(2024).run()  # the year before the change is as it was
    assert [m.value for m in at.metric] == ["4/19", "3/19", "2/19", "10/19"]
    assert "Tiếp nhận nhiệm vụ của" not in at.dataframe[0].value.columns


def test_before_the_deadline_the_page_counts_the_days(store_env, monkeypatch):
    monkeypatch.setattr(border, "current_date", lambda zone=None: date(2026, 11, 5))
    at = run_page()
    assert not at.exception
    assert at.selectbox(key="border_year").value == 2026  # no reports: the current year
    assert "Còn 10 ngày đến hạn báo cáo 15/11/2026." in [m.value for m in at.markdown]
    assert not at.error
