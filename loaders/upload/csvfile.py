"""The CSV reader: bytes (UTF-8 or UTF-16; comma, semicolon or tab) -> one grid."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.upload.grid import Grid
from loaders.upload.problems import Problem
from loaders.upload.settings import Limits
from tracker import fmt


def run(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
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

