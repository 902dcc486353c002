"""The judge: the status of a figure against its target (SPEC §4), and the
one picker that chooses, for a year and period, which figure is judged and
against which target. The rules are described in tracker/status/__init__.py;
the words of each verdict come from tracker.status.explain."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd

from tracker import wording
from tracker.status import explain, facts
from tracker.status.explain import Words
from tracker.status.facts import Plan, compare, get, number
from tracker.status.implied import implied_targets
from tracker.status.rules import ANNUAL_PERIODS, Rules, annual_period, current

STATUSES = (
    "exceeded", "met", "not_met", "inside", "above", "below",
    "on_track", "at_risk", "behind", "no_target", "no_data",
)
# A full-year verdict against an annual target.
MET = ("exceeded", "met", "inside")
# Everything that is not met yet, for the year or for the pace.
NOT_ACHIEVED = ("not_met", "above", "below", "behind", "at_risk")
ACHIEVED = MET + ("on_track",)
UNJUDGED = ("no_target", "no_data")


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
    # How the target was found: "stated" (a target row), "implied" (from a
    # reported % of plan), "reported_pct" (no target: the reported % as is), "".
    target_basis: str = ""

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang == "en" else self.explanation_vi


def _result(status, attainment, rule, explain_in, words: Words) -> Judgement:
    """A Judgement with both explanations from `explain_in(lang)`."""
    figure = words.figure
    return Judgement(
        status=status,
        attainment=None if attainment is None else float(attainment),
        rule=rule,
        explanation_vi=explain_in("vi"),
        explanation_en=explain_in("en"),
        figure_kind=None if figure is None else get(figure, "kind"),
        figure_period=None if figure is None else get(figure, "period"),
        target_text_vi=words.target_text("vi"),
        target_text_en=words.target_text("en"),
    )


_REPORTED_RULES = ("annual.pct_of_plan.", "partial.pct_of_plan.", "pace.reported")


def judge(figure: Mapping | None, target: Mapping | None, indicator: Mapping, rules: Rules | None = None) -> Judgement:
    """The status of `figure` (an estimate or actual observation row) against
    `target` (the target row of the same year: FY, or H2 for an H2 figure;
    stated, or implied as `pick` gives it), for the catalogue row
    `indicator`, with the rule and the numbers in words. A target of another
    period than the figure's is ignored (partial-year figures are judged
    against the FY target)."""
    rules = rules or current()
    verdict = _judge(figure, target, indicator, rules)
    if verdict.target_text_vi:
        basis = get(target, "basis") or "stated"
    elif verdict.rule.startswith(_REPORTED_RULES):
        basis = "reported_pct"
    else:
        basis = ""
    return replace(verdict, target_basis=basis)


def _implied_by(figure: Mapping, target: Mapping | None) -> bool:
    """Whether `target` is the plan implied by `figure` itself (its value
    over its own reported %): judging one by the other is the reported %."""
    return (target is not None and get(target, "basis") == "implied"
            and get(target, "implied_from_kind") == get(figure, "kind")
            and get(target, "implied_from_period") == get(figure, "period"))


def _judge(figure: Mapping | None, target: Mapping | None, indicator: Mapping, rules: Rules) -> Judgement:
    ind = facts.Indicator.of(indicator)
    period = get(figure, "period")
    if target is not None and period is not None and get(target, "period") not in (None, annual_period(period)):
        target = None
    plan = facts.plan_of(target, ind.direction, rules)
    words = Words(figure, target if plan is not None else None, indicator, plan is not None)

    if figure is None:
        return _result("no_data", None, "no_data", partial(explain.no_data, words=words, has_plan=plan is not None), words)

    point = wording.point(figure)
    reported = number(figure, "pct_of_plan")
    if _implied_by(figure, target):
        plan = None  # shown as the year's plan, but this figure is judged by its own reported %
    if point is None and (reported is None or period is None):
        status = "no_data" if plan is not None else "no_target"
        return _result(status, None, status, partial(explain.no_number, words=words, status=status,
                                                     has_plan=plan is not None), words)

    if period in ANNUAL_PERIODS or period is None:
        if plan is not None and point is not None:
            return _judge_direct(point, plan, words, rules, partial_year=False)
        if reported is not None:
            return _judge_annual_pct(reported, words)
        return _no_target(words)

    if ind.measure == "flow":
        share, seasonal = rules.share(ind.indicator_id, period)
        if plan is not None and point is not None and plan.plan_number is not None and plan.plan_number > 0:
            pct, computed = point / plan.plan_number * 100, True
        elif reported is not None:
            pct, computed = reported, False
        else:
            return _no_target(words)
        return _judge_pace(pct, computed, share, seasonal, plan, words, rules)

    if plan is not None and point is not None:
        return _judge_direct(point, plan, words, rules, partial_year=True)
    if reported is not None:
        return _judge_direct_pct(reported, words, rules)
    return _no_target(words)


def _no_target(words: Words) -> Judgement:
    words = Words(words.figure, None, words.indicator, False)
    return _result("no_target", None, "no_target", partial(explain.no_target, words=words), words)


def _annual_status(position: str, point: float, plan: Plan, decimals: int, rules: Rules) -> tuple[str, float | None]:
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
        beyond = compare(point, threshold, decimals)
        if (plan.direction == "up" and beyond > 0) or (plan.direction == "down" and beyond < 0):
            return "exceeded", threshold
    return "met", threshold


def _relation(position: str, status: str, plan: Plan) -> str:
    if position == "inside" and status != "exceeded":
        return {"exact": "equal", "approx": "within", "range": "within"}.get(plan.qualifier, "reaches")
    if position == "inside":  # a one-sided target passed by more than the margin
        return "above" if plan.direction == "up" else "below"
    return position


def _judge_direct(point, plan: Plan, words: Words, rules: Rules, partial_year: bool) -> Judgement:
    """A figure compared with the target itself: a year, or (`partial_year`)
    a rate or level part-way through it, turned into on_track / at_risk /
    behind."""
    d = words.ind.decimals
    position = facts.position(point, plan, d)
    annual, threshold = _annual_status(position, point, plan, d, rules)
    status, gap, gap_bound, within = annual, None, None, None
    if partial_year:
        if annual in MET:
            status = "on_track"
        else:
            # The bound the figure falls short of (for a band, the one it crossed).
            gap_bound = plan.low if position == "below" else plan.high
            gap = abs(point - gap_bound)
            within = compare(gap, rules.at_risk_margin * abs(gap_bound), d) <= 0
            status = "at_risk" if within else "behind"
    attainment = facts.attainment(point, plan)
    rule = f"{'partial' if partial_year else 'annual'}.{plan.qualifier}.{plan.direction}"
    explain_in = partial(
        explain.annual, words=words, status=status, relation=_relation(position, annual, plan), plan=plan,
        rules=rules, point=point, attainment=attainment, threshold=threshold, gap=gap, gap_bound=gap_bound,
        within=within, partial=partial_year,
    )
    return _result(status, attainment, rule, explain_in, words)


def _pct_direction(direction: str) -> str:
    """A reported % of plan has no qualifier: an up or band indicator wants
    100 or more, a down indicator 100 or less."""
    return "down" if direction == "down" else "up"


def _judge_annual_pct(reported: float, words: Words) -> Judgement:
    """An annual figure judged by its reported % of plan."""
    direction = words.ind.direction
    position = {-1: "below", 0: "inside", 1: "above"}[compare(reported, 100.0, 1)]
    if direction == "band":
        status = position
    else:
        good = "above" if _pct_direction(direction) == "up" else "below"
        status = "met" if position == "inside" else ("exceeded" if position == good else "not_met")
    if direction == "down":
        attainment = 100 * 100 / reported if reported > 0 else None
    else:
        attainment = reported
    judged = "band" if direction == "band" else _pct_direction(direction)
    explain_in = partial(explain.annual_pct, words=words, status=status, reported=reported, attainment=attainment)
    return _result(status, attainment, f"annual.pct_of_plan.{judged}", explain_in, words)


def _judge_pace(pct, computed, share, seasonal, plan: Plan | None, words: Words, rules: Rules) -> Judgement:
    """A partial-year flow: % of the annual plan against the share expected by now."""
    down = words.ind.direction == "down" if plan is None else plan.direction == "down"
    if down:
        pace = share / (pct / 100) if pct > 0 else math.inf
    else:
        pace = (pct / 100) / share
    # Compared at the two decimals the explanation shows, so "0,95 ≥ 0,95" holds.
    if math.isinf(pace) or compare(pace, rules.pace_on_track, 2) >= 0:
        status = "on_track"
    elif compare(pace, rules.pace_at_risk, 2) >= 0:
        status = "at_risk"
    else:
        status = "behind"
    explain_in = partial(explain.pace, words=words, status=status, pct=pct, computed=computed, plan=plan,
                         share=share, seasonal=seasonal, pace_value=pace, down=down, rules=rules)
    return _result(status, pct, "pace.target" if computed else "pace.reported", explain_in, words)


def _judge_direct_pct(reported, words: Words, rules: Rules) -> Judgement:
    """A partial-year rate or level judged by its reported % of the annual plan."""
    direction = _pct_direction(words.ind.direction)
    shortfall = (100.0 - reported) if direction == "up" else (reported - 100.0)
    if compare(shortfall, 0.0, 1) <= 0:
        status = "on_track"
    elif compare(shortfall, rules.at_risk_margin * 100, 1) <= 0:
        status = "at_risk"
    else:
        status = "behind"
    attainment = reported if direction == "up" else (100 * 100 / reported if reported > 0 else None)
    explain_in = partial(explain.direct_pct, words=words, status=status, reported=reported, shortfall=shortfall,
                         rules=rules)
    return _result(status, attainment, f"partial.pct_of_plan.{direction}", explain_in, words)


# ------------------------------------------------------ choosing the rows


@dataclass(frozen=True)
class Picked:
    """For one area, year and period: the figure judged for each indicator
    (the actual, else the estimate) and the target it is judged against (the
    FY target of the year, or the H2 target for an H2 figure; where there is
    no target row, the plan the year's figures imply, with basis "implied").
    Indicators without one are absent."""

    figures: dict[str, pd.Series] = field(default_factory=dict)
    targets: dict[str, pd.Series] = field(default_factory=dict)


def pick(observations: pd.DataFrame, area_id: str | None, year: int, period: str, rules: Rules | None = None,
         implied: pd.DataFrame | None = None) -> Picked:
    """The one picker: which figure is judged and against which target, for
    every indicator at once (one pass over the rows; later rows win, so the
    newest of duplicated keys is chosen). `implied`: the implied targets of
    `observations` (implied_targets) when a caller picking for many periods
    has worked them out once."""
    year = int(year)
    of_year = observations[observations["year"] == year]
    if area_id is not None:  # None: the rows are one area's already
        of_year = of_year[of_year["area_id"] == area_id]
    wanted = annual_period(period)
    mine = of_year[of_year["period"].isin({period, wanted})]
    periods, kinds = mine["period"].to_numpy(), mine["kind"].to_numpy()
    ids = mine["indicator_id"].tolist()

    def last(mask) -> dict:
        return {ids[i]: i for i in mask.nonzero()[0]}

    figure_at = last((periods == period) & (kinds == "estimate"))
    figure_at.update(last((periods == period) & (kinds == "actual")))  # an actual wins over an estimate
    target_at = last((periods == wanted) & (kinds == "target"))
    targets = {i: mine.iloc[n] for i, n in target_at.items()}
    if implied is None:
        implied = implied_targets(of_year, rules)
    else:  # implied plans are per indicator, area and year: those of the year are those of its rows
        implied = implied[(implied["year"] == year) & ((implied["area_id"] == area_id) if area_id is not None else True)]
    for _, row in implied[implied["period"] == wanted].iterrows():
        targets.setdefault(row["indicator_id"], row)
    return Picked({i: mine.iloc[n] for i, n in figure_at.items()}, targets)
