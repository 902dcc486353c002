"""The status engine's thresholds (SPEC §4), as data: data/status_rules.toml
read into a `Rules` the first time a judgement asks for them (never at
import), and checked so that an unknown, missing or out-of-range setting is
a TrackerError naming it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from tracker import settings
from tracker.rules_toml import check_keys, load, number, rules_error
from tracker.schema import PERIODS

RULES_PATH = settings.get("rules")  # $PLAN_RULES, else data/status_rules.toml

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
# (tracker/fiveyear.py, tracker/projection.py); tracker/rules_toml.py reads and checks the file.
_OTHER_SECTIONS = ("fiveyear", "projection")


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


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules from a TOML file (default data/status_rules.toml). Every
    setting must be there and known: an unknown, missing or out-of-range
    setting raises TrackerError naming it."""
    data, path = load(path if path is not None else RULES_PATH)
    check_keys(data, tuple(_SECTIONS) + _TABLES + _OTHER_SECTIONS, "", path)
    values: dict[str, float] = {}
    for section, names in _SECTIONS.items():
        if not isinstance(data[section], dict):
            raise rules_error("bad_value", path, setting=section, value=repr(data[section]))
        check_keys(data[section], names, f"{section}.", path)
        for name in names:
            values[name] = data[section][name]
    for name in ("approx_tolerance", "exceed_margin", "at_risk_margin"):
        values[name] = number(values[name], name, path, 0.0, 1.0)
    values["pace_on_track"] = number(values["pace_on_track"], "pace_on_track", path, 0.0, 10.0, low_open=True)
    values["pace_at_risk"] = number(values["pace_at_risk"], "pace_at_risk", path, 0.0, values["pace_on_track"], low_open=True)
    values["rounding_pp"] = number(values["rounding_pp"], "rounding_pp", path, 0.0, 100.0)

    year_share = data["year_share"]
    if not isinstance(year_share, dict):
        raise rules_error("bad_value", path, setting="year_share", value=repr(year_share))
    check_keys(year_share, PARTIAL_PERIODS, "year_share.", path)
    shares = {p: number(year_share[p], f"year_share.{p}", path, 0.0, 1.0, low_open=True) for p in PARTIAL_PERIODS}

    expected_share = data["expected_share"]
    if not isinstance(expected_share, dict):
        raise rules_error("bad_value", path, setting="expected_share", value=repr(expected_share))
    seasonal = {}
    for indicator_id, periods in expected_share.items():
        if not isinstance(periods, dict):
            raise rules_error("bad_value", path, setting=f"expected_share.{indicator_id}", value=repr(periods))
        check_keys(periods, PARTIAL_PERIODS, f"expected_share.{indicator_id}.", path, required=False)
        seasonal[indicator_id] = MappingProxyType({
            p: number(v, f"expected_share.{indicator_id}.{p}", path, 0.0, 1.0, low_open=True) for p, v in periods.items()
        })
    return Rules(
        **values, year_share=MappingProxyType(shares), expected_share=MappingProxyType(seasonal),
    )


@cache
def current() -> Rules:
    """The rules of data/status_rules.toml, read once on first use."""
    return load_rules()


def annual_period(period: str) -> str:
    """The period whose target a figure of `period` is judged against: the
    figure's own for FY and H2, else the full year."""
    return period if period in ANNUAL_PERIODS else "FY"
