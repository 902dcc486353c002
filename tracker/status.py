"""Targets against actuals (SPEC §4): the one module that decides the status
of a figure against its target and says how it decided, in Vietnamese and
English. Pure: pandas in, dataclasses and frames out; no Streamlit.

The rules, in short (thresholds in data/status_rules.toml):

- Every target form is a "met" interval: exact X is [X, X]; approx X is
  X ± approx_tolerance·X; a range is [low, high]; at_least is [low, ∞);
  at_most is (−∞, high]. Comparisons count two numbers equal when they agree
  to the indicator's decimals.
- Annual figures (FY, and H2 against an H2 target: the second half is its own
  period) against that interval: `up` exceeded above it, met inside, not_met
  below; `down` the mirror; `band` inside, above, below. A one-sided target
  states the good side itself, so at_least is judged as `up` and at_most as
  `down` whatever the catalogue says (unless the indicator is a `band`);
  it is exceeded only beyond the bound by more than exceed_margin of it.
  The plans write "trên X" (over) for at_least too; it is judged as ≥ X.
- Attainment % = figure / the bound deciding "met" × 100 (the lower bound for
  `up`; for approx the plan number itself). For `down` it is bound / figure ×
  100, so above 100 is better than planned too. A `band` has no better side:
  no attainment. Empty when the ratio means nothing (bound ≤ 0, negative figure).
- Partial-year figures (H1, 9M, Qn, Mnn, cumulative from January) against the
  annual target. Flows: pace = % of the annual plan / share expected done by
  now (the year share, or the per-indicator seasonal share), with % of plan =
  figure / the deciding bound (the range midpoint for a band), or the
  reported pct_of_plan when there is no target row. For `down` flows pace is
  the inverse (share / % of plan) so a higher pace is better there too; band
  flows are paced like `up` (mid-year the risk is falling short).
  on_track at pace ≥ pace_on_track, at_risk ≥ pace_at_risk, behind below
  (pace compared at the two decimals the explanation shows).
  Attainment is the % of the annual plan reached so far, as reports say it.
  Rates and levels: the figure against the annual target directly: on_track
  if it would already be met (or inside), at_risk if short of the deciding
  bound (for a band, the bound it crossed) by at most at_risk_margin of it,
  behind otherwise.
- A reported pct_of_plan stands in for a missing target row (or a figure
  without a value): annual exceeded above 100, met at 100, not_met below
  (mirrored for `down`); partial-year as above.
- A range figure ("ước 8 - 9%") is judged by its midpoint; a one-sided figure
  ("trên 1,6 triệu") by its bound.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from tracker import fmt
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.schema import PERIODS

RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "status_rules.toml"

STATUSES = (
    "exceeded", "met", "not_met", "inside", "above", "below",
    "on_track", "at_risk", "behind", "no_target", "no_data",
)
ACHIEVED = ("exceeded", "met", "inside", "on_track")
NOT_ACHIEVED = ("not_met", "above", "below", "behind", "at_risk")
UNJUDGED = ("no_target", "no_data")
# Periods judged like a year: the whole year, and the second half on its own.
ANNUAL_PERIODS = ("FY", "H2")
PARTIAL_PERIODS = tuple(p for p in PERIODS if p not in ANNUAL_PERIODS)

_SECTIONS = {
    "annual": ("approx_tolerance", "exceed_margin"),
    "partial": ("pace_on_track", "pace_at_risk", "at_risk_margin"),
    "quality": ("rounding_pp",),
}
_TABLES = ("year_share", "expected_share")
# Sections of the same file that other modules read and check themselves
# (tracker/fiveyear.py, tracker/projection.py, through tracker/rules_toml.py).
_OTHER_SECTIONS = ("fiveyear", "projection")

# The plans' words for a strict bound: "trên 3.600" (over), "dưới 15%" (under).
_OVER = re.compile(r"(?<!\w)trên\s+[\d.,]+", re.IGNORECASE)
_UNDER = re.compile(r"(?<!\w)dưới\s+[\d.,]+", re.IGNORECASE)


# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Rules:
    """Every threshold of the engine, as read from data/status_rules.toml."""

    approx_tolerance: float
    exceed_margin: float
    pace_on_track: float
    pace_at_risk: float
    at_risk_margin: float
    rounding_pp: float
    year_share: Mapping[str, float]
    expected_share: Mapping[str, Mapping[str, float]]

    def share(self, indicator_id: str, period: str) -> tuple[float, bool]:
        """The share of the annual plan expected done by the end of `period`,
        and whether it comes from a seasonal setting (else the year share)."""
        seasonal = self.expected_share.get(indicator_id, {})
        if period in seasonal:
            return seasonal[period], True
        return self.year_share[period], False


def _rules_error(problem: str, path: Path, **params) -> TrackerError:
    return TrackerError(f"status.rules_{problem}", path=str(path), **params)


def _number(value, name: str, path: Path, low: float, high: float, low_open: bool = False) -> float:
    """A setting's value checked to be a number within [low, high]."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value > low if low_open else value >= low) and value <= high
    if not ok:
        raise _rules_error("bad_value", path, setting=name, value=repr(value))
    return float(value)


