"""What the theme pages draw, chart by chart, as `data/views.toml`
declares it: the items of one entry of a section (charts, or a number card
for a one-figure series) and the main chart of each area of the plan."""

from __future__ import annotations

import pandas as pd

from tracker import layout, scorecard
from tracker.charts.base import FigureCard
from tracker.charts.card import change_on_last_year, pace
from tracker.charts.timeline import breakdown, indicator_chart, timelines, window
from tracker.i18n import t
from tracker.model import ChartSpec, Facts


def items(chart: layout.Chart, facts: Facts, card: pd.DataFrame, year: int, period: str, lang: str,
          area_id: str | None = None) -> list[ChartSpec | FigureCard]:
    """What one chart entry of a page draws for the year and period; empty
    when it has nothing to show (the page then skips it)."""
    ids = list(chart.indicators)
    if chart.kind == "timeline":
        return timelines(facts, ids, lang, year=year, area_id=area_id)
    title = t(chart.title, lang)
    if chart.kind == "breakdown":
        spec = breakdown(facts, ids, year, period, lang, chart_id=chart.chart_id, title=title, area_id=area_id)
    elif chart.kind == "pace":
        spec = pace(card, ids, year, period, lang, chart_id=chart.chart_id, title=title, facts=facts)
    else:
        spec = change_on_last_year(card, ids, year, period, lang, chart_id=chart.chart_id, title=title)
    return [spec] if spec is not None else []


def main_charts(facts: Facts, year: int, period: str, lang: str, area_id: str | None = None) -> list[ChartSpec]:
    """The chart each theme page leads with, for a deck or a summary, as
    views.toml names it: the first of the page's `main` list with something
    to show. A timeline's id becomes "PAGE.INDICATOR" ("economy.grdp_growth"),
    so chart ids are never indicator ids; pages with nothing are left out."""
    card = scorecard.scorecard(facts.observations, facts.indicators, year, period, area_id)
    specs = []
    for page in layout.pages().values():
        charts = {c.chart_id: c for c in page.charts if c.chart_id}
        for name in page.main:
            if name in charts:
                found = items(charts[name], facts, card, year, period, lang, area_id)
            elif not window(facts, name, year, area_id).empty:
                found = [indicator_chart(facts, name, lang, year=year, area_id=area_id, chart_id=f"{page.name}.{name}")]
            else:
                found = []
            if found:
                specs.append(found[0])
                break
    return specs
