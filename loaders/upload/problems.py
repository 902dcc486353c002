"""A problem found in a file, where a person finds it, and the table of them to act on."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import pandera.errors

from tracker import fmt
from tracker.i18n import t


# -- what prepare returns --------------------------------------------------------------
@dataclass
class Problem:
    """One thing to fix, where a person finds it: `row` is 1-based as Excel
    (or a text editor, for CSV) shows it; `column` is the letter and the
    header as written, e.g. "F (value)". None where it does not apply."""

    sheet: str | None
    row: int | None
    column: str | None
    value: object
    reason_key: str
    reason_params: dict = field(default_factory=dict)

    def reason(self, lang: str = "vi") -> str:
        params = {k: v.get(lang, v.get("vi")) if isinstance(v, dict) else v for k, v in self.reason_params.items()}
        return t(self.reason_key, lang, **params)




def problems_frame(problems: list[Problem], lang: str = "vi") -> pd.DataFrame:
    """The problems as a table to act on: sheet, row, column, value, reason
    (headers and reasons in `lang`), grouped by sheet and row."""
    headers = [t(f"upload.problem.{c}", lang) for c in ("sheet", "row", "column", "value", "reason")]
    sheets = {}
    for problem in problems:
        sheets.setdefault(problem.sheet, len(sheets))
    ordered = sorted(problems, key=lambda p: (sheets[p.sheet], p.row or 0))
    rows = [[p.sheet or "", p.row, p.column or "", shown(p.value, lang), p.reason(lang)] for p in ordered]
    frame = pd.DataFrame(rows, columns=headers)
    frame[headers[1]] = frame[headers[1]].astype("Int64")
    return frame


def shown(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return fmt.number(value, None, lang)
    if isinstance(value, (date, datetime)):
        return fmt.day(value, lang)
    return str(value)



def schema_problems(exc: pandera.errors.SchemaErrors, places: list[tuple[str, int]]) -> list[Problem]:
    """pandera's failures as problems at the rows they came from (a safety
    net: the checks above should catch everything first)."""
    problems = []
    for case in exc.failure_cases.to_dict("records"):
        index = case.get("index")
        sheet, row = places[int(index)] if isinstance(index, (int, float)) and not pd.isna(index) else (None, None)
        problems.append(Problem(sheet, row, case.get("column"), case.get("failure_case"), "upload.schema",
                                {"check": str(case.get("check"))}))
    return problems


def unique(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats (a wide row reports its indicator once)."""
    seen, unique = set(), []
    for p in problems:
        key = (p.sheet, p.row, p.column, p.reason_key, repr(sorted(p.reason_params.items(), key=str)))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique

