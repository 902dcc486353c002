"""An analyst's file -> checked tidy frames -> a published version (SPEC §6, §7).

`prepare` reads the whole file and checks every cell, collecting every
problem with the sheet, row and column a person sees; nothing is written.
`publish` archives the file and publishes each table as one commit, and
only for a file without problems. `run_import` is the same for the command
line.

What is read:
- .xlsx (recognised by its zip signature, whatever its name): the template
  (`loaders.template`), also with columns reordered or renamed in Vietnamese
  or English (the names accepted are data: `upload_aliases.csv` plus the
  labels of the translation tables), any sheet whose header row names the
  contract's columns, and wide sheets (indicators as rows, years as
  columns); titles above the header row are skipped.
- .csv (UTF-8, comma, semicolon or tab separated) in the same shapes.

Decisions:
- `source` is required on every figure: a figure without its evidence is
  refused, never defaulted.
- an empty `area_id` (or no such column) means the catalogue's root area
  (the province).
- `kind`/`period` passed in fill a missing column or an empty cell; a cell
  that has one wins; a wide sheet's year header that names them ("KH 2019",
  "TH 6 tháng 2018") wins over both.
- a unit written after a value, or in a unit column, must be the
  indicator's catalogue unit (a figure in the wrong unit is refused, not
  converted).
- numbers in text cells are read the Vietnamese way unless the sheet's
  text numbers can only be read with a decimal dot (`values.decimal_mark`):
  a CSV written by a program reads as written. Number cells are numbers; a
  number cell formatted as a percentage is read as shown (0,0798 -> 7,98%).
- an unknown column that holds data is a problem (a misspelt value column
  must not be dropped silently); known descriptive columns (indicator
  name, row number) are ignored.
- a file holding figures and task reports is published as two commits,
  figures first, made current together by the store's publish record.

Speed (100,000 rows in about a second): a workbook is read by fastexcel
(`loaders.workbook`), and a figures sheet is checked a column at a time:
each distinct id, code, year or written value is read once, plain numbers
("1.437,4") as whole columns. A row the column checks cannot pass, or
cannot be sure of, is checked again on its own by the row-by-row checks
below (`_observation`), from the sheet's rows as calamine reads them: those
checks decide every problem reported, so the reasons, rows and values are
the same whichever way a file is read.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from loaders import values, workbook
from loaders.template import READ_ONLY_SHEETS
from loaders.values import MAX_TEXT, ValueParseError, decimal_mark, parse_number, parse_value
from tracker import fmt, schema
from tracker.errors import TrackerError
from tracker.i18n import LANGS, t
from tracker.store import PublishResult, Store

ALIASES_FILE = Path(__file__).with_name("upload_aliases.csv")

# -- settings ---------------------------------------------------------------------
# name: (default, environment variable, what it limits). Sizes in MB.
SETTINGS = {
    "max_file_mb": (20, "PLAN_UPLOAD_MAX_MB", "largest file accepted, in MB"),
    "max_unpacked_mb": (200, "PLAN_UPLOAD_MAX_UNPACKED_MB",
                        "largest total size of an .xlsx once unzipped, in MB (zip-bomb guard, checked before reading)"),
    "max_rows": (50_000, "PLAN_UPLOAD_MAX_ROWS", "most rows read from one sheet or CSV file"),
}
# Rows searched for the header row (titles may stand above it).
HEADER_SCAN = 30
# The zip directory of an .xlsx with more entries than this is not a workbook an analyst made.
MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class Limits:
    """What an upload may be: checked before the file is read further."""

    max_file_bytes: int
    max_unpacked_bytes: int
    max_rows: int


def limits() -> Limits:
    """The upload limits: SETTINGS defaults, each overridable by its
    environment variable."""
    value = {name: int(os.environ.get(env) or default) for name, (default, env, _) in SETTINGS.items()}
    return Limits(value["max_file_mb"] * 2**20, value["max_unpacked_mb"] * 2**20, value["max_rows"])


# -- what prepare returns --------------------------------------------------------------
@dataclass
class Problem:
    """One thing to fix, where a person finds it: `row` is 1-based as Excel
    (or a text editor, for CSV) shows it; `column` is the letter and the
    header as written, e.g. "F (value)". None where it does not apply."""

    sheet: str | None
    row: int | None
    column: str | None
    value: object
    reason_key: str
    reason_params: dict = field(default_factory=dict)

    def reason(self, lang: str = "vi") -> str:
        params = {k: v.get(lang, v.get("vi")) if isinstance(v, dict) else v for k, v in self.reason_params.items()}
        return t(self.reason_key, lang, **params)


@dataclass
class Prepared:
    """A read and checked file. `frames` hold the contract's columns per
    table ("observations", "task_reports"); `previews` the store's diff of
    each against the current view (only when the file passed)."""

    file_name: str
    sha256: str
    size: int
    data: bytes
    frames: dict[str, pd.DataFrame]
    problems: list[Problem]
    previews: dict[str, pd.DataFrame]
    ok: bool


def problems_frame(problems: list[Problem], lang: str = "vi") -> pd.DataFrame:
    """The problems as a table to act on: sheet, row, column, value, reason
    (headers and reasons in `lang`), grouped by sheet and row."""
    headers = [t(f"upload.problem.{c}", lang) for c in ("sheet", "row", "column", "value", "reason")]
    sheets = {}
    for problem in problems:
        sheets.setdefault(problem.sheet, len(sheets))
    ordered = sorted(problems, key=lambda p: (sheets[p.sheet], p.row or 0))
    rows = [[p.sheet or "", p.row, p.column or "", _shown(p.value, lang), p.reason(lang)] for p in ordered]
    frame = pd.DataFrame(rows, columns=headers)
    frame[headers[1]] = frame[headers[1]].astype("Int64")
    return frame


def _shown(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return fmt.number(value, None, lang)
    if isinstance(value, (date, datetime)):
        return fmt.day(value, lang)
    return str(value)


# -- words and names ----------------------------------------------------------------------
@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """A header or vocabulary word folded for matching: lower case, no
    diacritics, _ and - as spaces, single spaces, no trailing * or :."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[_\-\s]+", " ", text).strip(" *:")
    return text


@cache
def aliases() -> dict[str, dict[str, str]]:
    """field -> folded alias -> code, from upload_aliases.csv plus the
    column labels of the translation tables (both languages)."""
    table: dict[str, dict[str, str]] = {}
    with ALIASES_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault(row["field"], {})[norm(row["alias"])] = row["code"]
    columns = {
        "observations": schema.OBSERVATION_COLUMNS + ["indicator_name", "unit"],
        "task_reports": schema.TASK_REPORT_COLUMNS,
    }
    for name, codes in columns.items():
        for code in codes:
            table[name].setdefault(norm(code), code)
            for lang in LANGS:
                table[name].setdefault(norm(t(f"upload.label.{code}", lang)), code)
    for vocab, codes in (("period", schema.PERIODS), ("kind", schema.KINDS), ("status", schema.TASK_STATUSES)):
        for code in codes:
            table[vocab].setdefault(norm(code), code)
            for lang in LANGS:
                table[vocab].setdefault(norm(t(f"upload.{vocab}.{code}", lang)), code)
    return table


