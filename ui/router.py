"""Make every URL go through app.py's navigation.

Streamlit 1.67 serves pages/*.py directly (its old multipage mode, with
file names in the sidebar and without app.py's page setup and language
switch) until app.py has run once in the server process; a shared deep link
such as /economy?year=2018 opened first after a restart would land there.
Every page calls `use_navigation()` first (through widgets.page_start or
itself): it switches that mode off and reruns the request, which then goes
through st.navigation as every later one does. Importing this module does
nothing."""

from __future__ import annotations

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager


def use_navigation() -> None:
    """Turn off the old pages-folder mode and rerun through app.py (not
    under AppTest, which chooses its pages itself)."""
    if PagesManager.uses_pages_directory and not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()

