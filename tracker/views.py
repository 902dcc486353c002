"""What the views pick and how they name it: which years and periods hold
figures, the view a leader lands on, and the words for periods, kinds of
figure and values ("6 tháng đầu năm 2018", "ước thực hiện", "8 - 9").
Pure: pages and charts ask here, nothing here knows Streamlit."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from tracker import fmt, status
from tracker.i18n import t
from tracker.schema import PERIODS

DEFAULT_AREA = "VN-09"

# Periods in the order they close within a year (H2 and FY close last).
PERIOD_ORDER = (
    "M01", "M02", "M03", "Q1", "M04", "M05", "M06", "Q2", "H1", "M07", "M08", "M09", "Q3", "9M",
    "M10", "M11", "M12", "Q4", "H2", "FY",
)
assert set(PERIOD_ORDER) == set(PERIODS)
RANK = {period: i for i, period in enumerate(PERIOD_ORDER)}
PARTIAL = tuple(p for p in PERIOD_ORDER if p != "FY")
KIND_ORDER = ("actual", "estimate", "target")

# A symbol per status so that a chip reads without colour (and in grayscale).
STATUS_SYMBOLS = {
    "exceeded": "▲", "met": "✔", "inside": "✔", "on_track": "●", "at_risk": "◐", "behind": "▼",
    "not_met": "✖", "above": "↑", "below": "↓", "no_target": "○", "no_data": "–",
}

_SOURCE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def status_label(code: str, lang: str) -> str:
    """The status engine's words for a status, capitalised: "Chậm tiến độ"."""
    text = status.status_label(code, lang)
    return text[:1].upper() + text[1:]


def status_text(code: str, lang: str) -> str:
    """A status as a chip reads: symbol and words, "● Đúng tiến độ"."""
    return f"{STATUS_SYMBOLS.get(code, '–')} {status_label(code, lang)}"


def period_label(period: str, lang: str) -> str:
    """"6 tháng đầu năm", "cả năm", "đến hết tháng 5", "quý I"."""
    if period.startswith("M"):
        return t("views.period.M", lang, month=int(period[1:]))
    return t(f"views.period.{period}", lang)


def slot_label(year: int, period: str, lang: str) -> str:
    """A short axis label for one year and period: "6 tháng đầu 2018", "Năm 2019"."""
    if period.startswith("M"):
        return t("views.slot.M", lang, month=int(period[1:]), year=int(year))
    return t(f"views.slot.{period}", lang, year=int(year))


def when_label(year: int, period: str, lang: str) -> str:
    """A period of a year as a phrase: "6 tháng đầu năm 2018", "cả năm 2019"."""
    if period.startswith("M"):
        return t("views.when.M", lang, month=int(period[1:]), year=int(year))
    return t(f"views.when.{period}", lang, year=int(year))


def kind_label(kind: str, lang: str) -> str:
    """"Thực hiện", "Ước thực hiện", "Kế hoạch"."""
    return t(f"views.kind.{kind}", lang)


def figure_label(kind: str, period: str, lang: str, year: int | None = None) -> str:
    """A kind of figure with its period, as reports write it: "Thực hiện 6
    tháng đầu năm", "Ước thực hiện cả năm 2018", "Kế hoạch năm 2019"."""
    when = period_label(period, lang) if year is None else when_label(year, period, lang)
    return t("views.figure", lang, kind=kind_label(kind, lang), when=when)


def value_text(row, decimals: int | None, lang: str, unit: str = "") -> str:
    """A stored figure as people write it: "7,98", "8 - 9", "khoảng 304",
    "≥ 3.600", with the unit after it when given ("%" sticks to the number)."""
    qualifier = row.get("qualifier") or "exact"
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    # Rounded to the indicator's digits, trailing zeros dropped: "8 - 9", "7,98".
    num = lambda x: fmt.number(round(float(x), decimals) if decimals is not None else x, None, lang)  # noqa: E731
    if not fmt.is_missing(low) and not fmt.is_missing(high):
        text = t("views.value.range", lang, low=num(low), high=num(high))
    elif qualifier == "at_least" and not fmt.is_missing(low if not fmt.is_missing(low) else value):
        text = t("views.value.at_least", lang, value=num(low if not fmt.is_missing(low) else value))
    elif qualifier == "at_most" and not fmt.is_missing(high if not fmt.is_missing(high) else value):
        text = t("views.value.at_most", lang, value=num(high if not fmt.is_missing(high) else value))
    elif not fmt.is_missing(value):
        text = num(value)
        if qualifier == "approx":
            text = t("views.value.approx", lang, value=text)
    else:
        return ""
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def point(row) -> float | None:
    """The one number that places a figure on a chart: the value, else the
    middle of its range, else its bound."""
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    if not fmt.is_missing(value):
        return float(value)
    if not fmt.is_missing(low) and not fmt.is_missing(high):
        return (float(low) + float(high)) / 2
    for bound in (low, high):
        if not fmt.is_missing(bound):
            return float(bound)
    return None