@dataclass
class Catalogue:
    """The catalogue rows a file is checked against, with lookups by id
    (exact, then any case) and by Vietnamese or English name."""

    indicators: dict[str, dict]
    root_area: str | None
    task_agency: dict[str, str]
    agencies: dict[str, dict]
    ids: dict[str, set[str]] = field(default_factory=dict)  # what -> ids
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # what -> folded name -> id

    def __post_init__(self):
        self._lowered = {what: {i.lower(): i for i in ids} for what, ids in self.ids.items()}

    @classmethod
    def from_store(cls, store: Store) -> Catalogue:
        """The store's catalogue, read again only when one of its tables changed."""
        tables = ("indicators", "areas", "tasks", "agencies")
        key = (store.root, repr(store.storage_options), tuple(store.version(n) if store.exists(n) else None
                                                               for n in tables))
        if key not in _CATALOGUES:
            if len(_CATALOGUES) >= 4:
                _CATALOGUES.pop(next(iter(_CATALOGUES)))
            _CATALOGUES[key] = cls._read(store)
        return _CATALOGUES[key]

    @classmethod
    def _read(cls, store: Store) -> Catalogue:
        def table(name):
            return store.current(name) if store.exists(name) else pd.DataFrame(columns=schema.CATALOGUE_COLUMNS[name])

        indicators, areas, tasks, agencies = (table(n) for n in ("indicators", "areas", "tasks", "agencies"))
        roots = areas[areas["parent_id"].isna() | (areas["parent_id"].astype(str) == "")]
        return cls(
            indicators={r["indicator_id"]: r for r in indicators.to_dict("records")},
            root_area=str(roots.iloc[0]["area_id"]) if len(roots) else None,
            task_agency=dict(zip(tasks["task_id"], tasks["agency_id"], strict=True)),
            agencies={r["agency_id"]: r for r in agencies.to_dict("records")},
            ids={"indicator": set(indicators["indicator_id"]), "area": set(areas["area_id"]),
                 "task": set(tasks["task_id"]), "agency": set(agencies["agency_id"])},
            names={"indicator": _names(indicators, "indicator_id"), "area": _names(areas, "area_id"),
                   "task": {}, "agency": _names(agencies, "agency_id")},
        )

    def find(self, what: str, text: str) -> str | None:
        """The id `text` names, or None."""
        if text in self.ids[what]:
            return text
        return self._lowered[what].get(text.lower()) or self.names[what].get(norm(text))

    def suggest(self, what: str, text: str) -> str:
        """The closest ids, for the message ("" when nothing is close)."""
        lowered = self._lowered[what]
        found = [lowered[c] for c in difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.6)]
        names = self.names[what]
        for name in difflib.get_close_matches(norm(text), list(names), n=3, cutoff=0.7):
            if names[name] not in found:
                found.append(names[name])
        return ", ".join(found[:3])


_CATALOGUES: dict[tuple, Catalogue] = {}  # Catalogue.from_store's, by store and table versions


def _names(frame: pd.DataFrame, id_column: str) -> dict[str, str]:
    """Folded Vietnamese and English names -> id (names shared by two rows are left out)."""
    names: dict[str, str | None] = {}
    for row in frame.to_dict("records"):
        for column in ("name_vi", "name_en"):
            value = row.get(column)
            if isinstance(value, str) and value:
                key = norm(value)
                names[key] = row[id_column] if names.get(key, row[id_column]) == row[id_column] else None
    return {k: v for k, v in names.items() if v is not None}


# -- reading files into grids ------------------------------------------------------------------
class Grid:
    """A sheet's cells as read (text, number, date, or "" when empty),
    with the row number a person sees for each row. `rows` are read when
    first asked for; `cells` is the same sheet column at a time, for the
    checks (the fast reading of a workbook, or these rows)."""

    def __init__(self, sheet: str, numbers, rows: list[list] | None = None, *, load=None, bad: dict | None = None):
        self.sheet = sheet
        self.numbers = numbers
        self._rows = rows
        self._load = load
        # (row index, column index) -> (reason key, params) for unreadable cells.
        self.bad: dict[tuple[int, int], tuple[str, dict]] = bad if bad is not None else {}
        self.cells: _Cells = _RowCells(self)

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
        self.cells = _RowCells(self)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_grids(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    """Every sheet of the file as a grid, or the problem that stops reading."""
    if not data:
        return [], [Problem(None, None, None, file_name, "upload.file.empty")]
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name, limit)
    if data[:8] == _OLE2:
        # Office keeps a password-encrypted .xlsx inside an OLE2 container.
        key = "upload.file.encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "upload.file.old_xls"
        return [], [Problem(None, None, None, file_name, key)]
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return [], [Problem(None, None, None, file_name, "upload.file.not_workbook")]
    return _read_csv(data, file_name, limit)


def _read_xlsx(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    def refuse(key, **params):
        return [], [Problem(None, None, None, file_name, key, params)]

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return refuse("upload.file.corrupt")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > limit.max_unpacked_bytes or len(entries) > MAX_ZIP_ENTRIES:
        return refuse("upload.file.too_big_unpacked", size=_mb(unpacked), limit=_mb(limit.max_unpacked_bytes))
    if "xl/workbook.xml" not in archive.namelist():
        return refuse("upload.file.not_workbook")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m.name for m in book.sheets_metadata
                  if str(m.typ).endswith("WorkSheet") and m.name not in READ_ONLY_SHEETS]
        paths = workbook.sheet_paths(archive)
        styles = workbook.percent_styles(archive)
        shared_number_texts = cache(partial(workbook.shared_number_texts, archive))
        # fastexcel reads the sheets in other threads while their XML is searched here.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-read") as pool:
            reading = pool.submit(workbook.read_columns, data, sheets, limit.max_rows)
            notes = {name: workbook.cell_notes(archive.read(paths[name]), limit.max_rows + 1, styles)
                     for name in sheets if name in paths}
            try:
                columns = reading.result()
            except Exception:  # noqa: BLE001 - whatever the fast reading cannot read, calamine reads below
                columns = {}
        grids, problems = [], []
        for name in sheets:
            if name in columns:
                height = columns[name][0]
            else:
                height = len(_calamine_rows(book, name, limit.max_rows + 1))
            if height > limit.max_rows:
                problems.append(Problem(name, None, None, None, "upload.sheet.too_many_rows",
                                        {"limit": fmt.number(limit.max_rows, 0)}))
                continue
            sheet_notes = notes.get(name) or workbook.CellNotes()
            sheet_notes.bad = {at: note for at, note in sheet_notes.bad.items() if at[0] < height}
            sheet_notes.percent = {at for at in sheet_notes.percent if at[0] < height}
            grid = Grid(name, range(1, height + 1), load=partial(_exact_rows, book, name, height, sheet_notes.percent),
                        bad=sheet_notes.bad)
            if name in columns and not sheet_notes.unusual_types:
                grid.cells = _FastCells(grid, workbook.SheetColumns(height, columns[name][1], columns[name][2],
                                                                    sheet_notes, shared_number_texts))
            grids.append(grid)
    except PasswordError:
        return refuse("upload.file.encrypted")
    except (CalamineError, zipfile.BadZipFile, ET.ParseError, KeyError, OSError, ValueError, EOFError):
        return refuse("upload.file.corrupt")
    return grids, problems


