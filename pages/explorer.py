"""Indicator explorer: any indicator — every period, kind of figure,
revision and source, with its chart and table."""

from functools import partial

import streamlit as st

from tracker import charts, views
from tracker.i18n import pick, t
from tracker.model import Facts
from tracker.outputs import tabular
from ui import area_view, router, theme, views_io, widgets, years_view
from ui.charts import display, show
from ui.state import lang


# Keyed by the figures themselves, built once and shared read-only by every session.
@st.cache_resource(show_spinner=False, max_entries=64)
def chart_and_table(observations, catalogue, indicator_id: str, lang: str):
    """The indicator's chart and its figures as the table shows them."""
    spec = charts.indicator_chart(Facts(observations, catalogue), indicator_id, lang, chart_id=f"explorer.{indicator_id}")
    # One indicator: its name is the page's subject, not a column.
    return spec, display(spec.data.drop(columns=t("views.col.indicator", lang)), lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def revision_tables(revisions, indicator: dict, lang: str):
    """Every revision as downloaded, and as the table shows it."""
    history = views.revision_table(revisions, indicator, lang)
    return history, display(history, lang)


router.use_navigation()  # a deep link opened first after a restart goes through app.py
L = lang()
st.title(t("page.explorer", L))
if not views_io.ready():
    st.error(t("ui.no_store", L))
    st.stop()
catalogue = views_io.indicators()
indicator_id = widgets.indicator(catalogue, L, default="grdp_growth")
indicator = catalogue[catalogue["indicator_id"] == indicator_id].iloc[0].to_dict()
st.caption(t(
    "views.explorer.about", L, id=indicator_id, group=t(f"views.group.{indicator['group']}", L),
    unit=pick(indicator, "unit", L), direction=t(f"views.direction.{indicator['direction']}", L),
    measure=t(f"views.measure.{indicator['measure']}", L),
))

facts = views_io.facts([indicator_id])
if facts.observations.empty:
    if not area_view.indicator_areas(indicator_id, indicator, L, alone=True):  # districts' or communes' alone
        st.info(t("views.explorer.no_figures", L), icon="ℹ️")
    st.stop()

spec, figures_shown = chart_and_table(facts.observations, facts.indicators, indicator_id, L)
if len(facts.observations) == 1:
    # One figure: a number with its status, not a one-dot chart.
    theme.figure_card(charts.figure_card(facts, facts.observations.iloc[0], L))
else:
    show(spec, table=False)
st.subheader(t("views.explorer.figures", L))
st.dataframe(figures_shown, hide_index=True, key="explorer_figures")
area_view.indicator_areas(indicator_id, indicator, L)

years_view.indicator_years(indicator_id, L)

st.subheader(t("views.explorer.revisions", L))
st.caption(t("views.explorer.revisions_help", L))
history, history_shown = revision_tables(views_io.revisions(indicator_id), indicator, L)
st.dataframe(history_shown, hide_index=True, key="explorer_revisions")
left, right, _ = st.columns([1, 1, 4])
left.download_button(
    t("views.download.csv", L), partial(tabular.to_bytes, history, "csv", excel_bom=True),
    file_name=f"{indicator_id}_revisions.csv", mime="text/csv", key="dl_revisions_csv",
)
right.download_button(
    t("views.download.xlsx", L), partial(tabular.to_bytes, history, "xlsx", sheet_name="revisions"),
    file_name=f"{indicator_id}_revisions.xlsx", key="dl_revisions_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
