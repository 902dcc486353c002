"""What a timeline of one indicator adds for a plan over years: the
five-year target drawn across the years of its span (a band for a range, a
dotted line for a number), and a marker for the projected full year with
its interval. Pure plotly over the slot positions the timeline uses."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tracker import fiveyear, schema, wording
from tracker.i18n import pick, t
from tracker.projection import Projection

SPAN_COLOR = "#CC79A7"  # Okabe-Ito reddish purple: apart from the annual target's green
PROJECTION_COLOR = "#000000"


def add_five_year_targets(fig: go.Figure, spans: pd.DataFrame | None, indicator: dict,
                          slots: list[tuple[int, str]], lang: str) -> None:
    """Each multi-year target of the indicator across the slots of the
    years it spans: an average a year (rates; a total as its yearly share,
    flows) or the level due by the end year, with its words on the band."""
    if spans is None or spans.empty or not slots:
        return
    rows = spans[(spans["indicator_id"] == indicator["indicator_id"]) & (spans["kind"] == "target")]
    unit = wording.unit_of(indicator, lang)
    for row in rows.to_dict("records"):
        first, last = schema.span(row["period"])
        positions = [i for i, (year, _) in enumerate(slots) if first <= year <= last]
        if not positions:
            continue
        form = fiveyear.form_of(row, indicator)
        low, high = row.get("low"), row.get("high")
        scale = 1.0
        if form == "total":  # a total over the span compared with yearly figures: its yearly share
            scale = 1 / (last - first + 1)
        x0, x1 = min(positions) - 0.45, max(positions) + 0.45
        label = t(f"years.chart.span.{form}", lang, first=first, last=last,
                  target=wording.quantity(row, lang, unit, short=True))
        if not pd.isna(low) and not pd.isna(high):
            fig.add_shape(type="rect", xref="x", yref="y", x0=x0, x1=x1, y0=low * scale, y1=high * scale,
                          fillcolor="rgba(204,121,167,0.10)", line={"color": SPAN_COLOR, "width": 1, "dash": "dot"},
                          layer="below")
            y = high * scale
        else:
            y = wording.point(row)
            if y is None:
                continue
            y *= scale
            fig.add_shape(type="line", xref="x", yref="y", x0=x0, x1=x1, y0=y, y1=y,
                          line={"color": SPAN_COLOR, "width": 2, "dash": "dot"}, layer="below")
        fig.add_annotation(x=x1, y=y, xref="x", yref="y", text=label, showarrow=False, xanchor="right",
                           yanchor="bottom", font={"color": SPAN_COLOR, "size": 12})


def add_projection(fig: go.Figure, found: Projection | None, indicator: dict,
                   slots: list[tuple[int, str]], lang: str) -> None:
    """The projected full year beside the year's last slot: a hollow
    diamond at the projection with its interval as an error bar."""
    if found is None:
        return
    positions = [i for i, (year, _) in enumerate(slots) if year == found.year]
    if not positions:
        return
    unit = wording.unit_of(indicator, lang)
    name = t("years.chart.projection", lang)
    verdict = t(f"projection.verdict.{found.verdict}", lang) if found.verdict else ""
    number = lambda x: wording.with_unit(wording.number(x, lang, 2), unit)  # noqa: E731
    hover = f"<b>{pick(indicator, 'name', lang)}</b><br>{name}: {number(found.projected)} " \
            f"({number(found.low)} – {number(found.high)})" + (f"<br>{verdict}" if verdict else "")
    fig.add_trace(go.Scatter(
        x=[max(positions) + 0.4], y=[found.projected], mode="markers+text", name=name,
        marker={"symbol": "diamond-open", "size": 16, "color": PROJECTION_COLOR, "line": {"width": 2}},
        error_y={"type": "data", "symmetric": False, "array": [found.high - found.projected],
                 "arrayminus": [found.projected - found.low], "color": PROJECTION_COLOR, "thickness": 1.5},
        text=[wording.number(found.projected, lang, 2)], textposition="middle left", cliponaxis=False,
        hovertext=[hover], hovertemplate="%{hovertext}<extra></extra>",
    ))
