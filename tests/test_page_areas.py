"""Areas over time on the pages (issue 14). The indicator explorer's figures
by area (item 4): figures of communes that ended on 30/6/2025 stay as
recorded; on the boundaries of a later year the flows of the communes a new
commune took in whole are summed for it and labelled "tính lại theo địa giới
mới"; rates are never summed.
The border page names the border communes found with a source (item 2)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.apptest import run_page, run_script, table, texts
from tests.conftest import REPO_ROOT
from tracker import fmt

CAO_LOC = ("VN-09.cao_loc.xa_cao_lau", "VN-09.cao_loc.xa_xuat_le", "VN-09.cao_loc.xa_mau_son")  # → Xã Ba Sơn


def figures(store, indicator_id: str, values: dict[str, float], year: int = 2024) -> None:
    """Publish one FY actual per area for `indicator_id`."""
    template = store.current("observations").drop(columns=["published_at", "published_by", "publish_id"]).iloc[[0]]
    rows = pd.concat([template.assign(
        indicator_id=indicator_id, area_id=area_id, year=year, period="FY", kind="actual", value=value,
        low=None, high=None, qualifier="exact", pct_of_plan=None, yoy_pct=None, source=f"Báo cáo UBND huyện {year}",
        note="",
    ) for area_id, value in values.items()], ignore_index=True)
    store.publish("observations", rows, user="analyst-test")


@pytest.fixture
def commune_figures(store_env):
    # Ba Sơn took in Cao Lâu, Xuất Lễ and Mẫu Sơn whole; Quốc Khánh also took in Tri Phương, which has no figure.
    figures(store_env, "sown_area", dict(zip(CAO_LOC, (1.2, 0.9, 1.5), strict=True)) | {
        "VN-09.trang_dinh.xa_quoc_khanh": 2.0, "VN-09.trang_dinh.xa_doi_can": 1.0})
    figures(store_env, "grdp_growth", dict(zip(CAO_LOC, (7.0, 6.0, 8.0), strict=True)))
    return store_env


def test_a_later_year_shows_flows_recomputed_on_the_new_boundaries(commune_figures):
    at = run_page("explorer", indicator="sown_area")
    assert "Số liệu theo địa bàn" in texts(at.subheader)
    assert at.selectbox(key="rollup_year").value == fmt.today().year  # the newest boundaries first
    shown = table(at, "Cách tính")
    recorded = shown[shown["Cách tính"] == "Số liệu ghi nhận"]
    assert sorted(recorded["Địa bàn"]) == [
        "Xã Cao Lâu (Cao Lộc)", "Xã Mẫu Sơn (Cao Lộc)", "Xã Quốc Khánh (Tràng Định)", "Xã Xuất Lễ (Cao Lộc)",
        "Xã Đội Cấn (Tràng Định)"]
    recomputed = shown[shown["Cách tính"].str.startswith("Tính lại theo địa giới mới")]
    assert recomputed[["Địa bàn", "Năm", "Kỳ", "Loại số liệu", "Số liệu"]].values.tolist() == [
        ["Xã Ba Sơn", "2024", "cả năm", "Thực hiện", "3,6 nghìn ha"]]
    assert recomputed["Cách tính"].iloc[0] == (
        "Tính lại theo địa giới mới: cộng số liệu của Xã Cao Lâu (Cao Lộc), Xã Mẫu Sơn (Cao Lộc), Xã Xuất Lễ (Cao Lộc)")
    assert recomputed["Nguồn"].iloc[0] == ""
    assert any("tỷ lệ, tốc độ, chỉ số không bao giờ được cộng" in c for c in texts(at.caption))


def test_the_old_boundaries_recompute_nothing(commune_figures):
    at = run_page("explorer", indicator="sown_area")
    at.selectbox(key="rollup_year").select(2024).run()
    assert [e.value for e in at.exception] == []
    shown = table(at, "Cách tính")
    assert set(shown["Cách tính"]) == {"Số liệu ghi nhận"} and len(shown) == 5
    assert texts(at.info) == [
        "Chỉ tiêu này chưa có số liệu của toàn tỉnh; dưới đây là số liệu theo huyện, xã.",
        "Chưa có số liệu nào tính lại được theo địa giới năm 2024 (cần số liệu của mọi đơn vị cũ hợp thành một đơn vị mới)."]


def test_a_rate_is_never_summed(commune_figures):
    at = run_page("explorer", indicator="grdp_growth", lang="en")
    shown = table(at, "How it was obtained")
    assert set(shown["How it was obtained"]) == {"As recorded"} and len(shown) == 3
    assert "This indicator is a rate or an index: figures of the old units are not added up on the new boundaries." \
        in texts(at.info)


def test_an_indicator_without_figures_by_area_has_no_such_section(store_env):
    at = run_page("explorer", indicator="sown_area")
    assert "Số liệu theo địa bàn" not in texts(at.subheader)
    assert texts(at.info) == ["Chỉ tiêu này chưa có số liệu hay kế hoạch nào trong kho."]
    at = run_page("explorer", indicator="budget_revenue")
    assert "Số liệu theo địa bàn" not in texts(at.subheader)


def test_the_border_page_names_the_border_communes_found_and_the_communes_that_took_them_in(store_env):
    at = run_script(REPO_ROOT / "pages" / "border_plan.py")
    lines = [m.value.replace("\\", "") for m in at.markdown]  # as read: markdown escapes undone
    found = next(m for m in lines if m.startswith("Xã, thị trấn biên giới đã có nguồn dẫn"))
    assert found.startswith("Xã, thị trấn biên giới đã có nguồn dẫn (18 xã, thị trấn; Kế hoạch không nêu tên):")
    assert "Xã Đội Cấn (Tràng Định)" in found and "Thị trấn Đồng Đăng (Cao Lộc)" in found
    assert "Xã Thanh Long (Văn Lãng)" in found and "Xã Tam Gia (Lộc Bình)" in found and "Xã Bắc Xa (Đình Lập)" in found
    after = next(m for m in lines if m.startswith("Từ 01/7/2025 các xã, thị trấn này thuộc các xã:"))
    assert [n.strip(" .") for n in after.split(":", 1)[1].split(",")] == [
        "Xã Quốc Khánh", "Xã Kháng Chiến", "Xã Quốc Việt", "Xã Đồng Đăng", "Xã Thụy Hùng", "Xã Hoàng Văn Thụ",
        "Xã Cao Lộc", "Xã Ba Sơn", "Xã Mẫu Sơn", "Xã Khuất Xá", "Xã Đình Lập", "Xã Kiên Mộc"]
