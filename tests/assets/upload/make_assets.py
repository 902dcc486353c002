"""Writes the upload test files in this folder (run from the repo root:
`python tests/assets/upload/make_assets.py`). The files are kept in git;
this script says how each was made. Every figure in them is test data
(source "TEST 01/TEST 2020"), not a real figure of the province.

`bad_encrypted.xlsx` is a real password-encrypted workbook (password
"test"), made once with msoffcrypto-tool, which is not a dependency of the
project: `pip install --target /tmp/mso msoffcrypto-tool` then
`PYTHONPATH=/tmp/mso python tests/assets/upload/make_assets.py --encrypted`.

The expected problems of each broken file are in `<name>.expected.csv`,
written by hand (sheet, row and column as Excel shows them, reason key).
"""

from __future__ import annotations

import csv
import io
import struct
import sys
import unicodedata
import zipfile
import zlib
from datetime import date
from pathlib import Path

import openpyxl
import xlsxwriter

HERE = Path(__file__).parent
SOURCE = "TEST 01/TEST 2020"
HEADER = ["indicator_id", "area_id", "year", "period", "kind", "value", "pct_of_plan", "yoy_pct", "source", "note"]
TASK_HEADER = ["task_id", "agency_id", "year", "status", "summary", "reported_on"]


def xlsx(name: str, sheets: dict[str, list[list]]) -> bytes:
    """A workbook written by openpyxl, one sheet per entry, rows as given."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    (HERE / name).write_bytes(data)
    return data


def text(name: str, content: str) -> None:
    (HERE / name).write_bytes(content.encode("utf-8"))


def csv_file(name: str, rows: list[list], delimiter: str = ",", bom: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    text(name, ("\ufeff" if bom else "") + buffer.getvalue())


def obs(indicator, year, period, kind, value, *, area="", pct="", yoy="", source=SOURCE, note="dữ liệu thử"):
    return [indicator, area, year, period, kind, value, pct, yoy, source, note]


def good_files() -> None:
    # An analyst's CSV: Excel in a Vietnamese locale writes ";" and a BOM.
    rows = [
        ["indicator_id", "area_id", "year", "period", "kind", "value", "pct_of_plan", "yoy_pct", "source", "note"],
        ["grdp_growth", "", "2020", "H1", "actual", "7,98", "", "", SOURCE, "tăng 7,98%"],
        ["grdp_growth", "", "2020", "FY", "target", "8 - 9", "", "", SOURCE, ""],
        ["grdp_growth", "", "2021", "FY", "target", "7,7 - 8", "", "", SOURCE, ""],
        ["grdp_growth", "", "2022", "FY", "target", "8- 9", "", "", SOURCE, ""],
        ["grdp_growth.agriculture", "", "2020", "H1", "actual", "-0,58", "", "", SOURCE, ""],
        ["budget_revenue", "", "2020", "FY", "actual", "1.437,4", "đạt 95,2%", "tăng 8,5%", SOURCE, ""],
        ["budget_revenue", "", "2020", "FY", "target", "3.600 tỷ đồng", "", "", SOURCE, ""],
        ["budget_revenue", "", "2021", "FY", "target", "trên 3.600", "", "", SOURCE, ""],
        ["trade_turnover", "", "2020", "FY", "estimate", "khoảng 304", "", "giảm 3,2%", SOURCE, ""],
        ["forest_cover", "", "2020", "FY", "target", "từ 63 trở lên", "", "", SOURCE, ""],
        ["forest_cover", "", "2021", "FY", "target", "≥ 63,5", "", "", SOURCE, ""],
        ["poverty_rate", "", "2020", "FY", "target", "dưới 3", "", "", SOURCE, ""],
        ["poverty_rate", "", "2021", "FY", "target", "tối đa 3", "", "", SOURCE, ""],
        ["poverty_rate", "", "2022", "FY", "target", "≤ 2,5", "", "", SOURCE, ""],
        ["grdp_growth.services", "VN-09", "2020", "6 tháng", "Thực hiện", "7,98%", "", "", SOURCE, ""],
        ["forest_planting", "VN-09.trang_dinh", "2020", "9M", "actual", "", "75", "-7,1", SOURCE, ""],
    ]
    csv_file("good_analyst.csv", rows, delimiter=";", bom=True)

    # A sheet an analyst made: title rows, Vietnamese headers in another
    # order, number cells, a formula with its saved result, descriptive columns.
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Báo cáo")
    sheet.write("A1", "SỐ LIỆU THỬ NGHIỆM (TEST DATA)")
    headers = ["STT", "Năm", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ", "Loại số liệu", "Giá trị",
               "% kế hoạch", "Nguồn", "Ghi chú"]
    for col, header in enumerate(headers):
        sheet.write(2, col, header)
    data = [
        [1, 2020, "grdp_growth", "Tốc độ tăng GRDP", "%", "FY", "actual", 7.5, None, SOURCE, None],
        [2, 2020, "trade_turnover", "Kim ngạch XNK", "triệu USD", "H1", "estimate", 1437.4, None, SOURCE, "dữ liệu thử"],
        [3, 2020, "grdp_per_capita", "GRDP bình quân", "triệu đồng", "Cả năm", "kế hoạch", "khoảng 45", None, SOURCE, None],
    ]
    for i, values in enumerate(data):
        for col, value in enumerate(values):
            if value is not None:
                sheet.write(3 + i, col, value)
    # A cell formatted as a percentage holds 0,926 and shows 92,6%.
    sheet.write_number(3, 8, 0.926, book.add_format({"num_format": "0.0%"}))
    # Row 7: the value is a formula whose result Excel saved (1.000 + 437,4).
    for col, value in enumerate([4, 2020, "budget_revenue", "Thu ngân sách", "tỷ đồng", "FY", "actual"]):
        sheet.write(6, col, value)
    sheet.write_formula(6, 7, "=1000+437.4", None, 1437.4)
    sheet.write(6, 9, SOURCE)
    book.close()
    (HERE / "good_renamed.xlsx").write_bytes(buffer.getvalue())

    # English labels, numbers written by a program (decimal dot).
    csv_file("good_english.csv", [
        ["Indicator id", "Year", "Period", "Kind of figure", "Value", "% of plan", "% on last year", "Source", "Note"],
        ["grdp_growth", "2020", "9M", "actual", "7.98", "", "", SOURCE, "test data"],
        ["trade_turnover", "2020", "9M", "actual", "1.437", "", "", SOURCE, "test data"],
        ["budget_revenue", "2020", "9M", "actual", "1,437.4", "75.5", "-2.25", SOURCE, "test data"],
    ])

    # A wide sheet: indicators as rows (id or exact name), years as columns.
    xlsx("good_wide.xlsx", {"Chỉ tiêu 2020-2021": [
        ["CHỈ TIÊU KẾ HOẠCH (DỮ LIỆU THỬ)"],
        [],
        ["Chỉ tiêu", "Đơn vị tính", 2020, "2021", "Nguồn"],
        ["I. KINH TẾ", None, None, None, None],
        ["grdp_growth", "%", "8 - 9", 8.5, SOURCE],
        ["Tổng kim ngạch xuất nhập khẩu", "triệu USD", "khoảng 4.000", None, SOURCE],
        ["forest_cover", "%", 63, "từ 63,5 trở lên", SOURCE],
    ]})

    # A report-style wide sheet: the headers name kind and period too.
    xlsx("good_wide_headers.xlsx", {"Biểu 01": [
        ["BIỂU 01: CHỈ TIÊU CHỦ YẾU (DỮ LIỆU THỬ)"],
        ["Chỉ tiêu", "ĐVT", "TH 6 tháng 2020", "Ước TH cả năm 2020", "KH 2021", "Nguồn"],
        ["Tổng kim ngạch xuất nhập khẩu", "triệu USD", "1.437,4", 3000, "khoảng 3.500", SOURCE],
        ["poverty_rate", "%", None, 7.5, "dưới 6", SOURCE],
    ]})

    csv_file("good_tasks.csv", [
        TASK_HEADER,
        ["skhdt.1", "skhdt", "2022", "done", "Đã hoàn thành (dữ liệu thử)", "10/11/2022"],
        ["skhdt.2", "skhdt", "2022", "Đang thực hiện", "", "2022-11-20"],
        ["stc.1", "stc", "2022", "not_started", "Chưa triển khai (dữ liệu thử)", "15/11/2022"],
    ])


def bad_files() -> None:
    xlsx("bad_unknown_indicator.xlsx", {"so_lieu": [HEADER, obs("grdp_grwth", 2020, "FY", "actual", 7.5),
                                                    obs("grdp_growth", 2020, "FY", "target", "8 - 9")]})
    csv_file("bad_unknown_area.csv", [HEADER, obs("grdp_growth", "2020", "FY", "actual", "7,5", area="VN-99")])
    xlsx("bad_period.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "Q5", "actual", 7.5)]})
    csv_file("bad_kind.csv", [HEADER, obs("grdp_growth", "2020", "FY", "plan2", "7")])
    xlsx("bad_year.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 1890, "FY", "actual", 7.5),
                                       obs("grdp_growth", "2020a", "FY", "actual", 7.5)]})
    xlsx("bad_value.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", "abc"),
                                        obs("grdp_growth", 2021, "FY", "actual", "1.23.4")]})
    xlsx("bad_value_date.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "target", date(2020, 9, 8))]})
    csv_file("bad_range.csv", [HEADER, obs("grdp_growth", "2020", "FY", "target", "9 - 8")])
    xlsx("bad_share.xlsx", {"so_lieu": [HEADER, obs("economic_structure.services", 2020, "FY", "actual", 120),
                                        obs("forest_cover", 2020, "FY", "target", "105%")]})
    xlsx("bad_duplicate.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5),
                                            obs("grdp_growth", 2020, "FY", "actual", 7.6, area="VN-09")]})
    xlsx("bad_empty.xlsx", {"so_lieu": [HEADER], "bao_cao_nhiem_vu": [TASK_HEADER]})
    text("bad_zero_bytes.csv", "")
    (HERE / "bad_not_workbook.xlsx").write_bytes(_png())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "a zip file, not a workbook")
    (HERE / "bad_zip_not_workbook.xlsx").write_bytes(buffer.getvalue())
    good = xlsx("bad_corrupt.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5)]})
    (HERE / "bad_corrupt.xlsx").write_bytes(good[: len(good) // 2])
    xlsx("bad_formula_no_value.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", "=3+4.5")]})
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("so_lieu")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, obs("grdp_growth", 2020, "FY", "actual", None))
    sheet.write_formula(1, 5, "=1/0", None, "#DIV/0!")
    book.close()
    (HERE / "bad_formula_error.xlsx").write_bytes(buffer.getvalue())
    csv_file("bad_missing_source.csv", [HEADER, obs("grdp_growth", "2020", "FY", "actual", "7", source="")])
    csv_file("bad_unit.csv", [HEADER, obs("budget_revenue", "2020", "FY", "actual", "3 nghìn tỷ")])
    csv_file("bad_task_unknown.csv", [TASK_HEADER, ["skhdt.99", "skhdt", "2022", "done", "", "10/11/2022"]])
    csv_file("bad_task_agency.csv", [TASK_HEADER, ["stc.1", "skhdt", "2022", "done", "", "10/11/2022"],
                                     ["stc.2", "xyz_unknown", "2022", "done", "", "10/11/2022"]])
    csv_file("bad_task_status.csv", [TASK_HEADER, ["skhdt.1", "skhdt", "2022", "xong", "", "10/11/2022"]])
    xlsx("bad_task_date.xlsx", {"bao_cao_nhiem_vu": [TASK_HEADER, ["skhdt.1", "skhdt", 2022, "done", None, "31/02/2022"],
                                                     ["skhdt.2", "skhdt", 2022, "done", None, "ngày 5"],
                                                     ["skhdt.3", "skhdt", 2022, "done", None, date(2022, 11, 10)]]})
    good = xlsx("bad_zip_bomb.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5)]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            bomb.writestr(entry, source.read(entry))
        # 210 MB of zeros: a few hundred kB packed, above the 200 MB unpacked limit.
        padding_entry = zipfile.ZipInfo("xl/media/padding.bin")
        padding_entry.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(padding_entry, "w", force_zip64=True) as padding:
            block = bytes(2**20)
            for _ in range(210):
                padding.write(block)
    (HERE / "bad_zip_bomb.xlsx").write_bytes(buffer.getvalue())
    xlsx("bad_wide_no_kind.xlsx", {"Sheet1": [["Mã chỉ tiêu", 2020, 2021, "Nguồn"], ["grdp_growth", 7.5, 8, SOURCE]]})
    csv_file("bad_unknown_column.csv", [
        ["indicator_id", "year", "period", "kind", "gia tri thuc hien", "source"],
        ["grdp_growth", "2020", "FY", "actual", "7,5", SOURCE],
    ])
    xlsx("bad_notes_sheet.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5)],
                                  "ghi_chu": [["Ghi chú của người lập biểu"], ["Số liệu lấy từ báo cáo tháng"]]})
    csv_file("bad_missing_column.csv", [
        ["indicator_id", "area_id", "year", "period", "kind", "value"],
        ["grdp_growth", "", "2020", "FY", "actual", "7,5"],
    ])
    # Several problems in one file: all are listed at once.
    csv_file("bad_many.csv", [
        HEADER,
        obs("grdp_growth", "2020", "FY", "actual", "7"),
        obs("grdp_growht", "2020", "FY", "actual", "7"),
        obs("grdp_growth", "2020", "H3", "actul", "7"),
        obs("grdp_growth", "3020", "FY", "actual", "bảy", source=""),
        obs("grdp_growth", "2020", "FY", "actual", "7"),
    ])


def checks_files() -> None:
    """Files that tried to slip something past the checks (issue 11)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "so_lieu"
    for row in (HEADER, obs("forest_cover", 2020, "FY", "actual", 63, area="VN-09.cao_loc"),
                obs("forest_cover", 2021, "FY", "actual", 64, area="")):
        sheet.append(row)
    sheet.merge_cells("B2:B3")  # a district code merged over two rows
    _save(book, "bad_merged.xlsx")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "so_lieu"
    for row in (HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5), obs("grdp_growth", 2021, "FY", "actual", 9.9)):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    _save(book, "bad_hidden_row.xlsx")

    book = openpyxl.Workbook()
    book.active.title = "so_lieu"
    book.active.append(HEADER)
    book.active.append(obs("grdp_growth", 2020, "FY", "actual", 7.5))
    for title, state in (("an", "hidden"), ("an_sau", "veryHidden")):
        hidden = book.create_sheet(title)
        hidden.append(HEADER)
        hidden.append(obs("grdp_growth", 2022, "FY", "actual", 1))
        hidden.sheet_state = state
    _save(book, "bad_hidden_sheets.xlsx")

    # A data sheet named like the template's instructions sheet is read, not skipped.
    xlsx("bad_named_instructions.xlsx", {"huong_dan": [HEADER, obs("grdp_growth", 2020, "FY", "actual", "bảy")]})
    # An unquoted "2019,0" shifts the line's columns.
    text("bad_shifted.csv", ",".join(HEADER) + "\n"
         + "grdp_growth,,2019,FY,actual,7,5,,,TEST 01/TEST 2020,\n"
         + "grdp_growth,,2020,FY,actual,\"7,5\",,,TEST 01/TEST 2020,\n")
    csv_file("bad_digits.csv", [HEADER, obs("grdp_growth", "2020", "FY", "actual", "\u0667,\u0665"),
                                obs("grdp_growth", "2021", "FY", "actual", "\uff17")])
    csv_file("bad_plausible.csv", [HEADER, obs("trade_turnover", "2020", "FY", "actual", "-5"),
                                   obs("new_enterprises", "2020", "FY", "actual", "12,5"),
                                   obs("health_insurance_coverage", "2020", "FY", "actual", "101"),
                                   obs("tourists", "2020", "FY", "actual", "khoảng -1"),
                                   obs("grdp_growth", "2020", "FY", "actual", "\u22120")])
    # A five-year plan's figure is stored under the span's last year; a backward span is no period.
    csv_file("bad_span.csv", [HEADER, obs("grdp_growth", "2025", "P2021_2025", "target", "8"),
                              obs("grdp_growth", "2024", "P2021_2025", "actual", "7"),
                              obs("grdp_growth", "2025", "P2025_2021", "actual", "7")])
    csv_file("bad_task_dates.csv", [TASK_HEADER, ["skhdt.1", "skhdt", "2022", "done", "", "10/11/2099"],
                                    ["skhdt.2", "skhdt", "2022", "done", "", "01/03/2022"],
                                    ["skhdt.3", "skhdt", "2023", "done", "", "15/11/2022"]])
    csv_file("bad_invisible_source.csv", [HEADER, obs("grdp_growth", "2020", "FY", "actual", "7", source="\u200b\u00a0")])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, obs("grdp_grwth", "2020", "FY", "actual", "7,5")])
    (HERE / "bad_utf16_no_bom.csv").write_bytes(buffer.getvalue().encode("utf-16-le"))
    csv_file("bad_csv_named.xlsx", [HEADER, obs("grdp_growth", "2020", "FY", "actual", "7,5")])
    xlsx("bad_names.xlsx", {"Biểu 1": [
        ["Tên chỉ tiêu", "Đơn vị tính", "KH 2019", "Nguồn"],
        [unicodedata.normalize("NFD", "Tỷ lệ che phủ rừng"), "%", "63", SOURCE],
        ["Ty le ho ngheo", "%", "8,5", SOURCE],
        ["GRDP per capita", "triệu đồng", "45", SOURCE],
        ["Chỉ tiêu không có trong danh mục", "%", "1", SOURCE],
    ]})
    # Zip headers that lie: the sheet says 100 bytes unpacked, its stream holds 210 MB of zeros.
    good = xlsx("bad_lying_sizes.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5)]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            bomb.writestr(entry, source.read(entry))
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = bytes(2**20)
        packed = b"".join(packer.compress(block) for _ in range(210)) + packer.flush()
        info = zipfile.ZipInfo("xl/media/padding.bin")
        info.compress_type = zipfile.ZIP_STORED
        bomb.writestr(info, b"")
    data = bytearray(buffer.getvalue())
    # Rewrite the last (empty, stored) entry as deflated with the packed zeros, declaring 100 bytes.
    local = data.rfind(b"PK\x03\x04")
    central = data.rfind(b"PK\x01\x02")
    end = data.rfind(b"PK\x05\x06")
    name = b"xl/media/padding.bin"
    crc = zlib.crc32(bytes(100))
    local_header = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), 100, len(name), 0) + name
    central_header = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), 100, len(name),
                                 0, 0, 0, 0, 0, local) + name
    head = bytes(data[:local])
    directory = bytes(data[data.find(b"PK\x01\x02"):central])
    count, = struct.unpack("<H", data[end + 10:end + 12])
    directory_start = len(head) + len(local_header) + len(packed)
    directory += central_header
    tail = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), directory_start, 0)
    (HERE / "bad_lying_sizes.xlsx").write_bytes(head + local_header + packed + directory + tail)


def _save(book, name: str) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    (HERE / name).write_bytes(buffer.getvalue())


def _png() -> bytes:
    """A one-pixel PNG: a file that is no workbook at all."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def encrypted() -> None:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = xlsx("bad_encrypted.xlsx", {"so_lieu": [HEADER, obs("grdp_growth", 2020, "FY", "actual", 7.5)]})
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("test", out)
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    (HERE / "bad_encrypted.xlsx").write_bytes(out.getvalue())


if __name__ == "__main__":
    if "--encrypted" in sys.argv:
        encrypted()
    elif "--checks" in sys.argv:
        checks_files()
    else:
        good_files()
        bad_files()
        checks_files()
