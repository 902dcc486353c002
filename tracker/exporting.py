"""Tables out as CSV, Excel or Parquet: one writer for the CLI and the app,
safe against formula injection."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from tracker.fmt import TIME_ZONE

FORMATS = ("csv", "xlsx", "parquet")
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


def to_bytes(frame: pd.DataFrame, fmt: str, *, sheet_name: str = "data", excel_bom: bool = False) -> bytes:
    """The frame as a file in `fmt`. CSV is UTF-8 (with a byte-order mark
    when `excel_bom`, so Excel shows the diacritics); Excel and CSV cells are
    escaped against formulas; Parquet keeps the data as it is."""
    buffer = io.BytesIO()
    if fmt == "csv":
        text = escape_formulas(frame).to_csv(index=False)
        buffer.write(text.encode("utf-8-sig" if excel_bom else "utf-8"))
    elif fmt == "xlsx":
        safe = _excel_ready(escape_formulas(frame))
        with pd.ExcelWriter(
            buffer, engine="xlsxwriter",
            engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
        ) as writer:
            safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
            sheet = writer.sheets[sheet_name[:31]]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(safe.columns):
                lengths = safe[column].astype("string").fillna("").str.len()
                width = min(60, max(10, len(str(column)) + 2, int(lengths.quantile(0.9) if len(safe) else 0) + 2))
                sheet.set_column(i, i, width)
    elif fmt == "parquet":
        frame.to_parquet(buffer, index=False)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


def write(frame: pd.DataFrame, path: str | Path, fmt: str, **kwargs) -> None:
    """Write the frame to `path` in `fmt`, all at once (no half-written file)."""
    path = Path(path)
    data = to_bytes(frame, fmt, **kwargs)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot hold time zones: timestamps are written in Vietnam time
    without one, the clock every page and summary shows."""
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert(TIME_ZONE).dt.tz_localize(None)
    return frame