def _check_keys(found, allowed, prefix: str, path: Path, required: bool = True) -> None:
    for key in found:
        if key not in allowed:
            raise _rules_error("unknown", path, setting=prefix + str(key))
    if required:
        for key in allowed:
            if key not in found:
                raise _rules_error("missing", path, setting=prefix + key)


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules from a TOML file (default data/status_rules.toml). Every
    setting must be there and known: an unknown, missing or out-of-range
    setting raises TrackerError naming it."""
    path = Path(path) if path is not None else RULES_PATH
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _rules_error("unreadable", path, details=str(exc)) from exc

    _check_keys(data, tuple(_SECTIONS) + _TABLES + _OTHER_SECTIONS, "", path)
    values: dict[str, float] = {}
    for section, names in _SECTIONS.items():
        if not isinstance(data[section], dict):
            raise _rules_error("bad_value", path, setting=section, value=repr(data[section]))
        _check_keys(data[section], names, f"{section}.", path)
        for name in names:
            values[name] = data[section][name]
    for name in ("approx_tolerance", "exceed_margin", "at_risk_margin"):
        values[name] = _number(values[name], name, path, 0.0, 1.0)
    values["pace_on_track"] = _number(values["pace_on_track"], "pace_on_track", path, 0.0, 10.0, low_open=True)
    values["pace_at_risk"] = _number(values["pace_at_risk"], "pace_at_risk", path, 0.0, values["pace_on_track"], low_open=True)
    values["rounding_pp"] = _number(values["rounding_pp"], "rounding_pp", path, 0.0, 100.0)

    year_share = data["year_share"]
    if not isinstance(year_share, dict):
        raise _rules_error("bad_value", path, setting="year_share", value=repr(year_share))
    _check_keys(year_share, PARTIAL_PERIODS, "year_share.", path)
    shares = {p: _number(year_share[p], f"year_share.{p}", path, 0.0, 1.0, low_open=True) for p in PARTIAL_PERIODS}

    expected_share = data["expected_share"]
    if not isinstance(expected_share, dict):
        raise _rules_error("bad_value", path, setting="expected_share", value=repr(expected_share))
    seasonal = {}
    for indicator_id, periods in expected_share.items():
        if not isinstance(periods, dict):
            raise _rules_error("bad_value", path, setting=f"expected_share.{indicator_id}", value=repr(periods))
        _check_keys(periods, PARTIAL_PERIODS, f"expected_share.{indicator_id}.", path, required=False)
        seasonal[indicator_id] = MappingProxyType({
            p: _number(v, f"expected_share.{indicator_id}.{p}", path, 0.0, 1.0, low_open=True) for p, v in periods.items()
        })
    return Rules(
        **values, year_share=MappingProxyType(shares), expected_share=MappingProxyType(seasonal),
    )


RULES = load_rules()


# ------------------------------------------------------- reading the rows


def _get(row: Mapping | None, column: str):
    """A cell of an observation or catalogue row; None when absent or missing."""
    if row is None:
        return None
    value = row.get(column) if hasattr(row, "get") else None
    return None if fmt.is_missing(value) else value


def _float(row: Mapping | None, column: str) -> float | None:
    value = _get(row, column)
    return None if value is None else float(value)


def figure_point(row: Mapping | None) -> float | None:
    """The one number a figure is judged by: its value; else the midpoint of
    its range; else its one bound. None when it has none of them."""
    value, low, high = _float(row, "value"), _float(row, "low"), _float(row, "high")
    if value is not None:
        return value
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


@dataclass(frozen=True)
class _Indicator:
    indicator_id: str
    direction: str
    measure: str
    decimals: int
    unit: Mapping[str, str]

    @classmethod
    def of(cls, row: Mapping) -> _Indicator:
        decimals = _get(row, "decimals")
        return cls(
            indicator_id=str(_get(row, "indicator_id") or ""),
            direction=str(_get(row, "direction") or "up"),
            measure=str(_get(row, "measure") or "level"),
            decimals=int(decimals) if decimals is not None else 2,
            unit={lang: str(_get(row, f"unit_{lang}") or _get(row, "unit_vi") or "") for lang in ("vi", "en")},
        )


@dataclass(frozen=True)
class _Plan:
    """A target as the interval in which a figure counts as met."""

    qualifier: str
    direction: str  # the direction judged: one-sided targets bring their own
    low: float | None  # None: unbounded
    high: float | None
    nominal_low: float | None  # the plan's own numbers, before any tolerance
    nominal_high: float | None
    tolerance: float = 0.0

    @property
    def deciding_bound(self) -> float | None:
        """The bound a figure must reach: the lower for `up`, the upper for
        `down`; a band has none."""
        if self.direction == "up":
            return self.nominal_low
        if self.direction == "down":
            return self.nominal_high
        return None

    @property
    def plan_number(self) -> float | None:
        """The number "% of plan" is taken against: the deciding bound, or
        the middle of a band."""
        if self.direction == "band":
            if self.nominal_low is not None and self.nominal_high is not None:
                return (self.nominal_low + self.nominal_high) / 2
            return self.nominal_low if self.nominal_low is not None else self.nominal_high
        return self.deciding_bound


def _plan(target: Mapping | None, direction: str, rules: Rules) -> _Plan | None:
    """The target row as a met interval; None when it carries no usable number."""
    if target is None:
        return None
    qualifier = _get(target, "qualifier") or "exact"
    value, low, high = _float(target, "value"), _float(target, "low"), _float(target, "high")
    if qualifier in ("exact", "approx") and value is None:
        if low is not None and high is not None:
            qualifier = "range"
        else:
            value = low if low is not None else high
    if qualifier == "exact":
        return None if value is None else _Plan("exact", direction, value, value, value, value)
    if qualifier == "approx":
        if value is None:
            return None
        tolerance = rules.approx_tolerance * abs(value)
        return _Plan("approx", direction, value - tolerance, value + tolerance, value, value, tolerance)
    if qualifier == "range":
        low = low if low is not None else value
        high = high if high is not None else value
        if low is None or high is None:
            return None
        return _Plan("range", direction, low, high, low, high)
    if qualifier == "at_least":
        bound = low if low is not None else value
        judged = "band" if direction == "band" else "up"
        return None if bound is None else _Plan("at_least", judged, bound, None, bound, None)
    if qualifier == "at_most":
        bound = high if high is not None else value
        judged = "band" if direction == "band" else "down"
        return None if bound is None else _Plan("at_most", judged, None, bound, None, bound)
    return None


def _compare(a: float, b: float, decimals: int) -> int:
    """-1, 0 or 1: `a` against `b`, equal when they agree to `decimals`."""
    diff = a - b
    if abs(diff) < 0.5 * 10 ** -decimals - 1e-12:
        return 0
    return 1 if diff > 0 else -1


def _position(point: float, plan: _Plan, decimals: int) -> str:
    """Where a figure lies against the met interval: below, inside, above."""
    if plan.low is not None and _compare(point, plan.low, decimals) < 0:
        return "below"
    if plan.high is not None and _compare(point, plan.high, decimals) > 0:
        return "above"
    return "inside"


def _attainment(point: float, plan: _Plan) -> float | None:
    bound = plan.deciding_bound
    if bound is None:
        return None
    if plan.direction == "up":
        return point / bound * 100 if bound > 0 and point >= 0 else None
    return bound / point * 100 if point > 0 and bound >= 0 else None


# ------------------------------------------------------------- the words


def _num(x: float, lang: str, digits: int = 6) -> str:
    """A number rounded half up to `digits` (as reports round: 106,25 ->
    106,3), trailing zeros trimmed, in `lang`."""
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return fmt.number(rounded, None, lang)


def _pct(x: float, lang: str, digits: int = 1) -> str:
    return _num(x, lang, digits) + "%"


def _with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def _strictness(row: Mapping) -> str | None:
    """"over"/"under" when the plan wrote "trên X"/"dưới X", else None."""
    note = str(_get(row, "note") or "")
    if _OVER.search(note):
        return "over"
    if _UNDER.search(note):
        return "under"
    return None


def quantity_text(row: Mapping | None, indicator: Mapping, lang: str) -> str:
    """A target or figure in words as the plans write them: "8 - 9%",
    "khoảng 304 nghìn tấn", "từ 5% trở lên", "trên 3.600 tỷ đồng" (English
    "about", "at least", "over"). Empty when the row has no number."""
    if row is None:
        return ""
    ind = _Indicator.of(indicator)
    unit = ind.unit[lang]
    qualifier = _get(row, "qualifier") or "exact"
    value, low, high = _float(row, "value"), _float(row, "low"), _float(row, "high")
    if qualifier == "range" or (value is None and low is not None and high is not None):
        if low is None or high is None:
            return ""
        return _with_unit(f"{_num(low, lang)} - {_num(high, lang)}", unit)
    if qualifier == "at_least":
        bound = low if low is not None else value
        if bound is None:
            return ""
        word = "over" if _strictness(row) == "over" else "at_least"
        return t(f"status.target.{word}", lang, amount=_with_unit(_num(bound, lang), unit))
    if qualifier == "at_most":
        bound = high if high is not None else value
        if bound is None:
            return ""
        word = "under" if _strictness(row) == "under" else "at_most"
        return t(f"status.target.{word}", lang, amount=_with_unit(_num(bound, lang), unit))
    number = value if value is not None else (low if low is not None else high)
    if number is None:
        return ""
    amount = _with_unit(_num(number, lang), unit)
    return t("status.target.approx", lang, amount=amount) if qualifier == "approx" else amount


def target_text(target: Mapping | None, indicator: Mapping, lang: str) -> str:
    """The target in words (see quantity_text); empty when there is none."""
    return quantity_text(target, indicator, lang)


def period_words(period: str, lang: str) -> str:
    """The period as a phrase: "6 tháng đầu năm" / "first-half"."""
    if period.startswith("Q"):
        return t("status.period.Q", lang, n=int(period[1:]))
    if period.startswith("M"):
        return t("status.period.M", lang, n=int(period[1:]))
    return t(f"status.period.{period}", lang)


def figure_label(kind: str, period: str, lang: str) -> str:
    """"Ước cả năm", "Thực hiện 6 tháng đầu năm" / "Full-year estimate"."""
    text = t(f"status.figure.{kind}", lang, period=period_words(period, lang))
    return text[:1].upper() + text[1:]


def status_label(status: str, lang: str) -> str:
    """The status in words: "vượt", "đạt", "chậm tiến độ" / "exceeded", ..."""
    return t(f"status.label.{status}", lang)


def _details(pieces: list[str]) -> str:
    """Details of an explanation, as one parenthesis: " (a; b)"."""
    pieces = [p for p in pieces if p]
    return f" ({'; '.join(pieces)})" if pieces else ""


def _figure_text(figure: Mapping, indicator: Mapping, lang: str) -> str:
    """The figure in words, its midpoint named when it is a range; a figure
    with only a change on last year is shown as that change."""
    text = quantity_text(figure, indicator, lang)
    if text:
        low, high, value = _float(figure, "low"), _float(figure, "high"), _float(figure, "value")
        if value is None and low is not None and high is not None:
            unit = _Indicator.of(indicator).unit[lang]
            text += _details([t("status.detail.midpoint", lang, point=_with_unit(_num((low + high) / 2, lang), unit))])
        return text
    yoy = _float(figure, "yoy_pct")
    if yoy is not None:
        return t("status.figure.yoy", lang, change=fmt.percent(yoy, None, lang, signed=True))
    return ""


# --------------------------------------------------------- the judgement


@dataclass(frozen=True)
class Judgement:
    """A figure's status against its target, and why, in both languages."""

    status: str
    attainment: float | None
    rule: str
    explanation_vi: str
    explanation_en: str
    figure_kind: str | None
    figure_period: str | None
    target_text_vi: str
    target_text_en: str

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang == "en" else self.explanation_vi

    def target_text(self, lang: str) -> str:
        return self.target_text_en if lang == "en" else self.target_text_vi


