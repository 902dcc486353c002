"""The scorecard: every indicator of a year and period judged against its
target (by tracker.status), the headline "đạt và vượt X/Y chỉ tiêu", and the
table `python -m loaders export scorecard` writes. Pure: no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tracker import fmt, projection, schema, settings, status, views, wording
from tracker.i18n import pick, t
from tracker.schema import PERIODS
from tracker.status import Rules
from tracker.store import Store

SCORECARD_COLUMNS = [
    "indicator_id", "parent_id", "group", "name_vi", "name_en", "unit_vi", "unit_en", "decimals",
    "direction", "measure",
    "target_qualifier", "target_value", "target_low", "target_high", "target_text_vi", "target_text_en",
    "target_basis", "figure_kind", "figure_period", "figure_value", "figure_low", "figure_high", "pct_of_plan", "yoy_pct",
    "attainment", "status", "rule", "explanation_vi", "explanation_en", "source", "note",
]
_NUMBERS = ["target_value", "target_low", "target_high", "figure_value", "figure_low", "figure_high",
            "pct_of_plan", "yoy_pct", "attainment"]

TABLE_COLUMNS = [
    "indicator_id", "name", "unit", "target", "target_basis", "figure", "figure_kind", "attainment_pct", "status", "rule", "explanation",
]
# For a partial period (a year in progress): the full year projected from the figure (tracker/projection.py).
PROJECTION_COLUMNS = ["projected", "projected_low", "projected_high", "projection_verdict"]


def _cell(row, column):
    if row is None:
        return None
    value = row.get(column)
    return None if fmt.is_missing(value) else value


def scorecard(
    observations: pd.DataFrame, indicators: pd.DataFrame, year: int, period: str,
    area_id: str | None = None, rules: Rules | None = None,
) -> pd.DataFrame:
    """One row per catalogue indicator with any observation (target or
    figure, any period or kind) for `year` in `area_id`, in catalogue order:
    its target, the figure judged for `period` (actual before estimate), the
    reported % of plan and change on last year, and the status engine's
    verdict with its explanation in both languages."""
    year = int(year)
    mine = views.area_rows(observations[observations["year"] == year], area_id)
    mine = mine[~schema.multi_year(mine["period"]).to_numpy()]  # five-year targets: tracker/fiveyear.py
    present = set(mine["indicator_id"])
    picked = status.pick(mine, area_id, year, period)
    rows = []
    for indicator in indicators.to_dict("records"):
        indicator_id = indicator["indicator_id"]
        if indicator_id not in present:
            continue
        figure = picked.figures.get(indicator_id)
        target = picked.targets.get(indicator_id)
        verdict = status.judge(figure, target, indicator, rules)
        source = _cell(figure, "source") or _cell(target, "source")
        note = _cell(figure, "note") if figure is not None else _cell(target, "note")
        rows.append({
            **{c: _cell(indicator, c) for c in (
                "indicator_id", "parent_id", "group", "name_vi", "name_en", "unit_vi", "unit_en", "decimals",
                "direction", "measure",
            )},
            "target_qualifier": _cell(target, "qualifier"),
            "target_value": _cell(target, "value"),
            "target_low": _cell(target, "low"),
            "target_high": _cell(target, "high"),
            "target_text_vi": verdict.target_text_vi,
            "target_text_en": verdict.target_text_en,
            "target_basis": verdict.target_basis,
            "figure_kind": verdict.figure_kind,
            "figure_period": verdict.figure_period,
            "figure_value": _cell(figure, "value"),
            "figure_low": _cell(figure, "low"),
            "figure_high": _cell(figure, "high"),
            "pct_of_plan": _cell(figure, "pct_of_plan"),
            "yoy_pct": _cell(figure, "yoy_pct"),
            "attainment": verdict.attainment,
            "status": verdict.status,
            "rule": verdict.rule,
            "explanation_vi": verdict.explanation_vi,
            "explanation_en": verdict.explanation_en,
            "source": source,
            "note": note,
        })
    card = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    card[_NUMBERS] = card[_NUMBERS].astype("float64")
    card["decimals"] = card["decimals"].astype("Int64")
    return card


@dataclass(frozen=True)
class Headline:
    """What Vietnamese reports lead with. For a year (and a second half
    against its own targets): how many judged targets were met or exceeded,
    "Đạt và vượt X/Y chỉ tiêu". For part of a year: how many are on track,
    "X/Y chỉ tiêu đúng tiến độ", naming those at risk and behind. On track
    is never counted as met."""

    achieved: int  # a year: exceeded, met or inside; part of a year: on track
    judged: int
    not_achieved: list[str] = field(default_factory=list)  # ids, scorecard order
    pace: bool = False  # part of a year: the headline speaks of pace
    at_risk: list[str] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)
    names: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)  # id -> lang -> name

    def text(self, lang: str) -> str:
        """"Đạt và vượt X/Y chỉ tiêu" or "X/Y chỉ tiêu đúng tiến độ"."""
        key = "wording.headline.pace" if self.pace else "status.headline"
        return t(key, lang, achieved=self.achieved, judged=self.judged)

    def short(self, lang: str) -> str:
        """The count alone, for a group's box: "đạt và vượt 1/2", "1/2 đúng tiến độ"."""
        key = "wording.headline.group_pace" if self.pace else "wording.headline.group_year"
        return t(key, lang, achieved=self.achieved, judged=self.judged)

    def slipping(self, lang: str) -> str:
        """Those not achieved, by name: "Có nguy cơ không đạt: A, B. Chậm
        tiến độ: C." for part of a year, "Chưa đạt: A, B." for a year."""
        def named(ids: list[str]) -> str:
            return ", ".join(self.names.get(i, {}).get(lang) or i for i in ids)

        if not self.pace:
            return t("wording.headline.not_met", lang, names=named(self.not_achieved)) if self.not_achieved else ""
        parts = [t(f"wording.headline.{group}", lang, names=named(ids))
                 for group, ids in (("at_risk", self.at_risk), ("behind", self.behind)) if ids]
        return " ".join(parts)


