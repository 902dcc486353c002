"""Society: poverty, health, education, labour, new rural communes and
traffic safety — each indicator's figures against its targets."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from ui import views_io, widgets
from ui.charts import grid, show
from ui.state import lang

POVERTY = ["poverty_rate", "poverty_rate_reduction", "poor_households_reduced"]
HEALTH = ["health_insurance_coverage", "doctors_per_10k", "hospital_beds_per_10k",
          "health_standard_communes_rate", "new_health_standard_communes"]
HEALTH_VISITS = ["medical_examinations", "medical_treatments"]
EDUCATION = ["new_national_standard_schools", "national_standard_schools"]
LABOUR = ["trained_labour_rate", "jobs_created"]
RURAL = ["new_rural_communes", "new_rural_criteria_avg", "road_hardening_rate", "cultural_house_rate"]
TRAFFIC = ["traffic_accidents", "traffic_accidents.deaths", "traffic_accidents.injuries"]
IDS = POVERTY + HEALTH + HEALTH_VISITS + EDUCATION + LABOUR + RURAL + TRAFFIC + ["traffic_accident_reduction"]

L = lang()
year, period = widgets.page_start("society", L)
facts = views_io.facts(IDS)
if widgets.coverage_message(year, period, L, IDS) == "none":
    st.stop()
card = views_io.card(year, period)
widgets.status_table(card, IDS, year, period, L, key="status_society")

st.header(t("views.society.poverty", L))
grid(charts.indicator_charts(facts, POVERTY, L, year=year))

st.header(t("views.society.health", L))
visits = charts.pace(card, HEALTH_VISITS, year, period, L, chart_id="society.visits_pace",
                     title=t("views.society.visits_pace", L), facts=facts)
if visits:
    show(visits)
grid(charts.indicator_charts(facts, HEALTH, L, year=year))

st.header(t("views.society.education", L))
grid(charts.indicator_charts(facts, EDUCATION, L, year=year))

st.header(t("views.society.labour", L))
grid(charts.indicator_charts(facts, LABOUR, L, year=year))

st.header(t("views.society.rural", L))
grid(charts.indicator_charts(facts, RURAL, L, year=year))

st.header(t("views.society.traffic", L))
for spec in (
    charts.breakdown(facts, TRAFFIC, year, period, L, chart_id="society.traffic", title=t("views.society.traffic_counts", L)),
    charts.change_on_last_year(card, TRAFFIC, year, period, L, chart_id="society.traffic_yoy",
                               title=t("views.society.traffic_yoy", L)),
):
    if spec:
        show(spec)
grid(charts.indicator_charts(facts, ["traffic_accident_reduction"], L, year=year))
