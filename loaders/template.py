"""The analysts' workbook, generated from the catalogue in the store.

Design (one for all sheets an analyst fills): row 1 holds the machine column
names of the tidy contract (indicator_id, area_id, …), so a filled template
is read back exactly whatever the language; each header cell carries a
comment with the Vietnamese and English label and how to fill the column.
Data start on row 2. Sheets:

- `huong_dan`: instructions, in the chosen language first and the other
  below, with every way a value may be written and how it is read (the
  examples are run through the real parser, so they cannot drift);
- `so_lieu`: one row per figure, dropdowns for ids, period and kind;
  value, % of plan and % on last year are text cells so that "1.437,4" or
  "khoảng 304" stay as written whatever Excel's locale;
- `bao_cao_nhiem_vu`: one row per border-plan task report (SPEC §7);
- `danh_muc`: the catalogue (indicators with units, areas, periods, kinds,
  agencies, tasks, statuses), protected, feeding the dropdowns.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from loaders.upload.layout import SHEET_CATALOGUE, SHEET_INSTRUCTIONS
from loaders.upload.settings import limits
from loaders.upload.values import parse_value
from tracker import border, fmt, schema, settings
from tracker.errors import TrackerError
from tracker.i18n import LANGS, t
from tracker.outputs.files import write_atomic
from tracker.store import Store

SHEET_DATA = "so_lieu"
SHEET_TASKS = "bao_cao_nhiem_vu"

DATA_COLUMNS = [
    "indicator_id", "area_id", "year", "period", "kind", "value", "pct_of_plan", "yoy_pct", "source", "note",
]
TASK_COLUMNS = list(schema.TASK_REPORT_COLUMNS)
# Rows that carry the dropdowns; an analyst may add rows below, unchecked by Excel.
FILLABLE_ROWS = 2000

# The forms the instructions show, each with an example read by parse_value.
VALUE_EXAMPLES = [
    ("number", "7,98"), ("number", "1.437,4"), ("number", "-0,58"), ("number", "7,98%"),
    ("number", "3.600 tỷ đồng"), ("approx", "khoảng 304"), ("range", "8 - 9"), ("range", "7,7 - 8"),
    ("range", "từ 8 đến 9"), ("at_least", "từ 5 trở lên"), ("at_least", "trên 3.600"),
    ("at_least", "≥ 5"), ("at_most", "dưới 3"), ("at_most", "tối đa 3"), ("at_most", "≤ 3"),
]
PERCENT_EXAMPLES = ["50,4", "50,4%", "đạt 95%", "tăng 8,5%", "giảm 3,2%"]


def write_template(store: Store, path: str | Path, lang: str = "vi") -> None:
    """Write the template workbook for the store's catalogue to `path`
    (whole or not at all)."""
    write_atomic(path, template_bytes(store, lang))


def template_bytes(store: Store, lang: str = "vi") -> bytes:
    """The template workbook as bytes (for a download button)."""
    catalogue = {
        table: store.current(table) if store.exists(table) else pd.DataFrame(columns=schema.CATALOGUE_COLUMNS[table])
        for table in ("indicators", "areas", "agencies", "tasks", "plans")
    }
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(book)
    instructions = book.add_worksheet(SHEET_INSTRUCTIONS)
    data = book.add_worksheet(SHEET_DATA)
    tasks = book.add_worksheet(SHEET_TASKS)
    cat = book.add_worksheet(SHEET_CATALOGUE)
    plan = _task_plan(catalogue)
    names = _catalogue_sheet(book, cat, catalogue, formats, lang, plan)
    _data_sheet(data, formats, names, lang)
    _task_sheet(tasks, formats, names, lang)
    _instructions_sheet(instructions, catalogue, formats, lang, plan)
    data.activate()
    book.close()
    return buffer.getvalue()


def _task_plan(catalogue: dict) -> pd.Series | None:
    """The plans row the task reports are about (tracker.border.choose_plan), None when there is none."""
    try:
        return border.choose_plan(catalogue["plans"], catalogue["tasks"])
    except TrackerError:
        return None


def _tasks_text(key: str, plan: pd.Series | None, lang: str, **params) -> str:
    """A text about the task reports naming their plan ("Nhiệm vụ (88/KH-UBND)") and its
    deadline, or the general text when the store has no such plan."""
    if plan is None:
        return t(f"{key}_general", lang, **params)
    deadline = fmt.day_of_year(plan["report_deadline_month"], plan["report_deadline_day"], lang)
    return t(key, lang, plan=plan["number"], deadline=deadline, **params)


def _formats(book) -> dict:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "heading": book.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E79"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "cell": book.add_format({"valign": "top"}),
    }


def _other(lang: str) -> str:
    return next(other for other in LANGS if other != lang)


def _header(sheet, columns: list[str], formats: dict, lang: str) -> None:
    """Row 1: machine names, each with its labels and help as a comment."""
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, formats["header"])
        comment = "\n".join([
            t(f"upload.label.{name}", lang) + " / " + t(f"upload.label.{name}", _other(lang)),
            t(f"upload.colhelp.{name}", lang),
        ])
        sheet.write_comment(0, col, comment, {"x_scale": 2.5, "y_scale": 2})
    sheet.freeze_panes(1, 0)


def _list(sheet, col: int, source: str, lang: str, key: str) -> None:
    sheet.data_validation(1, col, FILLABLE_ROWS, col, {
        "validate": "list", "source": source, "ignore_blank": True,
        "input_title": t(f"upload.label.{key}", lang)[:32], "input_message": t(f"upload.colhelp.{key}", lang)[:255],
        "error_title": t("upload.template.not_in_list_title", lang)[:32],
        "error_message": t("upload.template.not_in_list", lang)[:255],
    })


def _data_sheet(sheet, formats: dict, names: dict, lang: str) -> None:
    _header(sheet, DATA_COLUMNS, formats, lang)
    widths = {"indicator_id": 34, "area_id": 18, "year": 8, "period": 8, "kind": 10, "value": 16,
              "pct_of_plan": 12, "yoy_pct": 12, "source": 26, "note": 50}
    for col, name in enumerate(DATA_COLUMNS):
        text = name in ("value", "pct_of_plan", "yoy_pct", "indicator_id", "area_id", "source", "note")
        sheet.set_column(col, col, widths[name], formats["text"] if text else None)
    col = DATA_COLUMNS.index
    _list(sheet, col("indicator_id"), f"={names['indicators']}", lang, "indicator_id")
    _list(sheet, col("area_id"), f"={names['areas']}", lang, "area_id")
    _list(sheet, col("period"), list(schema.PERIODS), lang, "period")
    _list(sheet, col("kind"), list(schema.KINDS), lang, "kind")
    _year(sheet, col("year"), lang)


def _year(sheet, col: int, lang: str) -> None:
    sheet.data_validation(1, col, FILLABLE_ROWS, col, {
        "validate": "integer", "criteria": "between", "minimum": schema.YEAR_MIN, "maximum": schema.YEAR_MAX,
        "error_title": t("upload.label.year", lang)[:32],
        "error_message": t("upload.year.bad", lang, min=schema.YEAR_MIN, max=schema.YEAR_MAX)[:255],
    })


def _task_sheet(sheet, formats: dict, names: dict, lang: str) -> None:
    _header(sheet, TASK_COLUMNS, formats, lang)
    widths = {"task_id": 14, "agency_id": 16, "year": 8, "status": 14, "summary": 70, "reported_on": 14}
    for col, name in enumerate(TASK_COLUMNS):
        style = formats["date"] if name == "reported_on" else formats["text"] if name != "year" else None
        sheet.set_column(col, col, widths[name], style)
    col = TASK_COLUMNS.index
    _list(sheet, col("task_id"), f"={names['tasks']}", lang, "task_id")
    _list(sheet, col("agency_id"), f"={names['agencies']}", lang, "agency_id")
    _list(sheet, col("status"), list(schema.TASK_STATUSES), lang, "status")
    _year(sheet, col("year"), lang)
    sheet.data_validation(1, col("reported_on"), FILLABLE_ROWS, col("reported_on"), {
        "validate": "date", "criteria": "between",
        "minimum": date(schema.YEAR_MIN, 1, 1), "maximum": date(schema.YEAR_MAX, 12, 31),
        "error_title": t("upload.label.reported_on", lang)[:32], "error_message": t("upload.date.bad", lang)[:255],
    })


def _catalogue_sheet(book, sheet, catalogue: dict, formats: dict, lang: str, plan: pd.Series | None) -> dict:
    """The catalogue blocks side by side; returns the defined names of the
    id lists the dropdowns use."""
    indicators = catalogue["indicators"]
    areas = catalogue["areas"]
    agencies = catalogue["agencies"]
    tasks = catalogue["tasks"]
    blocks = [
        ("indicators", ["indicator_id", "name_vi", "name_en", "unit_vi", "unit_en", "measure"],
         [[r["indicator_id"], r["name_vi"], r["name_en"], r["unit_vi"], r["unit_en"], r["measure"]]
          for r in indicators.to_dict("records")], [34, 50, 40, 14, 14, 8]),
        ("areas", ["area_id", "name_vi", "name_en", "level"],
         [[r["area_id"], r["name_vi"], r["name_en"], r["level"]] for r in areas.to_dict("records")], [20, 20, 20, 10]),
        ("periods", ["period", "label_vi", "label_en"],
         [[p, t(f"upload.period.{p}", "vi"), t(f"upload.period.{p}", "en")] for p in schema.PERIODS], [8, 34, 30]),
        ("kinds", ["kind", "label_vi", "label_en"],
         [[k, t(f"upload.kind.{k}", "vi"), t(f"upload.kind.{k}", "en")] for k in schema.KINDS], [10, 26, 22]),
        ("agencies", ["agency_id", "name_vi", "name_en"],
         [[r["agency_id"], r["name_vi"], r["name_en"]] for r in agencies.to_dict("records")], [16, 40, 30]),
        ("tasks", ["task_id", "agency_id", "text_vi"],
         [[r["task_id"], r["agency_id"], r["text_vi"]] for r in tasks.to_dict("records")], [12, 14, 60]),
        ("statuses", ["status", "label_vi", "label_en"],
         [[s, t(f"upload.status.{s}", "vi"), t(f"upload.status.{s}", "en")] for s in schema.TASK_STATUSES],
         [14, 20, 16]),
    ]
    names = {}
    start = 0
    for block, columns, rows, widths in blocks:
        key = f"upload.catalogue.{block}"
        heading = _tasks_text(key, plan, lang) if block == "tasks" else t(key, lang)
        sheet.write_string(0, start, heading, formats["heading"])
        for offset, column in enumerate(columns):
            sheet.write_string(1, start + offset, column, formats["header"])
            sheet.set_column(start + offset, start + offset, widths[offset])
        for i, row in enumerate(rows):
            for offset, cell in enumerate(row):
                sheet.write_string(2 + i, start + offset, "" if fmt.is_missing(cell) else str(cell))
        letter = xl_col_to_name(start)
        last = 2 + max(len(rows), 1)
        name = f"ds_{block}"
        book.define_name(name, f"={SHEET_CATALOGUE}!${letter}$3:${letter}${last}")
        names[block] = name
        start += len(columns) + 1
    sheet.freeze_panes(2, 0)
    sheet.protect("", {"autofilter": True, "format_columns": True})
    return names


def _instructions_sheet(sheet, catalogue: dict, formats: dict, lang: str, plan: pd.Series | None) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 80)
    row = 0
    for reading in (lang, _other(lang)):
        row = _instructions(sheet, row, catalogue, formats, reading, plan) + 2


def _instructions(sheet, row: int, catalogue: dict, formats: dict, lang: str, plan: pd.Series | None) -> int:
    """One language's instructions from `row`; returns the next free row."""
    root = settings.home_area(catalogue["areas"]) if len(catalogue["areas"]) else ""
    limit = limits()

    def line(text: str, style: str = "wrap") -> None:
        nonlocal row
        sheet.merge_range(row, 0, row, 2, text, formats[style])
        if style == "wrap":
            sheet.set_row(row, 15 * max(1, len(text) // 120 + 1))
        row += 1

    def table(header: list[str], rows: list[list[str]]) -> None:
        nonlocal row
        for col, text in enumerate(header):
            sheet.write_string(row, col, text, formats["header"])
        row += 1
        for cells in rows:
            for col, text in enumerate(cells):
                sheet.write_string(row, col, text, formats["wrap"])
            row += 1

    line(t("upload.template.title", lang), "title")
    line(t("upload.template.made", lang, day=fmt.day(fmt.today(), lang), indicators=len(catalogue["indicators"]),
           areas=len(catalogue["areas"]), tasks=len(catalogue["tasks"])))
    row += 1
    line(t("upload.template.how", lang), "heading")
    for i in range(1, 9):
        line(f"{i}. " + t(f"upload.template.how.{i}", lang, root=root, data=SHEET_DATA, catalogue=SHEET_CATALOGUE))
    row += 1
    line(t("upload.template.columns", lang), "heading")
    table(
        [t("upload.template.col_name", lang), t("upload.template.col_label", lang), t("upload.template.col_help", lang)],
        [[c, t(f"upload.label.{c}", lang), t(f"upload.colhelp.{c}", lang)] for c in DATA_COLUMNS],
    )
    row += 1
    line(t("upload.template.values", lang), "heading")
    table(
        [t("upload.template.form", lang), t("upload.template.example", lang), t("upload.template.read_as", lang)],
        [[t(f"upload.form.{form}", lang), example, _read_as(parse_value(example), lang)]
         for form, example in VALUE_EXAMPLES],
    )
    line(t("upload.template.values_rule", lang))
    line(t("upload.template.percent", lang, examples=", ".join(f"“{e}”" for e in PERCENT_EXAMPLES)))
    row += 1
    line(t("upload.template.periods", lang), "heading")
    table([t("upload.label.period", lang), t("upload.template.meaning", lang), ""],
          [[p, t(f"upload.period.{p}", lang), ""] for p in schema.PERIODS])
    row += 1
    line(t("upload.template.kinds", lang), "heading")
    table([t("upload.label.kind", lang), t("upload.template.meaning", lang), ""],
          [[k, t(f"upload.kind.{k}", lang), ""] for k in schema.KINDS])
    row += 1
    line(_tasks_text("upload.template.tasks", plan, lang), "heading")
    line("1. " + t("upload.template.tasks.1", lang, sheet=SHEET_TASKS))
    line("2. " + _tasks_text("upload.template.tasks.2", plan, lang))
    line("3. " + t("upload.template.tasks.3", lang))
    table(
        [t("upload.template.col_name", lang), t("upload.template.col_label", lang), t("upload.template.col_help", lang)],
        [[c, t(f"upload.label.{c}", lang), t(f"upload.colhelp.{c}", lang)] for c in TASK_COLUMNS],
    )
    row += 1
    line(t("upload.template.wide", lang), "heading")
    line(t("upload.template.wide.1", lang))
    row += 1
    line(t("upload.template.upload", lang), "heading")
    for i in range(1, 5):
        line(f"{i}. " + t(f"upload.template.upload.{i}", lang, max_mb=limit.max_file_bytes // 2**20,
                           max_rows=fmt.number(limit.max_rows, 0, lang)))
    return row


def _read_as(parsed, lang: str) -> str:
    """How the parser reads an example, in words."""
    number = lambda x: fmt.number(x, None, lang)  # noqa: E731
    if parsed.qualifier == "range":
        text = t("upload.read.range", lang, low=number(parsed.low), high=number(parsed.high))
    elif parsed.qualifier == "at_least":
        text = t("upload.read.at_least", lang, low=number(parsed.low))
    elif parsed.qualifier == "at_most":
        text = t("upload.read.at_most", lang, high=number(parsed.high))
    else:
        text = t(f"upload.read.{parsed.qualifier}", lang, value=number(parsed.value))
    if parsed.unit:
        text += " " + t("upload.read.unit", lang, unit=parsed.unit)
    return text
