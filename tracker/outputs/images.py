"""Charts as slide-ready images: PNG, SVG and PDF rendered by kaleido 1.x in
the system's Chromium (never a downloaded browser).

An exported chart is a copy of the chart laid out for a 16:9 slide: its
title, a line with unit, period, kinds of figure and target, the chart, and
a source line with the date of the figures. Fonts are large enough for a
projector and carry Vietnamese diacritics (DejaVu Sans, Debian package
fonts-dejavu-core); every margin is computed from the text it must hold."""

from __future__ import annotations

import difflib
import functools
import math
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import plotly.graph_objects as go

from tracker import charts
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.model import ChartSpec, Facts
from tracker.outputs import browser
from tracker.outputs.browser import browser_path  # noqa: F401  the pages ask here whether images can be made
from tracker.outputs.files import write_atomic
from tracker.text import chart_literal

FORMATS = ("png", "svg", "pdf")

# Layout pixels of a slide; PNG is scaled 1.5× to 1920×1080 device pixels.
SLIDE_WIDTH, SLIDE_HEIGHT, PNG_SCALE = 1280, 720, 1.5
# Fonts with full Vietnamese coverage first; Arial covers it where the SVG is opened on Windows.
FONT_FAMILY = "DejaVu Sans, Noto Sans, Arial, sans-serif"
TITLE_SIZE, SUBTITLE_SIZE, BASE_SIZE, SOURCE_SIZE = 32, 21, 20, 16
TEXT_COLOR, MUTED_COLOR = "#1a1a1a", "#555555"
# Average advance of a DejaVu Sans character in ems, rounded up so wrapped text fits.
CHAR_EM = 0.58
TICK_EM = 0.56  # the same for short axis labels, where a generous estimate wraps words needlessly
PAD = 28  # space between the edge of the slide and any text
_AXIS = re.compile(r"[xy]axis\d*")


def start_server() -> None:
    """Start the export browser (tracker.outputs.browser) without waiting for it."""
    browser.start()


def stop_server() -> None:
    """Close the export browser, if this process started one."""
    browser.stop()


def figure_bytes(spec: ChartSpec, fmt: str) -> bytes:
    """The chart as a slide-ready file in `fmt` (png, svg or pdf): 16:9,
    1920×1080 pixels for PNG, with title, subtitle and source line."""
    return render(slide_figure(spec), fmt)


def plot_bytes(spec: ChartSpec, width: int, height: int) -> bytes:
    """The chart alone (no title, subtitle or source line: the slide carries
    them as text) as a PNG of `width`×`height` layout pixels at 1.5×."""
    return render(slide_figure(spec, heading=False, width=width, height=height), "png", width, height)


