"""The report reader (loaders/reading): conventions of the 2018 plan's
transcription, units, context, bad input, and the `read` command."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata

import pandas as pd
import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter

from benchmarks.reading import PLAN_TEXT, own_set, plan_set, score
from loaders.__main__ import main
from loaders.reading import home_area, read_bytes, read_file, read_text
from tracker.errors import TrackerError

from .conftest import ASSETS

READING = ASSETS / "reading"
KEY = ["indicator_id", "year", "period", "kind", "value", "low", "high", "qualifier", "pct_of_plan", "yoy_pct"]


def figures(text: str, **options) -> pd.DataFrame:
    return read_text(text, **options).figures


def one(text: str, **options) -> dict:
    frame = figures(text, **options)
    assert len(frame) == 1, frame[KEY]
    return frame.iloc[0].to_dict()


def test_the_plan_text_is_read_as_it_was_transcribed():
    found, gold = plan_set()
    result = score(found, gold).set_index("field")
    assert (result["precision"] >= 0.95).all(), result
    assert (result["recall"] >= 0.95).all(), result


def test_other_provinces_reports_are_read_without_a_wrong_figure():
    found, gold = own_set()
    result = score(found, gold).set_index("field")
    assert (result["precision"] >= 0.95).all(), result
    assert (result.loc[["value", "year", "period"], "recall"] >= 0.8).all(), result


def test_a_sentence_becomes_the_rows_of_the_transcription():
    frame = figures(
        "I. TÌNH HÌNH KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2018\n"
        "Tổng kim ngạch xuất nhập khẩu là 2.430 triệu USD, đạt 50,4% kế hoạch, tăng 5% so với cùng kỳ, "
        "trong đó xuất khẩu 1.540 triệu USD, đạt 54% kế hoạch, tăng 9,2%; nhập khẩu 890 triệu USD, "
        "đạt 45,2% kế hoạch, giảm 1,7%."
    )
    expected = pd.read_csv(io.StringIO(
        "indicator_id,year,period,kind,value,low,high,qualifier,pct_of_plan,yoy_pct\n"
        "trade_turnover,2018,H1,actual,2430,,,exact,50.4,5\n"
        "trade_turnover.export,2018,H1,actual,1540,,,exact,54,9.2\n"
        "trade_turnover.import,2018,H1,actual,890,,,exact,45.2,-1.7\n"
    ), dtype={"year": "Int64"})
    pd.testing.assert_frame_equal(frame[KEY], expected, check_dtype=False)
    assert (frame["area_id"] == home_area()).all()
    assert frame["note"].iloc[0].startswith("Tổng kim ngạch xuất nhập khẩu là 2.430 triệu USD")


@pytest.mark.parametrize(("sentence", "field", "value"), [
    ("Trị giá hàng hoá vi phạm 24 tỷ đồng, bằng 60,7% cùng kỳ.", "yoy_pct", -39.3),
    ("Doanh thu du lịch ước đạt 11.348 tỷ đồng, gấp 2,5 lần so với cùng kỳ năm 2017.", "yoy_pct", 150.0),
    ("Tổng mức bán lẻ hàng hóa và dịch vụ tiêu dùng xã hội đạt 9.150 tỷ đồng, bằng 54,5% kế hoạch.", "pct_of_plan", 54.5),
    ("Tổng thu ngân sách nhà nước đạt 3.370 tỷ đồng, đạt 59,9% so với dự toán Trung ương giao, "
     "đạt 58% dự toán HĐND tỉnh giao.", "pct_of_plan", 58.0),
    ("Tổng thu ngân sách nhà nước đạt 3.370 tỷ đồng, đạt 58% dự toán HĐND tỉnh giao, "
     "đạt 59,9% dự toán Trung ương giao.", "pct_of_plan", 58.0),
    ("Tổng thu ngân sách nhà nước trên địa bàn tỉnh đạt 13.828 tỷ đồng, vượt 1,3% so với dự toán năm.", "pct_of_plan", 101.3),
])
def test_plan_and_last_year_comparisons(sentence, field, value):
    row = one("Năm 2018\n" + sentence)
    assert row[field] == pytest.approx(value)


@pytest.mark.parametrize("sentence", [
    "Chỉ số sản xuất công nghiệp tháng 9 tăng 2,5% so với tháng trước.",
    "Tỷ lệ che phủ rừng tăng 0,5 điểm phần trăm.",
    "Doanh thu viễn thông đạt 220 tỷ đồng, tăng 3% so với quý trước.",
])
def test_changes_that_are_not_on_last_year_are_not_yoy(sentence):
    reading = read_text("Năm 2018\n" + sentence)
    assert reading.figures["yoy_pct"].isna().all()
    assert not reading.unplaced.empty  # the change is listed for the analyst, not dropped


@pytest.mark.parametrize(("sentence", "qualifier", "value", "low", "high", "strictness"), [
    ("Tổng sản lượng lương thực khoảng 316,2 nghìn tấn.", "approx", 316.2, None, None, None),
    ("Tốc độ tăng trưởng kinh tế 8 - 9%.", "range", None, 8.0, 9.0, None),
    ("Doanh thu du lịch đạt trên 554 tỷ đồng.", "at_least", 554.0, 554.0, None, "strict"),
    ("Giảm tai nạn giao thông cả 3 tiêu chí từ 5% trở lên.", "at_least", 5.0, 5.0, None, "inclusive"),
    ("Tỷ lệ hộ nghèo dưới 10%.", "at_most", 10.0, None, 10.0, "strict"),
])
def test_qualifiers(sentence, qualifier, value, low, high, strictness):
    row = one("Mục tiêu năm 2019\n" + sentence)
    assert row["qualifier"] == qualifier
    for field, expected in (("value", value), ("low", low), ("high", high)):
        assert (pd.isna(row[field]) if expected is None else row[field] == pytest.approx(expected)), field
    if strictness:
        assert f"{strictness} bound" in row["reason"]


def test_units_are_converted_to_the_catalogue_unit_and_mismatches_left_unplaced():
    assert one("Năm 2018\nTổng thu ngân sách nhà nước đạt 1,2 nghìn tỷ đồng.")["value"] == pytest.approx(1200)
    assert one("Năm 2018\nTrồng rừng mới được 1,2 nghìn ha.")["value"] == pytest.approx(1200)
    assert one("Năm 2018\nKim ngạch xuất khẩu đạt 1,6 tỷ USD.")["value"] == pytest.approx(1600)
    reading = read_text("Năm 2018\nKim ngạch xuất khẩu đạt 35.000 tỷ đồng. Tốc độ tăng trưởng kinh tế đạt 300 tỷ đồng.")
    assert reading.figures.empty  # no exchange rate is guessed; a tỷ đồng figure is not a growth rate
    assert len(reading.unplaced) == 2


def test_turnover_through_the_province_of_all_types_is_not_the_customs_turnover():
    reading = read_text("6 tháng đầu năm 2024\nTổng kim ngạch xuất nhập khẩu hàng hóa qua địa bàn tỉnh đạt 2.500 triệu USD. "
                        "Kim ngạch xuất nhập khẩu đạt 2.000 triệu USD (tất cả các loại hình). "
                        "Kim ngạch xuất khẩu qua địa bàn đạt 1.200 triệu USD.")
    assert "trade_turnover" not in set(reading.figures["indicator_id"])
    assert list(reading.figures["indicator_id"]) == ["trade_turnover_all_types"] * 2  # kept apart, as the catalogue does
    assert list(reading.figures["value"]) == [2500, 2000]
    assert len(reading.unplaced) == 1  # no all-types export indicator: not given to the customs one


def test_decomposed_diacritics_read_like_composed_ones():
    text = "6 tháng đầu năm 2024\nTổng thu ngân sách nhà nước đạt 3.370 tỷ đồng, tăng 17,7% so với cùng kỳ."
    composed, decomposed = figures(text), figures(unicodedata.normalize("NFD", text))
    pd.testing.assert_frame_equal(composed[KEY], decomposed[KEY])
    assert len(composed) == 1


def test_headings_set_year_period_and_kind_and_sentences_override_them():
    frame = figures(
        "TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 9, QUÝ III VÀ 9 THÁNG NĂM 2024\n"
        "Kim ngạch xuất khẩu ước đạt 1.234,5 triệu USD, tăng 12,1% so với cùng kỳ.\n"
        "II. MỤC TIÊU NĂM 2025\n"
        "Tổng thu ngân sách nhà nước 6.000 tỷ đồng; phấn đấu 6 tháng đầu năm thu đạt 2.800 tỷ đồng.\n"
    )
    got = list(frame[["indicator_id", "year", "period", "kind"]].itertuples(index=False, name=None))
    assert got == [("trade_turnover.export", 2024, "9M", "estimate"),
                   ("budget_revenue", 2025, "FY", "target"),
                   ("budget_revenue", 2025, "H1", "target")]


def test_a_single_months_figure_is_not_taken_for_a_cumulative_one():
    reading = read_text("Năm 2021\nKim ngạch xuất khẩu tháng 9/2021 ước đạt 79,01 triệu USD, giảm 11,11% so với tháng trước.")
    assert reading.figures.empty
    assert "tháng" in reading.unplaced["reason"].iloc[0]


def test_the_source_is_the_documents_number_and_date():
    reading = read_file(PLAN_TEXT)
    assert set(reading.figures["source"]) == {"120/KH-UBND 10/8/2018"}


def test_a_docx_is_read_paragraphs_and_tables(tmp_path):
    document = Document()
    document.add_paragraph("TÌNH HÌNH KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024")
    document.add_paragraph("Tổng thu ngân sách nhà nước ước đạt 3.370 tỷ đồng, tăng 17,7% so với cùng kỳ năm 2023.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Kim ngạch xuất khẩu ước đạt"
    table.rows[0].cells[1].text = "525 triệu USD, đạt 70% kế hoạch"
    path = tmp_path / "bao_cao.docx"
    document.save(path)
    frame = read_file(path).figures
    assert list(frame["indicator_id"]) == ["budget_revenue", "trade_turnover.export"]
    assert list(frame["value"]) == [3370, 525]
    assert frame["pct_of_plan"].iloc[1] == 70


def test_a_pdf_reads_like_its_text():
    from_pdf = read_file(READING / "gia_lai_2024_h1.pdf").figures
    from_text = read_file(READING / "gia_lai_2024_h1.txt").figures
    pd.testing.assert_frame_equal(from_pdf[KEY], from_text[KEY])
    assert len(from_pdf) >= 8


def _pdf_without_text() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # what a scan's pages are to a text reader
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(READING / "gia_lai_2024_h1.pdf"))
    writer.encrypt(user_password="mat-khau", owner_password="mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "key", "words_vi"), [
    ("ban_scan.pdf", _pdf_without_text(), "reading.no_text_layer", "bản quét"),
    ("co_mat_khau.pdf", _encrypted_pdf(), "reading.encrypted", "mật khẩu"),
    ("bao_cao_cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "reading.old_doc", ".docx"),
    ("hong.docx", b"PK\x03\x04 not a real archive", "reading.unreadable", "không đọc được"),
    ("khong_so.txt", "Báo cáo tình hình thời tiết: trời nắng, gió nhẹ.".encode(), "reading.no_figures", "Không tìm thấy"),
    ("bang.xlsx", b"PK\x03\x04", "reading.unsupported", ".docx"),
])
def test_bad_files_get_a_clear_message(name, data, key, words_vi):
    with pytest.raises(TrackerError) as caught:
        read_bytes(data, name)
    assert caught.value.key == key
    assert words_vi in caught.value.message("vi")
    assert caught.value.message("en") != caught.value.message("vi")


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "rat_lon.docx"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: nothing is written to disk
    with pytest.raises(TrackerError) as caught:
        read_file(path)
    assert caught.value.key == "reading.too_large"


def test_read_command_writes_figures_and_unplaced_numbers(tmp_path, capsys):
    out = tmp_path / "so_lieu.csv"
    assert main(["read", str(READING / "quang_ninh_2023_q1.txt"), "-o", str(out)]) == 0
    written = pd.read_csv(out)
    assert list(written.columns) == ["indicator_id", "area_id", "year", "period", "kind", "value", "low", "high",
                                     "qualifier", "pct_of_plan", "yoy_pct", "source", "note", "confidence", "reason"]
    assert "budget_revenue" in set(written["indicator_id"])
    assert (tmp_path / "so_lieu-unplaced.csv").exists()
    xlsx = tmp_path / "so_lieu.xlsx"
    assert main(["read", str(READING / "quang_ninh_2023_q1.txt"), "--format", "xlsx", "-o", str(xlsx), "--year", "2023"]) == 0
    assert len(pd.read_excel(xlsx, sheet_name=None, engine="openpyxl")) == 2


def test_read_command_says_why_a_file_cannot_be_read(tmp_path, capsys):
    bad = tmp_path / "cu.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert main(["read", str(bad), "-o", str(tmp_path / "x.csv")]) == 1
    assert ".docx" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_last_years_figure_in_brackets_is_last_years_not_a_change():
    frame = figures("6 tháng đầu năm 2024\nGRDP tăng 6,1% (cùng kỳ năm trước tăng 5%). "
                    "Kim ngạch xuất khẩu đạt 500 triệu USD (cùng kỳ năm trước tăng 5%).")
    got = list(frame[["indicator_id", "year", "value"]].itertuples(index=False, name=None))
    assert got == [("grdp_growth", 2024, 6.1), ("grdp_growth", 2023, 5.0), ("trade_turnover.export", 2024, 500.0)]
    assert frame["yoy_pct"].isna().all()


def test_the_rate_a_fall_brought_is_the_rate_not_the_fall():
    assert one("Năm 2023\nTỷ lệ hộ nghèo giảm còn 5,2%.")["indicator_id"] == "poverty_rate"
    assert one("Năm 2023\nTỷ lệ hộ nghèo giảm 1,5%.")["indicator_id"] == "poverty_rate_reduction"


def test_a_sentence_naming_its_year_is_about_the_whole_year_and_a_budget_is_a_target():
    frame = figures("Kinh tế quý I/2024\nGRDP quý I/2024 ước tăng 6,5%. Năm 2024, tỉnh phấn đấu tốc độ tăng trưởng GRDP "
                    "đạt 9%. Dự toán thu ngân sách nhà nước năm 2024 là 10.000 tỷ đồng.")
    got = list(frame[["indicator_id", "year", "period", "kind", "value"]].itertuples(index=False, name=None))
    assert got == [("grdp_growth", 2024, "Q1", "estimate", 6.5), ("grdp_growth", 2024, "FY", "target", 9.0),
                   ("budget_revenue", 2024, "FY", "target", 10000.0)]


def test_a_letterhead_gives_the_source_and_its_title_the_period():
    reading = read_text(
        "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nSố: 350/BC-UBND\nLạng Sơn, ngày 25 tháng 9 năm 2024\nBÁO CÁO\n"
        "Tình hình kinh tế - xã hội tháng 9 và 9 tháng năm 2024\nI. KẾT QUẢ ĐẠT ĐƯỢC\n"
        "Thu ngân sách nhà nước trên địa bàn ước đạt 6.900 tỷ đồng, đạt 85% dự toán.")
    row = reading.figures.iloc[0]
    assert (row["indicator_id"], row["year"], row["period"], row["kind"]) == ("budget_revenue", 2024, "9M", "estimate")
    assert row["source"] == "350/BC-UBND 25/9/2024"


def test_import_of_a_report_takes_the_uploads_checks_preview_and_publish(fresh_store, capsys):
    report = READING / "gia_lai_2024_h1.pdf"
    assert main(["import", str(report), "--store", str(fresh_store.root), "--dry-run"]) == 0
    counts = re.search(r"(\d+) mới, (\d+) điều chỉnh, (\d+) không đổi", capsys.readouterr().out)
    assert sum(map(int, counts.groups())) == 9  # every figure read, new or a revision of the seed
    assert main(["import", str(report), "--store", str(fresh_store.root), "--user", "lan"]) == 0
    commit = fresh_store.history(("observations",)).iloc[0]
    assert commit["file_name"] == report.name
    assert commit["file_sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    current = fresh_store.current("observations")
    assert set(current.loc[current["year"] == 2024, "indicator_id"]) >= {"budget_revenue", "trade_turnover.export"}


def test_import_of_an_old_word_file_says_to_save_it_as_docx(fresh_store, tmp_path, capsys):
    old = tmp_path / "bao_cao.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert main(["import", str(old), "--store", str(fresh_store.root), "--dry-run"]) == 1
    assert ".docx" in capsys.readouterr().err


def test_revenues_near_a_visitor_count_are_not_all_tourism_revenue():
    reading = read_text("Năm 2023\nTổng lượt khách du lịch đạt 3 triệu lượt, doanh thu dịch vụ lưu trú, ăn uống đạt "
                        "678 tỷ đồng, doanh thu lữ hành 35 tỷ đồng; doanh thu 1.200 tỷ đồng.")
    got = list(reading.figures[["indicator_id", "value"]].itertuples(index=False, name=None))
    assert got == [("tourists", 3.0), ("tourism_revenue", 1200.0)]
    assert list(reading.unplaced["number"]) == ["678 tỷ đồng", "35 tỷ đồng"]
