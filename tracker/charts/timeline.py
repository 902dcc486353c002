"""Charts of figures over time and side by side: one indicator period after
period against its target bands (`indicator_chart`), and several
indicators of one unit in one year (`breakdown`)."""

from __future__ import annotations

import dataclasses
import textwrap

import pandas as pd
import plotly.graph_objects as go

from tracker import fmt, plan_overlay, projection, status, views, wording
from tracker.charts.base import (
    QUALIFIER_SYMBOL,
    SLOT_STEP,
    STYLES,
    TEXT_COLOR,
    FigureCard,
    _alpha,
    _axis_title,
    _columns,
    _esc,
    _hover,
    _indicator_name,
    _is_range,
    _layout,
    _pct,
    _point_text,
    _quality_notes,
    _sorted,
    _spec,
    _targets_text,
    _unit,
    _words,
    figure_table,
    judge_row,
    judge_rows,
    status_text,
    style_class,
)
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.model import ChartSpec, Facts
from tracker.views import area_rows


# -- one indicator across periods ---------------------------------------------------------
def indicator_chart(facts: Facts, indicator_id: str, lang: str, *, year: int | None = None,
                    area_id: str | None = None, chart_id: str | None = None) -> ChartSpec:
    """Every figure of one indicator, period after period: actual figures,
    estimates and targets told apart by colour and shape; a range as a
    shaded band, and each year's target band drawn behind that year's
    figures so a half-year figure reads against it; a plan implied by a
    reported % of plan as a hollow marker of its own. With `year`: every
    year still, that year shaded and its ticks bold, and where the slots are
    many only that year's and the newest year's figures labelled."""
    ind = facts.indicator(indicator_id)
    obs = facts.observations
    rows = window(facts, indicator_id, year, area_id)
    if rows.empty:
        raise TrackerError("views.chart.no_figures", indicator=indicator_id)
    inferred = implied_rows(facts, indicator_id, area_id, rows["year"].unique())
    rows = _sorted(pd.concat([rows.assign(_implied=False), inferred.assign(_implied=True)], ignore_index=True)
                   ).reset_index(drop=True)
    unit, name = _unit(ind, lang), _indicator_name(ind, lang)

    slots = list(dict.fromkeys((int(y), p) for y, p in rows[["year", "period"]].itertuples(index=False)))
    labels = {slot: wording.slot_label(*slot, lang) for slot in slots}
    # Figures sharing a slot (an estimate beside its target) sit side by side, not on top of each other.
    position = {slot: i for i, slot in enumerate(slots)}
    keys = [(int(y), p) for y, p in rows[["year", "period"]].itertuples(index=False)]
    shared = pd.Series(keys).map(pd.Series(keys).value_counts()).tolist()
    rank = pd.Series(keys).groupby(pd.Series(keys)).cumcount().tolist()
    rows["_x"] = [position[k] + (r - (n - 1) / 2) * SLOT_STEP for k, r, n in zip(keys, rank, shared, strict=True)]
    rows["_width"] = [0.5 if n == 1 else SLOT_STEP * 0.85 for n in shared]
    rows["_show"] = rows["year"].isin(labelled_years(slots, year))
    rows, inferred = rows[~rows["_implied"]].drop(columns="_implied"), rows[rows["_implied"]]
    judgements = judge_rows(obs, rows, {indicator_id: ind})
    rows["_hover"] = [_hover(row, ind, lang, j, name) for (_, row), j in zip(rows.iterrows(), judgements, strict=True)]

    fig = go.Figure()
    guides = target_guides(fig, rows, slots) + implied_guides(fig, inferred, slots)
    span = _span(pd.concat([rows, inferred]))
    for (kind, period), group in rows.groupby(["kind", "period"], sort=False):
        style = STYLES[style_class(kind, period)]
        label = wording.figure_label(kind, period, lang)
        ranges = group[[_is_range(r) for _, r in group.iterrows()]]
        points = group.drop(ranges.index)
        points = points[[wording.point(r) is not None for _, r in points.iterrows()]]
        if not ranges.empty:
            (band_layer if kind == "target" else interval_layer)(fig, ranges, style, label, lang)
        if not points.empty:
            point_layer(fig, points, style, label, lang, guides, span, legend=ranges.empty)
    implied_layer(fig, inferred, ind, name, lang)
    # A plan over years: the five-year targets across their years, and the newest year's projected full year.
    plan_overlay.add_five_year_targets(fig, facts.spans, ind, slots, lang)
    plan_overlay.add_projection(fig, projection.newest_for(obs, facts.indicators, indicator_id, area_id), ind, slots, lang)
    focus_year(fig, slots, year)
    fig.update_layout(barmode="overlay")
    _layout(fig, lang)
    crowded = len(slots) > CROWDED_SLOTS
    ticks = [tick_label(labels[s], s[0] == year, crowded) for s in slots]
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(slots))), ticktext=ticks,
                     range=[-0.6, len(slots) - 0.4], showgrid=False, zeroline=False, tickangle=0 if crowded else None)
    value_axis(fig, pd.concat([rows, inferred]), ind, unit, lang)
    data = implied_table(figure_table(rows.drop(columns=["_x", "_width", "_hover", "_show"]), facts, lang,
                                      judgements), inferred, facts, lang)
    notes = _quality_notes(facts, [indicator_id], lang, rows["year"].unique())
    spec = _spec(chart_id or indicator_id, name, unit, rows, facts, fig, data, lang, notes=notes)
    if crowded:
        # Many years: the subtitle names the span and the targets of the year in view, not every slot and target.
        focus = year if year is not None else int(rows["year"].max())
        in_view = rows["year"].between(focus, focus + 1)
        spec = dataclasses.replace(spec, period=f"{labels[slots[0]]} – {labels[slots[-1]]}",
                                   target=_targets_text(rows[in_view], facts, lang))
        inferred = inferred[inferred["year"].between(focus, focus + 1)]
    # An implied plan is named as such in the subtitle too, after the stated ones.
    implied = [f"{t('charts2.implied.hover', lang, year=int(r['year']))}: "
               f"{wording.with_unit(wording.number(r['value'], lang, _digits(ind)), unit)}" for _, r in inferred.iterrows()]
    return dataclasses.replace(spec, target="; ".join([part for part in [spec.target, *implied] if part]))


