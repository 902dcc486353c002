"""The "Đọc báo cáo" review on the Data update page: the figures read from a
report beside their sentence (span marked « »), editable, each with a keep
tick; the numbers not placed, each assignable to an indicator. Returns the
rows to check once the analyst confirms them; the page then shows the same
preview and publish as for an uploaded workbook."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from loaders.reading import read_bytes, read_text
from loaders.reading import review as reading_review
from tracker import schema, wording
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.text import literal
from ui import data_io


@st.cache_data(show_spinner=False, max_entries=8)
def _read(data: bytes, name: str, text: str | None, lang: str):
    """The reading of a file or pasted text (cached: a rerun does not read again)."""
    reading = read_text(text, name=name, lang=lang) if text is not None else read_bytes(data, name, lang=lang)
    return reading_review.review_table(reading), reading_review.unplaced_table(reading), reading.source


def _labels(column: str, lang: str) -> str:
    return t(f"reading.column.{column}", lang)


def review(data: bytes, name: str, text: str | None, area: str, lang: str) -> tuple[tuple, pd.DataFrame] | None:
    """Show the review; the (source key, rows to check) once confirmed, else None."""
    try:
        figures, unplaced, source = _read(data, name, text, lang)
    except TrackerError as exc:
        exc.params = {k: literal(v) if isinstance(v, str) else v for k, v in exc.params.items()}  # file-borne
        st.error(exc.message(lang))
        return None
    st.subheader(t("reading.review_title", lang, file=literal(name)))
    st.caption(t("reading.review_help", lang, figures=len(figures), unplaced=len(unplaced)))
    indicators = data_io.current("indicators")
    ids = sorted(indicators["indicator_id"])
    config = {
        "keep": st.column_config.CheckboxColumn(_labels("keep", lang)),
        "indicator_id": st.column_config.SelectboxColumn(_labels("indicator_id", lang), options=ids, width="medium"),
        "year": st.column_config.NumberColumn(_labels("year", lang), format="%d", step=1),
        "period": st.column_config.SelectboxColumn(_labels("period", lang), options=list(schema.PERIODS)),
        "kind": st.column_config.SelectboxColumn(_labels("kind", lang), options=list(schema.KINDS)),
        "qualifier": st.column_config.SelectboxColumn(_labels("qualifier", lang), options=list(schema.QUALIFIERS)),
        "value": st.column_config.NumberColumn(_labels("value", lang)),
        "sentence": st.column_config.TextColumn(_labels("sentence", lang), width="large"),
    }
    edited = st.data_editor(
        figures, key="reading_figures", hide_index=True, column_config=config, num_rows="fixed",
        disabled=["confidence", "reason", "sentence"],
    )
    assigned = None
    if len(unplaced):
        st.markdown(f"**{t('reading.unplaced_title', lang, count=len(unplaced))}**")
        assigned = st.data_editor(
            unplaced, key="reading_unplaced", hide_index=True, column_config=config, num_rows="fixed",
            disabled=["number", "reason", "sentence"],
        )
    rows = reading_review.kept_rows(edited, assigned, area=area, source=source)
    st.caption(t("reading.kept", lang, count=len(rows),
                 period_labels=", ".join(sorted({wording.period_label(p, lang) for p in rows["period"].dropna()}))))
    digest = hashlib.sha256(rows.to_csv(index=False).encode("utf-8")).hexdigest()
    key = (hashlib.sha256(data or (text or "").encode("utf-8")).hexdigest(), digest)
    confirmed = st.session_state.get("reading_confirmed")
    if st.button(t("reading.check", lang, count=len(rows)), key="reading_check", disabled=rows.empty):
        st.session_state["reading_confirmed"] = confirmed = key
    if confirmed != key:
        return None  # edited since the last check: the preview waits for the next one
    return key, rows
