"""From a reading to a publish: the analyst's review table, the rows kept,
and the same checks, preview and atomic publish as an uploaded file.

The rows go to the upload package as a grid of text (`Grid.from_strings`,
SPEC §3 column names) through `prepare_grids`, with the report itself as the
file: the publish archives the document and records its name and SHA-256.
Importing this module registers the report formats in `upload.READERS`, so
`python -m loaders import REPORT.docx` reads, checks, previews and publishes
every figure found, like any uploaded file.
"""

from __future__ import annotations

import pandas as pd

from loaders import upload
from loaders.reading import COLUMNS, FORMATS, Reading, home_area, read_bytes
from tracker.errors import TrackerError
from tracker.store import Store

SPEC_COLUMNS = [c for c in COLUMNS if c not in ("confidence", "reason")]
EDITABLE = ["indicator_id", "year", "period", "kind", "value", "low", "high", "qualifier", "pct_of_plan", "yoy_pct"]


def marked(sentence: str, start: int, end: int) -> str:
    """The sentence with the figure's span between « and » (plain text: safe
    to show anywhere, nothing of the document is taken as markup)."""
    return f"{sentence[:start]}«{sentence[start:end]}»{sentence[end:]}"


def review_table(reading: Reading) -> pd.DataFrame:
    """One row per figure for the analyst: a keep tick (on), the editable
    fields, then the sentence with the span marked, the confidence and reason."""
    frame = reading.figures[EDITABLE + ["confidence", "reason"]].copy()
    frame.insert(0, "keep", True)
    frame["sentence"] = [marked(s, a, b) for s, a, b in reading.spans.itertuples(index=False, name=None)]
    return frame.reset_index(drop=True)


def unplaced_table(reading: Reading) -> pd.DataFrame:
    """The numbers not placed, each with an empty indicator the analyst may choose."""
    frame = reading.unplaced[["number", "year", "period", "kind", "value", "low", "high", "qualifier",
                              "reason", "sentence"]].copy()
    frame.insert(0, "indicator_id", pd.Series([None] * len(frame), dtype="object"))
    return frame.reset_index(drop=True)


def kept_rows(figures: pd.DataFrame, assigned: pd.DataFrame | None, *, area: str, source: str) -> pd.DataFrame:
    """The rows to publish in the SPEC §3 columns: the figures ticked, and
    the unplaced numbers given an indicator. `note` is the verbatim span."""
    kept = figures[figures["keep"].fillna(False).astype(bool)].copy()
    kept["note"] = [_span(s) for s in kept["sentence"]]
    parts = [kept]
    if assigned is not None and len(assigned):
        chosen = assigned[assigned["indicator_id"].notna() & (assigned["indicator_id"].astype(str) != "")].copy()
        chosen["note"] = chosen["number"]
        parts.append(chosen)
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    rows = rows.assign(area_id=area, source=source)
    rows["qualifier"] = rows["qualifier"].fillna("exact")
    return rows.reindex(columns=SPEC_COLUMNS)


def _span(marked_sentence: str) -> str:
    start, end = marked_sentence.find("«"), marked_sentence.rfind("»")
    return marked_sentence[start + 1:end] if 0 <= start < end else marked_sentence


def grid(rows: pd.DataFrame) -> upload.Grid:
    """The rows as a sheet of text for the upload's checks (numbers with a
    decimal comma, as analysts write them)."""
    def text(value) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return ""
        if isinstance(value, float):
            return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
        return str(value)

    body = [[text(v) for v in row] for row in rows[SPEC_COLUMNS].itertuples(index=False, name=None)]
    return upload.Grid.from_strings("figures", [SPEC_COLUMNS, *body])


def prepare(store: Store, rows: pd.DataFrame, document: bytes, document_name: str) -> upload.Prepared:
    """The kept rows checked and previewed exactly as an uploaded file's,
    carrying the report itself to be archived on publish."""
    return upload.prepare_grids(store, [grid(rows)], document_name, document)


def run(data: bytes, file_name: str, limit: upload.Limits) -> tuple[list[upload.Grid], list[upload.Problem]]:
    """The upload's reader for a report: every figure found, as one grid."""
    if len(data) > limit.max_file_bytes:
        return [], [upload.Problem(None, None, None, file_name, "upload.file.too_big",
                                   {"size": f"{len(data) / 2**20:.0f}", "limit": f"{limit.max_file_bytes / 2**20:.0f}"})]
    try:
        reading = read_bytes(data, file_name)
    except TrackerError as exc:
        return [], [upload.Problem(None, None, None, file_name, exc.key, exc.params)]
    rows = kept_rows(review_table(reading), None, area=home_area(), source=reading.source)
    return [grid(rows)], []


upload.READERS.update(dict.fromkeys((*FORMATS, ".doc"), run))  # .doc: to say "save it as .docx"
