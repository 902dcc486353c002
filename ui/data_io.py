"""Cached reads of the store for the pages. The cache key includes the
tables' versions (and the publish record's), so a publish shows at the next
rerun and nothing stale survives it.

A damaged store stops the page with one line naming the table and the
version, in the reader's language, whichever store call met the damage."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from tracker import border
from tracker.errors import StoreDamaged, TrackerError
from tracker.store import PUBLISHES, Store, default_root
from tracker.text import literal
from ui.state import lang


class PageStore:
    """A Store whose every method, on a damaged table, shows the store's
    one-line message with st.error and stops the page (never a traceback)."""

    def __init__(self, inner: Store):
        self._inner = inner

    def __getattr__(self, name: str):
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def guarded(*args, **kwargs):
            try:
                return value(*args, **kwargs)
            except StoreDamaged as exc:
                show_damage(exc)

        return guarded


def show_damage(exc: StoreDamaged) -> None:
    """The damage as one error line, then the page stops."""
    st.error(exc.message(lang(), escape=literal), icon=":material/report:")
    st.stop()


@st.cache_resource
def _store(root: str) -> PageStore:
    return PageStore(Store(root))


def store(root: str | None = None) -> Store:
    """One Store per root for the whole server process; the root is read
    from $PLAN_STORE at each call, so a changed setting is never masked."""
    return _store(root or default_root())


# Whole tables are kept once per process and handed out as shallow copies:
# under pandas copy-on-write a caller's change never reaches the cached
# frame, and a million-row table is not pickled and unpickled per read as
# st.cache_data would.
@st.cache_resource(show_spinner=False, max_entries=64)
def _current(root: str, table: str, version: int, publishes: int | None) -> pd.DataFrame:
    return store(root).current(table)


def current(table: str) -> pd.DataFrame:
    """The current view of a table (cached until its next version)."""
    s = store()
    if not s.exists(table):
        return s.read(table) if table in ("observations", "task_reports") else pd.DataFrame()
    publishes = s.version(PUBLISHES) if table in ("observations", "task_reports") and s.exists(PUBLISHES) else None
    return _current(s.root, table, s.version(table), publishes).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _as_of(root: str, table: str, version: int) -> pd.DataFrame:
    return store(root).current(table, version)


def as_of(table: str, version: int) -> pd.DataFrame:
    """A table as it was at `version` (cached: a past version never changes)."""
    return _as_of(store().root, table, version).copy(deep=False)


def versions() -> dict[str, int]:
    return store().versions()


@st.cache_data(show_spinner=False, max_entries=16)
def _border_plan_number(root: str, plans_version: int) -> str | None:
    s = Store(root)
    try:
        return str(border.choose_plan(s.current("plans"), s.current("tasks"))["number"])
    except TrackerError:
        return None


def border_plan_title(lang: str) -> str:
    """The border plan page's name with its plan's number from the store
    ("Kế hoạch 88"), cached per version of the plans table (`build`
    replaces the plans and the tasks together); the general name when the
    store holds no such plan or cannot be read (the page itself then says
    why)."""
    s = Store(default_root())
    try:
        number = _border_plan_number(s.root, s.version("plans"))
    except TrackerError:
        number = None
    return border.page_title(number, lang)
