"""Charts of figures against targets: pure plotly, one function per kind of
chart, each returning a `ChartSpec` (the figure plus its title, unit,
period, kinds of figure, target, source, date and the data behind it).

How every chart reads, in colour, in grayscale and for colour-blind
viewers: the Okabe-Ito palette, and each kind of figure also told apart
by marker shape (timelines) or fill pattern (bars); a target range is a
shaded band, a one-sided target a triangle (▲ at least, ▼ at most).
Numbers inside the charts use the language's separators; hover text is
formatted by `tracker.fmt` and carries the status explanation and source.
Status comes from `tracker.status` only."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from tracker import fmt, plan_overlay, projection, status, views, wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.model import ChartSpec, Facts
from tracker.text import chart_literal
from tracker.views import DEFAULT_AREA, RANK

# Okabe & Ito (2008), "Color Universal Design": safe for every common
# colour-vision deficiency; lightness differs enough to survive grayscale
# together with the shapes and patterns below.
BLACK, ORANGE, SKY, GREEN = "#000000", "#E69F00", "#56B4E9", "#009E73"
YELLOW, BLUE, VERMILLION, PURPLE, GREY = "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"
# Web fonts Streamlit serves first, then system fonts that carry every
# Vietnamese diacritic (DejaVu Sans is in Debian's fonts-dejavu-core).
FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Source Sans 3", "DejaVu Sans", "Noto Sans", Arial, sans-serif'
TEXT_COLOR = "#1a1a1a"

# Style per class of figure: colour, marker symbol (timelines), bar fill pattern.
STYLES = {
    "actual": {"color": BLUE, "symbol": "circle", "pattern": ""},
    "actual_fy": {"color": VERMILLION, "symbol": "square", "pattern": "."},
    "estimate": {"color": ORANGE, "symbol": "diamond", "pattern": "/"},
    "target": {"color": GREEN, "symbol": "line-ew", "pattern": "x"},
    "target_partial": {"color": PURPLE, "symbol": "line-ew", "pattern": "\\"},
    "target_next": {"color": BLACK, "symbol": "line-ew", "pattern": "+"},
    "prior": {"color": SKY, "symbol": "circle-open", "pattern": "-"},
}
QUALIFIER_SYMBOL = {"at_least": "triangle-up", "at_most": "triangle-down"}

# Status as colour and fill pattern, from the one table of status styles; bar
# labels add the symbol and words, so the colour only repeats what is written.
STATUS_STYLE = {code: (style.colour, style.pattern) for code, style in wording.STATUS_STYLES.items()}
TICK_FORMAT = ",.12~g"
SLOT_STEP = 0.3  # distance between figures that share a period on a timeline
HOVER_WIDTH = 72  # characters per line of hover text


# -- words ------------------------------------------------------------------
status_text = wording.status_text


def style_class(kind: str, period: str, year: int | None = None, focus_year: int | None = None) -> str:
    """Which style a figure takes: by kind and period, and in a chart about
    one year, earlier years as "prior" and next year's targets apart."""
    if focus_year is not None and year is not None and year < focus_year:
        return "prior"
    if kind == "target":
        if focus_year is not None and year is not None and year > focus_year:
            return "target_next"
        return "target" if period == "FY" else "target_partial"
    if kind == "estimate":
        return "estimate"
    return "actual_fy" if period == "FY" else "actual"


def _pct(x, lang: str, signed: bool = False) -> str:
    """A percentage as reports write it: one decimal at most, "54%", "50,4%"."""
    return fmt.percent(round(float(x), 1), None, lang, signed=signed)



def _point_text(row, decimals: int | None, lang: str) -> str:
    """A point's label: the figure, and the reported % of plan beside it so a
    slide shows "đạt 50,4% KH" without a hover."""
    text = wording.quantity(row, lang, short=True)
    pct = row.get("pct_of_plan")
    if text and not fmt.is_missing(pct):
        text = t("views.value.with_pct_of_plan", lang, value=text, pct=fmt.percent(pct, None, lang))
    return text

def _esc(text) -> str:
    return chart_literal(text)


def _wrap(text: str) -> str:
    return "<br>".join(textwrap.wrap(_esc(text), HOVER_WIDTH, break_on_hyphens=False)) if text else ""


