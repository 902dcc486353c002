"""The CSV reader: bytes (UTF-8, or UTF-16 with or without its byte-order
mark; comma, semicolon or tab separated) -> one grid."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from loaders.upload.grid import Grid
from loaders.upload.problems import Problem
from loaders.upload.settings import Limits
from tracker import fmt

_SAMPLE = 65536
# The longest cell Excel holds: a longer one is no figure, source or note.
MAX_CELL = 32_767


def _utf16_without_mark(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes look like UTF-16 text
    saved without its byte-order mark (every other byte zero), else None."""
    sample = data[:_SAMPLE]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None), or (None, the reason key) when the bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_mark(data) or "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        controls = sum(1 for b in data[:_SAMPLE] if b < 9 or 13 < b < 32)
        return None, "upload.file.not_workbook" if controls > len(data[:_SAMPLE]) // 100 else "upload.file.encoding"
    if "\x00" in text:
        return None, "upload.file.not_workbook"
    return text, None


def named_workbook(data: bytes) -> str:
    """The reason a file named .xlsx that is not a workbook is refused: a
    CSV saved under an .xlsx name is told so."""
    text, _ = decode(data)
    if text is not None and any(mark in text[:8192] for mark in (",", ";", "\t")):
        return "upload.file.csv_named_xlsx"
    return "upload.file.not_workbook"


def run(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    """The file's rows as one grid, with the line each row starts on."""
    text, refused = decode(data)
    if text is None:
        return [], [Problem(None, None, None, file_name, refused)]
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows, numbers, problems = [], [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long cell is refused below, by its place
    try:
        for record in reader:
            if max(map(len, record), default=0) > MAX_CELL:
                j = next(j for j, cell in enumerate(record) if len(cell) > MAX_CELL)
                problems.append(Problem(Path(file_name).name, line, xl_col_to_name(j), None, "upload.cell.too_long",
                                        {"length": fmt.number(len(record[j]), 0), "limit": fmt.number(MAX_CELL, 0)}))
                record = []  # the line is not checked further: its cause is named
            rows.append(record)
            numbers.append(line)
            line = reader.line_num + 1
            if len(rows) > limit.max_rows:
                return [], [Problem(Path(file_name).name, None, None, None, "upload.sheet.too_many_rows",
                                    {"limit": fmt.number(limit.max_rows, 0)})]
    except csv.Error:
        return [], [Problem(None, None, None, file_name, "upload.file.not_workbook")]
    return [Grid(Path(file_name).name, numbers, rows, ragged=True)], problems
