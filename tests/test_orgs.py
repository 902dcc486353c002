"""Agencies and areas over time (SPEC §11): the 2025 reorganisation in the
catalogue, compliance by the bodies in force on each year's deadline, task
reports filed by successors and under predecessors' ids, roll-up of figures
of old units, and catalogues whose validity periods overlap or leave a gap."""

from __future__ import annotations

import importlib.util
import io
from datetime import date

import pandas as pd
import pytest

from loaders import seed
from tests.conftest import ASSETS, REPO_ROOT, cli, publish
from tracker import border, orgs
from tracker.errors import TrackerError

AREAS_SCRIPT = REPO_ROOT / "scripts" / "make_areas.py"
LS04 = "Nghị quyết số 04/NQ-HĐND ngày 18/02/2025"


def export(store, table: str, tmp_path, *args: str) -> pd.DataFrame:
    out = tmp_path / f"{table}.csv"
    done = cli("export", table, *args, "-o", str(out), "--store", store.root)
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out, dtype=str, keep_default_na=False)


# -- the legal facts in the exports -----------------------------------------------------------
def test_export_agencies_carries_the_2025_successions(built_store, tmp_path):
    agencies = export(built_store, "agencies", tmp_path).set_index("agency_id")
    assert {"valid_from", "valid_to", "successor_ids", "legal_source"} <= set(agencies.columns)
    merged = {  # 2022 body -> successor, from 1/3/2025 (Nghị quyết 04/NQ-HĐND of Lạng Sơn)
        "skhdt": "stc_2025", "stc": "stc_2025", "snnptnt": "snnmt", "stnmt": "snnmt", "sgtvt": "sxd",
        "stttt": "skhcn_2025", "skhcn": "skhcn_2025", "snv": "snv_2025", "bdt": "sdttg",
    }
    for old, new in merged.items():
        assert agencies.loc[old, ["valid_to", "successor_ids"]].tolist() == ["2025-02-28", new], old
        assert agencies.loc[new, "valid_from"] == "2025-03-01"
        assert agencies.loc[old, "legal_source"].startswith(LS04)
    assert agencies.loc["sldtbxh", "successor_ids"] == "snv_2025;sgddt"  # split, mapped task by task
    assert agencies.loc["ubnd_huyen_bien_gioi", ["valid_to", "successor_ids"]].tolist() == ["2025-06-30", "ubnd_xa_bien_gioi"]
    assert "202/2025/QH15" in agencies.loc["ubnd_huyen_bien_gioi", "legal_source"]
    assert agencies.loc["stc_2025", "name_vi"] == "Sở Tài chính"
    assert agencies.loc["snnmt", "name_vi"] == "Sở Nông nghiệp và Môi trường"
    assert agencies.loc["sdttg", "name_vi"] == "Sở Dân tộc và Tôn giáo"
    kept = ["sct", "sgddt", "syt", "svhttdl", "sngv", "bchqs_bdbp", "cat", "nhcsxh"]
    assert (agencies.loc[kept, ["valid_from", "valid_to", "successor_ids"]] == "").all().all()


def test_export_areas_holds_the_country_and_the_home_province_over_time(built_store, tmp_path):
    areas = export(built_store, "areas", tmp_path).set_index("area_id")
    assert {"valid_from", "valid_to", "successor_ids", "legal_source"} <= set(areas.columns)
    provinces = areas[areas["level"] == "province"]
    before = provinces[provinces["valid_from"] == ""]
    after = provinces[provinces["valid_to"] == ""]
    assert len(before) == 63 and len(after) == 34
    assert areas.loc["VN-09", ["code", "valid_from", "valid_to"]].tolist() == ["20", "", ""]  # kept its boundaries
    assert areas.loc["VN-03", ["valid_to", "successor_ids"]].tolist() == ["2025-06-30", "VN-GSO-08"]  # Hà Giang → Tuyên Quang
    assert "202/2025/QH15" in areas.loc["VN-03", "legal_source"]

    home = areas[areas["parent_id"] == "VN-09"]
    districts = home[home["level"] == "district"]
    assert len(districts) == 11 and (districts["valid_to"] == "2025-06-30").all()
    communes = home[(home["level"] == "commune") & (home["valid_from"] == "2025-07-01")]
    assert len(communes) == 65
    assert communes["name_vi"].str.startswith("Xã ").sum() == 61
    assert sorted(communes.loc[communes["name_vi"].str.startswith("Phường "), "name_vi"]) == [
        "Phường Kỳ Lừa", "Phường Lương Văn Tri", "Phường Tam Thanh", "Phường Đông Kinh"]
    assert communes["legal_source"].str.contains("1672/NQ-UBTVQH15").all()
    old = areas[areas["parent_id"].isin(districts.index)]
    assert (old["valid_to"] == "2025-06-30").all()
    successors = {s for ids in old["successor_ids"] for s in ids.split(";")}
    assert successors == set(communes.index)  # every old commune went somewhere, every new one came from somewhere
    assert set(areas.loc["VN-09.trang_dinh", "successor_ids"].split(";")) >= {"VN-09.xa_that_khe", "VN-09.xa_quoc_khanh"}


