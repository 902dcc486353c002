"""Agencies and areas over time (SPEC §11): which bodies are in force on a
date, who succeeds whom, who answers for a task on a date, and how figures of
units that no longer exist roll up to the units that replaced them.

Catalogue rows carry `valid_from` and `valid_to` (ISO dates, empty = open),
`successor_ids` (semicolon-separated) and `legal_source`. A successor takes
over on the day after its predecessor's last day. Where an agency's work was
split between several successors, `task_successions` names the successor of
each task. Pure: frames in, frames or values out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from tracker import wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.schema import CATALOGUE_COLUMNS
from tracker.views import KIND_ORDER, RANK

TASK_SUCCESSION_COLUMNS = CATALOGUE_COLUMNS["task_successions"]
RECOMPUTED_NOTE = "recomputed"


# -- validity -------------------------------------------------------------------------
def day(value) -> date | None:
    """A validity bound as a date (None when open)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
        return None
    return pd.Timestamp(str(value)).date()


def successor_list(value) -> list[str]:
    """The ids of a `successor_ids` cell, in order."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def in_force(frame: pd.DataFrame, on: date) -> pd.Series:
    """True for the rows valid on `on` (rows without time columns always are)."""
    keep = pd.Series(True, index=frame.index)
    on = pd.Timestamp(on)
    if "valid_from" in frame:
        start = pd.to_datetime(frame["valid_from"].replace("", None))
        keep &= start.isna() | (start <= on)
    if "valid_to" in frame:
        end = pd.to_datetime(frame["valid_to"].replace("", None))
        keep &= end.isna() | (end >= on)
    return keep


def existed_in(frame: pd.DataFrame, year: int) -> pd.Series:
    """True for the rows valid on at least one day of `year`."""
    start = pd.to_datetime(frame.get("valid_from", pd.Series(None, index=frame.index)).replace("", None))
    end = pd.to_datetime(frame.get("valid_to", pd.Series(None, index=frame.index)).replace("", None))
    return (start.isna() | (start <= pd.Timestamp(int(year), 12, 31))) & (end.isna() | (end >= pd.Timestamp(int(year), 1, 1)))


def check_periods(frame: pd.DataFrame, id_column: str, table: str) -> None:
    """Raise a TrackerError naming the first row whose validity is broken:
    an end before its start; successors without an end date; an unknown
    successor; a successor created on another day than the day after its
    predecessor's end (a gap or an overlap); an existing body taking over
    that no longer exists on that day (a gap)."""
    if "valid_from" not in frame:
        return
    rows = frame.set_index(id_column)
    for body, row in rows.iterrows():
        start, end = day(row["valid_from"]), day(row["valid_to"])
        if start and end and end < start:
            raise TrackerError("orgs.period_reversed", table=table, id=body, start=start.isoformat(), end=end.isoformat())
        followers = successor_list(row["successor_ids"])
        if followers and end is None:
            raise TrackerError("orgs.successor_without_end", table=table, id=body)
        for follower in followers:
            if follower not in rows.index:
                raise TrackerError("orgs.unknown_successor", table=table, id=body, successor=follower)
            takes_over = end + timedelta(days=1)
            f_start, f_end = day(rows.loc[follower, "valid_from"]), day(rows.loc[follower, "valid_to"])
            if f_start is not None and f_start != takes_over:
                key = "orgs.gap" if f_start > takes_over else "orgs.overlap"
                raise TrackerError(key, table=table, id=body, end=end.isoformat(), successor=follower, start=f_start.isoformat())
            if f_end is not None and f_end < takes_over:
                raise TrackerError("orgs.gap", table=table, id=body, end=end.isoformat(), successor=follower,
                                   start=f_end.isoformat())


# -- agencies and their tasks over time -----------------------------------------------------------
@dataclass(frozen=True)
class Bodies:
    """The agencies of a catalogue with their successions, and which agency
    answers for each task on a date."""

    agencies: pd.DataFrame
    task_agency: dict[str, str]
    task_successions: pd.DataFrame

    @classmethod
    def of(cls, agencies: pd.DataFrame, tasks: pd.DataFrame, task_successions: pd.DataFrame | None = None) -> Bodies:
        # A store or seed folder without the table has no split to follow.
        successions = (task_successions if task_successions is not None and "task_id" in task_successions
                       else pd.DataFrame(columns=TASK_SUCCESSION_COLUMNS))
        return cls(agencies, dict(zip(tasks["task_id"], tasks["agency_id"], strict=True)), successions)

    def row(self, agency_id: str) -> pd.Series | None:
        rows = self.agencies[self.agencies["agency_id"] == agency_id]
        return rows.iloc[0] if len(rows) else None

    def next_agency(self, task_id: str, agency_id: str) -> str | None:
        """Who takes `task_id` over from `agency_id` when it ends (None when
        nobody does, or when its work was split and the task is not mapped)."""
        row = self.row(agency_id)
        followers = successor_list(row.get("successor_ids")) if row is not None else []
        mapped = self.task_successions[(self.task_successions["task_id"] == task_id)
                                       & (self.task_successions["agency_id"] == agency_id)]
        if len(mapped):
            return str(mapped["successor_id"].iloc[0])
        return followers[0] if len(followers) == 1 else None

    def chain(self, task_id: str, until: date | None = None) -> list[tuple[str, date | None, date | None]]:
        """The agencies that answer for the task, in turn, each with the
        first and last day it does (open ends as None); only those up to
        `until` when given."""
        agency_id, since, chain = self.task_agency[task_id], None, []
        while agency_id is not None:
            row = self.row(agency_id)
            end = day(row.get("valid_to")) if row is not None else None
            chain.append((agency_id, since, end))
            if end is None or (until is not None and end >= until):
                break
            agency_id, since = self.next_agency(task_id, agency_id), end + timedelta(days=1)
        return chain

    def owner(self, task_id: str, on: date) -> str:
        """The agency that answers for the task on `on`."""
        return self.chain(task_id, on)[-1][0]

    def responsible_agency(self, task_id: str, agency_id: str, on_date: date) -> str | None:
        """The agency a report filed by `agency_id` for `task_id` counts for
        on `on_date`: the task's agency in force then, when `agency_id` is
        that agency, one of its predecessors or successors for the task;
        else None (the report is refused)."""
        return self.owner(task_id, on_date) if agency_id in self.filers(task_id, on_date) else None

    def filers(self, task_id: str, on: date) -> set[str]:
        """The ids a report on the task for a deadline `on` may be filed
        under: every agency that answers for it in turn, and, once it has
        ended by `on`, every agency merged whole into one of them (the old
        Sở Tài chính's id for a task the new one took from Sở Kế hoạch và
        Đầu tư in 2025, not in 2021). A body split between several
        successors files only for the tasks that passed through it."""
        found = {a for a, _, _ in self.chain(task_id)}
        merged_into = {}
        ends = self.agencies.get("valid_to", pd.Series(None, index=self.agencies.index))
        successors = self.agencies.get("successor_ids", pd.Series(None, index=self.agencies.index))
        for agency_id, end, ids in zip(self.agencies["agency_id"], ends, successors, strict=True):
            followers, last = successor_list(ids), day(end)
            if len(followers) == 1 and last is not None and last < on:
                merged_into.setdefault(followers[0], []).append(agency_id)
        todo = list(found)
        while todo:
            for earlier in merged_into.get(todo.pop(), []):
                if earlier not in found:
                    found.add(earlier)
                    todo.append(earlier)
        return found

    def successor_on(self, agency_id: str, on: date) -> str:
        """The body that carries on `agency_id`'s work on `on`, following
        single successors (itself while in force; the last one reached when
        its work was split or nobody took over)."""
        row = self.row(agency_id)
        while row is not None:
            end, followers = day(row.get("valid_to")), successor_list(row.get("successor_ids"))
            if end is None or end >= on or len(followers) != 1:
                break
            agency_id, row = followers[0], self.row(followers[0])
        return agency_id

    def refusal(self, task_id: str, agency_id: str, year: int, deadline: date) -> tuple[str, str] | None:
        """None when a report of `agency_id` on `task_id` for `year` is
        accepted (see responsible_agency); else the translation key of the
        reason and the agency answering for the task on the deadline:
        `upload.task.wrong_agency` for an agency that existed that year,
        `orgs.not_in_force` for one that did not and has no succession
        chain to the task's agency."""
        if self.responsible_agency(task_id, agency_id, deadline) is not None:
            return None
        rows = self.agencies[self.agencies["agency_id"] == agency_id]
        existed = bool(existed_in(rows, year).any()) if len(rows) else False
        return ("upload.task.wrong_agency" if existed else "orgs.not_in_force"), self.owner(task_id, deadline)

    def owners(self, on: date) -> pd.DataFrame:
        """Every task with its original agency, the agency answering for it
        on `on` (`agency_id`) and the ids it answers for (`predecessor_ids`)."""
        rows = []
        for task_id, original in self.task_agency.items():
            chain = [a for a, _, _ in self.chain(task_id, on)]
            rows.append({"task_id": task_id, "plan_agency_id": original, "agency_id": chain[-1], "chain": chain})
        return pd.DataFrame(rows, columns=["task_id", "plan_agency_id", "agency_id", "chain"])

    def predecessors(self, on: date) -> dict[str, list[str]]:
        """Agency in force on `on` → the agencies whose tasks it answers for
        (in the order they appear in the catalogue)."""
        order = {a: i for i, a in enumerate(self.agencies["agency_id"])}
        found: dict[str, set[str]] = {}
        for chain in self.owners(on)["chain"]:
            found.setdefault(chain[-1], set()).update(chain[:-1])
        return {a: sorted(ids, key=lambda x: order.get(x, len(order))) for a, ids in found.items()}

    def check(self) -> None:
        """Raise when a task cannot be followed: an agency split between
        successors without the task's successor named, or a task succession
        naming an agency that is not among the successors."""
        for row in self.task_successions.itertuples():
            agency = self.row(row.agency_id)
            if agency is None or row.successor_id not in successor_list(agency.get("successor_ids")):
                raise TrackerError("orgs.task_succession_unknown", task=row.task_id, agency=row.agency_id,
                                   successor=row.successor_id)
        for task_id in self.task_agency:
            last, _, end = self.chain(task_id)[-1]
            row = self.row(last)
            if end is not None and row is not None and len(successor_list(row.get("successor_ids"))) > 1:
                raise TrackerError("orgs.split_unmapped", task=task_id, agency=last)

    def changes(self) -> pd.DataFrame:
        """One row per agency that ended or began: id, dates, successors, source."""
        columns = ["agency_id", "name_vi", "name_en", "valid_from", "valid_to", "successor_ids", "legal_source"]
        frame = self.agencies.reindex(columns=columns)
        changed = frame["valid_from"].fillna("").ne("") | frame["valid_to"].fillna("").ne("")
        return frame[changed].reset_index(drop=True)


