"""Figures read from Vietnamese report text (SPEC §10).

    reading = read_file("bao_cao.docx")            # or read_text(pasted, name="...")
    reading.figures    # SPEC §3 columns + confidence, reason: one row per figure
    reading.unplaced   # numbers it could not place, with their sentence and why

The flow: file → paragraphs (extract.py) → headings set year/period/kind
(context.py) → sentences → phrases of catalogue indicators, numbers, units and
the words around them (phrases.py, figures.py) → rows. No network, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.reading import context as ctxmod
from loaders.reading.extract import FORMATS, MAX_BYTES, paragraphs, text_paragraphs
from loaders.reading.figures import SentenceReader
from loaders.reading.phrases import DATA_DIR, Phrasebook, clean, phrasebook
from tracker import settings
from tracker.errors import TrackerError
from tracker.i18n import t

COLUMNS = ["indicator_id", "area_id", "year", "period", "kind", "value", "low", "high", "qualifier",
           "pct_of_plan", "yoy_pct", "source", "note", "confidence", "reason"]
UNPLACED_COLUMNS = ["number", "sentence", "reason", "year", "period", "kind", "value", "low", "high", "qualifier", "source"]
__all__ = ["COLUMNS", "FORMATS", "UNPLACED_COLUMNS", "Reading", "home_area", "read_bytes", "read_file", "read_text"]


@dataclass
class Reading:
    """What a report says: `figures` (COLUMNS), `unplaced` (UNPLACED_COLUMNS)
    and, row for row with `figures`, the sentence each figure was read from and
    where its span lies in it (`spans`: sentence, start, end)."""

    figures: pd.DataFrame
    unplaced: pd.DataFrame
    source: str
    spans: pd.DataFrame


def home_area(areas_file: Path = DATA_DIR / "areas.csv") -> str:
    """The area the product tracks, as the pages find it (tracker.settings.home_area) in the areas file."""
    return settings.home_area(pd.read_csv(areas_file, dtype=str, keep_default_na=False))


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(\-–+•]?\s*[A-ZĐÀ-Ỹ0-9])")


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, list bullets dropped."""
    out = []
    for part in _SENTENCE_END.split(paragraph):
        part = re.sub(r"^[-+•*]\s+", "", part.strip())
        if part:
            out.append(part)
    return out


def read_text(text: str | list[str], *, name: str = "", year: int | None = None, period: str | None = None,
              kind: str | None = None, area: str | None = None, source: str | None = None,
              lang: str = "vi", book: Phrasebook | None = None) -> Reading:
    """Every figure a report's text states about a catalogue indicator.

    `text` is the pasted text or the paragraphs of a file. `year`, `period`
    and `kind` fill what the document's own words leave open; `area` defaults
    to the home province; `source` to the document's number and date."""
    book = book or phrasebook()
    lines = [clean(p) for p in (text_paragraphs(text) if isinstance(text, str) else text) if p and p.strip()]
    source = source or ctxmod.document_source(lines, name)
    area = area or home_area()
    outline = ctxmod.Outline(ctxmod.Context(year, period, kind))
    titles = [x for x in lines[:3] if not re.match(r"(?i)(url|nguồn|source)\s*:", x)]
    if titles:
        outline.first_line(titles[0])
    rows, loose, spans = [], [], []
    lead, body_seen, carried = ctxmod.Context(), 0, []
    for line in lines:
        if titles and line is titles[0] or re.match(r"(?i)(url|source)\s*:", line):
            continue
        if outline.feed(line):
            carried = []
            continue
        body_seen += 1
        if body_seen <= 3 and lead == ctxmod.Context() and not ctxmod.DATE_LINE.search(line):
            lead = ctxmod.lead_context(line)  # "2 tháng đầu năm 2026, ...": a press article's period
        heading = outline.current().over(lead)
        paragraph_date = None
        for sentence in sentences(line):
            reader = SentenceReader(book, sentence, heading, paragraph_date, carried)
            result = reader.read()
            carried = reader.mentioned
            for fig in result.figures:
                ctx = fig.ctx
                note = sentence[fig.start:fig.end].strip(" ,;.:(")
                problem = ("reading.unplaced.single_month" if ctx.period == "month"
                           else "reading.unplaced.no_period" if ctx.year is None or ctx.period is None else None)
                if problem:
                    loose.append({"number": note, "sentence": sentence, "reason": t(problem, lang), "year": ctx.year,
                                  "period": None if ctx.period == "month" else ctx.period,
                                  "kind": ctx.kind or "actual", "value": fig.value, "low": fig.low, "high": fig.high,
                                  "qualifier": fig.qualifier, "source": source})
                    continue
                spans.append({"sentence": sentence, "start": fig.start, "end": fig.end})
                rows.append({
                    "indicator_id": fig.indicator_id, "area_id": area, "year": ctx.year, "period": ctx.period,
                    "kind": ctx.kind or "actual", "value": fig.value, "low": fig.low, "high": fig.high,
                    "qualifier": fig.qualifier, "pct_of_plan": fig.pct_of_plan, "yoy_pct": fig.yoy_pct,
                    "source": source, "note": note, "confidence": round(max(0.1, fig.confidence), 2),
                    "reason": "; ".join(fig.reasons),
                })
            for miss in result.unplaced:
                ctx = reader.context_at(miss.start)
                n = miss.number
                loose.append({
                    "number": sentence[miss.start:miss.end].strip(), "sentence": sentence,
                    "reason": t(miss.reason, lang), "year": ctx.year,
                    "period": None if ctx.period == "month" else ctx.period, "kind": ctx.kind or "actual",
                    "value": n.value if n else None, "low": n.low if n else None, "high": n.high if n else None,
                    "qualifier": n.qualifier if n else None, "source": source,
                })
            if reader.date is not None and paragraph_date is None:
                paragraph_date = reader.date[1]
    figures = pd.DataFrame(rows, columns=COLUMNS)
    figures = _complete(figures)
    unplaced = pd.DataFrame(loose, columns=UNPLACED_COLUMNS).astype(
        {"year": "Int64", "value": "float64", "low": "float64", "high": "float64"})
    if figures.empty and unplaced.empty:
        raise TrackerError("reading.no_figures", name=name or "—")
    return Reading(figures, unplaced, source, pd.DataFrame(spans, columns=["sentence", "start", "end"]))


def _complete(figures: pd.DataFrame) -> pd.DataFrame:
    """Rows without a year or period are not figures yet: the caller lists them as unplaced."""
    figures = figures.astype({"year": "Int64", "value": "float64", "low": "float64", "high": "float64",
                              "pct_of_plan": "float64", "yoy_pct": "float64", "confidence": "float64"})
    return figures.reset_index(drop=True)


def read_bytes(data: bytes, file_name: str, **options) -> Reading:
    """`read_text` on a file's bytes (.docx, .pdf, .txt, .md)."""
    return read_text(paragraphs(data, file_name), name=Path(file_name).name, **options)


def read_file(path: str | Path, **options) -> Reading:
    """`read_text` on a file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise TrackerError("cli.file_missing", path=str(path)) from None
    if size > MAX_BYTES:  # refused before reading it into memory
        raise TrackerError("reading.too_large", name=path.name, size=f"{size / 1e6:.0f}", limit=f"{MAX_BYTES / 1e6:.0f}")
    return read_bytes(path.read_bytes(), path.name, **options)
