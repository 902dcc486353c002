"""Words people read, Vietnamese and English side by side.

The tables are the CSV files in `tracker/i18n/` (columns key, vi, en); each
part of the product keeps its own file so that no two parts edit one table.
A key may appear in one file only (a test checks it)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
TABLES_DIR = Path(__file__).with_name("i18n")


@cache
def table() -> dict[str, dict[str, str]]:
    """Every key with its Vietnamese and English text, from all the tables."""
    words: dict[str, dict[str, str]] = {}
    for path in sorted(TABLES_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                words[row["key"]] = {"vi": row["vi"], "en": row["en"]}
    return words


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The text of `key` in `lang`, placeholders filled with `params`. An
    unknown key is returned as is, so a missing word shows, never crashes."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**params) if params else text


def pick(row, field: str, lang: str) -> str:
    """The `field_vi` or `field_en` value of a catalogue row, falling back to
    Vietnamese when the English is empty."""
    value = row.get(f"{field}_{lang}")
    if value is None or value != value or value == "":
        value = row.get(f"{field}_{DEFAULT_LANG}")
    return "" if value is None or value != value else str(value)
