"""A 16:9 PowerPoint deck for a meeting (python-pptx): a title slide, the
scorecard ("đạt và vượt X/Y chỉ tiêu" and the indicators not achieved),
then one slide per chart with its title, subtitle, picture and source (in
a footer and in the speaker notes). Every word is in the chosen language;
with no figures for the year and period the scorecard slide says so."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from tracker import charts, fmt, scorecard, settings, views, wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.model import ChartSpec, Facts
from tracker.outputs import browser, images
from tracker.store import Store

SCORECARD = "scorecard"  # the chart id that stands for the scorecard slide
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_W = SLIDE_W - 2 * MARGIN
DARK, MUTED, ACCENT = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x55, 0x55, 0x55), RGBColor(0x00, 0x5A, 0x9C)
GOOD, BAD = RGBColor(0x00, 0x7A, 0x4D), RGBColor(0xB0, 0x3A, 0x00)
# Layout pixels per inch of picture: 100 keeps chart fonts at the size of the PNG export.
PICTURE_PX_PER_INCH = 100
ROW_HEIGHT = Inches(0.42)  # a table row at 14 pt; the table holds what fits above the footer
# Characters per inch of slide text at 1 pt, rounded down so estimated lines are never too few.
CHARS_PER_INCH_PT = 110


def build_deck(store: Store, year: int, period: str, lang: str = "vi", chart_ids: list[str] | None = None,
               *, scorecard_slide: bool = True, made_on: date | None = None) -> bytes:
    """The deck for `year` and `period` from the store's current figures
    (the CLI verb `deck`)."""
    store.require()
    images.start_server()  # Chromium starts while the figures are read and the charts built
    facts = Facts.from_store(store)
    areas = store.current("areas") if store.exists("areas") else None
    plans = store.current("plans") if store.exists("plans") else None
    return build_deck_from_facts(facts, year, period, lang, chart_ids, areas=areas, plans=plans,
                                 scorecard_slide=scorecard_slide, made_on=made_on)


def build_deck_from_facts(facts: Facts, year: int, period: str, lang: str = "vi", chart_ids: list[str] | None = None,
                          *, areas: pd.DataFrame | None = None, plans: pd.DataFrame | None = None,
                          scorecard_slide: bool = True, made_on: date | None = None) -> bytes:
    """The deck from figures already read (pages pass their cached facts).
    `chart_ids`: main chart ids (see `charts.main_charts`) or indicator ids, in
    slide order; None means the main chart of each area of the plan."""
    year = int(year)
    # Chromium draws pictures on each of its tabs while Python lays out the next charts and the first slides.
    with ThreadPoolExecutor(max_workers=browser.TABS) as painter:
        charts = [(spec, painter.submit(_picture, spec)) for spec in _charts(facts, year, period, lang, chart_ids)]
        deck = Presentation()
        deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
        rows = facts.observations[facts.observations["year"] == year]
        _title_slide(deck, rows, year, period, lang, areas, plans, made_on or fmt.today())
        if scorecard_slide:
            _scorecard_slide(deck, facts, year, period, lang)
        for spec, picture in charts:
            _chart_slide(deck, spec, picture.result())
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _charts(facts: Facts, year: int, period: str, lang: str, chart_ids: list[str] | None) -> Iterator[ChartSpec]:
    if chart_ids is None:
        yield from charts.main_charts(facts, year, period, lang)
        return
    known = set(facts.indicators["indicator_id"])
    unknown = [c for c in chart_ids if c != SCORECARD and c not in known]
    main = {spec.chart_id: spec for spec in charts.main_charts(facts, year, period, lang)} if unknown else {}
    for chart_id in unknown:
        if chart_id not in main:
            raise TrackerError("export.unknown_chart", chart=chart_id)
    for chart_id in chart_ids:
        if chart_id in known:
            yield charts.indicator_chart(facts, chart_id, lang, year=year)
        elif chart_id != SCORECARD:
            yield main[chart_id]


# -- slides ---------------------------------------------------------------------------
def _title_slide(deck, rows: pd.DataFrame, year: int, period: str, lang: str,
                 areas: pd.DataFrame | None, plans: pd.DataFrame | None, made_on: date) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    province = _province(areas, lang)
    title = t("export.deck.title", lang) + (" " + t("export.deck.of_province", lang, province=province) if province else "")
    _place(slide.shapes.title, MARGIN, Inches(1.6), CONTENT_W, Inches(2.0))
    _fill(slide.shapes.title.text_frame, [title], 36, DARK, bold=True, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.BOTTOM)
    subtitle = slide.placeholders[1]
    _place(subtitle, MARGIN, Inches(3.8), CONTENT_W, Inches(2.6))
    basis = _basis(rows, plans, lang)
    lines = [wording.capitalised(wording.when_label(year, period, lang))]
    _fill(subtitle.text_frame, lines, 28, ACCENT, bold=True, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.TOP)
    for text in ([basis] if basis else []) + [t("export.deck.made_on", lang, day=fmt.day(made_on, lang))]:
        _paragraph(subtitle.text_frame, text, 16, MUTED, align=PP_ALIGN.CENTER, space_before=10)


def _scorecard_slide(deck, facts: Facts, year: int, period: str, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    top = _slide_title(slide, t("export.deck.scorecard_title", lang, when=wording.when_label(year, period, lang)))
    card = scorecard.scorecard(facts.observations, facts.indicators, year, period)
    head = scorecard.headline(card, period)
    body = slide.shapes.add_textbox(MARGIN, top, CONTENT_W, Inches(1.2)).text_frame
    body.word_wrap = True
    notes = []
    if head.judged == 0:
        has_figures = bool(len(card)) and not card["status"].eq("no_data").all()
        key = "export.deck.no_judged" if has_figures else "export.deck.no_data"
        message = t(key, lang, when=wording.when_label(year, period, lang))
        _fill(body, [message], 28, DARK, bold=True)
        notes.append(message)
    else:
        colour = GOOD if not head.not_achieved else DARK
        _fill(body, [head.text(lang)], 40, colour, bold=True)
        detail = (t("export.deck.not_achieved_intro", lang, n=len(head.not_achieved)) if head.not_achieved
                  else t("export.deck.all_achieved", lang))
        _paragraph(body, detail, 18, MUTED, space_before=4)
        notes += [head.text(lang), detail]
    missing = card[card["indicator_id"].isin(head.not_achieved)]
    if not missing.empty:
        _not_achieved_table(slide, missing, lang, top + Inches(1.3))
        notes += [f"- {pick(r, 'name', lang)}: {r[f'explanation_{lang}']}" for r in missing.to_dict("records")]
    sources = views.sources(facts.observations[(facts.observations["year"] == year)
                                               & facts.observations["indicator_id"].isin(card["indicator_id"])])
    if sources:
        footer = t("export.source_only", lang, source=sources)
        _footer(slide, footer)
        notes.append(footer)
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)


def _not_achieved_table(slide, rows: pd.DataFrame, lang: str, top: int) -> None:
    fit = int((SLIDE_H - Inches(0.6) - top) / ROW_HEIGHT) - 1  # rows below the header
    shown = rows if len(rows) <= fit else rows.head(fit - 1)
    rest = len(rows) - len(shown)
    headers = [t(f"export.deck.col.{c}", lang) for c in ("indicator", "figure", "pct_of_plan", "status")]
    widths = [Inches(5.5), Inches(2.4), Inches(1.6), CONTENT_W - Inches(9.5)]
    height = ROW_HEIGHT * (len(shown) + 1 + (1 if rest else 0))
    table = slide.shapes.add_table(len(shown) + 1 + (1 if rest else 0), 4, MARGIN, top, CONTENT_W, height).table
    for i, width in enumerate(widths):
        table.columns[i].width = width
    for i, text in enumerate(headers):
        _cell(table.cell(0, i), text, 15, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
    for r, row in enumerate(shown.to_dict("records"), start=1):
        unit = pick(row, "unit", lang)
        figure = wording.quantity({"value": row["figure_value"], "low": row["figure_low"], "high": row["figure_high"]},
                                  lang, unit, short=True)
        share = row["pct_of_plan"] if not fmt.is_missing(row["pct_of_plan"]) else row["attainment"]
        cells = [pick(row, "name", lang), figure, fmt.percent(share, 1, lang), wording.status_label(row["status"], lang)]
        for c, text in enumerate(cells):
            _cell(table.cell(r, c), text, 14, colour=BAD if c == 3 else DARK)
    if rest:
        last = len(shown) + 1
        table.cell(last, 0).merge(table.cell(last, 3))
        _cell(table.cell(last, 0), t("export.deck.more", lang, n=rest), 14, colour=MUTED)


def _chart_geometry(spec: ChartSpec) -> tuple[int, int, int, int]:
    """Where a chart slide puts its subtitle and picture: (title bottom,
    subtitle lines, picture top, picture height), in EMU but for the lines."""
    title_bottom = _title_height(spec.title)
    lines = sum(_line_count(line, 14, CONTENT_W) for line in images.subtitle(spec))
    top = title_bottom + (Pt(14 * 1.3 * lines) + Inches(0.15) if lines else 0)
    return title_bottom, lines, int(top), int(SLIDE_H - Inches(0.6) - top)


def _picture(spec: ChartSpec) -> bytes:
    """The chart drawn to fill the space its slide leaves for it."""
    _, _, _, height = _chart_geometry(spec)
    width_px = round(CONTENT_W / 914400 * PICTURE_PX_PER_INCH)
    height_px = max(200, round(height / 914400 * PICTURE_PX_PER_INCH))
    return images.plot_bytes(spec, width_px, height_px)


def _chart_slide(deck, spec: ChartSpec, picture: bytes) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    title_bottom, lines, top, height = _chart_geometry(spec)
    _slide_title(slide, spec.title)
    sub = images.subtitle(spec)
    if lines:
        box = slide.shapes.add_textbox(MARGIN, title_bottom, CONTENT_W, Pt(14 * 1.3 * lines) + Inches(0.1))
        _fill(box.text_frame, sub, 14, MUTED)
    slide.shapes.add_picture(io.BytesIO(picture), MARGIN, top, width=CONTENT_W, height=height)
    source = images.source_line(spec)
    _footer(slide, source)
    notes = [spec.title, *sub, source, *spec.notes]
    slide.notes_slide.notes_text_frame.text = "\n".join(n for n in notes if n)


# -- words from the catalogue ----------------------------------------------------------
def _province(areas: pd.DataFrame | None, lang: str) -> str:
    """The name of the plan's area (tracker.settings.home_area), "" when the store has no areas."""
    if areas is None or areas.empty:
        return ""
    home = settings.home_area(areas)
    return pick(areas[areas["area_id"] == home].iloc[0], "name", lang)


