"""The checker: a sheet's rows checked a column at a time (each distinct
id, code, year or written value read once, plain numbers as whole columns),
into the contract's columns. The rows these checks do not pass, or cannot
be sure of, are handed to `rows.observation`, which names each problem with
its cell (task reports, a few hundred rows, are checked there row by row)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.upload.catalogue import Catalogue, bounds, unit_differs
from loaders.upload.grid import (
    EITHER,
    EMPTY,
    NUMBER,
    OTHER,
    TEXT,
    UNREAD,
    Cells,
    FastCells,
    Grid,
    ReadExactly,
    per_code,
)
from loaders.upload.layout import READ_ONLY_SHEETS, Layout, find_layout, sheet_rules
from loaders.upload.problems import Problem
from loaders.upload.rows import Row, observation, sheet_rows, task_report, vocab_of, year_of
from loaders.upload.values import MAX_TEXT, ValueParseError, english_style, parse_number, parse_value
from loaders.upload.words import cell_text
from tracker import schema

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


# -- checking a figures sheet a column at a time ------------------------------------------------------
_FAIL = object()  # a cell its check does not pass, or cannot be sure of: the row is checked on its own



def _per_number(numbers: np.ndarray, function) -> np.ndarray:
    """function(number) for each number, computed once per distinct number."""
    distinct, inverse = np.unique(numbers, return_inverse=True)
    results = np.empty(len(distinct), dtype=object)
    for k, number in enumerate(distinct.tolist()):
        results[k] = function(number)
    return results[inverse]


def _fails(results: np.ndarray) -> np.ndarray:
    return np.fromiter((r is _FAIL for r in results), dtype=bool, count=len(results))


def _objects(n: int, value) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _each_cell(cells: Cells, j: int | None, rows: np.ndarray, fixed, function) -> tuple[np.ndarray, np.ndarray]:
    """function(cell) for each of `rows`, the cell as `Row.get` gives it:
    that of column j, or `fixed` where it is empty or there is no column j;
    and where that fails (function gave _FAIL), the cell cannot be read or
    is a date or boolean, or it may be text or a number, the two read
    differently and the XML cannot say which it is."""
    if j is None:
        value = function(fixed)
        return _objects(len(rows), value), np.full(len(rows), value is _FAIL)
    out, failed = np.empty(len(rows), dtype=object), np.zeros(len(rows), dtype=bool)
    column = cells.column(j)
    kinds, blank = column.kinds[rows], column.blank[rows]
    empty = (kinds == EMPTY) | blank
    if empty.any():
        value = function(fixed)
        out[empty], failed[empty] = value, value is _FAIL
    as_text = np.flatnonzero(((kinds == TEXT) & ~blank) | (kinds == EITHER))
    if len(as_text):
        codes = column.codes[rows[as_text]]
        results = per_code(codes, column.dictionary, function)
        out[as_text], failed[as_text] = results[codes], _fails(results)[codes]
        either = as_text[kinds[as_text] == EITHER]
        if len(either):  # text or a number (the number its text reads as): both readings must agree
            codes = column.codes[rows[either]]
            as_number = per_code(codes, column.dictionary, lambda text: function(float(text)))
            differ = np.fromiter((a is not b and not a == b for a, b in zip(results, as_number, strict=True)),
                                 dtype=bool, count=len(results))[codes]
            if differ.any():  # the XML says which it is
                is_text = cells.is_text(j, rows[either[differ]])
                if is_text is None:
                    failed[either[differ]] = True
                else:
                    numbers = either[differ][~is_text]
                    out[numbers] = as_number[column.codes[rows[numbers]]]
                    failed[numbers] = _fails(out[numbers])
    number = np.flatnonzero(kinds == NUMBER)
    if len(number):
        out[number] = _per_number(column.numbers[rows[number]], function)
        failed[number] = _fails(out[number])
    failed |= kinds == OTHER
    failed |= np.isin(rows, cells.bad_rows(j))
    return out, failed


# A plain number written the Vietnamese way: "1.437,4", "-0,58", "304".
_PLAIN_VI = r"^-?(?:[0-9]+(?:,[0-9]+)?|[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?)$"


def _plain_numbers(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Which texts are plain numbers written the Vietnamese way, and their
    values: what parse_value and parse_number read them as, all at once."""
    plain = pc.and_(pc.match_substring_regex(texts, _PLAIN_VI), pc.less_equal(pc.utf8_length(texts), MAX_TEXT))
    plain = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    numbers = np.full(len(texts), np.nan)
    if plain.any():
        written = pc.replace_substring(pc.replace_substring(texts.filter(pa.array(plain)), ".", ""), ",", ".")
        numbers[plain] = np.fromiter(map(float, written.to_pylist()), dtype=np.float64, count=int(plain.sum()))
        numbers += 0.0  # -0 is 0
    return plain, numbers


