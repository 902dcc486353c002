"""Words of a file matched to codes: headers and vocabulary folded one way
(`norm`), the accepted names as data (`aliases.csv` plus the translation
tables), and a cell as text."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from tracker import schema
from tracker.i18n import LANGS, t

ALIASES_FILE = Path(__file__).with_name("aliases.csv")

# Python's whitespace (str.isspace): Arrow's own differs, and a blank cell is one str.strip() empties.
PY_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
             "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# Characters that show nothing (zero-width spaces and joiners, the byte-order mark): a cell of only these is empty.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
BLANK_CHARACTERS = PY_SPACES + INVISIBLE


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



def empty_cell(cell) -> bool:
    return (cell is None or (isinstance(cell, str) and not cell.strip(BLANK_CHARACTERS))
            or (isinstance(cell, float) and math.isnan(cell)))


def cell_text(cell) -> str | None:
    """A cell as text ("" and blanks are None); whole numbers without ".0";
    the apostrophe our exports put before "=", "+", "-", "@" taken off."""
    if empty_cell(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    text = unicodedata.normalize("NFC", str(cell)).strip(BLANK_CHARACTERS)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text

