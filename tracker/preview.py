"""What a publish would change, in words an analyst reads before pressing
Publish: the new figures, the revised ones (old → new) with the status
change they cause, and how many are unchanged. Pure: the page shows these
frames as they are."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker import fmt, orgs, schema, wording
from tracker.border import status_label
from tracker.i18n import pick, t

OBS_KEY = schema.OBSERVATION_KEY
# Columns of a figure whose change the preview names.
OBS_FIELDS = [c for c in schema.OBSERVATION_COLUMNS if c not in OBS_KEY]
TASK_FIELDS = [c for c in schema.TASK_REPORT_COLUMNS if c not in schema.TASK_REPORT_KEY]


def counts(previews: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per table: how many incoming rows are new, revised, unchanged."""
    rows = []
    for table, diff in previews.items():
        change = diff["change"].value_counts()
        rows.append({
            t("update.col.table", lang): t(f"upload.table.{table}", lang),
            t("update.col.new", lang): int(change.get("new", 0)),
            t("update.col.revised", lang): int(change.get("revised", 0)),
            t("update.col.unchanged", lang): int(change.get("unchanged", 0)),
        })
    return pd.DataFrame(rows)


def status_word(status, lang: str) -> str:
    """An indicator's status in words."""
    return "" if status is None or fmt.is_missing(status) else wording.status_label(status, lang)


def figure_text(row, lang: str, prefix: str = "") -> str:
    """A figure as the analyst typed it, at the precision entered (5.120,5 /
    ~304 / 8 - 9 / ≥ 5), followed by its % of plan and % on last year when
    present. `prefix` reads the old_<column> values of a Store.diff row."""
    def get(column):
        value = row.get(prefix + column)
        return None if fmt.is_missing(value) else value

    figure = {c: get(c) for c in ("value", "low", "high", "qualifier")}
    main = wording.quantity(figure, lang, short=True)
    parts = [main] if main else []
    if get("pct_of_plan") is not None:
        parts.append(t("update.fig.pct_of_plan", lang, value=wording.percent(get("pct_of_plan"), lang, 6)))
    if get("yoy_pct") is not None:
        parts.append(t("update.fig.yoy", lang, value=wording.percent(get("yoy_pct"), lang, 6)))
    return "; ".join(parts)


def _changed_fields(row, fields: list[str], lang: str) -> str:
    """The names of the fields whose value differs from the old one."""
    names = []
    for column in fields:
        new, old = row.get(column), row.get(f"old_{column}")
        if fmt.is_missing(new) and fmt.is_missing(old):
            continue
        if fmt.is_missing(new) or fmt.is_missing(old) or new != old:
            names.append(t(f"update.field.{column}", lang))
    return ", ".join(names)


def _names(frame: pd.DataFrame, catalogue: pd.DataFrame, id_column: str, lang: str) -> pd.Series:
    """The catalogue name (in `lang`) of each id in frame[id_column]; the id when unknown."""
    if catalogue is None or catalogue.empty or id_column not in catalogue:
        return frame[id_column].astype(str)
    names = {row[id_column]: pick(row, "name", lang) for row in catalogue.to_dict("records")}
    return frame[id_column].map(lambda i: names.get(i) or str(i))


