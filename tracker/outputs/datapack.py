"""The data people take away: a chart's data as Excel (with a sheet saying
what the chart shows and where it comes from) or CSV, and every table of the
store as one Excel workbook or a zip of CSV files. Headers are in the
reader's language; every cell is escaped against formula injection."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pandas as pd

from tracker.i18n import pick, t
from tracker.i18n import table as words
from tracker.model import ChartSpec
from tracker.outputs import tabular

# The tables a download of all data holds, in the order of the workbook.
TABLES = ("observations", "indicators", "areas", "agencies", "plans", "plan_items", "tasks", "task_reports", "sources",
          "history")
# Excel refuses these in a sheet name.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def header(column: str, lang: str) -> str:
    """A column's header in `lang` ("indicator_id" -> "Mã chỉ tiêu"); the
    column name itself when no words are known for it."""
    for key in (f"export.col.{column}", f"history.{column}"):
        if key in words():
            return t(key, lang)
    return column


def sheet_name(table: str, lang: str) -> str:
    return t(f"export.sheet.{table}", lang).translate(_SHEET_FORBIDDEN)[:31]


def readable(table: str, frame: pd.DataFrame, indicators: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """A store table with headers in `lang`; observations also carry the
    indicator's name and unit after its id, so the sheet reads on its own."""
    frame = frame.copy()
    if table == "observations" and indicators is not None and not indicators.empty:
        names = indicators.set_index("indicator_id")
        position = frame.columns.get_loc("indicator_id") + 1
        frame.insert(position, "indicator_name", frame["indicator_id"].map(
            {i: pick(row, "name", lang) for i, row in names.iterrows()}))
        frame.insert(position + 1, "unit", frame["indicator_id"].map(
            {i: pick(row, "unit", lang) for i, row in names.iterrows()}))
    return frame.rename(columns={c: header(c, lang) for c in frame.columns})


def all_tables(tables: dict[str, pd.DataFrame], lang: str) -> dict[str, pd.DataFrame]:
    """The tables of a download of all data: sheet name -> readable frame,
    in the order of TABLES; tables the store does not hold are left out."""
    indicators = tables.get("indicators")
    return {
        sheet_name(name, lang): readable(name, tables[name], indicators, lang)
        for name in TABLES if name in tables and tables[name] is not None
    }


def csv_zip_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A zip with one CSV per frame (UTF-8 with a byte-order mark, so Excel
    shows the diacritics)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in sheets.items():
            archive.writestr(f"{name}.csv", tabular.to_bytes(frame, "csv", excel_bom=True))
    return buffer.getvalue()


def chart_info(spec: ChartSpec) -> pd.DataFrame:
    """What the chart shows and where its figures come from, one row each."""
    rows = [
        ("export.info.title", spec.title), ("export.info.unit", spec.unit), ("export.info.period", spec.period),
        ("export.info.kinds", spec.kinds), ("export.info.target", spec.target),
        ("export.info.source", spec.source), ("export.info.as_of", spec.as_of),
    ] + [("export.info.note", note) for note in spec.notes]
    return pd.DataFrame(
        [(t(key, spec.lang), value) for key, value in rows if value],
        columns=[t("export.info.item", spec.lang), t("export.info.value", spec.lang)],
    )


def chart_data_bytes(spec: ChartSpec, fmt: str) -> bytes:
    """The data behind a chart: Excel with a data sheet and a sheet about
    the chart, or CSV of the data alone."""
    if fmt == "csv":
        return tabular.to_bytes(spec.data, "csv", excel_bom=True)
    if fmt == "xlsx":
        return tabular.workbook_bytes({
            t("export.sheet.chart_data", spec.lang): spec.data,
            t("export.sheet.chart_info", spec.lang): chart_info(spec),
        })
    raise ValueError(fmt)


def file_stem(text: str) -> str:
    """A file name from an id or title, safe on every system: Vietnamese
    letters without their marks ("Tăng trưởng" -> "Tang_truong"), digits,
    dot, dash, underscore."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", plain)
    return stem.strip("_") or "chart"
