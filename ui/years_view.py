"""Page sections for a plan over years, shared by the overview and the
indicator explorer: the year-end projection with its headline ("Ước cả năm:
X/Y chỉ tiêu có khả năng đạt và vượt kế hoạch"), the five-year targets of a
year, and one indicator's years (its five-year status, projection, where
sources disagree, and the change on a year before). Thin: the rules live in
tracker/fiveyear.py, tracker/projection.py and tracker/history.py."""

from __future__ import annotations

import streamlit as st

from tracker import fiveyear, history, projection, status, wording
from tracker.i18n import t
from ui import views_io, years_io
from ui.charts import display


def projection_headline(year: int, period: str, lang: str) -> None:
    """For a partial period (a year in progress): the projection's headline
    and one row per indicator with its interval, verdict and method."""
    if period in status.ANNUAL_PERIODS:
        return
    found = years_io.projections(year, period)
    if not found:
        return
    st.subheader(projection.headline(found, lang), anchor="projection")
    st.caption(t("years.projection.caption", lang, when=wording.when_label(year, period, lang)))
    st.dataframe(display(projection.table(found, views_io.indicators(), lang), lang), hide_index=True,
                 key="projection_table")


def five_year_targets(year: int, lang: str) -> None:
    """The five-year targets whose span holds `year`, judged at its end."""
    found = years_io.five_year(year)
    if not found:
        return
    st.subheader(t("years.five.title", lang, year=year), anchor="five_year")
    st.caption(t("years.five.caption", lang))
    st.dataframe(display(fiveyear.table(found, views_io.indicators(), lang), lang), hide_index=True,
                 key="five_year_table")


def indicator_years(indicator_id: str, lang: str) -> None:
    """One indicator over the years: its five-year targets judged at its
    newest year, the projection of that year, the sources that disagree and
    the change on a year before (computed where not reported)."""
    facts = views_io.facts([indicator_id])
    figures = facts.observations[facts.observations["kind"] != "target"]
    if figures.empty and (facts.spans is None or facts.spans.empty):
        return
    st.subheader(t("years.explorer.title", lang))
    newest = int(figures["year"].max()) if not figures.empty else None
    statuses = [s for s in years_io.five_year(newest) if s.indicator_id == indicator_id] if newest else []
    if statuses:
        st.markdown(f"**{t('years.explorer.five', lang)}**")
        for found in statuses:
            st.markdown(f"{wording.capitalised(t(f'fiveyear.status.{found.status}', lang))}: {found.explanation(lang)}")
    found = projection.newest_for(facts.observations, facts.indicators, indicator_id)
    if found is not None:
        st.markdown(f"**{t('years.explorer.projection', lang, year=found.year)}**")
        st.markdown(found.explanation(lang))
    disagreeing = years_io.disagreements(indicator_id)
    if not disagreeing.empty:
        st.markdown(f"**{t('years.dis.title', lang)}**")
        st.caption(t("years.dis.caption", lang))
        indicator = facts.indicator(indicator_id).to_dict()
        st.dataframe(display(history.disagreement_table(disagreeing, years_io.sources(), indicator, lang), lang),
                     hide_index=True, key="disagreements")
    changes = history.yoy_table(facts.observations, facts.indicators, indicator_id, lang)
    if not changes.empty:
        st.markdown(f"**{t('years.explorer.yoy', lang)}**")
        st.caption(t("years.explorer.yoy_caption", lang))
        st.dataframe(display(changes, lang), hide_index=True, key="yoy_table")