class _Words:
    """Builds one explanation per language from the same facts."""

    def __init__(self, figure, target, indicator, plan_row_used: bool):
        self.figure, self.target, self.indicator = figure, target, indicator
        self.ind = _Indicator.of(indicator)
        self.plan_row_used = plan_row_used

    def amount(self, x: float, lang: str, digits: int | None = None) -> str:
        digits = self.ind.decimals if digits is None else digits
        return _with_unit(_num(x, lang, digits), self.ind.unit[lang])

    def difference(self, x: float, lang: str) -> str:
        """A gap between two figures; in percentage points when they are in %."""
        unit = self.ind.unit[lang]
        if unit.startswith("%"):
            unit = t("status.unit.pp", lang)
        return _with_unit(_num(x, lang, self.ind.decimals), unit)

    def common(self, lang: str, status: str) -> dict[str, str]:
        return {
            "figure_label": figure_label(str(_get(self.figure, "kind")), str(_get(self.figure, "period")), lang)
            if self.figure is not None else "",
            "figure": _figure_text(self.figure, self.indicator, lang) if self.figure is not None else "",
            "target": target_text(self.target, self.indicator, lang) if self.plan_row_used else "",
            "status": status_label(status, lang),
        }


def _result(status, attainment, rule, explain, figure, target_used, indicator) -> Judgement:
    """A Judgement with both explanations from `explain(lang)`."""
    return Judgement(
        status=status,
        attainment=None if attainment is None else float(attainment),
        rule=rule,
        explanation_vi=explain("vi"),
        explanation_en=explain("en"),
        figure_kind=None if figure is None else _get(figure, "kind"),
        figure_period=None if figure is None else _get(figure, "period"),
        target_text_vi=target_text(target_used, indicator, "vi"),
        target_text_en=target_text(target_used, indicator, "en"),
    )


