"""Figures, labels, dates and status styles in words (tracker/wording.py,
tracker/fmt.py), and the History log in one language (tracker/views.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tracker import fmt, status, views, wording
from tracker.border import AGENCY_STATUSES, TASK_STATES
from tracker.i18n import t


@pytest.mark.parametrize("row, lang, unit, short, text", [
    # The precision the analyst entered, whatever the catalogue's decimals.
    ({"value": 5120.5}, "vi", "tỷ đồng", False, "5.120,5 tỷ đồng"),
    ({"value": 5120.5}, "en", "billion VND", True, "5,120.5 billion VND"),
    ({"value": 0.1 + 0.2}, "vi", "%", True, "0,3%"),  # no float noise
    ({"value": 304.0, "qualifier": "approx"}, "vi", "nghìn tấn", False, "khoảng 304 nghìn tấn"),
    ({"value": 304.0, "qualifier": "approx"}, "vi", "nghìn tấn", True, "~304 nghìn tấn"),
    ({"low": 8.0, "high": 9.0, "qualifier": "range"}, "en", "%", False, "8 - 9%"),
    ({"high": 15.0, "qualifier": "at_most"}, "vi", "%", True, "≤ 15%"),
    ({"value": None, "qualifier": "exact"}, "vi", "%", False, ""),
])
def test_one_rule_puts_a_quantity_in_words(row, lang, unit, short, text):
    assert wording.quantity(row, lang, unit, short=short) == text


def test_every_status_has_one_style_with_a_symbol_and_an_okabe_ito_colour():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"}
    for code in (*status.STATUSES, *AGENCY_STATUSES, *TASK_STATES):
        style = wording.STATUS_STYLES[code]
        assert style.symbol and style.badge
        assert style.colour in okabe_ito or code == "not_reported"
    assert wording.status_text("behind", "vi") == "▼ Chậm tiến độ"


def test_dates_are_on_vietnams_clock():
    late_evening_utc = pd.Timestamp("2026-11-30 23:30", tz="UTC")
    assert fmt.day(late_evening_utc, "vi") == "01/12/2026"
    assert fmt.day(late_evening_utc.tz_localize(None), "vi") == "01/12/2026"  # naive stamps are UTC
    assert fmt.moment(late_evening_utc, "vi") == "01/12/2026 06:30"
    assert fmt.moment(late_evening_utc, "en", seconds=True) == "Dec 1, 2026 06:30:00"
    assert fmt.day(date(2026, 11, 30), "vi") == "30/11/2026"  # a date is a date
    rows = pd.DataFrame({"source": [None], "published_at": [late_evening_utc]})
    assert views.figures_date(rows) == date(2026, 12, 1)


def test_an_implied_target_says_how_it_was_found():
    target = {"value": 2430 / 50.4 * 100, "basis": "implied", "implied_from_value": 2430.0,
              "implied_from_pct": 50.4, "implied_from_kind": "actual", "implied_from_period": "H1", "implied_count": 1}
    assert wording.target_text(target, "vi", "triệu USD", 0) == (
        "4.821 triệu USD (kế hoạch suy ra: 2.430 triệu USD là 50,4% KH)"
    )
    assert wording.implied_note(target, "en", "million USD") == "implied plan: 2,430 million USD is 50.4% of plan"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_history_log_speaks_one_language(lang):
    log = pd.DataFrame({
        "table": ["observations"], "version": [3], "timestamp": [pd.Timestamp("2026-11-30 23:30:05", tz="UTC")],
        "action": ["publish"], "user": ["lan"], "file_name": ["a.xlsx"], "added": pd.array([1200], "Int64"),
        "revised": pd.array([0], "Int64"), "restored_from": pd.array([None], "Int64"), "file_sha256": ["ab"],
    })
    table = views.history_table(log, lang)
    assert list(table.columns) == [t("hist.when_local" if c == "timestamp" else f"history.{c}", lang)
                                   for c in views.HISTORY_COLUMNS if c != "os_user"]
    row = table.iloc[0].tolist()
    if lang == "vi":
        assert row[:7] == ["Số liệu", "3", "01/12/2026 06:30:05", "Cập nhật số liệu", "lan", "a.xlsx", "1.200"]
    else:
        assert row[:7] == ["Figures", "3", "Dec 1, 2026 06:30:05", "Published figures", "lan", "a.xlsx", "1,200"]
    assert row[8] == ""
