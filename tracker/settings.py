"""Every setting of the product, declared once: its name, default,
environment variable and what it does (as datasette declares its SETTINGS).

A setting is read from its environment variable at each call, so a test or a
deployment that changes the variable is never masked by an earlier read.
`tests/test_settings.py` checks that the README documents every one.

Plan facts (the home area, a plan's reporting deadline, its compiling
agency) are data in `data/`, not settings; the thresholds of the status
rules are data in the file the `rules` setting names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.errors import TrackerError

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    """One setting: `kind` is int, str or Path (a Path default is relative
    to the repository)."""

    name: str
    default: object
    env: str
    help: str
    kind: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("store", Path("data/store"), "PLAN_STORE",
            "store root: a folder, or an object-store URI (s3://, az://, abfss://, gs://)", str),
    Setting("data_dir", Path("data"), "PLAN_DATA",
            "the seed folder `python -m loaders build` reads (catalogue, areas, agencies, plans, figures)", Path),
    Setting("rules", Path("data/status_rules.toml"), "PLAN_RULES",
            "the file of status-rule thresholds (tolerance of \"khoảng\", pace thresholds, shares of the year)", Path),
    Setting("home_area", "", "PLAN_HOME_AREA",
            "the area the pages and the scorecard are about; empty: the first area of data/areas.csv without a parent", str),
    Setting("time_zone", "Asia/Ho_Chi_Minh", "PLAN_TIME_ZONE",
            "the clock every date shown or written is in (an IANA time zone name)", str),
    Setting("upload_max_mb", 20, "PLAN_UPLOAD_MAX_MB", "largest file accepted, in MB", int),
    Setting("upload_max_unpacked_mb", 200, "PLAN_UPLOAD_MAX_UNPACKED_MB",
            "largest total size of an .xlsx once unzipped, in MB (zip-bomb guard, checked before reading)", int),
    Setting("upload_max_rows", 50_000, "PLAN_UPLOAD_MAX_ROWS", "most rows read from one sheet or CSV file", int),
    Setting("secrets", Path(".streamlit/secrets.toml"), "PLAN_SECRETS",
            "the file `python -m loaders adduser` writes logins to (the app reads Streamlit's secrets.toml)", Path),
    Setting("browser", "", "BROWSER_PATH",
            "the Chromium that renders PNG/SVG/PDF and decks (kaleido); empty: chromium-headless-shell, else chromium, found on PATH", str),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """The declaration of `name` (KeyError for a name not declared)."""
    return _BY_NAME[name]


def raw(name: str) -> str | None:
    """The setting's text as the environment gives it (None when unset or empty)."""
    return os.environ.get(setting(name).env) or None


def get(name: str):
    """The setting's value: its environment variable if set, else its
    default, as its kind (a relative Path default is under the repository).
    A value that is not of its kind is a TrackerError naming the variable."""
    decl = setting(name)
    text = raw(name)
    if text is None:
        value = decl.default
        if isinstance(value, Path):
            value = REPO_ROOT / value
        return decl.kind(value) if decl.kind is not Path else Path(value)
    if decl.kind is int:
        try:
            number = int(text)
        except ValueError:
            raise TrackerError("settings.bad_value", env=decl.env, value=text, kind="int") from None
        if number < 0:
            raise TrackerError("settings.bad_value", env=decl.env, value=text, kind="int") from None
        return number
    return Path(text) if decl.kind is Path else text


def time_zone() -> ZoneInfo:
    """The clock of every date shown or written (Vietnam time by default)."""
    name = get("time_zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TrackerError("settings.bad_value", env=setting("time_zone").env, value=name, kind="time zone") from None


def home_area(areas) -> str:
    """The area the plan is about, from data: $PLAN_HOME_AREA if set (it
    must be in `areas`), else the first area of the areas table without a
    parent (a national table lists several; its first is the one shown).
    The one place that answers "which province is this?"."""
    ids = [str(a) for a in areas["area_id"]] if len(areas) else []
    chosen = get("home_area")
    if chosen:
        if chosen not in ids:
            raise TrackerError("settings.unknown_home_area", area=chosen)
        return chosen
    parents = areas["parent_id"] if len(areas) else []
    top = [a for a, p in zip(ids, parents, strict=True) if p is None or p != p or str(p) == ""]
    if not top:
        raise TrackerError("settings.no_home_area")
    return top[0]
