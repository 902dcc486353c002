"""Implied annual targets (SPEC §4): a figure that carries a reported % of
plan ("đạt 50,4% kế hoạch", "đạt 41,4% dự toán") states that year's plan
without writing it: plan = figure ÷ % × 100. Where the year has no target
row, the implied plan stands in for it, labelled as implied wherever it
shows, and the year's estimates and actuals are judged against it.

When several figures imply a plan for one year (H1 and 9M), the latest
report is used (the period furthest into the year; an actual before an
estimate of the same period); tracker.status.quality flags the others when
they disagree beyond rounding."""

from __future__ import annotations

import pandas as pd

from tracker.schema import OBSERVATION_COLUMNS
from tracker.status.rules import Rules, annual_period, current

# Besides the observation columns: how the target was found ("implied"), the
# figure it was derived from, and how many figures implied one for that year.
IMPLIED_COLUMNS = OBSERVATION_COLUMNS + [
    "basis", "implied_from_kind", "implied_from_period", "implied_from_value", "implied_from_pct", "implied_count",
]
_GROUP = ["indicator_id", "area_id", "year", "_annual"]


def points(rows: pd.DataFrame) -> pd.Series:
    """Column-wise wording.point: the value, else the range's middle, else the one bound."""
    middle = (rows["low"] + rows["high"]) / 2
    return rows["value"].astype("float64").fillna(middle).fillna(rows["low"]).fillna(rows["high"])


def implying(observations: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """The figures that imply an annual plan: an estimate or actual with a
    number and a positive reported % of plan, with the annual period they
    imply (`_annual`), the plan they imply (`_implied`) and their order
    (`_share`: how far into the year; later reports sort last)."""
    rules = rules or current()
    rows = observations[(observations["kind"] != "target") & (observations["pct_of_plan"] > 0)]
    rows = rows.assign(_point=points(rows))
    rows = rows[rows["_point"].notna()]
    return rows.assign(
        _annual=rows["period"].map(annual_period),
        _implied=rows["_point"] / rows["pct_of_plan"] * 100,
        _share=rows["period"].map(lambda p: rules.year_share.get(p, 1.0)),
        _actual=rows["kind"] == "actual",
    ).sort_values(["_share", "_actual"], kind="stable")


def implied_targets(observations: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """One implied target row (columns IMPLIED_COLUMNS) per indicator, area,
    year and annual period (FY; H2 for an H2 figure) that has no target row
    of its own but at least one figure with a number and a reported % of
    plan. Its value is the latest such figure ÷ its % × 100."""
    rows = implying(observations, rules)
    if rows.empty:
        return pd.DataFrame(columns=IMPLIED_COLUMNS)
    stated = observations.loc[observations["kind"] == "target", ["indicator_id", "area_id", "year", "period"]]
    stated = stated.rename(columns={"period": "_annual"}).drop_duplicates().assign(_stated=True)
    rows = rows.merge(stated, on=_GROUP, how="left")
    rows = rows[rows["_stated"].isna()]
    if rows.empty:
        return pd.DataFrame(columns=IMPLIED_COLUMNS)
    groups = rows.groupby(_GROUP, sort=False)
    chosen = groups.tail(1).merge(groups.size().rename("implied_count").reset_index(), on=_GROUP)
    out = pd.DataFrame({
        "indicator_id": chosen["indicator_id"], "area_id": chosen["area_id"], "year": chosen["year"],
        "period": chosen["_annual"], "kind": "target", "value": chosen["_implied"], "low": float("nan"),
        "high": float("nan"), "qualifier": "exact", "pct_of_plan": float("nan"), "yoy_pct": float("nan"),
        "source": chosen["source"], "note": None, "basis": "implied",
        "implied_from_kind": chosen["kind"], "implied_from_period": chosen["period"],
        "implied_from_value": chosen["_point"], "implied_from_pct": chosen["pct_of_plan"],
        "implied_count": chosen["implied_count"].astype("int64"),
    }, columns=IMPLIED_COLUMNS)
    return out.reset_index(drop=True)


def with_implied_targets(observations: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """The observations and, after them, the implied target rows (columns
    of IMPLIED_COLUMNS; `basis` "implied", empty for stored rows): what a
    chart draws so that an implied plan shows as a marker, labelled with
    wording.target_text."""
    implied = implied_targets(observations, rules)
    if implied.empty:
        return observations
    return pd.concat([observations, implied], ignore_index=True)