def judge(figure: Mapping | None, target: Mapping | None, indicator: Mapping, rules: Rules = RULES) -> Judgement:
    """The status of `figure` (an estimate or actual observation row) against
    `target` (the target row of the same year: FY, or H2 for an H2 figure),
    for the catalogue row `indicator`, with the rule and the numbers in words.
    A target of another period than the figure's is ignored (partial-year
    figures are judged against the FY target)."""
    ind = _Indicator.of(indicator)
    period = _get(figure, "period")
    if target is not None and period is not None:
        wanted = period if period in ANNUAL_PERIODS else "FY"
        if _get(target, "period") not in (None, wanted):
            target = None
    plan = _plan(target, ind.direction, rules)
    target_used = target if plan is not None else None
    words = _Words(figure, target_used, indicator, plan is not None)

    if figure is None:
        def explain(lang):
            key = "status.explain.no_data" if plan is not None else "status.explain.no_data_no_target"
            return t(key, lang, target=words.common(lang, "no_data")["target"])
        return _result("no_data", None, "no_data", explain, None, target_used, indicator)

    point = figure_point(figure)
    reported = _float(figure, "pct_of_plan")
    if point is None and (reported is None or period is None):
        status = "no_data" if plan is not None else "no_target"

        def explain(lang):
            key = "status.explain.no_number" if plan is not None else "status.explain.no_target"
            return t(key, lang, **words.common(lang, status))
        return _result(status, None, status, explain, figure, target_used, indicator)

    if period in ANNUAL_PERIODS or period is None:
        if plan is not None and point is not None:
            return _judge_annual(point, plan, figure, target_used, indicator, words, rules, partial=False)
        if reported is not None:
            return _judge_annual_pct(reported, figure, target_used, indicator, words)
        return _no_target(figure, indicator, words)

    if ind.measure == "flow":
        share, seasonal = rules.share(ind.indicator_id, period)
        if plan is not None and point is not None and plan.plan_number is not None and plan.plan_number > 0:
            pct, computed = point / plan.plan_number * 100, True
        elif reported is not None:
            pct, computed = reported, False
        else:
            return _no_target(figure, indicator, words)
        return _judge_pace(pct, computed, share, seasonal, plan, figure, target_used, indicator, words, rules)

    if plan is not None and point is not None:
        return _judge_annual(point, plan, figure, target_used, indicator, words, rules, partial=True)
    if reported is not None:
        return _judge_direct_pct(reported, figure, target_used, indicator, words, rules)
    return _no_target(figure, indicator, words)