def test_the_areas_file_is_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_areas", AREAS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = pd.read_csv(REPO_ROOT / "data" / "areas.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(module.build().astype(object), current.astype(object))


def test_border_communes_are_flagged_with_their_source_and_passed_to_the_new_communes():
    """The border communes found with a source (data/border_communes.csv) are
    flagged until 30/6/2025, and so are the communes that took them in from
    1/7/2025; no other commune is. 88/KH-UBND counts 21 without naming them:
    the list holds only those a source names (18: 4 in Tràng Định, 6 in Cao
    Lộc, 2 in Văn Lãng, 4 in Lộc Bình, 2 in Đình Lập)."""
    areas = pd.read_csv(REPO_ROOT / "data" / "areas.csv", dtype=str, keep_default_na=False).set_index("area_id")
    listed = pd.read_csv(REPO_ROOT / "data" / "border_communes.csv", dtype=str, keep_default_na=False)
    assert (listed["source"] != "").all() and listed["source_url"].str.startswith("http").all()
    communes = areas[areas["level"] == "commune"]
    old = communes[communes["valid_to"] == "2025-06-30"]
    new = communes[communes["valid_from"] == "2025-07-01"]
    flagged_old = old[old["border"] == "true"]
    assert set(flagged_old.index) == set(listed["area_id"])
    assert len(flagged_old) <= 21  # "21 xã, thị trấn biên giới"
    by_district = flagged_old["parent_id"].str.removeprefix("VN-09.").value_counts().to_dict()
    assert by_district == {"trang_dinh": 4, "cao_loc": 6, "van_lang": 2, "loc_binh": 4, "dinh_lap": 2}
    assert set(flagged_old["parent_id"]) <= set(areas.index[(areas["level"] == "district") & (areas["border"] == "true")])
    assert flagged_old.loc["VN-09.trang_dinh.xa_doi_can", "name_vi"] == "Xã Đội Cấn"
    assert flagged_old.loc["VN-09.cao_loc.tt_dong_dang", "name_vi"] == "Thị trấn Đồng Đăng"
    assert flagged_old["note"].str.contains("border_communes.csv").all()
    heirs = {s for ids in flagged_old["successor_ids"] for s in ids.split(";")}
    assert set(new.index[new["border"] == "true"]) == heirs == {
        "VN-09.xa_quoc_khanh", "VN-09.xa_khang_chien", "VN-09.xa_quoc_viet",
        "VN-09.xa_dong_dang", "VN-09.xa_cao_loc", "VN-09.xa_ba_son",
        "VN-09.xa_thuy_hung", "VN-09.xa_hoang_van_thu", "VN-09.xa_mau_son", "VN-09.xa_khuat_xa",
        "VN-09.xa_dinh_lap", "VN-09.xa_kien_moc"}
    assert areas.loc["VN-09.xa_ba_son", "note"] == "gồm địa bàn biên giới của: Xã Cao Lâu, Xã Xuất Lễ, Xã Mẫu Sơn"
    assert areas.loc["VN-09.xa_quoc_khanh", "note"] == "gồm địa bàn biên giới của: Xã Quốc Khánh, Xã Đội Cấn"
    # Lộc Bình has its own Xã Mẫu Sơn (not Cao Lộc's); Bính Xá was split, so both its heirs are flagged
    assert areas.loc["VN-09.xa_mau_son", "note"] == "gồm địa bàn biên giới của: Xã Mẫu Sơn, Xã Yên Khoái, Xã Tú Mịch"
    assert areas.loc["VN-09.xa_kien_moc", "note"] == "gồm địa bàn biên giới của: Xã Bắc Xa, Xã Bính Xá"
    assert areas.loc["VN-09.xa_dinh_lap", "note"] == "gồm địa bàn biên giới của: Xã Bính Xá"


