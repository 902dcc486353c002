"""Charts of figures against targets: pure plotly, one function per kind of
chart, each returning a `ChartSpec` (the figure plus its title, unit,
period, kinds of figure, target, source, date and the data behind it).

- `base`: the look every chart shares (palette, shapes, hover, layout) and the data behind a chart;
- `timeline`: one indicator over time, several indicators of one unit side by side, one-figure cards;
- `card`: charts read from the scorecard (pace, change on last year, attainment);
- `pages`: what each theme page of data/views.toml draws, and the main charts."""

from tracker.charts import timeline
from tracker.charts.base import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    SLOT_STEP,
    STATUS_STYLE,
    STYLES,
    VERMILLION,
    YELLOW,
    FigureCard,
    expected_share,
    figure_table,
    judge_row,
    share_elapsed,
    status_text,
    style_class,
)
from tracker.charts.card import attainment, change_on_last_year, pace
from tracker.charts.pages import items, main_charts
from tracker.charts.timeline import breakdown, figure_card, indicator_chart, indicator_charts, timelines, window
from tracker.model import ChartSpec

__all__ = [
    "ChartSpec", "timeline",
    "BLACK", "BLUE", "GREEN", "GREY", "ORANGE", "PURPLE", "SKY", "SLOT_STEP", "STATUS_STYLE", "STYLES",
    "VERMILLION", "YELLOW", "FigureCard", "attainment", "breakdown", "change_on_last_year", "expected_share",
    "figure_card", "figure_table", "indicator_chart", "indicator_charts", "items", "judge_row", "main_charts",
    "pace", "share_elapsed", "status_text", "style_class", "timelines", "window",
]
