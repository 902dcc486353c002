"""Where a sheet's table is and what its columns are: the contract's
columns (any order, Vietnamese or English names), task reports, or a wide
sheet (indicators as rows, years as columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from loaders.upload.grid import Grid
from loaders.upload.problems import Problem
from loaders.upload.words import aliases, cell_text, empty_cell, norm
from tracker import schema
from tracker.i18n import LANGS, t

# Sheets of the template that hold no figures (its instructions and catalogue).
SHEET_INSTRUCTIONS = "huong_dan"
SHEET_CATALOGUE = "danh_muc"
READ_ONLY_SHEETS = (SHEET_INSTRUCTIONS, SHEET_CATALOGUE)


@dataclass(frozen=True)
class YearColumn:
    """A wide sheet's column: its year, and the kind and period when the
    header names them ("Kế hoạch 2019", "Ước TH 6 tháng 2018")."""

    year: int
    kind: str | None = None
    period: str | None = None


def _year_header(cell) -> YearColumn | None:
    """The year column a wide sheet's header cell names (2019, "2019",
    "Năm 2019", "KH 2019", "TH 6 tháng 2018"), else None."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        found = YearColumn(int(cell))
    elif isinstance(cell, str):
        match = re.fullmatch(r"(.*?)\s*(\d{4})", norm(cell))
        if not match:
            return None
        words = match.group(1)
        # "Năm 2019", "Kế hoạch năm 2019": a bare "năm" only introduces the
        # year (it names no period); "cả năm 2018" does name one.
        stripped = re.sub(r"\s*\b(?:nam|year)$", "", words)
        found = _kind_period(stripped, int(match.group(2)))
        if found is None and stripped != words:
            found = _kind_period(words, int(match.group(2)))
        if found is None:
            return None
    else:
        return None
    return found if schema.YEAR_MIN <= found.year <= schema.YEAR_MAX else None


def _kind_period(words: str, year: int) -> YearColumn | None:
    """Words before a year read as a kind and/or a period, in either order."""
    if not words:
        return YearColumn(year)
    names = aliases()
    tokens = words.split()
    for i in range(len(tokens) + 1):
        first, second = " ".join(tokens[:i]), " ".join(tokens[i:])
        for kind_words, period_words in ((first, second), (second, first)):
            kind = names["kind"].get(kind_words) if kind_words else None
            period = names["period"].get(period_words) if period_words else None
            if (kind or not kind_words) and (period or not period_words):
                return YearColumn(year, kind, period)
    return None


@dataclass
class Layout:
    table: str  # observations, task_reports, wide
    header: int  # row index of the header
    columns: dict[str, int]  # code -> column index
    years: dict[int, YearColumn]  # column index -> what a wide sheet's column holds
    headers: list  # the header row as written

    def column_name(self, j: int) -> str:
        """Column j as a person finds it: its letter and its header as written, e.g. "F (value)"."""
        header = self.headers[j] if j < len(self.headers) else ""
        return f"{xl_col_to_name(j)} ({cell_text(header) or ''})"


def find_layout(grid: Grid, problems: list[Problem]) -> Layout | None:
    """Where the table of a sheet is and what its columns are; None with a
    problem when a sheet with content has no recognisable header."""
    names = aliases()
    for i, row in enumerate(grid.cells.head()):
        found = {}
        for table in ("observations", "task_reports"):
            found[table] = {j: names[table].get(norm(c)) for j, c in enumerate(row) if isinstance(c, str) and c.strip()}
        fields = {table: {c for c in found[table].values() if c and c != "ignore"} for table in found}
        years = {j: y for j, c in enumerate(row) if (y := _year_header(c)) is not None}
        has_indicator = bool(fields["observations"] & {"indicator_id", "indicator_name"})
        if has_indicator and years and "year" not in fields["observations"]:
            table = "wide"
        elif has_indicator and len(fields["observations"]) >= 3:
            table = "observations"
        elif "task_id" in fields["task_reports"] and len(fields["task_reports"]) >= 3:
            table = "task_reports"
        else:
            continue
        mapped = found["task_reports" if table == "task_reports" else "observations"]
        columns: dict[str, int] = {}
        layout = Layout(table, i, columns, years if table == "wide" else {}, row)
        for j, cell in enumerate(row):
            if j in layout.years or empty_cell(cell):
                continue
            code = mapped.get(j)
            where = f"{xl_col_to_name(j)} ({cell_text(cell)})"
            if code is None:
                if grid.cells.has_data(j, i + 1):
                    problems.append(Problem(grid.sheet, grid.numbers[i], where, cell, "upload.column.unknown"))
            elif code == "ignore":
                continue
            elif code in columns:
                problems.append(Problem(grid.sheet, grid.numbers[i], where, cell, "upload.column.duplicate",
                                        {"column": code}))
            else:
                columns[code] = j
        return layout
    if grid.cells.has_content():
        problems.append(Problem(grid.sheet, None, None, None, "upload.sheet.unrecognised"))
    return None


REQUIRED = {
    "observations": ["year", "source"],
    "wide": ["source"],
    "task_reports": ["task_id", "agency_id", "year", "status", "reported_on"],
}



def sheet_rules(grid: Grid, layout: Layout, problems: list[Problem], kind: str | None,
                 period: str | None) -> dict:
    """The problems of the sheet as a whole (missing columns), and the
    values that fill a missing column or an empty cell (`fixed`)."""
    defaults = {"kind": kind, "period": period}
    fixed = {k: v for k, v in defaults.items() if v is not None}  # fills a missing column or an empty cell
    for column in REQUIRED[layout.table]:
        if column not in layout.columns:
            problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, "upload.column.missing",
                                    {"column": column, "label": {g: t(f"upload.label.{column}", g) for g in LANGS}}))
    if layout.table in ("observations", "wide"):
        for column in ("kind", "period"):
            named_by_headers = layout.years and all(getattr(y, column) for y in layout.years.values())
            if column not in layout.columns and column not in fixed and not named_by_headers:
                key = f"upload.wide.needs_{column}" if layout.table == "wide" else "upload.column.missing"
                problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, key,
                                        {"column": column, "label": {g: t(f"upload.label.{column}", g) for g in LANGS}}))
    if layout.table == "observations" and not {"value", "pct_of_plan", "yoy_pct"} & set(layout.columns):
        problems.append(Problem(grid.sheet, grid.numbers[layout.header], None, None, "upload.column.missing",
                                {"column": "value", "label": {g: t("upload.label.value", g) for g in LANGS}}))
    return fixed


