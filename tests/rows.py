"""Rows of test data in the contract's columns (SPEC §3): a catalogue
row and an observation, shared by the status and scorecard tests."""

from __future__ import annotations


def indicator(direction="up", measure="rate", decimals=2, unit_vi="%", unit_en="%", indicator_id="test.indicator"):
    """A catalogue row for test data."""
    return {
        "indicator_id": indicator_id, "parent_id": None, "group": "economy",
        "name_vi": "Chỉ tiêu thử", "name_en": "Test indicator", "unit_vi": unit_vi, "unit_en": unit_en,
        "direction": direction, "measure": measure, "decimals": decimals,
    }


def obs(kind, period, qualifier="exact", value=None, low=None, high=None, pct=None, yoy=None, year=2030,
        indicator_id="test.indicator", note=None):
    """An observation row for test data (SPEC §3 columns)."""
    return {
        "indicator_id": indicator_id, "area_id": "VN-09", "year": year, "period": period, "kind": kind,
        "value": value, "low": low, "high": high, "qualifier": qualifier, "pct_of_plan": pct, "yoy_pct": yoy,
        "source": "test data", "note": note,
    }
