"""One function draws every theme page (Economy, Trade, Budget, Society,
Environment) from data/views.toml: title and period pickers, what the
period holds, the status of the page's indicators, its number cards, then
each section's heading and charts."""

from __future__ import annotations

import streamlit as st

from tracker import charts, layout
from tracker.charts import FigureCard
from tracker.i18n import t
from tracker.model import ChartSpec
from tracker.text import literal
from ui import views_io, widgets
from ui.charts import show
from ui.state import lang


def figure_card(card: FigureCard) -> None:
    """A one-figure series as a number with its status; the reason on hover."""
    st.metric(card.name, card.value, help=card.explanation or None, border=True)
    st.caption(literal(" · ".join(p for p in (card.label, card.details, card.status_text) if p)))
    st.caption(literal(" · ".join(p for p in (
        t("views.caption.source", card.lang, source=card.source) if card.source else "",
        t("views.caption.as_of", card.lang, as_of=card.as_of) if card.as_of else "",
    ) if p)))


def show_item(item: ChartSpec | FigureCard) -> None:
    if isinstance(item, FigureCard):
        figure_card(item)
    else:
        show(item)


def grid(found: list[ChartSpec | FigureCard], columns: int) -> None:
    """Items side by side, `columns` to a row (stacked on a phone)."""
    if columns <= 1:
        for item in found:
            show_item(item)
        return
    for start in range(0, len(found), columns):
        for cell, item in zip(st.columns(columns), found[start:start + columns], strict=False):
            with cell:
                show_item(item)


# Built once per store version, view and language, and shared read-only by
# every session: a theme page's charts cost seconds to judge and draw over a
# national store, and every reader of a view sees the same ones.
@st.cache_resource(show_spinner=False, max_entries=64)
def _section_items(key: tuple, area_id: str, name: str, year: int, period: str,
                   lang: str) -> list[list[tuple[layout.Chart, list[ChartSpec | FigureCard]]]]:
    page = layout.page(name)
    facts = views_io.facts(page.indicator_ids, area_id)
    card = views_io.card(year, period, area_id)
    return [[(chart, charts.items(chart, facts, card, year, period, lang)) for chart in section.charts]
            for section in page.sections]


def section_items(name: str, year: int, period: str, lang: str) -> list[list[tuple[layout.Chart, list]]]:
    """For each section of the theme page `name`, each chart entry with
    what it draws for the year and period (tracker.charts.items)."""
    return _section_items(views_io.key(), views_io.home(), name, int(year), period, lang)


def draw(name: str) -> None:
    """The theme page `name` of data/views.toml, for the chosen year and period."""
    page = layout.page(name)
    L = lang()
    ids = page.indicator_ids
    year, period = widgets.page_start(name, L, ids)
    if widgets.coverage_message(year, period, L, ids) == "none":
        st.stop()
    card = views_io.card(year, period)
    widgets.status_table(card, ids, year, period, L, key=f"status_{name}")
    if page.metrics:
        widgets.figure_metrics(card, list(page.metrics), year, L)
    for section, drawn in zip(page.sections, section_items(name, year, period, L), strict=True):
        if not any(found for _, found in drawn):
            continue
        if section.heading:
            st.header(t(section.heading, L))
        for chart, found in drawn:
            grid(found, chart.columns)