def _figure_columns(cells: Cells, j: int | None, rows: np.ndarray, parse) -> tuple[np.ndarray, ...]:
    """(value, low, high, qualifier, unit, failed, english) of each of
    `rows` as `parse` (parse_value or parse_number) reads the cell of
    column j: each distinct text read once, plain numbers all at once.
    `english` holds the text of the cells read the English way, else None."""
    n = len(rows)
    value, low, high = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    qualifier, unit, failed = _objects(n, "exact"), _objects(n, ""), np.zeros(n, dtype=bool)
    english = _objects(n, None)
    if j is None:
        return value, low, high, qualifier, unit, failed, english
    column = cells.column(j)
    kinds, blank = column.kinds[rows], column.blank[rows]
    as_text = np.flatnonzero(((kinds == TEXT) & ~blank) | (kinds == EITHER))
    if len(as_text):
        codes = column.codes[rows[as_text]]
        used = np.flatnonzero(np.bincount(codes, minlength=len(column.dictionary)))
        distinct = column.dictionary.take(pa.array(used))
        plain, read = _plain_numbers(distinct)
        d_low, d_high = np.full(len(distinct), np.nan), np.full(len(distinct), np.nan)
        d_fail = np.zeros(len(distinct), dtype=bool)
        d_qualifier, d_unit = _objects(len(distinct), "exact"), _objects(len(distinct), "")
        d_english = _objects(len(distinct), None)
        rest = np.flatnonzero(~plain)
        for k, text in zip(rest.tolist(), distinct.take(pa.array(rest, type=pa.int64())).to_pylist(), strict=True):
            try:
                parsed = parse(text)
            except ValueParseError:
                d_fail[k] = True
                continue
            if english_style(text):
                d_english[k] = text
            if parse is parse_number:
                read[k] = parsed
            else:
                read[k], d_low[k], d_high[k] = (np.nan if x is None else x for x in (parsed.value, parsed.low,
                                                                                      parsed.high))
                d_qualifier[k], d_unit[k] = parsed.qualifier, parsed.unit
        at = np.empty(len(column.dictionary), dtype=np.int64)
        at[used] = np.arange(len(used))
        at = at[codes]
        value[as_text], low[as_text], high[as_text] = read[at], d_low[at], d_high[at]
        qualifier[as_text], unit[as_text], failed[as_text] = d_qualifier[at], d_unit[at], d_fail[at]
        english[as_text] = d_english[at]
    as_number = column.numbers[rows]
    number = kinds == NUMBER
    value[number] = as_number[number]
    failed |= number & ~np.isfinite(as_number)
    either = kinds == EITHER
    if either.any():  # text or a number: where the two readings differ, the XML says which it is
        same = (value == as_number) & np.isnan(low) & np.isnan(high) & (qualifier == "exact") & (unit == "")
        differ = np.flatnonzero(either & ~same)
        is_text = cells.is_text(j, rows[differ]) if len(differ) else None
        if is_text is None:
            failed[differ] = True
        else:
            number = differ[~is_text]
            value[number], low[number], high[number] = as_number[number], np.nan, np.nan
            qualifier[number], unit[number], failed[number] = "exact", "", ~np.isfinite(as_number[number])
            english[number] = None
    english[(kinds != TEXT) & (kinds != EITHER)] = None
    either_english = np.flatnonzero((kinds == EITHER) & np.not_equal(english, None))
    if len(either_english):  # a number cell is no English writing: only text cells are noted
        is_text = cells.is_text(j, rows[either_english])
        english[either_english if is_text is None else either_english[~is_text]] = None
    failed |= kinds == OTHER
    failed |= np.isin(rows, cells.bad_rows(j))
    return value, low, high, qualifier, unit, failed, english


