"""What views, charts and exports share: the data they read (`Facts`) and a
chart with everything a presenter needs beside it (`ChartSpec`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from tracker import schema, settings
from tracker.store import Store


@dataclass(frozen=True)
class Facts:
    """The current figures of the plan's area and the catalogue, read once
    and passed around. Pages build it from cached frames; the CLI from a Store.
    Figures of multi-year periods ("P2021_2025") are moved to `spans`, so every
    view of one year sees only periods within a year."""

    observations: pd.DataFrame
    indicators: pd.DataFrame
    spans: pd.DataFrame | None = None

    def __post_init__(self):
        if self.spans is None and "period" in self.observations:
            several = schema.multi_year(self.observations["period"]).to_numpy()
            # A frozen dataclass: the split is made once, here.
            object.__setattr__(self, "spans", self.observations[several])
            object.__setattr__(self, "observations", self.observations[~several])

    @classmethod
    def from_store(cls, store: Store, version: int | None = None) -> Facts:
        store.require()
        area = settings.home_area(store.current("areas"))  # the plan's area only, as the pages read it
        return cls(store.current("observations", version, where={"area_id": [area]}), store.current("indicators"))

    def indicator(self, indicator_id: str) -> pd.Series:
        """The catalogue row of one indicator (KeyError if unknown)."""
        rows = self.indicators[self.indicators["indicator_id"] == indicator_id]
        if rows.empty:
            raise KeyError(indicator_id)
        return rows.iloc[0]


@dataclass
class ChartSpec:
    """A chart and what must travel with it to a slide: every label already
    in the chosen language."""

    chart_id: str  # stable, e.g. "grdp_growth" or "economy.structure"
    title: str
    unit: str  # "%", "tỷ đồng", ...
    period: str  # the period(s) shown, e.g. "6 tháng đầu năm 2018"
    kinds: str  # the kinds of figure shown, e.g. "thực hiện 6 tháng; ước cả năm; kế hoạch"
    target: str  # the target in words ("8 - 9%"), "" when none
    source: str  # e.g. "120/KH-UBND 10/8/2018"
    as_of: str  # the date of the figures, formatted
    figure: go.Figure  # the interactive figure, without its title (pages and exports add it)
    data: pd.DataFrame  # the data behind the chart, headers in the chosen language with units
    lang: str = "vi"
    notes: list[str] = field(default_factory=list)  # e.g. data-quality notes to show under it
