"""A judgement in words: why a figure got its status, with the rule and the
numbers, one explanation per language built from the same facts. The judge
(tracker.status.judge) decides; this module only says it."""

from __future__ import annotations

import math
from collections.abc import Mapping

from tracker import fmt, wording
from tracker.i18n import t
from tracker.status.facts import Indicator, Plan, get, number
from tracker.status.rules import Rules


def details(pieces: list[str]) -> str:
    """Details of an explanation, as one parenthesis: " (a; b)"."""
    pieces = [p for p in pieces if p]
    return f" ({'; '.join(pieces)})" if pieces else ""


def _pct(x: float, lang: str, digits: int = 1) -> str:
    return wording.percent(x, lang, digits)


class Words:
    """The figure, target and indicator of one judgement, in words."""

    def __init__(self, figure: Mapping | None, target: Mapping | None, indicator: Mapping, plan_row_used: bool):
        self.figure, self.target, self.indicator = figure, target, indicator
        self.ind = Indicator.of(indicator)
        self.plan_row_used = plan_row_used
        # A stated plan number is shown as written; an implied one (a quotient)
        # at the indicator's decimals.
        implied = plan_row_used and target is not None and target.get("basis") == "implied"
        self.plan_digits = self.ind.decimals if implied else 6

    def amount(self, x: float, lang: str, digits: int | None = None) -> str:
        digits = self.ind.decimals if digits is None else digits
        return wording.with_unit(wording.number(x, lang, digits), self.ind.unit[lang])

    def difference(self, x: float, lang: str) -> str:
        """A gap between two figures; in percentage points when they are in %."""
        unit = self.ind.unit[lang]
        if unit.startswith("%"):
            unit = t("status.unit.pp", lang)
        return wording.with_unit(wording.number(x, lang, self.ind.decimals), unit)

    def target_text(self, lang: str) -> str:
        if not self.plan_row_used:
            return ""
        return wording.target_text(self.target, lang, self.ind.unit[lang], self.ind.decimals)

    def implied(self, lang: str) -> str:
        """How the plan was found, when it is implied; else empty."""
        if not self.plan_row_used or self.target.get("basis") != "implied":
            return ""
        return wording.implied_note(self.target, lang, self.ind.unit[lang])

    def figure_text(self, lang: str) -> str:
        """The figure in words, its midpoint named when it is a range; a
        figure with only a change on last year is shown as that change."""
        figure = self.figure
        text = wording.quantity(figure, lang, self.ind.unit[lang])
        if text:
            low, high, value = number(figure, "low"), number(figure, "high"), number(figure, "value")
            if value is None and low is not None and high is not None:
                text += details([t("status.detail.midpoint", lang, point=self.amount((low + high) / 2, lang, 6))])
            return text
        yoy = number(figure, "yoy_pct")
        if yoy is not None:
            return t("status.figure.yoy", lang, change=fmt.percent(yoy, None, lang, signed=True))
        return ""

    def common(self, lang: str, status: str) -> dict[str, str]:
        figure = self.figure
        return {
            "figure_label": wording.figure_label(str(get(figure, "kind")), str(get(figure, "period")), lang)
            if figure is not None else "",
            "figure": self.figure_text(lang) if figure is not None else "",
            "target": self.target_text(lang),
            "status": wording.status_label(status, lang),
        }


def no_data(lang: str, words: Words, has_plan: bool) -> str:
    key = "status.explain.no_data" if has_plan else "status.explain.no_data_no_target"
    return t(key, lang, target=words.target_text(lang))


def no_number(lang: str, words: Words, status: str, has_plan: bool) -> str:
    key = "status.explain.no_number" if has_plan else "status.explain.no_target"
    return t(key, lang, **words.common(lang, status))


def no_target(lang: str, words: Words) -> str:
    return t("status.explain.no_target", lang, **words.common(lang, "no_target"))


def _attainment_words(attainment, plan: Plan, point, words: Words, lang: str) -> str:
    if attainment is None:
        return ""
    bound = words.amount(plan.deciding_bound, lang, words.plan_digits)
    if plan.direction == "down":
        return t("status.detail.attainment_down", lang, attainment=_pct(attainment, lang), bound=bound,
                 figure=words.amount(point, lang, 6))
    return t("status.detail.attainment_up", lang, attainment=_pct(attainment, lang), bound=bound)