def _check_rows(grid: Grid, layout: Layout, cat: Catalogue, rows: np.ndarray, columns: dict[str, int],
                fixed: dict) -> tuple[dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """`observation` of these rows a column at a time: each row's record
    fields, and the rows these checks do not pass (or cannot be sure of),
    to be checked one by one. `columns` and `fixed` are those of `Row`."""
    cells = grid.cells
    flagged = np.zeros(len(rows), dtype=bool)

    def each(code: str, function) -> np.ndarray:
        nonlocal flagged
        out, failed = _each_cell(cells, columns.get(code), rows, fixed.get(code), function)
        flagged |= failed
        return out

    def found(what: str):
        def function(cell):
            text = cell_text(cell)
            found_id = cat.find(what, text) if text is not None else None
            return _FAIL if found_id is None else found_id
        return function

    def year_in(cell):
        year = year_of(cell) if cell is not None else None
        return _FAIL if year is None else year

    def code_in(vocab: str, codes: tuple[str, ...]):
        def function(cell):
            code = vocab_of(cell, vocab, codes) if cell is not None else None
            return _FAIL if code is None else code
        return function

    area_of, root = found("area"), cat.root_area if cat.root_area is not None else _FAIL
    by_name = "indicator_id" not in columns and "indicator_name" in columns
    fields = {
        "indicator_id": each("indicator_name" if by_name else "indicator_id", found("indicator")),
        "area_id": each("area_id", lambda cell: root if cell is None else area_of(cell)),
        "year": each("year", year_in),
        "period": each("period", code_in("period", schema.PERIODS)),
        "kind": each("kind", code_in("kind", schema.KINDS)),
    }
    for code in ("qualifier", "low", "high"):  # the contract's own form beside the value: checked row by row
        if code in columns:
            flagged |= cells.filled(columns[code])[rows] | np.isin(rows, cells.bad_rows(columns[code]))
    value, low, high, qualifier, unit, failed, english = _figure_columns(cells, columns.get("value"), rows,
                                                                         parse_value)
    pct_of_plan, *_, pct_failed, pct_english = _figure_columns(cells, columns.get("pct_of_plan"), rows,
                                                               parse_number)
    yoy_pct, *_, yoy_failed, yoy_english = _figure_columns(cells, columns.get("yoy_pct"), rows, parse_number)
    read_english = {"value": english, "pct_of_plan": pct_english, "yoy_pct": yoy_english}
    flagged |= failed | pct_failed | yoy_failed
    if {"value", "pct_of_plan", "yoy_pct"} & set(columns):
        flagged |= np.isnan(value) & np.isnan(low) & np.isnan(high) & np.isnan(pct_of_plan) & np.isnan(yoy_pct)
    unit_column = each("unit", cell_text)
    fields["source"] = each("source", cell_text)
    if "source" in columns:
        flagged |= np.fromiter((s is None for s in fields["source"]), dtype=bool, count=len(rows))
    fields["note"] = each("note", cell_text)
    passing = ~flagged
    indicators = fields["indicator_id"]
    flagged |= _units_differ(cat, indicators, unit, passing) | _units_differ(cat, indicators, unit_column, passing)
    flagged |= passing & _implausible(cat, indicators, (value, low, high))
    flagged |= _span_elsewhere(fields["period"], fields["year"])
    fields.update(value=value, low=low, high=high, qualifier=qualifier, pct_of_plan=pct_of_plan, yoy_pct=yoy_pct)
    return fields, flagged, read_english


def _span_elsewhere(periods: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Rows of a multi-year period ("P2021_2025") not under its last year."""
    codes, distinct = pd.factorize(pd.Series(periods, dtype=object), use_na_sentinel=True)
    last = [schema.span(p)[1] if isinstance(p, str) and schema.span(p) else -1 for p in distinct] + [-1]
    last = np.array(last)[codes]
    year = np.array([y if isinstance(y, int) else -1 for y in years.tolist()]) if len(years) else last
    return (last >= 0) & (year != last)


def _implausible(cat: Catalogue, indicators: np.ndarray, figures: tuple[np.ndarray, ...]) -> np.ndarray:
    """Rows whose value or bound breaks its indicator's plausibility rule
    (catalogue.bounds), each distinct indicator's rule looked up once."""
    codes, distinct = pd.factorize(pd.Series(indicators, dtype=object), use_na_sentinel=True)
    rules = [bounds(cat.indicators[i]) if i in cat.indicators else (-np.inf, np.inf, False) for i in distinct]
    rules.append((-np.inf, np.inf, False))  # code -1: no indicator
    low, high, whole = (np.array(column)[codes] for column in zip(*rules, strict=True))
    out = np.zeros(len(indicators), dtype=bool)
    with np.errstate(invalid="ignore"):
        for x in figures:
            out |= ~np.isnan(x) & ((x < low) | (x > high) | (whole & (np.floor(x) != x)))
    return out


def _units_differ(cat: Catalogue, indicators: np.ndarray, units: np.ndarray, passing: np.ndarray) -> np.ndarray:
    """Rows (among `passing`) whose written unit is not their indicator's unit in the catalogue."""
    out = np.zeros(len(units), dtype=bool)
    written = passing & ~pd.isna(units) & np.asarray(units != "", dtype=bool)
    seen: dict[tuple[str, str], bool] = {}
    for k in np.flatnonzero(written).tolist():
        pair = (indicators[k], units[k])
        if pair not in seen:
            seen[pair] = unit_differs(cat.indicators[pair[0]], pair[1])
        out[k] = seen[pair]
    return out


@dataclass
class Batch:
    """A sheet's checked rows of one table in the order they were read:
    the record of each valid row in `fields`, the problems of the rows
    checked one by one in `problems` (by position)."""

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


def batch(table: str, sheet: str, numbers, records: list[dict | None], problems: dict[int, list[Problem]]) -> Batch:
    """A batch from records checked one by one (None for a row with problems)."""
    fields = {}
    for column in columns_of(table):
        out = np.empty(len(records), dtype=object)
        for k, record in enumerate(records):
            out[k] = record[column] if record is not None else None
        fields[column] = out
    valid = np.fromiter((r is not None for r in records), dtype=bool, count=len(records))
    return Batch(table, sheet, np.asarray(numbers, dtype=np.int64), valid, fields, problems)


def _check_figures(grid: Grid, layout: Layout, cat: Catalogue, fixed: dict) -> Batch:
    """The figures of a sheet checked a column at a time, the rows these
    checks do not pass checked again one by one (`observation`)."""
    cells, start = grid.cells, layout.header + 1
    groups = []  # (rows, order within a row, value column, kind/period named by the header)
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
        fields, flagged, read_english = _check_rows(grid, layout, cat, rows, columns, group_fixed)
        valid, problems = ~flagged, {}
        for k in np.flatnonzero(flagged).tolist():
            problems[k] = []
            row = Row(grid, int(rows[k]), layout, problems[k], group_fixed, value_column=j, drop=tuple(named))
            record = observation(row, cat)
            valid[k] = record is not None
            if record is not None:
                for column, x in record.items():
                    fields[column][k] = np.nan if x is None and fields[column].dtype != object else x
        for code, texts in read_english.items():
            for k in np.flatnonzero(valid & np.not_equal(texts, None)).tolist():
                notes.append((int(rows[k]), position, Problem(grid.sheet, grid.numbers[rows[k]],
                                                              layout.column_name(columns[code]), texts[k],
                                                              "upload.note.english")))
        parts.append((rows, np.full(len(rows), position), fields, valid, problems))
    rows = np.concatenate([p[0] for p in parts])
    order = np.lexsort((np.concatenate([p[1] for p in parts]), rows))  # by row, then the year columns in order
    offsets = np.cumsum([0] + [len(p[0]) for p in parts])
    problems = {}
    at = np.empty(len(rows), dtype=np.int64)
    at[order] = np.arange(len(rows))
    for (_, _, _, _, part_problems), offset in zip(parts, offsets, strict=False):
        for k, found in part_problems.items():
            problems[int(at[offset + k])] = found
    fields = {c: np.concatenate([p[2][c] for p in parts])[order] for c in schema.OBSERVATION_COLUMNS}
    numbers = np.asarray(grid.numbers, dtype=np.int64)[rows[order]] if len(rows) else np.empty(0, dtype=np.int64)
    notes = [note for *_, note in sorted(notes, key=lambda n: n[:2])]
    return Batch("observations", grid.sheet, numbers, np.concatenate([p[3] for p in parts])[order], fields, problems,
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
            if layout.table != "task_reports":
                return problems, _check_figures(grid, layout, cat, fixed)
        except ReadExactly:
            grid.exact()
            continue
        # Task reports (a few hundred rows at most): checked row by row.
        rows, records, found = sheet_rows(grid, layout, [], kind, period), [], {}
        for k, (_, row) in enumerate(rows):
            row.problems = found[k] = []
            records.append(task_report(row, cat))
        return problems, batch("task_reports", grid.sheet, [row.number for _, row in rows], records, found)





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
