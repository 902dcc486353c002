"""The December summary of the border-area plan for UBND tỉnh (SPEC §7):
an editable Word document in Vietnamese administrative style and a workbook
with the same content, compiled by the body in force on the year's deadline."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tracker import fmt
from tracker.border import (
    AGENCY_STATUSES,
    DEADLINE_DAY_IS_ON_TIME,
    TASK_STATES,
    BorderPlan,
    compliance_rows,
    deadline_passed,
    focus_label,
    names,
    short_date,
    status_chip,
    status_label,
)
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.outputs import tabular
from tracker.store import Store


@dataclass(frozen=True)
class Summary:
    """Everything the December summary says, computed once for both formats."""

    plan: BorderPlan
    year: int
    lang: str
    as_of: date
    deadline: date
    compliance: pd.DataFrame
    focus: pd.DataFrame
    per_task: pd.DataFrame

    @classmethod
    def of(cls, plan: BorderPlan, year: int, lang: str, today: date | None = None) -> Summary:
        deadline = plan.deadline(year)
        per_task = plan.per_task(year)
        as_of = as_of_day(today or plan.today(), int(year), deadline, per_task["reported_on"])
        return cls(plan, int(year), lang, as_of, deadline, plan.compliance(year), plan.by_focus_task(year), per_task)

    def compiler(self) -> pd.Series:
        """The body that compiles this year's summary (in force on its deadline)."""
        return self.plan.compiler(self.year)

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
        return t(key, self.lang, deadline=fmt.day(self.deadline, self.lang), compiler=pick(self.compiler(), "name", self.lang))

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


def as_of_day(today: date, year: int, deadline: date, reported_on: pd.Series) -> date:
    """The date a summary of `year` speaks as of: today while the year
    lasts; for a past year, the day of its newest report (the deadline when
    that was earlier), so a 2024 summary made in 2026 does not say "as of"
    a day of 2026."""
    if today <= date(int(year), 12, 31):
        return today
    newest = pd.to_datetime(reported_on).max()
    return max(deadline, newest.date()) if pd.notna(newest) else deadline


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
    # python-docx loads only when a summary is downloaded, not with the border plan's page.
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
    compiler = s.compiler()
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
    passed = deadline_passed(s.deadline, s.as_of)
    para(t("border.summary.as_of" if passed else "border.summary.as_of_before", L, today=fmt.day(s.as_of, L),
           deadline=fmt.day(s.deadline, L)), align=justify, indent=True)
    for line in s.overview_lines():
        para(line, align=justify, indent=True)
    para(s.task_line(), align=justify, indent=True)

    # II. Per-agency results.
    doc.add_heading(t("border.summary.h2", L), level=1)
    for number, (_, agency) in enumerate(s.compliance.iterrows(), start=1):
        doc.add_heading(f"{number}. {pick(agency, 'name', L)}", level=2)
        para(s.report_line(agency), italic=True, align=justify, indent=True)
        if agency["agency_status"] == "missing":
            continue  # named again in section III; its tasks have nothing to say yet
        # In the plan's order; a body that took over several agencies' tasks numbers them in turn.
        of_agency = s.per_task[s.per_task["agency_id"] == agency["agency_id"]]
        for seq, (_, task) in enumerate(of_agency.iterrows(), start=1):
            line = para(align=justify, indent=True)
            line.add_run(t("border.summary.task_head", L, seq=seq) + " ").bold = True
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
    agencies = compliance_rows(c, s.plan.agencies, L)
    order = {a: i for i, a in enumerate(c["agency_id"])}
    per_task = s.per_task.assign(_order=s.per_task["agency_id"].map(order)).sort_values("_order", kind="stable")
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
    """Several frames as the sheets of one workbook, written by the one table
    writer (tracker.outputs.tabular: one width rule, long text wrapped,
    cells escaped against formulas)."""
    return tabular.workbook_bytes(sheets)