def tick_label(label: str, chosen: bool, crowded: bool) -> str:
    """A slot's tick: bold for the chosen year; on a crowded axis the year
    on a line of its own, the period wrapped ("6 tháng<br>đầu<br>2018"), so
    labels stay level and apart."""
    if crowded and " " in label:
        period, year = label.rsplit(" ", 1)
        label = "<br>".join([*textwrap.wrap(period, TICK_CHARS, break_long_words=False), year])
    return f"<b>{label}</b>" if chosen else label


# More slots than this and only the chosen and the newest year carry labels (hover still tells every figure).
CROWDED_SLOTS = 8
TICK_CHARS = 8  # characters a line of a crowded axis's tick label holds


def labelled_years(slots: list[tuple[int, str]], year: int | None) -> set[int]:
    """The years whose figures carry a value label: every year on a short
    timeline; on a crowded one the chosen year and the newest."""
    years = {y for y, _ in slots}
    if len(slots) <= CROWDED_SLOTS:
        return years
    return {y for y in (year, max(years)) if y is not None}


def focus_year(fig: go.Figure, slots: list[tuple[int, str]], year: int | None) -> None:
    """A light shade behind the chosen year's slots, so a timeline of every
    year still shows which year the page is about."""
    positions = [i for i, (y, _) in enumerate(slots) if y == year]
    if year is None or not positions or len(positions) == len(slots):
        return
    fig.add_shape(type="rect", xref="x", yref="paper", x0=min(positions) - 0.5, x1=max(positions) + 0.5,
                  y0=0, y1=1, fillcolor=FOCUS_FILL, line={"width": 0}, layer="below")


