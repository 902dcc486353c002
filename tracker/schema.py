"""The tidy data contract (SPEC §3): column orders, vocabularies and the one
pandera schema per table that every write goes through (built on the first
write, so that reading never imports pandera)."""

from __future__ import annotations

import functools
import re

import pandas as pd
import pyarrow as pa_arrow

# Vocabularies. H2 is the second half on its own (not cumulative): the plans
# set targets for "6 tháng cuối năm".
PERIODS = ("FY", "H1", "H2", "9M", "Q1", "Q2", "Q3", "Q4") + tuple(f"M{m:02d}" for m in range(1, 13))
# Five-year (and other multi-year) plans: "P2021_2025" spans 2021 to 2025 and
# is stored under its last year; its form (average growth, level by the end,
# total) is the indicator's measure: see tracker/fiveyear.py.
MULTI_YEAR = re.compile(r"^P(\d{4})_(\d{4})$")
KINDS = ("target", "estimate", "actual")
QUALIFIERS = ("exact", "approx", "range", "at_least", "at_most")
DIRECTIONS = ("up", "down", "band")
MEASURES = ("flow", "rate", "level")
GROUPS = (
    "economy", "trade", "budget", "investment", "agriculture", "industry_services",
    "society", "health", "education", "environment", "governance",
)
TASK_STATUSES = ("not_started", "in_progress", "done")
YEAR_MIN, YEAR_MAX = 1990, 2100


def span(period: str) -> tuple[int, int] | None:
    """The first and last year of a multi-year period ("P2021_2025" ->
    (2021, 2025)); None for any other text or a span that does not run forward."""
    found = MULTI_YEAR.match(period) if isinstance(period, str) else None
    if not found:
        return None
    first, last = int(found.group(1)), int(found.group(2))
    return (first, last) if YEAR_MIN <= first < last <= YEAR_MAX else None


def is_period(period: str) -> bool:
    """Whether `period` is in the contract: a period of one year or a span."""
    return period in PERIODS or span(period) is not None


def multi_year(periods: pd.Series) -> pd.Series:
    """Which of these periods are multi-year spans (vectorised)."""
    return periods.astype("string").str.fullmatch(MULTI_YEAR.pattern).fillna(False).astype(bool)


def _span_years(periods: pd.Series) -> pd.DataFrame:
    """The first (0) and last (1) year of each multi-year period, NA for
    the others. Each distinct period is read once: an upload's 100,000 rows
    hold a handful of periods, and a regex per row cost a fifth of a preview."""
    codes, distinct = pd.factorize(periods.astype("string"), use_na_sentinel=True)
    years = pd.Series(distinct, dtype="string").str.extract(MULTI_YEAR.pattern).astype("Float64")
    return years.reindex(codes).set_axis(periods.index)  # code -1 (no period): NA


def _known_period(periods: pd.Series) -> pd.Series:
    """Periods in the contract; a span must run forward within the years
    the contract allows (vectorised: uploads check 100,000 rows at once)."""
    bounds = _span_years(periods)
    forward = (bounds[0] < bounds[1]) & (bounds[0] >= YEAR_MIN) & (bounds[1] <= YEAR_MAX)
    return (periods.isin(PERIODS) | forward.fillna(False)).astype(bool)


def _span_ends_in_year(frame: pd.DataFrame) -> pd.Series:
    """A multi-year figure is stored under its span's last year."""
    last = _span_years(frame["period"])[1]
    return (last.isna() | (last == pd.to_numeric(frame["year"], errors="coerce"))).fillna(False).astype(bool)

OBSERVATION_KEY = ["indicator_id", "area_id", "year", "period", "kind"]
OBSERVATION_COLUMNS = OBSERVATION_KEY + [
    "value", "low", "high", "qualifier", "pct_of_plan", "yoy_pct", "source", "note",
]
OBSERVATION_NUMBERS = ["value", "low", "high", "pct_of_plan", "yoy_pct"]
# Written by the store on every publish; never part of an upload.
PUBLISH_COLUMNS = ["published_at", "published_by", "publish_id"]

TASK_REPORT_KEY = ["task_id", "agency_id", "year"]
# Catalogue rows valid over dates, with their successors (SPEC §3, §11).
TIME_COLUMNS = ["valid_from", "valid_to", "successor_ids", "legal_source"]
TASK_REPORT_COLUMNS = TASK_REPORT_KEY + ["status", "summary", "reported_on"]

CATALOGUE_COLUMNS = {
    "indicators": [
        "indicator_id", "parent_id", "group", "name_vi", "name_en", "unit_vi", "unit_en",
        "direction", "measure", "decimals", "min_value", "max_value", "whole_number",
    ],
    "areas": [
        "area_id", "parent_id", "level", "name_vi", "name_en", "border", "code", *TIME_COLUMNS, "note",
    ],
    "agencies": ["agency_id", "plan_item", "name_vi", "name_en", "agency_type", *TIME_COLUMNS, "note"],
    "tasks": ["task_id", "plan_id", "agency_id", "seq", "focus_task_id", "text_vi", "text_en", "section"],
    "plans": [
        "plan_id", "number", "issued_on", "issuer_vi", "signer", "title_vi", "title_en", "implements",
        "report_deadline_month", "report_deadline_day", "summary_month", "summary_to_vi",
        "area_id", "compiler_agency_id", "time_zone",
    ],
    "plan_items": ["plan_id", "item_type", "item_id", "seq", "text_vi", "text_en", "section"],
    # Where an agency's work was split between successors: who took each task.
    "task_successions": ["task_id", "agency_id", "successor_id", "legal_source", "note"],
    # Built from the seed figures' source_url and reliability columns (loaders/seed.py).
    "sources": ["source", "source_url", "reliability"],
}
RELIABILITY = ("official", "press", "translation")
# Catalogue columns a seed folder may leave out (read as empty): the time
# columns (empty = valid throughout, no successor) and optional notes; a
# missing task_successions.csv is an empty table.
OPTIONAL_COLUMNS = {*TIME_COLUMNS, "code", "note"}
OPTIONAL_TABLES = {"task_successions"}

