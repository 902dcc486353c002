"""A chart on a page: its title, a line saying unit, period, kinds of figure,
target, source and date of the figures, the interactive figure, its notes,
the data behind it and its downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import fmt
from tracker.i18n import t
from tracker.model import ChartSpec
from tracker.text import literal
from ui import downloads

# No camera button: its PNG would lack the title, unit, source and date the
# download menu's images carry (ui.downloads); one way to take a chart away.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["toImage"]}


def caption(spec: ChartSpec) -> str:
    """Unit · period · kinds · target · source · date of the figures."""
    lang = spec.lang
    parts = [  # every value escaped: a source or unit from a file is shown as written
        t("views.caption.unit", lang, unit=literal(spec.unit)) if spec.unit else "",
        t("views.caption.period", lang, period=literal(spec.period)) if spec.period else "",
        t("views.caption.kinds", lang, kinds=literal(spec.kinds)) if spec.kinds else "",
        t("views.caption.target", lang, target=literal(spec.target)) if spec.target else "",
        t("views.caption.source", lang, source=literal(spec.source)) if spec.source else "",
        t("views.caption.as_of", lang, as_of=literal(spec.as_of)) if spec.as_of else "",
    ]
    return " · ".join(p for p in parts if p)


def display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table as people read it: decimals in the language's format, years
    as plain numbers; downloads keep the numbers themselves."""
    shown = frame.copy()
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_float_dtype(series):
            shown[column] = series.map(lambda x: fmt.number(round(x, 6), None, lang) if not fmt.is_missing(x) else "")
        elif pd.api.types.is_integer_dtype(series):
            shown[column] = series.astype("string").fillna("")
    return shown


def show(spec: ChartSpec, *, table: bool = True) -> None:
    """Render one chart with everything a reader needs beside it."""
    lang = spec.lang
    st.subheader(spec.title)
    st.caption(caption(spec))
    st.plotly_chart(spec.figure, key=f"chart_{spec.chart_id}", theme=None, config=PLOTLY_CONFIG,
                    alt=f"{spec.title}. {caption(spec)}")
    for note in spec.notes:
        st.warning(literal(note), icon="⚠️")
    if table and not spec.data.empty:
        # The table is drawn when the reader opens it (a rerun), not for every closed
        # expander: on a page of twenty long series they cost the browser seconds.
        with st.expander(t("views.chart.data", lang), key=f"data_open_{spec.chart_id}", on_change="rerun") as box:
            if box.open:
                st.dataframe(display(spec.data, lang), hide_index=True, key=f"data_{spec.chart_id}")
    downloads.chart_downloads(spec, lang)
