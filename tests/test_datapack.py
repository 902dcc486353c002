"""The data people take away (tracker.datapack): a chart's data as Excel
and CSV, and every table of the store as one workbook or a zip of CSV files."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import plotly.graph_objects as go

from tracker.model import ChartSpec
from tracker.outputs import datapack, tabular


def sample_spec() -> ChartSpec:
    """TEST DATA, not plan figures; one cell is a formula attack."""
    data = pd.DataFrame({
        "Khu vực thử": ["Thử A", "Thử B"],
        "Giá trị thử (tỷ đồng)": [1437.4, 7.98],
        "Ghi chú": ["=HYPERLINK(\"http://x\")", "bình thường"],
    })
    return ChartSpec("test.data", "Biểu đồ thử", "tỷ đồng", "kỳ thử", "dữ liệu thử", "8 - 9%", "tài liệu thử",
                     "01/01/2024", go.Figure(), data, notes=["Ghi chú thử về chất lượng số liệu"])


def test_chart_excel_has_the_data_escaped_and_a_sheet_about_the_chart():
    sheets = pd.read_excel(io.BytesIO(datapack.chart_data_bytes(sample_spec(), "xlsx")), sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["Số liệu biểu đồ", "Thông tin biểu đồ"]
    expected = sample_spec().data.assign(**{"Ghi chú": ["'=HYPERLINK(\"http://x\")", "bình thường"]})
    pd.testing.assert_frame_equal(sheets["Số liệu biểu đồ"], expected, check_dtype=False)
    info = sheets["Thông tin biểu đồ"]
    assert info.to_dict("list") == {
        "Mục": ["Tên biểu đồ", "Đơn vị tính", "Kỳ số liệu", "Loại số liệu", "Kế hoạch", "Nguồn", "Số liệu đến ngày",
                "Ghi chú"],
        "Nội dung": ["Biểu đồ thử", "tỷ đồng", "kỳ thử", "dữ liệu thử", "8 - 9%", "tài liệu thử", "01/01/2024",
                     "Ghi chú thử về chất lượng số liệu"],
    }


def test_chart_csv_is_utf8_with_a_byte_order_mark_and_escaped():
    data = datapack.chart_data_bytes(sample_spec(), "csv")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig").splitlines()
    assert text[0] == "Khu vực thử,Giá trị thử (tỷ đồng),Ghi chú"
    assert text[1] == "Thử A,1437.4,\"'=HYPERLINK(\"\"http://x\"\")\""


def test_all_data_holds_every_table_with_readable_headers(built_store):
    tables = {name: built_store.current(name) for name in datapack.TABLES[:-1] if built_store.exists(name)}
    tables["history"] = built_store.history()
    sheets = datapack.all_tables(tables, "vi")
    names = ["Số liệu", "Danh mục chỉ tiêu", "Địa bàn", "Cơ quan", "Kế hoạch", "Nội dung kế hoạch", "Nhiệm vụ"]
    assert list(sheets)[:7] == names and list(sheets)[-1] == "Lịch sử cập nhật"
    figures = sheets["Số liệu"]
    assert list(figures.columns[:9]) == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Mã địa bàn", "Năm", "Kỳ",
                                         "Loại số liệu", "Giá trị", "Cận dưới"]
    assert len(figures) == len(tables["observations"])
    grdp = figures[(figures["Mã chỉ tiêu"] == "grdp_growth") & (figures["Kỳ"] == "H1") & (figures["Năm"] == 2018)]
    assert grdp[["Tên chỉ tiêu", "Đơn vị tính", "Giá trị"]].values.tolist() == [
        ["Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)", "%", 7.98]]

    workbook = pd.read_excel(io.BytesIO(tabular.workbook_bytes(sheets)), sheet_name=None, engine="openpyxl")
    assert {name: len(frame) for name, frame in workbook.items()} == {name: len(f) for name, f in sheets.items()}
    assert list(workbook["Số liệu"].columns) == list(figures.columns)

    archive = zipfile.ZipFile(io.BytesIO(datapack.csv_zip_bytes(sheets)))
    assert archive.namelist() == [f"{name}.csv" for name in sheets]
    again = pd.read_csv(io.BytesIO(archive.read("Số liệu.csv")), encoding="utf-8-sig")
    assert list(again.columns) == list(figures.columns) and len(again) == len(figures)


def test_english_headers_and_file_names():
    frame = pd.DataFrame({"indicator_id": ["x"], "year": [2018], "something_new": [1]})
    assert list(datapack.readable("observations", frame, None, "en").columns) == ["Indicator id", "Year", "something_new"]
    assert datapack.sheet_name("history", "en") == "Update history"
    assert datapack.file_stem("economy.sectors") == "economy.sectors"
    assert datapack.file_stem("Tăng trưởng/GRDP: Đồng") == "Tang_truong_GRDP_Dong"