def test_every_legal_fact_of_the_2025_changes_is_checked_or_marked_unchecked():
    """data/legal_checks.csv says, for each legal fact the catalogue relies
    on, whether it was checked and where; an agency whose note says it was
    not checked has an unchecked row, and every agency or area it names exists."""
    checks = pd.read_csv(REPO_ROOT / "data" / "legal_checks.csv", dtype=str, keep_default_na=False)
    agencies = pd.read_csv(REPO_ROOT / "data" / "agencies.csv", dtype=str, keep_default_na=False)
    areas = pd.read_csv(REPO_ROOT / "data" / "areas.csv", dtype=str, keep_default_na=False)
    named = {i for ids in checks["applies_to"] for i in ids.split(";")}
    assert named <= set(agencies["agency_id"]) | set(areas["area_id"])
    assert set(agencies.loc[agencies["legal_source"] != "", "agency_id"]) <= named  # every change is covered
    unchecked = {i for ids in checks.loc[checks["status"].str.startswith("chưa"), "applies_to"] for i in ids.split(";")}
    assert set(agencies.loc[agencies["note"].str.contains("chưa đối chiếu"), "agency_id"]) <= unchecked
    checked = checks[checks["status"].str.startswith("đã đối chiếu")]
    assert (checked["source_url"].str.startswith("http")).all() and (checked["evidence"] != "").all()
    # What was checked is what the catalogue says.
    assert agencies.loc[agencies["agency_id"] == "sngv", "valid_to"].item() == ""
    assert agencies["legal_source"].str.contains("45/2025/NĐ-CP ngày 28/02/2025").sum() == 16