def source_date(source: str) -> date | None:
    """The date written in a source ("120/KH-UBND 10/8/2018" -> 10/8/2018)."""
    if not isinstance(source, str):
        return None
    found = _SOURCE_DATE.findall(source)
    if not found:
        return None
    d, m, y = (int(x) for x in found[-1])
    try:
        return date(y, m, d)
    except ValueError:
        return None


def figures_date(rows: pd.DataFrame) -> date | None:
    """The date of a set of figures: the newest date their sources carry,
    else the day they were published into the store."""
    if rows is None or rows.empty:
        return None
    dates = [d for d in (source_date(s) for s in rows["source"].dropna().unique()) if d is not None]
    if dates:
        return max(dates)
    if "published_at" in rows and rows["published_at"].notna().any():
        return pd.Timestamp(rows["published_at"].max()).date()
    return None


def sources(rows: pd.DataFrame) -> str:
    """The distinct sources of a set of figures, in order of first use."""
    if rows is None or rows.empty:
        return ""
    return "; ".join(dict.fromkeys(s for s in rows["source"].dropna() if s))


def area_rows(observations: pd.DataFrame, area_id: str = DEFAULT_AREA) -> pd.DataFrame:
    return observations[observations["area_id"] == area_id]


def years(observations: pd.DataFrame, area_id: str = DEFAULT_AREA) -> list[int]:
    """Every year from the first to the last that the area has any figure
    or target for, newest first (a year in between without data is listed,
    so the view can say plainly that it has none)."""
    rows = area_rows(observations, area_id)
    if rows.empty:
        return []
    first, last = int(rows["year"].min()), int(rows["year"].max())
    return list(range(last, first - 1, -1))


def periods(observations: pd.DataFrame, area_id: str = DEFAULT_AREA) -> list[str]:
    """The periods a reader can choose: the full year and every period
    that holds a figure or a target in some year (the plan's second-half
    targets make H2 a view), in calendar order."""
    rows = area_rows(observations, area_id)
    found = set(rows["period"]) | {"FY"}
    return [p for p in PERIOD_ORDER if p in found]


def has_figures(observations: pd.DataFrame, year: int, period: str, indicator_ids=None,
                area_id: str = DEFAULT_AREA) -> bool:
    """Whether any actual or estimated figure exists for the year and period
    (optionally among some indicators)."""
    rows = area_rows(observations, area_id)
    rows = rows[(rows["year"] == year) & (rows["period"] == period) & (rows["kind"] != "target")]
    if indicator_ids is not None:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
    return not rows.empty


def candidate_views(observations: pd.DataFrame, area_id: str = DEFAULT_AREA) -> list[tuple[int, str]]:
    """Every (year, period) that holds a figure, newest first."""
    rows = area_rows(observations, area_id)
    rows = rows[rows["kind"] != "target"][["year", "period"]].drop_duplicates()
    pairs = [(int(y), p) for y, p in rows.itertuples(index=False)]
    return sorted(pairs, key=lambda yp: (yp[0], RANK[yp[1]]), reverse=True)


def default_view(judged_counts: dict[tuple[int, str], int]) -> tuple[int, str] | None:
    """The view a leader lands on: the newest year with judged figures, and
    in it the period with the most of them (the later period on a tie).
    A full-year estimate of one or two figures does not hide the half-year
    report that judges twenty; a full-year report judging more takes over."""
    judged = {yp: n for yp, n in judged_counts.items() if n > 0}
    if not judged:
        return None
    newest = max(y for y, _ in judged)
    in_year = [(n, RANK[p], (y, p)) for (y, p), n in judged.items() if y == newest]
    return max(in_year)[2]


def short_name(name: str) -> str:
    """The part of a catalogue name after its colon ("Tốc độ tăng GRDP:
    dịch vụ" -> "Dịch vụ"), for categories of a breakdown chart."""
    if ": " not in name:
        return name
    tail = name.split(": ", 1)[1]
    return tail[:1].upper() + tail[1:]


def figure_words(row, lang: str, prefix: str = "figure") -> str:
    """A scorecard row's figure (or target, prefix "target") as a short
    text with its unit: "2.430 triệu USD", "8 - 9%"."""
    decimals = row.get("decimals")
    decimals = None if fmt.is_missing(decimals) else int(decimals)
    unit = row.get(f"unit_{lang}") or row.get("unit_vi") or ""
    return value_text(
        {"value": row.get(f"{prefix}_value"), "low": row.get(f"{prefix}_low"), "high": row.get(f"{prefix}_high"),
         "qualifier": row.get("target_qualifier") if prefix == "target" else None},
        decimals, lang, unit,
    )


