"""`data/status_rules.toml` (or the `rules` setting's file) read and checked,
the one reader of that file: every setting known, none missing, each a number
in its range, with one set of messages. The status engine (tracker/status/rules.py)
reads its sections through here; the five-year status and the year-end
projection read theirs with `read_section`."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

from tracker import settings
from tracker.errors import TrackerError


def rules_error(problem: str, path: Path, **params) -> TrackerError:
    return TrackerError(f"status.rules_{problem}", path=str(path), **params)


def load(path: str | Path | None = None) -> tuple[dict, Path]:
    """The parsed file (default: the `rules` setting, $PLAN_RULES or
    data/status_rules.toml) and its path; unreadable is a TrackerError."""
    path = Path(path) if path is not None else Path(settings.get("rules"))
    try:
        with path.open("rb") as f:
            return tomllib.load(f), path
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise rules_error("unreadable", path, details=str(exc)) from exc


def number(value, name: str, path: Path, low: float, high: float, low_open: bool = False) -> float:
    """A setting's value checked to be a number within [low, high] (or (low, high])."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value > low if low_open else value >= low) and value <= high
    if not ok:
        raise rules_error("bad_value", path, setting=name, value=repr(value))
    return float(value)


def check_keys(found, allowed, prefix: str, path: Path, required: bool = True) -> None:
    """No key of `found` outside `allowed`; with `required`, none missing."""
    for key in found:
        if key not in allowed:
            raise rules_error("unknown", path, setting=prefix + str(key))
    if required:
        for key in allowed:
            if key not in found:
                raise rules_error("missing", path, setting=prefix + key)


def read_section(section: str, ranges: dict[str, tuple[float, float]], path: str | Path | None = None) -> dict:
    """The settings of `[section]` as floats; `ranges` names every setting
    with its allowed [low, high]. An unreadable file, an unknown, missing or
    out-of-range setting raises TrackerError naming it."""
    data, path = load(path)
    found = data.get(section)
    if not isinstance(found, dict):
        raise rules_error("missing", path, setting=section)
    check_keys(found, ranges, f"{section}.", path)
    return {name: number(found[name], f"{section}.{name}", path, low, high) for name, (low, high) in ranges.items()}
