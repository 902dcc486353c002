"""The router: page setup, language, navigation. Nothing else lives here."""

import streamlit as st

from tracker.i18n import t
from ui import data_io, login
from ui.state import lang, language_switch

st.set_page_config(page_title=t("app.title", lang()), page_icon=":material/monitoring:", layout="wide")
language_switch()
L = lang()

PAGES = [
    st.Page("pages/overview.py", title=t("page.overview", L), icon=":material/dashboard:", default=True),
    st.Page("pages/economy.py", title=t("page.economy", L), icon=":material/trending_up:", url_path="economy"),
    st.Page("pages/trade.py", title=t("page.trade", L), icon=":material/local_shipping:", url_path="trade"),
    st.Page("pages/budget.py", title=t("page.budget", L), icon=":material/account_balance:", url_path="budget"),
    st.Page("pages/society.py", title=t("page.society", L), icon=":material/groups:", url_path="society"),
    st.Page("pages/environment.py", title=t("page.environment", L), icon=":material/forest:", url_path="environment"),
    st.Page("pages/explorer.py", title=t("page.explorer", L), icon=":material/search:", url_path="explorer"),
    st.Page("pages/border_plan.py", title=data_io.border_plan_title(L), icon=":material/map:", url_path="border_plan"),
    st.Page("pages/export.py", title=t("page.export", L), icon=":material/slideshow:", url_path="export"),
    st.Page("pages/data_update.py", title=t("page.data_update", L), icon=":material/upload_file:", url_path="data_update"),
    st.Page("pages/history.py", title=t("page.history", L), icon=":material/history:", url_path="history"),
]

page = st.navigation(PAGES)
# Who is signed in, and (when the secrets say so) a sign-in before any page.
auth_settings = login.settings()
login.sidebar(auth_settings, L)
if login.require("view", auth_settings, L):
    page.run()