FOCUS_FILL = "rgba(0,0,0,0.05)"
IMPLIED_SYMBOL = "square-open"  # hollow, unlike a stated target's solid bar


def implied_rows(facts: Facts, indicator_id: str, area_id: str | None, years) -> pd.DataFrame:
    """The annual plans that the indicator's reported % of plan implies
    (tracker.status.implied) in the given years, where no target row states them."""
    implied = status.implied_targets(facts.observations[facts.observations["indicator_id"] == indicator_id])
    return area_rows(implied, area_id).loc[lambda r: r["year"].isin(list(years))]


def implied_layer(fig: go.Figure, inferred: pd.DataFrame, ind, name: str, lang: str) -> None:
    """Implied plans as hollow squares with a dotted line across their
    year, named "Kế hoạch suy ra" in the legend; the hover says how each
    was found ("kế hoạch suy ra: 2.430 triệu USD là 50,4% KH")."""
    if inferred.empty:
        return
    unit = _unit(ind, lang)
    color = STYLES["target"]["color"]
    hover = [f"<b>{_esc(name)}</b><br>{_esc(t('charts2.implied.hover', lang, year=int(r['year'])))}: "
             f"<b>{_esc(wording.target_text(r, lang, unit, _digits(ind)))}</b>"
             f"<br>{_esc(t('views.hover.source', lang, source=r.get('source') or ''))}" for _, r in inferred.iterrows()]
    fig.add_trace(go.Scatter(
        x=inferred["_x"].tolist(), y=inferred["value"].tolist(), mode="markers+text",
        name=t("charts2.implied.legend", lang),
        marker={"symbol": IMPLIED_SYMBOL, "size": 15, "color": color, "line": {"color": color, "width": 2.5}},
        text=[t("charts2.implied.point", lang, value=wording.number(r["value"], lang, _digits(ind))) if r["_show"] else ""
              for _, r in inferred.iterrows()],
        textposition="top center", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))


def _digits(ind) -> int:
    """The indicator's decimals: an implied plan is a quotient, shown no finer than its figures."""
    decimals = ind.get("decimals")
    return 0 if fmt.is_missing(decimals) else int(decimals)


def implied_guides(fig: go.Figure, inferred: pd.DataFrame, slots: list) -> list[tuple[float, float, float]]:
    """A dotted line across each implied plan's year (a stated one is dashed)."""
    lines = []
    for _, row in inferred[inferred["period"] == "FY"].iterrows():
        positions = [i for i, slot in enumerate(slots) if slot[0] == row["year"]]
        x0, x1 = min(positions) - 0.45, max(positions) + 0.45
        fig.add_shape(type="line", xref="x", yref="y", x0=x0, x1=x1, y0=row["value"], y1=row["value"],
                      line={"color": STYLES["target"]["color"], "width": 1.5, "dash": "dot"}, layer="below")
        lines.append((x0, x1, row["value"]))
    return lines


def implied_table(data: pd.DataFrame, inferred: pd.DataFrame, facts: Facts, lang: str) -> pd.DataFrame:
    """The data behind a chart with its implied plans after the figures,
    their kind "Kế hoạch suy ra" and their words saying how each was found."""
    if inferred.empty:
        return data
    names = _columns(lang, None)
    inferred = inferred[[c for c in inferred.columns if not c.startswith("_")]]
    extra = figure_table(inferred, facts, lang).reindex(columns=data.columns)
    extra[names["kind"]] = t("charts2.implied.kind", lang)
    inds = [facts.indicator(i) for i in inferred["indicator_id"]]
    extra[names["figure"]] = [wording.target_text(r, lang, _unit(ind, lang), _digits(ind))
                              for (_, r), ind in zip(inferred.iterrows(), inds, strict=True)]
    return pd.concat([data, extra], ignore_index=True)


