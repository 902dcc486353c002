"""Cached reads for the leaders' views: the figures of a page's indicators,
the scorecard of a year and period, the view to land on, and an
indicator's every revision. Each cache key holds the store root and the
tables' versions, so a publish shows at the next rerun; what is cached is
small (a page's rows, one scorecard), so a warm page never copies the whole
observations table."""

from __future__ import annotations

import weakref

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from tracker import scorecard, settings, views
from tracker.model import Facts
from tracker.store import PUBLISHES
from ui import data_io

# The versions read in one page run, by run: the run's ParallelFragmentCoordinator
# is a new object at every run's start, so an entry lives exactly as long as
# its run. Asking the store costs a Delta log read (5-20 ms) and a page asked
# about twenty times per run; a publish still shows at the next run.
_RUN_VERSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _version(table: str) -> int | None:
    """The table's newest version (None when it does not exist), asked of
    the store once per page run."""
    s = data_io.store()
    run = getattr(get_script_run_ctx(suppress_warning=True), "parallel_coordinator", None)
    known = _RUN_VERSIONS.setdefault(run, {}) if run is not None else {}
    if (s.root, table) not in known:
        known[(s.root, table)] = s.version(table) if table != PUBLISHES or s.exists(PUBLISHES) else None
    return known[(s.root, table)]


@st.cache_data(show_spinner=False, max_entries=16)
def _home(root: str, areas_version: int) -> str:
    return settings.home_area(data_io.store(root).current("areas"))


def home() -> str:
    """The plan's area (tracker.settings.home_area), cached per areas version."""
    return _home(data_io.store().root, _version("areas"))


def _key() -> tuple[str, int, int, int | None]:
    """Store root and the versions of the two tables the views read, and of
    the publish record (a finished publish makes its rows current)."""
    return data_io.store().root, _version("observations"), _version("indicators"), _version(PUBLISHES)


def key() -> tuple[str, int, int, int | None]:
    """What a cached view depends on (the store root and table versions),
    for pages that cache what they build from these reads."""
    return _key()


def ready() -> bool:
    """Whether the store has figures and a catalogue to show."""
    s = data_io.store()
    return s.exists("observations") and s.exists("indicators")


def indicators() -> pd.DataFrame:
    return data_io.current("indicators")


@st.cache_data(show_spinner=False, max_entries=64)
def _rows(key: tuple, indicator_ids: tuple[str, ...] | None, area_id: str) -> pd.DataFrame:
    if indicator_ids is not None:
        rows = _rows(key, None, area_id)
        return rows[rows["indicator_id"].isin(indicator_ids)].reset_index(drop=True)
    # Only this area's files are read: a national store's whole current view costs seconds and gigabytes.
    root, version = key[:2]
    return data_io.store(root).current("observations", version, where={"area_id": [area_id]})


def facts(indicator_ids: list[str] | None = None, area_id: str | None = None) -> Facts:
    """The current figures of some indicators (all when None) in one area,
    with the catalogue."""
    ids = tuple(indicator_ids) if indicator_ids is not None else None
    return Facts(_rows(_key(), ids, area_id or home()), indicators())


@st.cache_data(show_spinner=False, max_entries=64)
def _card(key: tuple, year: int, period: str, area_id: str) -> pd.DataFrame:
    obs = _rows(key, None, area_id)
    return scorecard.scorecard(obs, data_io.current("indicators"), year, period, area_id)


def card(year: int, period: str, area_id: str | None = None) -> pd.DataFrame:
    """The scorecard of a year and period (every indicator with a figure
    or target that year)."""
    return _card(_key(), int(year), period, area_id or home())


@st.cache_data(show_spinner=False, max_entries=64)
def _headlines(key: tuple, year: int, period: str, area_id: str) -> dict[str | None, scorecard.Headline]:
    card = _card(key, year, period, area_id)
    found = {None: scorecard.headline(card, period)}
    for group, rows in card.groupby("group", sort=False):
        found[group] = scorecard.headline(rows, period)
    return found


def headlines(year: int, period: str, area_id: str | None = None) -> dict[str | None, scorecard.Headline]:
    """The headline of the scorecard of a year and period (under None) and
    of each area of the plan in it (under the group's code); computed once
    per store version, not on every reader's run."""
    return _headlines(_key(), int(year), period, area_id or home())


