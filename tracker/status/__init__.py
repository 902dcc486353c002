"""Targets against actuals (SPEC §4): the one package that decides the status
of a figure against its target and says how it decided, in Vietnamese and
English. Pure: pandas in, dataclasses and frames out; no Streamlit.

- `rules`: the thresholds, data/status_rules.toml, read on first use;
- `judge`: the verdict, and the one picker of figure and target (`pick`);
- `explain`: the verdict in words, with the rule and the numbers;
- `quality`: reported percentages that disagree with the figures.

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
  The plans write "trên X" (over) for at_least too; it is judged as ≥ X
  (stored without a value, so it is said back as "trên X").
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
- Where a year has no target row, the plan a figure's reported pct_of_plan
  implies (figure ÷ % × 100, see implied.py) stands in for it, labelled as
  implied; the figure that implied it is judged by its own reported %.
- A reported pct_of_plan stands in for a missing target (or a figure
  without a value): annual exceeded above 100, met at 100, not_met below
  (mirrored for `down`); partial-year as above.
- A range figure ("ước 8 - 9%") is judged by its midpoint; a one-sided figure
  ("trên 1,6 triệu") by its bound.
"""

from __future__ import annotations

from tracker.status.implied import IMPLIED_COLUMNS, implied_targets, with_implied_targets
from tracker.status.judge import (
    ACHIEVED,
    MET,
    NOT_ACHIEVED,
    STATUSES,
    UNJUDGED,
    Judgement,
    Picked,
    judge,
    pick,
)
from tracker.status.quality import QUALITY_COLUMNS, quality_notes
from tracker.status.rules import (
    ANNUAL_PERIODS,
    PARTIAL_PERIODS,
    RULES_PATH,
    Rules,
    annual_period,
    current,
    load_rules,
)

__all__ = [
    "ACHIEVED", "ANNUAL_PERIODS", "IMPLIED_COLUMNS", "MET", "NOT_ACHIEVED", "PARTIAL_PERIODS", "QUALITY_COLUMNS", "RULES_PATH",
    "STATUSES", "UNJUDGED", "Judgement", "Picked", "Rules", "annual_period", "current", "implied_targets", "judge",
    "load_rules", "pick", "quality_notes", "with_implied_targets",
]


def __getattr__(name: str):
    # `status.RULES` reads the settings on first use, not when the package is imported.
    if name == "RULES":
        return current()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