def predecessor_names(agency_id: str, predecessor_ids, names_by_id: dict, lang: str) -> str:
    """The bodies an agency took tasks over from, by name; one bearing the
    agency's own name is marked former ("Sở Tài chính (cũ)"), as the merged
    body is not the one that answers now."""
    own = names_by_id.get(agency_id, agency_id)
    named = [names_by_id.get(a, a) for a in successor_list(predecessor_ids)]
    return ", ".join(t("orgs.former", lang, name=n) if n == own else n for n in named)


def counted_for(reports: pd.DataFrame, tasks: pd.DataFrame, agencies: pd.DataFrame, plans: pd.DataFrame,
                task_successions: pd.DataFrame | None = None) -> pd.Series:
    """For each task report row (task_id, agency_id, year), the agency it
    counts for: the one answering for the task on that year's deadline
    (its plan's report_deadline_month/day) when the filer is in the task's
    succession; the filer itself otherwise (such a row is refused at import)."""
    bodies = Bodies.of(agencies, tasks, task_successions)
    plan_of = dict(zip(tasks["task_id"], tasks["plan_id"], strict=True))
    rule = {p: (m, d) for p, m, d in zip(plans["plan_id"], plans["report_deadline_month"], plans["report_deadline_day"],
                                         strict=True) if pd.notna(m)}
    out = []
    for task_id, agency_id, year in zip(reports["task_id"], reports["agency_id"], reports["year"], strict=True):
        month, day_ = rule.get(plan_of.get(task_id), (12, 31))
        owner = bodies.responsible_agency(task_id, agency_id, date(int(year), int(month), int(day_))) if task_id in plan_of else None
        out.append(owner or agency_id)
    return pd.Series(out, index=reports.index, dtype=object)