def _indicator_name(ind, lang: str) -> str:
    return pick(ind, "name", lang)


def _unit(ind, lang: str) -> str:
    return pick(ind, "unit", lang)


def _decimals(ind) -> int | None:
    value = ind.get("decimals")
    return None if fmt.is_missing(value) else int(value)


def _axis_title(unit: str, lang: str) -> str:
    return t("views.axis.unit", lang, unit=unit)


# -- status of each figure -----------------------------------------------------
def judge_row(observations: pd.DataFrame, row, ind):
    """The judgement of one figure against the target the status engine
    picks for it (None for a target row)."""
    if row["kind"] == "target":
        return None
    picked = status.pick(observations[observations["indicator_id"] == row["indicator_id"]], row["area_id"],
                         int(row["year"]), row["period"])
    return status.judge(row, picked.targets.get(row["indicator_id"]), ind)


def expected_share(indicator_id: str, period: str) -> float | None:
    """The share of the annual plan expected done by the end of a
    partial-year period (seasonal where the rules say so); None for FY, H2."""
    if period in status.ANNUAL_PERIODS:
        return None
    return status.RULES.share(indicator_id, period)[0]


def share_elapsed(period: str) -> float | None:
    """The share of the year elapsed at the end of a partial-year period."""
    return status.RULES.year_share.get(period)


# -- hover and data ------------------------------------------------------------
def _hover(row, ind, lang: str, judgement=None, name: str | None = None) -> str:
    label = wording.figure_label(row["kind"], row["period"], lang, year=row["year"])
    lines = [
        f"<b>{_esc(name or _indicator_name(ind, lang))}</b>",
        f"{_esc(label)}: <b>{_esc(_words(row, ind, lang))}</b>",
    ]
    if not fmt.is_missing(row.get("pct_of_plan")):
        lines.append(_esc(t("views.hover.pct_of_plan", lang, value=_pct(row["pct_of_plan"], lang))))
    if not fmt.is_missing(row.get("yoy_pct")):
        lines.append(_esc(t("views.hover.yoy", lang, value=_pct(row["yoy_pct"], lang, signed=True))))
    if judgement is not None:
        lines.append(f"<b>{_esc(status_text(judgement.status, lang))}</b>")
        lines.append(_wrap(judgement.explanation(lang)))
    lines.append(_wrap(t("views.hover.source", lang, source=row.get("source") or "")))
    note = row.get("note")
    if isinstance(note, str) and note:
        lines.append(f"<i>{_wrap(t('views.hover.note', lang, note=note))}</i>")
    return "<br>".join(line for line in lines if line)


def _words(row, ind, lang: str) -> str:
    """A figure or target in the plans' words, with its unit ("từ 5% trở lên")."""
    return wording.quantity(row, lang, _unit(ind, lang))


def _columns(lang: str, unit: str | None) -> dict[str, str]:
    """Headers of the data behind a chart, in the language, with the unit."""
    with_unit = (lambda key: f"{t(key, lang)} ({unit})") if unit else (lambda key: t(key, lang))
    return {
        "indicator": t("views.col.indicator", lang),
        "unit": t("views.col.unit", lang),
        "year": t("views.col.year", lang),
        "period": t("views.col.period", lang),
        "kind": t("views.col.kind", lang),
        "value": with_unit("views.col.value"),
        "low": with_unit("views.col.low"),
        "high": with_unit("views.col.high"),
        "figure": t("views.col.figure", lang),
        "pct_of_plan": t("views.col.pct_of_plan", lang),
        "yoy_pct": t("views.col.yoy", lang),
        "status": t("views.col.status", lang),
        "explanation": t("views.col.explanation", lang),
        "source": t("views.col.source", lang),
        "note": t("views.col.note", lang),
    }


