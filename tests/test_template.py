"""The analysts' template: its sheets, dropdowns, protected catalogue and
instructions, generated from the real store."""

from __future__ import annotations

import io

import openpyxl
import pytest

from loaders import template, upload
from loaders.__main__ import main
from tracker import schema


@pytest.fixture(scope="module")
def book(built_store):
    return openpyxl.load_workbook(io.BytesIO(template.template_bytes(built_store, "vi")))


def named_range(book, name: str) -> list[str]:
    sheet_name, cells = next(iter(book.defined_names[name].destinations))
    return [row[0].value for row in book[sheet_name][cells.replace("$", "")]]


def validations(sheet) -> dict[str, str]:
    """First cell of each validated range -> its list source."""
    return {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}


def test_sheets_and_headers(book):
    assert book.sheetnames == ["huong_dan", "so_lieu", "bao_cao_nhiem_vu", "danh_muc"]
    assert [c.value for c in book["so_lieu"][1]] == template.DATA_COLUMNS
    assert [c.value for c in book["bao_cao_nhiem_vu"][1]] == schema.TASK_REPORT_COLUMNS
    # The machine names stay in row 1; the Vietnamese label is in the header's comment.
    assert book["so_lieu"]["A1"].comment.text.startswith("Mã chỉ tiêu / Indicator id")
    assert book["so_lieu"].max_row == 1  # no sample rows to delete before filling


def test_dropdowns_come_from_the_catalogue(book, built_store):
    data = validations(book["so_lieu"])
    assert data["A2"] == "ds_indicators" and data["B2"] == "ds_areas"
    assert data["D2"] == '"' + ",".join(schema.PERIODS) + '"'
    assert data["E2"] == '"target,estimate,actual"'
    tasks = validations(book["bao_cao_nhiem_vu"])
    assert tasks["A2"] == "ds_tasks" and tasks["B2"] == "ds_agencies"
    assert tasks["D2"] == '"not_started,in_progress,done"'
    assert named_range(book, "ds_indicators") == list(built_store.current("indicators")["indicator_id"])
    assert named_range(book, "ds_areas") == list(built_store.current("areas")["area_id"])
    assert named_range(book, "ds_tasks") == list(built_store.current("tasks")["task_id"])
    assert named_range(book, "ds_agencies") == list(built_store.current("agencies")["agency_id"])


def test_catalogue_sheet_is_protected_and_complete(book, built_store):
    sheet = book["danh_muc"]
    assert sheet.protection.sheet
    rows = list(sheet.iter_rows(min_row=3, max_col=6, values_only=True))
    indicators = built_store.current("indicators")
    assert [r[0] for r in rows[: len(indicators)]] == list(indicators["indicator_id"])
    assert [r[3] for r in rows[: len(indicators)]] == list(indicators["unit_vi"])


def test_instructions_show_every_form_as_read(book):
    cells = [c for row in book["huong_dan"].iter_rows(values_only=True) for c in row if c]
    text = "\n".join(map(str, cells))
    assert text.startswith("MẪU CẬP NHẬT SỐ LIỆU")
    for _, example in template.VALUE_EXAMPLES:
        assert example in cells
    # Examples are read by the real parser, in Vietnamese number format.
    assert "từ 8 đến 9" in cells and "giá trị 1.437,4" in cells and "từ 3.600 trở lên" in cells
    assert "Cả năm" in cells and "Ước thực hiện" in cells
    # English follows the Vietnamese.
    assert text.index("TEMPLATE FOR UPDATING") > text.index("Cách điền trang số liệu")
    assert f"{upload.limits().max_file_bytes // 2**20} MB" in text
    # The task reports are named by the store's border plan (plans.csv), in both headings.
    assert "Báo cáo nhiệm vụ Kế hoạch 88/KH-UBND" in cells
    assert "(hạn: trước 15/11 hằng năm)" in text  # the plan's report_deadline_month/day
    catalogue = [c for row in book["danh_muc"].iter_rows(max_row=1, values_only=True) for c in row if c]
    assert "Nhiệm vụ (88/KH-UBND)" in catalogue


def test_english_first_when_asked(built_store):
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(built_store, "en")))
    first = book["huong_dan"]["A1"].value
    assert first == "TEMPLATE FOR UPDATING THE SOCIO-ECONOMIC PLAN FIGURES"


def test_blank_template_is_an_empty_file(built_store):
    prepared = upload.prepare(built_store, template.template_bytes(built_store), "mau.xlsx")
    assert [p.reason_key for p in prepared.problems] == ["upload.file.empty"]


def test_cli_writes_the_template(built_store, tmp_path, capsys):
    out = tmp_path / "mau.xlsx"
    assert main(["template", "--store", built_store.root, "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["huong_dan", "so_lieu", "bao_cao_nhiem_vu", "danh_muc"]
    assert not (tmp_path / "mau.xlsx.part").exists()
