"""The checker, the only one: a sheet's rows checked a column at a time
(each distinct id, code, year or written value read once, plain numbers as
whole columns) into the contract's columns, and the problems of the rows
that do not pass, each at its cell with its reason (`findings.Findings`),
told in the order a person reads a row. Figures and task reports go
through the same checks; only cells the fast reading cannot be sure of are
taken from the sheet's exactly read rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.upload.catalogue import Catalogue, bounds, catalogue_units, implausible, unit_differs
from loaders.upload.findings import HELD, NOTHING, REFUSED, Figures, Findings, Refused, cell_values, figure_columns
from loaders.upload.grid import UNREAD, FastCells, Grid, ReadExactly
from loaders.upload.layout import READ_ONLY_SHEETS, Layout, find_layout, sheet_rules
from loaders.upload.problems import Problem
from loaders.upload.values import parse_number, parse_value
from loaders.upload.words import aliases, cell_text, norm
from tracker import fmt, schema
from tracker.i18n import LANGS

KEYS = {"observations": schema.OBSERVATION_KEY, "task_reports": schema.TASK_REPORT_KEY}
DUPLICATE_KEYS = {"observations": "upload.key.duplicate", "task_reports": "upload.task_key.duplicate"}


def contract_frame(table: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Checked rows, given column by column, in the contract's columns and types."""
    columns = columns_of(table)
    text = [c for c in columns if c not in schema.OBSERVATION_NUMBERS and c not in ("year", "reported_on")]
    # Text straight to Arrow (pandas' str), not Python object by object.
    frame = pd.DataFrame({c: pd.array(pa.array(values[c], type=pa.string(), from_pandas=True), dtype="str")
                          if c in text else values[c] for c in columns}, columns=columns)
    frame["year"] = frame["year"].astype("int64")
    for column in columns:
        if column not in schema.OBSERVATION_NUMBERS and column not in ("year", "reported_on"):
            frame[column] = frame[column].astype("str")
    if table == "observations":
        for column in schema.OBSERVATION_NUMBERS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    else:
        frame["reported_on"] = pd.to_datetime(frame["reported_on"]).astype("datetime64[us]")
    return frame


@dataclass
class Batch:
    """A sheet's checked rows of one table in the order they were read:
    the record of each valid row in `fields`, the problems of the others
    in `problems` (by position)."""

    table: str
    sheet: str
    numbers: np.ndarray
    valid: np.ndarray
    fields: dict[str, np.ndarray]
    problems: dict[int, list[Problem]]
    notes: list[Problem] = field(default_factory=list)  # what was read in a way to tell (English-style numbers)
    note_column: bool = True  # False: the sheet has no note column, so revised figures keep their notes


def columns_of(table: str) -> list[str]:
    return schema.OBSERVATION_COLUMNS if table == "observations" else schema.TASK_REPORT_COLUMNS


# -- the rules of a field, as a cell is read ---------------------------------------------------------
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


def vocab_of(cell, vocab: str, codes: tuple[str, ...]) -> str | None:
    """The code a (non-empty) cell names in a vocabulary, or None."""
    text = cell_text(cell)
    if text in codes:
        return text
    if vocab == "period" and schema.span(text.upper()) is not None:  # a multi-year plan: "P2021_2025"
        return text.upper()
    return aliases()[vocab].get(norm(text))


def _catalogue_id(cat: Catalogue, what: str):
    """The rule of a cell naming a catalogue id (by id, any case, or by name)."""
    def rule(cell):
        text = cell_text(cell)
        if text is None:
            return Refused(f"upload.{what}.missing")
        found = cat.find(what, text)
        if found is None:
            suggestions = cat.suggest(what, text)
            if suggestions:
                return Refused(f"upload.{what}.unknown", {"suggestions": suggestions})
            return Refused(f"upload.{what}.unknown_plain")
        return found
    return rule


def _vocabulary(code: str, vocab: str, codes: tuple[str, ...], has_column: bool):
    """The rule of a cell naming a code of a vocabulary (period, kind, status)."""
    allowed = ", ".join(codes + (("P2021_2025",) if vocab == "period" else ()))

    def rule(cell):
        if cell is None:
            return Refused(f"upload.{vocab}.missing") if has_column else None
        found = vocab_of(cell, vocab, codes)
        return Refused(f"upload.{vocab}.unknown", {"allowed": allowed}) if found is None else found
    return rule