def figure_table(rows: pd.DataFrame, facts: Facts, lang: str, judgements: list | None = None) -> pd.DataFrame:
    """The figures behind a chart, one row each, headers in the language
    and the unit in the headers when the figures share one."""
    judgements = judgements if judgements is not None else [None] * len(rows)
    units = {_unit(facts.indicator(i), lang) for i in rows["indicator_id"].unique()}
    common = units.pop() if len(units) == 1 else None
    names = _columns(lang, common)
    records = []
    for (_, row), judgement in zip(rows.iterrows(), judgements, strict=True):
        ind = facts.indicator(row["indicator_id"])
        record = {
            names["indicator"]: _indicator_name(ind, lang),
            names["unit"]: _unit(ind, lang),
            names["year"]: int(row["year"]),
            names["period"]: wording.period_label(row["period"], lang),
            names["kind"]: wording.kind_label(row["kind"], lang),
            names["value"]: row["value"],
            names["low"]: row["low"],
            names["high"]: row["high"],
            names["figure"]: _words(row, ind, lang),
            names["pct_of_plan"]: row["pct_of_plan"],
            names["yoy_pct"]: row["yoy_pct"],
            names["status"]: status_text(judgement.status, lang) if judgement is not None else "",
            names["explanation"]: judgement.explanation(lang) if judgement is not None else "",
            names["source"]: row["source"],
            names["note"]: row["note"] if isinstance(row["note"], str) else "",
        }
        if common is not None:
            del record[names["unit"]]
        records.append(record)
    columns = [c for c in names.values() if common is None or c != names["unit"]]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for key in ("value", "low", "high", "pct_of_plan", "yoy_pct"):
        frame[names[key]] = pd.to_numeric(frame[names[key]]).astype("float64")
    return frame


# -- layout --------------------------------------------------------------------
def _layout(fig: go.Figure, lang: str, *, height: int = 420, legend: bool = True) -> go.Figure:
    """The look every chart shares: fonts, separators, legend above the plot."""
    fig.update_layout(
        template="plotly_white",
        separators=fmt.PLOTLY_SEPARATORS[lang],
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOR},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if legend else 20, "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        bargap=0.3,
    )
    # Group thousands on the axes too ("2.500"), up to 12 significant digits, zeros trimmed.
    fig.update_xaxes(automargin=True, tickformat=TICK_FORMAT)
    fig.update_yaxes(automargin=True, tickformat=TICK_FORMAT)
    return fig


def _figure_kinds(rows: pd.DataFrame, lang: str) -> str:
    labels = [wording.figure_label(k, p, lang) for k, p in rows[["kind", "period"]].drop_duplicates().itertuples(index=False)]
    return "; ".join(dict.fromkeys(labels))


def _periods_text(rows: pd.DataFrame, lang: str) -> str:
    slots = sorted({(int(y), p) for y, p in rows[["year", "period"]].itertuples(index=False)}, key=lambda s: (s[0], RANK[s[1]]))
    return "; ".join(wording.slot_label(y, p, lang) for y, p in slots)


def _targets_text(rows: pd.DataFrame, facts: Facts, lang: str, several: bool = False) -> str:
    parts = []
    for _, row in rows[rows["kind"] == "target"].iterrows():
        ind = facts.indicator(row["indicator_id"])
        text = _words(row, ind, lang)
        label = wording.figure_label("target", row["period"], lang, year=row["year"])
        if several:
            label = f"{wording.short_name(_indicator_name(ind, lang))}, {label[:1].lower() + label[1:]}"
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def _spec(chart_id, title, unit, rows, facts, fig, data, lang, *, several=False, notes=None) -> ChartSpec:
    return ChartSpec(
        chart_id=chart_id, title=title, unit=unit,
        period=_periods_text(rows, lang), kinds=_figure_kinds(rows, lang),
        target=_targets_text(rows, facts, lang, several), source=views.sources(rows),
        as_of=fmt.day(views.figures_date(rows), lang), figure=fig, data=data, lang=lang, notes=notes or [],
    )


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    order = rows.assign(
        _rank=rows["period"].map(RANK), _kind=rows["kind"].map({k: i for i, k in enumerate(views.KIND_ORDER)}),
    )
    return order.sort_values(["year", "_rank", "_kind"], kind="stable").drop(columns=["_rank", "_kind"])


def _is_range(row) -> bool:
    return not fmt.is_missing(row.get("low")) and not fmt.is_missing(row.get("high"))


def _quality_notes(facts: Facts, indicator_ids, lang: str, years=None) -> list[str]:
    notes = status.quality_notes(
        facts.observations[facts.observations["indicator_id"].isin(list(indicator_ids))], facts.indicators,
    )
    if years is not None:
        notes = notes[notes["year"].isin(list(years))]
    return list(dict.fromkeys(notes[f"note_{lang}"].dropna()))


