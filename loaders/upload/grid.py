"""A sheet as read: `Grid` (its cells and the row numbers a person sees),
and its columns for the checker (`Cells`): from exactly read rows, or from
the fast reading of a workbook (`xlsx_xml.SheetColumns`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loaders.upload import xlsx_xml
from loaders.upload.words import BLANK_CHARACTERS, empty_cell
from tracker import fmt

# Rows searched for the header row (titles may stand above it).
HEADER_SCAN = 30


# -- reading files into grids ------------------------------------------------------------------
class Grid:
    """A sheet's cells as read (text, number, date, or "" when empty),
    with the row number a person sees for each row. `rows` are read when
    first asked for; `cells` is the same sheet column at a time, for the
    checks (the fast reading of a workbook, or these rows)."""

    def __init__(self, sheet: str, numbers, rows: list[list] | None = None, *, load=None, bad: dict | None = None,
                 ragged: bool = False):
        self.sheet = sheet
        # Rows may hold more cells than the header (a CSV line): the cells beyond it are refused.
        self.ragged = ragged
        # What the reader tells the analyst about this sheet though nothing is wrong (Problem-shaped notes).
        self.notes: list = []
        # What an analyst may not see (set by the xlsx reader): a hidden sheet, hidden rows, merged ranges.
        self.hidden = False
        self.hidden_rows: set[int] | None = set()  # None: hidden rows whose numbers the file does not say
        self.merged: list[tuple[int, int, int, int, str]] = []
        self.numbers = numbers
        self._rows = rows
        self._load = load
        # (row index, column index) -> (reason key, params) for unreadable cells.
        self.bad: dict[tuple[int, int], tuple[str, dict]] = bad if bad is not None else {}
        self.cells: Cells = RowCells(self)

    @classmethod
    def from_strings(cls, sheet: str, rows: list[list[str]], numbers: list[int] | None = None) -> Grid:
        """A grid from rows of text: the header row (SPEC §3 column names,
        or any the template accepts), then one row per record. `numbers` are
        the row numbers problems name (default 1, 2, ... as in a sheet)."""
        rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
        return cls(sheet, list(numbers) if numbers is not None else list(range(1, len(rows) + 1)), rows, ragged=True)

    @property
    def rows(self) -> list[list]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows

    @property
    def height(self) -> int:
        return len(self.numbers)

    def exact(self) -> None:
        """Check this sheet from its exactly read rows from now on."""
        self.cells = RowCells(self)


# -- a sheet column at a time ------------------------------------------------------------------------
EMPTY, TEXT, NUMBER, EITHER, OTHER = xlsx_xml.EMPTY, xlsx_xml.TEXT, xlsx_xml.NUMBER, xlsx_xml.EITHER, xlsx_xml.OTHER
_BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in BLANK_CHARACTERS) + "]*$"


class ReadExactly(Exception):
    """The fast reading of a sheet cannot tell something the checks need:
    the sheet is checked again from its exactly read rows."""


UNREAD = object()  # a cell of the fast reading's first rows that is not given (see FastCells.head)


@dataclass
class Column:
    """One column of a sheet: what each cell is (`kinds`: EMPTY, TEXT,
    NUMBER, EITHER: a number or text written as that number, OTHER: dates,
    booleans), the text of TEXT and EITHER cells as `codes` into
    `dictionary` (its distinct texts), the number of NUMBER and EITHER
    cells in `numbers` (NaN elsewhere), and the text cells that are only
    spaces (`blank`, read as empty)."""

    kinds: np.ndarray
    codes: np.ndarray
    dictionary: pa.Array
    numbers: np.ndarray
    blank: np.ndarray


class Cells:
    """A sheet a column at a time, for the checks."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self._columns: dict[int, Column] = {}
        self._bad_rows: dict[int, np.ndarray] | None = None

    def _read(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        raise NotImplementedError

    def column(self, j: int) -> Column:
        if j not in self._columns:
            kinds, codes, dictionary, numbers = self._read(j)
            blank = np.zeros(len(kinds), dtype=bool)
            if len(dictionary):
                blank_text = pc.match_substring_regex(dictionary, _BLANK).to_numpy(zero_copy_only=False)
                blank = (kinds == TEXT) & blank_text[np.maximum(codes, 0)]
            self._columns[j] = Column(kinds, codes, dictionary, numbers, blank)
        return self._columns[j]

    def filled(self, j: int) -> np.ndarray:
        """Cells that are not empty (`empty_cell`)."""
        column = self.column(j)
        return (column.kinds != EMPTY) & ~column.blank

    def bad_rows(self, j: int) -> np.ndarray:
        """Rows whose cell in column j cannot be read (Grid.bad)."""
        if self._bad_rows is None:
            by_column: dict[int, list[int]] = {}
            for i, jj in self.grid.bad:
                by_column.setdefault(jj, []).append(i)
            self._bad_rows = {jj: np.array(sorted(rows), dtype=np.int64) for jj, rows in by_column.items()}
        return self._bad_rows.get(j, np.empty(0, dtype=np.int64))

    def is_text(self, j: int, rows: np.ndarray) -> np.ndarray | None:
        """For EITHER cells of column j: whether each is text (None: cannot tell)."""
        return None

    # What `find_layout` asks of the sheet: row by row here, column at a time in `FastCells`.
    def head(self):
        return self.grid.rows[:HEADER_SCAN]

    def has_data(self, j: int, start: int) -> bool:
        return any(j < len(r) and not empty_cell(r[j]) for r in self.grid.rows[start:])

    def has_content(self) -> bool:
        return any(not empty_cell(c) for row in self.grid.rows for c in row)



# The type of a cell as calamine gives it -> its kind (anything else: OTHER).
_KIND_OF_TYPE = {str: TEXT, float: NUMBER, int: NUMBER, type(None): EMPTY}


class RowCells(Cells):
    """The columns of exactly read rows (calamine's, or a CSV file's)."""

    def _read(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        cells = [r[j] if j < len(r) else "" for r in self.grid.rows]
        kinds = np.fromiter((_KIND_OF_TYPE.get(type(c), OTHER) for c in cells), dtype=np.int8, count=len(cells))
        encoded = pc.dictionary_encode(pa.array([c if type(c) is str else None for c in cells], type=pa.string()))
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        numbers = np.array([float(c) if k == NUMBER else np.nan for c, k in zip(cells, kinds, strict=True)],
                           dtype=np.float64)
        kinds[(kinds == NUMBER) & np.isnan(numbers)] = EMPTY  # a NaN number reads as empty (empty_cell)
        return kinds, codes, encoded.dictionary, numbers


class FastCells(Cells):
    """The columns of a sheet read by fastexcel (`loaders.workbook`)."""

    def __init__(self, grid: Grid, sheet: xlsx_xml.SheetColumns):
        super().__init__(grid)
        self.sheet = sheet
        self.guessed = False  # a header cell that may be text or a number was read as a number
        self._percent: dict[int, list[int]] = {}
        for i, j in sheet.notes.percent:
            self._percent.setdefault(j, []).append(i)

    def _read(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        kinds, codes, dictionary = self.sheet.column(j)
        numbers = self.sheet.numbers.get(j)
        if numbers is None:
            numbers = np.full(self.sheet.height, np.nan)
        shown = [i for i in self._percent.get(j, ()) if kinds[i] in (NUMBER, EITHER)]
        if shown:  # number cells shown as a percentage read as the analyst sees them: 0,0798 -> "7,98%"
            texts = dictionary.take(pa.array(np.maximum(codes, 0))).to_pylist()
            kinds, numbers = kinds.copy(), numbers.copy()
            for i in shown:
                texts[i] = fmt.number(numbers[i] * 100, None) + "%"
                kinds[i], numbers[i] = TEXT, np.nan
            texts = [text if kind in (TEXT, EITHER, OTHER) else None for text, kind in zip(texts, kinds, strict=True)]
            encoded = pc.dictionary_encode(pa.array(texts, type=pa.string()))
            codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
            dictionary = encoded.dictionary
        return kinds, codes, dictionary, numbers

    def is_text(self, j: int, rows: np.ndarray) -> np.ndarray | None:
        return self.sheet.is_text(j, rows)

    def head(self):
        """The first rows as calamine reads them, from the two views, one at
        a time (`find_layout` stops at the header). A cell neither text nor a
        number (a date in a title) is UNREAD: it cannot name a column."""
        width = self.sheet.width
        columns = [self.column(j) for j in range(width)]
        for i in range(min(HEADER_SCAN, self.sheet.height)):
            row = [""] * width
            for j, column in enumerate(columns):
                kind, number = column.kinds[i], column.numbers[i]
                if kind == TEXT:
                    row[j] = column.dictionary[int(column.codes[i])].as_py()
                elif kind == NUMBER or (kind == EITHER and (number == 0 or abs(number) >= 1e-4)):
                    # A header written as text "2019" or as the number 2019 finds the same layout;
                    # a problem that would show which it is is reported from the exact rows (check_sheet).
                    row[j] = float(number)
                    self.guessed |= kind == EITHER
                elif kind != EMPTY:
                    row[j] = UNREAD
            yield row

    def has_data(self, j: int | None, start: int) -> bool:
        columns = [j] if j is not None else list(self.sheet.texts)
        return any(self.filled(c)[start:].any() for c in columns)

    def has_content(self) -> bool:
        return self.has_data(None, 0)


def per_code(codes: np.ndarray, dictionary: pa.Array, function) -> np.ndarray:
    """function(text) for the texts of `dictionary` that `codes` use (each
    once), by code: an array as long as the dictionary."""
    results = np.empty(len(dictionary), dtype=object)
    used = np.flatnonzero(np.bincount(codes, minlength=len(dictionary)))
    for k, text in zip(used.tolist(), dictionary.take(pa.array(used)).to_pylist(), strict=True):
        results[k] = function(text)
    return results
