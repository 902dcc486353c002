"""Trade: import-export turnover, exports and imports — the figure, its %
of plan, its change on last year and its pace through the year — and the
growth of locally produced exports."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from ui import views_io, widgets
from ui.charts import show
from ui.state import lang

FLOWS = ["trade_turnover", "trade_turnover.export", "trade_turnover.import"]
IDS = FLOWS + ["local_export_growth"]

L = lang()
year, period = widgets.page_start("trade", L)
facts = views_io.facts(IDS)
if widgets.coverage_message(year, period, L, IDS) == "none":
    st.stop()
card = views_io.card(year, period)
widgets.status_table(card, IDS, year, period, L, key="status_trade")
widgets.figure_metrics(card, FLOWS, year, L)

for spec in (
    charts.pace(card, FLOWS, year, period, L, chart_id="trade.pace", title=t("views.trade.pace", L), facts=facts),
    charts.change_on_last_year(card, FLOWS, year, period, L, chart_id="trade.yoy", title=t("views.trade.yoy", L)),
    charts.breakdown(facts, FLOWS, year, period, L, chart_id="trade.turnover", title=t("views.trade.turnover", L)),
):
    if spec:
        show(spec)
for spec in charts.indicator_charts(facts, ["local_export_growth"], L, year=year):
    show(spec)
