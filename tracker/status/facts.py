"""The facts a judgement is made of: a cell of an observation or catalogue
row, the catalogue's view of an indicator, a target as the interval in
which a figure counts as met, and where a figure lies against it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tracker import fmt
from tracker.status.rules import Rules


def get(row: Mapping | None, column: str):
    """A cell of an observation or catalogue row; None when absent or missing."""
    if row is None:
        return None
    value = row.get(column) if hasattr(row, "get") else None
    return None if fmt.is_missing(value) else value


def number(row: Mapping | None, column: str) -> float | None:
    value = get(row, column)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    direction: str
    measure: str
    decimals: int
    unit: Mapping[str, str]

    @classmethod
    def of(cls, row: Mapping) -> Indicator:
        decimals = get(row, "decimals")
        return cls(
            indicator_id=str(get(row, "indicator_id") or ""),
            direction=str(get(row, "direction") or "up"),
            measure=str(get(row, "measure") or "level"),
            decimals=int(decimals) if decimals is not None else 2,
            unit={lang: str(get(row, f"unit_{lang}") or get(row, "unit_vi") or "") for lang in ("vi", "en")},
        )


@dataclass(frozen=True)
class Plan:
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


def plan_of(target: Mapping | None, direction: str, rules: Rules) -> Plan | None:
    """The target row as a met interval; None when it carries no usable number."""
    if target is None:
        return None
    qualifier = get(target, "qualifier") or "exact"
    value, low, high = number(target, "value"), number(target, "low"), number(target, "high")
    if qualifier in ("exact", "approx") and value is None:
        if low is not None and high is not None:
            qualifier = "range"
        else:
            value = low if low is not None else high
    if qualifier == "exact":
        return None if value is None else Plan("exact", direction, value, value, value, value)
    if qualifier == "approx":
        if value is None:
            return None
        tolerance = rules.approx_tolerance * abs(value)
        return Plan("approx", direction, value - tolerance, value + tolerance, value, value, tolerance)
    if qualifier == "range":
        low = low if low is not None else value
        high = high if high is not None else value
        if low is None or high is None:
            return None
        return Plan("range", direction, low, high, low, high)
    if qualifier == "at_least":
        bound = low if low is not None else value
        judged = "band" if direction == "band" else "up"
        return None if bound is None else Plan("at_least", judged, bound, None, bound, None)
    if qualifier == "at_most":
        bound = high if high is not None else value
        judged = "band" if direction == "band" else "down"
        return None if bound is None else Plan("at_most", judged, None, bound, None, bound)
    return None


def compare(a: float, b: float, decimals: int) -> int:
    """-1, 0 or 1: `a` against `b`, equal when they agree to `decimals`."""
    diff = a - b
    if abs(diff) < 0.5 * 10 ** -decimals - 1e-12:
        return 0
    return 1 if diff > 0 else -1


def position(point: float, plan: Plan, decimals: int) -> str:
    """Where a figure lies against the met interval: below, inside, above."""
    if plan.low is not None and compare(point, plan.low, decimals) < 0:
        return "below"
    if plan.high is not None and compare(point, plan.high, decimals) > 0:
        return "above"
    return "inside"


def attainment(point: float, plan: Plan) -> float | None:
    bound = plan.deciding_bound
    if bound is None:
        return None
    if plan.direction == "up":
        return point / bound * 100 if bound > 0 and point >= 0 else None
    return bound / point * 100 if point > 0 and bound >= 0 else None
