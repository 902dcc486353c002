"""View state that survives a rerun, a page change and a shared link: the
language, year, period and indicator live in the URL's query parameters."""

from __future__ import annotations

import streamlit as st

from tracker.i18n import DEFAULT_LANG, LANGS, t


def lang() -> str:
    """The reader's language: ?lang=en in the URL, Vietnamese otherwise."""
    value = st.query_params.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def language_switch() -> str:
    """The language selector in the sidebar; writes the choice to the URL."""
    current = lang()
    choice = st.sidebar.segmented_control(
        t("ui.language", current), options=list(LANGS), default=current,
        format_func=lambda code: t(f"ui.lang.{code}", current), key="lang_switch",
    ) or current
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()
    return choice


def param(name: str, options: list, default):
    """A view parameter from the URL if it is one of `options`, else `default`."""
    raw = st.query_params.get(name)
    for option in options:
        if str(option) == raw:
            return option
    return default


def unavailable(name: str, options: list) -> str | None:
    """The value a shared link asks for when it is not one of `options`
    (the page then says so rather than silently showing another view)."""
    raw = st.query_params.get(name)
    return raw if raw is not None and raw not in {str(o) for o in options} else None


def keep(name: str, value) -> None:
    """Write a chosen view parameter to the URL so the view can be shared."""
    if st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)