def _no_target(figure, indicator, words: _Words) -> Judgement:
    def explain(lang):
        return t("status.explain.no_target", lang, **words.common(lang, "no_target"))
    return _result("no_target", None, "no_target", explain, figure, None, indicator)


def _annual_status(position: str, point: float, plan: _Plan, decimals: int, rules: Rules) -> tuple[str, float | None]:
    """The annual status, and the threshold of "exceeded" for a one-sided
    target (None for the other forms)."""
    if plan.direction == "band":
        return position, None
    threshold = None
    if plan.qualifier == "at_least":
        threshold = plan.low + rules.exceed_margin * abs(plan.low)
    elif plan.qualifier == "at_most":
        threshold = plan.high - rules.exceed_margin * abs(plan.high)
    good, bad = ("above", "below") if plan.direction == "up" else ("below", "above")
    if position == good:
        return "exceeded", threshold
    if position == bad:
        return "not_met", threshold
    if threshold is not None:
        beyond = _compare(point, threshold, decimals)
        if (plan.direction == "up" and beyond > 0) or (plan.direction == "down" and beyond < 0):
            return "exceeded", threshold
    return "met", threshold


def _relation(position: str, status: str, plan: _Plan) -> str:
    if position == "inside" and status != "exceeded":
        return {"exact": "equal", "approx": "within", "range": "within"}.get(plan.qualifier, "reaches")
    if position == "inside":  # a one-sided target passed by more than the margin
        return "above" if plan.direction == "up" else "below"
    return position


