"""Cached reads of the store for the pages. The cache key includes the
tables' versions, so a publish shows at the next rerun and nothing stale
survives it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.store import Store, default_root


@st.cache_resource
def _store(root: str) -> Store:
    return Store(root)


def store(root: str | None = None) -> Store:
    """One Store per root for the whole server process; the root is read
    from $PLAN_STORE at each call, so a changed setting is never masked."""
    return _store(root or default_root())


# Whole tables are kept once per process and handed out as shallow copies:
# under pandas copy-on-write a caller's change never reaches the cached
# frame, and a million-row table is not pickled and unpickled per read as
# st.cache_data would.
@st.cache_resource(show_spinner=False, max_entries=64)
def _current(root: str, table: str, version: int) -> pd.DataFrame:
    return store(root).current(table)


def current(table: str) -> pd.DataFrame:
    """The current view of a table (cached until its next version)."""
    s = store()
    if not s.exists(table):
        return s.read(table) if table in ("observations", "task_reports") else pd.DataFrame()
    return _current(s.root, table, s.version(table)).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _as_of(root: str, table: str, version: int) -> pd.DataFrame:
    return store(root).current(table, version)


def as_of(table: str, version: int) -> pd.DataFrame:
    """A table as it was at `version` (cached: a past version never changes)."""
    return _as_of(store().root, table, version).copy(deep=False)


def versions() -> dict[str, int]:
    return store().versions()
