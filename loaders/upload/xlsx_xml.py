"""An .xlsx workbook's sheets read fast, for the upload's xlsx reader (`loaders.upload.xlsx`).

Each sheet is read twice by fastexcel (calamine underneath), side by side
in two threads: every cell as text and every cell as a number. The text
view gives text exactly but prints numbers rounded to 15 digits; the
number view gives numbers exactly but also reads text such as "3.600" as a
number. Together they say what each cell is (`SheetColumns.kinds`): text,
a number, or — for a number printed the way a text cell could be written,
"304" — either, which matters only where the two readings differ (the
upload checks that).

What neither view says comes from the sheet's XML (`cell_notes`): cells
whose value cannot be given (a formula error such as #DIV/0!, a formula
without a saved result; both read as empty) and number cells shown as a
percentage. The XML is searched as bytes for the few places where these
can be (`<f>`, `t="e"`, a percentage style) and only those cells are
parsed; an XML written in an unusual way is parsed whole instead, as
before (same result, slower).
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

# What a cell is (SheetColumns.kinds).
EMPTY, TEXT, NUMBER, EITHER, OTHER = 0, 1, 2, 3, 4

# A number as fastexcel prints it (no exponent, no trailing zeros): "304", "-0.58".
NUMBER_SHAPE = r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$"
# What fastexcel prints for booleans, dates, times and durations: never read as text or number here.
OTHER_SHAPE = r"^(true|false)$|^-?[0-9]{4}-[0-9]{2}-[0-9]{2}"


# -- the XML parts -------------------------------------------------------------------------------
def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the zip."""
    rels = {}
    for elem in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target = elem.get("Target", "")
        rels[elem.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    paths = {}
    for elem in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if local(elem.tag) == "sheet":
            rid = next((v for k, v in elem.attrib.items() if local(k) == "id"), None)
            if rid in rels:
                paths[elem.get("name")] = rels[rid]
    return paths


def percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles that show a number as a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = ET.fromstring(archive.read("xl/styles.xml"))
    percent_formats = {9, 10}  # Excel's built-in 0% and 0.00%
    for elem in root.iter():
        if local(elem.tag) == "numFmt" and "%" in re.sub(r'"[^"]*"', "", elem.get("formatCode", "")):
            percent_formats.add(int(elem.get("numFmtId", -1)))
    styles = set()
    for elem in root.iter():
        if local(elem.tag) == "cellXfs":
            for index, xf in enumerate(x for x in elem if local(x.tag) == "xf"):
                if int(xf.get("numFmtId", 0)) in percent_formats:
                    styles.add(index)
    return styles


@dataclass
class CellNotes:
    """What calamine does not say about a sheet's cells. `bad`: (row, col)
    -> (reason key, params) for cells whose value cannot be given; `percent`:
    the number cells shown as a percentage; `inline_text`: whether the sheet
    holds text that is not in the shared strings (inline strings, formula
    text results)."""

    bad: dict[tuple[int, int], tuple[str, dict]] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    inline_text: bool | None = False  # None: not yet looked for (has_inline_text looks)
    # Cells of a type the two views do not tell apart from text (ISO dates, t="d"): read exactly instead.
    unusual_types: bool = False
    # Where the cells are, when the XML was searched (not parsed whole): for `text_cells`.
    xml: bytes | None = None
    prefix: bytes = b""
    start: int = 0
    end: int = 0

    def has_inline_text(self) -> bool:
        if self.inline_text is None:
            self.inline_text = any(self.xml.find(token, self.start, self.end) >= 0
                                   for token in (b"inlineStr", b'"str"', b"'str'"))
        return self.inline_text

    def text_cells(self, j: int, rows: list[int]) -> np.ndarray | None:
        """Whether each cell of column j in `rows` (ascending) is a text cell
        (t="s", "str" or "inlineStr"), read from its tag; None when one
        cannot be found this way."""
        if self.xml is None:
            return None
        xml, letters, at = self.xml, xl_col_to_name(j).encode(), self.start
        openings = {b"<" + self.prefix + b"c" + space for space in _SPACE}
        canonical = b"<" + self.prefix + b'c r="' + letters + b"%d" + b'"'
        out = np.zeros(len(rows), dtype=bool)
        for k, i in enumerate(rows):
            cell = xml.find(canonical % (i + 1), at, self.end)  # <c r="F12" ..., as programs write a cell
            if cell < 0:
                found = xml.find(b'r="%s%d"' % (letters, i + 1), at, self.end)
                cell = xml.rfind(b"<", at, found) if found >= 0 else -1
                if cell < 0 or xml[cell:cell + len(self.prefix) + 3] not in openings:
                    return None
            tag_end = xml.find(b">", cell, self.end)
            if xml.find(b' t="s"', cell, tag_end) >= 0:  # as nearly every program writes a shared string's cell
                out[k] = True
            else:
                kind = "n"
                for name, double, single in _ATTRIBUTE.findall(xml, cell, tag_end):
                    if name == b"t":
                        kind = _unescape(double or single)
                out[k] = kind in ("s", "str", "inlineStr")
            at = tag_end
        return out


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")




def cell_notes(xml: bytes, nrows: int, styles: set[int]) -> CellNotes:
    """The sheet's `CellNotes` (rows from `nrows` on are left out)."""
    found = _notes_by_search(xml, nrows, styles)
    if found is None:
        found = _notes_by_parsing(xml, nrows, styles)
    return found


def _notes_by_parsing(xml: bytes, nrows: int, styles: set[int]) -> CellNotes:
    """Every cell of the XML parsed (the sure way, for XML written unusually)."""
    notes = CellNotes()
    row, col = -1, -1
    for event, elem in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = local(elem.tag)
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
        col = xl_cell_to_rowcol(match.group(0))[1] if match else col + 1
        if row >= nrows:
            elem.clear()
            continue
        children = {local(child.tag): child for child in elem}
        value = children.get("v")
        kind = elem.get("t", "n")
        if kind in ("inlineStr", "str"):
            notes.inline_text = True
        elif kind == "d":
            notes.unusual_types = True
        _note(notes, (row, col), kind, "f" in children, value is not None, value.text if value is not None else None,
              elem.get("s", 0), styles)
        elem.clear()
    return notes


def _note(notes: CellNotes, at: tuple[int, int], kind: str, formula: bool, has_value: bool, text: str | None,
          style, styles: set[int]) -> None:
    """One cell's note, as the two readings of the XML decide it."""
    if kind == "e":
        notes.bad[at] = ("upload.cell.error", {"error": text if has_value else ""})
    elif formula and (not has_value or not (text or "")) and kind != "inlineStr":
        notes.bad[at] = ("upload.cell.formula_no_value", {})
    elif kind == "n" and int(style) in styles:
        notes.percent.add(at)


_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?)sheetData(?:\s[^>]*)?(/?)>")
_ATTRIBUTE = re.compile(rb"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SPACE = (b" ", b"\t", b"\n", b"\r")


def _notes_by_search(xml: bytes, nrows: int, styles: set[int]) -> CellNotes | None:
    """The notes found by searching the bytes for where they can be (a
    formula element, an attribute value "e" or "d", a percentage style's
    number) and parsing only those cells; None when the XML is written in
    a way this does not follow (then it is parsed whole). Cells are found
    by the sheetData element's own namespace prefix, as every spreadsheet
    program writes them."""
    found = _SHEET_DATA.search(xml)
    if found is None:
        return None
    prefix = found.group(1)
    if found.group(2):  # <sheetData/>: no cells
        return CellNotes()
    start, end = found.end(), xml.find(b"</" + prefix + b"sheetData>", found.end())
    if end < 0 or xml.find(b"!", start, end) >= 0 and any(xml.find(t, start, end) >= 0 for t in (b"<!--", b"<![")):
        return None  # a comment or CDATA could hide or fake a cell: parsed whole
    quotes = (b'"', b"'") if xml.find(b"'", start, end) >= 0 else (b'"',)
    hits = []
    opening = b"<" + prefix + b"f"
    # A needle's rare letter looked for first (memchr): most sheets hold no "f", "e" or "d" at all.
    at = xml.find(opening, start, end) if xml.find(b"f", start, end) >= 0 else -1
    while at >= 0:
        if xml[at + len(opening):at + len(opening) + 1] in _SPACE + (b"/", b">"):
            hits.append(at)
        at = xml.find(opening, at + 1, end)
    values = [v for v in (b"e", b"d") if xml.find(v, start, end) >= 0] + [b"%d" % s for s in styles]
    for quote in quotes:
        for value in values:
            literal = quote + value + quote
            at = xml.find(literal, start, end)
            while at >= 0:
                hits.append(at)
                at = xml.find(literal, at + 1, end)
    notes = CellNotes(inline_text=None)
    cells = set()
    for hit in hits:
        cell = _enclosing_cell(xml, prefix, start, hit)
        if cell is False:
            return None
        if cell is not None:
            cells.add(cell)
    for cell in sorted(cells):
        if not _note_cell(notes, xml, prefix, start, end, cell, nrows, styles):
            return None
    notes.xml, notes.prefix, notes.start, notes.end = xml, prefix, start, end
    return notes


def _element_start(xml: bytes, prefix: bytes, name: bytes, start: int, before: int) -> int:
    """Where the last <name ...> or <name> tag starting before `before` begins (-1 if none)."""
    opening = b"<" + prefix + name
    at = xml.rfind(opening, start, before)
    while at >= 0 and xml[at + len(opening):at + len(opening) + 1] not in (b" ", b"\t", b"\n", b"\r", b">", b"/"):
        at = xml.rfind(opening, start, at)
    return at


def _enclosing_cell(xml: bytes, prefix: bytes, start: int, hit: int) -> int | None | bool:
    """The start of the cell element holding the byte at `hit` (a formula
    element or an attribute of the cell's tag); None when the hit is not
    in a cell (a row's style); False when this cannot be told."""
    cell = _element_start(xml, prefix, b"c", start, hit)
    if cell < 0:
        return None
    tag_end = xml.find(b">", cell, hit + 1)
    if tag_end < 0:  # the hit is inside the cell's own tag
        return cell if xml.find(b"<", cell + 1, hit) < 0 else False
    if xml[hit:hit + 1] != b"<":  # an attribute value outside this cell's tag: another element's
        return None
    if xml[tag_end - 1:tag_end] == b"/":
        return False  # a formula after a self-closed cell: not inside any cell
    close = xml.find(b"</" + prefix + b"c>", tag_end)
    return cell if 0 <= close and hit < close else False


def _unescape(text: bytes) -> str:
    return html.unescape(text.decode("utf-8")) if b"&" in text else text.decode("utf-8")


def _note_cell(notes: CellNotes, xml: bytes, prefix: bytes, start: int, end: int, cell: int, nrows: int,
               styles: set[int]) -> bool:
    """Note the cell element starting at `cell`; False when it cannot be read here."""
    tag_end = xml.find(b">", cell, end)
    attributes = {}
    for name, double, single in _ATTRIBUTE.findall(xml, cell, tag_end):
        attributes[name.decode()] = _unescape(double or single)
    row_start = _element_start(xml, prefix, b"row", start, cell)
    row_end = xml.find(b">", row_start, cell) if row_start >= 0 else -1
    row_attributes = {n.decode(): _unescape(d or s) for n, d, s in _ATTRIBUTE.findall(xml, row_start, row_end)} \
        if row_end >= 0 else {}
    ref = _CELL_REF.fullmatch(attributes.get("r", ""))
    if ref is None or not row_attributes.get("r", "").isdigit():
        return False  # a cell or row without its address: placed by counting, which the whole parse does
    row, col = int(row_attributes["r"]) - 1, xl_cell_to_rowcol(ref.group(0))[1]
    if row >= nrows:
        return True
    kind = attributes.get("t", "n")
    if kind == "d":
        notes.unusual_types = True
    formula, has_value, text = False, False, None
    if xml[tag_end - 1:tag_end] != b"/":
        close = xml.find(b"</" + prefix + b"c>", tag_end, end)
        if close < 0 or xml.find(b"<!", tag_end, close) >= 0:  # no end, or a comment or CDATA inside
            return False
        formula = re.compile(b"<" + re.escape(prefix) + rb"f[\s/>]").search(xml, tag_end, close) is not None
        value = re.compile(b"<" + re.escape(prefix) + rb"v(?:\s[^>]*)?(?:/>|>([^<]*)</" + re.escape(prefix)
                           + b"v>)").search(xml, tag_end, close)
        if value is not None:
            has_value = True
            text = _unescape(value.group(1)) if value.group(1) else None
    try:
        _note(notes, (row, col), kind, formula, has_value, text, attributes.get("s", 0), styles)
    except ValueError:
        return False  # a style that is not a number: the whole parse says what that means
    return True


# -- numbers written as text in the shared strings --------------------------------------------------
_SHARED_NUMBER = re.compile(rb"<(?:[\w.\-]+:)?t(?:\s[^>]*)?>(-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?)</")


def shared_number_texts(archive: zipfile.ZipFile) -> frozenset[str] | None:
    """The shared strings written like a number as fastexcel prints one
    ("304", "7.4"): text that may be mistaken for a number cell. None when
    the strings are written in a way that hides them (rich text runs,
    escapes)."""
    path = _shared_strings_path(archive)
    if path is None:
        return frozenset()
    data = archive.read(path)
    if (any(token in data for token in (b"<r>", b"<r ", b":r>", b":r ", b"&#", b"<!--", b"<![CDATA["))
            or re.search(rb"_x[0-9A-Fa-f]{4}_", data)):
        return None
    return frozenset(m.decode() for m in _SHARED_NUMBER.findall(data))


def _shared_strings_path(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    try:
        for elem in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
            if elem.get("Type", "").endswith("/sharedStrings"):
                target = elem.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                return path if path in names else None
    except (KeyError, ET.ParseError):
        pass
    return "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None


# -- the two views of each sheet ------------------------------------------------------------------------
@dataclass
class SheetColumns:
    """A sheet as columns: `texts[j]` the text view and `numbers[j]` the
    number view of absolute column j (no entry for a column with no cell),
    over `height` rows from the sheet's first row. `shared` gives
    shared_number_texts (read when first needed)."""

    height: int
    texts: dict[int, pa.Array]
    numbers: dict[int, np.ndarray]
    notes: CellNotes
    shared: Callable[[], frozenset[str] | None]
    _columns: dict[int, tuple] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max(self.texts, default=-1) + 1

    def column(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        """(kinds, codes, dictionary) of column j: what each cell is (EMPTY,
        TEXT, NUMBER, EITHER: a number cell, or a text cell written as
        fastexcel prints that number; OTHER: booleans, dates), and the text
        view as codes into the dictionary of its distinct texts (-1: none).
        Cells shown as a percentage are left to the caller (numbers here)."""
        if j not in self._columns:
            self._columns[j] = self._classify(j)
        return self._columns[j]

    def _classify(self, j: int) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        text = self.texts.get(j)
        if text is None:
            return (np.zeros(self.height, dtype=np.int8), np.full(self.height, -1, dtype=np.int64),
                    pa.array([], type=pa.string()))
        encoded = pc.dictionary_encode(text)
        dictionary = encoded.dictionary
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        kinds = np.where(codes >= 0, TEXT, EMPTY).astype(np.int8)
        if not len(dictionary):
            return kinds, codes, dictionary
        present, at = codes >= 0, np.maximum(codes, 0)
        shaped = pc.match_substring_regex(dictionary, NUMBER_SHAPE).to_numpy(zero_copy_only=False)
        other = pc.match_substring_regex(dictionary, OTHER_SHAPE).to_numpy(zero_copy_only=False)
        printed = np.full(len(dictionary), np.nan)
        if shaped.any():
            printed[shaped] = np.fromiter(map(float, dictionary.filter(pa.array(shaped)).to_pylist()),
                                          dtype=np.float64, count=int(shaped.sum()))
        number = self.numbers[j]
        shaped_cell = present & shaped[at]
        kinds[present & other[at]] = OTHER
        # Printed rounded, only a number cell prints so; printed exactly, text may read the same.
        kinds[shaped_cell & (printed[at] != number)] = NUMBER
        kinds[shaped_cell & (printed[at] == number)] = EITHER
        kinds[shaped_cell & np.isnan(number)] = OTHER  # printed like a number, yet no number: not understood
        return kinds, codes, dictionary

    def is_text(self, j: int, rows: np.ndarray) -> np.ndarray | None:
        """For EITHER cells of column j: whether each is a text cell (None:
        cannot tell), looked up in the XML. When a first few are numbers and
        there are many: text no shared string holds, in a sheet whose text is
        all shared strings, is a number (no need to look it up)."""
        out = np.zeros(len(rows), dtype=bool)
        unknown = np.ones(len(rows), dtype=bool)
        first = self.notes.text_cells(j, rows[:SAMPLE].tolist())
        if first is None:
            return None
        out[:SAMPLE], unknown[:SAMPLE] = first, False
        if len(rows) > SAMPLE and not first.all() and (shared := self.shared()) is not None \
                and not self.notes.has_inline_text():
            _, codes, dictionary = self.column(j)
            texts = dictionary.take(pa.array(codes[rows[SAMPLE:]])).to_pylist()
            unknown[SAMPLE:] = np.fromiter((s in shared for s in texts), dtype=bool, count=len(texts))
        if unknown.any():
            found = self.notes.text_cells(j, rows[unknown].tolist())
            if found is None:
                return None
            out[unknown] = found
        return out


# Cells looked up in the XML before the shared strings are read to spare lookups.
SAMPLE = 64


def read_columns(data: bytes, names: list[str], max_rows: int) -> dict[str, tuple[int, dict, dict]]:
    """For each sheet name: (height, text view, number view) as read by
    fastexcel, the two views in two threads. Raises fastexcel's errors."""

    def load(dtype: str) -> dict[str, tuple[int, dict]]:
        reader = fastexcel.read_excel(data)
        out = {}
        for name in names:
            columns: list[int] = []
            batch = reader.load_sheet(name, header_row=None, skip_rows=0, n_rows=max_rows + 1, dtypes=dtype,
                                      eager=True, use_columns=lambda c, columns=columns: columns.append(
                                          c.absolute_index) or True)
            out[name] = (batch.num_rows, dict(zip(columns, batch.columns, strict=True)))
        return out

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-read") as pool:
        numbers = pool.submit(load, "float")
        texts = load("string")
        numbers = numbers.result()
    result = {}
    for name in names:
        height, text_view = texts[name]
        number_height, number_view = numbers[name]
        if number_height != height or set(number_view) != set(text_view):
            raise fastexcel.FastExcelError(f"the two readings of sheet {name!r} differ")
        result[name] = (height, text_view,
                        {j: a.to_numpy(zero_copy_only=False).astype(np.float64) for j, a in number_view.items()})
    return result


# -- rows an analyst does not see, and merged cells ----------------------------------------------
_HIDDEN_ROW = re.compile(rb"<(?:[\w.\-]+:)?row\s[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*>")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"']([0-9]+)[\"']")
_MERGED = re.compile(rb"<(?:[\w.\-]+:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?[\"']")


def hidden_rows(xml: bytes) -> set[int] | None:
    """Indexes (0-based) of the rows the sheet hides; None when a hidden
    row does not say its number (then the sheet is refused as hidden data)."""
    if xml.find(b"hidden") < 0:
        return set()
    rows = set()
    for found in _HIDDEN_ROW.finditer(xml):
        number = _ROW_NUMBER.search(found.group(0))
        if number is None:
            return None
        rows.add(int(number.group(1)) - 1)
    return rows


def merged_ranges(xml: bytes) -> list[tuple[int, int, int, int, str]]:
    """The sheet's merged ranges: (first row, first column, last row, last
    column, "B3:B4"), 0-based."""
    if xml.find(b"mergeCell") < 0:
        return []
    ranges = []
    for found in _MERGED.finditer(xml):
        first = found.group(1).decode()
        last = (found.group(2) or found.group(1)).decode()
        (r1, c1), (r2, c2) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last)
        ranges.append((r1, c1, r2, c2, first if first == last else f"{first}:{last}"))
    return ranges