def _calamine_rows(book: CalamineWorkbook, name: str, nrows: int) -> list[list]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=nrows)


def _exact_rows(book: CalamineWorkbook, name: str, height: int, percent: set[tuple[int, int]]) -> list[list]:
    """The sheet's rows exactly as calamine reads them, number cells shown
    as a percentage read as the analyst sees them (0,0798 -> "7,98%")."""
    rows = _calamine_rows(book, name, height)
    rows += [[] for _ in range(height - len(rows))]
    for i, j in percent:
        if j < len(rows[i]) and isinstance(rows[i][j], (int, float)) and not isinstance(rows[i][j], bool):
            rows[i][j] = fmt.number(rows[i][j] * 100, None) + "%"
    return rows


def _mb(size: int) -> str:
    return fmt.number(size / 2**20, 1)


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_csv(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    def refuse(key):
        return [], [Problem(None, None, None, file_name, key)]

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        controls = sum(1 for b in data[:65536] if b < 9 or 13 < b < 32)
        return refuse("upload.file.not_workbook" if controls > len(data[:65536]) // 100 else "upload.file.encoding")
    if "\x00" in text:
        return refuse("upload.file.not_workbook")
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows, numbers = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            rows.append(record)
            numbers.append(line)
            line = reader.line_num + 1
            if len(rows) > limit.max_rows:
                return [], [Problem(Path(file_name).name, None, None, None, "upload.sheet.too_many_rows",
                                    {"limit": fmt.number(limit.max_rows, 0)})]
    except csv.Error:
        return refuse("upload.file.not_workbook")
    return [Grid(Path(file_name).name, numbers, rows)], []


# -- a sheet column at a time ------------------------------------------------------------------------
EMPTY, TEXT, NUMBER, EITHER, OTHER = workbook.EMPTY, workbook.TEXT, workbook.NUMBER, workbook.EITHER, workbook.OTHER
# Python's whitespace (str.isspace): Arrow's own differs, and a blank cell is one str.strip() empties.
PY_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
             "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACES) + "]*$"


class _Exact(Exception):
    """The fast reading of a sheet cannot tell something the checks need:
    the sheet is checked again from its exactly read rows."""


_UNREAD = object()  # a cell of the fast reading's first rows that is not given (see _FastCells.head)


@dataclass
class _Column:
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


class _Cells:
    """A sheet a column at a time, for the checks."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self._columns: dict[int, _Column] = {}
        self._bad_rows: dict[int, np.ndarray] | None = None

    def _read(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        raise NotImplementedError

    def column(self, j: int) -> _Column:
        if j not in self._columns:
            kinds, codes, dictionary, numbers = self._read(j)
            blank = np.zeros(len(kinds), dtype=bool)
            if len(dictionary):
                blank_text = pc.match_substring_regex(dictionary, _BLANK).to_numpy(zero_copy_only=False)
                blank = (kinds == TEXT) & blank_text[np.maximum(codes, 0)]
            self._columns[j] = _Column(kinds, codes, dictionary, numbers, blank)
        return self._columns[j]

    def filled(self, j: int) -> np.ndarray:
        """Cells that are not empty (`_empty`)."""
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

    # What `_layout` asks of the sheet: row by row here, column at a time in `_FastCells`.
    def head(self):
        return self.grid.rows[:HEADER_SCAN]

    def has_data(self, j: int, start: int) -> bool:
        return any(j < len(r) and not _empty(r[j]) for r in self.grid.rows[start:])

    def has_content(self) -> bool:
        return any(not _empty(c) for row in self.grid.rows for c in row)

    def decimal(self, columns: list[int], start: int) -> str:
        return decimal_mark(r[j] for r in self.grid.rows[start:] for j in columns if j < len(r))


# The type of a cell as calamine gives it -> its kind (anything else: OTHER).
_KIND_OF_TYPE = {str: TEXT, float: NUMBER, int: NUMBER, type(None): EMPTY}


class _RowCells(_Cells):
    """The columns of exactly read rows (calamine's, or a CSV file's)."""

    def _read(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        cells = [r[j] if j < len(r) else "" for r in self.grid.rows]
        kinds = np.fromiter((_KIND_OF_TYPE.get(type(c), OTHER) for c in cells), dtype=np.int8, count=len(cells))
        encoded = pc.dictionary_encode(pa.array([c if type(c) is str else None for c in cells], type=pa.string()))
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        numbers = np.array([float(c) if k == NUMBER else np.nan for c, k in zip(cells, kinds, strict=True)],
                           dtype=np.float64)
        kinds[(kinds == NUMBER) & np.isnan(numbers)] = EMPTY  # a NaN number reads as empty (_empty)
        return kinds, codes, encoded.dictionary, numbers


class _FastCells(_Cells):
    """The columns of a sheet read by fastexcel (`loaders.workbook`)."""

    def __init__(self, grid: Grid, sheet: workbook.SheetColumns):
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
        a time (`_layout` stops at the header). A cell neither text nor a
        number (a date in a title) is _UNREAD: it cannot name a column."""
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
                    # a problem that would show which it is is reported from the exact rows (_check_sheet).
                    row[j] = float(number)
                    self.guessed |= kind == EITHER
                elif kind != EMPTY:
                    row[j] = _UNREAD
            yield row

    def has_data(self, j: int | None, start: int) -> bool:
        columns = [j] if j is not None else list(self.sheet.texts)
        return any(self.filled(c)[start:].any() for c in columns)

    def has_content(self) -> bool:
        return self.has_data(None, 0)

    def decimal(self, columns: list[int], start: int) -> str:
        """values.decimal_mark of the text cells below the header in these
        columns, each distinct text read once. Cells that may be text or a
        number count only if they are text: the XML says which they are
        when that decides it (_Exact when it cannot)."""
        dot, either = False, []
        for j in columns:
            column = self.column(j)
            for kind in (TEXT, EITHER):
                rows = np.flatnonzero(column.kinds[start:] == kind) + start
                if not len(rows):
                    continue
                if kind == EITHER:
                    either.append((j, rows))
                    continue
                found = _mark_evidence(column.dictionary.take(pa.array(np.unique(column.codes[rows]))))
                if found[1]:
                    return ","  # a decimal comma among the text decides
                dot = dot or found[0]
        if dot:
            return "."
        for j, rows in either:  # "." if one of those read with a decimal dot is text
            column = self.column(j)
            codes = column.codes[rows]
            reads_dot = _per_code(codes, column.dictionary, lambda text: values.mark_evidence(text)[0])[codes]
            reads_dot = reads_dot.astype(bool)
            if reads_dot.any():
                is_text = self.is_text(j, rows[reads_dot])
                if is_text is None:
                    raise _Exact
                if is_text.any():
                    return "."
        return ","


def _mark_evidence(texts: pa.Array) -> tuple[bool, bool]:
    """(dot, comma): what these texts say about the decimal mark, as
    values.decimal_mark reads each (the common forms matched at once)."""
    texts = texts.filter(pc.fill_null(pc.match_substring_regex(texts, "[.,]"), False))
    if not len(texts):
        return False, False
    short = pc.less_equal(pc.utf8_length(texts), MAX_TEXT)
    dot = comma = False
    simple = pc.fill_null(pc.and_(short, pc.match_substring_regex(texts, r"^[+-]?[0-9]+[.,][0-9]+%?$")), False)
    if pc.any(simple).as_py():
        one = texts.filter(simple)
        grouping = pc.match_substring_regex(one, r"^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}%?$")
        decimal = one.filter(pc.invert(grouping))
        comma = pc.any(pc.match_substring(decimal, ",")).as_py() or False
        dot = pc.any(pc.match_substring(decimal, ".")).as_py() or False
        texts = texts.filter(pc.invert(simple))
    for text in texts.to_pylist():
        if comma:
            break
        found = values.mark_evidence(text)
        dot, comma = dot or found[0], comma or found[1]
    return dot, comma


# -- grids into records ---------------------------------------------------------------------------------
def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (isinstance(cell, float) and math.isnan(cell))


def _text(cell) -> str | None:
    """A cell as text ("" and blanks are None); whole numbers without ".0";
    the apostrophe our exports put before "=", "+", "-", "@" taken off."""
    if _empty(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    text = unicodedata.normalize("NFC", str(cell)).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


@dataclass(frozen=True)
class _YearColumn:
    """A wide sheet's column: its year, and the kind and period when the
    header names them ("Kế hoạch 2019", "Ước TH 6 tháng 2018")."""

    year: int
    kind: str | None = None
    period: str | None = None


def _year_header(cell) -> _YearColumn | None:
    """The year column a wide sheet's header cell names (2019, "2019",
    "Năm 2019", "KH 2019", "TH 6 tháng 2018"), else None."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        found = _YearColumn(int(cell))
    elif isinstance(cell, str):
        match = re.fullmatch(r"(.*?)\s*(\d{4})", norm(cell))
        if not match:
            return None
        words = match.group(1)
        # "Năm 2019", "Kế hoạch năm 2019": a bare "năm" only introduces the
        # year (it names no period); "cả năm 2018" does name one.
        stripped = re.sub(r"\s*\b(?:nam|year)$", "", words)
        found = _kind_period(stripped, int(match.group(2)))
        if found is None and stripped != words:
            found = _kind_period(words, int(match.group(2)))
        if found is None:
            return None
    else:
        return None
    return found if schema.YEAR_MIN <= found.year <= schema.YEAR_MAX else None


def _kind_period(words: str, year: int) -> _YearColumn | None:
    """Words before a year read as a kind and/or a period, in either order."""
    if not words:
        return _YearColumn(year)
    names = aliases()
    tokens = words.split()
    for i in range(len(tokens) + 1):
        first, second = " ".join(tokens[:i]), " ".join(tokens[i:])
        for kind_words, period_words in ((first, second), (second, first)):
            kind = names["kind"].get(kind_words) if kind_words else None
            period = names["period"].get(period_words) if period_words else None
            if (kind or not kind_words) and (period or not period_words):
                return _YearColumn(year, kind, period)
    return None


@dataclass
class _Layout:
    table: str  # observations, task_reports, wide
    header: int  # row index of the header
    columns: dict[str, int]  # code -> column index
    years: dict[int, _YearColumn]  # column index -> what a wide sheet's column holds
    headers: list  # the header row as written
    decimal: str = ","  # the decimal mark of the sheet's numbers (values.decimal_mark)


def _layout(grid: Grid, problems: list[Problem]) -> _Layout | None:
    """Where the table of a sheet is and what its columns are; None with a
    problem when a sheet with content has no recognisable header."""
    names = aliases()
    for i, row in enumerate(grid.cells.head()):
        found = {}
        for table in ("observations", "task_reports"):
            found[table] = {j: names[table].get(norm(c)) for j, c in enumerate(row) if isinstance(c, str) and c.strip()}
        fields = {table: {c for c in found[table].values() if c and c != "ignore"} for table in found}
        years = {j: y for j, c in enumerate(row) if (y := _year_header(c)) is not None}
        has_indicator = bool(fields["observations"] & {"indicator_id", "indicator_name"})
        if has_indicator and years and "year" not in fields["observations"]:
            table = "wide"
        elif has_indicator and len(fields["observations"]) >= 3:
            table = "observations"
        elif "task_id" in fields["task_reports"] and len(fields["task_reports"]) >= 3:
            table = "task_reports"
        else:
            continue
        mapped = found["task_reports" if table == "task_reports" else "observations"]
        columns: dict[str, int] = {}
        layout = _Layout(table, i, columns, years if table == "wide" else {}, row)
        for j, cell in enumerate(row):
            if j in layout.years or _empty(cell):
                continue
            code = mapped.get(j)
            where = f"{_col_letter(j)} ({_text(cell)})"
            if code is None:
                if grid.cells.has_data(j, i + 1):
                    problems.append(Problem(grid.sheet, grid.numbers[i], where, cell, "upload.column.unknown"))
            elif code == "ignore":
                continue
            elif code in columns:
                problems.append(Problem(grid.sheet, grid.numbers[i], where, cell, "upload.column.duplicate",
                                        {"column": code}))
            else:
                columns[code] = j
        numeric = [columns[c] for c in ("value", "low", "high", "pct_of_plan", "yoy_pct") if c in columns]
        numeric += list(layout.years)
        layout.decimal = grid.cells.decimal(numeric, i + 1)
        return layout
    if grid.cells.has_content():
        problems.append(Problem(grid.sheet, None, None, None, "upload.sheet.unrecognised"))
    return None


REQUIRED = {
    "observations": ["year", "source"],
    "wide": ["source"],
    "task_reports": ["task_id", "agency_id", "year", "status", "reported_on"],
}


class _Row:
    """One record being checked: its cells by code, and where to point."""

    def __init__(self, grid: Grid, index: int, layout: _Layout, problems: list[Problem], fixed: dict | None = None,
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
        header = self.layout.headers[j] if j < len(self.layout.headers) else ""
        return f"{_col_letter(j)} ({_text(header) or ''})"

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
            if not _empty(cell):
                return cell
        return self.fixed.get(code)

    def fail(self, code: str | None, key: str, **params) -> None:
        self.failures += 1
        value = self.raw(code) if code else None
        self.problems.append(Problem(self.grid.sheet, self.number, self.where(code) if code else None,
                                     value, key, params))


def _sheet_rules(grid: Grid, layout: _Layout, problems: list[Problem], kind: str | None,
                 period: str | None) -> dict:
    """The problems of the sheet as a whole (missing columns), and the
    values that fill a missing column or an empty cell (`fixed`)."""
    defaults = {"kind": kind, "period": period}
    fixed = {k: v for k, v in defaults.items() if v is not None}  # fills a missing column or an empty cell
    for column in REQUIRED[layout.table]:
        if column not in layout.columns:
            problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, "upload.column.missing",
                                    {"column": column, "label": {g: t(f"upload.label.{column}", g) for g in LANGS}}))
    if layout.table in ("observations", "wide"):
        for column in ("kind", "period"):
            named_by_headers = layout.years and all(getattr(y, column) for y in layout.years.values())
            if column not in layout.columns and column not in fixed and not named_by_headers:
                key = f"upload.wide.needs_{column}" if layout.table == "wide" else "upload.column.missing"
                problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, key,
                                        {"column": column, "label": {g: t(f"upload.label.{column}", g) for g in LANGS}}))
    if layout.table == "observations" and not {"value", "pct_of_plan", "yoy_pct"} & set(layout.columns):
        problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, "upload.column.missing",
                                {"column": "value", "label": {g: t("upload.label.value", g) for g in LANGS}}))
    return fixed


def _records(grid: Grid, layout: _Layout, problems: list[Problem], kind: str | None,
             period: str | None) -> list[tuple[str, _Row]]:
    """(table, row) for every row of the table that holds anything."""
    fixed = _sheet_rules(grid, layout, problems, kind, period)
    records = []
    used = set(layout.columns.values()) | set(layout.years)
    for i in range(layout.header + 1, grid.height):
        cells = grid.rows[i]
        filled = {j for j in used if (j < len(cells) and not _empty(cells[j])) or (i, j) in grid.bad}
        if not filled:
            continue
        if layout.table == "wide":
            for j, column in layout.years.items():
                if j in filled:
                    named = {k: v for k, v in (("kind", column.kind), ("period", column.period)) if v}
                    row = _Row(grid, i, layout, problems, {**fixed, "year": column.year, **named}, value_column=j,
                               drop=tuple(named))
                    records.append(("observations", row))
        else:
            records.append((layout.table, _Row(grid, i, layout, problems, fixed)))
    return records


# -- checking records --------------------------------------------------------------------------------
def _id(row: _Row, code: str, cat: Catalogue, what: str, required: bool = True) -> str | None:
    """The catalogue id a cell names (by id, any case, or by name); None
    with a problem when unknown, or when empty and `required`."""
    before = row.failures
    text = _text(row.get(code))
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


def _year_of(cell) -> int | None:
    """The year a (non-empty) cell names, or None when it names none in range."""
    year = None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        year = int(cell)
    elif isinstance(cell, str) and re.fullmatch(r"\s*\d{4}\s*", cell):
        year = int(cell)
    if year is None or not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        return None
    return year


def _year(row: _Row) -> int | None:
    cell = row.get("year")
    if cell is None:
        if "year" in row.columns:
            row.fail("year", "upload.year.missing")
        return None
    year = _year_of(cell)
    if year is None:
        row.fail("year", "upload.year.bad", min=schema.YEAR_MIN, max=schema.YEAR_MAX)
    return year


def _vocab_of(cell, vocab: str, codes: tuple[str, ...]) -> str | None:
    """The code a (non-empty) cell names in a vocabulary, or None."""
    text = _text(cell)
    if text in codes:
        return text
    return aliases()[vocab].get(norm(text))


def _vocab(row: _Row, code: str, vocab: str, codes: tuple[str, ...]) -> str | None:
    cell = row.get(code)
    if cell is None:
        if code in row.columns:
            row.fail(code, f"upload.{vocab}.missing")
        return None
    found = _vocab_of(cell, vocab, codes)
    if found is None:
        row.fail(code, f"upload.{vocab}.unknown", allowed=", ".join(codes))
    return found


def _number(row: _Row, code: str) -> float | None:
    cell = row.get(code)
    if cell is None:
        return None
    try:
        return parse_number(cell, row.layout.decimal)
    except ValueParseError as exc:
        row.fail(code, exc.key, **exc.params)
        return None


def _units(entry: dict) -> list[str]:
    """An indicator's unit as the catalogue writes it, Vietnamese then English."""
    return [u for u in (entry.get("unit_vi"), entry.get("unit_en")) if isinstance(u, str) and u]


def _unit_differs(entry: dict, unit: str) -> bool:
    """Whether a unit written with a figure is not the indicator's unit."""
    return norm(unit) not in {norm(u) for u in _units(entry)}


def _is_share(entry: dict) -> bool:
    """A percentage share: its figures lie within 0–100."""
    return entry.get("unit_vi") == "%" and entry.get("measure") == "level"


def _observation(row: _Row, cat: Catalogue) -> dict | None:
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
        expected = _units(entry)
        if unit and _unit_differs(entry, unit):
            row.fail("value", "upload.unit.mismatch", unit=unit, expected=expected[0] if expected else "")
        unit_column = _text(row.get("unit"))
        if unit_column and _unit_differs(entry, unit_column):
            row.fail("unit", "upload.unit.mismatch", unit=unit_column, expected=expected[0] if expected else "")
        if _is_share(entry):
            if any(x is not None and not 0 <= x <= 100 for x in (value, low, high)):
                row.fail("value", "upload.share.out_of_range")

    source = _text(row.get("source"))
    if source is None and "source" in row.columns:  # no column at all: reported once for the sheet
        row.fail("source", "upload.source.missing")
    note = _text(row.get("note"))
    # A field missing without a cell problem is a missing column, reported once for the sheet.
    if row.failed or None in (indicator, area, year, period, kind):
        return None
    return {
        "indicator_id": indicator, "area_id": area, "year": year, "period": period, "kind": kind,
        "value": value, "low": low, "high": high, "qualifier": qualifier,
        "pct_of_plan": pct_of_plan, "yoy_pct": yoy_pct, "source": source, "note": note,
    }


def _figure(row: _Row) -> tuple[float | None, float | None, float | None, str, str]:
    """(value, low, high, qualifier, unit written). The value cell as an
    analyst writes it ("8 - 9", "khoảng 304"); or, for a plain number and
    a row that fills the contract's qualifier, low or high columns (a
    re-imported export), those columns."""
    parsed = None
    cell = row.get("value")
    if cell is not None:
        try:
            parsed = parse_value(cell, row.layout.decimal)
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


def _vocab_qualifier(row: _Row) -> str:
    text = _text(row.get("qualifier"))
    if text is None:
        low, high = row.get("low") is not None, row.get("high") is not None
        return "range" if low and high else "at_least" if low else "at_most" if high else "exact"
    if text.lower() in schema.QUALIFIERS:
        return text.lower()
    row.fail("qualifier", "upload.qualifier.unknown", allowed=", ".join(schema.QUALIFIERS))
    return "exact"


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")


def _date(row: _Row) -> datetime | None:
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


def _task_report(row: _Row, cat: Catalogue) -> dict | None:
    """A checked task report, or None when the row has problems (all reported)."""
    task = _id(row, "task_id", cat, "task")
    agency = _id(row, "agency_id", cat, "agency")
    if task is not None and agency is not None and cat.task_agency[task] != agency:
        owner = cat.task_agency[task]
        entry = cat.agencies.get(owner, {})
        row.fail("agency_id", "upload.task.wrong_agency",
                 owner={g: f"{entry.get(f'name_{g}') or entry.get('name_vi') or owner} ({owner})" for g in LANGS})
    year = _year(row)
    status = _vocab(row, "status", "status", schema.TASK_STATUSES)
    reported_on = _date(row)
    summary = _text(row.get("summary"))
    if row.failed or None in (task, agency, year, status, reported_on):
        return None
    return {"task_id": task, "agency_id": agency, "year": year, "status": status, "summary": summary,
            "reported_on": reported_on}


KEYS = {"observations": schema.OBSERVATION_KEY, "task_reports": schema.TASK_REPORT_KEY}
DUPLICATE_KEYS = {"observations": "upload.key.duplicate", "task_reports": "upload.task_key.duplicate"}


def _frame(table: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Checked rows, given column by column, in the contract's columns and types."""
    columns = _columns_of(table)
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


def _per_code(codes: np.ndarray, dictionary: pa.Array, function) -> np.ndarray:
    """function(text) for the texts of `dictionary` that `codes` use (each
    once), by code: an array as long as the dictionary."""
    results = np.empty(len(dictionary), dtype=object)
    used = np.flatnonzero(np.bincount(codes, minlength=len(dictionary)))
    for k, text in zip(used.tolist(), dictionary.take(pa.array(used)).to_pylist(), strict=True):
        results[k] = function(text)
    return results


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


def _each_cell(cells: _Cells, j: int | None, rows: np.ndarray, fixed, function) -> tuple[np.ndarray, np.ndarray]:
    """function(cell) for each of `rows`, the cell as `_Row.get` gives it:
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
        results = _per_code(codes, column.dictionary, function)
        out[as_text], failed[as_text] = results[codes], _fails(results)[codes]
        either = as_text[kinds[as_text] == EITHER]
        if len(either):  # text or a number (the number its text reads as): both readings must agree
            codes = column.codes[rows[either]]
            as_number = _per_code(codes, column.dictionary, lambda text: function(float(text)))
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


def _plain_numbers(texts: pa.Array, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Which texts are plain numbers written with `decimal` as the decimal
    mark ("1.437,4", "-0,58", "304" when it is ","), and their values:
    what parse_value and parse_number read them as, found for all at once."""
    group = "." if decimal == "," else ","
    mark, grouped = re.escape(decimal), re.escape(group)
    pattern = rf"^-?(?:[0-9]+(?:{mark}[0-9]+)?|[1-9][0-9]{{0,2}}(?:{grouped}[0-9]{{3}})+(?:{mark}[0-9]+)?)$"
    plain = pc.and_(pc.match_substring_regex(texts, pattern), pc.less_equal(pc.utf8_length(texts), MAX_TEXT))
    plain = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    numbers = np.full(len(texts), np.nan)
    if plain.any():
        written = pc.replace_substring(pc.replace_substring(texts.filter(pa.array(plain)), group, ""), decimal, ".")
        numbers[plain] = np.fromiter(map(float, written.to_pylist()), dtype=np.float64, count=int(plain.sum()))
    return plain, numbers


def _figure_columns(cells: _Cells, j: int | None, rows: np.ndarray, decimal: str, parse) -> tuple[np.ndarray, ...]:
    """(value, low, high, qualifier, unit, failed) of each of `rows` as
    `parse` (parse_value or parse_number) reads the cell of column j:
    each distinct text read once, plain numbers all at once."""
    n = len(rows)
    value, low, high = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    qualifier, unit, failed = _objects(n, "exact"), _objects(n, ""), np.zeros(n, dtype=bool)
    if j is None:
        return value, low, high, qualifier, unit, failed
    column = cells.column(j)
    kinds, blank = column.kinds[rows], column.blank[rows]
    as_text = np.flatnonzero(((kinds == TEXT) & ~blank) | (kinds == EITHER))
    if len(as_text):
        codes = column.codes[rows[as_text]]
        used = np.flatnonzero(np.bincount(codes, minlength=len(column.dictionary)))
        distinct = column.dictionary.take(pa.array(used))
        plain, read = _plain_numbers(distinct, decimal)
        d_low, d_high = np.full(len(distinct), np.nan), np.full(len(distinct), np.nan)
        d_fail = np.zeros(len(distinct), dtype=bool)
        d_qualifier, d_unit = _objects(len(distinct), "exact"), _objects(len(distinct), "")
        rest = np.flatnonzero(~plain)
        for k, text in zip(rest.tolist(), distinct.take(pa.array(rest, type=pa.int64())).to_pylist(), strict=True):
            try:
                parsed = parse(text, decimal)
            except ValueParseError:
                d_fail[k] = True
                continue
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
    failed |= kinds == OTHER
    failed |= np.isin(rows, cells.bad_rows(j))
    return value, low, high, qualifier, unit, failed


def _check_rows(grid: Grid, layout: _Layout, cat: Catalogue, rows: np.ndarray, columns: dict[str, int],
                fixed: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """`_observation` of these rows a column at a time: each row's record
    fields, and the rows these checks do not pass (or cannot be sure of),
    to be checked one by one. `columns` and `fixed` are those of `_Row`."""
    cells = grid.cells
    flagged = np.zeros(len(rows), dtype=bool)

    def each(code: str, function) -> np.ndarray:
        nonlocal flagged
        out, failed = _each_cell(cells, columns.get(code), rows, fixed.get(code), function)
        flagged |= failed
        return out

    def found(what: str):
        def function(cell):
            text = _text(cell)
            found_id = cat.find(what, text) if text is not None else None
            return _FAIL if found_id is None else found_id
        return function

    def year_of(cell):
        year = _year_of(cell) if cell is not None else None
        return _FAIL if year is None else year

    def vocab_of(vocab: str, codes: tuple[str, ...]):
        def function(cell):
            code = _vocab_of(cell, vocab, codes) if cell is not None else None
            return _FAIL if code is None else code
        return function

    area_of, root = found("area"), cat.root_area if cat.root_area is not None else _FAIL
    by_name = "indicator_id" not in columns and "indicator_name" in columns
    fields = {
        "indicator_id": each("indicator_name" if by_name else "indicator_id", found("indicator")),
        "area_id": each("area_id", lambda cell: root if cell is None else area_of(cell)),
        "year": each("year", year_of),
        "period": each("period", vocab_of("period", schema.PERIODS)),
        "kind": each("kind", vocab_of("kind", schema.KINDS)),
    }
    for code in ("qualifier", "low", "high"):  # the contract's own form beside the value: checked row by row
        if code in columns:
            flagged |= cells.filled(columns[code])[rows] | np.isin(rows, cells.bad_rows(columns[code]))
    value, low, high, qualifier, unit, failed = _figure_columns(cells, columns.get("value"), rows, layout.decimal,
                                                                parse_value)
    pct_of_plan, *_, pct_failed = _figure_columns(cells, columns.get("pct_of_plan"), rows, layout.decimal,
                                                  parse_number)
    yoy_pct, *_, yoy_failed = _figure_columns(cells, columns.get("yoy_pct"), rows, layout.decimal, parse_number)
    flagged |= failed | pct_failed | yoy_failed
    if {"value", "pct_of_plan", "yoy_pct"} & set(columns):
        flagged |= np.isnan(value) & np.isnan(low) & np.isnan(high) & np.isnan(pct_of_plan) & np.isnan(yoy_pct)
    unit_column = each("unit", _text)
    fields["source"] = each("source", _text)
    if "source" in columns:
        flagged |= np.fromiter((s is None for s in fields["source"]), dtype=bool, count=len(rows))
    fields["note"] = each("note", _text)
    passing = ~flagged
    indicators = fields["indicator_id"]
    flagged |= _units_differ(cat, indicators, unit, passing) | _units_differ(cat, indicators, unit_column, passing)
    shares = {i for i, entry in cat.indicators.items() if _is_share(entry)}
    share = passing & pd.Series(indicators, dtype=object).isin(shares).to_numpy()
    with np.errstate(invalid="ignore"):
        outside = np.zeros(len(rows), dtype=bool)
        for x in (value, low, high):
            outside |= ~np.isnan(x) & ((x < 0) | (x > 100))
    flagged |= share & outside
    fields.update(value=value, low=low, high=high, qualifier=qualifier, pct_of_plan=pct_of_plan, yoy_pct=yoy_pct)
    return fields, flagged


def _units_differ(cat: Catalogue, indicators: np.ndarray, units: np.ndarray, passing: np.ndarray) -> np.ndarray:
    """Rows (among `passing`) whose written unit is not their indicator's unit in the catalogue."""
    out = np.zeros(len(units), dtype=bool)
    written = passing & ~pd.isna(units) & np.asarray(units != "", dtype=bool)
    seen: dict[tuple[str, str], bool] = {}
    for k in np.flatnonzero(written).tolist():
        pair = (indicators[k], units[k])
        if pair not in seen:
            seen[pair] = _unit_differs(cat.indicators[pair[0]], pair[1])
        out[k] = seen[pair]
    return out


@dataclass
class _Batch:
    """A sheet's checked rows of one table in the order they were read:
    the record of each valid row in `fields`, the problems of the rows
    checked one by one in `problems` (by position)."""

    table: str
    sheet: str
    numbers: np.ndarray
    valid: np.ndarray
    fields: dict[str, np.ndarray]
    problems: dict[int, list[Problem]]


def _columns_of(table: str) -> list[str]:
    return schema.OBSERVATION_COLUMNS if table == "observations" else schema.TASK_REPORT_COLUMNS


def _batch(table: str, sheet: str, numbers, records: list[dict | None], problems: dict[int, list[Problem]]) -> _Batch:
    """A batch from records checked one by one (None for a row with problems)."""
    fields = {}
    for column in _columns_of(table):
        out = np.empty(len(records), dtype=object)
        for k, record in enumerate(records):
            out[k] = record[column] if record is not None else None
        fields[column] = out
    valid = np.fromiter((r is not None for r in records), dtype=bool, count=len(records))
    return _Batch(table, sheet, np.asarray(numbers, dtype=np.int64), valid, fields, problems)


def _check_figures(grid: Grid, layout: _Layout, cat: Catalogue, fixed: dict) -> _Batch:
    """The figures of a sheet checked a column at a time, the rows these
    checks do not pass checked again one by one (`_observation`)."""
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
    parts = []
    for rows, position, j, named, group_fixed in groups:
        columns = {code: jj for code, jj in layout.columns.items() if code not in named}
        if j is not None:
            columns["value"] = j
        fields, flagged = _check_rows(grid, layout, cat, rows, columns, group_fixed)
        valid, problems = ~flagged, {}
        for k in np.flatnonzero(flagged).tolist():
            problems[k] = []
            row = _Row(grid, int(rows[k]), layout, problems[k], group_fixed, value_column=j, drop=tuple(named))
            record = _observation(row, cat)
            valid[k] = record is not None
            if record is not None:
                for column, x in record.items():
                    fields[column][k] = np.nan if x is None and fields[column].dtype != object else x
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
    return _Batch("observations", grid.sheet, numbers, np.concatenate([p[3] for p in parts])[order], fields, problems)


def _check_sheet(grid: Grid, cat: Catalogue, kind: str | None, period: str | None) -> tuple[list[Problem], _Batch | None]:
    """The problems of a sheet as a whole and its checked rows. A sheet the
    fast reading cannot tell enough about is checked from its exact rows."""
    while True:
        problems: list[Problem] = []
        try:
            layout = _layout(grid, problems)
            if isinstance(grid.cells, _FastCells) and (
                    (problems and grid.cells.guessed) or (layout is not None and _UNREAD in layout.headers)):
                raise _Exact  # a header cell that may be text or is a date: report it as written
            if layout is None:
                return problems, None
            fixed = _sheet_rules(grid, layout, problems, kind, period)
            if layout.table != "task_reports":
                return problems, _check_figures(grid, layout, cat, fixed)
        except _Exact:
            grid.exact()
            continue
        # Task reports (a few hundred rows at most): checked row by row.
        rows, records, found = _records(grid, layout, [], kind, period), [], {}
        for k, (_, row) in enumerate(rows):
            row.problems = found[k] = []
            records.append(_task_report(row, cat))
        return problems, _batch("task_reports", grid.sheet, [row.number for _, row in rows], records, found)


# -- the entry points --------------------------------------------------------------------------------
def prepare(store: Store, data: bytes, file_name: str, *, kind: str | None = None, period: str | None = None,
            lang: str = "vi", limit: Limits | None = None) -> Prepared:
    """Read and check the whole file against the store's catalogue. Every
    problem is listed; `ok` is true only for a file without problems that
    holds at least one row. `kind` and `period` are for sheets that do not
    say them (wide sheets); `limit` defaults to `limits()`. Problems carry
    translation keys, rendered in any language by `problems_frame`, so
    `lang` changes nothing here. Writes nothing."""
    limit = limit or limits()
    name = Path(file_name).name
    sha256 = hashlib.sha256(data).hexdigest()

    def result(frames, problems, previews):
        ok = not problems and any(len(f) for f in frames.values())
        return Prepared(name, sha256, len(data), data, frames, problems, previews, ok)

    if len(data) > limit.max_file_bytes:
        return result({}, [Problem(None, None, None, name, "upload.file.too_big",
                                   {"size": _mb(len(data)), "limit": _mb(limit.max_file_bytes)})], {})
    grids, problems = read_grids(data, name, limit)
    catalogue = Catalogue.from_store(store)
    checked = [(grid, *_check_sheet(grid, catalogue, kind, period)) for grid in grids]
    batches = [batch for _, _, batch in checked if batch is not None]
    frames, chosen = {}, {}
    for table in ("observations", "task_reports"):
        chosen[table] = [b for b in batches if b.table == table and b.valid.any()]
        if chosen[table]:
            frames[table] = _frame(table, {c: np.concatenate([b.fields[c][b.valid] for b in chosen[table]])
                                           for c in _columns_of(table)})
    duplicates = {}
    for table, frame in frames.items():
        frames[table], found = _without_duplicates(table, frame, chosen[table])
        duplicates.update(found)
    # In the order a person reads the file: each sheet's own problems, then its rows'.
    for _, sheet_problems, batch in checked:
        problems.extend(sheet_problems)
        if batch is not None:
            found = {**batch.problems, **duplicates.get(id(batch), {})}
            for position in sorted(found):
                problems.extend(found[position])
    if not problems and not frames:
        problems.append(Problem(None, None, None, name, "upload.file.empty"))
    previews = {}
    if not problems:
        for table, frame in frames.items():
            try:
                frames[table] = schema.validate(table, frame)
            except pandera.errors.SchemaErrors as exc:
                places = [(b.sheet, int(n)) for b in chosen[table] for n in b.numbers[b.valid]]  # without the repeats
                problems.extend(_schema_problems(exc, places))
        if not problems:
            previews = {table: store.diff(table, frame) for table, frame in frames.items()}
    return result(frames, _unique(problems), previews)


def _without_duplicates(table: str, frame: pd.DataFrame, batches: list[_Batch]) -> tuple[pd.DataFrame, dict]:
    """The frame without the rows repeating the key of an earlier row (of
    any sheet), and those rows as problems by batch (id) and position;
    they are no longer valid in their batch."""
    key = KEYS[table]
    repeated = frame.duplicated(subset=key).to_numpy()
    if not repeated.any():
        return frame, {}
    found: dict[int, dict[int, list[Problem]]] = {}
    first: dict[tuple, tuple[str, int]] = {}
    records = frame[key].itertuples(index=False, name=None)
    for batch in batches:
        for position in np.flatnonzero(batch.valid).tolist():
            record, place = next(records), (batch.sheet, int(batch.numbers[position]))
            if record not in first:
                first[record] = place
                continue
            batch.valid[position] = False
            found.setdefault(id(batch), {})[position] = [Problem(
                batch.sheet, place[1], None, None, DUPLICATE_KEYS[table],
                {"first_sheet": first[record][0], "first_row": first[record][1]})]
    return frame[~repeated].reset_index(drop=True), found


def _schema_problems(exc: pandera.errors.SchemaErrors, places: list[tuple[str, int]]) -> list[Problem]:
    """pandera's failures as problems at the rows they came from (a safety
    net: the checks above should catch everything first)."""
    problems = []
    for case in exc.failure_cases.to_dict("records"):
        index = case.get("index")
        sheet, row = places[int(index)] if isinstance(index, (int, float)) and not pd.isna(index) else (None, None)
        problems.append(Problem(sheet, row, case.get("column"), case.get("failure_case"), "upload.schema",
                                {"check": str(case.get("check"))}))
    return problems


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats (a wide row reports its indicator once)."""
    seen, unique = set(), []
    for p in problems:
        key = (p.sheet, p.row, p.column, p.reason_key, repr(sorted(p.reason_params.items(), key=str)))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def publish(store: Store, prepared: Prepared, user: str) -> list[PublishResult]:
    """Archive the file beside the store and publish each of its tables as
    one commit recording the user, the file name and its SHA-256. Refuses a
    file that did not pass."""
    if not prepared.ok:
        raise TrackerError("upload.not_ready", count=len(prepared.problems))
    store.archive(prepared.data, prepared.file_name)
    frames = {table: prepared.frames[table] for table in ("observations", "task_reports") if table in prepared.frames}
    # One publish across tables: the figures and task reports become current together or not at all.
    return store.publish_all(frames, user=user, action="publish", file_name=prepared.file_name,
                             file_sha256=prepared.sha256)


def run_import(store: Store, path: str | Path, *, user: str, dry_run: bool, lang: str = "vi",
               kind: str | None = None, period: str | None = None) -> int:
    """The command line's import: print every problem (exit 1), or the
    preview (new, revised old → new, unchanged) and, unless `dry_run`,
    publish and print the new versions (exit 0)."""
    path = Path(path)
    limit = limits()
    size = path.stat().st_size
    if size > limit.max_file_bytes:  # refused before reading it into memory
        problem = Problem(None, None, None, path.name, "upload.file.too_big",
                          {"size": _mb(size), "limit": _mb(limit.max_file_bytes)})
        prepared = Prepared(path.name, "", size, b"", {}, [problem], {}, False)
    else:
        prepared = prepare(store, path.read_bytes(), path.name, kind=kind, period=period, lang=lang, limit=limit)
    if not prepared.ok:
        print(t("upload.cli.refused", lang, file=prepared.file_name, count=len(prepared.problems)), file=sys.stderr)
        with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", None):
            print(problems_frame(prepared.problems, lang).to_string(index=False), file=sys.stderr)
        return 1
    for table, diff in prepared.previews.items():
        counts = diff["change"].value_counts()
        print(t("upload.cli.preview", lang, table=t(f"upload.table.{table}", lang),
                **{c: int(counts.get(c, 0)) for c in ("new", "revised", "unchanged")}))
        revised = revised_rows(diff, table, lang)
        if len(revised):
            print(t("upload.cli.revised", lang))
            with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 80):
                print(revised.to_string(index=False))
    if dry_run:
        print(t("upload.cli.dry_run", lang))
        return 0
    for result in publish(store, prepared, user):
        if result.version is None:
            print(t("upload.cli.nothing", lang, table=t(f"upload.table.{result.table}", lang)))
        else:
            print(t("upload.cli.published", lang, table=t(f"upload.table.{result.table}", lang),
                    version=result.version, added=result.added, revised=result.revised, unchanged=result.unchanged))
    return 0


def revised_rows(diff: pd.DataFrame, table: str, lang: str = "vi") -> pd.DataFrame:
    """The revised rows of a preview: the key, then each changed field as
    "old → new" (numbers in the language's format)."""
    key = KEYS[table]
    fields = [c for c in diff.columns if c.startswith("old_")]
    rows = []
    for record in diff[diff["change"] == "revised"].to_dict("records"):
        changes = []
        for old in fields:
            column = old[4:]
            before, after = record[old], record[column]
            if fmt.is_missing(before) and fmt.is_missing(after):
                continue
            if fmt.is_missing(before) or fmt.is_missing(after) or before != after:
                changes.append(f"{column}: {_shown(before, lang)} → {_shown(after, lang)}")
        rows.append({**{c: record[c] for c in key}, "→": "; ".join(changes)})
    return pd.DataFrame(rows, columns=key + ["→"])
