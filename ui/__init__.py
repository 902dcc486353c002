"""Streamlit-side helpers shared by the pages: cached reads of the store and
the view state kept in the URL. Business rules live in `tracker`, not here."""