# -- one indicator across periods ---------------------------------------------------------
def indicator_chart(facts: Facts, indicator_id: str, lang: str, *, year: int | None = None,
                    area_id: str = DEFAULT_AREA, chart_id: str | None = None) -> ChartSpec:
    """Every figure of one indicator, period after period: actual figures,
    estimates and targets told apart by colour and shape; a range as a
    shaded band, and each year's target band drawn behind that year's
    figures so a half-year figure reads against it. With `year`: that year
    and the year before, with next year's targets."""
    ind = facts.indicator(indicator_id)
    obs = facts.observations
    rows = obs[(obs["indicator_id"] == indicator_id) & (obs["area_id"] == area_id)]
    if year is not None:
        rows = rows[rows["year"].between(year - 1, year) | ((rows["year"] == year + 1) & (rows["kind"] == "target"))]
    if rows.empty:
        raise TrackerError("views.chart.no_figures", indicator=indicator_id)
    rows = _sorted(rows).reset_index(drop=True)
    unit, decimals, name = _unit(ind, lang), _decimals(ind), _indicator_name(ind, lang)

    slots = list(dict.fromkeys((int(y), p) for y, p in rows[["year", "period"]].itertuples(index=False)))
    labels = {slot: wording.slot_label(*slot, lang) for slot in slots}
    judgements = [judge_row(obs, row, ind) for _, row in rows.iterrows()]
    # Figures sharing a slot (an estimate beside its target) sit side by side, not on top of each other.
    position = {slot: i for i, slot in enumerate(slots)}
    keys = [(int(y), p) for y, p in rows[["year", "period"]].itertuples(index=False)]
    shared = pd.Series(keys).map(pd.Series(keys).value_counts()).tolist()
    rank = pd.Series(keys).groupby(pd.Series(keys)).cumcount().tolist()
    rows["_x"] = [position[k] + (r - (n - 1) / 2) * SLOT_STEP for k, r, n in zip(keys, rank, shared, strict=True)]
    rows["_width"] = [0.5 if n == 1 else SLOT_STEP * 0.85 for n in shared]
    rows["_hover"] = [_hover(row, ind, lang, j, name) for (_, row), j in zip(rows.iterrows(), judgements, strict=True)]

    fig = go.Figure()
    # Each target band spans its year's slots, behind the figures.
    for _, row in rows[(rows["kind"] == "target") & (rows["period"] == "FY")].iterrows():
        positions = [i for i, slot in enumerate(slots) if slot[0] == row["year"]]
        _target_guide(fig, row, min(positions) - 0.45, max(positions) + 0.45, STYLES["target"]["color"])

    for (kind, period), group in rows.groupby(["kind", "period"], sort=False):
        style = STYLES[style_class(kind, period)]
        label = wording.figure_label(kind, period, lang)
        ranges = group[[_is_range(r) for _, r in group.iterrows()]]
        points = group.drop(ranges.index)
        points = points[[wording.point(r) is not None for _, r in points.iterrows()]]
        shown = False
        if not ranges.empty:
            fig.add_trace(go.Bar(
                x=ranges["_x"].tolist(), base=ranges["low"].tolist(), y=(ranges["high"] - ranges["low"]).tolist(),
                name=label, legendgroup=label, width=ranges["_width"].tolist(),
                marker={"color": _alpha(style["color"], 0.35), "line": {"color": style["color"], "width": 2},
                        "pattern": {"shape": style["pattern"] or "x", "fgcolor": style["color"], "solidity": 0.25}},
                text=[wording.quantity(r, lang, short=True) for _, r in ranges.iterrows()],
                textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
                hovertext=ranges["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
            ))
            shown = True
        if not points.empty:
            fig.add_trace(go.Scatter(
                x=points["_x"].tolist(), y=[wording.point(r) for _, r in points.iterrows()],
                mode="markers+text", name=label, legendgroup=label, showlegend=not shown,
                marker={
                    "symbol": [QUALIFIER_SYMBOL.get(q, style["symbol"]) for q in points["qualifier"]],
                    "size": 16 if style["symbol"] != "line-ew" else 30, "color": style["color"],
                    "line": {"color": style["color"], "width": 4 if style["symbol"] == "line-ew" else 1.5},
                },
                text=[_point_text(r, decimals, lang) for _, r in points.iterrows()],
                textposition="top center", textfont={"color": TEXT_COLOR}, cliponaxis=False,
                hovertext=points["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
            ))
    # A plan over years: the five-year targets across their years, and the newest year's projected full year.
    plan_overlay.add_five_year_targets(fig, facts.spans, ind, slots, lang)
    plan_overlay.add_projection(fig, projection.newest_for(obs, facts.indicators, indicator_id, area_id), ind, slots, lang)
    fig.update_layout(barmode="overlay")
    _layout(fig, lang)
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(slots))), ticktext=[labels[s] for s in slots],
                     range=[-0.6, len(slots) - 0.4], showgrid=False, zeroline=False)
    # Amounts that add up over the year read from zero; rates and ratios around their values.
    fig.update_yaxes(title={"text": _axis_title(unit, lang)}, zeroline=True,
                     rangemode="tozero" if ind.get("measure") == "flow" else "normal")
    data = figure_table(rows.drop(columns=["_x", "_width", "_hover"]), facts, lang, judgements)
    notes = _quality_notes(facts, [indicator_id], lang, rows["year"].unique())
    return _spec(chart_id or indicator_id, name, unit, rows, facts, fig, data, lang, notes=notes)


