"""The indicator explorer's figures by area: districts and communes as
recorded, and on the boundaries of a chosen year the flows of units that
ended recomputed for the units that replaced them (labelled "tính lại theo
địa giới mới"). Thin: the rules live in tracker/orgs.py (roll_up)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tracker import fmt, orgs
from tracker.i18n import t
from ui import data_io, views_io
from ui.charts import display


@st.cache_data(show_spinner=False, max_entries=64)
def _inside_rows(root: str, version: int, areas_version: int, indicator_id: str, home_id: str) -> pd.DataFrame:
    # Only the files of the home area's districts and communes are read, as views_io reads one area's.
    store = data_io.store(root)
    ids = sorted(orgs.inside(store.current("areas", areas_version), home_id))
    if not ids:
        return pd.DataFrame()
    rows = store.current("observations", version, where={"area_id": ids})
    return rows[rows["indicator_id"] == indicator_id].reset_index(drop=True)


def indicator_areas(indicator_id: str, indicator: dict, lang: str, alone: bool = False) -> bool:
    """The section, shown when the indicator has figures for an area inside
    the home area (`alone`: the home area itself has none, and the page says
    so first). Whether it was shown."""
    s = data_io.store()
    if not s.exists("areas"):
        return False
    home_id = views_io.home()
    rows = _inside_rows(s.root, s.version("observations"), s.version("areas"), indicator_id, home_id)
    if rows.empty:
        return False
    if alone:
        st.info(t("rollup.only_by_area", lang), icon="ℹ️")
    st.subheader(t("rollup.heading", lang), anchor="by_area")
    years = sorted({*rows["year"].astype(int), fmt.today().year}, reverse=True)
    year = st.selectbox(t("rollup.boundaries", lang), years, key="rollup_year")
    on = date(int(year), 12, 31)
    st.caption(t("rollup.about", lang, day=fmt.day(on, lang)))
    areas = data_io.current("areas")
    figures = orgs.area_figures(rows, areas, views_io.indicators(), home_id, on)
    if indicator["measure"] != "flow":
        st.info(t(f"rollup.not_additive.{indicator['measure']}", lang), icon="ℹ️")
    elif not (figures["how"] == orgs.RECOMPUTED_NOTE).any():
        st.info(t("rollup.none_recomputed", lang, year=year), icon="ℹ️")
    st.dataframe(display(orgs.area_table(figures, areas, indicator, home_id, lang), lang), hide_index=True,
                 key="area_figures")
    return True