def _basis(rows: pd.DataFrame, plans: pd.DataFrame | None, lang: str) -> str:
    """"Căn cứ: Kế hoạch số 120/KH-UBND ngày 10/8/2018 của UBND tỉnh Lạng
    Sơn" for the plans the figures come from; their sources when no plan matches."""
    sources = views.sources(rows)
    if not sources:
        return ""
    documents = []
    if plans is not None and not plans.empty:
        for plan in plans.to_dict("records"):
            if plan.get("number") and plan["number"] in sources:
                issued = pd.Timestamp(plan["issued_on"]).date() if not fmt.is_missing(plan.get("issued_on")) else None
                documents.append(t("export.deck.plan_document", lang, number=plan["number"],
                                   day=fmt.day(issued, lang), issuer=plan.get("issuer_vi") or ""))
    return t("export.deck.basis", lang, documents="; ".join(documents) if documents else sources)


# -- pptx helpers -----------------------------------------------------------------------
def _line_count(text: str, size_pt: float, width) -> int:
    per_line = max(10, int(width / 914400 * CHARS_PER_INCH_PT / size_pt))
    return max(1, math.ceil(len(text) / per_line))


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = int(left), int(top), int(width), int(height)


def _title_size(text: str) -> int:
    return 28 if len(text) <= 60 else 22