def indicator_charts(facts: Facts, indicator_ids: list[str], lang: str, *, year: int | None = None,
                     area_id: str = DEFAULT_AREA) -> list[ChartSpec]:
    """`indicator_chart` of each indicator that has figures or targets in
    the window (skipping, never drawing an empty chart)."""
    obs = facts.observations
    specs = []
    for indicator_id in indicator_ids:
        rows = obs[(obs["indicator_id"] == indicator_id) & (obs["area_id"] == area_id)]
        if year is not None:
            rows = rows[rows["year"].between(year - 1, year) | ((rows["year"] == year + 1) & (rows["kind"] == "target"))]
        if not rows.empty:
            specs.append(indicator_chart(facts, indicator_id, lang, year=year, area_id=area_id))
    return specs


def _target_guide(fig: go.Figure, row, x0: float, x1: float, color: str) -> None:
    """A year's target behind its figures: a shaded band for a range, a
    dashed line for a single value or bound."""
    if _is_range(row):
        fig.add_shape(type="rect", xref="x", yref="y", x0=x0, x1=x1, y0=row["low"], y1=row["high"],
                      fillcolor=_alpha(color, 0.12), line={"width": 0}, layer="below")
    else:
        y = wording.point(row)
        if y is not None:
            fig.add_shape(type="line", xref="x", yref="y", x0=x0, x1=x1, y0=y, y1=y,
                          line={"color": color, "width": 2, "dash": "dash"}, layer="below")


def _alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


