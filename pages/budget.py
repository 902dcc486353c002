"""Budget: revenue and its parts against the estimate (dự toán), and
expenditure and its parts: % of the estimate against the share of the year
elapsed, and each figure beside its targets."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from ui import views_io, widgets
from ui.charts import show
from ui.state import lang

REVENUE = ["budget_revenue", "budget_revenue.domestic", "budget_revenue.import_export"]
EXPENDITURE = ["budget_expenditure", "budget_expenditure.balanced", "budget_expenditure.targeted_programs"]
IDS = REVENUE + EXPENDITURE

L = lang()
year, period = widgets.page_start("budget", L)
facts = views_io.facts(IDS)
if widgets.coverage_message(year, period, L, IDS) == "none":
    st.stop()
card = views_io.card(year, period)
widgets.status_table(card, IDS, year, period, L, key="status_budget")
widgets.figure_metrics(card, [REVENUE[0], EXPENDITURE[0]], year, L)

for spec in (
    charts.pace(card, REVENUE, year, period, L, chart_id="budget.revenue_pace", title=t("views.budget.revenue_pace", L), facts=facts),
    charts.breakdown(facts, REVENUE, year, period, L, chart_id="budget.revenue", title=t("views.budget.revenue", L)),
    charts.pace(card, EXPENDITURE, year, period, L, chart_id="budget.expenditure_pace",
                title=t("views.budget.expenditure_pace", L), facts=facts),
    charts.breakdown(facts, EXPENDITURE, year, period, L, chart_id="budget.expenditure", title=t("views.budget.expenditure", L)),
):
    if spec:
        show(spec)