@functools.cache
def _schemas() -> dict:
    """The pandera schema of each table that has one, built on first use:
    pandera takes 1-2.5 s to import, and reading the store (a chart, a
    page, an export) never checks anything against it."""
    import pandera.pandas as pa  # a heavy import on the write path only (see above)

    text = pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1))
    number = pa.Column(float, nullable=True, coerce=True)

    observations = pa.DataFrameSchema(
        {
            "indicator_id": text,
            "area_id": text,
            "year": pa.Column(int, pa.Check.in_range(YEAR_MIN, YEAR_MAX), coerce=True),
            "period": pa.Column(str, pa.Check(_known_period, error="period is not FY, H1, H2, 9M, Qn, Mnn or P<first>_<last>")),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
            "value": number,
            "low": number,
            "high": number,
            "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
            "pct_of_plan": number,
            "yoy_pct": number,
            "source": text,
            "note": pa.Column(str, nullable=True),
        },
        checks=[
            pa.Check(lambda df: ~(df["low"] > df["high"]), error="low above high"),
            pa.Check(_span_ends_in_year, error="a multi-year figure is stored under the last year of its span"),
            pa.Check(
                lambda df: (df["qualifier"] != "range") | (df["low"].notna() & df["high"].notna()),
                error="a range needs low and high",
            ),
            pa.Check(
                lambda df: df["value"].notna() | df["low"].notna() | df["high"].notna()
                | df["pct_of_plan"].notna() | df["yoy_pct"].notna(),
                error="a figure needs a value, a bound, a % of plan or a % on last year",
            ),
        ],
        unique=OBSERVATION_KEY,
        strict=True,
        ordered=True,
    )

    task_reports = pa.DataFrameSchema(
        {
            "task_id": text,
            "agency_id": text,
            "year": pa.Column(int, pa.Check.in_range(YEAR_MIN, YEAR_MAX), coerce=True),
            "status": pa.Column(str, pa.Check.isin(TASK_STATUSES)),
            "summary": pa.Column(str, nullable=True),
            "reported_on": pa.Column("datetime64[ns]", nullable=True, coerce=True),
        },
        unique=TASK_REPORT_KEY,
        strict=True,
        ordered=True,
    )

    indicators = pa.DataFrameSchema(
        {
            "indicator_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"), unique=True),
            "parent_id": pa.Column(str, nullable=True),
            "group": pa.Column(str, pa.Check.isin(GROUPS)),
            "name_vi": text,
            "name_en": text,
            "unit_vi": text,
            "unit_en": text,
            "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
            "measure": pa.Column(str, pa.Check.isin(MEASURES)),
            "decimals": pa.Column(int, pa.Check.in_range(0, 6), coerce=True),
            # Plausibility (issue 11): the values an upload may hold for the indicator; empty = no bound.
            "min_value": pa.Column(float, nullable=True, coerce=True),
            "max_value": pa.Column(float, nullable=True, coerce=True),
            "whole_number": pa.Column(bool, coerce=True),
        },
        checks=pa.Check(
            lambda df: df["parent_id"].isna() | df["parent_id"].isin(df["indicator_id"]),
            error="parent_id is not in the catalogue",
        ),
        strict=True,
        ordered=True,
    )

    return {"observations": observations, "task_reports": task_reports, "indicators": indicators}


# Arrow types of the stored tables, so every commit has the same schema.
_ARROW_TYPES = {
    "year": pa_arrow.int64(),
    "value": pa_arrow.float64(), "low": pa_arrow.float64(), "high": pa_arrow.float64(),
    "pct_of_plan": pa_arrow.float64(), "yoy_pct": pa_arrow.float64(),
    "decimals": pa_arrow.int64(), "min_value": pa_arrow.float64(), "max_value": pa_arrow.float64(),
    "whole_number": pa_arrow.bool_(), "plan_item": pa_arrow.int64(), "seq": pa_arrow.int64(),
    "report_deadline_month": pa_arrow.int64(), "report_deadline_day": pa_arrow.int64(),
    "summary_month": pa_arrow.int64(),
    "border": pa_arrow.bool_(),
    "reported_on": pa_arrow.timestamp("us"),
    "published_at": pa_arrow.timestamp("us", tz="UTC"),
}


def arrow_schema(columns: list[str]) -> pa_arrow.Schema:
    """The Arrow schema for a table with these columns: known numeric, date and
    flag columns typed, everything else a string."""
    return pa_arrow.schema([(c, _ARROW_TYPES.get(c, pa_arrow.string())) for c in columns])


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame checked (and coerced) against its table's schema; raises
    pandera's SchemaErrors listing every failure. Tables without a schema
    only have their column order checked."""
    schema = _schemas().get(table)
    if schema is None:
        expected = CATALOGUE_COLUMNS[table]
        if list(frame.columns) != expected:
            raise ValueError(f"{table}: columns {list(frame.columns)} are not {expected}")
        return frame
    return schema.validate(frame, lazy=True)