def render(fig: go.Figure, fmt: str, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> bytes:
    """A laid-out figure as bytes in `fmt`, through the shared export server.
    A PDF is the SVG turned into vector PDF by librsvg (`pdf_from_svg`)."""
    if fmt not in FORMATS:
        raise TrackerError("cli.unknown_format", format=fmt, formats=", ".join(FORMATS))
    drawn = "svg" if fmt == "pdf" else fmt
    opts = {"format": drawn, "width": width, "height": height, "scale": PNG_SCALE if fmt == "png" else 1}
    data = browser.draw(fig.to_dict(), opts)
    return pdf_from_svg(data) if fmt == "pdf" else data


def pdf_converter() -> str | None:
    """librsvg's `rsvg-convert` (Debian package librsvg2-bin), or None when
    it is not installed (then no PDF can be made)."""
    return shutil.which("rsvg-convert")


def pdf_from_svg(svg: bytes) -> bytes:
    """The SVG Chromium drew as a one-page vector PDF, by librsvg's
    `rsvg-convert`: text stays text (fonts embedded, DejaVu Sans), the page
    is the SVG's 1280×720 px as 960×540 pt. Chromium's own print to PDF
    takes longer than drawing the SVG and writes a file 20 times the size;
    librsvg takes half CairoSVG's CPU and draws plotly's hatched target
    boxes as Chromium does (CairoSVG drew them as a grid)."""
    program = pdf_converter()
    if program is None:
        raise TrackerError("exports.no_pdf_converter")
    done = subprocess.run([program, "--format", "pdf"], input=svg, capture_output=True, check=False, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"rsvg-convert failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def subtitle(spec: ChartSpec) -> list[str]:
    """The lines under the title: unit · period · kinds of figure; then the
    target on a line of its own. Only the parts that are known."""
    parts = [t("export.unit_line", spec.lang, unit=spec.unit) if spec.unit else "", spec.period, spec.kinds]
    lines = [" · ".join(p for p in parts if p), _target_words(spec)]
    return [line for line in lines if line]


def _target_words(spec: ChartSpec) -> str:
    # Charts with several targets name each one ("Kế hoạch cả năm 2019: 8 - 9%"); a bare target gets the word.
    if not spec.target or ":" in spec.target:
        return spec.target
    return t("export.target_line", spec.lang, target=spec.target)


def source_line(spec: ChartSpec) -> str:
    """"Nguồn: … · Số liệu đến …" in the chart's language."""
    if spec.as_of:
        return t("export.source_line", spec.lang, source=spec.source, as_of=spec.as_of)
    return t("export.source_only", spec.lang, source=spec.source)


def slide_figure(spec: ChartSpec, heading: bool = True, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> go.Figure:
    """A copy of the chart laid out for a slide of `width`×`height` layout
    pixels; with `heading`, title, subtitle and source line are drawn in it.

    Text outside the plot is placed in pixels from the plot's edges (plotly
    annotations only know plot coordinates), and the margins are sized from
    that text, so nothing overlaps and nothing is cut off."""
    # Already valid: validating a copy costs more than drawing it.
    fig = go.Figure(_slide_style(spec.figure.to_dict(), width, height), _validate=False)

    left = PAD + _y_label_width(fig)
    right = PAD + 12
    plot_width = width - left - right
    tick_lines = _wrap_category_axes(fig, plot_width)
    left = PAD + _y_label_width(fig)  # again: wrapping shortened the y category labels
    plot_width = width - left - right
    legend_rows = _legend_rows(fig, plot_width)

    texts = []  # (lines, size, colour) stacked from the top edge
    if heading:
        texts = [
            (_lines(spec.title, TITLE_SIZE, width - 2 * PAD), TITLE_SIZE, TEXT_COLOR),
            ([ln for line in subtitle(spec) for ln in _lines(line, SUBTITLE_SIZE, width - 2 * PAD)],
             SUBTITLE_SIZE, MUTED_COLOR),
        ]
    heights = [_text_height(lines, size) for lines, size, _ in texts]
    legend_height = legend_rows * BASE_SIZE * 1.6 + 10 if legend_rows else 0
    above = _above_plot(fig)
    top = math.ceil(PAD + sum(heights) + 8 * len(texts) + legend_height + above + (8 if texts or legend_rows else 0))

    offset = top - PAD  # pixels from the plot's top edge up to the slide's top margin
    notes = []  # the text put around the plot, as plotly annotations
    for (lines, size, colour), h in zip(texts, heights, strict=True):
        if lines:
            notes.append(_note(lines, size, colour, xshift=PAD - left, y=1, yanchor="top", yshift=offset))
        offset -= h + 8

    x_title = any(ax.title.text for ax in fig.select_xaxes())
    below_plot = tick_lines * BASE_SIZE * 1.3 + 14 + (BASE_SIZE * 1.6 if x_title else 0)
    bottom = below_plot + PAD
    if heading:
        source = _lines(source_line(spec), SOURCE_SIZE, width - PAD - left)
        notes.append(_note(source, SOURCE_SIZE, MUTED_COLOR, xshift=PAD - left, y=0, yanchor="top", yshift=-below_plot))
        bottom += _text_height(source, SOURCE_SIZE)
    # One update for all of it: each call to plotly's update costs as much as the arithmetic above.
    update = {"title": None, "margin": {"l": left, "r": right, "t": top, "b": math.ceil(bottom), "pad": 4, "autoexpand": True}}
    if notes:
        update["annotations"] = [*fig.layout.annotations, *notes]
    if legend_rows:
        update["legend"] = {
            "orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "yref": "paper",
            "font": {"size": BASE_SIZE}, "bgcolor": "rgba(255,255,255,0)", "title": {"side": "left"},
        }
        if above:  # the legend takes plot fractions only: lift it over the chart's own notes
            update["legend"]["y"] = 1 + above / max(1.0, height - top - bottom)
    fig.update_layout(update)
    return fig


def _slide_style(figure: dict, width: int, height: int) -> dict:
    """The chart's figure (a dict, changed in place) at the slide's size, on
    white, in the slide's fonts: what plotly's
    update_layout, update_annotations, update_traces and update_x/yaxes
    would do, a tenth of the time."""
    layout = figure.setdefault("layout", {})
    layout.update(width=width, height=height, autosize=False, paper_bgcolor="white")
    layout["font"] = {**layout.get("font", {}), "family": FONT_FAMILY, "size": BASE_SIZE, "color": TEXT_COLOR}
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": max(BASE_SIZE - 4, 15), "family": FONT_FAMILY}
    for trace in figure.get("data", []):
        if _has_textfont(trace.get("type", "scatter")):
            trace["textfont"] = {**trace.get("textfont", {}), "size": BASE_SIZE - 2}
    for name in {"xaxis", "yaxis", *(key for key in layout if _AXIS.fullmatch(key))}:
        axis = layout.setdefault(name, {})
        axis["tickfont"] = {**axis.get("tickfont", {}), "size": BASE_SIZE}
        axis["title"] = {**axis.get("title", {}), "font": {**axis.get("title", {}).get("font", {}), "size": BASE_SIZE}}
        axis["automargin"] = True
    return figure


@functools.cache
def _has_textfont(trace_type: str) -> bool:
    """Whether plotly's trace of this type has a `textfont`."""
    return "textfont" in go.Figure({"data": [{"type": trace_type}]}).data[0]


def _note(lines: list[str], size: int, colour: str, **place) -> dict:
    """Text at the plot's left edge, shifted by `place` (in pixels from the plot's edges)."""
    return {"text": "<br>".join(lines), "x": 0, "xref": "paper", "xanchor": "left", "yref": "paper",
            "showarrow": False, "align": "left", "font": {"size": size, "color": colour, "family": FONT_FAMILY}, **place}


def chart_file(store, indicator_id: str, fmt: str, path, lang: str = "vi", year: int | None = None) -> Path:
    """Write the chart of one indicator as `fmt` to `path` (the CLI verb
    `chart`). An unknown indicator or one without figures is a TrackerError."""
    # Chromium starts in its own thread while the store is read and the chart laid out; one image needs one tab.
    browser.start(tabs=1)
    facts = Facts.from_store(store)
    known = facts.indicators["indicator_id"].tolist()
    if indicator_id not in known:
        close = difflib.get_close_matches(indicator_id, known, n=3, cutoff=0.5)
        raise TrackerError("export.unknown_indicator", indicator=indicator_id,
                           suggestions=", ".join(close) or t("export.none", lang))
    figures = facts.observations[facts.observations["indicator_id"] == indicator_id]
    if year is not None:
        figures = figures[figures["year"] == year]
    if figures.empty:
        if year is None:
            raise TrackerError("export.no_figures", indicator=indicator_id)
        raise TrackerError("export.no_figures_year", indicator=indicator_id, year=year)
    data = figure_bytes(charts.indicator_chart(facts, indicator_id, lang, year=year), fmt)
    return write_atomic(path, data)


def _lines(text: str, size: int, width_px: float) -> list[str]:
    """`text` wrapped to lines that fit `width_px` at font `size`, with the
    characters plotly would read as markup escaped."""
    if not text:
        return []
    chars = max(8, int(width_px / (size * CHAR_EM)))
    escaped = chart_literal(text)
    return textwrap.wrap(escaped, chars, break_on_hyphens=False, break_long_words=False) or [escaped]


def _text_height(lines: list[str], size: int) -> float:
    """Pixels a block of `lines` at font `size` takes in an annotation."""
    return len(lines) * size * 1.3 if lines else 0


def _above_plot(fig: go.Figure) -> float:
    """Pixels the chart's own notes above the plot take (e.g. "Thời gian đã
    qua: 50% năm" over a line at the top edge), so the heading clears them."""
    sizes = [(a.font.size or BASE_SIZE) * 1.3 * (str(a.text).count("<br>") + 1) + 4
             for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 1]
    return max(sizes, default=0)


def _y_label_width(fig: go.Figure) -> int:
    """Pixels the y tick labels and the y axis title take left of the plot:
    category labels by their longest line, numbers by their largest value."""
    widest = 3
    for trace in fig.data:
        values = getattr(trace, "y", None)
        if values is None or trace.type in ("pie", "table", "indicator"):
            continue
        for value in values:
            if isinstance(value, str):
                widest = max(widest, *(len(part) for part in value.split("<br>")))
            elif isinstance(value, (int, float)) and value == value:
                widest = max(widest, len(f"{abs(value):,.0f}") + 3)
    for axis in fig.select_yaxes():
        if axis.ticktext:
            widest = max(widest, *(len(part) for label in axis.ticktext for part in str(label).split("<br>")))
    title_space = BASE_SIZE * 1.8 if any(ax.title.text for ax in fig.select_yaxes()) else 0
    return math.ceil(min(widest, 30) * BASE_SIZE * CHAR_EM + title_space + 12)


def _wrap_category_axes(fig: go.Figure, plot_width: float) -> int:
    """Wrap long category labels (horizontal, never rotated) and return the
    number of text lines the x tick labels take (0 when hidden)."""
    categories: dict[str, list[str]] = {}
    for trace in fig.data:
        horizontal = getattr(trace, "orientation", None) == "h"
        for letter, values in (("x", getattr(trace, "x", None)), ("y", getattr(trace, "y", None))):
            if values is None or (letter == "y") != horizontal or trace.type in ("pie", "table", "indicator"):
                continue
            axis = (getattr(trace, f"{letter}axis", None) or letter).replace(letter, f"{letter}axis", 1)
            seen = categories.setdefault(axis, [])
            for value in values:
                if isinstance(value, str) and value not in seen:
                    seen.append(value)
    has_cartesian = any(tr.type not in ("pie", "table", "indicator", "sunburst", "treemap") for tr in fig.data)
    x_lines = 1 if has_cartesian else 0
    for axis_name, values in categories.items():
        if not values:
            continue
        axis = fig.layout[axis_name]
        if axis.showticklabels is False or axis.visible is False:
            continue
        labels = list(axis.ticktext) if axis.ticktext else values
        tickvals = list(axis.tickvals) if axis.tickvals else values
        if axis_name.startswith("xaxis"):
            domain = axis.domain or (0, 1)
            slot = plot_width * (domain[1] - domain[0]) / max(1, len(tickvals))
            chars = max(6, int(slot / (BASE_SIZE * TICK_EM)) - 1)
        else:
            chars = 26
        wrapped = ["<br>".join(textwrap.wrap(str(label), chars, break_on_hyphens=False, break_long_words=False)) if "<br>" not in str(label)
                   else str(label) for label in labels]
        if wrapped != [str(label) for label in labels]:
            fig.layout[axis_name].update(tickmode="array", tickvals=tickvals, ticktext=wrapped, tickangle=0)
        if axis_name.startswith("xaxis"):
            x_lines = max(x_lines, max(label.count("<br>") + 1 for label in wrapped))
    # A numeric axis's own tick labels (a timeline's slots) may run over several lines too.
    if has_cartesian and fig.layout.xaxis.ticktext:
        x_lines = max(x_lines, max(str(label).count("<br>") + 1 for label in fig.layout.xaxis.ticktext))
    return x_lines


def _legend_rows(fig: go.Figure, plot_width: float) -> int:
    """How many rows a horizontal legend above the plot takes (0 when the
    figure shows no legend)."""
    names = []
    for trace in fig.data:
        if trace.type == "pie":
            names.extend(str(label) for label in (trace.labels or []))
        elif trace.showlegend is not False and trace.name:
            names.append(str(trace.name))
    shown = fig.layout.showlegend
    if shown is False or not names or (shown is None and len(names) < 2 and not any(tr.type == "pie" for tr in fig.data)):
        return 0
    legend_title = fig.layout.legend.title.text or ""
    rows, used = 1, len(legend_title) * BASE_SIZE * CHAR_EM + (12 if legend_title else 0)
    for name in names:
        width = 50 + len(name) * BASE_SIZE * CHAR_EM
        if used and used + width > plot_width:
            rows, used = rows + 1, 0
        used += width
    return rows