def observation_rows(
    diff: pd.DataFrame, change: str, indicators: pd.DataFrame, areas: pd.DataFrame, lang: str,
    judged: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows of a Store.diff of observations with `change` (new or
    revised) as a table to read: indicator and area by name, period and kind
    in words, the figure before and after, which fields changed, and the
    status before and after of the figure's indicator, area, year and period
    when `judged` (from judgements()) is given."""
    rows = diff[diff["change"] == change].reset_index(drop=True)
    out = pd.DataFrame({
        t("update.col.indicator", lang): _names(rows, indicators, "indicator_id", lang),
        t("update.col.indicator_id", lang): rows["indicator_id"],
        t("update.col.area", lang): _names(rows, areas, "area_id", lang),
        t("update.col.year", lang): rows["year"].astype("Int64"),
        t("update.col.period", lang): rows["period"].map(lambda p: wording.period_label(p, lang)),
        t("update.col.kind", lang): rows["kind"].map(lambda k: wording.kind_label(k, lang)),
    })
    records = rows.to_dict("records")
    after = [figure_text(r, lang) for r in records]
    if change == "revised":
        out[t("update.col.before", lang)] = [figure_text(r, lang, "old_") for r in records]
        out[t("update.col.after", lang)] = after
        out[t("update.col.changed", lang)] = [_changed_fields(r, OBS_FIELDS, lang) for r in records]
    else:
        out[t("update.col.figure", lang)] = after
        out[t("update.col.source", lang)] = rows["source"].fillna("")
    if judged is not None and not judged.empty:
        merged = rows[["indicator_id", "area_id", "year", "period"]].merge(
            judged, on=["indicator_id", "area_id", "year", "period"], how="left",
        )
        out[t("update.col.status_before", lang)] = merged["status_before"].map(lambda s: status_word(s, lang)).to_numpy()
        out[t("update.col.status_after", lang)] = merged["status_after"].map(lambda s: status_word(s, lang)).to_numpy()
    return out


def task_report_rows(diff: pd.DataFrame, change: str, tasks: pd.DataFrame, agencies: pd.DataFrame, lang: str,
                     plans: pd.DataFrame | None = None, task_successions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of a Store.diff of task reports with `change` (new or
    revised) as a table to read: the task, the agency by name, the year, the
    state (old and new for a revision) and which fields changed. With the
    plans, a report filed under another id of the task's succession (a
    predecessor's after a change) says which agency it counts for."""
    rows = diff[diff["change"] == change].reset_index(drop=True)
    out = pd.DataFrame({
        t("update.col.task", lang): rows["task_id"],
        t("update.col.agency", lang): _names(rows, agencies, "agency_id", lang),
        t("update.col.year", lang): rows["year"].astype("Int64"),
    })
    if plans is not None and "valid_to" in agencies:
        counted = orgs.counted_for(rows, tasks, agencies, plans, task_successions)
        if (counted != rows["agency_id"]).any():
            names = _names(pd.DataFrame({"agency_id": counted}), agencies, "agency_id", lang)
            out[t("orgs.col.counted_for", lang)] = [
                t("orgs.counted_for", lang, name=name) if owner != filed else ""
                for name, owner, filed in zip(names, counted, rows["agency_id"], strict=True)
            ]
    if change == "revised":
        out[t("update.col.task_status_before", lang)] = rows["old_status"].map(lambda s: task_status_word(s, lang))
    out[t("update.col.task_status", lang)] = rows["status"].map(lambda s: task_status_word(s, lang))
    if change == "revised":
        out[t("update.col.changed", lang)] = [_changed_fields(r, TASK_FIELDS, lang) for r in rows.to_dict("records")]
    return out


def task_status_word(status, lang: str) -> str:
    """A task state in the border plan's words."""
    return "" if status is None or fmt.is_missing(status) else status_label(status, lang)


def keep_earlier_notes(diff: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """A Store.diff of observations where the rows marked `keep` (read from
    a sheet without a note column) keep the note of the figure they revise;
    a revision that then changes nothing is unchanged. An empty cell of a
    note column is a note cleared, and stays so."""
    keep = np.asarray(keep, dtype=bool) & (diff["change"] != "new").to_numpy()
    if not keep.any():
        return diff
    diff = diff.copy()
    diff.loc[keep, "note"] = diff.loc[keep, "old_note"]
    same = np.ones(len(diff), dtype=bool)
    for column in OBS_FIELDS:
        new, old = diff[column], diff[f"old_{column}"]
        both_missing = new.isna().to_numpy() & old.isna().to_numpy()
        same &= both_missing | (new.astype(object).to_numpy() == old.astype(object).to_numpy())
    diff.loc[keep & same, "change"] = "unchanged"
    return diff


def after_publish(current: pd.DataFrame, diff: pd.DataFrame) -> pd.DataFrame:
    """The current observations as they would be once the new and revised
    rows of `diff` are published."""
    incoming = diff[diff["change"] != "unchanged"][schema.OBSERVATION_COLUMNS]
    before = current[schema.OBSERVATION_COLUMNS]
    if incoming.empty:
        return before.reset_index(drop=True)
    if before.empty:
        return incoming.reset_index(drop=True)
    merged = pd.concat([before, incoming], ignore_index=True)
    return merged.drop_duplicates(OBS_KEY, keep="last").reset_index(drop=True)


def judgements(current: pd.DataFrame, diff: pd.DataFrame, indicators: pd.DataFrame, scorecard=None) -> pd.DataFrame:
    """indicator_id, area_id, year, period, status_before, status_after for
    every indicator the scorecard judges, before and after a publish of
    `diff`, in every period of each area and year the upload touches (a new
    target can change the judgement of every period of its year). An
    indicator the scorecard did not list before has status_before no_data."""
    columns = ["indicator_id", "area_id", "year", "period", "status_before", "status_after"]
    if scorecard is None:
        from tracker.scorecard import scorecard  # the status engine: the upload's import path does not load it
    changing = diff[diff["change"] != "unchanged"]
    if changing.empty:
        return pd.DataFrame(columns=columns)
    after = after_publish(current, diff)
    touched = changing[["area_id", "year"]].drop_duplicates()
    slots = after.merge(touched, on=["area_id", "year"])[["area_id", "year", "period"]].drop_duplicates()
    frames = []
    for area_id, year, period in slots.itertuples(index=False):
        old = scorecard(current, indicators, int(year), period, area_id=area_id)[["indicator_id", "status"]]
        new = scorecard(after, indicators, int(year), period, area_id=area_id)[["indicator_id", "status"]]
        both = old.merge(new, on="indicator_id", how="outer", suffixes=("_before", "_after"))
        frames.append(both.assign(area_id=area_id, year=int(year), period=period))
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    out["status_before"] = out["status_before"].fillna("no_data")
    return out.sort_values(["area_id", "year", "period", "indicator_id"], kind="stable").reset_index(drop=True)


def status_changes(judged: pd.DataFrame) -> pd.DataFrame:
    """The judgements whose status a publish changes."""
    differs = judged["status_before"].fillna("").astype(str) != judged["status_after"].fillna("").astype(str)
    return judged[differs].reset_index(drop=True)


def status_change_rows(changes: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, lang: str) -> pd.DataFrame:
    """status_changes() as a table to read."""
    return pd.DataFrame({
        t("update.col.indicator", lang): _names(changes, indicators, "indicator_id", lang),
        t("update.col.indicator_id", lang): changes["indicator_id"],
        t("update.col.area", lang): _names(changes, areas, "area_id", lang),
        t("update.col.year", lang): changes["year"].astype("Int64"),
        t("update.col.period", lang): changes["period"].map(lambda p: wording.period_label(p, lang)),
        t("update.col.status_before", lang): changes["status_before"].map(lambda s: status_word(s, lang)),
        t("update.col.status_after", lang): changes["status_after"].map(lambda s: status_word(s, lang)),
    })
