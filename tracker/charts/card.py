"""Charts built from the scorecard, so chart and table agree: % of plan
against the year elapsed (`pace`), change on the same period last year
(`change_on_last_year`) and the attainment of every judged indicator
(`attainment`)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from tracker import fmt, status, views, wording
from tracker.charts.base import (
    BLACK,
    BLUE,
    GREY,
    STATUS_STYLE,
    TEXT_COLOR,
    VERMILLION,
    _alpha,
    _card_table,
    _esc,
    _layout,
    _pct,
    _wrap,
    expected_share,
    fit_margins,
    share_elapsed,
    status_text,
)
from tracker.i18n import pick, t
from tracker.model import ChartSpec, Facts

# Room between a bar's end, or a reference line, and the bar's label (share of the axis).
LABEL_GAP = 0.015
# A change on last year is better, worse or neither, by the indicator's direction.
CHANGE_STYLE = {"better": (BLUE, ""), "worse": (VERMILLION, "x"), "neutral": (GREY, ".")}
# Category labels that fit a slide's label column (characters; tracker/render wraps y labels at 26), two lines while few rows, one when many.
NAME_CHARS, TWO_LINE_ROWS = 26, 8


def change_class(change: float, direction: str) -> str:
    """"better", "worse" or "neutral": a fall of a `down` indicator
    (traffic deaths) is better, a rise of it worse; `band` has no better side."""
    if change == 0 or direction not in ("up", "down"):
        return "neutral"
    return "better" if (change > 0) == (direction == "up") else "worse"


def fit_names(names: list[str]) -> list[str]:
    """Names as bar labels sized by how many bars there are: wrapped to two
    lines of NAME_CHARS while few, one line when many, ending in "…" where
    cut, and never two alike (a category axis would merge them)."""
    lines = 2 if len(names) <= TWO_LINE_ROWS else 1
    fitted = []
    for name in names:
        parts = textwrap.wrap(name, NAME_CHARS, break_on_hyphens=False) or [name]
        if len(parts) > lines:
            # Cut at a word, leaving room for the ellipsis.
            parts = textwrap.wrap(name, NAME_CHARS - 1, break_on_hyphens=False)[:lines]
            parts[-1] = parts[-1].rstrip(" ,:;") + "…"
        label = "<br>".join(_esc(p) for p in parts)
        while label in fitted:
            label += " "
        fitted.append(label)
    return fitted


def _labels_clear_of_lines(fig: go.Figure, names: list[str], values: list[float], statuses: list[str],
                           lines: list[list[float]], top: float, lang: str) -> None:
    """Each bar's label ("29,8% ▼") right of its bar's end and of every
    reference line on its row, so no line runs through a label; short, so
    it fits a phone. The status words are in the legend (`_status_legend`)."""
    gap = top * LABEL_GAP
    # Set in one go: plotly re-checks every annotation on each add_annotation,
    # which made the 1M store's 138 labels cost seconds.
    labels = [
        {"x": max([float(value), *refs]) + gap, "y": name, "xref": "x", "yref": "y", "xanchor": "left",
         "text": _esc(f"{_pct(value, lang)} {wording.style(code).symbol}".strip()),
         "showarrow": False, "font": {"color": TEXT_COLOR}}
        for name, value, code, refs in zip(names, values, statuses, lines, strict=True)
    ]
    fig.update_layout(annotations=[*fig.layout.annotations, *labels])


def _legend_below(fig: go.Figure) -> None:
    """The legend at the foot of the chart, clear of the notes over its
    reference lines (a slide puts it back on top: tracker.render)."""
    fig.update_layout(margin={"t": 50, "b": 80}, legend={"y": 0, "yref": "container", "yanchor": "bottom"})


def _status_legend(fig: go.Figure, statuses: list[str], lang: str) -> None:
    """A legend entry per status shown: its symbol, words, colour and pattern
    (these traces hold no figures)."""
    for code in dict.fromkeys(statuses):
        colour, pattern = STATUS_STYLE.get(code, STATUS_STYLE["no_data"])
        fig.add_trace(go.Bar(
            x=[None], y=[None], orientation="h", name=status_text(code, lang), hoverinfo="skip",
            marker={"color": _alpha(colour, 0.75), "line": {"color": colour, "width": 1.5},
                    "pattern": {"shape": pattern, "fgcolor": "#333", "solidity": 0.3}},
        ))


# -- % of plan through the year -------------------------------------------------------------
def pace(card: pd.DataFrame, indicator_ids: list[str], year: int, period: str, lang: str, *,
         chart_id: str, title: str, facts: Facts) -> ChartSpec | None:
    """How far each indicator has come toward its annual plan (% of plan)
    against the share of the year elapsed, bars coloured and patterned by
    status. Built from the scorecard, so chart and table agree. None when
    no indicator has a % of plan."""
    rows = card[card["indicator_id"].isin(indicator_ids) & card["pct_of_plan"].notna()]
    rows = rows.set_index("indicator_id").loc[[i for i in indicator_ids if i in set(rows["indicator_id"])]].reset_index()
    if rows.empty:
        return None
    names = [wording.short_name(pick(r, "name", lang)) for _, r in rows.iterrows()]
    expected = [expected_share(i, period) for i in rows["indicator_id"]]
    styles = [STATUS_STYLE.get(s, STATUS_STYLE["no_data"]) for s in rows["status"]]
    hover = []
    for _, r in rows.iterrows():
        unit = pick(r, "unit", lang)
        figure = wording.quantity({"value": r["figure_value"], "low": r["figure_low"], "high": r["figure_high"]}, lang, unit, short=True)
        lines = [f"<b>{_esc(pick(r, 'name', lang))}</b>",
                 f"{_esc(wording.figure_label(r['figure_kind'], r['figure_period'], lang, year=year))}: <b>{_esc(figure)}</b>",
                 _esc(t("views.hover.pct_of_plan", lang, value=_pct(r["pct_of_plan"], lang)))]
        if not fmt.is_missing(r["yoy_pct"]):
            lines.append(_esc(t("views.hover.yoy", lang, value=_pct(r["yoy_pct"], lang, signed=True))))
        lines += [f"<b>{_esc(status_text(r['status'], lang))}</b>", _wrap(pick(r, "explanation", lang)),
                  _wrap(t("views.hover.source", lang, source=r["source"] or ""))]
        hover.append("<br>".join(x for x in lines if x))

    fig = go.Figure(go.Bar(
        y=names, x=rows["pct_of_plan"].tolist(), orientation="h", name=t("views.chart.pct_of_plan", lang), showlegend=False,
        marker={"color": [_alpha(c, 0.75) for c, _ in styles], "line": {"color": [c for c, _ in styles], "width": 1.5},
                "pattern": {"shape": [p for _, p in styles], "fgcolor": "#333", "solidity": 0.3}},
        text=[f"{_pct(v, lang)} · {status_text(s, lang)}" for v, s in zip(rows["pct_of_plan"], rows["status"], strict=True)],
        textposition="none", hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))
    elapsed = share_elapsed(period)
    if elapsed is not None:
        fig.add_shape(type="line", xref="x", yref="paper", x0=elapsed * 100, x1=elapsed * 100, y0=0, y1=1,
                      line={"color": BLACK, "width": 2, "dash": "dash"})
        fig.add_annotation(x=elapsed * 100, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           text=_esc(t("views.chart.elapsed", lang, share=fmt.percent(elapsed * 100, 0, lang))))
    seasonal = [(n, e) for n, e in zip(names, expected, strict=True) if e is not None and (elapsed is None or abs(e - elapsed) > 1e-9)]
    if seasonal:
        fig.add_trace(go.Scatter(
            y=[n for n, _ in seasonal], x=[e * 100 for _, e in seasonal], mode="markers+text",
            name=t("views.chart.expected_share", lang), showlegend=False,
            marker={"symbol": "line-ns", "size": 26, "line": {"color": BLACK, "width": 4}, "color": BLACK},
            text=[t("views.chart.expected_at", lang, share=_pct(e * 100, lang)) for _, e in seasonal],
            textposition="bottom center", textfont={"color": TEXT_COLOR, "size": 12}, cliponaxis=False,
            hovertemplate="%{y}: %{x:.0f}%<extra>" + _esc(t("views.chart.expected_share", lang)) + "</extra>",
        ))
    lines = [[x * 100 for x in (elapsed, e) if x is not None] for e in expected]
    ends = [max([float(v), *refs]) for v, refs in zip(rows["pct_of_plan"], lines, strict=True)]
    top = max(110.0, max(ends) + 30)
    _labels_clear_of_lines(fig, names, rows["pct_of_plan"].tolist(), rows["status"].tolist(), lines, top, lang)
    _status_legend(fig, rows["status"].tolist(), lang)
    fig.update_xaxes(range=[0, top], title={"text": t("views.axis.pct_of_plan", lang)}, ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    _layout(fig, lang, height=190 + 60 * len(rows), legend=True)
    _legend_below(fig)
    fit_margins(fig)

    data = _card_table(rows, lang, year, expected)
    as_of = fmt.day(views.figures_date(rows), lang)
    return ChartSpec(
        chart_id=chart_id, title=title, unit="%", period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target=t("views.chart.pace_target", lang), source=views.sources(rows), as_of=as_of,
        figure=fig, data=data, lang=lang,
    )


# -- change on the same period last year -----------------------------------------------------
def change_on_last_year(card: pd.DataFrame, indicator_ids: list[str], year: int, period: str, lang: str, *,
                        chart_id: str, title: str) -> ChartSpec | None:
    """The reported change on the same period a year before, one bar per
    indicator, below zero for a fall; coloured and patterned by whether the
    change is better or worse for the indicator's direction (a fall in
    traffic deaths is better), with a legend saying so. None when none is reported."""
    rows = card[card["indicator_id"].isin(indicator_ids) & card["yoy_pct"].notna()]
    rows = rows.set_index("indicator_id").loc[[i for i in indicator_ids if i in set(rows["indicator_id"])]].reset_index()
    if rows.empty:
        return None
    names = [wording.short_name(pick(r, "name", lang)) for _, r in rows.iterrows()]
    classes = [change_class(v, d) for v, d in zip(rows["yoy_pct"], rows["direction"], strict=True)]
    hover = [
        "<br>".join([
            f"<b>{_esc(pick(r, 'name', lang))}</b>",
            _esc(wording.figure_label(r["figure_kind"], r["figure_period"], lang, year=year)),
            _esc(t("views.hover.yoy", lang, value=_pct(r["yoy_pct"], lang, signed=True))),
            f"<b>{_esc(t(f'charts.change.{c}', lang))}</b>", _esc(t(f"charts.direction.{r['direction']}", lang)),
            _wrap(t("views.hover.source", lang, source=r["source"] or "")),
        ]) for (_, r), c in zip(rows.iterrows(), classes, strict=True)
    ]
    fig = go.Figure(go.Bar(
        x=names, y=rows["yoy_pct"].tolist(), name=t("views.col.yoy", lang),
        marker=_change_marker(classes), showlegend=False,
        text=[_pct(v, lang, signed=True) for v in rows["yoy_pct"]],
        textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))
    # The legend says what the colours mean; these traces hold no figures.
    for c in dict.fromkeys(classes):
        fig.add_trace(go.Bar(x=[None], y=[None], name=t(f"charts.change.{c}", lang), marker=_change_marker([c]),
                             hoverinfo="skip"))
    fig.update_yaxes(title={"text": t("views.axis.yoy", lang)}, ticksuffix="%", zeroline=True, zerolinecolor="#333", zerolinewidth=2)
    _layout(fig, lang, height=400, legend=True)
    return ChartSpec(
        chart_id=chart_id, title=title, unit="%", period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target="", source=views.sources(rows), as_of=fmt.day(views.figures_date(rows), lang),
        figure=fig, data=_card_table(rows, lang, year), lang=lang,
    )


def _change_marker(classes: list[str]) -> dict:
    styles = [CHANGE_STYLE[c] for c in classes]
    return {"color": [_alpha(c, 0.7) for c, _ in styles], "line": {"color": [c for c, _ in styles], "width": 1.5},
            "pattern": {"shape": [p for _, p in styles], "fgcolor": "#333", "solidity": 0.3}}


# -- attainment of every judged indicator (overview) ---------------------------------------------
def attainment(card: pd.DataFrame, year: int, period: str, lang: str, *, chart_id: str = "overview.attainment",
               title: str | None = None) -> ChartSpec | None:
    """Attainment (% of the bound that decides the status) of every judged
    indicator, worst first, coloured and patterned by status, with 100% marked;
    names sized to the number of bars so a slide of twenty stays legible."""
    rows = card[card["attainment"].notna() & ~card["status"].isin(["no_target", "no_data"])]
    if rows.empty:
        return None
    rows = rows.assign(_order=rows["status"].map(lambda s: 1 if s == "at_risk" else (0 if s in status.NOT_ACHIEVED else 2)))
    rows = rows.sort_values(["_order", "attainment"], kind="stable").drop(columns="_order")
    names = [pick(r, "name", lang) for _, r in rows.iterrows()]
    labels = fit_names(names)
    styles = [STATUS_STYLE.get(s, STATUS_STYLE["no_data"]) for s in rows["status"]]
    hover = [
        "<br>".join([
            f"<b>{_esc(n)}</b>",
            _esc(t("views.hover.attainment", lang, value=_pct(r["attainment"], lang))),
            _esc(t(f"charts.direction.{r['direction']}", lang)) if r["direction"] == "down" else "",
            f"<b>{_esc(status_text(r['status'], lang))}</b>", _wrap(pick(r, "explanation", lang)),
            _wrap(t("views.hover.source", lang, source=r["source"] or "")),
        ]) for n, (_, r) in zip(names, rows.iterrows(), strict=True)
    ]
    fig = go.Figure(go.Bar(
        y=labels, x=rows["attainment"].tolist(), orientation="h",
        marker={"color": [_alpha(c, 0.75) for c, _ in styles], "line": {"color": [c for c, _ in styles], "width": 1.5},
                "pattern": {"shape": [p for _, p in styles], "fgcolor": "#333", "solidity": 0.3}},
        text=[f"{_pct(v, lang)} · {status_text(s, lang)}" for v, s in zip(rows["attainment"], rows["status"], strict=True)],
        textposition="none", hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        name=t("views.col.attainment", lang), showlegend=False,
    ))
    fig.add_shape(type="line", xref="x", yref="paper", x0=100, x1=100, y0=0, y1=1, line={"color": BLACK, "width": 2, "dash": "dash"})
    fig.add_annotation(x=100, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=_esc(t("views.chart.full_plan", lang)))
    top = max(float(rows["attainment"].max()), 100.0) + 30
    _labels_clear_of_lines(fig, labels, rows["attainment"].tolist(), rows["status"].tolist(), [[100.0]] * len(rows),
                           top, lang)
    many = len(rows) > TWO_LINE_ROWS
    if not many:
        _status_legend(fig, rows["status"].tolist(), lang)
    fig.update_xaxes(range=[0, top], title={"text": t("views.axis.attainment", lang)}, ticksuffix="%")
    # Every name shown (plotly would drop every other one where rows are tight); they fit by fit_names.
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=labels, ticktext=labels)
    # Many bars: no legend row (a slide has no height to spare); the symbols' key is in the caption.
    _layout(fig, lang, height=170 + (34 if many else 48) * len(rows), legend=not many)
    _legend_below(fig)
    fit_margins(fig)
    return ChartSpec(
        chart_id=chart_id, title=title or t("views.chart.attainment_title", lang), unit="%",
        period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target=" · ".join([t("views.chart.attainment_target", lang)]
                           + [status_text(c, lang) for c in dict.fromkeys(rows["status"])]),
        source=views.sources(rows),
        as_of=fmt.day(views.figures_date(rows), lang), figure=fig, data=_card_table(rows, lang, year), lang=lang,
    )