def test_the_areas_script_refuses_a_border_commune_it_does_not_know_or_without_a_source(tmp_path):
    spec = importlib.util.spec_from_file_location("make_areas", AREAS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("plans.csv", "areas.csv"):
        (tmp_path / name).write_bytes((REPO_ROOT / "data" / name).read_bytes())
    header = "area_id,name_vi,source,source_url,reliability\n"
    (tmp_path / "border_communes.csv").write_text(header + "VN-09.tran_dinh.xa_quoc_khanh,Xã Quốc Khánh,x,http://x,press\n")
    with pytest.raises(SystemExit, match="not an old commune.*tran_dinh"):
        module.build(tmp_path)
    (tmp_path / "border_communes.csv").write_text(header + "VN-09.trang_dinh.xa_quoc_khanh,Xã Quốc Khánh, ,,\n")
    with pytest.raises(SystemExit, match="needs its source.*xa_quoc_khanh"):
        module.build(tmp_path)


COMPLIANCE_2025 = """agency_id,predecessor_ids,tasks,reported_on_time,reported_late,missing,agency_status
stc_2025,skhdt;stc,7,6,1,0,late
snnmt,snnptnt;stnmt,7,0,0,7,missing
sct,,3,0,0,3,missing
sxd,sgtvt,3,0,0,3,missing
skhcn_2025,stttt;skhcn,4,0,0,4,missing
sgddt,sldtbxh,2,1,0,1,partial
syt,,3,0,0,3,missing
svhttdl,,1,0,0,1,missing
snv_2025,sldtbxh;snv,3,1,0,2,partial
sngv,,3,0,0,3,missing
sdttg,bdt,1,0,0,1,missing
bchqs_bdbp,,4,0,0,4,missing
cat,,4,0,0,4,missing
nhcsxh,,1,0,0,1,missing
ubnd_xa_bien_gioi,ubnd_huyen_bien_gioi,4,1,0,3,partial
"""


def test_compliance_by_year_follows_the_bodies_in_force(fresh_store, tmp_path):
    """2024: the plan's 19 agencies; 2025 and 2026: the 15 bodies in force on
    15 November, each with the predecessors it answers for; reports filed by
    successors and under predecessors' ids, imported as an analyst would."""
    done = cli("import", str(ASSETS / "border" / "reports_2025.csv"), "--store", fresh_store.root, "--user", "test")
    assert done.returncode == 0, done.stderr
    publish(fresh_store, "reports_2024.csv")
    y2024 = export(fresh_store, "compliance", tmp_path, "--year", "2024")
    assert len(y2024) == 19 and y2024["agency_id"].iloc[0] == "skhdt" and (y2024["predecessor_ids"] == "").all()
    y2025 = export(fresh_store, "compliance", tmp_path, "--year", "2025").drop(columns="agency")
    expected = pd.read_csv(io.StringIO(COMPLIANCE_2025), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(y2025, expected)
    y2026 = export(fresh_store, "compliance", tmp_path, "--year", "2026")
    assert y2026["agency_id"].tolist() == expected["agency_id"].tolist()
    assert (y2026["agency_status"] == "missing").all()


def test_the_compiler_and_the_summary_follow_the_year(fresh_store):
    publish(fresh_store, "reports_2025.csv")
    plan = border.BorderPlan.from_store(fresh_store)
    assert plan.compiler(2024)["agency_id"] == "skhdt"
    assert plan.compiler(2025)["agency_id"] == "stc_2025"
    per_task = plan.per_task(2025).set_index("task_id")
    assert per_task.loc["skhdt.4", ["agency_id", "filed_by"]].tolist() == ["stc_2025", "skhdt"]
    assert per_task.loc["sldtbxh.1", ["agency_id", "filed_by"]].tolist() == ["snv_2025", "sldtbxh"]
    assert per_task.loc["sldtbxh.2", "agency_id"] == "sgddt"


def test_a_report_from_outside_the_succession_is_refused_naming_both(built_store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "task_id,agency_id,year,status,summary,reported_on\n"
        "skhdt.1,sdttg,2023,done,x,2023-11-01\n", encoding="utf-8")
    done = cli("import", str(bad), "--store", built_store.root, "--user", "test")
    assert done.returncode != 0
    assert "Sở Dân tộc và Tôn giáo (sdttg) không tồn tại trong năm 2023" in done.stdout + done.stderr
    assert "Sở Kế hoạch và Đầu tư (skhdt)" in done.stdout + done.stderr
    assert built_store.current("task_reports").empty


def test_responsible_agency_passes_tasks_on_the_date_of_the_change(built_store):
    plan = border.BorderPlan.from_store(built_store)
    bodies = plan.bodies
    assert bodies.responsible_agency("skhdt.1", "skhdt", date(2025, 2, 28)) == "skhdt"
    assert bodies.responsible_agency("skhdt.1", "skhdt", date(2025, 3, 1)) == "stc_2025"
    assert bodies.responsible_agency("skhdt.1", "stc", date(2025, 11, 15)) == "stc_2025"  # merged into the same body
    assert bodies.responsible_agency("skhdt.1", "sngv", date(2025, 11, 15)) is None
    assert bodies.responsible_agency("ubnd_huyen_bien_gioi.2", "ubnd_huyen_bien_gioi", date(2025, 6, 30)) == "ubnd_huyen_bien_gioi"
    assert bodies.responsible_agency("ubnd_huyen_bien_gioi.2", "ubnd_huyen_bien_gioi", date(2025, 7, 1)) == "ubnd_xa_bien_gioi"
    assert [a for a, _, _ in bodies.chain("sldtbxh.2")] == ["sldtbxh", "sgddt"]


# -- bad catalogues are refused at build ----------------------------------------------------------
def agencies_frame(rows: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO("agency_id,valid_from,valid_to,successor_ids,legal_source\n" + rows),
                       dtype=str, keep_default_na=False)


@pytest.mark.parametrize(("rows", "key"), [
    ("a,,2025-02-28,b,x\nb,2025-03-05,,,x\n", "orgs.gap"),
    ("a,,2025-02-28,b,x\nb,2025-02-01,,,x\n", "orgs.overlap"),
    ("a,,,b,x\nb,2025-03-01,,,x\n", "orgs.successor_without_end"),
    ("a,,2025-02-28,c,x\n", "orgs.unknown_successor"),
    ("a,2025-03-01,2025-02-28,,x\n", "orgs.period_reversed"),
    ("a,,2025-02-28,b,x\nb,,2025-01-31,,x\n", "orgs.gap"),
])
def test_periods_that_overlap_or_leave_a_gap_are_refused(rows, key):
    with pytest.raises(TrackerError) as error:
        orgs.check_periods(agencies_frame(rows), "agency_id", "agencies")
    assert error.value.key == key
    orgs.check_periods(agencies_frame("a,,2025-02-28,b,x\nb,2025-03-01,,,x\nc,,,,\n"), "agency_id", "agencies")


def test_a_build_with_overlapping_periods_changes_nothing(built_store, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in (REPO_ROOT / "data").glob("*.csv"):
        (data / path.name).write_bytes(path.read_bytes())
    (data / "observations").symlink_to(REPO_ROOT / "data" / "observations")
    agencies = pd.read_csv(data / "agencies.csv", dtype=str, keep_default_na=False)
    agencies.loc[agencies["agency_id"] == "stc_2025", "valid_from"] = "2025-01-01"
    agencies.to_csv(data / "agencies.csv", index=False)
    before = built_store.version("agencies")
    with pytest.raises(TrackerError) as error:
        seed.run(built_store, data)
    assert error.value.key == "orgs.overlap" and "stc_2025" in error.value.message("vi")
    assert built_store.version("agencies") == before


def test_a_split_without_the_task_mapped_is_refused(built_store):
    tasks = built_store.current("tasks")
    with pytest.raises(TrackerError) as error:
        orgs.Bodies.of(built_store.current("agencies"), tasks, None).check()
    assert error.value.key == "orgs.split_unmapped" and error.value.params["agency"] == "sldtbxh"


# -- figures of units that no longer exist ----------------------------------------------------------
def test_roll_up_sums_flows_of_whole_units_and_never_rates():
    areas = pd.DataFrame({
        "area_id": ["a", "b", "c", "n", "m1", "m2"],
        "valid_from": ["", "", "", "2025-07-01", "2025-07-01", "2025-07-01"],
        "valid_to": ["2025-06-30", "2025-06-30", "2025-06-30", "", "", ""],
        "successor_ids": ["n", "n", "m1;m2", "", "", ""],
    })
    indicators = pd.DataFrame({"indicator_id": ["planted", "growth"], "measure": ["flow", "rate"]})
    rows = [("planted", "a", 10.0), ("planted", "b", 5.5), ("growth", "a", 7.0), ("growth", "b", 6.0), ("planted", "c", 3.0)]
    observations = pd.DataFrame([
        {"indicator_id": i, "area_id": a, "year": 2024, "period": "FY", "kind": "actual", "value": v, "low": None,
         "high": None, "qualifier": "exact", "pct_of_plan": None, "yoy_pct": None, "source": "s", "note": None}
        for i, a, v in rows
    ])
    out = orgs.roll_up(observations, areas, indicators, date(2026, 1, 1))
    assert out.columns.tolist() == observations.columns.tolist()
    assert out[["indicator_id", "area_id", "value", "note"]].values.tolist() == [["planted", "n", 15.5, orgs.RECOMPUTED_NOTE]]
    # Before the change nothing is rolled up; a unit missing a part is not summed.
    assert orgs.roll_up(observations, areas, indicators, date(2025, 6, 30)).empty
    assert orgs.roll_up(observations[observations["area_id"] != "b"], areas, indicators, date(2026, 1, 1)).empty


def test_roll_up_of_communes_is_not_stopped_by_their_district_being_split():
    """A district split between many new communes (as every district was on
    1/7/2025) says nothing of its communes: those a new commune took in whole
    are summed for it; a district and its own communes are never summed together."""
    areas = pd.DataFrame({
        "area_id": ["d", "a", "b", "n", "m"],
        "level": ["district", "commune", "commune", "commune", "commune"],
        "valid_from": ["", "", "", "2025-07-01", "2025-07-01"],
        "valid_to": ["2025-06-30", "2025-06-30", "2025-06-30", "", ""],
        "successor_ids": ["n;m", "n", "n", "", ""],
    })
    indicators = pd.DataFrame({"indicator_id": ["planted"], "measure": ["flow"]})
    observations = pd.DataFrame([
        {"indicator_id": "planted", "area_id": a, "year": 2024, "period": "FY", "kind": "actual", "value": v,
         "qualifier": "exact", "source": "s", "note": None} for a, v in (("a", 1.5), ("b", 2.0), ("d", 9.0))
    ])
    out = orgs.roll_up(observations, areas, indicators, date(2026, 1, 1))
    assert out[["area_id", "value", "source"]].values.tolist() == [["n", 3.5, "a; b"]]
    whole_district = areas.assign(successor_ids=["n", "n", "n", "", ""])
    assert orgs.roll_up(observations, whole_district, indicators, date(2026, 1, 1)).empty


def test_the_preview_says_whom_a_predecessors_report_counts_for(built_store):
    from tracker import preview

    reports = pd.read_csv(ASSETS / "border" / "reports_2025.csv", dtype=str, keep_default_na=False)
    reports = reports.assign(year=reports["year"].astype("int64"), change="new")
    rows = preview.task_report_rows(reports, "new", built_store.current("tasks"), built_store.current("agencies"), "vi",
                                    built_store.current("plans"), built_store.current("task_successions"))
    counted = dict(zip(rows["Mã nhiệm vụ"], rows["Tính cho"], strict=True))
    assert counted["skhdt.4"] == "Tính cho Sở Tài chính (cơ quan tiếp nhận nhiệm vụ)"
    assert counted["sldtbxh.1"] == "Tính cho Sở Nội vụ (cơ quan tiếp nhận nhiệm vụ)"
    assert counted["skhdt.1"] == ""  # filed by the body in force itself