def _title_height(text: str) -> int:
    """Where the content under a slide title of this length may start (EMU)."""
    size = _title_size(text)
    return int(Inches(0.3) + Pt(size * 1.25 * _line_count(text, size, CONTENT_W)) + Inches(0.25))


def _slide_title(slide, text: str) -> int:
    """Put the slide's title at the top, sized to its length; return where
    the content below it may start (EMU from the top)."""
    bottom = _title_height(text)
    _place(slide.shapes.title, MARGIN, Inches(0.3), CONTENT_W, bottom - Inches(0.4))
    frame = slide.shapes.title.text_frame
    _fill(frame, [text], _title_size(text), DARK, bold=True, anchor=MSO_ANCHOR.TOP)
    frame.margin_top = frame.margin_bottom = 0
    return bottom


def _fill(frame, lines: list[str], size: int, colour, bold: bool = False,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, text in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(paragraph, text, size, colour, bold)
        paragraph.alignment = align


def _paragraph(frame, text: str, size: int, colour, align=PP_ALIGN.LEFT, space_before: int = 0) -> None:
    paragraph = frame.add_paragraph()
    paragraph.alignment = align
    paragraph.space_before = Pt(space_before)
    _run(paragraph, text, size, colour, False)


def _run(paragraph, text: str, size: int, colour, bold: bool) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _cell(cell, text: str, size: int, bold: bool = False, colour=DARK) -> None:
    cell.text_frame.clear()
    cell.text_frame.word_wrap = True
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _run(cell.text_frame.paragraphs[0], text, size, colour, bold)


def _footer(slide, text: str) -> None:
    box = slide.shapes.add_textbox(MARGIN, SLIDE_H - Inches(0.5), CONTENT_W, Inches(0.4))
    box.text_frame.word_wrap = True
    _fill(box.text_frame, [text], 11, MUTED, anchor=MSO_ANCHOR.MIDDLE)
