"""The border-area plan (88/KH-UBND, SPEC §7): who reported each year's task
reports on time, late or not at all, the status of the tasks by agency and by
focus task, and the December summary for UBND tỉnh (Word and Excel).

Pure: frames in, frames (or file bytes, or figures) out. The plan, its
agencies, tasks and reporting rule come from the catalogue tables; nothing
about the province is written here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from tracker import fmt, orgs, schema, settings, wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.store import Store

# The plan says "trước ngày 15 tháng 11", SPEC §7 says "by 15 November": a
# report dated on the deadline day itself counts as on time.
DEADLINE_DAY_IS_ON_TIME = True

AGENCY_STATUSES = ("on_time", "late", "partial", "missing")
# A task's state in a year: its reported status, or not reported at all.
TASK_STATES = ("done", "in_progress", "not_started", "not_reported")
# Symbols and colours from the one table of status styles (tracker.wording).
SYMBOLS = {code: wording.style(code).symbol for code in AGENCY_STATUSES}
COLOURS = {code: wording.style(code).colour for code in TASK_STATES}
REPORT_FIELDS = ["status", "summary", "reported_on"]

COMPLIANCE_COLUMNS = [
    "agency_id", "name_vi", "name_en", "plan_item", "predecessor_ids", "tasks", "reported_on_time", "reported_late", "missing",
    "status_done", "status_in_progress", "status_not_started", "last_reported_on", "agency_status",
]
COMPLIANCE_TABLE_COLUMNS = [
    "agency_id", "agency", "predecessor_ids", "tasks", "reported_on_time", "reported_late", "missing", "agency_status",
]
FOCUS_COLUMNS = ["focus_task_id", "text_vi", "text_en", "tasks", "done", "in_progress", "not_started", "not_reported"]
AGENCY_TASK_COLUMNS = [
    "task_id", "agency_id", "plan_agency_id", "filed_by", "seq", "focus_task_id", "text_vi", "text_en", "status", "summary", "reported_on", "on_time",
]


# -- which plan ----------------------------------------------------------------
def choose_plan(plans: pd.DataFrame, tasks: pd.DataFrame, plan_id: str | None = None) -> pd.Series:
    """The plans row of `plan_id`, or (when None) of the newest plan that has
    a reporting deadline and tasks; TrackerError border.no_plan when there is none."""
    candidates = plans[plans["report_deadline_month"].notna() & plans["plan_id"].isin(tasks["plan_id"])]
    if plan_id is not None:
        candidates = candidates[candidates["plan_id"] == plan_id]
    if candidates.empty:
        raise TrackerError("border.no_plan", plan=plan_id or "")
    return candidates.sort_values("issued_on", kind="stable").iloc[-1]


def short_number(number: str) -> str:
    """The number a plan is called by: "88" of "88/KH-UBND" ("Kế hoạch 88")."""
    return str(number).split("/")[0].strip()


def page_title(number: str | None, lang: str) -> str:
    """What the border plan's page is called: "Kế hoạch 88" for plan
    88/KH-UBND, the general name when the store holds no such plan."""
    if fmt.is_missing(number) or not str(number).strip():
        return t("page.border_plan_general", lang)
    return t("page.border_plan", lang, number=short_number(number))


# -- the reporting rule ------------------------------------------------------
def report_deadline(year: int, month: int | None = None, day: int | None = None) -> date:
    """The day by which a year's reports are due under a plan's rule
    (plans.report_deadline_month/day); for a plan without one, the year's
    last day, as tracker.orgs.counted_for takes it."""
    if fmt.is_missing(month) or fmt.is_missing(day):
        return date(int(year), 12, 31)
    return date(int(year), int(month), int(day))


def is_on_time(reported_on: pd.Series, deadline: date) -> pd.Series:
    """True where a report's date is on or before the deadline (see
    DEADLINE_DAY_IS_ON_TIME); a report without a date cannot show that it
    arrived in time and counts as late."""
    day = pd.to_datetime(reported_on).dt.normalize()
    limit = pd.Timestamp(deadline)
    on_time = day <= limit if DEADLINE_DAY_IS_ON_TIME else day < limit
    return on_time.fillna(False).astype(bool)


def current_date(zone: str | None = None) -> date:
    """The reporting clock: today's date in `zone` (the plan's time zone;
    Vietnam time when none is given). One place, so tests can set it."""
    if fmt.is_missing(zone):
        return fmt.today()
    return datetime.now(ZoneInfo(str(zone))).date()


def calendar(deadline: date, today: date) -> tuple[str, int]:
    """Where `today` stands against a deadline: ("before", days left
    including today's count to the deadline day), ("due", 0) on the day
    itself, or ("overdue", days since)."""
    if deadline_passed(deadline, today):
        return "overdue", (today - deadline).days
    if today == deadline:
        return "due", 0
    return "before", (deadline - today).days


def deadline_passed(deadline: date, today: date) -> bool:
    """Whether reports still missing on `today` are overdue."""
    return today > deadline if DEADLINE_DAY_IS_ON_TIME else today >= deadline


# -- per task, per agency, per focus task -------------------------------------
def task_reports_for(
    tasks: pd.DataFrame, reports: pd.DataFrame, year: int, deadline: date, bodies: orgs.Bodies | None = None,
) -> pd.DataFrame:
    """Every task with the agency answering for it on the year's deadline
    (`agency_id`; `plan_agency_id` is the plan's), its report for `year`
    (status missing when not reported) and flags reported / on_time / late.
    A report counts when filed by that agency or by another agency of the
    task's succession (a predecessor's id after a change, `filed_by` says
    which); the answering agency's own report wins, else the newest. Reports
    by agencies outside the task's succession are ignored."""
    bodies = bodies or orgs.Bodies.of(pd.DataFrame({"agency_id": tasks["agency_id"].unique()}), tasks)
    owners = bodies.owners(deadline)
    everyone = {task_id: bodies.filers(task_id, deadline) for task_id in owners["task_id"]}
    of_year = reports.loc[reports["year"] == int(year), ["task_id", "agency_id"] + REPORT_FIELDS]
    known = np.array([a in everyone.get(task, ()) for task, a in zip(of_year["task_id"], of_year["agency_id"], strict=True)], dtype=bool)
    of_year = of_year[known]
    of_year = of_year.merge(owners[["task_id", "agency_id"]].rename(columns={"agency_id": "owner"}), on="task_id")
    of_year = of_year.assign(own=of_year["agency_id"] == of_year["owner"], _day=pd.to_datetime(of_year["reported_on"]))
    chosen = of_year.sort_values(["own", "_day"], ascending=[False, False], kind="stable").drop_duplicates("task_id")
    chosen = chosen.rename(columns={"agency_id": "filed_by"})[["task_id", "filed_by"] + REPORT_FIELDS]
    answering = tasks.rename(columns={"agency_id": "plan_agency_id"}).merge(
        owners[["task_id", "agency_id"]], on="task_id", how="left", validate="one_to_one")
    merged = answering.merge(chosen, on="task_id", how="left", validate="one_to_one")
    reported = merged["status"].notna().to_numpy()
    on_time = is_on_time(merged["reported_on"], deadline).to_numpy() & reported
    return merged.assign(reported=reported, on_time=on_time, late=reported & ~on_time)


def compliance(
    tasks: pd.DataFrame, agencies: pd.DataFrame, reports: pd.DataFrame, year: int, deadline: date,
    bodies: orgs.Bodies | None = None,
) -> pd.DataFrame:
    """One row per agency answering for the plan's tasks on the year's
    deadline (in the plan's order: a successor takes the place of its first
    predecessor): the agencies it answers for (`predecessor_ids`), its
    tasks, how many were reported on time, late or not at all, the reported
    statuses, the newest report date and agency_status: on_time (every task
    reported by the deadline), late (all reported, some after it), partial
    (some tasks not reported), missing (nothing reported)."""
    bodies = bodies or orgs.Bodies.of(agencies, tasks)
    per_task = task_reports_for(tasks, reports, year, deadline, bodies)
    per_task = per_task.assign(**{f"status_{s}": per_task["status"].eq(s).fillna(False) for s in schema.TASK_STATUSES})
    counts = per_task.groupby("agency_id").agg(
        tasks=("task_id", "size"),
        reported=("reported", "sum"),
        reported_on_time=("on_time", "sum"),
        reported_late=("late", "sum"),
        status_done=("status_done", "sum"),
        status_in_progress=("status_in_progress", "sum"),
        status_not_started=("status_not_started", "sum"),
        last_reported_on=("reported_on", "max"),
    )
    plan_item = dict(zip(agencies["agency_id"], agencies["plan_item"], strict=True))
    first_item = per_task.assign(_item=per_task["plan_agency_id"].map(plan_item)).groupby("agency_id")["_item"].min()
    predecessors = bodies.predecessors(deadline)
    frame = agencies[["agency_id", "name_vi", "name_en"]].merge(counts, left_on="agency_id", right_index=True)
    frame.insert(3, "plan_item", frame["agency_id"].map(first_item).astype("int64"))
    frame.insert(4, "predecessor_ids", [";".join(predecessors.get(a, [])) for a in frame["agency_id"]])
    for column in ("tasks", "reported", "reported_on_time", "reported_late", "status_done", "status_in_progress", "status_not_started"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["missing"] = frame["tasks"] - frame["reported"]
    frame["agency_status"] = np.select(
        [frame["reported"] == 0, frame["missing"] > 0, frame["reported_late"] > 0],
        ["missing", "partial", "late"],
        "on_time",
    )
    frame["last_reported_on"] = pd.to_datetime(frame["last_reported_on"])
    frame = frame.sort_values(["plan_item", "agency_id"], kind="stable")
    return frame[COMPLIANCE_COLUMNS].reset_index(drop=True)


def by_focus_task(
    tasks: pd.DataFrame, reports: pd.DataFrame, year: int, plan_items: pd.DataFrame | None,
    deadline: date, bodies: orgs.Bodies | None = None,
) -> pd.DataFrame:
    """One row per focus task (in the plan's order when `plan_items` is
    given, with its text): how many tasks it has and how many are done, in
    progress, not started or not reported in `year`."""
    per_task = task_reports_for(tasks, reports, year, deadline, bodies)
    state = per_task["status"].fillna("not_reported")
    counts = pd.crosstab(per_task["focus_task_id"], state).reindex(columns=list(TASK_STATES), fill_value=0)
    counts.insert(0, "tasks", counts.sum(axis=1))
    if plan_items is not None:
        focus = plan_items.loc[plan_items["item_type"] == "focus_task"].sort_values("seq", kind="stable")
        focus = focus[["item_id", "text_vi", "text_en"]].rename(columns={"item_id": "focus_task_id"})
    else:
        ids = sorted(counts.index)
        focus = pd.DataFrame({"focus_task_id": ids, "text_vi": ids, "text_en": ids})
    frame = focus.merge(counts, left_on="focus_task_id", right_index=True, how="left")
    for column in ["tasks", *TASK_STATES]:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame[FOCUS_COLUMNS].reset_index(drop=True)


def agency_tasks(
    tasks: pd.DataFrame, reports: pd.DataFrame, year: int, agency_id: str, deadline: date,
    bodies: orgs.Bodies | None = None,
) -> pd.DataFrame:
    """The tasks the agency answers for on the year's deadline, in the
    plan's order, each with its report for `year` (status, summary,
    reported_on, filed_by; missing when not reported) and on_time
    (True/False, missing when not reported)."""
    per_task = task_reports_for(tasks, reports, year, deadline, bodies)
    per_task = per_task[per_task["agency_id"] == agency_id]
    on_time = pd.array(per_task["on_time"].to_numpy(), dtype="boolean")
    on_time[~per_task["reported"].to_numpy()] = pd.NA
    return per_task.assign(on_time=on_time)[AGENCY_TASK_COLUMNS].reset_index(drop=True)


# -- the plan, read once -----------------------------------------------------
@dataclass(frozen=True)
class BorderPlan:
    """A plan with agencies that report on it yearly: its catalogue row,
    items (goals, focus tasks, scope, reporting rule), the agencies that
    answer for its tasks over time, tasks and every current task report."""

    plan: pd.Series
    items: pd.DataFrame
    agencies: pd.DataFrame
    tasks: pd.DataFrame
    reports: pd.DataFrame
    areas: pd.DataFrame
    bodies: orgs.Bodies

    @classmethod
    def from_frames(
        cls, plans: pd.DataFrame, plan_items: pd.DataFrame, agencies: pd.DataFrame, tasks: pd.DataFrame,
        reports: pd.DataFrame, areas: pd.DataFrame, plan_id: str | None = None,
        task_successions: pd.DataFrame | None = None,
    ) -> BorderPlan:
        """The plan `plan_id`, or (when None) the newest plan that has a
        reporting deadline and tasks (choose_plan). Its agencies are those given tasks and
        every agency that took a task over from them."""
        plan = choose_plan(plans, tasks, plan_id)
        plan_tasks = tasks[tasks["plan_id"] == plan["plan_id"]].reset_index(drop=True)
        bodies = orgs.Bodies.of(agencies, plan_tasks, task_successions)
        involved = {a for task_id in plan_tasks["task_id"] for a, _, _ in bodies.chain(task_id)}
        plan_agencies = agencies[agencies["agency_id"].isin(involved)]
        plan_agencies = plan_agencies.sort_values(["plan_item", "agency_id"], kind="stable").reset_index(drop=True)
        items = plan_items[plan_items["plan_id"] == plan["plan_id"]].reset_index(drop=True)
        reports = reports[reports["task_id"].isin(plan_tasks["task_id"])].reset_index(drop=True)
        bodies = orgs.Bodies.of(plan_agencies, plan_tasks, task_successions)
        return cls(plan, items, plan_agencies, plan_tasks, reports, areas, bodies)

    @classmethod
    def from_store(cls, store: Store, plan_id: str | None = None) -> BorderPlan:
        """The border plan as the store holds it now."""
        if not store.exists("tasks"):
            raise TrackerError("store.missing", root=store.root)
        tables = {name: store.current(name) for name in ("plans", "plan_items", "agencies", "tasks", "task_reports", "areas")}
        successions = store.current("task_successions") if store.exists("task_successions") else None
        return cls.from_frames(
            tables["plans"], tables["plan_items"], tables["agencies"], tables["tasks"], tables["task_reports"],
            tables["areas"], plan_id, successions,
        )

    # -- what the plan says
    def deadline(self, year: int) -> date:
        return report_deadline(year, self.plan["report_deadline_month"], self.plan["report_deadline_day"])

    def today(self) -> date:
        """Today in the plan's time zone (plans.time_zone)."""
        return current_date(self.plan.get("time_zone"))

    def item_texts(self, item_type: str, lang: str = "vi") -> list[str]:
        """The texts of the plan's items of one type, in the plan's order."""
        rows = self.items[self.items["item_type"] == item_type].sort_values("seq", kind="stable")
        return [pick(row, "text", lang) for _, row in rows.iterrows()]

    def compiler(self, year: int | None = None) -> pd.Series:
        """The agency that compiles the summary: the plan's
        (plans.compiler_agency_id, for 88/KH-UBND Sở Kế hoạch và Đầu tư) or,
        for a year, the body that succeeded it by that year's deadline."""
        agency_id = self.plan.get("compiler_agency_id")
        if fmt.is_missing(agency_id) or self.bodies.row(agency_id) is None:
            raise TrackerError("border.no_compiler", plan=self.plan["number"])
        if year is not None:
            agency_id = self.bodies.successor_on(agency_id, self.deadline(year))
        return self.bodies.row(agency_id)

    def province(self) -> pd.Series | None:
        """The area the plan is about (plans.area_id), else the home area
        (tracker.settings.home_area); None when the store has no areas."""
        home = self.plan.get("area_id")
        if fmt.is_missing(home) or not (self.areas["area_id"] == home).any():
            if self.areas.empty:
                return None
            home = settings.home_area(self.areas)
        return self.areas[self.areas["area_id"] == home].iloc[0]

    def border_districts(self) -> pd.DataFrame:
        """The province's border districts (those of the plan's time)."""
        province = self.province()
        areas = self.areas if province is None else self.areas[self.areas["parent_id"] == province["area_id"]]
        return areas[(areas["level"] == "district") & areas["border"].fillna(False).astype(bool)]

    def years_reported(self) -> list[int]:
        return sorted(int(y) for y in self.reports["year"].unique())

    # -- what the agencies reported
    def compliance(self, year: int) -> pd.DataFrame:
        return compliance(self.tasks, self.agencies, self.reports, year, self.deadline(year), self.bodies)

    def by_focus_task(self, year: int) -> pd.DataFrame:
        return by_focus_task(self.tasks, self.reports, year, self.items, self.deadline(year), self.bodies)

    def agency_tasks(self, year: int, agency_id: str) -> pd.DataFrame:
        return agency_tasks(self.tasks, self.reports, year, agency_id, self.deadline(year), self.bodies)

    def per_task(self, year: int) -> pd.DataFrame:
        return task_reports_for(self.tasks, self.reports, year, self.deadline(year), self.bodies)

    def reports_of(self, year: int) -> pd.DataFrame:
        return self.reports[self.reports["year"] == int(year)]


def compliance_table(store: Store, year: int, lang: str = "vi") -> pd.DataFrame:
    """The compliance export (SPEC §8): per agency its tasks, how many were
    reported on time, late or not at all, and its status code."""
    return compliance_export(BorderPlan.from_store(store).compliance(year), lang)


def compliance_rows(compliance_frame: pd.DataFrame, agencies: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The compliance frame as people read it (page, workbook): a running
    number, the agency, whom it took tasks over from (only when some body
    did), its status and counts, the newest report date."""
    c = compliance_frame
    col = lambda key: t(f"border.col.{key}", lang)  # noqa: E731
    names_by_id = dict(zip(agencies["agency_id"], names(agencies, lang), strict=True))
    takes_over = [", ".join(names_by_id.get(a, a) for a in orgs.successor_list(ids)) for ids in c["predecessor_ids"]]
    return pd.DataFrame({
        col("no"): range(1, len(c) + 1),
        col("agency"): names(c, lang),
        **({t("orgs.col.predecessors", lang): takes_over} if any(takes_over) else {}),
        col("agency_status"): [status_chip(x, lang) for x in c["agency_status"]],
        col("tasks"): c["tasks"],
        col("reported_on_time"): c["reported_on_time"],
        col("reported_late"): c["reported_late"],
        col("not_reported"): c["missing"],
        col("done"): c["status_done"],
        col("in_progress"): c["status_in_progress"],
        col("not_started"): c["status_not_started"],
        col("last_reported_on"): [fmt.day(d, lang) for d in c["last_reported_on"]],
    })


def compliance_export(compliance_frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The compliance frame in the export's columns, agency names in `lang`."""
    frame = compliance_frame.assign(agency=names(compliance_frame, lang))
    return frame[COMPLIANCE_TABLE_COLUMNS]


# -- words ---------------------------------------------------------------------
def status_label(code: str, lang: str) -> str:
    """An agency status or task state in words (no symbol)."""
    return t(f"border.status.{code}", lang)


def status_chip(code: str, lang: str) -> str:
    """An agency status as a symbol and words, readable without colour."""
    return f"{SYMBOLS[code]} {status_label(code, lang)}"


def short_date(d, lang: str) -> str:
    """A date as Vietnamese documents cite it (22/4/2022), or the English medium form."""
    if fmt.is_missing(d):
        return ""
    d = pd.Timestamp(d)
    return f"{d.day}/{d.month}/{d.year}" if lang == "vi" else fmt.day(d, lang)


def names(frame: pd.DataFrame, lang: str) -> list[str]:
    return [pick(row, "name", lang) for _, row in frame.iterrows()]


def focus_label(plan: BorderPlan, focus_task_id: str, lang: str) -> str:
    rows = plan.items[(plan.items["item_type"] == "focus_task") & (plan.items["item_id"] == focus_task_id)]
    if rows.empty:
        return focus_task_id
    return pick(rows.iloc[0], "text", lang).rstrip(";.")
