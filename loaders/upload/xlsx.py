"""The .xlsx reader: bytes -> one grid per sheet (fastexcel's columns, the
sheet XML's notes, calamine's exact rows when the checker needs them)."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import cache, partial

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from loaders.upload import xlsx_xml
from loaders.upload.grid import FastCells, Grid
from loaders.upload.problems import Problem
from loaders.upload.settings import Limits, mb
from tracker import fmt

# The zip directory of an .xlsx with more entries than this is not a workbook an analyst made.
MAX_ZIP_ENTRIES = 10_000


def run(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    """Every worksheet of the workbook as a grid (hidden ones marked so),
    or the problem that stops reading. Nothing is handed to the readers
    before the whole archive has been unpacked within the limit."""
    def refuse(key, **params):
        return [], [Problem(None, None, None, file_name, key, params)]

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return refuse("upload.file.corrupt")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > limit.max_unpacked_bytes or len(entries) > MAX_ZIP_ENTRIES:
        return refuse("upload.file.too_big_unpacked", size=mb(unpacked), limit=mb(limit.max_unpacked_bytes))
    if "xl/workbook.xml" not in archive.namelist():
        return refuse("upload.file.not_workbook")
    try:
        paths = xlsx_xml.sheet_paths(archive)
        parts, refused = _unpack(data, entries, set(paths.values()), limit.max_unpacked_bytes)
        if refused:
            return refuse(*refused[:1], **refused[1])
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
        sheets = [m.name for m in metadata if str(m.typ).endswith("WorkSheet")]
        hidden = {m.name for m in metadata if not str(m.visible).endswith("Visible")}
        others = [m.name for m in metadata if not str(m.typ).endswith("WorkSheet")]
        styles = xlsx_xml.percent_styles(archive)
        shared_number_texts = cache(partial(xlsx_xml.shared_number_texts, archive))
        # fastexcel reads the sheets in other threads while their XML is searched here.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-read") as pool:
            reading = pool.submit(xlsx_xml.read_columns, data, sheets, limit.max_rows)
            notes = {name: xlsx_xml.cell_notes(parts[paths[name]], limit.max_rows + 1, styles)
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
            sheet_notes = notes.get(name) or xlsx_xml.CellNotes()
            sheet_notes.bad = {at: note for at, note in sheet_notes.bad.items() if at[0] < height}
            sheet_notes.percent = {at for at in sheet_notes.percent if at[0] < height}
            grid = Grid(name, range(1, height + 1), load=partial(_exact_rows, book, name, height, sheet_notes.percent),
                        bad=sheet_notes.bad)
            if name in columns and not sheet_notes.unusual_types:
                grid.cells = FastCells(grid, xlsx_xml.SheetColumns(height, columns[name][1], columns[name][2],
                                                                    sheet_notes, shared_number_texts))
            xml = parts.get(paths.get(name), b"")
            grid.hidden = name in hidden
            grid.hidden_rows = xlsx_xml.hidden_rows(xml)
            grid.merged = xlsx_xml.merged_ranges(xml)
            grids.append(grid)
        if grids:
            grids[0].notes += [Problem(name, None, None, None, "upload.note.sheet_not_worksheet") for name in others]
    except PasswordError:
        return refuse("upload.file.encrypted")
    except (CalamineError, zipfile.BadZipFile, ET.ParseError, KeyError, OSError, ValueError, EOFError):
        return refuse("upload.file.corrupt")
    return grids, problems


_CHUNK = 1 << 20


def _unpack(data: bytes, entries: list[zipfile.ZipInfo], keep: set[str], limit: int) -> tuple[dict, tuple]:
    """Every entry decompressed here, counting the bytes really produced as
    they come (zip headers may lie about sizes): the entries named in
    `keep`, and () — or (reason key, params) as soon as the count passes
    `limit` or an entry is not what its header says."""
    kept, total = {}, 0
    view = memoryview(data)
    for info in entries:
        if info.flag_bits & 0x1:
            return {}, ("upload.file.encrypted", {})
        start = info.header_offset
        if view[start:start + 4] != b"PK\x03\x04":
            return {}, ("upload.file.corrupt", {})
        name_length, extra_length = struct.unpack("<HH", view[start + 26:start + 30])
        raw = view[start + 30 + name_length + extra_length:][:info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            chunks, produced = [bytes(raw)], len(raw)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflate, chunks, produced, rest = zlib.decompressobj(-15), [], 0, raw
            while rest:
                out = inflate.decompress(rest, _CHUNK)
                produced += len(out)
                if total + produced > limit:
                    return {}, ("upload.file.too_big_unpacked", {"size": mb(total + produced) + "+",
                                                                  "limit": mb(limit)})
                if info.filename in keep:
                    chunks.append(out)
                rest = inflate.unconsumed_tail
                if not out and not rest:
                    break
        else:
            return {}, ("upload.file.corrupt", {})
        if produced != info.file_size:
            return {}, ("upload.file.sizes_lie", {"part": info.filename})
        total += produced
        if info.filename in keep:
            kept[info.filename] = b"".join(chunks)
    return kept, ()


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


