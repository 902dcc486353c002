"""The translation tables: every key once, both languages, same placeholders."""

from __future__ import annotations

import csv
import string
from collections import Counter

import pytest

from tracker.i18n import TABLES_DIR, t, table


def rows():
    for path in sorted(TABLES_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == ["key", "vi", "en"], path.name
            for row in reader:
                yield path.name, row


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_is_in_one_table_only():
    counts = Counter(row["key"] for _, row in rows())
    assert [key for key, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name, row", list(rows()), ids=lambda v: v if isinstance(v, str) else v["key"])
def test_both_languages_with_the_same_placeholders(name, row):
    assert row["vi"].strip() and row["en"].strip(), f"{name}: {row['key']} needs vi and en"
    assert placeholders(row["vi"]) == placeholders(row["en"]), f"{name}: {row['key']}"


def test_lookup_fills_placeholders_and_survives_unknown_keys():
    assert t("store.missing", "en", root="/x") == "There is no store at /x. Run: python -m loaders build"
    assert t("store.missing", "vi", root="/x").startswith("Chưa có kho dữ liệu tại /x")
    assert t("no.such.key", "vi") == "no.such.key"
    assert len(table()) > 10
