"""Streamlit-side helpers shared by the pages: cached reads of the store and
the view state kept in the URL. Business rules live in `tracker`, not here."""

# Every page imports ui: a deep link opened first after a restart still goes through app.py.
from ui import router  # noqa: E402,F401
