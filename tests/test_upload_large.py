"""A large upload (20,000 rows) read the fast way (loaders.workbook, column
at a time) gives exactly the figures, and exactly the problems, that the
rows say: a few planted errors are each reported with their sheet, row,
column, value and reason, and nothing else is. The workbooks are made here
with xlsxwriter; every figure in them is test data (source "TEST lớn")."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pandas as pd
import pytest
import xlsxwriter

from loaders import upload
from loaders.upload import xlsx
from loaders.upload import xlsx_xml as workbook
from tracker import schema, settings

SHEET = "so_lieu"
SOURCE = "TEST lớn/TEST 2031"
HEADER = ["indicator_id", "area_id", "year", "period", "kind", "value", "pct_of_plan", "yoy_pct", "source", "note"]
ROWS = 20_000
LIMIT = upload.Limits(max_file_bytes=2**30, max_unpacked_bytes=2**31, max_rows=ROWS + 100)
NAN = float("nan")


def figures(store) -> list[dict]:
    """ROWS figures, each key once: every indicator, area, period and kind
    of 2031-2033, with the value written in one of the ways analysts write
    it and what it reads as."""
    indicators = store.current("indicators")
    shares = set(indicators.loc[(indicators["unit_vi"] == "%") & (indicators["measure"] == "level"), "indicator_id"])
    units = dict(zip(indicators["indicator_id"], indicators["unit_vi"], strict=True))
    counted = set(indicators.loc[indicators["whole_number"], "indicator_id"])  # whole numbers only (issue 11)
    # The plan's area and five of its units in force in those years (as many areas as the
    # first catalogue had), so the rows span every indicator.
    all_areas = store.current("areas")
    home = settings.home_area(all_areas)
    in_force = all_areas[(all_areas["parent_id"] == home) & all_areas["valid_to"].isna()]
    areas = [home, *in_force["area_id"].head(5)]
    rows = []
    for year in (2031, 2032, 2033):
        for indicator in indicators["indicator_id"]:
            for area in areas:
                for period in ("FY", "H1", "9M"):
                    for kind in schema.KINDS:
                        rows.append({"indicator_id": indicator, "area_id": area, "year": year, "period": period,
                                     "kind": kind})
    rows = rows[:ROWS]
    for n, row in enumerate(rows):
        share, form = row["indicator_id"] in shares, n % 10
        if row["indicator_id"] in counted and form in (0, 1, 6, 7):
            form = 9  # a count is a whole number
        whole, tenth = n % 97, n % 10
        row.update(value=NAN, low=NAN, high=NAN, qualifier="exact", pct_of_plan=NAN, yoy_pct=NAN, source=SOURCE,
                   note=None if n % 3 else "dữ liệu thử")
        if form == 0:  # a number cell
            row["written"], row["value"] = whole + tenth / 10, whole + tenth / 10
        elif form == 1:  # text with a decimal comma
            row["written"], row["value"] = f"{whole},{tenth}", float(f"{whole}.{tenth}")
        elif form == 2 and not share:  # thousands grouped with a dot
            row["written"], row["value"] = f"{whole + 1}.{n % 1000:03d}", float((whole + 1) * 1000 + n % 1000)
        elif form == 3:  # a range
            row["written"], row["low"], row["high"], row["qualifier"] = f"{whole} - {whole + 1}", whole, whole + 1, "range"
        elif form == 4:
            row["written"], row["value"], row["qualifier"] = f"khoảng {whole}", whole, "approx"
        elif form == 5:
            # An inclusive bound keeps its number as the value too (a strict "trên" would not).
            row["written"], row["value"], row["low"], row["qualifier"] = f"từ {whole} trở lên", whole, whole, "at_least"
        elif form == 6:  # a number cell with three decimals: not a thousands group
            row["written"], row["value"] = whole + 0.437, whole + 0.437
        elif form == 7:  # text in a cell formatted as text, written as a program writes a number
            row["written"], row["value"] = f"{whole}.5", whole + 0.5
        elif form == 8 and units[row["indicator_id"]] == "tỷ đồng":
            row["written"], row["value"] = f"{whole + 1}.{n % 1000:03d} tỷ đồng", float((whole + 1) * 1000 + n % 1000)
        else:
            row["written"], row["value"] = f"{whole}", float(whole)
        if n % 7 == 0:
            row["pct_of_plan_written"], row["pct_of_plan"] = f"đạt {whole},5%", whole + 0.5
        if n % 11 == 0:
            row["yoy_pct_written"], row["yoy_pct"] = f"giảm {tenth},2%", -(tenth + 0.2)
    return rows


def write(rows: list[dict], planted: dict[int, tuple]) -> bytes:
    """The rows as a workbook (row n of the list on sheet row n + 2); a
    planted (column, cell) replaces what row n writes there."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    as_text = book.add_format({"num_format": "@"})
    as_date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    for n, row in enumerate(rows):
        cells = {column: row.get(column) for column in HEADER}
        cells.update(value=row["written"], pct_of_plan=row.get("pct_of_plan_written"),
                     yoy_pct=row.get("yoy_pct_written"))
        if n in planted:
            column, cell = planted[n]
            cells[column] = cell
        for j, column in enumerate(HEADER):
            cell = cells[column]
            if cell is None:
                continue
            if isinstance(cell, tuple):  # ("formula", text, cached result)
                sheet.write_formula(n + 1, j, cell[1], None, cell[2])
            elif isinstance(cell, datetime):
                sheet.write_datetime(n + 1, j, cell, as_date)
            elif isinstance(cell, (int, float)):
                sheet.write_number(n + 1, j, cell)
            else:
                sheet.write_string(n + 1, j, cell, as_text if n % 10 == 7 and column == "value" else None)
    book.close()
    return buffer.getvalue()