def area_changes(areas: pd.DataFrame, home_id: str) -> dict:
    """The home area's reorganisation in numbers: its district-level units
    that ended, their communes, the communes in force after, the legal
    sources cited; and the ended districts with their successors."""
    ended = areas["valid_to"].fillna("").ne("")
    districts = areas[(areas["parent_id"] == home_id) & (areas["level"] == "district") & ended]
    old = areas[areas["parent_id"].isin(districts["area_id"]) & ended]
    new = areas[(areas["parent_id"] == home_id) & (areas["level"] == "commune") & areas["valid_from"].fillna("").ne("")]
    sources = "; ".join(dict.fromkeys(pd.concat([districts["legal_source"], new["legal_source"]]).dropna()))
    return {
        "counts": {"districts": len(districts), "old": len(old), "new": len(new), "source": sources},
        "districts": districts[["area_id", "valid_to", "successor_ids", "legal_source"]].fillna("").reset_index(drop=True),
    }


# -- figures of units that no longer exist ----------------------------------------------------------
def roll_up(observations: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, on: date) -> pd.DataFrame:
    """Figures of units that ended before `on`, summed into the unit each
    wholly passed into, for the units in force on `on` whose every
    predecessor has the figure. Only `flow` indicators with exact values add
    up: rates, ratios and levels are never summed, nor are ranges, and a unit
    split between several successors (share unknown) is not divided; units
    are matched level by level (`level`, when the table has it). Rows
    come back in the observation columns, `note` = "recomputed" and `source`
    naming the units summed; recorded figures are left as they are."""
    columns = list(observations.columns)
    flows = set(indicators.loc[indicators["measure"] == "flow", "indicator_id"])
    ended = areas[~in_force(areas, on) & areas["successor_ids"].fillna("").ne("")]
    whole = ended.assign(successor=ended["successor_ids"].map(successor_list))
    whole = whole[whole["successor"].map(len) == 1].assign(successor=lambda f: f["successor"].str[0])
    alive = set(areas.loc[in_force(areas, on), "area_id"])
    # Levels apart: a district split between many communes says nothing of
    # the communes it held; a unit whose whole parts mix levels (a district
    # and its own communes) is left alone, so nothing is counted twice.
    level = areas["level"].fillna("") if "level" in areas else pd.Series("", index=areas.index)
    whole = whole.assign(_level=level)
    parts = {s: set(group["area_id"]) for s, group in whole.groupby("successor")
             if s in alive and group["_level"].nunique() == 1}
    part_level = {s: whole.loc[whole["successor"] == s, "_level"].iloc[0] for s in parts}
    split_into = {(lv, s) for ids, lv in zip(ended["successor_ids"].map(successor_list), level[ended.index], strict=True)
                  if len(ids) > 1 for s in ids}
    rows = observations[observations["indicator_id"].isin(flows) & (observations["qualifier"] == "exact")
                        & observations["value"].notna()]
    out = []
    for new_id, old_ids in parts.items():
        if (part_level[new_id], new_id) in split_into:
            continue
        mine = rows[rows["area_id"].isin(old_ids)]
        for key, group in mine.groupby(["indicator_id", "year", "period", "kind"]):
            if set(group["area_id"]) != old_ids:
                continue
            out.append(dict(zip(["indicator_id", "year", "period", "kind"], key, strict=True)) | {
                "area_id": new_id, "value": float(group["value"].sum()), "qualifier": "exact",
                "source": "; ".join(sorted(old_ids)), "note": RECOMPUTED_NOTE,
            })
    return pd.DataFrame(out).reindex(columns=columns)