def card_table(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A scorecard as leaders read it and download it: one row per
    indicator, headers in the language; attainment, % of plan and change on
    last year kept as numbers."""
    records = card.to_dict("records")
    col = lambda key: t(f"views.card.{key}", lang)  # noqa: E731
    figure_text = []
    for r in records:
        text = figure_words(r, lang)
        if text and r.get("figure_kind"):
            text = f"{figure_label(r['figure_kind'], r['figure_period'], lang)}: {text}"
        figure_text.append(text)
    return pd.DataFrame({
        col("group"): [t(f"views.group.{r['group']}", lang) for r in records],
        col("indicator"): [r.get(f"name_{lang}") or r["name_vi"] for r in records],
        col("status"): [status_text(r["status"], lang) for r in records],
        col("attainment"): card["attainment"].astype("float64").to_numpy(),
        col("figure"): figure_text,
        col("target"): [r.get(f"target_text_{lang}") or "" for r in records],
        col("pct_of_plan"): card["pct_of_plan"].astype("float64").to_numpy(),
        col("yoy"): card["yoy_pct"].astype("float64").to_numpy(),
        col("explanation"): [r.get(f"explanation_{lang}") or "" for r in records],
        col("source"): [r.get("source") or "" for r in records],
        col("indicator_id"): card["indicator_id"].to_numpy(),
        col("status_code"): card["status"].to_numpy(),
    })


def coverage(observations: pd.DataFrame, year: int, period: str, indicator_ids=None,
             area_id: str = DEFAULT_AREA) -> str:
    """What a view has for a year and period: "figures" (an actual or
    estimate of that period), "targets" (only targets that year) or "none"."""
    if has_figures(observations, year, period, indicator_ids, area_id):
        return "figures"
    rows = area_rows(observations, area_id)
    rows = rows[(rows["year"] == year) & (rows["kind"] == "target")]
    if indicator_ids is not None:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
    return "targets" if not rows.empty else "none"


def available_text(slots: list[tuple[int, str]], lang: str) -> str:
    """(year, period) pairs as a list people read: "6 tháng đầu 2018; Năm 2018"."""
    return "; ".join(slot_label(y, p, lang) for y, p in slots)


def revision_table(revisions: pd.DataFrame, indicator, lang: str) -> pd.DataFrame:
    """Every stored revision of an indicator's figures as people read it:
    the figure in the plan's words, source, when and by whom it was
    published, and whether it is the current one or was revised since."""
    col = lambda key: t(f"views.rev.{key}", lang)  # noqa: E731
    columns = [col(k) for k in ("year", "period", "kind", "figure", "value", "low", "high", "pct_of_plan", "yoy",
                                "source", "note", "published_at", "published_by", "state")]
    if revisions.empty:
        return pd.DataFrame(columns=columns)
    key = ["indicator_id", "area_id", "year", "period", "kind"]
    rows = revisions.sort_values("published_at", kind="stable")
    newest = rows.groupby(key, sort=False)["published_at"].transform("max")
    rows = rows.assign(
        _current=rows["published_at"] == newest, _rank=rows["period"].map(RANK),
        _kind=rows["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}),
    ).sort_values(["year", "_rank", "_kind", "published_at"], kind="stable")
    decimals = indicator.get("decimals")
    decimals = None if fmt.is_missing(decimals) else int(decimals)
    unit = indicator.get(f"unit_{lang}") or indicator.get("unit_vi") or ""
    records = rows.to_dict("records")
    frame = pd.DataFrame({
        columns[0]: rows["year"].astype("int64").to_numpy(),
        columns[1]: [period_label(r["period"], lang) for r in records],
        columns[2]: [kind_label(r["kind"], lang) for r in records],
        columns[3]: [value_text(r, decimals, lang, unit) for r in records],
        columns[4]: rows["value"].astype("float64").to_numpy(),
        columns[5]: rows["low"].astype("float64").to_numpy(),
        columns[6]: rows["high"].astype("float64").to_numpy(),
        columns[7]: rows["pct_of_plan"].astype("float64").to_numpy(),
        columns[8]: rows["yoy_pct"].astype("float64").to_numpy(),
        columns[9]: rows["source"].to_numpy(),
        columns[10]: [r["note"] if isinstance(r["note"], str) else "" for r in records],
        columns[11]: [_when(r["published_at"], lang) for r in records],
        columns[12]: rows["published_by"].to_numpy(),
        columns[13]: [t("views.rev.current" if r["_current"] else "views.rev.superseded", lang) for r in records],
    })
    return frame


def _when(stamp, lang: str) -> str:
    """A publish time as a date and a time of day (UTC)."""
    if fmt.is_missing(stamp):
        return ""
    stamp = pd.Timestamp(stamp)
    return f"{fmt.day(stamp, lang)} {stamp.strftime('%H:%M')} UTC"
