"""Economy: GRDP growth against its target band, the four sectors, the
structure of the economy against its bands, GRDP per capita."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from ui import views_io, widgets
from ui.charts import show
from ui.state import lang

SECTORS = ["agriculture", "industry_construction", "services", "product_taxes"]
GROWTH = ["grdp_growth"] + [f"grdp_growth.{s}" for s in SECTORS]
STRUCTURE = [f"economic_structure.{s}" for s in SECTORS]
IDS = GROWTH + STRUCTURE + ["grdp_per_capita"]

L = lang()
year, period = widgets.page_start("economy", L)
facts = views_io.facts(IDS)
if widgets.coverage_message(year, period, L, IDS) == "none":
    st.stop()
widgets.status_table(views_io.card(year, period), IDS, year, period, L, key="status_economy")

for spec in charts.indicator_charts(facts, ["grdp_growth"], L, year=year):
    show(spec)
sectors = charts.breakdown(facts, GROWTH[1:], year, period, L, chart_id="economy.sectors",
                           title=t("views.economy.sectors", L))
if sectors:
    show(sectors)
structure = charts.breakdown(facts, STRUCTURE, year, period, L, chart_id="economy.structure",
                             title=t("views.economy.structure", L))
if structure:
    show(structure)
for spec in charts.indicator_charts(facts, ["grdp_per_capita"], L, year=year):
    show(spec)