def _judge_annual(point, plan: _Plan, figure, target, indicator, words: _Words, rules: Rules, partial: bool) -> Judgement:
    """An annual comparison; with `partial`, a rate or level part-way through
    the year turned into on_track / at_risk / behind."""
    d = words.ind.decimals
    position = _position(point, plan, d)
    annual, threshold = _annual_status(position, point, plan, d, rules)
    attainment = _attainment(point, plan)
    relation = _relation(position, annual, plan)
    status, gap, gap_bound, within = annual, None, None, None
    if partial:
        if annual in ("exceeded", "met", "inside"):
            status = "on_track"
        else:
            # The bound the figure falls short of (for a band, the one it crossed).
            gap_bound = plan.low if position == "below" else plan.high
            gap = abs(point - gap_bound)
            within = _compare(gap, rules.at_risk_margin * abs(gap_bound), d) <= 0
            status = "at_risk" if within else "behind"
    rule = f"{'partial' if partial else 'annual'}.{plan.qualifier}.{plan.direction}"

    def explain(lang):
        params = words.common(lang, status)
        pieces = []
        if plan.qualifier == "approx":
            pieces.append(t(
                "status.detail.tolerance", lang, tol=_pct(rules.approx_tolerance * 100, lang, 2),
                low=_num(plan.low, lang, d + 1), high=_num(plan.high, lang, d + 1),
            ))
        if threshold is not None and not partial:
            pieces.append(t(
                f"status.detail.margin_{plan.direction}", lang, margin=_pct(rules.exceed_margin * 100, lang, 2),
                bound=words.amount(plan.deciding_bound, lang, 6), threshold=words.amount(threshold, lang, d + 1),
            ))
        if gap is not None:
            key = "status.detail.gap_within" if within else "status.detail.gap_beyond"
            pieces.append(t(
                key, lang, bound=words.amount(gap_bound, lang, d + 1), gap=words.difference(gap, lang),
                margin=_pct(rules.at_risk_margin * 100, lang, 2),
            ))
        pieces.append(_attainment_words(attainment, plan, point, words, lang))
        key = "status.explain.direct" if partial else "status.explain.annual"
        return t(key, lang, relation=t(f"status.rel.{relation}", lang), detail=_details(pieces), **params)

    return _result(status, attainment, rule, explain, figure, target, indicator)


def _attainment_words(attainment, plan: _Plan, point, words: _Words, lang: str) -> str:
    if attainment is None:
        return ""
    bound = words.amount(plan.deciding_bound, lang, 6)
    if plan.direction == "down":
        return t("status.detail.attainment_down", lang, attainment=_pct(attainment, lang), bound=bound,
                 figure=words.amount(point, lang, 6))
    return t("status.detail.attainment_up", lang, attainment=_pct(attainment, lang), bound=bound)


def _pct_direction(direction: str) -> str:
    """A reported % of plan has no qualifier: an up or band indicator wants
    100 or more, a down indicator 100 or less."""
    return "down" if direction == "down" else "up"


def _judge_annual_pct(reported: float, figure, target, indicator, words: _Words) -> Judgement:
    """An annual figure judged by its reported % of plan."""
    direction = words.ind.direction
    position = {-1: "below", 0: "inside", 1: "above"}[_compare(reported, 100.0, 1)]
    if direction == "band":
        status = position
    else:
        good = "above" if _pct_direction(direction) == "up" else "below"
        status = "met" if position == "inside" else ("exceeded" if position == good else "not_met")
    if direction == "down":
        attainment = 100 * 100 / reported if reported > 0 else None
    else:
        attainment = reported

    def explain(lang):
        pieces = [t("status.src.reported", lang)]
        if direction == "down" and attainment is not None:
            pieces.append(t("status.detail.attainment_pct_down", lang, attainment=_pct(attainment, lang)))
        return t("status.explain.annual_pct", lang, pct=_pct(reported, lang), detail=_details(pieces),
                 **words.common(lang, status))

    judged = "band" if direction == "band" else _pct_direction(direction)
    return _result(status, attainment, f"annual.pct_of_plan.{judged}", explain, figure, target, indicator)


