"""Data-quality notes (SPEC §4): a reported % of plan or change on last year
that disagrees with what the stored figures imply by more than rounding."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from tracker import fmt, wording
from tracker.i18n import t
from tracker.status.facts import Indicator, get, number
from tracker.status.implied import implied_targets, implying
from tracker.status.rules import Rules, annual_period, current

QUALITY_COLUMNS = [
    "indicator_id", "area_id", "year", "period", "kind", "check", "reported", "implied", "note_vi", "note_en",
]


def _plan_numbers(target: Mapping) -> list[float]:
    """The numbers a reported "% of plan" may have been taken against."""
    qualifier = get(target, "qualifier") or "exact"
    value, low, high = number(target, "value"), number(target, "low"), number(target, "high")
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
            f"status.quality.{check}", lang, diff=wording.number(diff, lang, 2), tolerance=wording.number(tolerance, lang), **words[lang],
        ) for lang in ("vi", "en")},
    }


def quality_notes(observations: pd.DataFrame, indicators: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Reported pct_of_plan and yoy_pct that disagree with the stored figures
    by more than the rounding tolerance: pct_of_plan against value / the
    target of the same year (FY; H2 for an H2 figure), yoy_pct against the
    value of the same period a year earlier, actual before estimate (flow and
    level indicators only: a rate's change on last year is the rate itself).
    One row per disagreement, with a note in each language."""
    rules = rules or current()
    catalogue = {row["indicator_id"]: row for row in indicators.to_dict("records")}
    records = observations.to_dict("records")
    # One lookup per key instead of filtering the frame for every figure.
    by_key = {(r["indicator_id"], r["area_id"], int(r["year"]), r["period"], r["kind"]): r for r in records}
    tolerance = rules.rounding_pp
    notes = []
    for row in records:
        indicator = catalogue.get(row["indicator_id"])
        value = number(row, "value")
        if row["kind"] == "target" or indicator is None or value is None:
            continue
        ind = Indicator.of(indicator)
        key = {c: row[c] for c in ("indicator_id", "area_id", "year", "period", "kind")}
        year = int(row["year"])

        reported = number(row, "pct_of_plan")
        wanted = annual_period(row["period"])
        target = by_key.get((row["indicator_id"], row["area_id"], year, wanted, "target"))
        numbers = _plan_numbers(target) if reported is not None and target is not None else []
        if numbers:
            # Against a range the report may have used either end: anything between agrees.
            implied_all = [value / n * 100 for n in numbers]
            implied = min(max(reported, min(implied_all)), max(implied_all))
            if abs(reported - implied) > tolerance + 1e-9:
                notes.append(_quality_note("pct_of_plan", key, reported, implied, tolerance, {
                    lang: {
                        "reported": wording.percent(reported, lang), "implied": wording.percent(implied, lang),
                        "figure": wording.with_unit(wording.number(value, lang), ind.unit[lang]),
                        "target": wording.quantity(target, lang, ind.unit[lang]),
                    } for lang in ("vi", "en")
                }))

        reported = number(row, "yoy_pct")
        if reported is None or ind.measure not in ("flow", "level"):
            continue
        last_year = (row["indicator_id"], row["area_id"], year - 1, row["period"])
        previous = by_key.get((*last_year, "actual")) or by_key.get((*last_year, "estimate"))
        before = number(previous, "value")
        if before is not None and before > 0:
            implied = (value / before - 1) * 100
            if abs(reported - implied) > tolerance + 1e-9:
                notes.append(_quality_note("yoy_pct", key, reported, implied, tolerance, {
                    lang: {
                        "reported": fmt.percent(reported, None, lang, signed=True),
                        "implied": fmt.percent(round(implied, 2), None, lang, signed=True),
                        "figure": wording.with_unit(wording.number(value, lang), ind.unit[lang]),
                        "previous": wording.with_unit(wording.number(before, lang), ind.unit[lang]), "previous_year": year - 1,
                    } for lang in ("vi", "en")
                }))
    notes += _implied_disagreements(observations, catalogue, rules)
    frame = pd.DataFrame(notes, columns=QUALITY_COLUMNS)
    return frame.astype({"year": "int64", "reported": "float64", "implied": "float64"})


def _implied_disagreements(observations: pd.DataFrame, catalogue: dict, rules: Rules) -> list[dict]:
    """Figures of a year without a target row whose reported % of plan
    implies another plan than the one used (the latest report's) by more
    than rounding: their % against the plan used is compared with the
    reported one."""
    used = {
        (r["indicator_id"], r["area_id"], int(r["year"]), r["period"]): r
        for r in implied_targets(observations, rules).to_dict("records") if r["implied_count"] > 1
    }
    if not used:
        return []
    notes = []
    for row in implying(observations, rules).to_dict("records"):
        target = used.get((row["indicator_id"], row["area_id"], int(row["year"]), row["_annual"]))
        indicator = catalogue.get(row["indicator_id"])
        if target is None or indicator is None or (row["kind"], row["period"]) == (
                target["implied_from_kind"], target["implied_from_period"]):
            continue
        reported, against = row["pct_of_plan"], row["_point"] / target["value"] * 100
        if abs(reported - against) <= rules.rounding_pp + 1e-9:
            continue
        ind = Indicator.of(indicator)
        key = {c: row[c] for c in ("indicator_id", "area_id", "year", "period", "kind")}

        def amount(x: float, lang: str, ind=ind) -> str:
            return wording.with_unit(wording.number(x, lang, ind.decimals), ind.unit[lang])

        notes.append(_quality_note("implied_target", key, reported, against, rules.rounding_pp, {
            lang: {
                "reported": wording.percent(reported, lang), "implied": wording.percent(against, lang),
                "figure": amount(row["_point"], lang), "own": amount(row["_implied"], lang),
                "used": amount(target["value"], lang),
                "used_from": wording.figure_label(target["implied_from_kind"], target["implied_from_period"], lang).lower(),
            } for lang in ("vi", "en")
        }))
    return notes