def _year(has_column: bool):
    """The rule of a year cell (2019, "2019")."""
    def rule(cell):
        if cell is None:
            return Refused("upload.year.missing") if has_column else None
        year = year_of(cell)
        return Refused("upload.year.bad", {"min": schema.YEAR_MIN, "max": schema.YEAR_MAX}) if year is None else year
    return rule


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")


def _day(has_column: bool):
    """The rule of a report's date (a date cell, or "15/11/2024", "2024-11-15")."""
    def rule(cell):
        if cell is None:
            return Refused("upload.date.missing") if has_column else None
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
        return Refused("upload.date.bad")
    return rule


def _text(missing: str | None = None):
    """The rule of a text cell; an empty one refused with the key `missing` when given."""
    def rule(cell):
        text = cell_text(cell)
        return Refused(missing) if text is None and missing else text
    return rule


class _Checks:
    """The checks of a group of rows (`rows`, with the sheet's `columns`
    by code and the `fixed` values that fill an empty cell), each field a
    column at a time, their problems in `found`."""

    def __init__(self, grid: Grid, layout: Layout, rows: np.ndarray, columns: dict[str, int], fixed: dict):
        self.grid, self.rows, self.columns, self.fixed = grid, rows, columns, fixed
        self.found = Findings(grid, layout, rows, columns)

    def field(self, code: str, rule, told_once: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """rule(cell) for each row's cell of `code` (None where refused, each
        refusal told), and which rows hold a value. A cell that cannot be
        read is told first, then what the rule says of an empty cell
        (nothing more when `told_once`)."""
        out, status = cell_values(self.grid, self.columns.get(code), self.rows, self.fixed.get(code), rule)
        bad = self.found.add_bad(code)
        if told_once:
            out[bad], status[bad] = None, NOTHING
        refused = status == REFUSED
        self.found.add_refused(refused, code, out)
        out[refused] = None
        return out, status == HELD

    def filled(self, code: str) -> np.ndarray:
        """Rows whose cell of `code` holds something that can be read."""
        j = self.columns.get(code)
        if j is None:
            return np.zeros(len(self.rows), dtype=bool)
        return self.grid.cells.filled(j)[self.rows] & ~np.isin(self.rows, self.grid.cells.bad_rows(j))


def _params(where: np.ndarray, **columns: np.ndarray) -> np.ndarray:
    """Per row of `where`, the params of its problem from these columns."""
    out = np.empty(len(where), dtype=object)
    for k in np.flatnonzero(where).tolist():
        out[k] = {name: column[k].item() if isinstance(column[k], np.generic) else column[k]
                  for name, column in columns.items()}
    return out


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a != b, with NaN for "none": none equals none, and no number."""
    none_a, none_b = np.isnan(a), np.isnan(b)
    with np.errstate(invalid="ignore"):
        return (none_a != none_b) | (~none_a & ~none_b & (a != b))


# -- figures ------------------------------------------------------------------------------------------
def _observations(check: _Checks, cat: Catalogue) -> tuple[dict[str, np.ndarray], np.ndarray, dict]:
    """The figures of a group of rows: each row's record fields, which rows
    are valid, and the cells read the English way, by code. Each row's
    problems are told in this order: indicator, area, year, period, span,
    kind, value, missing figure, unit, plausibility, source."""
    columns, found = check.columns, check.found
    by_name = "indicator_id" not in columns and "indicator_name" in columns
    indicator, known = check.field("indicator_name" if by_name else "indicator_id", _catalogue_id(cat, "indicator"),
                                   told_once=True)
    area_of = _catalogue_id(cat, "area")
    root = cat.root_area if cat.root_area is not None else Refused("upload.area.missing")
    area, has_area = check.field("area_id", lambda cell: root if cell is None else area_of(cell))
    year, has_year = check.field("year", _year("year" in columns))
    period, has_period = check.field("period", _vocabulary("period", "period", schema.PERIODS, "period" in columns))
    last = _span_last(period)
    elsewhere = np.zeros(len(last), dtype=bool)
    for k in np.flatnonzero(last >= 0).tolist():
        elsewhere[k] = year[k] is not None and year[k] != last[k]
    found.add(elsewhere, "year", "upload.period.span_year", _params(elsewhere, last=last))
    kind, has_kind = check.field("kind", _vocabulary("kind", "kind", schema.KINDS, "kind" in columns))

    before = found.mark()
    figure = _figure(check)
    pct_of_plan, yoy_pct = _number(check, "pct_of_plan"), _number(check, "yoy_pct")
    if {"value", "pct_of_plan", "yoy_pct"} & set(columns):
        none = (np.isnan(figure.value) & np.isnan(figure.low) & np.isnan(figure.high) & np.isnan(pct_of_plan.value)
                & np.isnan(yoy_pct.value))
        found.add(none & ~found.failed(before), "value", "upload.figure.missing")
    _catalogue_rules(check, cat, indicator, known, figure)
    source, _ = check.field("source", _text("upload.source.missing" if "source" in columns else None))
    note, _ = check.field("note", _text())
    fields = {"indicator_id": indicator, "area_id": area, "year": year, "period": period, "kind": kind,
              "value": figure.value, "low": figure.low, "high": figure.high, "qualifier": figure.qualifier,
              "pct_of_plan": pct_of_plan.value, "yoy_pct": yoy_pct.value, "source": source, "note": note}
    # A key missing without a problem is a missing column, told once for the sheet.
    valid = ~found.failed() & known & has_area & has_year & has_period & has_kind
    return fields, valid, {"value": figure.english, "pct_of_plan": pct_of_plan.english, "yoy_pct": yoy_pct.english}


def _span_last(periods: np.ndarray) -> np.ndarray:
    """The last year of each row's multi-year period ("P2021_2025"), else -1."""
    codes, distinct = pd.factorize(pd.Series(periods, dtype=object), use_na_sentinel=True)
    last = [schema.span(p)[1] if isinstance(p, str) and schema.span(p) else -1 for p in distinct] + [-1]
    return np.array(last, dtype=np.int64)[codes]


def _number(check: _Checks, code: str) -> Figures:
    """A column of plain numbers (% of plan, % on last year), its problems told."""
    read = figure_columns(check.grid, check.columns.get(code), check.rows, parse_number)
    check.found.add_bad(code)
    check.found.add_refused(read.refused, code, read.refusal)
    return read


def _figure(check: _Checks) -> Figures:
    """The value cell as an analyst writes it ("8 - 9", "khoảng 304"); or,
    for a plain number and a row that fills the contract's qualifier, low
    or high columns (a re-imported export), those columns."""
    columns, found, rows = check.columns, check.found, check.rows
    read = figure_columns(check.grid, columns.get("value"), rows, parse_value)
    found.add_bad("value")
    found.add_refused(read.refused, "value", read.refusal)
    explicit = {}
    for code in ("qualifier", "low", "high"):
        found.add_bad(code, where=~read.refused)
        explicit[code] = ~read.refused & check.filled(code)
    given = explicit["qualifier"] | explicit["low"] | explicit["high"]
    if not given.any():
        return read
    # The qualifier column, else the bounds given.
    allowed = {"allowed": ", ".join(schema.QUALIFIERS)}
    named, status = cell_values(check.grid, columns.get("qualifier"), rows, None,
                                lambda cell: _qualifier_of(cell_text(cell), allowed))
    unknown = status == REFUSED
    found.add_refused(given & explicit["qualifier"] & unknown, "qualifier", named)
    named[unknown] = "exact"
    derived = np.where(explicit["low"] & explicit["high"], "range", np.where(
        explicit["low"], "at_least", np.where(explicit["high"], "at_most", "exact"))).astype(object)
    chosen = np.where(explicit["qualifier"], named, derived)
    bound = {code: figure_columns(check.grid, columns.get(code), rows, parse_number) for code in ("low", "high")}
    # The form is in the value cell: the other columns may only agree with it.
    twice = given & (read.qualifier != "exact")
    told = np.zeros(len(rows), dtype=bool)
    for code, written in (("low", read.low), ("high", read.high)):
        asked = twice & ~told & explicit[code]
        found.add_refused(asked & bound[code].refused, code, bound[code].refusal)
        told |= asked & _differs(bound[code].value, written)
    told |= twice & explicit["qualifier"] & (chosen != read.qualifier)
    found.add(told, "value", "upload.qualifier.twice")
    # The form is in the columns.
    other = given & ~twice
    for code in ("low", "high"):
        found.add_refused(other & explicit[code] & bound[code].refused, code, bound[code].refusal)
    needs = {"low": np.isin(chosen, ("range", "at_least")), "high": np.isin(chosen, ("range", "at_most"))}
    for code in ("low", "high"):
        lacking = other & needs[code] & ~explicit[code]
        found.add(lacking, code if code in columns else "qualifier", "upload.qualifier.needs_bounds",
                  _params(lacking, qualifier=chosen))
    low, high = bound["low"].value, bound["high"].value
    with np.errstate(invalid="ignore"):
        above = other & (low > high)
    found.add(above, "low", "upload.value.low_above_high", _params(above, low=_shown(low), high=_shown(high)))
    read.low, read.high = np.where(other, low, read.low), np.where(other, high, read.high)
    read.qualifier = np.where(other, chosen, read.qualifier)
    return read


def _qualifier_of(text: str | None, allowed: dict):
    if text is None:
        return None
    return text.lower() if text.lower() in schema.QUALIFIERS else Refused("upload.qualifier.unknown", allowed)


def _shown(numbers: np.ndarray) -> np.ndarray:
    out = np.empty(len(numbers), dtype=object)
    for k in np.flatnonzero(~np.isnan(numbers)).tolist():
        out[k] = fmt.number(float(numbers[k]))
    return out


def _catalogue_rules(check: _Checks, cat: Catalogue, indicators: np.ndarray, known: np.ndarray,
                     figure: Figures) -> None:
    """The units written (with the value, in the unit column) against the
    indicator's unit, then its plausibility rule, for rows of a known
    indicator; each distinct indicator's rule looked up once."""
    found = check.found
    for code in ("value", "unit"):
        if code == "value":
            written = figure.unit
            given = known & np.asarray(written != "", dtype=bool)
        else:  # the unit column: read for a known indicator only
            found.add_bad("unit", where=known)
            written, status = cell_values(check.grid, check.columns.get("unit"), check.rows, None, cell_text)
            given = known & (status == HELD)
        pairs: dict[tuple[str, str], bool] = {}
        differs, expected = np.zeros(len(known), dtype=bool), np.empty(len(known), dtype=object)
        for k in np.flatnonzero(given).tolist():
            pair = (indicators[k], written[k])
            if pair not in pairs:
                pairs[pair] = unit_differs(cat.indicators[pair[0]], pair[1])
            if pairs[pair]:
                differs[k], expected[k] = True, (catalogue_units(cat.indicators[pair[0]]) or [""])[0]
        found.add(differs, code, "upload.unit.mismatch", _params(differs, unit=written, expected=expected))
    ids, distinct = pd.factorize(pd.Series(indicators, dtype=object), use_na_sentinel=True)
    rules = [bounds(cat.indicators[i]) for i in distinct] + [(-np.inf, np.inf, False)]  # code -1: no indicator
    lowest, highest, whole = (np.array(column)[ids] for column in zip(*rules, strict=True))
    figures = (figure.value, figure.low, figure.high)
    breaks, which = np.zeros(len(known), dtype=bool), np.full(len(known), -1)
    with np.errstate(invalid="ignore"):
        for n, x in enumerate(figures):  # the first figure that breaks the rule
            broken = ~breaks & ~np.isnan(x) & ((x < lowest) | (x > highest) | (whole & (np.floor(x) != x)))
            which[broken], breaks = n, breaks | broken
    keys, params = np.empty(len(known), dtype=object), np.empty(len(known), dtype=object)
    for k in np.flatnonzero(breaks).tolist():
        keys[k], params[k] = implausible(cat.indicators[indicators[k]], float(figures[which[k]][k]))
    found.add(breaks, "value", keys, params)


# -- task reports -------------------------------------------------------------------------------------
def _agency_name(cat: Catalogue, agency_id: str) -> dict[str, str]:
    """An agency as a message names it, per language: "Sở Tài chính (stc_2025)"."""
    entry = cat.agencies.get(agency_id, {})
    return {g: f"{entry.get(f'name_{g}') or entry.get('name_vi') or agency_id} ({agency_id})" for g in LANGS}


def _task_reports(check: _Checks, cat: Catalogue) -> tuple[dict[str, np.ndarray], np.ndarray, dict]:
    """The task reports of a group of rows, as `_observations` gives figures.
    Each row's problems are told in this order: task, agency, year, the
    agency answering for the task, status, date, summary, the date's rules."""
    columns, found = check.columns, check.found
    task, has_task = check.field("task_id", _catalogue_id(cat, "task"), told_once=True)
    agency, has_agency = check.field("agency_id", _catalogue_id(cat, "agency"), told_once=True)
    year, has_year = check.field("year", _year("year" in columns))
    keys, params = np.empty(len(task), dtype=object), np.empty(len(task), dtype=object)
    refused, refusals = np.zeros(len(task), dtype=bool), {}
    for k in np.flatnonzero(has_task & has_agency & has_year).tolist():
        triple = (task[k], agency[k], year[k])
        if triple not in refusals:
            refusals[triple] = cat.report_refusal(*triple)
        if refusals[triple] is not None:
            (keys[k], owner), refused[k] = refusals[triple], True
            params[k] = {"year": year[k], "owner": _agency_name(cat, owner), "agency": _agency_name(cat, agency[k])}
    found.add(refused, "agency_id", keys, params)
    status, has_status = check.field("status", _vocabulary("status", "status", schema.TASK_STATUSES,
                                                           "status" in columns))
    reported_on, dated = check.field("reported_on", _day("reported_on" in columns))
    summary, _ = check.field("summary", _text())
    days = np.array([d.date() if d is not None else date.max for d in reported_on.tolist()], dtype="datetime64[D]")
    issued = np.array([cat.task_issued.get(t) or date.min for t in task.tolist()], dtype="datetime64[D]")
    starts = np.array([date(y, 1, 1) if y is not None else date.min for y in year.tolist()], dtype="datetime64[D]")
    # Judged on the province's clock (settings.time_zone): a report dated today in Vietnam is not in the future.
    future = dated & (days > np.datetime64(fmt.today(), "D"))
    found.add(future, "reported_on", "upload.date.future")
    early = dated & ~future & (days < issued)
    plans = np.empty(len(task), dtype=object)
    for k in np.flatnonzero(early).tolist():
        plans[k] = {g: fmt.day(cat.task_issued[task[k]], g) for g in LANGS}
    found.add(early, "reported_on", "upload.date.before_plan", _params(early, issued=plans))
    before_year = dated & ~future & ~early & (days < starts)
    found.add(before_year, "reported_on", "upload.date.before_year", _params(before_year, year=year))
    fields = {"task_id": task, "agency_id": agency, "year": year, "status": status, "summary": summary,
              "reported_on": reported_on}
    valid = ~found.failed() & has_task & has_agency & has_year & has_status & dated
    return fields, valid, {}


# -- a sheet's table ----------------------------------------------------------------------------------
def _check_table(grid: Grid, layout: Layout, cat: Catalogue, fixed: dict) -> Batch:
    """The rows of a sheet's table checked a column at a time: a wide
    sheet's year columns each in turn, the rows of a figure in order."""
    cells, start = grid.cells, layout.header + 1
    table = "task_reports" if layout.table == "task_reports" else "observations"
    check_rows = _task_reports if table == "task_reports" else _observations
    groups = []  # (rows, order within a row, value column, kind/period named by the header, fixed)
    if layout.table == "wide":
        for position, (j, column) in enumerate(layout.years.items()):
            named = {k: v for k, v in (("kind", column.kind), ("period", column.period)) if v}
            present = cells.filled(j).copy()
            present[cells.bad_rows(j)] = True
            present[:start] = False
            groups.append((np.flatnonzero(present), position, j, named, {**fixed, "year": column.year, **named}))
    else:
        present = np.zeros(grid.height, dtype=bool)
        for j in set(layout.columns.values()):
            present |= cells.filled(j)
            present[cells.bad_rows(j)] = True
        present[:start] = False
        groups.append((np.flatnonzero(present), 0, None, {}, fixed))
    parts, notes = [], []
    for rows, position, j, named, group_fixed in groups:
        columns = {code: jj for code, jj in layout.columns.items() if code not in named}
        if j is not None:
            columns["value"] = j
        check = _Checks(grid, layout, rows, columns, group_fixed)
        fields, valid, read_english = check_rows(check, cat)
        for code, texts in read_english.items():
            for k in np.flatnonzero(valid & np.not_equal(texts, None)).tolist():
                notes.append((int(rows[k]), position, Problem(grid.sheet, grid.numbers[rows[k]],
                                                              layout.column_name(columns[code]), texts[k],
                                                              "upload.note.english")))
        parts.append((rows, np.full(len(rows), position), fields, valid, check.found.problems()))
    notes = [note for *_, note in sorted(notes, key=lambda n: n[:2])]
    if len(parts) == 1:  # one group: its rows are in order already
        rows, _, fields, valid, problems = parts[0]
        return Batch(table, grid.sheet, np.asarray(grid.numbers, dtype=np.int64)[rows], valid, fields, problems,
                     notes, note_column="note" in layout.columns)
    rows = np.concatenate([p[0] for p in parts])
    order = np.lexsort((np.concatenate([p[1] for p in parts]), rows))  # by row, then the year columns in order
    offsets = np.cumsum([0] + [len(p[0]) for p in parts])
    problems = {}
    at = np.empty(len(rows), dtype=np.int64)
    at[order] = np.arange(len(rows))
    for (_, _, _, _, part_problems), offset in zip(parts, offsets, strict=False):
        for k, found in part_problems.items():
            problems[int(at[offset + k])] = found
    fields = {c: np.concatenate([p[2][c] for p in parts])[order] for c in columns_of(table)}
    numbers = np.asarray(grid.numbers, dtype=np.int64)[rows[order]] if len(rows) else np.empty(0, dtype=np.int64)
    return Batch(table, grid.sheet, numbers, np.concatenate([p[3] for p in parts])[order], fields, problems,
                 notes, note_column="note" in layout.columns)


def check_sheet(grid: Grid, cat: Catalogue, kind: str | None, period: str | None) -> tuple[list[Problem], Batch | None]:
    """The problems of a sheet as a whole and its checked rows. A sheet the
    fast reading cannot tell enough about is checked from its exact rows.
    A sheet with nothing in it, or a template reference sheet (instructions,
    catalogue) without a table of figures, is skipped and named in the notes."""
    while True:
        problems: list[Problem] = []
        try:
            if not grid.cells.has_content():
                grid.notes.append(Problem(grid.sheet, None, None, None, "upload.note.sheet_empty"))
                return problems, None
            layout = find_layout(grid, problems)
            if isinstance(grid.cells, FastCells) and (
                    (problems and grid.cells.guessed) or (layout is not None and UNREAD in layout.headers)):
                raise ReadExactly  # a header cell that may be text or is a date: report it as written
            if grid.sheet in READ_ONLY_SHEETS:
                rules: list[Problem] = []
                if layout is not None:
                    sheet_rules(grid, layout, rules, kind, period)
                if layout is None or problems or rules:  # not a complete table of figures or task reports
                    grid.notes.append(Problem(grid.sheet, None, None, None, "upload.note.sheet_reference"))
                    return [], None
            if grid.hidden:
                return [Problem(grid.sheet, None, None, None, "upload.sheet.hidden")], None
            if layout is None:
                return problems, None
            unseen, stop = _unseen(grid, layout)
            problems += unseen
            fixed = sheet_rules(grid, layout, problems, kind, period)
            if stop:  # what the analyst may not have seen is not checked further: the file is refused
                return problems, None
            return problems, _check_table(grid, layout, cat, fixed)
        except ReadExactly:
            grid.exact()


def _unseen(grid: Grid, layout: Layout) -> tuple[list[Problem], bool]:
    """What the analyst may not see in the table, each refused where it is,
    and whether the sheet's rows are to be checked no further: merged cells
    (a value that would apply to rows it does not sit in) and hidden rows
    holding data stop the checks; a CSV line with more cells than the
    header (an unquoted "2019,0" shifts the columns) is reported as
    shifted, once, and left out of the checks of the other rows."""
    problems = []
    for r1, c1, r2, _, ref in grid.merged:
        if r2 > layout.header and r1 < grid.height:
            problems.append(Problem(grid.sheet, grid.numbers[max(r1, 0)], layout.column_name(c1), ref,
                                    "upload.cell.merged", {"range": ref}))
    used = sorted(set(layout.columns.values()) | set(layout.years))
    if grid.hidden_rows is None:
        problems.append(Problem(grid.sheet, None, None, None, "upload.row.hidden_unnumbered"))
    elif grid.hidden_rows:
        filled = np.zeros(grid.height, dtype=bool)
        for j in used:
            filled |= grid.cells.filled(j)
        for i in sorted(grid.hidden_rows):
            if layout.header < i < grid.height and filled[i]:
                problems.append(Problem(grid.sheet, grid.numbers[i], None, None, "upload.row.hidden"))
    stop = bool(problems)
    if grid.ragged:
        shifted = [i for i in range(layout.header + 1, grid.height) if len(grid.rows[i]) > len(layout.headers)]
        for i in shifted:
            problems.append(Problem(grid.sheet, grid.numbers[i], None, None, "upload.row.beyond_header",
                                    {"width": len(layout.headers)}))
            grid.rows[i] = []
        if shifted:
            grid.exact()  # the columns again, without the shifted lines
    return problems, stop