def inside(areas: pd.DataFrame, home_id: str) -> set[str]:
    """The ids of the areas below `home_id` at any depth (districts, communes)."""
    found: set[str] = set()
    parents = {home_id}
    while parents:
        children = set(areas.loc[areas["parent_id"].isin(parents), "area_id"]) - found
        found |= children
        parents = children
    return found


def area_figures(observations: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame,
                 home_id: str, on: date) -> pd.DataFrame:
    """The figures of the areas inside `home_id` as they were recorded
    (`how` = "recorded"), then those `roll_up` recomputes for the units in
    force on `on` (`how` = "recomputed"; their `source` lists the units summed)."""
    recorded = observations[observations["area_id"].isin(inside(areas, home_id))]
    rolled = roll_up(recorded, areas, indicators, on)
    parts = [frame for frame in (recorded.assign(how="recorded"), rolled.assign(how=RECOMPUTED_NOTE)) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=[*observations.columns, "how"])
    return pd.concat(parts, ignore_index=True)


def area_label(areas: pd.DataFrame, area_id: str, home_id: str, lang: str = "vi") -> str:
    """An area's name, with its district when it has one: two old communes
    may share a name ("Xã Mẫu Sơn (Cao Lộc)", "Xã Mẫu Sơn (Lộc Bình)")."""
    rows = areas.set_index("area_id")
    if area_id not in rows.index:
        return area_id
    name, parent = pick(rows.loc[area_id], "name", lang), rows.loc[area_id, "parent_id"]
    if isinstance(parent, str) and parent and parent != home_id and parent in rows.index:
        return f"{name} ({pick(rows.loc[parent], 'name', lang)})"
    return name