def band_layer(fig: go.Figure, ranges: pd.DataFrame, style: dict, label: str, lang: str) -> None:
    """Target ranges as floating shaded, hatched bands."""
    fig.add_trace(go.Bar(
        x=ranges["_x"].tolist(), base=ranges["low"].tolist(), y=(ranges["high"] - ranges["low"]).tolist(),
        name=label, legendgroup=label, width=ranges["_width"].tolist(),
        marker={"color": _alpha(style["color"], 0.35), "line": {"color": style["color"], "width": 2},
                "pattern": {"shape": style["pattern"] or "x", "fgcolor": style["color"], "solidity": 0.25}},
        text=[wording.quantity(r, lang, short=True) if r.get("_show", True) else "" for _, r in ranges.iterrows()],
        textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=ranges["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
    ))


def interval_layer(fig: go.Figure, ranges: pd.DataFrame, style: dict, label: str, lang: str) -> None:
    """Estimates and figures given as a range ("8 - 9") as an interval: an
    open marker at the middle with whiskers to both ends, labelled beside it,
    never a band that could be read as a target."""
    middle = ((ranges["low"] + ranges["high"]) / 2).tolist()
    half = ((ranges["high"] - ranges["low"]) / 2).tolist()
    fig.add_trace(go.Scatter(
        x=ranges["_x"].tolist(), y=middle, mode="markers+text", name=label, legendgroup=label,
        marker={"symbol": f"{style['symbol']}-open", "size": 14, "color": style["color"],
                "line": {"color": style["color"], "width": 2.5}},
        error_y={"type": "data", "array": half, "symmetric": True, "color": style["color"], "thickness": 3, "width": 10},
        text=[wording.quantity(r, lang, short=True) if r.get("_show", True) else "" for _, r in ranges.iterrows()],
        textposition="middle right", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=ranges["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
    ))


def point_layer(fig: go.Figure, points: pd.DataFrame, style: dict, label: str, lang: str,
                guides: list[tuple[float, float, float]], span: float, legend: bool = True) -> None:
    """Single figures and one-sided targets as markers, labelled above,
    or below where a target line runs just above the marker."""
    ys = [wording.point(r) for _, r in points.iterrows()]
    fig.add_trace(go.Scatter(
        x=points["_x"].tolist(), y=ys, mode="markers+text", name=label, legendgroup=label, showlegend=legend,
        marker={
            "symbol": [QUALIFIER_SYMBOL.get(q, style["symbol"]) for q in points["qualifier"]],
            "size": 16 if style["symbol"] != "line-ew" else 30, "color": style["color"],
            "line": {"color": style["color"], "width": 4 if style["symbol"] == "line-ew" else 1.5},
        },
        text=[_point_text(r, lang) if r.get("_show", True) else "" for _, r in points.iterrows()],
        textposition=[label_position(x, y, guides, span) for x, y in zip(points["_x"], ys, strict=True)],
        textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=points["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
    ))


LABEL_HEIGHT = 0.12  # share of the value axis a point's label takes above it


def label_position(x: float, y: float, guides: list[tuple[float, float, float]], span: float) -> str:
    """"top center", or "bottom center" when a target line (x0, x1, y) over
    the point would run through a label above it."""
    crossed = any(x0 <= x <= x1 and 0 < line - y <= LABEL_HEIGHT * span for x0, x1, line in guides)
    return "bottom center" if crossed else "top center"


def _span(rows: pd.DataFrame) -> float:
    values = pd.concat([rows["value"], rows["low"], rows["high"]]).dropna()
    return float(values.max() - min(values.min(), 0)) if not values.empty else 1.0


def target_guides(fig: go.Figure, rows: pd.DataFrame, slots: list) -> list[tuple[float, float, float]]:
    """Each year's target behind that year's slots: a shaded band for a
    range, a dashed line for a value or bound. Returns the lines (x0, x1, y)."""
    lines = []
    color = STYLES["target"]["color"]
    for _, row in rows[(rows["kind"] == "target") & (rows["period"] == "FY")].iterrows():
        positions = [i for i, slot in enumerate(slots) if slot[0] == row["year"]]
        x0, x1 = min(positions) - 0.45, max(positions) + 0.45
        if _is_range(row):
            fig.add_shape(type="rect", xref="x", yref="y", x0=x0, x1=x1, y0=row["low"], y1=row["high"],
                          fillcolor=_alpha(color, 0.12), line={"width": 0}, layer="below")
        elif (y := wording.point(row)) is not None:
            fig.add_shape(type="line", xref="x", yref="y", x0=x0, x1=x1, y0=y, y1=y,
                          line={"color": color, "width": 2, "dash": "dash"}, layer="below")
            lines.append((x0, x1, y))
    return lines


# A level whose smallest value is above this share of its largest reads on a broken axis.
BROKEN_AXIS_SHARE = 0.5


def value_axis(fig: go.Figure, rows: pd.DataFrame, ind, unit: str, lang: str) -> None:
    """The value axis: flows from zero; levels from zero, or, where zero
    would flatten every difference (forest cover 62% against 62,5%), from
    near their values with the break marked on the axis and in its title;
    rates (growth) around their values with zero drawn."""
    values = pd.concat([rows["value"], rows["low"], rows["high"]]).dropna()
    measure = ind.get("measure")
    broken = (measure == "level" and not values.empty and values.min() > 0
              and values.min() > BROKEN_AXIS_SHARE * values.max())
    title = _axis_title(unit, lang)
    if broken:
        low, high = float(values.min()), float(values.max())
        pad = max((high - low) * 0.6, high * 0.02)
        fig.update_yaxes(range=[low - pad, high + pad * 1.5], title={"text": f"{title} {t('charts.axis.broken', lang)}"},
                         zeroline=False)
        # The break sign where the axis meets the plot's foot.
        fig.add_annotation(x=0, xref="paper", y=0, yref="paper", text="≈", showarrow=False, xanchor="center",
                           yanchor="middle", font={"size": 22, "color": TEXT_COLOR}, bgcolor="white")
    else:
        fig.update_yaxes(title={"text": title}, zeroline=True,
                         rangemode="tozero" if measure in ("flow", "level") else "normal")


def window(facts: Facts, indicator_id: str, year: int | None, area_id: str | None = None) -> pd.DataFrame:
    """The rows a timeline draws: every figure of the indicator in the area,
    every year it has. With `year`, empty when the indicator has nothing in
    that year, the year before or next year's targets (a page about a year
    draws only what bears on it), else still every year."""
    obs = facts.observations
    rows = area_rows(obs[obs["indicator_id"] == indicator_id], area_id)
    if year is not None:
        near = rows["year"].between(year - 1, year) | ((rows["year"] == year + 1) & (rows["kind"] == "target"))
        if not near.any():
            return rows.iloc[0:0]
    return rows


def indicator_charts(facts: Facts, indicator_ids: list[str], lang: str, *, year: int | None = None,
                     area_id: str | None = None) -> list[ChartSpec]:
    """`indicator_chart` of each indicator that has figures or targets in
    the window (skipping, never drawing an empty chart)."""
    return [indicator_chart(facts, i, lang, year=year, area_id=area_id)
            for i in indicator_ids if not window(facts, i, year, area_id).empty]


def timelines(facts: Facts, indicator_ids: list[str], lang: str, *, year: int | None = None,
              area_id: str | None = None) -> list[ChartSpec | FigureCard]:
    """As `indicator_charts`, but an indicator with a single figure in the
    window is a `FigureCard` (a number with its status), not a one-dot chart."""
    items: list[ChartSpec | FigureCard] = []
    for indicator_id in indicator_ids:
        rows = window(facts, indicator_id, year, area_id)
        if len(rows) == 1:
            items.append(figure_card(facts, rows.iloc[0], lang))
        elif not rows.empty:
            items.append(indicator_chart(facts, indicator_id, lang, year=year, area_id=area_id))
    return items


def figure_card(facts: Facts, row, lang: str) -> FigureCard:
    """One figure as a card: the indicator, the figure in the plan's words,
    which figure it is, its status and why, its source and date."""
    ind = facts.indicator(row["indicator_id"])
    judgement = judge_row(facts.observations, row, ind)
    details = []
    if not fmt.is_missing(row.get("pct_of_plan")):
        details.append(t("views.hover.pct_of_plan", lang, value=_pct(row["pct_of_plan"], lang)))
    if not fmt.is_missing(row.get("yoy_pct")):
        details.append(t("views.hover.yoy", lang, value=_pct(row["yoy_pct"], lang, signed=True)))
    return FigureCard(
        chart_id=row["indicator_id"], name=_indicator_name(ind, lang), value=_words(row, ind, lang),
        label=wording.figure_label(row["kind"], row["period"], lang, year=int(row["year"])),
        status=judgement.status if judgement is not None else "",
        status_text=status_text(judgement.status, lang) if judgement is not None else "",
        explanation=judgement.explanation(lang) if judgement is not None else "",
        details=" · ".join(details), source=row.get("source") or "",
        as_of=fmt.day(views.figures_date(pd.DataFrame([row])), lang), lang=lang,
    )


def _interval_beside_bars(fig: go.Figure, group: pd.DataFrame, x: list[str], style: dict, label: str,
                          lang: str) -> None:
    """Figures of a breakdown given as ranges (an estimate "8 - 9") as
    intervals in their own slot of each group, never a floating bar that
    reads like a target band; a plain figure among them is a marker."""
    low = [r["low"] if _is_range(r) else wording.point(r) for _, r in group.iterrows()]
    high = [r["high"] if _is_range(r) else wording.point(r) for _, r in group.iterrows()]
    fig.add_trace(go.Scatter(
        x=x, y=[(a + b) / 2 for a, b in zip(low, high, strict=True)], mode="markers+text", name=label,
        offsetgroup=label, marker={"symbol": f"{style['symbol']}-open", "size": 14, "color": style["color"],
                                   "line": {"color": style["color"], "width": 2.5}},
        error_y={"type": "data", "array": [(b - a) / 2 for a, b in zip(low, high, strict=True)], "symmetric": True,
                 "color": style["color"], "thickness": 3, "width": 8},
        text=[wording.quantity(r, lang, short=True) for _, r in group.iterrows()],
        textposition="middle right", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=group["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
    ))


# -- several indicators in one year ---------------------------------------------------------
def breakdown(facts: Facts, indicator_ids: list[str], year: int, period: str, lang: str, *,
              chart_id: str, title: str, area_id: str | None = None) -> ChartSpec | None:
    """Several indicators of one unit side by side for a year and period:
    the figure, the same period a year before, the full-year figure, this
    year's targets (full year and second half) and next year's; each kind a bar with its own colour and
    pattern, a range as a floating band. None when there is nothing to show."""
    obs = facts.observations
    rows = area_rows(obs[obs["indicator_id"].isin(indicator_ids)], area_id)
    figures = rows["kind"] != "target"
    keep = (
        (figures & (rows["year"] == year - 1) & (rows["period"] == period))
        | ((rows["year"] == year) & rows["period"].isin([period, "FY"]))
        | (~figures & (rows["year"] == year) & (rows["period"] == "H2"))
        | (~figures & (rows["year"] == year + 1) & (rows["period"] == "FY"))
    )
    rows = rows[keep]
    if rows.empty:
        return None
    rows = _sorted(rows).reset_index(drop=True)
    inds = {i: facts.indicator(i) for i in indicator_ids}
    present = [i for i in indicator_ids if i in set(rows["indicator_id"])]
    names = {i: wording.short_name(_indicator_name(inds[i], lang)) for i in present}
    units = {_unit(inds[i], lang) for i in present}
    if len(units) > 1:
        # Figures in different units on one axis would compare what cannot be compared.
        raise ValueError(f"{chart_id}: indicators in different units ({', '.join(sorted(units))}) on one axis")
    unit = units.pop()
    judgements = judge_rows(obs, rows, inds)
    rows["_hover"] = [_hover(row, inds[row["indicator_id"]], lang, j) for (_, row), j in zip(rows.iterrows(), judgements, strict=True)]

    fig = go.Figure()
    for (y, p, kind), group in rows.groupby(["year", "period", "kind"], sort=False):
        style = STYLES[style_class(kind, p, int(y), year)]
        label = wording.figure_label(kind, p, lang, year=int(y))
        x = [names[i] for i in group["indicator_id"]]
        if kind != "target" and any(_is_range(r) for _, r in group.iterrows()):
            _interval_beside_bars(fig, group, x, style, label, lang)
            continue
        is_range = [_is_range(r) for _, r in group.iterrows()]
        base = [r["low"] if rng else 0 for (_, r), rng in zip(group.iterrows(), is_range, strict=True)]
        height = [(r["high"] - r["low"]) if rng else wording.point(r) for (_, r), rng in zip(group.iterrows(), is_range, strict=True)]
        fig.add_trace(go.Bar(
            x=x, base=base, y=height, name=label, offsetgroup=label,
            marker={"color": _alpha(style["color"], 0.85 if not style["pattern"] else 0.45),
                    "line": {"color": style["color"], "width": 1.5},
                    "pattern": {"shape": style["pattern"], "fgcolor": style["color"] if style["pattern"] else None, "solidity": 0.3}},
            text=[wording.quantity(r, lang, short=True) for _, r in group.iterrows()],
            textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
            hovertext=group["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
        ))
    inferred = area_rows(status.implied_targets(obs[obs["indicator_id"].isin(present)]), area_id)
    inferred = inferred[(inferred["year"] == year) & (inferred["period"] == "FY")]
    implied_bars(fig, inferred, names, inds, lang)
    # Intervals take their own slot in each group, beside the bars.
    fig.update_layout(barmode="group", scattermode="group")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[names[i] for i in present])
    fig.update_yaxes(title={"text": _axis_title(unit, lang)}, zeroline=True, zerolinecolor="#666")
    _layout(fig, lang, height=460)
    data = implied_table(figure_table(rows.drop(columns=["_hover"]), facts, lang, judgements), inferred, facts, lang)
    notes = _quality_notes(facts, present, lang, [year])
    return _spec(chart_id, title, unit, rows, facts, fig, data, lang, several=True, notes=notes)


def implied_bars(fig: go.Figure, inferred: pd.DataFrame, names: dict, inds: dict, lang: str) -> None:
    """A breakdown's implied plans as hollow bars in their own slot of each
    group (a stated target is a filled, hatched bar), named "Kế hoạch suy
    ra" in the legend, the hover saying how each was found."""
    if inferred.empty:
        return
    color = STYLES["target"]["color"]
    label = t("charts2.implied.legend", lang)
    texts, hover = [], []
    for _, r in inferred.iterrows():
        ind = inds[r["indicator_id"]]
        texts.append(t("charts2.implied.point", lang, value=wording.number(r["value"], lang, _digits(ind))))
        words = wording.target_text(r, lang, _unit(ind, lang), _digits(ind))
        hover.append(f"<b>{_esc(_indicator_name(ind, lang))}</b><br>"
                     f"{_esc(t('charts2.implied.hover', lang, year=int(r['year'])))}: <b>{_esc(words)}</b>")
    fig.add_trace(go.Bar(
        x=[names[i] for i in inferred["indicator_id"]], y=inferred["value"].tolist(), name=label, offsetgroup=label,
        marker={"color": "rgba(255,255,255,0)", "line": {"color": color, "width": 2.5}},
        text=texts, textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))
