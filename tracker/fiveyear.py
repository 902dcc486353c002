"""Five-year (multi-year) targets judged each year of their span (SPEC §12).

A multi-year target (period "P2021_2025", stored under its last year) takes
one of three forms:
- `average`: average annual growth over the span ("tăng bình quân 8 - 9%/năm");
  growth rates compound, flows (e.g. points of poverty reduction a year)
  add up;
- `level`: a level reached by the end year ("đến năm 2030 đạt 150 triệu đồng");
- `total`: a cumulative total over the span ("tổng kim ngạch 5 năm").

The form is read from the target's note ("average annual over …", "bình
quân", "total over …", "tổng …", "level by end of …", "đến năm …"), else
from the indicator's measure: rate -> average, level -> level, flow -> total.

Each year, the status follows Open SDG's required-versus-observed ratio:
the annual rate achieved so far against the annual rate still needed over
the remaining years to reach the target; thresholds in
data/status_rules.toml [fiveyear]. Pure: no Streamlit, no store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from tracker import fmt, schema, views, wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.rules_toml import read_section

FORMS = ("average", "level", "total")
STATUSES = ("on_track", "at_risk", "behind", "met", "not_met", "no_data")
_FIGURE_KINDS = ("actual", "estimate")  # an actual wins over an estimate of the same year

# Words in a target's note that say its form; checked in this order.
_FORM_WORDS = {
    "average": ("average annual", "bình quân", "trung bình", "/năm", "a year", "per year"),
    "total": ("total over", "tổng ", "lũy kế", "luỹ kế", "cộng dồn", "cumulative"),
    "level": ("level by", "by end", "đến năm", "đến cuối", "vào năm"),
}
_FORM_BY_MEASURE = {"rate": "average", "level": "level", "flow": "total"}


@dataclass(frozen=True)
class Settings:
    on_track_ratio: float
    at_risk_ratio: float
    moving_away_ratio: float


def load_settings(path: str | Path | None = None) -> Settings:
    """The [fiveyear] thresholds of data/status_rules.toml, checked."""
    values = read_section("fiveyear", {
        "on_track_ratio": (0.0, 10.0), "at_risk_ratio": (0.0, 10.0), "moving_away_ratio": (-10.0, 10.0),
    }, path)
    if not values["moving_away_ratio"] <= values["at_risk_ratio"] <= values["on_track_ratio"]:
        raise TrackerError("status.rules_bad_value", path=str(path or "status_rules.toml"),
                           setting="fiveyear.at_risk_ratio", value=repr(values["at_risk_ratio"]))
    return Settings(**values)


@cache
def current() -> Settings:
    """The [fiveyear] settings, read once on first use (not at import)."""
    return load_settings()


@dataclass(frozen=True)
class SpanStatus:
    """Where one multi-year target stands at the end of `year`."""

    indicator_id: str
    period: str
    first: int
    last: int
    year: int
    form: str
    target_bound: float | None  # the number that decides "met" (a range's lower end for `up`)
    achieved: float | None  # average annual rate (or amount) so far; for `level` the latest level
    achieved_rate: float | None  # the annual rate (or amount) the ratio compares
    needed_rate: float | None  # the annual rate (or amount) needed over the remaining years
    years_known: int
    years_elapsed: int
    years_remaining: int
    ratio: float | None
    status: str
    explanation_vi: str
    explanation_en: str

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang == "en" else self.explanation_vi


def form_of(target: dict, indicator: dict) -> str:
    """The form of a multi-year target: from its note, else its measure."""
    note = str(target.get("note") or "").lower()
    for form, words in _FORM_WORDS.items():
        if any(w in note for w in words):
            return form
    return _FORM_BY_MEASURE.get(indicator.get("measure"), "average")


def _bound(target: dict, direction: str) -> float | None:
    """The number that decides "met": a range's lower end (upper for `down`),
    a one-sided bound, else the value."""
    value, low, high = (None if fmt.is_missing(target.get(c)) else float(target[c]) for c in ("value", "low", "high"))
    if low is not None and high is not None:
        return high if direction == "down" else low
    return next((x for x in (low, high, value) if x is not None), None)


def _annual(rows: pd.DataFrame) -> dict[int, float]:
    """Year -> the full-year figure (actual before estimate) as one number."""
    rows = rows[(rows["period"] == "FY") & rows["kind"].isin(_FIGURE_KINDS)]
    found: dict[int, float] = {}
    for kind in _FIGURE_KINDS[::-1]:  # estimates first, actuals overwrite them
        for row in rows[rows["kind"] == kind].to_dict("records"):
            point = wording.point(row)
            if point is not None:
                found[int(row["year"])] = point
    return found


def _sub_span(rows: pd.DataFrame, first: int, year: int) -> tuple[int, float] | None:
    """The longest reported average or total over first..j (j <= year), as
    (j, value): "average annual over 2021–2024" counts for 2021–2025."""
    best = None
    for row in rows[rows["kind"].isin(_FIGURE_KINDS)].to_dict("records"):
        bounds = schema.span(row["period"])
        point = wording.point(row)
        if bounds and bounds[0] == first and bounds[1] <= year and point is not None:
            if best is None or bounds[1] > best[0] or (bounds[1] == best[0] and row["kind"] == "actual"):
                best = (bounds[1], point)
    return best


def assess(observations: pd.DataFrame, indicators: pd.DataFrame, year: int, area_id: str | None = None,
           settings: Settings | None = None) -> list[SpanStatus]:
    """Every multi-year target whose span holds `year`, judged with the
    figures of the years up to `year` only (later figures are ignored, so a
    past year reads as it did then)."""
    year = int(year)
    rows = views.area_rows(observations, area_id)
    spans = rows[schema.multi_year(rows["period"]).to_numpy()]
    targets = spans[spans["kind"] == "target"]
    catalogue = {r["indicator_id"]: r for r in indicators.to_dict("records")}
    found = []
    for target in targets.to_dict("records"):
        first, last = schema.span(target["period"])
        indicator = catalogue.get(target["indicator_id"])
        if indicator is None or not first <= year <= last:
            continue
        mine = rows[(rows["indicator_id"] == target["indicator_id"]) & (rows["year"] <= year)]
        found.append(judge_span(target, indicator, mine, year, settings))
    return found


def judge_span(target: dict, indicator: dict, rows: pd.DataFrame, year: int,
               settings: Settings | None = None) -> SpanStatus:
    """One multi-year target at the end of `year`, from `rows` (the
    indicator's figures of years up to `year`, any period)."""
    settings = settings or current()
    first, last = schema.span(target["period"])
    direction = indicator.get("direction") or "up"
    form = form_of(target, indicator)
    bound = _bound(target, direction)
    sign = -1.0 if direction == "down" else 1.0
    annual = {y: v for y, v in _annual(rows).items() if y <= year}
    base = dict(indicator_id=target["indicator_id"], period=target["period"], first=first, last=last, year=year,
                form=form, target_bound=bound)
    if form == "level":
        facts = _level(annual, first, last, year, bound)
    else:
        facts = _flowing(annual, _sub_span(rows, first, year), first, last, year, bound, form,
                         compound=indicator.get("measure") == "rate")
    if facts is None or bound is None:
        return _result(base, target, indicator, "no_data", settings=settings, facts=dict(achieved=None, achieved_rate=None, needed_rate=None,
                       years_known=0, years_elapsed=year - first + 1, years_remaining=last - year, ratio=None))
    if facts["years_remaining"] == 0:
        achieved = facts["achieved"]
        met = sign * (achieved - bound) >= 0
        return _result(base, target, indicator, "met" if met else "not_met", {**facts, "ratio": None}, settings)
    needed, achieved_rate = sign * facts["needed_rate"], sign * facts["achieved_rate"]
    if needed <= 0:  # what is done already reaches the target
        return _result(base, target, indicator, "on_track", {**facts, "ratio": None}, settings)
    ratio = achieved_rate / needed
    status = ("on_track" if ratio >= settings.on_track_ratio
              else "at_risk" if ratio >= settings.at_risk_ratio else "behind")
    return _result(base, target, indicator, status, {**facts, "ratio": ratio}, settings,
                   moving_away=ratio < settings.moving_away_ratio)


def _flowing(annual, sub, first, last, year, bound, form, compound: bool) -> dict | None:
    """Average or total forms: the average achieved a year so far and the
    average needed a year over the remaining years. Years without a figure
    count at the average achieved (the explanation says how many)."""
    n, elapsed, remaining = last - first + 1, year - first + 1, last - year
    covered, amounts = 0, []
    if sub is not None:
        sub_end, sub_value = sub
        covered = sub_end - first + 1
        amounts = [sub_value] * covered if form == "average" else [sub_value / covered] * covered
    amounts += [annual[y] for y in range(first + covered, year + 1) if y in annual]
    if not amounts:
        return None
    known = len(amounts)
    if compound and form == "average":
        logs = [math.log1p(a / 100) for a in amounts]
        achieved = math.expm1(sum(logs) / known) * 100
        if remaining == 0:
            needed = None
        else:
            goal = n * math.log1p(bound / 100) if bound is not None and bound > -100 else None
            needed = None if goal is None else math.expm1((goal - elapsed * math.log1p(achieved / 100)) / remaining) * 100
    else:
        achieved = sum(amounts) / known
        goal = None if bound is None else (bound * n if form == "average" else bound)
        needed = None if remaining == 0 or goal is None else (goal - achieved * elapsed) / remaining
        if form == "total" and remaining == 0:
            achieved = achieved * elapsed  # the total over the whole span is what is judged
    return dict(achieved=achieved, achieved_rate=achieved, needed_rate=needed, years_known=known, years_elapsed=elapsed, years_remaining=remaining)


def _level(annual, first, last, year, bound) -> dict | None:
    """Level form: the growth a year from the baseline (the last full-year
    figure before the span) to the latest figure, against the growth a year
    still needed from the latest figure to the target by the end year."""
    before = [y for y in annual if y < first]
    inside = [y for y in annual if first <= y <= year]
    if not before or not inside or bound is None:
        return None
    base_year, latest_year = max(before), max(inside)
    base, latest = annual[base_year], annual[latest_year]
    if base <= 0 or latest <= 0 or bound <= 0:
        return None
    achieved_rate = ((latest / base) ** (1 / (latest_year - base_year)) - 1) * 100
    remaining = last - latest_year
    needed = None if remaining == 0 else ((bound / latest) ** (1 / remaining) - 1) * 100
    return dict(achieved=latest, achieved_rate=achieved_rate, needed_rate=needed, years_known=len(inside),
                years_elapsed=year - first + 1, years_remaining=remaining, base_year=base_year, base=base,
                latest_year=latest_year)


def _result(base: dict, target: dict, indicator: dict, status: str, facts: dict, settings: Settings,
            moving_away: bool = False) -> SpanStatus:
    words = {lang: _explain(base, target, indicator, status, facts, settings, moving_away, lang) for lang in ("vi", "en")}
    keep = ("achieved", "achieved_rate", "needed_rate", "years_known", "years_elapsed", "years_remaining", "ratio")
    return SpanStatus(**base, **{k: facts.get(k) for k in keep}, status=status,
                      explanation_vi=words["vi"], explanation_en=words["en"])


def _explain(base, target, indicator, status, facts, settings: Settings, moving_away, lang) -> str:
    """The rule and its numbers in words, e.g. "Mục tiêu 2021–2030: tăng bình
    quân 8 - 9%/năm. Đến năm 2025 bình quân đạt 7,1%/năm …"."""
    decimals = indicator.get("decimals")
    decimals = 2 if fmt.is_missing(decimals) else int(decimals)
    unit = pick(indicator, "unit", lang)
    form = base["form"]
    rate_unit = "%" if form == "level" or indicator.get("measure") == "rate" else unit
    amount = lambda x: wording.with_unit(wording.number(x, lang, decimals), unit)  # noqa: E731
    rate = lambda x: wording.with_unit(wording.number(x, lang, 2), rate_unit)  # noqa: E731
    head = t(f"fiveyear.head.{form}", lang, first=base["first"], last=base["last"],
             target=wording.quantity(target, lang, unit))
    if status == "no_data":
        return f"{head} {t(f'fiveyear.explain.no_data.{form}', lang, year=base['year'], first=base['first'])}"
    parts = [head]
    if form == "level":
        parts.append(t("fiveyear.explain.level", lang, base_year=facts["base_year"], base=amount(facts["base"]),
                       latest_year=facts["latest_year"], latest=amount(facts["achieved"]),
                       achieved=rate(facts["achieved_rate"])))
    else:
        key = "fiveyear.explain.achieved.total" if form == "total" else "fiveyear.explain.achieved"
        parts.append(t(key, lang, year=base["year"], achieved=rate(facts["achieved_rate"]),
                       known=facts["years_known"], elapsed=facts["years_elapsed"]))
        if facts["years_known"] < facts["years_elapsed"]:
            parts.append(t("fiveyear.explain.missing_years", lang))
    label = t(f"fiveyear.status.{status}", lang)
    if status in ("met", "not_met"):
        final = amount(facts["achieved"]) if form != "average" or rate_unit != "%" else rate(facts["achieved"])
        parts.append(t("fiveyear.explain.done", lang, last=base["last"], achieved=final, status=label))
    elif facts.get("ratio") is None:
        parts.append(t("fiveyear.explain.secured", lang, status=label))
    else:
        threshold = settings.on_track_ratio if status == "on_track" else settings.at_risk_ratio
        cmp = "≥" if status != "behind" else "<"
        parts.append(t("fiveyear.explain.ratio", lang, needed=rate(facts["needed_rate"]),
                       remaining=facts["years_remaining"], ratio=fmt.number(round(facts["ratio"], 2), 2, lang),
                       cmp=cmp, threshold=fmt.number(threshold, 2, lang), status=label))
        if moving_away:
            parts.append(t("fiveyear.explain.moving_away", lang))
    return " ".join(parts)


def table(statuses: list[SpanStatus], indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The statuses as a table people read: indicator, span, form, status and
    the explanation in `lang`."""
    names = {r["indicator_id"]: pick(r, "name", lang) for r in indicators.to_dict("records")}
    col = lambda key: t(f"fiveyear.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        col("indicator"): [names.get(s.indicator_id, s.indicator_id) for s in statuses],
        col("span"): [f"{s.first}–{s.last}" for s in statuses],
        col("form"): [t(f"fiveyear.form.{s.form}", lang) for s in statuses],
        col("status"): [t(f"fiveyear.status.{s.status}", lang) for s in statuses],
        col("ratio"): pd.Series([s.ratio for s in statuses], dtype="float64").round(2),
        col("explanation"): [s.explanation(lang) for s in statuses],
    })
