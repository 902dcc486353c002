"""The catalogue a file is checked against: ids, names and units."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from loaders.upload.words import norm
from tracker import border, fmt, orgs, schema, settings
from tracker.store import Store


@dataclass
class Catalogue:
    """The catalogue rows a file is checked against, with lookups by id
    (exact, then any case) and by Vietnamese or English name."""

    indicators: dict[str, dict]
    root_area: str | None  # the plan's area (tracker.settings.home_area): a row without one is about it
    task_agency: dict[str, str]
    agencies: dict[str, dict]
    task_issued: dict[str, date | None]  # task -> the day its plan was issued
    bodies: orgs.Bodies | None = None  # who answers for each task over time
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)  # task -> its plan's (month, day)
    ids: dict[str, set[str]] = field(default_factory=dict)  # what -> ids
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # what -> folded name -> id

    def __post_init__(self):
        self._lowered = {what: {i.lower(): i for i in ids} for what, ids in self.ids.items()}

    @classmethod
    def from_store(cls, store: Store) -> Catalogue:
        """The store's catalogue, read again only when one of its tables
        (or the home area setting) changed."""
        tables = ("indicators", "areas", "tasks", "agencies", "plans", "task_successions")
        key = (store.root, repr(store.storage_options), settings.raw("home_area"),
               tuple(store.version(n) if store.exists(n) else None for n in tables))
        if key not in _CATALOGUES:
            if len(_CATALOGUES) >= 4:
                _CATALOGUES.pop(next(iter(_CATALOGUES)))
            _CATALOGUES[key] = cls._read(store)
        return _CATALOGUES[key]

    @classmethod
    def _read(cls, store: Store) -> Catalogue:
        def table(name):
            return store.current(name) if store.exists(name) else pd.DataFrame(columns=schema.CATALOGUE_COLUMNS[name])

        indicators, areas, tasks, agencies, plans = (table(n) for n in ("indicators", "areas", "tasks", "agencies",
                                                                        "plans"))
        issued = dict(zip(plans["plan_id"], pd.to_datetime(plans["issued_on"], errors="coerce").dt.date, strict=True))
        successions = table("task_successions")
        rules = {p: (m, d) for p, m, d in zip(plans["plan_id"], plans["report_deadline_month"], plans["report_deadline_day"],
                                              strict=True) if not fmt.is_missing(m)}
        return cls(
            indicators={r["indicator_id"]: r for r in indicators.to_dict("records")},
            root_area=settings.home_area(areas) if len(areas) else None,
            task_agency=dict(zip(tasks["task_id"], tasks["agency_id"], strict=True)),
            task_issued={t: issued.get(p) for t, p in zip(tasks["task_id"], tasks["plan_id"], strict=True)},
            agencies={r["agency_id"]: r for r in agencies.to_dict("records")},
            bodies=orgs.Bodies.of(agencies, tasks, successions),
            deadlines={task: rules[plan] for task, plan in zip(tasks["task_id"], tasks["plan_id"], strict=True) if plan in rules},
            ids={"indicator": set(indicators["indicator_id"]), "area": set(areas["area_id"]),
                 "task": set(tasks["task_id"]), "agency": set(agencies["agency_id"])},
            names={"indicator": names_of(indicators, "indicator_id"), "area": names_of(areas, "area_id"),
                   "task": {}, "agency": names_of(agencies, "agency_id")},
        )

    def report_refusal(self, task: str, agency: str, year: int) -> tuple[str, str] | None:
        """Why a report of `agency` on `task` for `year` is refused (the
        translation key and the agency answering for the task on that
        year's deadline), or None when it is accepted; a predecessor's or
        successor's report counts for the agency in force (tracker.orgs)."""
        month, day_ = self.deadlines.get(task, (None, None))
        return self.bodies.refusal(task, agency, year, border.report_deadline(year, month, day_))

    def find(self, what: str, text: str) -> str | None:
        """The id `text` names, or None."""
        if text in self.ids[what]:
            return text
        return self._lowered[what].get(text.lower()) or self.names[what].get(norm(text))

    def suggest(self, what: str, text: str) -> str:
        """The closest ids, for the message ("" when nothing is close)."""
        lowered = self._lowered[what]
        found = [lowered[c] for c in difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.6)]
        names = self.names[what]
        for name in difflib.get_close_matches(norm(text), list(names), n=3, cutoff=0.7):
            if names[name] not in found:
                found.append(names[name])
        return ", ".join(found[:3])


_CATALOGUES: dict[tuple, Catalogue] = {}  # Catalogue.from_store's, by store and table versions


def names_of(frame: pd.DataFrame, id_column: str) -> dict[str, str]:
    """Folded Vietnamese and English names -> id (names shared by two rows are left out)."""
    names: dict[str, str | None] = {}
    for row in frame.to_dict("records"):
        for column in ("name_vi", "name_en"):
            value = row.get(column)
            if isinstance(value, str) and value:
                key = norm(value)
                names[key] = row[id_column] if names.get(key, row[id_column]) == row[id_column] else None
    return {k: v for k, v in names.items() if v is not None}



def catalogue_units(entry: dict) -> list[str]:
    """An indicator's unit as the catalogue writes it, Vietnamese then English."""
    return [u for u in (entry.get("unit_vi"), entry.get("unit_en")) if isinstance(u, str) and u]


def unit_differs(entry: dict, unit: str) -> bool:
    """Whether a unit written with a figure is not the indicator's unit."""
    return norm(unit) not in {norm(u) for u in catalogue_units(entry)}


def bounds(entry: dict) -> tuple[float, float, bool]:
    """The values an indicator may take, from the catalogue's plausibility
    columns: (lowest, highest, whole numbers only); -inf/inf when unbounded."""
    def bound(name: str, default: float) -> float:
        x = entry.get(name)
        return default if x is None or pd.isna(x) or x == "" else float(x)

    whole = entry.get("whole_number")
    return bound("min_value", -math.inf), bound("max_value", math.inf), bool(whole) and not pd.isna(whole)


def implausible(entry: dict, x: float) -> tuple[str, dict] | None:
    """Why a figure breaks its indicator's plausibility rule (reason key and
    params, citing the rule), or None when it does not."""
    low, high, whole = bounds(entry)
    if not low <= x <= high:
        if (low, high) == (0, 100) and entry.get("unit_vi") == "%":
            return "upload.share.out_of_range", {}
        shown = {"min": fmt.number(low), "max": fmt.number(high), "unit": entry.get("unit_vi") or ""}
        if math.isinf(high):
            return "upload.value.below_min", shown
        if math.isinf(low):
            return "upload.value.above_max", shown
        return "upload.value.outside_bounds", shown
    if whole and not float(x).is_integer():
        return "upload.value.not_whole", {"unit": entry.get("unit_vi") or ""}
    return None