def expected_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)[schema.OBSERVATION_COLUMNS]
    frame["year"] = frame["year"].astype("int64")
    for column in schema.OBSERVATION_NUMBERS:
        frame[column] = frame[column].astype("float64")
    for column in ("indicator_id", "area_id", "period", "kind", "qualifier", "source", "note"):
        frame[column] = frame[column].astype("str")
    return frame


@pytest.fixture(scope="module")
def rows(built_store) -> list[dict]:
    return figures(built_store)


def test_large_workbook_reads_every_figure_the_fast_way(built_store, rows, monkeypatch):
    data = write(rows, {})

    def no_exact_rows(*args):
        raise AssertionError("a clean workbook needed its rows read one by one")

    monkeypatch.setattr(xlsx, "_exact_rows", no_exact_rows)
    prepared = upload.prepare(built_store, data, "lon.xlsx", limit=LIMIT)
    assert prepared.ok, upload.problems_frame(prepared.problems[:10]).to_string()
    pd.testing.assert_frame_equal(prepared.frames["observations"], expected_frame(rows))
    assert prepared.previews["observations"]["change"].eq("new").all()


def test_large_workbook_reports_exactly_the_planted_errors(built_store, rows):
    share = next(n for n, r in enumerate(rows) if r["indicator_id"] == "economic_structure" and n > 3000)
    money = next(n for n, r in enumerate(rows) if r["indicator_id"] == "bank_credit" and n > 7000)
    planted = {  # row in the list -> (column, what is written instead)
        1234: ("indicator_id", "grdp_growht"),
        2345: ("year", 3020),
        share: ("value", 120),
        money: ("value", "3.600 triệu đồng"),
        9001: ("value", "bảy"),
        10500: ("period", "H3"),
        12000: ("value", ("formula", "=1/0", "#DIV/0!")),
        13000: ("value", ("formula", "=A1", "")),
        14000: ("value", datetime(2031, 9, 8)),
        15000: ("area_id", "VN-99"),
    }
    # Row 16000 repeats the key of row 100.
    repeated = [dict(r) for r in rows]
    repeated[16000] = {**repeated[100], "written": "5", "value": 5.0}
    prepared = upload.prepare(built_store, write(repeated, planted), "lon.xlsx", limit=LIMIT)
    found = upload.problems_frame(prepared.problems, "vi")
    expected = pd.DataFrame([
        (SHEET, 1236, "A (indicator_id)", "grdp_growht", "upload.indicator.unknown"),
        (SHEET, 2347, "C (year)", "3.020", "upload.year.bad"),
        (SHEET, share + 2, "F (value)", "120", "upload.share.out_of_range"),
        (SHEET, money + 2, "F (value)", "3.600 triệu đồng", "upload.unit.mismatch"),
        (SHEET, 9003, "F (value)", "bảy", "upload.value.not_a_number"),
        (SHEET, 10502, "D (period)", "H3", "upload.period.unknown"),
        (SHEET, 12002, "F (value)", "", "upload.cell.error"),
        (SHEET, 13002, "F (value)", "", "upload.cell.formula_no_value"),
        (SHEET, 14002, "F (value)", "08/09/2031", "upload.value.is_date"),
        (SHEET, 15002, "B (area_id)", "VN-99", "upload.area.unknown"),
        (SHEET, 16002, "", "", "upload.key.duplicate"),
    ], columns=["sheet", "row", "column", "value", "reason_key"]).sort_values("row", ignore_index=True)
    got = pd.DataFrame({"sheet": found.iloc[:, 0], "row": found.iloc[:, 1].astype("int64"), "column": found.iloc[:, 2],
                        "value": found.iloc[:, 3], "reason_key": [p.reason_key for p in
                                                                  sorted(prepared.problems, key=lambda p: p.row)]})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert not prepared.ok and prepared.previews == {}
    assert prepared.problems[-1].reason_params == {"first_sheet": SHEET, "first_row": 102}
    # Every other row is still read, and read right.
    kept = [r for n, r in enumerate(repeated) if n not in planted and n != 16000]
    pd.testing.assert_frame_equal(prepared.frames["observations"], expected_frame(kept))


