"""Cached reads for a plan over years: the five-year status of a year, the
year-end projection of a year and period, where sources disagree on one
indicator, and the sources' links. Keyed by the store root and the tables'
versions, like ui/views_io.py, so a publish shows at the next rerun."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import fiveyear, history, projection
from ui import data_io, views_io


def _key() -> tuple:
    return views_io.key()[:3]


@st.cache_data(show_spinner=False, max_entries=32)
def _five_year(key: tuple, year: int, area_id: str) -> list[fiveyear.SpanStatus]:
    rows = views_io.facts(None, area_id)
    observations = pd.concat([rows.observations, rows.spans], ignore_index=True)
    return fiveyear.assess(observations, rows.indicators, year, area_id)


def five_year(year: int, area_id: str | None = None) -> list[fiveyear.SpanStatus]:
    """Every multi-year target whose span holds `year`, judged at its end."""
    return _five_year(_key(), int(year), area_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _projections(key: tuple, year: int, period: str | None, area_id: str) -> list[projection.Projection]:
    rows = views_io.facts(None, area_id)
    return projection.project_year(rows.observations, rows.indicators, year, period, area_id)


def projections(year: int, period: str | None = None, area_id: str | None = None) -> list[projection.Projection]:
    """The full year projected from the partial figures of `year` (of
    `period` when given, else each indicator's latest)."""
    return _projections(_key(), int(year), period, area_id)


def disagreements(indicator_id: str, area_id: str | None = None) -> pd.DataFrame:
    """The revisions of one indicator on which sources disagree."""
    return history.disagreements(views_io.revisions(indicator_id, area_id))


def sources() -> pd.DataFrame:
    """Every source with its link and reliability (empty on an older store)."""
    return data_io.current("sources")