def headline(card: pd.DataFrame, period: str | None = None) -> Headline:
    """The headline of a scorecard of `period` (when None, read from the
    card's figures): judged = every row with a status other than
    no_target/no_data; achieved = exceeded, met or inside for a year or a
    second half, on track for part of a year; not_achieved = the ids of
    not_met, above, below, at_risk and behind, in scorecard order."""
    statuses = card["status"]
    judged = ~statuses.isin(status.UNJUDGED)
    if period is None:
        periods = card.loc[judged, "figure_period"].dropna()
        pace = bool(len(periods)) and not periods.isin(status.ANNUAL_PERIODS).all()
    else:
        pace = period not in status.ANNUAL_PERIODS
    # Only the columns read here are cut: cutting a whole card's columns costs more than the rest.
    wanted = [c for c in ("indicator_id", "status", "name_vi", "name_en") if c in card.columns]
    slipping = card[wanted][statuses.isin(status.NOT_ACHIEVED)]
    names = {r["indicator_id"]: {lang: pick(r, "name", lang) for lang in ("vi", "en")}
             for r in slipping.to_dict("records")}
    return Headline(
        achieved=int(statuses.isin(("on_track",) if pace else status.MET).sum()),
        judged=int(judged.sum()),
        not_achieved=slipping["indicator_id"].tolist(),
        pace=pace,
        at_risk=slipping.loc[slipping["status"] == "at_risk", "indicator_id"].tolist(),
        behind=slipping.loc[slipping["status"] == "behind", "indicator_id"].tolist(),
        names=names,
    )


def scorecard_table(store: Store, year: int, period: str, lang: str) -> pd.DataFrame:
    """The scorecard as `export scorecard` writes it: one row per indicator;
    name, unit, target (in words) and explanation in `lang`; the figure
    (its value, or a range's midpoint) and attainment % as numbers; the
    status and rule as codes; for a partial period, the projected full year
    (value, interval) and its verdict (empty for a full-year period)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    store.require()
    area = settings.home_area(store.current("areas"))
    observations, indicators = store.current("observations", where={"area_id": [area]}), store.current("indicators")
    card = scorecard(observations, indicators, int(year), period, area_id=area)
    projected = projection.columns(projection.project_year(observations, indicators, int(year), period, area_id=area))
    figures = [
        wording.point({"value": v, "low": lo, "high": hi})
        for v, lo, hi in zip(card["figure_value"], card["figure_low"], card["figure_high"], strict=True)
    ]
    records = card.to_dict("records")
    table = pd.DataFrame({
        "indicator_id": card["indicator_id"],
        "name": [pick(r, "name", lang) for r in records],
        "unit": [pick(r, "unit", lang) for r in records],
        "target": card[f"target_text_{lang}"].mask(card[f"target_text_{lang}"] == ""),  # no target: an empty cell
        "target_basis": card["target_basis"].mask(card["target_basis"] == ""),
        "figure": pd.Series(figures, index=card.index, dtype="float64"),
        "figure_kind": card["figure_kind"],
        "attainment_pct": card["attainment"].round(1),
        "status": card["status"],
        "rule": card["rule"],
        "explanation": card[f"explanation_{lang}"],
    }, columns=TABLE_COLUMNS)
    table = table.merge(projected, on="indicator_id", how="left")
    return table[TABLE_COLUMNS + PROJECTION_COLUMNS]