# -- several indicators in one year ---------------------------------------------------------
def breakdown(facts: Facts, indicator_ids: list[str], year: int, period: str, lang: str, *,
              chart_id: str, title: str, area_id: str = DEFAULT_AREA) -> ChartSpec | None:
    """Several indicators of one unit side by side for a year and period:
    the figure, the same period a year before, the full-year figure, this
    year's targets (full year and second half) and next year's; each kind a bar with its own colour and
    pattern, a range as a floating band. None when there is nothing to show."""
    obs = facts.observations
    rows = obs[obs["indicator_id"].isin(indicator_ids) & (obs["area_id"] == area_id)]
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
    unit = _unit(inds[present[0]], lang)
    judgements = [judge_row(obs, row, inds[row["indicator_id"]]) for _, row in rows.iterrows()]
    rows["_hover"] = [_hover(row, inds[row["indicator_id"]], lang, j) for (_, row), j in zip(rows.iterrows(), judgements, strict=True)]

    fig = go.Figure()
    for (y, p, kind), group in rows.groupby(["year", "period", "kind"], sort=False):
        style = STYLES[style_class(kind, p, int(y), year)]
        label = wording.figure_label(kind, p, lang, year=int(y))
        is_range = [_is_range(r) for _, r in group.iterrows()]
        base = [r["low"] if rng else 0 for (_, r), rng in zip(group.iterrows(), is_range, strict=True)]
        height = [(r["high"] - r["low"]) if rng else wording.point(r) for (_, r), rng in zip(group.iterrows(), is_range, strict=True)]
        fig.add_trace(go.Bar(
            x=[names[i] for i in group["indicator_id"]], base=base, y=height, name=label, offsetgroup=label,
            marker={"color": _alpha(style["color"], 0.85 if not style["pattern"] else 0.45),
                    "line": {"color": style["color"], "width": 1.5},
                    "pattern": {"shape": style["pattern"], "fgcolor": style["color"] if style["pattern"] else None, "solidity": 0.3}},
            text=[wording.quantity(r, lang, short=True) for _, r in group.iterrows()],
            textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
            hovertext=group["_hover"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
        ))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[names[i] for i in present])
    fig.update_yaxes(title={"text": _axis_title(unit, lang)}, zeroline=True, zerolinecolor="#666")
    _layout(fig, lang, height=460)
    data = figure_table(rows.drop(columns=["_hover"]), facts, lang, judgements)
    notes = _quality_notes(facts, present, lang, [year])
    return _spec(chart_id, title, unit, rows, facts, fig, data, lang, several=True, notes=notes)


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
        figure = wording.quantity({"value": r["figure_value"], "low": r["figure_low"], "high": r["figure_high"]},
                                  lang, unit, short=True)
        lines = [f"<b>{_esc(pick(r, 'name', lang))}</b>",
                 f"{_esc(wording.figure_label(r['figure_kind'], r['figure_period'], lang, year=year))}: <b>{_esc(figure)}</b>",
                 _esc(t("views.hover.pct_of_plan", lang, value=_pct(r["pct_of_plan"], lang)))]
        if not fmt.is_missing(r["yoy_pct"]):
            lines.append(_esc(t("views.hover.yoy", lang, value=_pct(r["yoy_pct"], lang, signed=True))))
        lines += [f"<b>{_esc(status_text(r['status'], lang))}</b>", _wrap(pick(r, "explanation", lang)),
                  _wrap(t("views.hover.source", lang, source=r["source"] or ""))]
        hover.append("<br>".join(x for x in lines if x))

    fig = go.Figure(go.Bar(
        y=names, x=rows["pct_of_plan"].tolist(), orientation="h", name=t("views.chart.pct_of_plan", lang),
        marker={"color": [_alpha(c, 0.75) for c, _ in styles], "line": {"color": [c for c, _ in styles], "width": 1.5},
                "pattern": {"shape": [p for _, p in styles], "fgcolor": "#333", "solidity": 0.3}},
        text=[f"{_pct(v, lang)} · {status_text(s, lang)}" for v, s in zip(rows["pct_of_plan"], rows["status"], strict=True)],
        textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
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
    top = max(110.0, float(rows["pct_of_plan"].max()) + 45)
    fig.update_xaxes(range=[0, top], title={"text": t("views.axis.pct_of_plan", lang)}, ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    _layout(fig, lang, height=150 + 60 * len(rows), legend=False)
    fig.update_layout(margin={"t": 50})

    data = _card_table(rows, lang, year, expected)
    as_of = fmt.day(views.figures_date(rows), lang)
    return ChartSpec(
        chart_id=chart_id, title=title, unit="%", period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target=t("views.chart.pace_target", lang), source=views.sources(rows), as_of=as_of,
        figure=fig, data=data, lang=lang,
    )


def _card_table(rows: pd.DataFrame, lang: str, year: int, expected=None) -> pd.DataFrame:
    """Scorecard rows as the data behind a chart, headers in the language."""
    names = _columns(lang, None)
    frame = pd.DataFrame({
        names["indicator"]: [pick(r, "name", lang) for _, r in rows.iterrows()],
        names["unit"]: [pick(r, "unit", lang) for _, r in rows.iterrows()],
        names["year"]: year,
        names["period"]: [wording.period_label(p, lang) for p in rows["figure_period"]],
        names["kind"]: [wording.kind_label(k, lang) for k in rows["figure_kind"]],
        names["value"]: pd.to_numeric(rows["figure_value"]).astype("float64").to_numpy(),
        names["low"]: pd.to_numeric(rows["figure_low"]).astype("float64").to_numpy(),
        names["high"]: pd.to_numeric(rows["figure_high"]).astype("float64").to_numpy(),
        t("views.col.target", lang): [pick(r, "target_text", lang) for _, r in rows.iterrows()],
        names["pct_of_plan"]: pd.to_numeric(rows["pct_of_plan"]).astype("float64").to_numpy(),
        names["yoy_pct"]: pd.to_numeric(rows["yoy_pct"]).astype("float64").to_numpy(),
        names["status"]: [status_text(s, lang) for s in rows["status"]],
        names["explanation"]: [pick(r, "explanation", lang) for _, r in rows.iterrows()],
        names["source"]: rows["source"].to_numpy(),
    })
    if expected is not None:
        frame.insert(10, t("views.col.expected_share", lang), [None if e is None else e * 100 for e in expected])
    return frame


# -- change on the same period last year -----------------------------------------------------
def change_on_last_year(card: pd.DataFrame, indicator_ids: list[str], year: int, period: str, lang: str, *,
                        chart_id: str, title: str) -> ChartSpec | None:
    """The reported change on the same period a year before, one bar per
    indicator; a fall is drawn below zero, hatched. None when none is reported."""
    rows = card[card["indicator_id"].isin(indicator_ids) & card["yoy_pct"].notna()]
    rows = rows.set_index("indicator_id").loc[[i for i in indicator_ids if i in set(rows["indicator_id"])]].reset_index()
    if rows.empty:
        return None
    names = [wording.short_name(pick(r, "name", lang)) for _, r in rows.iterrows()]
    falls = rows["yoy_pct"] < 0
    hover = [
        "<br>".join([
            f"<b>{_esc(pick(r, 'name', lang))}</b>",
            _esc(wording.figure_label(r["figure_kind"], r["figure_period"], lang, year=year)),
            _esc(t("views.hover.yoy", lang, value=_pct(r["yoy_pct"], lang, signed=True))),
            _wrap(t("views.hover.source", lang, source=r["source"] or "")),
        ]) for _, r in rows.iterrows()
    ]
    fig = go.Figure(go.Bar(
        x=names, y=rows["yoy_pct"].tolist(), name=t("views.col.yoy", lang),
        marker={"color": [_alpha(VERMILLION if f else BLUE, 0.7) for f in falls],
                "line": {"color": [VERMILLION if f else BLUE for f in falls], "width": 1.5},
                "pattern": {"shape": ["x" if f else "" for f in falls], "fgcolor": "#333", "solidity": 0.3}},
        text=[_pct(v, lang, signed=True) for v in rows["yoy_pct"]],
        textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.update_yaxes(title={"text": t("views.axis.yoy", lang)}, ticksuffix="%", zeroline=True, zerolinecolor="#333", zerolinewidth=2)
    _layout(fig, lang, height=380, legend=False)
    fig.update_layout(margin={"t": 30})
    return ChartSpec(
        chart_id=chart_id, title=title, unit="%", period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target="", source=views.sources(rows), as_of=fmt.day(views.figures_date(rows), lang),
        figure=fig, data=_card_table(rows, lang, year), lang=lang,
    )


# -- attainment of every judged indicator (overview) ---------------------------------------------
def attainment(card: pd.DataFrame, year: int, period: str, lang: str, *, chart_id: str = "overview.attainment",
               title: str | None = None) -> ChartSpec | None:
    """Attainment (% of the bound that decides the status) of every judged
    indicator, worst first, coloured and patterned by status, with 100% marked."""
    rows = card[card["attainment"].notna() & ~card["status"].isin(["no_target", "no_data"])]
    if rows.empty:
        return None
    rows = rows.assign(_order=rows["status"].map(lambda s: 1 if s == "at_risk" else (0 if s in status.NOT_ACHIEVED else 2)))
    rows = rows.sort_values(["_order", "attainment"], kind="stable").drop(columns="_order")
    names = [pick(r, "name", lang) for _, r in rows.iterrows()]
    styles = [STATUS_STYLE.get(s, STATUS_STYLE["no_data"]) for s in rows["status"]]
    hover = [
        "<br>".join([
            f"<b>{_esc(n)}</b>",
            _esc(t("views.hover.attainment", lang, value=_pct(r["attainment"], lang))),
            f"<b>{_esc(status_text(r['status'], lang))}</b>", _wrap(pick(r, "explanation", lang)),
            _wrap(t("views.hover.source", lang, source=r["source"] or "")),
        ]) for n, (_, r) in zip(names, rows.iterrows(), strict=True)
    ]
    fig = go.Figure(go.Bar(
        y=["<br>".join(textwrap.wrap(n, 48)) for n in names], x=rows["attainment"].tolist(), orientation="h",
        marker={"color": [_alpha(c, 0.75) for c, _ in styles], "line": {"color": [c for c, _ in styles], "width": 1.5},
                "pattern": {"shape": [p for _, p in styles], "fgcolor": "#333", "solidity": 0.3}},
        text=[f"{_pct(v, lang)} · {status_text(s, lang)}" for v, s in zip(rows["attainment"], rows["status"], strict=True)],
        textposition="outside", textfont={"color": TEXT_COLOR}, cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", name=t("views.col.attainment", lang),
    ))
    fig.add_shape(type="line", xref="x", yref="paper", x0=100, x1=100, y0=0, y1=1, line={"color": BLACK, "width": 2, "dash": "dash"})
    fig.add_annotation(x=100, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=_esc(t("views.chart.full_plan", lang)))
    top = max(130.0, float(rows["attainment"].max()) + 55)
    fig.update_xaxes(range=[0, top], title={"text": t("views.axis.attainment", lang)}, ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    _layout(fig, lang, height=120 + 48 * len(rows), legend=False)
    fig.update_layout(margin={"t": 40})
    return ChartSpec(
        chart_id=chart_id, title=title or t("views.chart.attainment_title", lang), unit="%",
        period=wording.slot_label(year, period, lang),
        kinds="; ".join(dict.fromkeys(wording.figure_label(k, p, lang) for k, p in rows[["figure_kind", "figure_period"]].itertuples(index=False))),
        target=t("views.chart.attainment_target", lang), source=views.sources(rows),
        as_of=fmt.day(views.figures_date(rows), lang), figure=fig, data=_card_table(rows, lang, year), lang=lang,
    )


# -- the main chart of each area of the plan --------------------------------------------------------
TRADE_FLOWS = ["trade_turnover", "trade_turnover.export", "trade_turnover.import"]
BUDGET_REVENUE = ["budget_revenue", "budget_revenue.domestic", "budget_revenue.import_export"]


def main_charts(facts: Facts, year: int, period: str, lang: str, area_id: str = DEFAULT_AREA) -> list[ChartSpec]:
    """The chart each view leads with, for a deck or a summary: GRDP growth
    against its band, trade and budget revenue through the year (their
    figures beside the targets when no % of plan is reported), poverty
    reduction and forest cover. Areas with nothing to show are left out;
    chart ids ("economy.grdp_growth", ...) are never indicator ids."""
    from tracker import scorecard

    card = scorecard.scorecard(facts.observations, facts.indicators, year, period, area_id)
    specs: list[ChartSpec | None] = []

    def timeline(indicator_id: str, chart_id: str) -> ChartSpec | None:
        found = indicator_charts(facts, [indicator_id], lang, year=year, area_id=area_id)
        if not found:
            return None
        found[0].chart_id = chart_id
        return found[0]

    specs.append(timeline("grdp_growth", "economy.grdp_growth"))
    specs.append(
        pace(card, TRADE_FLOWS, year, period, lang, chart_id="trade.pace", title=t("views.trade.pace", lang), facts=facts)
        or breakdown(facts, TRADE_FLOWS, year, period, lang, chart_id="trade.turnover",
                     title=t("views.trade.turnover", lang), area_id=area_id)
    )
    specs.append(
        pace(card, BUDGET_REVENUE, year, period, lang, chart_id="budget.revenue_pace",
             title=t("views.budget.revenue_pace", lang), facts=facts)
        or breakdown(facts, BUDGET_REVENUE, year, period, lang, chart_id="budget.revenue",
                     title=t("views.budget.revenue", lang), area_id=area_id)
    )
    specs.append(timeline("poverty_rate_reduction", "society.poverty"))
    specs.append(timeline("forest_cover", "environment.forest_cover"))
    return [spec for spec in specs if spec is not None]
