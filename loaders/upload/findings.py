"""The checker's parts that work a column at a time: a field's cells read
once per distinct text or number (`cell_values`), a column of figures
(`figure_columns`), and the problems found, each at its row and column
(`Findings`). Only cells the fast reading cannot be sure of (a date, or a
cell that may be text or a number and reads differently as each) are
taken from the sheet's exactly read rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loaders.upload.grid import EITHER, EMPTY, NUMBER, OTHER, TEXT, Cells, Grid, per_code
from loaders.upload.layout import Layout
from loaders.upload.problems import Problem
from loaders.upload.values import MAX_TEXT, ValueParseError, english_style, parse_number
from loaders.upload.words import empty_cell


@dataclass
class Refused:
    """A cell its check does not pass: the field holds nothing, for this reason."""

    key: str
    params: dict = field(default_factory=dict)


def exact_cell(grid: Grid, i: int, j: int):
    """The cell of row i, column j as exactly read (None beyond the row's end)."""
    row = grid.rows[i]
    return row[j] if j < len(row) else None


# What a check made of a cell: nothing (an empty cell, where nothing is asked), a value, or a refusal.
NOTHING, HELD, REFUSED = 0, 1, 2


def _status(results) -> np.ndarray:
    return np.fromiter((REFUSED if type(r) is Refused else NOTHING if r is None else HELD for r in results),
                       dtype=np.int8, count=len(results))


def _objects(n: int, value) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _per_number(numbers: np.ndarray, function) -> tuple[np.ndarray, np.ndarray]:
    """function(number) for each number and its status, computed once per distinct number."""
    distinct, inverse = np.unique(numbers, return_inverse=True)
    results = np.empty(len(distinct), dtype=object)
    for k, number in enumerate(distinct.tolist()):
        results[k] = function(number)
    return results[inverse], _status(results)[inverse]


def cell_values(grid: Grid, j: int | None, rows: np.ndarray, fixed, function) -> tuple[np.ndarray, np.ndarray]:
    """function(cell) for each of `rows`, the cell as the analyst wrote it:
    that of column j, `fixed` where it is empty or there is no column j,
    None where it cannot be read (Grid.bad); and the status of each result
    (NOTHING, HELD or REFUSED). Each distinct text and number is checked once."""
    if j is None:
        value = function(fixed)
        return _objects(len(rows), value), np.full(len(rows), _status([value])[0])
    cells: Cells = grid.cells
    out, status = np.empty(len(rows), dtype=object), np.zeros(len(rows), dtype=np.int8)
    column = cells.column(j)
    kinds, blank = column.kinds[rows], column.blank[rows]
    exact = kinds == OTHER  # dates and booleans: read as written
    empty = (kinds == EMPTY) | blank
    if empty.any():
        value = function(fixed)
        out[empty], status[empty] = value, _status([value])[0]
    as_text = np.flatnonzero(((kinds == TEXT) & ~blank) | (kinds == EITHER))
    if len(as_text):
        codes = column.codes[rows[as_text]]
        results = per_code(codes, column.dictionary, function)
        out[as_text], status[as_text] = results[codes], _status(results)[codes]
        either = as_text[kinds[as_text] == EITHER]
        if len(either):  # text or a number (the number its text reads as): both readings must agree
            codes = column.codes[rows[either]]
            as_number = per_code(codes, column.dictionary, lambda text: function(float(text)))
            differ = np.fromiter((a is not b and not a == b for a, b in zip(results, as_number, strict=True)),
                                 dtype=bool, count=len(results))[codes]
            if differ.any():  # the XML says which it is
                is_text = cells.is_text(j, rows[either[differ]])
                if is_text is None:
                    exact[either[differ]] = True
                else:
                    numbers = either[differ][~is_text]
                    out[numbers] = as_number[column.codes[rows[numbers]]]
                    status[numbers] = _status(out[numbers])
    number = np.flatnonzero(kinds == NUMBER)
    if len(number):
        out[number], status[number] = _per_number(column.numbers[rows[number]], function)
    bad = np.isin(rows, cells.bad_rows(j))
    for k in np.flatnonzero(exact & ~bad).tolist():
        cell = exact_cell(grid, int(rows[k]), j)
        out[k] = function(fixed if empty_cell(cell) else cell)
        status[k] = _status([out[k]])[0]
    if bad.any():  # the reason is told where it is read (Findings.add_bad); the field is then empty
        value = function(None)
        out[bad], status[bad] = value, _status([value])[0]
    return out, status


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


def _read(parse, cell) -> tuple:
    """(value, low, high, qualifier, unit, refusal) of one cell as `parse` reads it."""
    try:
        parsed = parse(cell)
    except ValueParseError as exc:
        return np.nan, np.nan, np.nan, "exact", "", Refused(exc.key, exc.params)
    if parse is parse_number:
        return parsed, np.nan, np.nan, "exact", "", None
    value, low, high = (np.nan if x is None else x for x in (parsed.value, parsed.low, parsed.high))
    return value, low, high, parsed.qualifier, parsed.unit, None


@dataclass
class Figures:
    """A column of figures as read: per row the value, bounds, qualifier
    and unit written (NaN, "exact" and "" where there is none), why a cell
    is not a figure (`refusal`, a `Refused` where `refused`, else None), and
    the text of the cells read the English way (`english`, else None)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    qualifier: np.ndarray
    unit: np.ndarray
    refusal: np.ndarray
    refused: np.ndarray
    english: np.ndarray


def figure_columns(grid: Grid, j: int | None, rows: np.ndarray, parse) -> Figures:
    """The figures of `rows` as `parse` (parse_value or parse_number) reads
    the cells of column j: each distinct text read once, plain numbers all
    at once. Cells that cannot be read (Grid.bad) hold nothing."""
    n = len(rows)
    value, low, high = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    qualifier, unit, refusal = _objects(n, "exact"), _objects(n, ""), _objects(n, None)
    english, refused = _objects(n, None), np.zeros(n, dtype=bool)
    if j is None:
        return Figures(value, low, high, qualifier, unit, refusal, refused, english)
    cells = grid.cells
    column = cells.column(j)
    kinds, blank = column.kinds[rows], column.blank[rows]
    as_text = np.flatnonzero(((kinds == TEXT) & ~blank) | (kinds == EITHER))
    if len(as_text):
        codes = column.codes[rows[as_text]]
        used = np.flatnonzero(np.bincount(codes, minlength=len(column.dictionary)))
        distinct = column.dictionary.take(pa.array(used))
        plain, read = _plain_numbers(distinct)
        d_low, d_high = np.full(len(distinct), np.nan), np.full(len(distinct), np.nan)
        d_refusal = _objects(len(distinct), None)
        d_qualifier, d_unit = _objects(len(distinct), "exact"), _objects(len(distinct), "")
        d_english = _objects(len(distinct), None)
        rest = np.flatnonzero(~plain)
        for k, text in zip(rest.tolist(), distinct.take(pa.array(rest, type=pa.int64())).to_pylist(), strict=True):
            read[k], d_low[k], d_high[k], d_qualifier[k], d_unit[k], d_refusal[k] = _read(parse, text)
            if d_refusal[k] is None and english_style(text):
                d_english[k] = text
        at = np.empty(len(column.dictionary), dtype=np.int64)
        at[used] = np.arange(len(used))
        at = at[codes]
        value[as_text], low[as_text], high[as_text] = read[at], d_low[at], d_high[at]
        qualifier[as_text], unit[as_text], refusal[as_text] = d_qualifier[at], d_unit[at], d_refusal[at]
        refused[as_text] = np.not_equal(d_refusal, None)[at]
        english[as_text] = d_english[at]
    as_number = column.numbers[rows]
    number = kinds == NUMBER
    value[number] = as_number[number]
    exact = kinds == OTHER  # dates and booleans: read as written
    exact |= number & ~np.isfinite(as_number)
    either = kinds == EITHER
    if either.any():  # text or a number: where the two readings differ, the XML says which it is
        same = (value == as_number) & np.isnan(low) & np.isnan(high) & (qualifier == "exact") & (unit == "")
        differ = np.flatnonzero(either & ~same)
        is_text = cells.is_text(j, rows[differ]) if len(differ) else None
        if is_text is None:
            exact[differ] = True
        else:
            number = differ[~is_text]
            value[number], low[number], high[number] = as_number[number], np.nan, np.nan
            qualifier[number], unit[number], refusal[number], refused[number] = "exact", "", None, False
            english[number] = None
    english[(kinds != TEXT) & (kinds != EITHER)] = None
    either_english = np.flatnonzero((kinds == EITHER) & np.not_equal(english, None))
    if len(either_english):  # a number cell is no English writing: only text cells are noted
        is_text = cells.is_text(j, rows[either_english])
        english[either_english if is_text is None else either_english[~is_text]] = None
    bad = np.isin(rows, cells.bad_rows(j))
    for k in np.flatnonzero(exact & ~bad).tolist():
        value[k], low[k], high[k], qualifier[k], unit[k], refusal[k] = _read(parse, exact_cell(grid, int(rows[k]), j))
        refused[k] = refusal[k] is not None
    value[bad], low[bad], high[bad], qualifier[bad], unit[bad], refusal[bad], refused[bad], english[bad] = (
        np.nan, np.nan, np.nan, "exact", "", None, False, None)
    return Figures(value, low, high, qualifier, unit, refusal, refused, english)


class Findings:
    """The problems of a group of rows found a column at a time: for each,
    the row (its position in the group), the field's code (its column),
    the reason key and its params, in the order a row's problems are told
    (the order they were added)."""

    def __init__(self, grid: Grid, layout: Layout, rows: np.ndarray, columns: dict[str, int]):
        self.grid, self.layout, self.rows, self.columns = grid, layout, rows, columns
        self._at: list[np.ndarray] = []
        self._found: list[tuple[str | None, object, object]] = []  # (code, key(s), params)

    def add(self, where: np.ndarray, code: str | None, key, params=None) -> None:
        """A problem at the rows `where` (a mask); `key` and `params` one
        for all, or one per row of the group."""
        at = np.flatnonzero(where)
        if len(at):
            self._at.append(at)
            self._found.append((code, key if isinstance(key, str) else key[at],
                                params if params is None or isinstance(params, dict) else params[at]))

    def add_refused(self, where: np.ndarray, code: str, results: np.ndarray) -> None:
        """The `Refused` results at the rows `where`, each with its reason."""
        at = np.flatnonzero(where)
        if len(at):
            picked = results[at]
            keys, params = np.empty(len(results), dtype=object), np.empty(len(results), dtype=object)
            keys[at] = [r.key for r in picked]
            params[at] = [r.params for r in picked]
            self.add(where, code, keys, params)

    def add_bad(self, code: str, where: np.ndarray | None = None) -> np.ndarray:
        """The cells of `code`'s column that cannot be read (among the rows
        `where`), each with its reason (Grid.bad); the mask of their rows."""
        j = self.columns.get(code)
        if j is None:
            return np.zeros(len(self.rows), dtype=bool)
        bad = np.isin(self.rows, self.grid.cells.bad_rows(j))
        if where is not None:
            bad &= where
        if bad.any():
            keys, params = np.empty(len(self.rows), dtype=object), np.empty(len(self.rows), dtype=object)
            for k in np.flatnonzero(bad).tolist():
                keys[k], params[k] = self.grid.bad[(int(self.rows[k]), j)]
            self.add(bad, code, keys, params)
        return bad

    def mark(self) -> int:
        """Where the problems found from now on start (for `failed`)."""
        return len(self._at)

    def failed(self, since: int = 0) -> np.ndarray:
        """The rows with a problem (among those added since `since`)."""
        out = np.zeros(len(self.rows), dtype=bool)
        for at in self._at[since:]:
            out[at] = True
        return out

    def problems(self) -> dict[int, list[Problem]]:
        """The problems by position in the group, each row's in order, with
        its column as a person finds it and the cell as written."""
        if not self._at:
            return {}
        at = np.concatenate(self._at)
        which = np.concatenate([np.full(len(a), n) for n, a in enumerate(self._at)])
        within = np.concatenate([np.arange(len(a)) for a in self._at])
        out: dict[int, list[Problem]] = {}
        for k in np.argsort(at, kind="stable").tolist():
            code, key, params = self._found[which[k]]
            key = key if isinstance(key, str) else key[within[k]]
            params = params if params is None or isinstance(params, dict) else params[within[k]]
            position, j = int(at[k]), self.columns.get(code)
            i = int(self.rows[position])
            out.setdefault(position, []).append(Problem(
                self.grid.sheet, self.grid.numbers[i], self.layout.column_name(j) if j is not None else None,
                exact_cell(self.grid, i, j) if j is not None else None, key, dict(params or {})))
        return out
