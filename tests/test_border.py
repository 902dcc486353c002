"""The border plan (88/KH-UBND): compliance against the reporting deadline,
status by focus task, the compliance export and the December summary, on a
real store with the test reports in tests/assets/border/ published."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from docx import Document

from tests.conftest import BORDER, MISSING_2024, cli, publish, read_reports
from tracker import border, border_charts, border_summary
from tracker.store import Store

# Who did what in tests/assets/border/reports_2024.csv (see its README).
ON_TIME_2024 = ["skhdt", "stc", "sgddt", "cat"]
LATE_2024 = ["snnptnt", "sgtvt", "nhcsxh"]
PARTIAL_2024 = ["sct", "bchqs_bdbp"]

COMPLIANCE_2024 = """agency_id,tasks,reported_on_time,reported_late,missing,agency_status
skhdt,5,5,0,0,on_time
stc,2,2,0,0,on_time
snnptnt,4,3,1,0,late
sct,3,2,0,1,partial
sgtvt,3,0,3,0,late
stttt,2,0,0,2,missing
stnmt,3,0,0,3,missing
skhcn,2,0,0,2,missing
sgddt,1,1,0,0,on_time
syt,3,0,0,3,missing
svhttdl,1,0,0,1,missing
sldtbxh,2,0,0,2,missing
snv,2,0,0,2,missing
sngv,3,0,0,3,missing
bdt,1,0,0,1,missing
bchqs_bdbp,4,0,1,3,partial
cat,4,4,0,0,on_time
nhcsxh,1,0,1,0,late
ubnd_huyen_bien_gioi,4,0,0,4,missing
"""


@pytest.fixture
def reported(fresh_store) -> Store:
    """A store with the 2023 and 2024 test reports published."""
    publish(fresh_store, "reports_2023.csv", "reports_2024.csv")
    return fresh_store


def expected(csv_text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(csv_text), dtype={"agency_id": "str", "agency_status": "str"})
    return frame.astype({c: "int64" for c in ("tasks", "reported_on_time", "reported_late", "missing")})


# -- the deadline rule ----------------------------------------------------------
def test_deadline_comes_from_the_plan_row(built_store):
    plan = border.BorderPlan.from_store(built_store)
    assert plan.plan["number"] == "88/KH-UBND"
    assert plan.deadline(2024) == date(2024, 11, 15)
    plans = built_store.current("plans")
    plans.loc[plans["plan_id"] == "88/KH-UBND", ["report_deadline_month", "report_deadline_day"]] = [12, 1]
    moved = border.BorderPlan.from_frames(
        plans, plan.items, built_store.current("agencies"), built_store.current("tasks"), plan.reports, plan.areas,
    )
    assert moved.deadline(2024) == date(2024, 12, 1)


def test_a_report_dated_on_the_deadline_is_on_time():
    dates = pd.Series(pd.to_datetime(["2024-11-14 00:00", "2024-11-15 00:00", "2024-11-15 17:30", "2024-11-16 00:00", None]))
    assert border.DEADLINE_DAY_IS_ON_TIME
    assert border.is_on_time(dates, date(2024, 11, 15)).tolist() == [True, True, True, False, False]
    assert not border.deadline_passed(date(2024, 11, 15), date(2024, 11, 15))
    assert border.deadline_passed(date(2024, 11, 15), date(2024, 11, 16))


def test_the_compiler_is_the_agency_the_summary_rule_names(built_store):
    compiler = border.BorderPlan.from_store(built_store).compiler()
    assert compiler["agency_id"] == "skhdt"
    assert compiler["name_vi"] == "Sở Kế hoạch và Đầu tư"


# -- compliance ----------------------------------------------------------------------
def test_compliance_before_on_and_after_the_deadline_and_missing(reported):
    table = border.compliance_table(reported, 2024, "vi")
    agencies = reported.current("agencies").set_index("agency_id")
    assert table["agency"].tolist() == agencies.loc[table["agency_id"], "name_vi"].tolist()
    pd.testing.assert_frame_equal(
        table.drop(columns=["agency", "predecessor_ids"]).reset_index(drop=True), expected(COMPLIANCE_2024),
    )
    assert len(table) == 19
    assert (table["predecessor_ids"] == "").all()  # 2024: the plan's own agencies, nobody took over yet


def test_compliance_counts_statuses_and_the_newest_report_date(reported):
    plan = border.BorderPlan.from_store(reported)
    frame = plan.compliance(2024).set_index("agency_id")
    assert frame.loc["skhdt", ["status_done", "status_in_progress", "status_not_started"]].tolist() == [2, 2, 1]
    assert frame.loc["sgtvt", ["status_done", "status_in_progress", "status_not_started"]].tolist() == [0, 2, 1]
    assert frame.loc["snnptnt", "last_reported_on"] == pd.Timestamp("2024-11-16")
    assert pd.isna(frame.loc["syt", "last_reported_on"])
    assert frame["name_en"].notna().all() and frame["plan_item"].tolist() == list(range(1, 20))


def test_a_later_upload_revises_the_report(reported):
    publish(reported, "reports_2024_revision.csv")
    frame = border.BorderPlan.from_store(reported).compliance(2024).set_index("agency_id")
    assert frame.loc["skhdt", ["status_done", "status_in_progress", "agency_status"]].tolist() == [3, 1, "on_time"]
    # sct's missing task came in on 18/11: every task reported, one late.
    assert frame.loc["sct", ["reported_on_time", "reported_late", "missing", "agency_status"]].tolist() == [2, 1, 0, "late"]


def test_reports_count_only_for_their_year(reported):
    frame = border.BorderPlan.from_store(reported).compliance(2023).set_index("agency_id")
    assert frame.loc["syt", "agency_status"] == "on_time"
    assert frame.loc["skhdt", ["reported_late", "missing", "agency_status"]].tolist() == [1, 4, "partial"]
    assert sorted(frame.index[frame["agency_status"] == "missing"]) == sorted(set(frame.index) - {"syt", "skhdt"})
    nothing = border.BorderPlan.from_store(reported).compliance(2030)
    assert (nothing["agency_status"] == "missing").all() and (nothing["missing"] == nothing["tasks"]).all()


def test_a_report_for_another_agencys_task_is_ignored(reported):
    plan = border.BorderPlan.from_store(reported)
    stray = read_reports("reports_2024.csv").head(1).assign(agency_id="stc")  # skhdt.1 claimed by stc
    frame = border.compliance(plan.tasks, plan.agencies, pd.concat([plan.reports, stray]), 2024, plan.deadline(2024))
    assert frame.set_index("agency_id").loc["stc", "tasks"] == 2
    assert frame.set_index("agency_id").loc["stc", "reported_on_time"] == 2


def test_status_by_focus_task(reported):
    plan = border.BorderPlan.from_store(reported)
    frame = plan.by_focus_task(2024)
    counts = pd.read_csv(io.StringIO(
        "focus_task_id,tasks,done,in_progress,not_started,not_reported\n"
        "ft1,9,2,1,1,5\nft2,4,1,2,0,1\nft3,9,1,2,1,5\nft4,9,3,2,0,4\nft5,19,5,2,0,12\n"
    ), dtype={"focus_task_id": "str"})
    pd.testing.assert_frame_equal(frame.drop(columns=["text_vi", "text_en"]), counts)
    items = reported.current("plan_items")
    focus = items[items["item_type"] == "focus_task"].sort_values("seq")
    assert frame["text_vi"].tolist() == focus["text_vi"].tolist()
    assert frame["text_vi"].iloc[2] == "Phát triển kết cấu hạ tầng khu vực biên giới;"


def test_an_agencys_tasks_with_their_latest_report(reported):
    plan = border.BorderPlan.from_store(reported)
    frame = plan.agency_tasks(2024, "sct")
    assert frame["task_id"].tolist() == ["sct.1", "sct.2", "sct.3"]
    assert frame["status"].fillna("-").tolist() == ["done", "in_progress", "-"]
    assert frame["on_time"].tolist() == [True, True, pd.NA]
    late = plan.agency_tasks(2024, "snnptnt")
    assert late["on_time"].tolist() == [True, True, True, False]
    assert late["summary"].iloc[3] == "[Dữ liệu thử nghiệm] Nhiệm vụ báo cáo sau hạn một ngày."


# -- the compliance export through the command line ------------------------------------
def test_export_compliance_via_the_cli(reported, tmp_path):
    out = tmp_path / "compliance.csv"
    done = cli("export", "compliance", "--year", "2024", "--format", "csv", "-o", str(out), "--store", reported.root)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out, dtype={"agency_id": "str", "agency": "str", "agency_status": "str"})
    assert frame.columns.tolist() == border.COMPLIANCE_TABLE_COLUMNS
    pd.testing.assert_frame_equal(frame.drop(columns=["agency", "predecessor_ids"]), expected(COMPLIANCE_2024))
    assert frame["predecessor_ids"].isna().all()

    xlsx = tmp_path / "compliance.xlsx"
    done = cli("export", "compliance", "--year", "2024", "--format", "xlsx", "-o", str(xlsx), "--store", reported.root, "--lang", "en")
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(border.COMPLIANCE_TABLE_COLUMNS)
    assert rows[1][:2] == ("skhdt", "Department of Planning and Investment")
    status = rows[0].index("agency_status")
    assert [r[0] for r in rows[1:] if r[status] == "missing"] == MISSING_2024


def test_export_compliance_needs_a_year(reported, tmp_path):
    done = cli("export", "compliance", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--store", reported.root)
    assert done.returncode == 1
    assert "--year" in done.stderr
    assert not (tmp_path / "x.csv").exists()


# -- the December summary ----------------------------------------------------------------
def names_vi(store: Store, ids: list[str]) -> list[str]:
    return store.current("agencies").set_index("agency_id").loc[ids, "name_vi"].tolist()


def paragraphs_between(doc, start: str, stop: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    return texts[texts.index(start) + 1:texts.index(stop)]


def test_summary_docx_reopened(reported):
    data = border_summary.december_summary(reported, 2024, "docx", "vi", today=date(2024, 12, 5))
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]

    # Administrative heading: issuing body and compiler from data, the national motto.
    left, right = (" / ".join(p.text for p in cell.paragraphs) for cell in doc.tables[0].rows[0].cells)
    assert left.startswith("UBND TỈNH LẠNG SƠN / SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    assert right.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc")
    assert "Lạng Sơn, ngày" in right and "tháng 12 năm 2024" in right
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["BÁO CÁO"]
    assert (
        "Tổng hợp tình hình thực hiện Kế hoạch số 88/KH-UBND ngày 22/4/2022 của UBND tỉnh Lạng Sơn "
        "thực hiện Nghị quyết số 23/NQ-CP ngày 02/3/2022 của Chính phủ, năm 2024"
    ) in texts
    assert "Kính gửi: UBND tỉnh." in texts

    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "II. KẾT QUẢ THỰC HIỆN CỦA TỪNG CƠ QUAN, ĐƠN VỊ",
        "III. CÁC CƠ QUAN, ĐƠN VỊ CHƯA BÁO CÁO",
        "IV. TÌNH HÌNH THỰC HIỆN THEO NHIỆM VỤ TRỌNG TÂM",
    ]

    # I: counts of 19 and the agencies named in each group.
    general = paragraphs_between(doc, headings[0], headings[1])
    assert "Tính đến ngày 05/12/2024:" in general
    assert "báo cáo ghi ngày 15/11/2024 được tính là đúng hạn" in general[0]
    groups = {
        "- Báo cáo đúng hạn": ON_TIME_2024, "- Báo cáo chậm so với thời hạn": LATE_2024,
        "- Báo cáo chưa đủ các nhiệm vụ được giao": PARTIAL_2024, "- Chưa báo cáo": MISSING_2024,
    }
    for lead, ids in groups.items():
        line = next(x for x in general if x.startswith(lead + ":"))
        assert line == f"{lead}: {len(ids)}/19 cơ quan, đơn vị: {'; '.join(names_vi(reported, ids))}."
    assert (
        "Về nhiệm vụ: 23/50 nhiệm vụ đã được báo cáo, trong đó 12 nhiệm vụ hoàn thành, 9 nhiệm vụ đang thực hiện, "
        "2 nhiệm vụ chưa triển khai; 27 nhiệm vụ chưa được báo cáo."
    ) in general

    # II: every agency present, in the plan's order; late tasks say so.
    agencies = reported.current("agencies").dropna(subset=["plan_item"]).sort_values("plan_item")  # 2024's bodies
    agencies = agencies.astype({"plan_item": "int64"})
    per_agency = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert per_agency == [f"{i}. {n}" for i, n in zip(agencies["plan_item"], agencies["name_vi"], strict=True)]
    section_2 = paragraphs_between(doc, headings[1], headings[2])
    assert "Kết quả: Hoàn thành. [Dữ liệu thử nghiệm] Hướng dẫn thủ tục vay vốn. (Báo cáo ngày 16/11/2024, sau thời hạn.)" in section_2
    assert "Kết quả: Chưa báo cáo." in section_2  # sct.3, bchqs_bdbp's other tasks
    assert "Tình trạng báo cáo: chưa báo cáo (4 nhiệm vụ được giao)." in section_2

    # III: exactly the agencies that sent nothing, then the incomplete ones.
    section_3 = paragraphs_between(doc, headings[2], headings[3])
    assert section_3[0] == "Có 10/19 cơ quan, đơn vị chưa gửi báo cáo:"
    missing = reported.current("agencies").set_index("agency_id").loc[MISSING_2024]
    assert section_3[1:11] == [f"{i}. {name} ({tasks} nhiệm vụ)." for i, (name, tasks) in enumerate(
        zip(missing["name_vi"], [2, 3, 2, 3, 1, 2, 2, 3, 1, 4], strict=True), start=1)]
    assert section_3[11:14] == [
        "Có 2 cơ quan, đơn vị báo cáo chưa đủ các nhiệm vụ được giao:",
        "1. Sở Công Thương: chưa báo cáo 1/3 nhiệm vụ (nhiệm vụ số 3).",
        "2. Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội biên phòng tỉnh: chưa báo cáo 3/4 nhiệm vụ (nhiệm vụ số 1, 3, 4).",
    ]

    # IV: status by focus task with a total row.
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert rows[0] == ["STT", "Nhiệm vụ trọng tâm", "Số nhiệm vụ", "Hoàn thành", "Đang thực hiện", "Chưa triển khai", "Chưa báo cáo"]
    assert rows[3] == ["3", "Phát triển kết cấu hạ tầng khu vực biên giới", "9", "1", "2", "1", "5"]
    assert rows[-1] == ["", "Tổng cộng", "50", "12", "9", "2", "27"]

    # The closing block and the administrative typeface.
    recipients = [p.text for p in doc.tables[2].rows[0].cells[0].paragraphs]
    assert recipients == ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Lưu: VT."]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13


def test_summary_before_the_deadline_and_for_an_empty_year(reported):
    doc = Document(io.BytesIO(border_summary.december_summary(reported, 2024, "docx", "vi", today=date(2024, 11, 1))))
    assert "Tính đến ngày 01/11/2024 (chưa đến hạn báo cáo 15/11/2024):" in [p.text for p in doc.paragraphs]

    doc = Document(io.BytesIO(border_summary.december_summary(reported, 2030, "docx", "vi", today=date(2030, 12, 1))))
    texts = [p.text for p in doc.paragraphs]
    # 2030 is judged by the 15 bodies in force after the 2025 reorganisation.
    assert "Có 15/15 cơ quan, đơn vị chưa gửi báo cáo:" in texts
    assert "- Báo cáo đúng hạn: 0/15 cơ quan, đơn vị: không có." in texts
    assert len([p for p in doc.paragraphs if p.style.name == "Heading 2"]) == 15


def test_summary_in_english(reported):
    doc = Document(io.BytesIO(border_summary.december_summary(reported, 2024, "docx", "en", today=date(2024, 12, 5))))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[2] == "III. AGENCIES THAT HAVE NOT REPORTED"
    assert "10/19 agencies have not sent a report:" in [p.text for p in doc.paragraphs]


def test_summary_xlsx_reopened(reported):
    book = openpyxl.load_workbook(io.BytesIO(border_summary.december_summary(reported, 2024, "xlsx", "vi", today=date(2024, 12, 5))))
    assert book.sheetnames == ["Tổng hợp", "Theo cơ quan", "Chi tiết nhiệm vụ", "Chưa báo cáo", "Nhiệm vụ trọng tâm"]

    overview = {r[0]: r[1:] for r in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert overview["Cơ quan, đơn vị báo cáo đúng hạn"] == ("4/19", "; ".join(names_vi(reported, ON_TIME_2024)))
    assert overview["Cơ quan, đơn vị báo cáo chậm"] == ("3/19", "; ".join(names_vi(reported, LATE_2024)))
    assert overview["Cơ quan, đơn vị chưa báo cáo"] == ("10/19", "; ".join(names_vi(reported, MISSING_2024)))
    assert overview["Nhiệm vụ chưa được báo cáo"][0] == "27"

    agencies = list(book["Theo cơ quan"].iter_rows(values_only=True))
    assert len(agencies) == 20  # header + every agency
    assert agencies[4][1:4] == ("Sở Công Thương", "◐ Chưa đủ nhiệm vụ", 3)

    not_reported = list(book["Chưa báo cáo"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in not_reported] == names_vi(reported, [a for a in COMPLIANCE_ORDER if a in MISSING_2024 + PARTIAL_2024])

    tasks = list(book["Chi tiết nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert len(tasks) == 50
    formula = next(r for r in tasks if r[0] == "Sở Giáo dục và Đào tạo")
    assert formula[5].startswith("'=1+1")  # escaped: a summary never runs as a formula

    focus = list(book["Nhiệm vụ trọng tâm"].iter_rows(values_only=True))
    assert focus[-1][1:] == ("Tổng cộng", 50, 12, 9, 2, 27)


COMPLIANCE_ORDER = expected(COMPLIANCE_2024)["agency_id"].tolist()


def test_summary_via_the_cli(reported, tmp_path):
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"summary.{fmt}"
        done = cli("summary", "--year", "2024", "--format", fmt, "-o", str(out), "--store", reported.root)
        assert done.returncode == 0, done.stderr
    assert "III. CÁC CƠ QUAN, ĐƠN VỊ CHƯA BÁO CÁO" in [p.text for p in Document(tmp_path / "summary.docx").paragraphs]
    assert "Chưa báo cáo" in openpyxl.load_workbook(tmp_path / "summary.xlsx").sheetnames


def test_charts_are_colour_blind_safe_and_vietnamese(reported):
    plan = border.BorderPlan.from_store(reported)
    fig = border_charts.focus_chart(plan.by_focus_task(2024), "vi")
    assert fig.layout.separators == ",."
    assert [trace.name for trace in fig.data] == ["Hoàn thành", "Đang thực hiện", "Chưa triển khai", "Chưa báo cáo"]
    assert [trace.marker.color for trace in fig.data] == ["#0072B2", "#E69F00", "#CC79A7", "#BBBBBB"]
    agency = border_charts.agency_chart(plan.compliance(2024), "vi")
    assert len(agency.data[0].y) == 19 and sum(sum(trace.x) for trace in agency.data) == 50


def test_reports_imported_through_the_cli_name_who_reported(fresh_store, tmp_path):
    """The check of issue 6: a year of reports imported as an analyst would,
    then the compliance export and the summary name exactly who is where."""
    done = cli("import", str(BORDER / "reports_2024.csv"), "--store", fresh_store.root, "--user", "test")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "compliance.csv"
    assert cli("export", "compliance", "--year", "2024", "-o", str(out), "--store", fresh_store.root).returncode == 0
    frame = pd.read_csv(out, dtype={"agency_id": "str", "agency": "str", "agency_status": "str"})
    pd.testing.assert_frame_equal(frame.drop(columns=["agency", "predecessor_ids"]), expected(COMPLIANCE_2024))
    doc = Document(io.BytesIO(border_summary.december_summary(fresh_store, 2024, "docx", today=date(2024, 12, 5))))
    assert f"- Chưa báo cáo: 10/19 cơ quan, đơn vị: {'; '.join(names_vi(fresh_store, MISSING_2024))}." in [p.text for p in doc.paragraphs]


def test_the_2025_summary_is_compiled_by_the_body_in_force(fresh_store):
    """From 2025 Sở Tài chính (the merged department) compiles; its rows are
    the 15 bodies in force on 15/11/2025."""
    publish(fresh_store, "reports_2025.csv")
    doc = Document(io.BytesIO(border_summary.december_summary(fresh_store, 2025, "docx", "vi", today=date(2025, 12, 5))))
    cells = [c.text for c in doc.tables[0].rows[0].cells]
    assert "SỞ TÀI CHÍNH" in cells[0] and "SỞ KẾ HOẠCH" not in cells[0]
    texts = [p.text for p in doc.paragraphs]
    assert "- Báo cáo chậm so với thời hạn: 1/15 cơ quan, đơn vị: Sở Tài chính." in texts
    assert any(x.startswith("Theo Kế hoạch, hằng năm các cơ quan, đơn vị gửi báo cáo về Sở Tài chính") for x in texts)
    assert len([p for p in doc.paragraphs if p.style.name == "Heading 2"]) == 15


def test_as_of_fits_the_reporting_year(reported):
    """A 2024 summary made in 2026 speaks as of its newest report, not of 2026."""
    doc = Document(io.BytesIO(border_summary.december_summary(reported, 2024, "docx", "vi", today=date(2026, 11, 30))))
    texts = [p.text for p in doc.paragraphs]
    assert "Tính đến ngày 02/12/2024:" in texts  # the newest 2024 report in tests/assets/border
    assert not any(x.startswith("Tính đến ngày") and "2026" in x for x in texts)
