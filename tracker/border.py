"""The border-area plan (88/KH-UBND, SPEC §7): who reported each year's task
reports on time, late or not at all, the status of the tasks by agency and by
focus task, and the December summary for UBND tỉnh (Word and Excel).

Pure: frames in, frames (or file bytes, or figures) out. The plan, its
agencies, tasks and reporting rule come from the catalogue tables; nothing
about the province is written here."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tracker import exporting, fmt, schema, wording
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.store import Store

# The plan says "trước ngày 15 tháng 11", SPEC §7 says "by 15 November": a
# report dated on the deadline day itself counts as on time.
DEADLINE_DAY_IS_ON_TIME = True
# Used only when a caller gives no deadline: the rule of 88/KH-UBND (the
# plans table carries it as report_deadline_month/day).
DEFAULT_DEADLINE = (11, 15)

AGENCY_STATUSES = ("on_time", "late", "partial", "missing")
# A task's state in a year: its reported status, or not reported at all.
TASK_STATES = ("done", "in_progress", "not_started", "not_reported")
# Symbols and colours from the one table of status styles (tracker.wording).
SYMBOLS = {code: wording.style(code).symbol for code in AGENCY_STATUSES}
COLOURS = {code: wording.style(code).colour for code in TASK_STATES}
REPORT_FIELDS = ["status", "summary", "reported_on"]

COMPLIANCE_COLUMNS = [
    "agency_id", "name_vi", "name_en", "plan_item", "tasks", "reported_on_time", "reported_late", "missing",
    "status_done", "status_in_progress", "status_not_started", "last_reported_on", "agency_status",
]
COMPLIANCE_TABLE_COLUMNS = [
    "agency_id", "agency", "tasks", "reported_on_time", "reported_late", "missing", "agency_status",
]
FOCUS_COLUMNS = ["focus_task_id", "text_vi", "text_en", "tasks", "done", "in_progress", "not_started", "not_reported"]
AGENCY_TASK_COLUMNS = [
    "task_id", "agency_id", "seq", "focus_task_id", "text_vi", "text_en", "status", "summary", "reported_on", "on_time",
]


# -- the reporting rule ------------------------------------------------------
def report_deadline(year: int, month: int | None = None, day: int | None = None) -> date:
    """The day by which a year's reports are due (default: DEFAULT_DEADLINE)."""
    default_month, default_day = DEFAULT_DEADLINE
    return date(int(year), int(month or default_month), int(day or default_day))


def is_on_time(reported_on: pd.Series, deadline: date) -> pd.Series:
    """True where a report's date is on or before the deadline (see
    DEADLINE_DAY_IS_ON_TIME); a report without a date cannot show that it
    arrived in time and counts as late."""
    day = pd.to_datetime(reported_on).dt.normalize()
    limit = pd.Timestamp(deadline)
    on_time = day <= limit if DEADLINE_DAY_IS_ON_TIME else day < limit
    return on_time.fillna(False).astype(bool)


def current_date() -> date:
    """The reporting clock: today's date in Vietnam (one place, so tests can set it)."""
    return fmt.today()


def deadline_passed(deadline: date, today: date) -> bool:
    """Whether reports still missing on `today` are overdue."""
    return today > deadline if DEADLINE_DAY_IS_ON_TIME else today >= deadline


# -- per task, per agency, per focus task -------------------------------------
def task_reports_for(tasks: pd.DataFrame, reports: pd.DataFrame, year: int, deadline: date | None = None) -> pd.DataFrame:
    """Every task with its newest report for `year` (status missing when not
    reported) and flags reported / on_time / late. Reports that match no
    task of that agency are ignored."""
    deadline = deadline or report_deadline(year)
    of_year = reports.loc[reports["year"] == int(year), ["task_id", "agency_id"] + REPORT_FIELDS]
    merged = tasks.merge(of_year, on=["task_id", "agency_id"], how="left", validate="one_to_one")
    reported = merged["status"].notna().to_numpy()
    on_time = is_on_time(merged["reported_on"], deadline).to_numpy() & reported
    return merged.assign(reported=reported, on_time=on_time, late=reported & ~on_time)