def _judge_pace(pct, computed, share, seasonal, plan, figure, target, indicator, words: _Words, rules: Rules) -> Judgement:
    """A partial-year flow: % of the annual plan against the share expected by now."""
    down = words.ind.direction == "down" if plan is None else plan.direction == "down"
    if down:
        pace = share / (pct / 100) if pct > 0 else math.inf
    else:
        pace = (pct / 100) / share
    # Compared at the two decimals the explanation shows, so "0,95 ≥ 0,95" holds.
    if math.isinf(pace) or _compare(pace, rules.pace_on_track, 2) >= 0:
        status = "on_track"
    elif _compare(pace, rules.pace_at_risk, 2) >= 0:
        status = "at_risk"
    else:
        status = "behind"
    rule = "pace.target" if computed else "pace.reported"

    def explain(lang):
        params = words.common(lang, status)
        thresholds = {"on_track": _num(rules.pace_on_track, lang), "at_risk": _num(rules.pace_at_risk, lang)}
        if computed:
            source = t("status.src.computed", lang, figure=words.amount(figure_point(figure), lang, 6),
                       plan=words.amount(plan.plan_number, lang, 6))
        else:
            source = t("status.src.reported", lang)
        share_source = t("status.src.seasonal" if seasonal else "status.src.year_share", lang)
        pace_text = "∞" if math.isinf(pace) else _num(pace, lang, 2)
        comparison = t(f"status.cmp.{status}", lang, **thresholds)
        detail = _details([t("status.detail.pace_down", lang)] if down else [])
        return t(
            "status.explain.pace", lang, pct=_pct(pct, lang), pct_source=source, share=_pct(share * 100, lang),
            share_source=share_source, pace=pace_text, comparison=comparison, detail=detail, **params,
        )

    return _result(status, pct, rule, explain, figure, target, indicator)


def _judge_direct_pct(reported, figure, target, indicator, words: _Words, rules: Rules) -> Judgement:
    """A partial-year rate or level judged by its reported % of the annual plan."""
    direction = _pct_direction(words.ind.direction)
    shortfall = (100.0 - reported) if direction == "up" else (reported - 100.0)
    margin = rules.at_risk_margin * 100
    if _compare(shortfall, 0.0, 1) <= 0:
        status = "on_track"
    elif _compare(shortfall, margin, 1) <= 0:
        status = "at_risk"
    else:
        status = "behind"
    attainment = reported if direction == "up" else (100 * 100 / reported if reported > 0 else None)

    def explain(lang):
        pieces = [t("status.src.reported", lang)]
        if status != "on_track":
            key = "status.detail.gap_within" if status == "at_risk" else "status.detail.gap_beyond"
            pieces.append(t(key, lang, bound=_pct(100, lang), gap=_with_unit(_num(abs(shortfall), lang, 1), t("status.unit.pp", lang)),
                            margin=_pct(margin, lang, 2)))
        return t("status.explain.direct_pct", lang, pct=_pct(reported, lang), detail=_details(pieces),
                 **words.common(lang, status))

    return _result(status, attainment, f"partial.pct_of_plan.{direction}", explain, figure, target, indicator)


# ------------------------------------------------------ choosing the rows


def _rows(observations: pd.DataFrame, indicator_id: str, area_id: str, year: int, period: str) -> pd.DataFrame:
    return observations[
        (observations["indicator_id"] == indicator_id) & (observations["area_id"] == area_id)
        & (observations["year"] == int(year)) & (observations["period"] == period)
    ]


def pick_figure(observations: pd.DataFrame, indicator_id: str, area_id: str, year: int, period: str) -> pd.Series | None:
    """The figure to judge for that indicator, area, year and period: the
    actual if there is one, else the estimate; None when neither exists."""
    rows = _rows(observations, indicator_id, area_id, year, period)
    for kind in ("actual", "estimate"):
        found = rows[rows["kind"] == kind]
        if not found.empty:
            return found.iloc[-1]
    return None


def pick_target(observations: pd.DataFrame, indicator_id: str, area_id: str, year: int, period: str) -> pd.Series | None:
    """The target a figure of `period` is judged against: the FY target of
    the same year and area, or the H2 target for an H2 figure."""
    wanted = period if period in ANNUAL_PERIODS else "FY"
    rows = _rows(observations, indicator_id, area_id, year, wanted)
    found = rows[rows["kind"] == "target"]
    return None if found.empty else found.iloc[-1]


def picks(observations: pd.DataFrame, area_id: str, year: int, period: str) -> tuple[dict, dict]:
    """pick_figure and pick_target for every indicator at once: two dicts
    from indicator_id to the row each would return (indicators without one
    are absent). One pass over the rows instead of one filter per indicator."""
    year = int(year)
    mine = observations[(observations["area_id"] == area_id) & (observations["year"] == year)]
    wanted = period if period in ANNUAL_PERIODS else "FY"
    mine = mine[mine["period"].isin({period, wanted})]
    periods, kinds = mine["period"].to_numpy(), mine["kind"].to_numpy()
    ids = mine["indicator_id"].tolist()

    def last(mask) -> dict:
        # Later rows overwrite earlier ones: the last row in frame order wins, as .iloc[-1] does.
        return {ids[i]: i for i in mask.nonzero()[0]}

    figure_at = last((periods == period) & (kinds == "estimate"))
    figure_at.update(last((periods == period) & (kinds == "actual")))  # an actual wins over an estimate
    target_at = last((periods == wanted) & (kinds == "target"))
    return ({i: mine.iloc[n] for i, n in figure_at.items()}, {i: mine.iloc[n] for i, n in target_at.items()})


