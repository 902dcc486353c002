"""Environment: forest cover and new planting (with its seasonal pace),
clean and hygienic water, waste collected and treated."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from ui import views_io, widgets
from ui.charts import grid, show
from ui.state import lang

FOREST = ["forest_cover", "forest_planting"]
WATER = ["rural_hygienic_water_rate", "urban_clean_water_rate"]
WASTE = ["urban_solid_waste_rate", "medical_waste_rate"]
IDS = FOREST + WATER + WASTE

L = lang()
year, period = widgets.page_start("environment", L)
facts = views_io.facts(IDS)
if widgets.coverage_message(year, period, L, IDS) == "none":
    st.stop()
card = views_io.card(year, period)
widgets.status_table(card, IDS, year, period, L, key="status_environment")

st.header(t("views.environment.forest", L))
planting = charts.pace(card, ["forest_planting"], year, period, L, chart_id="environment.planting_pace",
                       title=t("views.environment.planting_pace", L), facts=facts)
if planting:
    show(planting)
grid(charts.indicator_charts(facts, FOREST, L, year=year))

for title_key, ids, chart_id in (("views.environment.water", WATER, "environment.water"),
                                 ("views.environment.waste", WASTE, "environment.waste")):
    spec = charts.breakdown(facts, ids, year, period, L, chart_id=chart_id, title=t(title_key, L))
    if spec:
        st.header(t(title_key, L))
        show(spec)