def compliance(
    tasks: pd.DataFrame, agencies: pd.DataFrame, reports: pd.DataFrame, year: int, deadline: date | None = None,
) -> pd.DataFrame:
    """One row per agency (in the plan's order): its tasks, how many were
    reported on time, late or not at all, the reported statuses, the newest
    report date and agency_status: on_time (every task reported by the
    deadline), late (all reported, some after it), partial (some tasks not
    reported), missing (nothing reported)."""
    per_task = task_reports_for(tasks, reports, year, deadline)
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
    frame = agencies[["agency_id", "name_vi", "name_en", "plan_item"]].merge(
        counts, left_on="agency_id", right_index=True, how="left",
    )
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


def by_focus_task(tasks: pd.DataFrame, reports: pd.DataFrame, year: int, plan_items: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per focus task (in the plan's order when `plan_items` is
    given, with its text): how many tasks it has and how many are done, in
    progress, not started or not reported in `year`."""
    per_task = task_reports_for(tasks, reports, year)
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
    tasks: pd.DataFrame, reports: pd.DataFrame, year: int, agency_id: str, deadline: date | None = None,
) -> pd.DataFrame:
    """The agency's tasks in the plan's order, each with its newest report
    for `year` (status, summary, reported_on; missing when not reported) and
    on_time (True/False, missing when not reported)."""
    per_task = task_reports_for(tasks[tasks["agency_id"] == agency_id], reports, year, deadline)
    per_task = per_task.sort_values("seq", kind="stable")
    on_time = pd.array(per_task["on_time"].to_numpy(), dtype="boolean")
    on_time[~per_task["reported"].to_numpy()] = pd.NA
    return per_task.assign(on_time=on_time)[AGENCY_TASK_COLUMNS].reset_index(drop=True)


# -- the plan, read once -----------------------------------------------------
@dataclass(frozen=True)
class BorderPlan:
    """A plan with agencies that report on it yearly: its catalogue row,
    items (goals, focus tasks, scope, reporting rule), agencies, tasks and
    every current task report."""

    plan: pd.Series
    items: pd.DataFrame
    agencies: pd.DataFrame
    tasks: pd.DataFrame
    reports: pd.DataFrame
    areas: pd.DataFrame

    @classmethod
    def from_frames(
        cls, plans: pd.DataFrame, plan_items: pd.DataFrame, agencies: pd.DataFrame, tasks: pd.DataFrame,
        reports: pd.DataFrame, areas: pd.DataFrame, plan_id: str | None = None,
    ) -> BorderPlan:
        """The plan `plan_id`, or (when None) the newest plan that has a
        reporting deadline and tasks. Its agencies are those given tasks."""
        candidates = plans[plans["report_deadline_month"].notna() & plans["plan_id"].isin(tasks["plan_id"])]
        if plan_id is not None:
            candidates = candidates[candidates["plan_id"] == plan_id]
        if candidates.empty:
            raise TrackerError("border.no_plan", plan=plan_id or "")
        plan = candidates.sort_values("issued_on", kind="stable").iloc[-1]
        plan_tasks = tasks[tasks["plan_id"] == plan["plan_id"]].reset_index(drop=True)
        plan_agencies = agencies[agencies["agency_id"].isin(plan_tasks["agency_id"])]
        plan_agencies = plan_agencies.sort_values(["plan_item", "agency_id"], kind="stable").reset_index(drop=True)
        items = plan_items[plan_items["plan_id"] == plan["plan_id"]].reset_index(drop=True)
        reports = reports[reports["task_id"].isin(plan_tasks["task_id"])].reset_index(drop=True)
        return cls(plan, items, plan_agencies, plan_tasks, reports, areas)

    @classmethod
    def from_store(cls, store: Store, plan_id: str | None = None) -> BorderPlan:
        """The border plan as the store holds it now."""
        if not store.exists("tasks"):
            raise TrackerError("store.missing", root=store.root)
        tables = {name: store.current(name) for name in ("plans", "plan_items", "agencies", "tasks", "task_reports", "areas")}
        return cls.from_frames(
            tables["plans"], tables["plan_items"], tables["agencies"], tables["tasks"], tables["task_reports"],
            tables["areas"], plan_id,
        )

    # -- what the plan says
    def deadline(self, year: int) -> date:
        return report_deadline(year, self.plan["report_deadline_month"], self.plan["report_deadline_day"])

    def item_texts(self, item_type: str, lang: str = "vi") -> list[str]:
        """The texts of the plan's items of one type, in the plan's order."""
        rows = self.items[self.items["item_type"] == item_type].sort_values("seq", kind="stable")
        return [pick(row, "text", lang) for _, row in rows.iterrows()]

    def compiler(self) -> pd.Series:
        """The agency that compiles the summary: the one the plan's summary
        rule names (for 88/KH-UBND, Sở Kế hoạch và Đầu tư)."""
        rule = " ".join(self.item_texts("reporting", "vi"))
        named = self.agencies[[name in rule for name in self.agencies["name_vi"]]]
        if named.empty:
            raise TrackerError("border.no_compiler", plan=self.plan["number"])
        first = min(named.index, key=lambda i: rule.index(named.loc[i, "name_vi"]))
        return named.loc[first]

    def province(self) -> pd.Series | None:
        provinces = self.areas[self.areas["level"] == "province"]
        return provinces.iloc[0] if len(provinces) else None

    def border_districts(self) -> pd.DataFrame:
        return self.areas[(self.areas["level"] == "district") & self.areas["border"].fillna(False).astype(bool)]

    def years_reported(self) -> list[int]:
        return sorted(int(y) for y in self.reports["year"].unique())

    # -- what the agencies reported
    def compliance(self, year: int) -> pd.DataFrame:
        return compliance(self.tasks, self.agencies, self.reports, year, self.deadline(year))

    def by_focus_task(self, year: int) -> pd.DataFrame:
        return by_focus_task(self.tasks, self.reports, year, self.items)

    def agency_tasks(self, year: int, agency_id: str) -> pd.DataFrame:
        return agency_tasks(self.tasks, self.reports, year, agency_id, self.deadline(year))

    def reports_of(self, year: int) -> pd.DataFrame:
        return self.reports[self.reports["year"] == int(year)]


def compliance_table(store: Store, year: int, lang: str = "vi") -> pd.DataFrame:
    """The compliance export (SPEC §8): per agency its tasks, how many were
    reported on time, late or not at all, and its status code."""
    return compliance_export(BorderPlan.from_store(store).compliance(year), lang)


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


# -- charts --------------------------------------------------------------------
def _wrap(text: str, width: int = 45) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _stacked_bars(labels: list[str], counts: dict[str, list[int]], lang: str, axis_title: str) -> go.Figure:
    fig = go.Figure()
    for state, values in counts.items():
        fig.add_bar(
            y=labels, x=values, orientation="h", name=status_label(state, lang), marker_color=COLOURS[state],
            text=[fmt.number(v, 0, lang) if v else "" for v in values], textposition="inside",
            hovertemplate="%{y}<br>" + status_label(state, lang) + ": %{x:,.0f}<extra></extra>",
        )
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig.update_layout(
        barmode="stack", separators=fmt.PLOTLY_SEPARATORS[lang],
        legend=dict(orientation="h", x=0, y=1, yanchor="bottom", traceorder="normal"),
        margin=dict(l=10, r=10, t=60, b=10), height=120 + max(34 * len(labels), 17 * lines),
        xaxis_title=axis_title, xaxis_tickformat=",d",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def agency_chart(compliance_frame: pd.DataFrame, lang: str) -> go.Figure:
    """Per agency, its tasks stacked by the year's reported status (and not reported)."""
    counts = {
        "done": compliance_frame["status_done"].tolist(),
        "in_progress": compliance_frame["status_in_progress"].tolist(),
        "not_started": compliance_frame["status_not_started"].tolist(),
        "not_reported": compliance_frame["missing"].tolist(),
    }
    labels = [_wrap(name) for name in names(compliance_frame, lang)]
    return _stacked_bars(labels, counts, lang, t("border.chart.tasks_axis", lang))


def focus_chart(focus_frame: pd.DataFrame, lang: str) -> go.Figure:
    """Per focus task, its tasks stacked by the year's reported status (and not reported)."""
    counts = {state: focus_frame[state].tolist() for state in TASK_STATES}
    labels = [
        _wrap(f"{i}. {pick(row, 'text', lang).rstrip(';.')}") for i, (_, row) in enumerate(focus_frame.iterrows(), start=1)
    ]
    return _stacked_bars(labels, counts, lang, t("border.chart.tasks_axis", lang))


# -- the December summary ------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """Everything the December summary says, computed once for both formats."""

    plan: BorderPlan
    year: int
    lang: str
    today: date
    deadline: date
    compliance: pd.DataFrame
    focus: pd.DataFrame
    per_task: pd.DataFrame

    @classmethod
    def of(cls, plan: BorderPlan, year: int, lang: str, today: date | None = None) -> Summary:
        deadline = plan.deadline(year)
        per_task = task_reports_for(plan.tasks, plan.reports, year, deadline)
        # A past year's summary is as of the end of that year, not of today.
        today = today or min(current_date(), date(int(year), 12, 31))
        return cls(plan, int(year), lang, today, deadline, plan.compliance(year), plan.by_focus_task(year), per_task)

    def agencies_with(self, status: str) -> pd.DataFrame:
        return self.compliance[self.compliance["agency_status"] == status]

    def title(self) -> str:
        p = self.plan.plan
        return t(
            "border.summary.subject", self.lang, number=p["number"], issued=short_date(p["issued_on"], self.lang),
            issuer=p["issuer_vi"], implements=p["implements"], year=self.year,
        )

    def deadline_text(self) -> str:
        key = "border.summary.deadline_rule" if DEADLINE_DAY_IS_ON_TIME else "border.summary.deadline_rule_strict"
        return t(key, self.lang, deadline=fmt.day(self.deadline, self.lang), compiler=pick(self.plan.compiler(), "name", self.lang))

    def overview_lines(self) -> list[str]:
        """Section I: one line per agency status, naming the agencies."""
        total = len(self.compliance)
        lines = []
        for status in AGENCY_STATUSES:
            group = self.agencies_with(status)
            listed = "; ".join(names(group, self.lang)) if len(group) else t("border.summary.none", self.lang)
            lines.append(t(
                f"border.summary.count.{status}", self.lang, count=fmt.number(len(group), 0, self.lang),
                total=fmt.number(total, 0, self.lang), names=listed,
            ))
        return lines

    def task_line(self) -> str:
        c = self.compliance
        n = lambda x: fmt.number(int(x), 0, self.lang)  # noqa: E731
        return t(
            "border.summary.task_counts", self.lang, reported=n(c["tasks"].sum() - c["missing"].sum()), tasks=n(c["tasks"].sum()),
            done=n(c["status_done"].sum()), in_progress=n(c["status_in_progress"].sum()),
            not_started=n(c["status_not_started"].sum()), not_reported=n(c["missing"].sum()),
        )

    def report_line(self, row: pd.Series) -> str:
        """How one agency reported: status, newest date."""
        label = status_label(row["agency_status"], self.lang)
        status = label[:1].lower() + label[1:]
        if row["agency_status"] == "missing":
            return t("border.summary.agency_missing", self.lang, tasks=fmt.number(int(row["tasks"]), 0, self.lang))
        return t(
            "border.summary.agency_reported", self.lang, status=status, last=fmt.day(row["last_reported_on"], self.lang),
            reported=fmt.number(int(row["tasks"] - row["missing"]), 0, self.lang), tasks=fmt.number(int(row["tasks"]), 0, self.lang),
        )

    def task_result(self, task: pd.Series) -> str:
        """One task's result: its status, summary and, when late, the date."""
        if not task["reported"]:
            return t("border.summary.task_not_reported", self.lang)
        text = status_label(task["status"], self.lang) + "."
        if isinstance(task["summary"], str) and task["summary"].strip():
            text += " " + task["summary"].strip()
        if task["late"]:
            text += " " + t("border.summary.task_late", self.lang, day=fmt.day(task["reported_on"], self.lang))
        return text

    def focus_rows(self) -> pd.DataFrame:
        """Section IV's table, headers in words, with a total row."""
        f = self.focus
        rows = pd.DataFrame({
            t("border.col.no", self.lang): [str(i) for i in range(1, len(f) + 1)],
            t("border.col.focus_task", self.lang): [pick(row, "text", self.lang).rstrip(";.") for _, row in f.iterrows()],
            **{t(f"border.col.{c}", self.lang): f[c].astype("int64") for c in ["tasks", *TASK_STATES]},
        })
        total = {rows.columns[0]: "", rows.columns[1]: t("border.summary.total", self.lang)}
        total.update({t(f"border.col.{c}", self.lang): int(f[c].sum()) for c in ["tasks", *TASK_STATES]})
        return pd.concat([rows, pd.DataFrame([total])], ignore_index=True)


def december_summary(store: Store, year: int, fmt: str = "docx", lang: str = "vi", today: date | None = None) -> bytes:
    """The December summary for the year, as an editable Word document
    ("docx") or a workbook ("xlsx"): general situation, per-agency results,
    agencies not yet reported, status by focus task. Every agency appears."""
    return summary_bytes(BorderPlan.from_store(store), year, fmt, lang, today)


def summary_bytes(plan: BorderPlan, year: int, fmt_: str, lang: str = "vi", today: date | None = None) -> bytes:
    """december_summary for a plan already read (the page passes cached frames)."""
    summary = Summary.of(plan, year, lang, today)
    if fmt_ == "docx":
        return _summary_docx(summary)
    if fmt_ == "xlsx":
        return _summary_xlsx(summary)
    raise TrackerError("cli.unknown_format", format=fmt_, formats="docx, xlsx")


# Word: Vietnamese administrative style (Times New Roman 13-14 pt, A4).
FONT = "Times New Roman"
BODY_PT, TITLE_PT, SMALL_PT = 13, 14, 12


def _summary_docx(s: Summary) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    L = s.lang
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(2), Cm(2), Cm(3), Cm(2)

    def set_font(style_or_run, size, bold=None):
        font = style_or_run.font
        font.name, font.size = FONT, Pt(size)
        font.color.rgb = RGBColor(0, 0, 0)
        if bold is not None:
            font.bold = bold
        element = style_or_run.element
        rpr = element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(attr), None)

    set_font(doc.styles["Normal"], BODY_PT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Title", TITLE_PT), ("Heading 1", BODY_PT), ("Heading 2", BODY_PT)):
        style = doc.styles[name]
        set_font(style, size, bold=True)
        style.font.italic = False
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(6)
        style.paragraph_format.keep_with_next = True

    def para(text="", *, bold=False, italic=False, size=BODY_PT, align=None, style=None, indent=False):
        p = doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        return p

    def cell_lines(cell, lines):
        cell.paragraphs[0].text = ""
        for i, (text, bold, italic, size) in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(text)
            run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)

    plan, p = s.plan, s.plan.plan
    compiler = plan.compiler()
    province = plan.province()
    place = pick(province, "name", L) if province is not None else ""
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY

    # Heading block: issuing body on the left, national motto on the right.
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    cell_lines(left, [
        (p["issuer_vi"].upper(), False, False, BODY_PT),
        (pick(compiler, "name", L).upper(), True, False, BODY_PT),
        ("-------", False, False, BODY_PT),
        (t("border.summary.number", L), False, False, BODY_PT),
    ])
    cell_lines(right, [
        (t("border.summary.motto_1", L), True, False, SMALL_PT),
        (t("border.summary.motto_2", L), True, False, TITLE_PT),
        ("---------------", False, False, BODY_PT),
        (t("border.summary.place_date", L, place=place, month="" if fmt.is_missing(p["summary_month"]) else int(p["summary_month"]), year=s.year), False, True, TITLE_PT),
    ])
    para()
    para(t("border.summary.doc_type", L), bold=True, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, style="Title")
    para(s.title(), bold=True, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(t("border.summary.to", L, to=p["summary_to_vi"]), align=WD_ALIGN_PARAGRAPH.CENTER)
    para(t(
        "border.summary.intro", L, number=p["number"], issued=short_date(p["issued_on"], L), issuer=p["issuer_vi"],
        compiler=pick(compiler, "name", L), year=s.year,
    ), align=justify, indent=True)

    # I. General situation.
    doc.add_heading(t("border.summary.h1", L), level=1)
    para(s.deadline_text(), align=justify, indent=True)
    passed = deadline_passed(s.deadline, s.today)
    para(t("border.summary.as_of" if passed else "border.summary.as_of_before", L, today=fmt.day(s.today, L),
           deadline=fmt.day(s.deadline, L)), align=justify, indent=True)
    for line in s.overview_lines():
        para(line, align=justify, indent=True)
    para(s.task_line(), align=justify, indent=True)

    # II. Per-agency results.
    doc.add_heading(t("border.summary.h2", L), level=1)
    for _, agency in s.compliance.iterrows():
        doc.add_heading(f"{agency['plan_item']}. {pick(agency, 'name', L)}", level=2)
        para(s.report_line(agency), italic=True, align=justify, indent=True)
        if agency["agency_status"] == "missing":
            continue  # named again in section III; its tasks have nothing to say yet
        of_agency = s.per_task[s.per_task["agency_id"] == agency["agency_id"]].sort_values("seq", kind="stable")
        for _, task in of_agency.iterrows():
            line = para(align=justify, indent=True)
            line.add_run(t("border.summary.task_head", L, seq=task["seq"]) + " ").bold = True
            line.add_run(pick(task, "text", L)).italic = True
            para(t("border.summary.result", L) + " " + s.task_result(task), align=justify, indent=True)

    # III. Agencies not yet reported.
    doc.add_heading(t("border.summary.h3", L), level=1)
    missing = s.agencies_with("missing")
    if missing.empty:
        para(t("border.summary.all_reported", L), align=justify, indent=True)
    else:
        para(t("border.summary.missing_intro", L, count=fmt.number(len(missing), 0, L), total=fmt.number(len(s.compliance), 0, L)),
             align=justify, indent=True)
        for i, (_, agency) in enumerate(missing.iterrows(), start=1):
            para(t("border.summary.missing_item", L, no=i, name=pick(agency, "name", L), tasks=fmt.number(int(agency["tasks"]), 0, L)), indent=True)
    partial = s.agencies_with("partial")
    if len(partial):
        para(t("border.summary.partial_intro", L, count=fmt.number(len(partial), 0, L)), align=justify, indent=True)
        for i, (_, agency) in enumerate(partial.iterrows(), start=1):
            not_reported = s.per_task[(s.per_task["agency_id"] == agency["agency_id"]) & ~s.per_task["reported"]]
            para(t(
                "border.summary.partial_item", L, no=i, name=pick(agency, "name", L), missing=fmt.number(int(agency["missing"]), 0, L),
                tasks=fmt.number(int(agency["tasks"]), 0, L), seqs=", ".join(str(x) for x in sorted(not_reported["seq"])),
            ), indent=True)
    if not missing.empty or len(partial):
        para(t("border.summary.urge", L, compiler=pick(compiler, "name", L)), align=justify, indent=True)

    # IV. Status by focus task.
    doc.add_heading(t("border.summary.h4", L), level=1)
    rows = s.focus_rows()
    table = doc.add_table(rows=1, cols=len(rows.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, rows.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(header))
        run.bold, run.font.size = True, Pt(SMALL_PT)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, (_, row) in enumerate(rows.iterrows()):
        cells = table.add_row().cells
        for j, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            text = fmt.number(value, 0, L) if isinstance(value, (int, np.integer)) else str(value)
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(SMALL_PT)
            run.bold = (i == len(rows) - 1) or None
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
    widths = [Cm(1)] + [Cm(6)] + [Cm(1.8)] * (len(rows.columns) - 2)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width

    para()
    para(t("border.summary.closing", L, compiler=pick(compiler, "name", L), to=p["summary_to_vi"]), align=justify, indent=True)

    # Recipients on the left, signature on the right.
    foot = doc.add_table(rows=1, cols=2)
    foot.autofit = False
    left, right = foot.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run(t("border.summary.recipients", L))
    run.bold, run.italic, run.font.size = True, True, Pt(SMALL_PT)
    for line in (t("border.summary.recipient_to", L, to=p["summary_to_vi"]), t("border.summary.recipient_file", L)):
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.add_run(line).font.size = Pt(11)
    cell_lines(right, [(t("border.summary.signer", L), True, False, BODY_PT)])

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _summary_xlsx(s: Summary) -> bytes:
    L = s.lang
    c = s.compliance
    col = lambda key: t(f"border.col.{key}", L)  # noqa: E731
    overview = pd.DataFrame({
        col("item"): [t("border.summary.doc_type", L), t("border.col.deadline", L)]
        + [t(f"border.overview.agencies_{x}", L) for x in AGENCY_STATUSES]
        + [t(f"border.overview.tasks_{x}", L) for x in ["all", *TASK_STATES]],
        col("value"): [s.title(), fmt.day(s.deadline, L)]
        + [str(len(s.agencies_with(x))) + "/" + str(len(c)) for x in AGENCY_STATUSES]
        + [str(int(c["tasks"].sum()))] + [str(int(s.focus[x].sum())) for x in TASK_STATES],
        col("agencies"): ["", ""]
        + ["; ".join(names(s.agencies_with(x), L)) for x in AGENCY_STATUSES]
        + [""] * (1 + len(TASK_STATES)),
    })
    agencies = pd.DataFrame({
        col("no"): c["plan_item"].astype("int64"),
        col("agency"): names(c, L),
        col("agency_status"): [status_chip(x, L) for x in c["agency_status"]],
        col("tasks"): c["tasks"],
        col("reported_on_time"): c["reported_on_time"],
        col("reported_late"): c["reported_late"],
        col("not_reported"): c["missing"],
        col("done"): c["status_done"],
        col("in_progress"): c["status_in_progress"],
        col("not_started"): c["status_not_started"],
        col("last_reported_on"): [fmt.day(d, L) for d in c["last_reported_on"]],
    })
    order = {a: i for i, a in enumerate(c["agency_id"])}
    per_task = s.per_task.assign(_order=s.per_task["agency_id"].map(order)).sort_values(["_order", "seq"], kind="stable")
    agency_names = dict(zip(c["agency_id"], names(c, L), strict=True))
    tasks = pd.DataFrame({
        col("agency"): per_task["agency_id"].map(agency_names),
        col("seq"): per_task["seq"].astype("int64"),
        col("focus_task"): [focus_label(s.plan, f, L) for f in per_task["focus_task_id"]],
        col("task"): [pick(row, "text", L) for _, row in per_task.iterrows()],
        col("status"): [status_label(x if isinstance(x, str) else "not_reported", L) for x in per_task["status"]],
        col("summary"): per_task["summary"].fillna(""),
        col("reported_on"): [fmt.day(d, L) for d in per_task["reported_on"]],
        col("on_time"): [
            (t("border.yes", L) if on_time else t("border.no", L)) if reported else ""
            for reported, on_time in zip(per_task["reported"], per_task["on_time"], strict=True)
        ],
    })
    not_yet = c[c["agency_status"].isin(["missing", "partial"])]
    missing = pd.DataFrame({
        col("agency"): names(not_yet, L),
        col("agency_status"): [status_chip(x, L) for x in not_yet["agency_status"]],
        col("tasks"): not_yet["tasks"],
        col("not_reported"): not_yet["missing"],
    })
    sheets = {
        t("border.sheet.overview", L): overview,
        t("border.sheet.agencies", L): agencies,
        t("border.sheet.tasks", L): tasks,
        t("border.sheet.missing", L): missing,
        t("border.sheet.focus", L): s.focus_rows(),
    }
    return workbook(sheets)


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Several frames as the sheets of one workbook, cells escaped against
    formulas like every export (tracker.exporting)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        wrap = writer.book.add_format({"text_wrap": True, "valign": "top"})
        for name, frame in sheets.items():
            safe = exporting.escape_formulas(frame)
            safe.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(safe.columns):
                longest = max([len(str(column))] + [len(str(v)) for v in safe[column]])
                sheet.set_column(i, i, min(70, max(8, longest + 2)), wrap if longest > 70 else None)
    return buffer.getvalue()
