"""The PowerPoint deck (tracker.outputs.deck) and the CLI verb `deck`: built from
the seed store, opened again with python-pptx and read as a presenter would."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from loaders.__main__ import main
from tracker import charts, scorecard, wording
from tracker.errors import TrackerError
from tracker.i18n import pick
from tracker.model import Facts
from tracker.outputs import deck, images

INDICATORS = ["grdp_growth", "budget_revenue", "trade_turnover"]


@pytest.fixture(scope="module")
def facts(plan_120_store) -> Facts:
    return Facts.from_store(plan_120_store)


@pytest.fixture(scope="module")
def h1_deck(plan_120_store):
    data = deck.build_deck(plan_120_store, 2018, "H1", "vi", INDICATORS, made_on=date(2024, 12, 5))
    return Presentation(io.BytesIO(data))


def texts(slide) -> list[str]:
    """Every paragraph of a slide, tables included, in shape order."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found += [p.text for p in shape.text_frame.paragraphs if p.text]
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells if cell.text]
    return found


def test_the_deck_is_16_9_with_a_title_a_scorecard_and_one_slide_per_chart(h1_deck):
    assert (h1_deck.slide_width, h1_deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(h1_deck.slides) == 2 + len(INDICATORS)


def test_the_title_slide_names_province_period_source_and_date(h1_deck):
    assert texts(h1_deck.slides[0]) == [
        "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội tỉnh Lạng Sơn",
        "6 tháng đầu năm 2018",
        "Căn cứ số liệu: Kế hoạch số 120/KH-UBND ngày 10/08/2018 của UBND tỉnh Lạng Sơn",
        "Ngày lập: 05/12/2024",
    ]


def test_the_scorecard_slide_leads_with_the_headline_and_lists_what_is_not_achieved(h1_deck, facts):
    card = scorecard.scorecard(facts.observations, facts.indicators, 2018, "H1")
    head = scorecard.headline(card)
    assert head.judged > 0 and head.not_achieved  # the seed's first half has both
    slide = h1_deck.slides[1]
    words = texts(slide)
    assert slide.shapes.title.text == "Kết quả thực hiện các chỉ tiêu 6 tháng đầu năm 2018"
    assert words[1] == head.text("vi") == f"{head.achieved}/{head.judged} chỉ tiêu đúng tiến độ"
    assert words[2] == f"{len(head.not_achieved)} chỉ tiêu chưa đạt, có nguy cơ không đạt hoặc chậm tiến độ:"

    table = next(s for s in slide.shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Chỉ tiêu", "Kết quả", "% kế hoạch", "Đánh giá"]
    missing = card.set_index("indicator_id").loc[head.not_achieved]
    assert [r[0] for r in rows[1:]] == [pick(r, "name", "vi") for r in missing.to_dict("records")]
    assert [r[3] for r in rows[1:]] == [wording.status_label(s, "vi") for s in missing["status"]]
    budget = rows[1:][head.not_achieved.index("budget_revenue")]
    assert budget[1:3] == ["2.441,7 tỷ đồng", "41,4%"]

    assert words[-1] == "Nguồn: 120/KH-UBND 10/8/2018"
    notes = slide.notes_slide.notes_text_frame.text
    assert all(pick(r, "name", "vi") in notes for r in missing.to_dict("records"))


def test_each_chart_slide_has_title_subtitle_picture_footer_and_notes(h1_deck, facts):
    for slide, indicator_id in zip(list(h1_deck.slides)[2:], INDICATORS, strict=True):
        spec = charts.indicator_chart(facts, indicator_id, "vi", year=2018)
        assert slide.shapes.title.text == spec.title == facts.indicator(indicator_id)["name_vi"]
        words = texts(slide)
        assert words[1].startswith(f"Đơn vị: {spec.unit} · ")
        assert words[-1] == f"Nguồn: {spec.source} · Số liệu đến {spec.as_of}"
        assert words[1:-1] == images.subtitle(spec)
        assert slide.notes_slide.notes_text_frame.text.splitlines()[:2] == [spec.title, words[1]]
        assert words[-1] in slide.notes_slide.notes_text_frame.text.splitlines()
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.left >= 0 and picture.top >= 0
        assert picture.left + picture.width <= h1_deck.slide_width
        assert picture.top + picture.height <= h1_deck.slide_height - Inches(0.5)  # above the footer
        pixels = np.asarray(Image.open(io.BytesIO(picture.image.blob)).convert("RGB"))
        assert pixels.shape[1] >= 1800  # 150 pixels per inch across the slide
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50


def test_without_figures_the_scorecard_slide_says_so_plainly(built_store):
    data = deck.build_deck(built_store, 1999, "FY", "vi", [])
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(slides) == 2
    assert texts(slides[1])[1] == "Chưa có số liệu cả năm 1999 để đánh giá so với kế hoạch."
    assert not any(s.has_table for s in slides[1].shapes)


def test_only_targets_is_said_too_and_english_words_follow_the_language(built_store):
    data = deck.build_deck(built_store, 2019, "FY", "en", ["grdp_growth"])
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert texts(slides[0])[0] == "Progress on the socio-economic development plan of Lang Son province"
    assert texts(slides[1])[1] == "There are no figures for the full year 2019 to judge against the plan yet."
    assert slides[2].shapes.title.text == "GRDP growth rate"


def test_the_default_deck_has_the_main_chart_of_each_area(built_store, facts):
    main_charts = charts.main_charts(facts, 2018, "H1", "vi")
    assert main_charts
    slides = list(Presentation(io.BytesIO(deck.build_deck(built_store, 2018, "H1"))).slides)
    assert len(slides) == 2 + len(main_charts)
    assert [s.shapes.title.text for s in slides[2:]] == [spec.title for spec in main_charts]


def test_a_deck_without_the_scorecard_and_an_unknown_chart(built_store):
    data = deck.build_deck(built_store, 2018, "H1", "vi", ["grdp_growth"], scorecard_slide=False)
    assert len(Presentation(io.BytesIO(data)).slides) == 2
    with pytest.raises(TrackerError) as error:
        deck.build_deck(built_store, 2018, "H1", "vi", ["no_such_chart"])
    assert error.value.message("vi") == (
        "Không có biểu đồ “no_such_chart”: hãy dùng mã một chỉ tiêu hoặc mã một biểu đồ chính")


def test_cli_deck_writes_a_deck_that_opens(built_store, tmp_path, capsys):
    out = tmp_path / "giao_ban.pptx"
    code = main(["deck", "--year", "2018", "--period", "H1", "-o", str(out), "--store", str(built_store.root)])
    assert code == 0, capsys.readouterr().err
    slides = list(Presentation(str(out)).slides)
    assert len(slides) >= 2
    assert slides[1].shapes.title.text == "Kết quả thực hiện các chỉ tiêu 6 tháng đầu năm 2018"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_deck(built_store, tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck.build_deck(built_store, 2018, "H1", "vi", INDICATORS))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, timeout=180, capture_output=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    info = dict(line.split(":", 1) for line in pages.splitlines() if ":" in line)
    assert int(info["Pages"].strip()) == 5  # pdfinfo pads its columns; read the number, not the spacing
