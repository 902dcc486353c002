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
  figures first.
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
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import pandera.errors
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from loaders.template import READ_ONLY_SHEETS
from loaders.values import ValueParseError, decimal_mark, parse_number, parse_value
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
@dataclass
class Grid:
    """A sheet's cells as read (text, number, date, or "" when empty),
    with the row number a person sees for each row."""

    sheet: str
    rows: list[list]
    numbers: list[int]
    # (row index, column index) -> (reason key, params) for unreadable cells.
    bad: dict[tuple[int, int], tuple[str, dict]] = field(default_factory=dict)


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
        sheets = [m.name for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        paths = _sheet_paths(archive)
        percent_styles = _percent_styles(archive)
        grids, problems = [], []
        for name in sheets:
            if name in READ_ONLY_SHEETS:
                continue
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=limit.max_rows + 1)
            if len(rows) > limit.max_rows:
                problems.append(Problem(name, None, None, None, "upload.sheet.too_many_rows",
                                        {"limit": fmt.number(limit.max_rows, 0)}))
                continue
            grid = Grid(name, rows, list(range(1, len(rows) + 1)))
            if name in paths:
                grid.bad, percent = _cell_notes(archive, paths[name], len(rows), percent_styles)
                for i, j in percent:  # read as the analyst sees it: 7,98%
                    if j < len(rows[i]) and isinstance(rows[i][j], (int, float)) and not isinstance(rows[i][j], bool):
                        rows[i][j] = fmt.number(rows[i][j] * 100, None) + "%"
            grids.append(grid)
    except PasswordError:
        return refuse("upload.file.encrypted")
    except (CalamineError, zipfile.BadZipFile, ET.ParseError, KeyError, OSError, ValueError, EOFError):
        return refuse("upload.file.corrupt")
    return grids, problems


