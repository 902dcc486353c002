"""One section of `data/status_rules.toml` read and checked: every setting
known, none missing, each a number in its range. The status engine reads the
file's other sections; the five-year status and the year-end projection read
theirs through here, with the same messages."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

from tracker.errors import TrackerError

RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "status_rules.toml"


def read_section(section: str, ranges: dict[str, tuple[float, float]], path: str | Path | None = None) -> dict:
    """The settings of `[section]` as floats; `ranges` names every setting
    with its allowed [low, high]. An unreadable file, an unknown, missing or
    out-of-range setting raises TrackerError naming it."""
    path = Path(path) if path is not None else RULES_PATH
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TrackerError("status.rules_unreadable", path=str(path), details=str(exc)) from exc
    found = data.get(section)
    if not isinstance(found, dict):
        raise TrackerError("status.rules_missing", path=str(path), setting=section)
    for name in found:
        if name not in ranges:
            raise TrackerError("status.rules_unknown", path=str(path), setting=f"{section}.{name}")
    values = {}
    for name, (low, high) in ranges.items():
        if name not in found:
            raise TrackerError("status.rules_missing", path=str(path), setting=f"{section}.{name}")
        value = found[name]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or not low <= value <= high:
            raise TrackerError("status.rules_bad_value", path=str(path), setting=f"{section}.{name}", value=repr(value))
        values[name] = float(value)
    return values
