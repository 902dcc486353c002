"""Charts of the border-area plan: per agency and per focus task, its tasks
stacked by the year's reported status (plotly figures, words translated)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from tracker import fmt
from tracker.border import COLOURS, TASK_STATES, names, status_label
from tracker.i18n import pick, t


def _wrap(text: str, width: int = 45) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _stacked_bars(labels: list[str], counts: dict[str, list[int]], lang: str, axis_title: str) -> go.Figure:
    fig = go.Figure()
    for state, values in counts.items():
        fig.add_bar(
            y=labels, x=values, orientation="h", name=status_label(state, lang), marker_color=COLOURS[state],
            text=[fmt.number(v, 0, lang) if v else "" for v in values], textposition="inside",
            hovertemplate="%{y}<br>" + status_label(state, lang) + ": %{x:,.0f}<extra></extra>",
        )
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig.update_layout(
        barmode="stack", separators=fmt.PLOTLY_SEPARATORS[lang],
        legend=dict(orientation="h", x=0, y=1, yanchor="bottom", traceorder="normal"),
        margin=dict(l=10, r=10, t=60, b=10), height=120 + max(34 * len(labels), 17 * lines),
        xaxis_title=axis_title, xaxis_tickformat=",d",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def agency_chart(compliance_frame: pd.DataFrame, lang: str) -> go.Figure:
    """Per agency, its tasks stacked by the year's reported status (and not reported)."""
    counts = {
        "done": compliance_frame["status_done"].tolist(),
        "in_progress": compliance_frame["status_in_progress"].tolist(),
        "not_started": compliance_frame["status_not_started"].tolist(),
        "not_reported": compliance_frame["missing"].tolist(),
    }
    labels = [_wrap(name) for name in names(compliance_frame, lang)]
    return _stacked_bars(labels, counts, lang, t("border.chart.tasks_axis", lang))


def focus_chart(focus_frame: pd.DataFrame, lang: str) -> go.Figure:
    """Per focus task, its tasks stacked by the year's reported status (and not reported)."""
    counts = {state: focus_frame[state].tolist() for state in TASK_STATES}
    labels = [
        _wrap(f"{i}. {pick(row, 'text', lang).rstrip(';.')}") for i, (_, row) in enumerate(focus_frame.iterrows(), start=1)
    ]
    return _stacked_bars(labels, counts, lang, t("border.chart.tasks_axis", lang))


