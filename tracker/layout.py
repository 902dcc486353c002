"""The theme pages as `data/views.toml` declares them: each page's
sections, each section's charts and the indicators they draw, the number
cards a page leads with, and the main chart of each area of the plan.
Data only: which chart function draws a kind lives in `tracker.charts`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VIEWS_PATH = Path(__file__).resolve().parents[1] / "data" / "views.toml"
KINDS = ("timeline", "breakdown", "pace", "yoy")


@dataclass(frozen=True)
class Chart:
    """One entry of a section: a kind of chart over some indicators."""

    kind: str
    indicators: tuple[str, ...]
    chart_id: str = ""  # empty for timelines: each is named by its indicator
    title: str = ""  # a translation key
    columns: int = 1


@dataclass(frozen=True)
class Section:
    heading: str  # a translation key, "" for none
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Page:
    name: str
    sections: tuple[Section, ...]
    metrics: tuple[str, ...] = ()
    main: tuple[str, ...] = ()

    @property
    def indicator_ids(self) -> list[str]:
        """Every indicator of the page once, in the order the page draws them."""
        ids = [i for chart in self.charts for i in chart.indicators]
        return list(dict.fromkeys(ids + list(self.metrics)))

    @property
    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]


class LayoutError(ValueError):
    """views.toml says something the pages cannot draw (for its maintainer)."""


def _chart(page: str, entry: dict) -> Chart:
    kind = entry.get("kind")
    if kind not in KINDS:
        raise LayoutError(f"{page}: unknown chart kind {kind!r} (one of {', '.join(KINDS)})")
    indicators = tuple(entry.get("indicators") or ())
    if not indicators:
        raise LayoutError(f"{page}: a {kind} chart without indicators")
    chart_id, title = entry.get("id", ""), entry.get("title", "")
    if kind != "timeline" and not (chart_id and title):
        raise LayoutError(f"{page}: a {kind} chart needs an id and a title")
    return Chart(kind, indicators, chart_id, title, int(entry.get("columns", 1)))


def parse(raw: dict) -> dict[str, Page]:
    """Pages from the parsed TOML, checked: known kinds, ids on every
    non-timeline chart, unique chart ids, and main charts that the page draws."""
    pages = {}
    for name, body in raw.items():
        sections = tuple(
            Section(section.get("heading", ""), tuple(_chart(name, c) for c in section.get("charts", ())))
            for section in body.get("sections", ())
        )
        page = Page(name, sections, tuple(body.get("metrics", ())), tuple(body.get("main", ())))
        drawn = {c.chart_id for c in page.charts if c.chart_id} | {
            i for c in page.charts if c.kind == "timeline" for i in c.indicators
        }
        missing = [m for m in page.main if m not in drawn]
        if missing:
            raise LayoutError(f"{name}: main chart(s) {missing} are not drawn on the page")
        pages[name] = page
    ids = [c.chart_id for p in pages.values() for c in p.charts if c.chart_id]
    if len(ids) != len(set(ids)):
        raise LayoutError(f"chart ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    return pages


@cache
def pages(path: Path = VIEWS_PATH) -> dict[str, Page]:
    """Every theme page, by name, in the order of the file."""
    with path.open("rb") as f:
        return parse(tomllib.load(f))


def page(name: str) -> Page:
    return pages()[name]
