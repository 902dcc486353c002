"""The "Lịch sử cập nhật" page through Streamlit's AppTest: every version,
the data as of one, and a restore with its confirmation."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders import upload
from tests.conftest import ASSETS, PASSWORD, REPO_ROOT
from tracker import auth, schema

PAGE = str(REPO_ROOT / "pages" / "history.py")
REVISION = ASSETS / "data_update" / "revise_and_add.csv"


@pytest.fixture
def page_store(store_env, monkeypatch):
    """A private store with one analyst's publish on top of the build."""
    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    prepared = upload.prepare(store_env, REVISION.read_bytes(), REVISION.name)
    assert prepared.ok
    upload.publish(store_env, prepared, "lan")
    return store_env


def app(users: dict, **auth_settings) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.secrets["auth"] = {"users": users, **auth_settings}
    return at.run()


def sign_in(at: AppTest, action: str, name: str) -> AppTest:
    at.text_input(key=f"login_{action}_name").input(name)
    at.text_input(key=f"login_{action}_password").input(PASSWORD)
    return at.button(key=f"login_{action}_submit").click().run()


def table(at: AppTest, key: str) -> pd.DataFrame:
    return at.container(key=key).dataframe[0].value.reset_index(drop=True)


def test_every_version_is_listed(page_store, users):
    at = app(users)
    assert not at.exception
    assert at.title[0].value == "Lịch sử cập nhật"
    log = table(at, "history_table")
    built = len(page_store.read("observations", 0))
    assert list(log.columns) == [
        "Bảng", "Phiên bản", "Thời điểm (giờ Việt Nam)", "Thao tác", "Người thực hiện", "Tệp",
        "Số liệu mới", "Số liệu điều chỉnh", "Phục hồi từ phiên bản", "SHA-256 của tệp",
    ]
    latest = page_store.version("observations")
    rows = log[["Bảng", "Phiên bản", "Thao tác", "Người thực hiện", "Tệp", "Số liệu mới", "Số liệu điều chỉnh"]].astype(str).values.tolist()
    assert rows[0] == ["Số liệu", str(latest), "Cập nhật số liệu", "lan", "revise_and_add.csv", "2", "1"]
    # The build publishes the seed's layers as versions 0 .. latest - 1, oldest last.
    assert [r[1] for r in rows] == [str(v) for v in range(latest, -1, -1)]
    assert {r[2] for r in rows[1:]} == {"Xây dựng từ dữ liệu gốc"}
    assert rows[-1] == ["Số liệu", "0", "Xây dựng từ dữ liệu gốc", "build", "data/observations", str(built), "0"]
    assert log["SHA-256 của tệp"][0] == page_store.history(("observations",))["file_sha256"][0]
    # The current version is shown and cannot be restored onto itself.
    assert at.selectbox(key="history_pick_version").value == latest
    assert len(table(at, "history_data")) == len(page_store.current("observations"))
    assert f"Phiên bản {latest} là phiên bản hiện hành." in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "restore_button"]


def test_an_earlier_version_is_shown_and_restore_needs_an_analyst(page_store, users):
    at = app(users)
    at.selectbox(key="history_pick_version").set_value(0).run()
    assert not at.exception
    # The data as of a version in the reader's words: names, periods and kinds, Vietnamese numbers.
    expected = page_store.current("observations", 0)
    shown = table(at, "history_data")
    assert len(shown) == len(expected)
    assert list(shown.columns)[:6] == ["Chỉ tiêu", "Địa bàn", "Năm", "Kỳ", "Loại số liệu", "Số liệu"]
    trade = shown[(shown["Chỉ tiêu"] == "Tổng kim ngạch xuất nhập khẩu") & (shown["Kỳ"] == "6 tháng đầu năm")
                  & (shown["Năm"] == "2018")]
    assert trade[["Địa bàn", "Năm", "Loại số liệu", "Số liệu", "% kế hoạch (theo báo cáo)", "% so với cùng kỳ"]].values.tolist() == [
        ["Lạng Sơn", "2018", "Thực hiện", "2.430 triệu USD", "50,4%", "+5%"],
    ]
    assert "VN-09" not in set(shown["Địa bàn"]) and "grdp_growth" not in set(shown["Chỉ tiêu"])
    assert [i.value for i in at.info] == ["Phục hồi phiên bản cần đăng nhập bằng tài khoản cán bộ cập nhật số liệu."]
    assert at.download_button(key="history_download")

    at = sign_in(at, "restore", "minh")
    assert [w.value for w in at.warning] == ["Tài khoản minh không có quyền này; cần vai trò cán bộ cập nhật số liệu."]
    assert not [b for b in at.button if b.key == "restore_button"]


def test_restore_asks_for_confirmation_and_makes_a_new_version(page_store, users):
    store = page_store
    at = app(users)
    at.selectbox(key="history_pick_version").set_value(0).run()
    at = sign_in(at, "restore", "lan")
    at.button(key="restore_button").click().run()
    assert not at.exception
    latest = store.version("observations")  # the build's layers, then the publish
    assert [w.value for w in at.warning] == [
        f"Phục hồi bảng Số liệu về phiên bản 0? Dữ liệu hiện hành (phiên bản {latest}) sẽ được thay bằng nội dung của "
        "phiên bản 0 trong một phiên bản mới."
    ]
    assert store.version("observations") == latest  # nothing happens before the confirmation

    at.button(key="restore_cancel").click().run()
    assert store.version("observations") == latest and not at.warning
    at.button(key="restore_button").click().run()
    at.button(key="restore_confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Đã phục hồi bảng Số liệu về phiên bản 0; phiên bản mới: {latest + 1}."]
    assert store.version("observations") == latest + 1
    pd.testing.assert_frame_equal(
        store.current("observations")[schema.OBSERVATION_COLUMNS], store.current("observations", 0)[schema.OBSERVATION_COLUMNS],
    )
    log = table(at, "history_table")
    assert log[["Phiên bản", "Thao tác", "Người thực hiện", "Phục hồi từ phiên bản"]].astype(str).values.tolist()[0] == [
        str(latest + 1), "Phục hồi", "lan", "0",
    ]
    # Nothing is deleted: the publish undone stays readable at its version.
    assert len(store.read("observations", latest)) == len(store.read("observations", latest - 1)) + 3
    assert (store.current("observations", latest)["note"] == "test revision").sum() == 1