def test_python_whitespace_is_what_the_column_checks_take_for_blank():
    assert upload.PY_SPACES == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def _variants(xml: bytes) -> dict[str, bytes]:
    """The sheet XML as other programs write it."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    prefixed = re.sub(rb"<(/?)(?!\?)([A-Za-z]\w*)([\s/>])", rb"<\1x:\2\3", xml.replace(main, main.replace(b"xmlns", b"xmlns:x")))
    swapped = re.sub(rb'<c ((?:\w+="[^"]*"\s*)+)(/?>)', lambda m: b"<c " + b" ".join(
        b"%s='%s'" % kv for kv in reversed(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))) + m.group(2), xml)
    spaced = xml.replace(b'<c r="', b'<c\n  r = "').replace(b' t="', b'\tt = "')
    commented = xml.replace(b'<c r="A2"', b'<!-- <c r="A2" t="e"> --><c r="A2"', 1)
    return {"as written": xml, "prefixed": prefixed, "attributes swapped": swapped, "spaced": spaced,
            "commented": commented}


def test_cell_notes_found_by_searching_equal_those_of_the_whole_parse():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    percent = book.add_format({"num_format": "0.0%"})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    for i in range(1, 300):
        sheet.write_number(i, 0, i)
        if i % 17 == 0:
            sheet.write_formula(i, 1, "=1/0", None, "#DIV/0!")
        if i % 23 == 0:
            sheet.write_formula(i, 2, "=A1", None, "")
        if i % 29 == 0:
            sheet.write_formula(i, 3, "=A1*2", None, i * 2)  # has its value: no note
        if i % 31 == 0:
            sheet.write_number(i, 4, i / 100, percent)
    book.close()
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    styles = workbook.percent_styles(archive)
    xml = archive.read(workbook.sheet_paths(archive)[SHEET])
    whole = workbook._notes_by_parsing(xml, 1000, styles)
    assert len(whole.bad) == 17 + 13 and len(whole.percent) == 9
    assert workbook._notes_by_search(xml, 1000, styles) is not None  # searched, not parsed whole
    for label, variant in _variants(xml).items():
        found = workbook.cell_notes(variant, 1000, styles)
        assert (found.bad, found.percent) == (whole.bad, whole.percent), label