@st.cache_data(show_spinner=False, max_entries=64)
def _card_table(key: tuple, year: int, period: str, area_id: str, lang: str) -> pd.DataFrame:
    return views.card_table(_card(key, year, period, area_id), lang)


def card_table(year: int, period: str, lang: str, area_id: str | None = None) -> pd.DataFrame:
    """The scorecard of a year and period as people read it
    (tracker.views.card_table), in the order of `card`."""
    return _card_table(_key(), int(year), period, area_id or home(), lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _options(key: tuple, area_id: str,
             indicator_ids: tuple[str, ...] | None) -> tuple[list[int], list[str], tuple[int, str] | None]:
    everything = _rows(key, None, area_id)
    years, periods = views.years(everything, area_id), views.periods(everything, area_id)
    obs = everything if indicator_ids is None else _rows(key, indicator_ids, area_id)
    counts: dict[tuple[int, str], int] = {}
    # Newest year first; stop at the first year where something of the view is judged.
    for year in sorted({y for y, _ in views.candidate_views(obs, area_id)}, reverse=True):
        for y, period in views.candidate_views(obs[obs["year"] == year], area_id):
            card = _card(key, y, period, area_id)
            if indicator_ids is not None:
                card = card[card["indicator_id"].isin(indicator_ids)]
            counts[(y, period)] = scorecard.headline(card).judged
        if any(counts.values()):
            break
    default = views.default_view(counts)
    if default is None and years:
        default = (years[0], "FY")
    return years, periods, default


def options(area_id: str | None = None,
            indicator_ids: list[str] | None = None) -> tuple[list[int], list[str], tuple[int, str] | None]:
    """The years and periods a reader can pick, and the view to land on: the
    newest that judges something (of `indicator_ids` when a page names its
    indicators, so a theme page never lands on a period it has nothing for)."""
    ids = tuple(indicator_ids) if indicator_ids is not None else None
    return _options(_key(), area_id or home(), ids)


@st.cache_data(show_spinner=False, max_entries=32)
def _revisions(key: tuple, indicator_id: str, area_id: str) -> pd.DataFrame:
    return data_io.store(key[0]).revisions("observations", {"indicator_id": indicator_id, "area_id": area_id})


def revisions(indicator_id: str, area_id: str | None = None) -> pd.DataFrame:
    """Every stored revision of every figure of one indicator, oldest first,
    with when and by whom each was published."""
    return _revisions(_key(), indicator_id, area_id or home())


@st.cache_data(show_spinner=False, max_entries=16)
def _last_published(key: tuple) -> pd.Timestamp | None:
    published = data_io.store(key[0]).history(("observations",))
    return None if published.empty else published["timestamp"].max()


def last_published() -> pd.Timestamp | None:
    """When figures were last written to the store."""
    return _last_published(_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _period_figures(key: tuple, year: int, period: str, area_id: str) -> pd.DataFrame:
    obs = _rows(key, None, area_id)
    return obs[(obs["year"] == year) & (obs["period"] == period) & (obs["kind"] != "target")].reset_index(drop=True)


def period_figures(year: int, period: str, area_id: str | None = None) -> pd.DataFrame:
    """The actual and estimated figures of one year and period (all indicators)."""
    return _period_figures(_key(), int(year), period, area_id or home())


@st.cache_data(show_spinner=False, max_entries=128)
def _coverage(key: tuple, year: int, period: str, indicator_ids: tuple[str, ...] | None,
              area_id: str) -> tuple[str, list[tuple[int, str]]]:
    obs = _rows(key, indicator_ids, area_id)
    return views.coverage(obs, year, period, None, area_id), views.candidate_views(obs, area_id)


def coverage(year: int, period: str, indicator_ids: list[str] | None = None,
             area_id: str | None = None) -> tuple[str, list[tuple[int, str]]]:
    """What a view has for the year and period ("figures", "targets" or
    "none") and the (year, period) pairs that do hold figures, newest first."""
    ids = tuple(indicator_ids) if indicator_ids is not None else None
    return _coverage(_key(), int(year), period, ids, area_id or home())
