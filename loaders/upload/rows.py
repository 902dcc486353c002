"""A row's problems in words: each row the column checks (`check`) refuse
checked again cell by cell, to name every problem with its cell and reason.
The rules are applied here a second time, one row at a time: merging this
into the column checks (one engine) is the open step of issue 12."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from loaders.upload.catalogue import Catalogue, catalogue_units, implausible, unit_differs
from loaders.upload.grid import Grid
from loaders.upload.layout import Layout, sheet_rules
from loaders.upload.problems import Problem
from loaders.upload.values import ValueParseError, parse_number, parse_value
from loaders.upload.words import aliases, cell_text, empty_cell, norm
from tracker import fmt, schema
from tracker.i18n import LANGS

# Dates are judged on the province's clock (a report dated today in Vietnam is not in the future).
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


class Row:
    """One record being checked: its cells by code, and where to point."""

    def __init__(self, grid: Grid, index: int, layout: Layout, problems: list[Problem], fixed: dict | None = None,
                 value_column: int | None = None, drop: tuple[str, ...] = ()):
        self.grid, self.index, self.layout, self.problems = grid, index, layout, problems
        # A column's header that names the kind or period wins over a kind or period column.
        self.columns = {code: j for code, j in layout.columns.items() if code not in drop}
        if value_column is not None:
            self.columns["value"] = value_column
        self.fixed = fixed or {}
        self.failures = 0

    @property
    def failed(self) -> bool:
        return self.failures > 0

    @property
    def number(self) -> int:
        return self.grid.numbers[self.index]

    def where(self, code: str) -> str | None:
        j = self.columns.get(code)
        if j is None:
            return None
        return self.layout.column_name(j)

    def raw(self, code: str):
        j = self.columns.get(code)
        if j is None:
            return None
        row = self.grid.rows[self.index]
        return row[j] if j < len(row) else None

    def get(self, code: str):
        """The cell of `code` (None when empty or absent); an unreadable
        cell is reported and counts as failed."""
        j = self.columns.get(code)
        if j is not None:
            bad = self.grid.bad.get((self.index, j))
            if bad:
                self.fail(code, bad[0], **bad[1])
                return None
            cell = self.raw(code)
            if not empty_cell(cell):
                return cell
        return self.fixed.get(code)

    def fail(self, code: str | None, key: str, **params) -> None:
        self.failures += 1
        value = self.raw(code) if code else None
        self.problems.append(Problem(self.grid.sheet, self.number, self.where(code) if code else None,
                                     value, key, params))



def sheet_rows(grid: Grid, layout: Layout, problems: list[Problem], kind: str | None,
             period: str | None) -> list[tuple[str, Row]]:
    """(table, row) for every row of the table that holds anything."""
    fixed = sheet_rules(grid, layout, problems, kind, period)
    records = []
    used = set(layout.columns.values()) | set(layout.years)
    for i in range(layout.header + 1, grid.height):
        cells = grid.rows[i]
        filled = {j for j in used if (j < len(cells) and not empty_cell(cells[j])) or (i, j) in grid.bad}
        if not filled:
            continue
        if layout.table == "wide":
            for j, column in layout.years.items():
                if j in filled:
                    named = {k: v for k, v in (("kind", column.kind), ("period", column.period)) if v}
                    row = Row(grid, i, layout, problems, {**fixed, "year": column.year, **named}, value_column=j,
                               drop=tuple(named))
                    records.append(("observations", row))
        else:
            records.append((layout.table, Row(grid, i, layout, problems, fixed)))
    return records


# -- checking records --------------------------------------------------------------------------------
def _id(row: Row, code: str, cat: Catalogue, what: str, required: bool = True) -> str | None:
    """The catalogue id a cell names (by id, any case, or by name); None
    with a problem when unknown, or when empty and `required`."""
    before = row.failures
    text = cell_text(row.get(code))
    if text is None:
        if required and row.failures == before:
            row.fail(code if code in row.columns else None, f"upload.{what}.missing")
        return None
    found = cat.find(what, text)
    if found is None:
        suggestions = cat.suggest(what, text)
        if suggestions:
            row.fail(code, f"upload.{what}.unknown", suggestions=suggestions)
        else:
            row.fail(code, f"upload.{what}.unknown_plain")
    return found


def year_of(cell) -> int | None:
    """The year a (non-empty) cell names, or None when it names none in range."""
    year = None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        year = int(cell)
    elif isinstance(cell, str) and re.fullmatch(r"\s*\d{4}\s*", cell):
        year = int(cell)
    if year is None or not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        return None
    return year


def _year(row: Row) -> int | None:
    cell = row.get("year")
    if cell is None:
        if "year" in row.columns:
            row.fail("year", "upload.year.missing")
        return None
    year = year_of(cell)
    if year is None:
        row.fail("year", "upload.year.bad", min=schema.YEAR_MIN, max=schema.YEAR_MAX)
    return year


def vocab_of(cell, vocab: str, codes: tuple[str, ...]) -> str | None:
    """The code a (non-empty) cell names in a vocabulary, or None."""
    text = cell_text(cell)
    if text in codes:
        return text
    if vocab == "period" and schema.span(text.upper()) is not None:  # a multi-year plan: "P2021_2025"
        return text.upper()
    return aliases()[vocab].get(norm(text))


def _vocab(row: Row, code: str, vocab: str, codes: tuple[str, ...]) -> str | None:
    cell = row.get(code)
    if cell is None:
        if code in row.columns:
            row.fail(code, f"upload.{vocab}.missing")
        return None
    found = vocab_of(cell, vocab, codes)
    if found is None:
        row.fail(code, f"upload.{vocab}.unknown", allowed=", ".join(codes + (("P2021_2025",) if vocab == "period" else ())))
    return found


def _number(row: Row, code: str) -> float | None:
    cell = row.get(code)
    if cell is None:
        return None
    try:
        return parse_number(cell)
    except ValueParseError as exc:
        row.fail(code, exc.key, **exc.params)
        return None




def observation(row: Row, cat: Catalogue) -> dict | None:
    """A checked figure, or None when the row has problems (all reported)."""
    by_name = "indicator_id" not in row.columns and "indicator_name" in row.columns
    indicator = _id(row, "indicator_name" if by_name else "indicator_id", cat, "indicator")
    if row.get("area_id") is None:
        area = cat.root_area
        if area is None:
            row.fail("area_id" if "area_id" in row.columns else None, "upload.area.missing")
    else:
        area = _id(row, "area_id", cat, "area")
    year = _year(row)
    period = _vocab(row, "period", "period", schema.PERIODS)
    last = schema.span(period)[1] if period is not None and schema.span(period) else None
    if last is not None and year is not None and year != last:
        row.fail("year", "upload.period.span_year", last=last)
    kind = _vocab(row, "kind", "kind", schema.KINDS)

    before = row.failures
    value, low, high, qualifier, unit = _figure(row)
    pct_of_plan = _number(row, "pct_of_plan")
    yoy_pct = _number(row, "yoy_pct")
    has_figure_column = bool({"value", "pct_of_plan", "yoy_pct"} & set(row.columns))
    if row.failures == before and has_figure_column and all(x is None for x in (value, low, high, pct_of_plan,
                                                                               yoy_pct)):
        row.fail("value" if "value" in row.columns else None, "upload.figure.missing")

    if indicator is not None:
        entry = cat.indicators[indicator]
        expected = catalogue_units(entry)
        if unit and unit_differs(entry, unit):
            row.fail("value", "upload.unit.mismatch", unit=unit, expected=expected[0] if expected else "")
        unit_column = cell_text(row.get("unit"))
        if unit_column and unit_differs(entry, unit_column):
            row.fail("unit", "upload.unit.mismatch", unit=unit_column, expected=expected[0] if expected else "")
        for x in (value, low, high):
            found = implausible(entry, x) if x is not None else None
            if found:
                row.fail("value", found[0], **found[1])
                break

    source = cell_text(row.get("source"))
    if source is None and "source" in row.columns:  # no column at all: reported once for the sheet
        row.fail("source", "upload.source.missing")
    note = cell_text(row.get("note"))
    # A field missing without a cell problem is a missing column, reported once for the sheet.
    if row.failed or None in (indicator, area, year, period, kind):
        return None
    return {
        "indicator_id": indicator, "area_id": area, "year": year, "period": period, "kind": kind,
        "value": value, "low": low, "high": high, "qualifier": qualifier,
        "pct_of_plan": pct_of_plan, "yoy_pct": yoy_pct, "source": source, "note": note,
    }


def _figure(row: Row) -> tuple[float | None, float | None, float | None, str, str]:
    """(value, low, high, qualifier, unit written). The value cell as an
    analyst writes it ("8 - 9", "khoảng 304"); or, for a plain number and
    a row that fills the contract's qualifier, low or high columns (a
    re-imported export), those columns."""
    parsed = None
    cell = row.get("value")
    if cell is not None:
        try:
            parsed = parse_value(cell)
        except ValueParseError as exc:
            row.fail("value", exc.key, **exc.params)
            return None, None, None, "exact", ""
    explicit = {c: row.get(c) is not None for c in ("qualifier", "low", "high")}
    if not any(explicit.values()):
        if parsed is None:
            return None, None, None, "exact", ""
        return parsed.value, parsed.low, parsed.high, parsed.qualifier, parsed.unit
    qualifier = _vocab_qualifier(row)
    if parsed is not None and parsed.qualifier != "exact":
        # The form is in the value cell; the other columns may only agree with it.
        bounds = {"low": parsed.low, "high": parsed.high}
        if any(explicit[c] and _number(row, c) != bounds[c] for c in bounds) or (
                explicit["qualifier"] and qualifier != parsed.qualifier):
            row.fail("value", "upload.qualifier.twice")
        return parsed.value, parsed.low, parsed.high, parsed.qualifier, parsed.unit
    low, high = _number(row, "low"), _number(row, "high")
    needs = {"range": ("low", "high"), "at_least": ("low",), "at_most": ("high",)}.get(qualifier, ())
    for bound in needs:
        if not explicit[bound]:
            row.fail(bound if bound in row.columns else "qualifier", "upload.qualifier.needs_bounds",
                     qualifier=qualifier)
    if low is not None and high is not None and low > high:
        row.fail("low", "upload.value.low_above_high", low=fmt.number(low), high=fmt.number(high))
    value = parsed.value if parsed is not None else None
    return value, low, high, qualifier, parsed.unit if parsed is not None else ""


def _vocab_qualifier(row: Row) -> str:
    text = cell_text(row.get("qualifier"))
    if text is None:
        low, high = row.get("low") is not None, row.get("high") is not None
        return "range" if low and high else "at_least" if low else "at_most" if high else "exact"
    if text.lower() in schema.QUALIFIERS:
        return text.lower()
    row.fail("qualifier", "upload.qualifier.unknown", allowed=", ".join(schema.QUALIFIERS))
    return "exact"


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")


def _date(row: Row) -> datetime | None:
    cell = row.get("reported_on")
    if cell is None:
        if "reported_on" in row.columns:
            row.fail("reported_on", "upload.date.missing")
        return None
    if isinstance(cell, datetime):
        return cell
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, str):
        for pattern in _DATE_FORMATS:
            try:
                day = datetime.strptime(cell.strip(), pattern)
            except ValueError:
                continue
            if schema.YEAR_MIN <= day.year <= schema.YEAR_MAX:
                return day
    row.fail("reported_on", "upload.date.bad")
    return None


def _agency_name(cat: Catalogue, agency_id: str) -> dict[str, str]:
    """An agency as a message names it, per language: "Sở Tài chính (stc_2025)"."""
    entry = cat.agencies.get(agency_id, {})
    return {g: f"{entry.get(f'name_{g}') or entry.get('name_vi') or agency_id} ({agency_id})" for g in LANGS}


def task_report(row: Row, cat: Catalogue) -> dict | None:
    """A checked task report, or None when the row has problems (all reported)."""
    task = _id(row, "task_id", cat, "task")
    agency = _id(row, "agency_id", cat, "agency")
    year = _year(row)
    refusal = cat.report_refusal(task, agency, year) if None not in (task, agency, year) else None
    if refusal is not None:
        key, owner = refusal
        row.fail("agency_id", key, year=year, owner=_agency_name(cat, owner), agency=_agency_name(cat, agency))
    status = _vocab(row, "status", "status", schema.TASK_STATUSES)
    reported_on = _date(row)
    summary = cell_text(row.get("summary"))
    if reported_on is not None:
        day, issued = reported_on.date(), cat.task_issued.get(task)
        if day > datetime.now(LOCAL_TIME).date():
            row.fail("reported_on", "upload.date.future")
        elif issued is not None and day < issued:
            row.fail("reported_on", "upload.date.before_plan", issued={g: fmt.day(issued, g) for g in LANGS})
        elif year is not None and day < date(year, 1, 1):
            row.fail("reported_on", "upload.date.before_year", year=year)
    if row.failed or None in (task, agency, year, status, reported_on):
        return None
    return {"task_id": task, "agency_id": agency, "year": year, "status": status, "summary": summary,
            "reported_on": reported_on}


