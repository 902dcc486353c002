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

import functools
import json
import pkgutil
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from tracker import fmt, status, views, wording
from tracker.i18n import pick, t
from tracker.model import ChartSpec, Facts
from tracker.text import chart_literal
from tracker.views import RANK

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


@dataclass
class FigureCard:
    """A series with a single figure, shown as a number with its status
    (a one-dot chart would say nothing more); every text in `lang`."""

    chart_id: str
    name: str
    value: str  # the figure in the plan's words, with its unit
    label: str  # which figure: "Thực hiện 6 tháng đầu năm 2018"
    status: str  # status code, "" for a target
    status_text: str
    explanation: str
    details: str  # % of plan, change on last year
    source: str
    as_of: str
    lang: str = "vi"


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



def _point_text(row, lang: str) -> str:
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


def _axis_title(unit: str, lang: str) -> str:
    return t("views.axis.unit", lang, unit=unit)


# -- status of each figure -----------------------------------------------------
def judge_row(observations: pd.DataFrame, row, ind):
    """The judgement of one figure against the target the status engine
    picks for it (None for a target row)."""
    return judge_rows(observations, pd.DataFrame([row]), {row["indicator_id"]: ind})[0]


def judge_rows(observations: pd.DataFrame, rows: pd.DataFrame, inds: dict) -> list:
    """`judge_row` of every row (`inds`: catalogue rows by indicator id),
    the targets picked once per area, year and period rather than once per
    figure: a timeline of thirty figures is one pick a period, not thirty."""
    figures = rows[rows["kind"] != "target"]
    of_rows = observations[observations["indicator_id"].isin(figures["indicator_id"].unique())]
    implied = status.implied_targets(of_rows)
    picked = {(area, int(year), period): status.pick(of_rows, area, int(year), period, implied=implied)
              for area, year, period in figures[["area_id", "year", "period"]].drop_duplicates().itertuples(index=False)}
    return [None if row["kind"] == "target" else
            status.judge(row, picked[(row["area_id"], int(row["year"]), row["period"])].targets.get(row["indicator_id"]),
                         inds[row["indicator_id"]])
            for _, row in rows.iterrows()]


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
    inds = {i: facts.indicator(i) for i in rows["indicator_id"].unique()}  # one catalogue look-up each
    units = {_unit(ind, lang) for ind in inds.values()}
    common = units.pop() if len(units) == 1 else None
    names = _columns(lang, common)
    records = []
    for (_, row), judgement in zip(rows.iterrows(), judgements, strict=True):
        ind = inds[row["indicator_id"]]
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
# What the charts here draw: cartesian axes, bars and lines (no polar, ternary, 3-D or map subplots,
# no colour scales: every colour is given).
_THEME_LAYOUT_DROPPED = ("polar", "ternary", "scene", "geo", "coloraxis", "colorscale")
_THEME_TRACES = ("bar", "scatter")


@functools.cache
def theme() -> go.layout.Template:
    """plotly's "plotly_white" for the charts drawn here: its look for
    cartesian axes, bars and lines, without the parts for subplots and
    traces no chart here has. Built once: the whole template costs 0.3 s on
    first use and 0.06 s on every chart it is applied to, this part a fifth."""
    white = json.loads(pkgutil.get_data("plotly", "package_data/templates/plotly_white.json"))
    layout = {key: value for key, value in white["layout"].items() if key not in _THEME_LAYOUT_DROPPED}
    traces = {kind: value for kind, value in white["data"].items() if kind in _THEME_TRACES}
    return go.layout.Template({"layout": layout, "data": traces}, _validate=False)  # plotly's own, already valid


def _layout(fig: go.Figure, lang: str, *, height: int = 420, legend: bool = True) -> go.Figure:
    """The look every chart shares: fonts, separators, legend above the plot."""
    fig.update_layout(
        template=theme(),
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


# What plotly's automargin gives the charts here at their 14 px font (measured in Chromium): a digit of a
# tick label 7 px, a thousands separator 3.5 px, the rotated axis title and gaps 38 px; a line of slot
# labels 18 px and 12 px below them. ROOM is a few pixels spare, so the estimate errs on the side of room.
DIGIT_PX, SEPARATOR_PX, TITLED_AXIS_PX, BARE_AXIS_PX = 7, 3.5, 38, 16
LINE_PX, BELOW_TICKS_PX, ROOM_PX = 18, 12, 4
LETTER_PX = 7.1  # a letter of a category label (the overview's 26-letter names took 195 px with the gap)


def fit_margins(fig: go.Figure) -> go.Figure:
    """Left and bottom margins that already hold the value axis's tick
    labels and title and the slot labels' lines. Plotly's automargin (still
    on, for anything larger than estimated) then has nothing to widen and
    draws the chart once, not again with wider margins: the second drawing
    was a third of a timeline's time in the browser. An axis of
    categories (the overview's names) gets a left margin as wide as its longest label."""
    labels = [v for trace in fig.data for v in (getattr(trace, "y", None) or ()) if isinstance(v, str)]
    if labels:
        shown = fig.layout.yaxis.ticktext or labels
        longest = max(len(line) for label in shown for line in str(label).split("<br>"))
        left = longest * LETTER_PX + BELOW_TICKS_PX + (TITLED_AXIS_PX if fig.layout.yaxis.title.text else 0)
        fig.update_layout(margin={"l": max(fig.layout.margin.l or 0, round(left))})
        return fig
    values = [v for trace in fig.data if trace.type in ("scatter", "bar")
              for v in [*(trace.y or ()), *(getattr(trace, "base", None) or ())] if isinstance(v, (int, float)) and v == v]
    values += [v for v in (fig.layout.yaxis.range or ()) if v is not None]
    if not values:
        return fig
    # The top tick: the largest figure with plotly's padding, in whole numbers (small ones in tenths).
    digits = len(str(int(max(abs(v) for v in values) * 1.05)))
    widest = digits * DIGIT_PX + (digits - 1) // 3 * SEPARATOR_PX
    if max(abs(v) for v in values) < 3:
        widest += 2 * DIGIT_PX
    if min(values) < 0:
        widest += DIGIT_PX
    left = widest + (TITLED_AXIS_PX if fig.layout.yaxis.title.text else BARE_AXIS_PX) + ROOM_PX
    lines = max((str(label).count("<br>") + 1 for label in fig.layout.xaxis.ticktext or ()), default=1)
    bottom = lines * LINE_PX + BELOW_TICKS_PX + (LINE_PX + BELOW_TICKS_PX if fig.layout.xaxis.title.text else 0)
    margin = fig.layout.margin
    fig.update_layout(margin={"l": max(margin.l or 0, round(left)), "b": max(margin.b or 0, round(bottom))})
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
    fit_margins(fig)
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


def _alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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