# ---------------------------------------------------- data-quality notes

QUALITY_COLUMNS = [
    "indicator_id", "area_id", "year", "period", "kind", "check", "reported", "implied", "note_vi", "note_en",
]


def _plan_numbers(target: Mapping) -> list[float]:
    """The numbers a reported "% of plan" may have been taken against."""
    qualifier = _get(target, "qualifier") or "exact"
    value, low, high = _float(target, "value"), _float(target, "low"), _float(target, "high")
    if qualifier == "range" or (value is None and low is not None and high is not None):
        numbers = [low, high]
    elif qualifier == "at_least":
        numbers = [low if low is not None else value]
    elif qualifier == "at_most":
        numbers = [high if high is not None else value]
    else:
        numbers = [value]
    return [n for n in numbers if n is not None and n > 0]


def _quality_note(check: str, key: dict, reported: float, implied: float, tolerance: float,
                  words: dict[str, dict[str, str]]) -> dict:
    """One data-quality row; `words` holds each language's placeholders."""
    diff = abs(reported - implied)
    return {
        **key, "check": check, "reported": reported, "implied": implied,
        **{f"note_{lang}": t(
            f"status.quality.{check}", lang, diff=_num(diff, lang, 2), tolerance=_num(tolerance, lang), **words[lang],
        ) for lang in ("vi", "en")},
    }


def quality_notes(observations: pd.DataFrame, indicators: pd.DataFrame, rules: Rules = RULES) -> pd.DataFrame:
    """Reported pct_of_plan and yoy_pct that disagree with the stored figures
    by more than the rounding tolerance: pct_of_plan against value / the
    target of the same year (FY; H2 for an H2 figure), yoy_pct against the
    value of the same period a year earlier, actual before estimate (flow and
    level indicators only: a rate's change on last year is the rate itself).
    One row per disagreement, with a note in each language."""
    catalogue = {row["indicator_id"]: row for row in indicators.to_dict("records")}
    records = observations.to_dict("records")
    # One lookup per key instead of filtering the frame for every figure.
    by_key = {(r["indicator_id"], r["area_id"], int(r["year"]), r["period"], r["kind"]): r for r in records}
    tolerance = rules.rounding_pp
    notes = []
    for row in records:
        indicator = catalogue.get(row["indicator_id"])
        value = _float(row, "value")
        if row["kind"] == "target" or indicator is None or value is None:
            continue
        ind = _Indicator.of(indicator)
        key = {c: row[c] for c in ("indicator_id", "area_id", "year", "period", "kind")}
        year = int(row["year"])

        reported = _float(row, "pct_of_plan")
        wanted = row["period"] if row["period"] in ANNUAL_PERIODS else "FY"
        target = by_key.get((row["indicator_id"], row["area_id"], year, wanted, "target"))
        numbers = _plan_numbers(target) if reported is not None and target is not None else []
        if numbers:
            # Against a range the report may have used either end: anything between agrees.
            implied_all = [value / n * 100 for n in numbers]
            implied = min(max(reported, min(implied_all)), max(implied_all))
            if abs(reported - implied) > tolerance + 1e-9:
                notes.append(_quality_note("pct_of_plan", key, reported, implied, tolerance, {
                    lang: {
                        "reported": _pct(reported, lang), "implied": _pct(implied, lang),
                        "figure": _with_unit(_num(value, lang), ind.unit[lang]),
                        "target": target_text(target, indicator, lang),
                    } for lang in ("vi", "en")
                }))

        reported = _float(row, "yoy_pct")
        if reported is None or ind.measure not in ("flow", "level"):
            continue
        last_year = (row["indicator_id"], row["area_id"], year - 1, row["period"])
        previous = by_key.get((*last_year, "actual")) or by_key.get((*last_year, "estimate"))
        before = _float(previous, "value")
        if before is not None and before > 0:
            implied = (value / before - 1) * 100
            if abs(reported - implied) > tolerance + 1e-9:
                notes.append(_quality_note("yoy_pct", key, reported, implied, tolerance, {
                    lang: {
                        "reported": fmt.percent(reported, None, lang, signed=True),
                        "implied": fmt.percent(round(implied, 2), None, lang, signed=True),
                        "figure": _with_unit(_num(value, lang), ind.unit[lang]),
                        "previous": _with_unit(_num(before, lang), ind.unit[lang]), "previous_year": year - 1,
                    } for lang in ("vi", "en")
                }))
    frame = pd.DataFrame(notes, columns=QUALITY_COLUMNS)
    return frame.astype({"year": "int64", "reported": "float64", "implied": "float64"})
