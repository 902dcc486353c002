"""What the upload tells the analyst beside its problems (issue 11), and the
interface other readers use (issue 12): grids made from rows of text go
through the same checks, preview and publish; readers register by extension."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd

from loaders import template, upload

ASSETS = Path(__file__).with_name("assets") / "upload"


def notes(prepared: upload.Prepared) -> pd.DataFrame:
    rows = [[n.sheet or "", "" if n.row is None else str(n.row), n.column or "", str(n.value), n.reason_key]
            for n in prepared.notes]
    return pd.DataFrame(rows, columns=["sheet", "row", "column", "value", "reason_key"], dtype=str)


def test_english_style_numbers_are_read_only_where_unambiguous_and_noted(built_store):
    path = ASSETS / "good_english.csv"
    prepared = upload.prepare(built_store, path.read_bytes(), path.name)
    assert prepared.ok
    expected = pd.DataFrame([
        ["good_english.csv", "2", "E (Value)", "7.98", "upload.note.english"],
        ["good_english.csv", "4", "E (Value)", "1,437.4", "upload.note.english"],
        ["good_english.csv", "4", "F (% of plan)", "75.5", "upload.note.english"],
        ["good_english.csv", "4", "G (% on last year)", "-2.25", "upload.note.english"],
    ], columns=["sheet", "row", "column", "value", "reason_key"], dtype=str)
    pd.testing.assert_frame_equal(notes(prepared), expected)
    # "1.437" is one thousand four hundred and thirty-seven, whatever the other rows hold.
    assert prepared.frames["observations"]["value"].tolist() == [7.98, 1437.0, 1437.4]


def test_the_template_reference_sheets_are_skipped_and_named(built_store):
    prepared = upload.prepare(built_store, template.template_bytes(built_store), "mau.xlsx")
    skipped = notes(prepared)[["sheet", "reason_key"]]
    expected = pd.DataFrame([
        ["huong_dan", "upload.note.sheet_reference"],
        ["danh_muc", "upload.note.sheet_reference"],
    ], columns=["sheet", "reason_key"], dtype=str)
    pd.testing.assert_frame_equal(skipped, expected)


def test_an_empty_sheet_is_skipped_and_named(built_store):
    book = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "so_lieu"
    workbook.active.append(["indicator_id", "year", "period", "kind", "value", "source"])
    workbook.active.append(["grdp_growth", 2020, "FY", "actual", "7,5", "TEST 01/TEST 2020"])
    workbook.create_sheet("trong")
    workbook.save(book)
    prepared = upload.prepare(built_store, book.getvalue(), "hai_trang.xlsx")
    assert prepared.ok
    assert [(n.sheet, n.reason_key) for n in prepared.notes] == [("trong", "upload.note.sheet_empty")]


def test_a_huge_cell_is_refused_as_too_long(built_store):
    header = "indicator_id,year,period,kind,value,source\n"
    data = (header + "grdp_growth,2020,FY,actual,7," + "x" * 2**20 + "\n").encode()
    prepared = upload.prepare(built_store, data, "dai.csv")
    assert [(p.row, p.column, p.reason_key) for p in prepared.problems] == [(2, "F", "upload.cell.too_long")]


def test_minus_zero_is_stored_as_zero(built_store):
    data = "indicator_id,year,period,kind,value,source\ngrdp_growth,2020,FY,actual,\u22120,TEST 01/TEST 2020\n"
    prepared = upload.prepare(built_store, data.encode(), "khong.csv")
    assert prepared.ok
    assert str(prepared.frames["observations"]["value"].iloc[0]) == "0.0"


def test_grids_from_text_rows_are_checked_as_a_file_is(built_store):
    path = ASSETS / "bad_many.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    from_file = upload.prepare(built_store, path.read_bytes(), path.name)
    grid = upload.Grid.from_strings(path.name, rows)
    from_grid = upload.prepare_grids(built_store, [grid], path.name, path.read_bytes())
    assert [vars(p) for p in from_grid.problems] == [vars(p) for p in from_file.problems]

    good = ASSETS / "good_analyst.csv"
    with good.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    prepared = upload.prepare_grids(built_store, [upload.Grid.from_strings("bao_cao", rows)], "bao_cao.txt",
                                    good.read_bytes())
    assert prepared.ok and prepared.file_name == "bao_cao.txt"
    pd.testing.assert_frame_equal(prepared.frames["observations"],
                                  upload.prepare(built_store, good.read_bytes(), good.name).frames["observations"])
    assert set(prepared.previews) == {"observations"}


def test_a_reader_registers_by_extension_in_one_line(built_store, monkeypatch):
    def read_text_report(data: bytes, file_name: str, limit: upload.Limits):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        return [upload.Grid.from_strings("report", rows, numbers=[10, 11])], []

    monkeypatch.setitem(upload.READERS, ".md", read_text_report)
    data = "indicator_id,year,period,kind,value,source\ngrdp_growth,2020,FY,actual,bảy,TEST 01/TEST 2020\n"
    prepared = upload.prepare(built_store, data.encode(), "report.md")
    assert [(p.sheet, p.row, p.column, p.reason_key) for p in prepared.problems] == [
        ("report", 11, "E (value)", "upload.value.not_a_number")]
