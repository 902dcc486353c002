"""Precision and recall of the report reader, field by field.

    python3 -m benchmarks.reading

Two sets: the 2018 plan text (data/sources/004_eb4104cfb8dbd002.txt) against
the product's hand transcription of it (data/observations/120_KH-UBND_2018.csv),
and the hand-labelled excerpts of other provinces' reports in
tests/assets/reading/ (labels.csv). A figure found is matched to a labelled one
by indicator and key (year, period, kind); each field is then right or wrong.
Precision: right / figures output; recall: right / figures labelled.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import pandas as pd

from loaders.reading import read_file

ROOT = Path(__file__).resolve().parents[1]
PLAN_TEXT = ROOT / "data" / "sources" / "004_eb4104cfb8dbd002.txt"
PLAN_GOLD = ROOT / "data" / "observations" / "120_KH-UBND_2018.csv"
OWN_SET = ROOT / "tests" / "assets" / "reading"
FIELDS = ("value", "year", "period", "kind", "pct_of_plan", "yoy_pct")


def _same(a, b) -> bool:
    a_missing = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA
    b_missing = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6 * max(1.0, abs(float(b)))
    return str(a) == str(b)


def _value_key(row) -> tuple:
    """The figure's number: value, or its bounds for a range."""
    return (row["value"], row["low"], row["high"]) if row["qualifier"] == "range" else (row["value"],)


def score(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Per field: right, output, labelled, precision, recall."""
    gold = gold.reset_index(drop=True)
    found = found.reset_index(drop=True)
    used: set[int] = set()
    pairs = []
    for i, row in found.iterrows():
        best, best_score = None, -1
        for j, g in gold[gold["indicator_id"] == row["indicator_id"]].iterrows():
            if j in used:
                continue
            s = sum(_same(row[f], g[f]) for f in ("year", "period", "kind")) * 2 + all(
                _same(a, b) for a, b in zip(_value_key(row), _value_key(g), strict=True))
            if s > best_score:
                best, best_score = j, s
        if best is not None:
            used.add(best)
            pairs.append((i, best))
    rows = []
    for f in FIELDS:
        optional = f in ("pct_of_plan", "yoy_pct")  # counted only where stated
        n_found = int(found[f].notna().sum()) if optional else len(found)
        n_gold = int(gold[f].notna().sum()) if optional else len(gold)
        right = 0
        for i, j in pairs:
            a, b = found.loc[i], gold.loc[j]
            if optional and pd.isna(b[f]):
                continue
            if f == "value":
                right += all(_same(x, y) for x, y in zip(_value_key(a), _value_key(b), strict=True))
            else:
                right += _same(a[f], b[f])
        rows.append({"field": f, "right": right, "output": n_found, "labelled": n_gold,
                     "precision": right / n_found if n_found else 1.0,
                     "recall": right / n_gold if n_gold else 1.0})
    return pd.DataFrame(rows)


def plan_set() -> tuple[pd.DataFrame, pd.DataFrame]:
    gold = pd.read_csv(PLAN_GOLD, keep_default_na=True)
    return read_file(PLAN_TEXT).figures, gold


def own_set() -> tuple[pd.DataFrame, pd.DataFrame]:
    labels = pd.read_csv(OWN_SET / "labels.csv")
    found = []
    for path in sorted(OWN_SET.glob("*.txt")):  # files without labels count too: all they output is wrong
        name = path.name
        figures = read_file(path).figures.assign(file=name)
        found.append(figures)
    found = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    # one file's figures are matched against that file's labels only
    found["indicator_id"] = found["file"] + "::" + found["indicator_id"]
    labels = labels.assign(indicator_id=labels["file"] + "::" + labels["indicator_id"])
    return found, labels


def main() -> int:
    started = time.perf_counter()
    found, gold = plan_set()
    first = time.perf_counter() - started  # includes loading the catalogue and compiling the phrases
    started = time.perf_counter()
    read_file(PLAN_TEXT)
    again = time.perf_counter() - started
    print(f"Plan 120/KH-UBND: {len(found)} figures read, {len(gold)} transcribed; "
          f"{PLAN_TEXT.stat().st_size / 1000:.0f} kB read in {again:.2f} s ({first:.2f} s the first time)")
    print(score(found, gold).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if (OWN_SET / "labels.csv").exists():
        found, gold = own_set()
        print(f"\nOther provinces' reports ({OWN_SET.relative_to(ROOT)}): {len(found)} figures read, {len(gold)} labelled")
        print(score(found, gold).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