def annual(lang: str, *, words: Words, status: str, relation: str, plan: Plan, rules: Rules, point: float,
           attainment: float | None, threshold: float | None, gap: float | None, gap_bound: float | None,
           within: bool | None, partial: bool) -> str:
    """A figure compared directly with its target: a year, or a rate or
    level part-way through the year."""
    d = words.ind.decimals
    pieces = []
    if plan.qualifier == "approx":
        pieces.append(t(
            "status.detail.tolerance", lang, tol=_pct(rules.approx_tolerance * 100, lang, 2),
            low=wording.number(plan.low, lang, d + 1), high=wording.number(plan.high, lang, d + 1),
        ))
    if threshold is not None and not partial:
        pieces.append(t(
            f"status.detail.margin_{plan.direction}", lang, margin=_pct(rules.exceed_margin * 100, lang, 2),
            bound=words.amount(plan.deciding_bound, lang, words.plan_digits), threshold=words.amount(threshold, lang, d + 1),
        ))
    if gap is not None:
        key = "status.detail.gap_within" if within else "status.detail.gap_beyond"
        pieces.append(t(
            key, lang, bound=words.amount(gap_bound, lang, d + 1), gap=words.difference(gap, lang),
            margin=_pct(rules.at_risk_margin * 100, lang, 2),
        ))
    pieces.append(_attainment_words(attainment, plan, point, words, lang))
    key = "status.explain.direct" if partial else "status.explain.annual"
    return t(key, lang, relation=t(f"status.rel.{relation}", lang), detail=details(pieces),
             **words.common(lang, status))


def annual_pct(lang: str, *, words: Words, status: str, reported: float, attainment: float | None) -> str:
    """An annual figure judged by its reported % of plan."""
    pieces = [t("status.src.reported", lang)]
    if words.ind.direction == "down" and attainment is not None:
        pieces.append(t("status.detail.attainment_pct_down", lang, attainment=_pct(attainment, lang)))
    return t("status.explain.annual_pct", lang, pct=_pct(reported, lang), detail=details(pieces),
             **words.common(lang, status))


def pace(lang: str, *, words: Words, status: str, pct: float, computed: bool, plan: Plan | None, share: float,
         seasonal: bool, pace_value: float, down: bool, rules: Rules) -> str:
    """A partial-year flow: % of the annual plan against the share expected by now."""
    thresholds = {"on_track": wording.number(rules.pace_on_track, lang),
                  "at_risk": wording.number(rules.pace_at_risk, lang)}
    if computed:
        source = t("status.src.computed", lang, figure=words.amount(wording.point(words.figure), lang, 6),
                   plan=words.amount(plan.plan_number, lang, words.plan_digits))
    else:
        source = t("status.src.reported", lang)
    share_source = t("status.src.seasonal" if seasonal else "status.src.year_share", lang)
    pace_text = "∞" if math.isinf(pace_value) else wording.number(pace_value, lang, 2)
    return t(
        "status.explain.pace", lang, pct=_pct(pct, lang), pct_source=source, share=_pct(share * 100, lang),
        share_source=share_source, pace=pace_text, comparison=t(f"status.cmp.{status}", lang, **thresholds),
        detail=details([words.implied(lang) if computed else "", t("status.detail.pace_down", lang) if down else ""]),
        **words.common(lang, status),
    )


def direct_pct(lang: str, *, words: Words, status: str, reported: float, shortfall: float, rules: Rules) -> str:
    """A partial-year rate or level judged by its reported % of the annual plan."""
    pieces = [t("status.src.reported", lang)]
    if status != "on_track":
        key = "status.detail.gap_within" if status == "at_risk" else "status.detail.gap_beyond"
        gap = wording.with_unit(wording.number(abs(shortfall), lang, 1), t("status.unit.pp", lang))
        pieces.append(t(key, lang, bound=_pct(100, lang), gap=gap, margin=_pct(rules.at_risk_margin * 100, lang, 2)))
    return t("status.explain.direct_pct", lang, pct=_pct(reported, lang), detail=details(pieces),
             **words.common(lang, status))