def _mb(size: int) -> str:
    return fmt.number(size / 2**20, 1)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the zip."""
    rels = {}
    for elem in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target = elem.get("Target", "")
        rels[elem.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    paths = {}
    for elem in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(elem.tag) == "sheet":
            rid = next((v for k, v in elem.attrib.items() if _local(k) == "id"), None)
            if rid in rels:
                paths[elem.get("name")] = rels[rid]
    return paths


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles that show a number as a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = ET.fromstring(archive.read("xl/styles.xml"))
    percent_formats = {9, 10}  # Excel's built-in 0% and 0.00%
    for elem in root.iter():
        if _local(elem.tag) == "numFmt" and "%" in re.sub(r'"[^"]*"', "", elem.get("formatCode", "")):
            percent_formats.add(int(elem.get("numFmtId", -1)))
    styles = set()
    for elem in root.iter():
        if _local(elem.tag) == "cellXfs":
            for index, xf in enumerate(x for x in elem if _local(x.tag) == "xf"):
                if int(xf.get("numFmtId", 0)) in percent_formats:
                    styles.add(index)
    return styles


def _cell_notes(archive: zipfile.ZipFile, path: str, nrows: int, percent_styles: set[int]) -> tuple[dict, set]:
    """What calamine does not say about a sheet's cells: those whose value
    cannot be given (a formula without a saved result, a formula error such
    as #DIV/0!; calamine shows both as empty), and the number cells shown
    as a percentage (0,0798 shown as 7,98%)."""
    bad, percent = {}, set()
    row, col = -1, -1
    with archive.open(path) as part:
        for event, elem in ET.iterparse(part, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                if tag == "row":
                    row = int(elem.get("r")) - 1 if elem.get("r") else row + 1
                    col = -1
                continue
            if tag != "c":
                if tag == "row":
                    elem.clear()
                continue
            match = _CELL_REF.fullmatch(elem.get("r", ""))
            col = _col_index(match.group(1)) if match else col + 1
            if row >= nrows:
                elem.clear()
                continue
            children = {_local(child.tag): child for child in elem}
            value = children.get("v")
            kind = elem.get("t", "n")
            if kind == "e":
                bad[(row, col)] = ("upload.cell.error", {"error": value.text if value is not None else ""})
            elif "f" in children and (value is None or not (value.text or "")) and kind != "inlineStr":
                bad[(row, col)] = ("upload.cell.formula_no_value", {})
            elif kind == "n" and int(elem.get("s", 0)) in percent_styles:
                percent.add((row, col))
            elem.clear()
    return bad, percent


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


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
    return [Grid(Path(file_name).name, rows, numbers)], []


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
    for i, row in enumerate(grid.rows[:HEADER_SCAN]):
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
                if any(j < len(r) and not _empty(r[j]) for r in grid.rows[i + 1:]):
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
        layout.decimal = decimal_mark(r[j] for r in grid.rows[i + 1:] for j in numeric if j < len(r))
        return layout
    if any(not _empty(c) for row in grid.rows for c in row):
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


def _records(grid: Grid, layout: _Layout, problems: list[Problem], kind: str | None,
             period: str | None) -> list[tuple[str, _Row]]:
    """(table, row) for every row of the table that holds anything."""
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
    records = []
    used = set(layout.columns.values()) | set(layout.years)
    for i in range(layout.header + 1, len(grid.rows)):
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


def _year(row: _Row) -> int | None:
    cell = row.get("year")
    if cell is None:
        if "year" in row.columns:
            row.fail("year", "upload.year.missing")
        return None
    year = None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        year = int(cell)
    elif isinstance(cell, str) and re.fullmatch(r"\s*\d{4}\s*", cell):
        year = int(cell)
    if year is None or not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        row.fail("year", "upload.year.bad", min=schema.YEAR_MIN, max=schema.YEAR_MAX)
        return None
    return year


def _vocab(row: _Row, code: str, vocab: str, codes: tuple[str, ...]) -> str | None:
    cell = row.get(code)
    if cell is None:
        if code in row.columns:
            row.fail(code, f"upload.{vocab}.missing")
        return None
    text = _text(cell)
    if text in codes:
        return text
    found = aliases()[vocab].get(norm(text))
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
        expected = [u for u in (entry.get("unit_vi"), entry.get("unit_en")) if isinstance(u, str) and u]
        if unit and norm(unit) not in {norm(u) for u in expected}:
            row.fail("value", "upload.unit.mismatch", unit=unit, expected=expected[0] if expected else "")
        unit_column = _text(row.get("unit"))
        if unit_column and norm(unit_column) not in {norm(u) for u in expected}:
            row.fail("unit", "upload.unit.mismatch", unit=unit_column, expected=expected[0] if expected else "")
        if entry.get("unit_vi") == "%" and entry.get("measure") == "level":
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


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Checked rows in the contract's columns and types."""
    columns = schema.OBSERVATION_COLUMNS if table == "observations" else schema.TASK_REPORT_COLUMNS
    frame = pd.DataFrame(rows, columns=columns)
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
    rows: dict[str, list[dict]] = {"observations": [], "task_reports": []}
    places: dict[str, list[tuple[str, int]]] = {"observations": [], "task_reports": []}
    seen: dict[str, dict[tuple, tuple[str, int]]] = {"observations": {}, "task_reports": {}}
    for grid in grids:
        layout = _layout(grid, problems)
        if layout is None:
            continue
        for table, row in _records(grid, layout, problems, kind, period):
            record = _observation(row, catalogue) if table == "observations" else _task_report(row, catalogue)
            if record is None:
                continue
            key = tuple(record[c] for c in KEYS[table])
            first = seen[table].get(key)
            if first is not None:
                row.fail(None, DUPLICATE_KEYS[table], first_sheet=first[0], first_row=first[1])
                continue
            seen[table][key] = (grid.sheet, row.number)
            rows[table].append(record)
            places[table].append((grid.sheet, row.number))

    frames = {table: _frame(table, found) for table, found in rows.items() if found}
    if not problems and not frames:
        problems.append(Problem(None, None, None, name, "upload.file.empty"))
    previews = {}
    if not problems:
        for table, frame in frames.items():
            try:
                frames[table] = schema.validate(table, frame)
            except pandera.errors.SchemaErrors as exc:
                problems.extend(_schema_problems(exc, places[table]))
        if not problems:
            previews = {table: store.diff(table, frame) for table, frame in frames.items()}
    return result(frames, _unique(problems), previews)


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
    return [
        store.publish(table, prepared.frames[table], user=user, action="publish",
                      file_name=prepared.file_name, file_sha256=prepared.sha256)
        for table in ("observations", "task_reports") if table in prepared.frames
    ]


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
