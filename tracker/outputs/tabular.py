"""Tables out as CSV, Excel or Parquet: one writer for the CLI and the app,
safe against formula injection."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from tracker import settings
from tracker.outputs.files import write_atomic

FORMATS = ("csv", "xlsx", "parquet")
MAX_WIDTH = 60  # characters: a wider column would push the others off a laptop screen
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with an
    apostrophe; numbers are left as numbers."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            text = series.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                frame[column] = series.where(~risky, "'" + text)
    return frame


def column_width(header: str, values: pd.Series) -> int:
    """The one width rule of every sheet written: wide enough for the
    header and for 9 in 10 of the cells, between 10 and 60 characters."""
    lengths = values.astype("string").fillna("").str.len()
    typical = int(lengths.quantile(0.9)) if len(values) else 0
    return min(MAX_WIDTH, max(10, len(str(header)) + 2, typical + 2))


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One Excel workbook, one sheet per frame (name -> frame, names cut to
    Excel's 31 characters): header row frozen, columns sized by
    `column_width`, text longer than a column wraps, cells escaped against
    formulas, timestamps in the product's time zone."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        wrap = writer.book.add_format({"text_wrap": True, "valign": "top"})
        for name, frame in sheets.items():
            safe = _excel_ready(escape_formulas(frame))
            safe.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(safe.columns):
                values = safe[column]
                longest = int(values.astype("string").fillna("").str.len().max()) if len(values) else 0
                sheet.set_column(i, i, column_width(column, values), wrap if longest > MAX_WIDTH else None)
    return buffer.getvalue()


def to_bytes(frame: pd.DataFrame, fmt: str, *, sheet_name: str = "data", excel_bom: bool = False) -> bytes:
    """The frame as a file in `fmt`. CSV is UTF-8 (with a byte-order mark
    when `excel_bom`, so Excel shows the diacritics); Excel and CSV cells are
    escaped against formulas; Parquet keeps the data as it is."""
    if fmt == "csv":
        return escape_formulas(frame).to_csv(index=False).encode("utf-8-sig" if excel_bom else "utf-8")
    if fmt == "xlsx":
        return workbook_bytes({sheet_name: frame})
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(fmt)


def write(frame: pd.DataFrame, path: str | Path, fmt: str, **kwargs) -> Path:
    """Write the frame to `path` in `fmt`, whole or not at all."""
    return write_atomic(path, to_bytes(frame, fmt, **kwargs))


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot hold time zones: timestamps are written as the
    product's clock shows them (Vietnam time by default), without one."""
    frame = frame.copy()
    zone = settings.time_zone()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert(zone).dt.tz_localize(None)
    return frame
