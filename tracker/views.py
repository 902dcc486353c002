"""What the views pick and how they name it: which years and periods hold
figures, the view a leader lands on, and the words for periods, kinds of
figure and values ("6 tháng đầu năm 2018", "ước thực hiện", "8 - 9").
Pure: pages and charts ask here, nothing here knows Streamlit."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from tracker import fmt, wording
from tracker.i18n import t
from tracker.schema import PERIODS, multi_year

# Periods in the order they close within a year (H2 and FY close last).
PERIOD_ORDER = (
    "M01", "M02", "M03", "Q1", "M04", "M05", "M06", "Q2", "H1", "M07", "M08", "M09", "Q3", "9M",
    "M10", "M11", "M12", "Q4", "H2", "FY",
)
assert set(PERIOD_ORDER) == set(PERIODS)
RANK = {period: i for i, period in enumerate(PERIOD_ORDER)}
KIND_ORDER = ("actual", "estimate", "target")

_SOURCE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


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
        return fmt.local(rows["published_at"].max()).date()
    return None


def sources(rows: pd.DataFrame) -> str:
    """The distinct sources of a set of figures, in order of first use."""
    if rows is None or rows.empty:
        return ""
    return "; ".join(dict.fromkeys(s for s in rows["source"].dropna() if s))


def area_rows(observations: pd.DataFrame, area_id: str | None = None) -> pd.DataFrame:
    # None: the rows are one area's already (the pages read only the home area's).
    return observations if area_id is None else observations[observations["area_id"] == area_id]


def years(observations: pd.DataFrame, area_id: str | None = None) -> list[int]:
    """Every year the area has any figure or target for, newest first (a
    year without rows is not offered; multi-year targets are not a year's)."""
    rows = area_rows(observations, area_id)
    rows = rows[~multi_year(rows["period"]).to_numpy()]
    return sorted({int(y) for y in rows["year"]}, reverse=True)


def periods(observations: pd.DataFrame, area_id: str | None = None) -> list[str]:
    """The periods a reader can choose: the full year and every period
    that holds a figure or a target in some year (the plan's second-half
    targets make H2 a view), in calendar order."""
    rows = area_rows(observations, area_id)
    found = set(rows["period"]) | {"FY"}
    return [p for p in PERIOD_ORDER if p in found]


def has_figures(observations: pd.DataFrame, year: int, period: str, indicator_ids=None,
                area_id: str | None = None) -> bool:
    """Whether any actual or estimated figure exists for the year and period
    (optionally among some indicators)."""
    rows = area_rows(observations, area_id)
    rows = rows[(rows["year"] == year) & (rows["period"] == period) & (rows["kind"] != "target")]
    if indicator_ids is not None:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
    return not rows.empty


def candidate_views(observations: pd.DataFrame, area_id: str | None = None) -> list[tuple[int, str]]:
    """Every (year, period) that holds a figure, newest first."""
    rows = area_rows(observations, area_id)
    rows = rows[(rows["kind"] != "target") & rows["period"].isin(PERIOD_ORDER)][["year", "period"]].drop_duplicates()
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


def figure_words(row, lang: str, prefix: str = "figure") -> str:
    """A scorecard row's figure (or target, prefix "target") as a short
    text with its unit: "2.430 triệu USD", "8 - 9%"."""
    return wording.quantity(
        {"value": row.get(f"{prefix}_value"), "low": row.get(f"{prefix}_low"), "high": row.get(f"{prefix}_high"),
         "qualifier": row.get("target_qualifier") if prefix == "target" else None},
        lang, wording.unit_of(row, lang), short=True,
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
            text = f"{wording.figure_label(r['figure_kind'], r['figure_period'], lang)}: {text}"
        figure_text.append(text)
    return pd.DataFrame({
        col("group"): [t(f"views.group.{r['group']}", lang) for r in records],
        col("indicator"): [r.get(f"name_{lang}") or r["name_vi"] for r in records],
        col("status"): [wording.status_text(r["status"], lang) for r in records],
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
             area_id: str | None = None) -> str:
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
    return "; ".join(wording.slot_label(y, p, lang) for y, p in slots)


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
    unit = wording.unit_of(indicator, lang)
    records = rows.to_dict("records")
    frame = pd.DataFrame({
        columns[0]: rows["year"].astype("int64").to_numpy(),
        columns[1]: [wording.period_label(r["period"], lang) for r in records],
        columns[2]: [wording.kind_label(r["kind"], lang) for r in records],
        columns[3]: [wording.quantity(r, lang, unit, short=True) for r in records],
        columns[4]: rows["value"].astype("float64").to_numpy(),
        columns[5]: rows["low"].astype("float64").to_numpy(),
        columns[6]: rows["high"].astype("float64").to_numpy(),
        columns[7]: rows["pct_of_plan"].astype("float64").to_numpy(),
        columns[8]: rows["yoy_pct"].astype("float64").to_numpy(),
        columns[9]: rows["source"].to_numpy(),
        columns[10]: [r["note"] if isinstance(r["note"], str) else "" for r in records],
        columns[11]: [fmt.moment(r["published_at"], lang) for r in records],
        columns[12]: rows["published_by"].to_numpy(),
        columns[13]: [t("views.rev.current" if r["_current"] else "views.rev.superseded", lang) for r in records],
    })
    return frame



# The store's history log, in the order a reader scans it.
HISTORY_COLUMNS = ("table", "version", "timestamp", "action", "user", "os_user", "file_name", "added", "revised",
                   "restored_from", "file_sha256")


def action_label(action, lang: str) -> str:
    """A history action in words ("Cập nhật số liệu"); an unknown one as written."""
    text = t(f"action.{action}", lang)
    return str(action) if text == f"action.{action}" else text


def history_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Store.history() as people read it, one language throughout: tables
    and actions in words, times on Vietnam's clock, counts written the
    language's way; the same table on the History page and in the CLI.
    The OS account column shows only when some commit has one."""
    count = lambda x: "" if fmt.is_missing(x) else fmt.number(int(x), 0, lang)  # noqa: E731
    text = lambda x: "" if fmt.is_missing(x) else str(x)  # noqa: E731
    columns = {
        "table": log["table"].map(lambda x: t(f"upload.table.{x}", lang)),
        "version": log["version"].map(count),
        "timestamp": log["timestamp"].map(lambda x: fmt.moment(x, lang, seconds=True)),
        "action": log["action"].map(lambda x: action_label(x, lang)),
        "user": log["user"].map(text),
        "os_user": log["os_user"].map(text) if "os_user" in log else pd.Series([""] * len(log), index=log.index),
        "file_name": log["file_name"].map(text),
        "added": log["added"].map(count),
        "revised": log["revised"].map(count),
        "restored_from": log["restored_from"].map(count),
        "file_sha256": log["file_sha256"].map(text),
    }
    shown = [c for c in HISTORY_COLUMNS if c != "os_user" or columns[c].ne("").any()]  # the CLI's OS account, when any
    headers = {c: t("hist.when_local" if c == "timestamp" else f"history.{c}", lang) for c in shown}
    return pd.DataFrame({headers[c]: columns[c].to_numpy(dtype=object) for c in shown})


def _names(ids: pd.Series, catalogue: pd.DataFrame | None, id_column: str, lang: str) -> list[str]:
    """The catalogue name (in `lang`) of each id; the id itself when unknown."""
    names = {} if catalogue is None or catalogue.empty else {
        r[id_column]: (r.get(f"name_{lang}") or r.get("name_vi")) for r in catalogue.to_dict("records")
    }
    return [names.get(i) or str(i) for i in ids]


def version_table(frame: pd.DataFrame, table: str, lang: str, catalogues: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of a table as of a version, as people read them: indicators,
    areas and agencies by name, periods, kinds and states in words, figures
    as written, times on Vietnam's clock. `catalogues` holds the
    indicators, areas and agencies tables (any may be missing)."""
    records = frame.to_dict("records")
    col = lambda key: t(key, lang)  # noqa: E731
    pct = lambda x, signed=False: "" if fmt.is_missing(x) else wording.percent(x, lang, 6, signed)  # noqa: E731
    if table == "task_reports":
        return pd.DataFrame({
            col("update.col.task"): frame["task_id"].to_numpy(),
            col("update.col.agency"): _names(frame["agency_id"], catalogues.get("agencies"), "agency_id", lang),
            col("update.col.year"): [str(int(y)) for y in frame["year"]],
            col("update.col.task_status"): [t(f"border.status.{r['status']}", lang) for r in records],
            col("border.col.summary"): [r["summary"] if isinstance(r["summary"], str) else "" for r in records],
            col("border.col.reported_on"): [fmt.day(r["reported_on"], lang) for r in records],
        })
    indicators = catalogues.get("indicators")
    units = {} if indicators is None else {r["indicator_id"]: wording.unit_of(r, lang) for r in indicators.to_dict("records")}
    return pd.DataFrame({
        col("update.col.indicator"): _names(frame["indicator_id"], indicators, "indicator_id", lang),
        col("update.col.area"): _names(frame["area_id"], catalogues.get("areas"), "area_id", lang),
        col("views.rev.year"): [str(int(y)) for y in frame["year"]],
        col("views.rev.period"): [wording.period_label(r["period"], lang) for r in records],
        col("views.rev.kind"): [wording.kind_label(r["kind"], lang) for r in records],
        col("views.rev.figure"): [wording.quantity(r, lang, units.get(r["indicator_id"], ""), short=True) for r in records],
        col("views.rev.pct_of_plan"): [pct(r["pct_of_plan"]) for r in records],
        col("views.rev.yoy"): [pct(r["yoy_pct"], True) for r in records],
        col("views.rev.source"): [r["source"] or "" for r in records],
        col("views.rev.note"): [r["note"] if isinstance(r["note"], str) else "" for r in records],
        col("views.rev.published_at"): [fmt.moment(r.get("published_at"), lang) for r in records],
        col("views.rev.published_by"): [r.get("published_by") or "" for r in records],
    })
