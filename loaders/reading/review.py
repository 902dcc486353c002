"""From a reading to a publish: the analyst's review table, the rows kept,
and the same checks, preview and atomic publish as an uploaded file.

The kept rows are written as a CSV in the SPEC §3 columns and go through
`loaders.upload.prepare` (every check, the preview against the store); the
prepared upload then carries the report itself, so the publish archives the
document and records its name and SHA-256, not the CSV's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from pathlib import Path

import pandas as pd

from loaders import upload
from loaders.reading import COLUMNS, Reading, home_area, read_file
from tracker.i18n import t
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


def prepare(store: Store, rows: pd.DataFrame, document: bytes, document_name: str,
            lang: str = "vi") -> upload.Prepared:
    """The kept rows checked and previewed exactly as an uploaded CSV would be,
    carrying the report itself to be archived on publish."""
    name = Path(document_name).name
    table = rows.astype(object).where(rows.notna(), None)
    data = table.to_csv(index=False).encode("utf-8")
    prepared = upload.prepare(store, data, f"{Path(name).stem}.csv", lang=lang)
    return dataclasses.replace(prepared, file_name=name, sha256=hashlib.sha256(document).hexdigest(),
                               size=len(document), data=document)


def run_import(store: Store, path: Path, *, user: str, dry_run: bool, lang: str = "vi",
               year: int | None = None, period: str | None = None) -> int:
    """`python -m loaders import REPORT`: every figure read is kept, then the
    same report of problems, preview and publish as `import FILE.xlsx`."""
    reading = read_file(path, year=year, period=period, lang=lang)
    rows = kept_rows(review_table(reading), None, area=home_area(), source=reading.source)
    print(t("reading.import_read", lang, figures=len(reading.figures), unplaced=len(reading.unplaced)))
    prepared = prepare(store, rows, path.read_bytes(), path.name, lang)
    return _report_and_publish(store, prepared, user, dry_run, lang)


def _report_and_publish(store: Store, prepared: upload.Prepared, user: str, dry_run: bool, lang: str) -> int:
    """The import command's report, as `upload.run_import` prints it (kept
    apart while the upload module is being reorganised; one home later)."""
    if not prepared.ok:
        print(t("upload.cli.refused", lang, file=prepared.file_name, count=len(prepared.problems)), file=sys.stderr)
        print(upload.problems_frame(prepared.problems, lang).to_string(index=False), file=sys.stderr)
        return 1
    for table, diff in prepared.previews.items():
        counts = diff["change"].value_counts()
        print(t("upload.cli.preview", lang, table=t(f"upload.table.{table}", lang),
                **{c: int(counts.get(c, 0)) for c in ("new", "revised", "unchanged")}))
        revised = upload.revised_rows(diff, table, lang)
        if len(revised):
            print(t("upload.cli.revised", lang))
            print(revised.to_string(index=False))
    if dry_run:
        print(t("upload.cli.dry_run", lang))
        return 0
    for result in upload.publish(store, prepared, user):
        if result.version is None:
            print(t("upload.cli.nothing", lang, table=t(f"upload.table.{result.table}", lang)))
        else:
            print(t("upload.cli.published", lang, table=t(f"upload.table.{result.table}", lang),
                    version=result.version, added=result.added, revised=result.revised, unchanged=result.unchanged))
    return 0