def area_table(figures: pd.DataFrame, areas: pd.DataFrame, indicator, home_id: str, lang: str) -> pd.DataFrame:
    """`area_figures` as people read it: area, year, period, kind, the
    figure with its unit, and how it was obtained (recorded, or recomputed
    on the new boundaries from the units it names), then the source."""
    col = lambda key: t(f"rollup.col.{key}", lang)  # noqa: E731
    columns = [col(k) for k in ("area", "year", "period", "kind", "figure", "how", "source")]
    if figures.empty:
        return pd.DataFrame(columns=columns)
    unit = wording.unit_of(indicator, lang)
    rows = figures.assign(
        _rank=figures["period"].map(RANK), _kind=figures["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}),
        _label=[area_label(areas, a, home_id, lang) for a in figures["area_id"]],
    ).sort_values(["year", "_rank", "_kind", "how", "_label"], kind="stable")
    records = rows.to_dict("records")

    def how(row) -> str:
        if row["how"] != RECOMPUTED_NOTE:
            return t("rollup.recorded", lang)
        names = ", ".join(area_label(areas, a, home_id, lang) for a in str(row["source"]).split("; "))
        return t("rollup.recomputed", lang, names=names)

    return pd.DataFrame({
        columns[0]: rows["_label"].to_numpy(),
        columns[1]: rows["year"].astype("int64").to_numpy(),
        columns[2]: [wording.period_label(r["period"], lang) for r in records],
        columns[3]: [wording.kind_label(r["kind"], lang) for r in records],
        columns[4]: [wording.quantity(r, lang, unit, short=True) for r in records],
        columns[5]: [how(r) for r in records],
        columns[6]: ["" if r["how"] == RECOMPUTED_NOTE or not isinstance(r["source"], str) else r["source"] for r in records],
    })


def border_communes(areas: pd.DataFrame, home_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The home area's flagged border communes: those that ended (the plan's
    time, each with its district) and those in force after that took them in."""
    communes = areas[areas["area_id"].isin(inside(areas, home_id)) & (areas["level"] == "commune")
                     & areas["border"].fillna(False).astype(bool)]
    ended = communes["valid_to"].fillna("").ne("")
    return communes[ended], communes[~ended]
