"""The "Đọc báo cáo" flow of the Data update page through AppTest: a report
read, reviewed (a row dropped, a value corrected), checked, previewed and
published once with the report archived."""

from __future__ import annotations

import hashlib

from streamlit.testing.v1 import AppTest

from tests.conftest import ASSETS, PASSWORD, REPO_ROOT

PAGE = str(REPO_ROOT / "pages" / "data_update.py")
REPORT = ASSETS / "reading" / "quang_ninh_2023_q1.txt"


def signed_in(users) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.secrets["auth"] = {"users": users}
    at.run()
    at.text_input(key="login_upload_name").input("lan")
    at.text_input(key="login_upload_password").input(PASSWORD)
    return at.button(key="login_upload_submit").click().run()


def test_a_report_is_reviewed_corrected_and_published_with_the_document(page_app_store, users):
    at = signed_in(users)
    at.file_uploader(key="upload_file").set_value((REPORT.name, REPORT.read_bytes(), "text/plain"))
    at.run()
    assert not at.exception
    figures = at.data_editor(key="reading_figures").value
    assert list(figures["indicator_id"][:2]) == ["grdp_growth", "budget_revenue"]
    assert figures["sentence"][1].count("«") == 1  # the span is marked in its sentence, as plain text
    assert not [b for b in at.button if b.key == "publish_button"]  # nothing to publish before the check

    # the analyst drops the GRDP row and corrects a value (the editor's own edit state)
    at.session_state["reading_figures"] = {"edited_rows": {0: {"keep": False}, 1: {"value": 14801.0}},
                                           "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="reading_check").click().run()
    assert not at.exception
    counts = at.container(key="preview_counts").dataframe[0].value
    assert int(counts.iloc[0, 1:].sum()) == len(figures) - 1  # every kept row, and only those, checked

    at.button(key="publish_button").click().run()
    assert not at.exception and len(at.success) == 1
    store = page_app_store
    current = store.current("observations")
    q1 = current[(current["year"] == 2023) & (current["period"] == "Q1")]
    assert list(q1.loc[q1["indicator_id"] == "budget_revenue", "value"]) == [14801.0]
    assert q1[q1["indicator_id"] == "grdp_growth"].empty
    commit = store.history(("observations",)).iloc[0]
    assert commit["file_name"] == REPORT.name
    assert commit["file_sha256"] == hashlib.sha256(REPORT.read_bytes()).hexdigest()


def test_pasted_text_without_figures_gets_a_message(page_app_store, users):
    at = signed_in(users)
    at.text_area(key="report_text").input("Trời hôm nay nắng đẹp, không có số liệu nào.").run()
    assert not at.exception
    assert "Không tìm thấy số liệu" in at.error[0].value
    assert not [b for b in at.button if b.key == "reading_check"]
