"""A reading written out for review: the figures, and the numbers not placed
(a second sheet in Excel; a `-unplaced` file beside a CSV)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from tracker import exporting
from tracker.i18n import t


def write_reading(reading, path: Path, fmt: str, lang: str = "vi") -> list[Path]:
    """Write `reading` to `path` (csv or xlsx); the paths written, each whole or not at all."""
    path = Path(path)
    if fmt == "csv":
        extra = path.with_name(f"{path.stem}-unplaced{path.suffix or '.csv'}")
        exporting.write(reading.figures, path, "csv")
        exporting.write(reading.unplaced, extra, "csv")
        return [path, extra]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as writer:
        for frame, sheet in ((reading.figures, t("reading.sheet_figures", lang)),
                             (reading.unplaced, t("reading.sheet_unplaced", lang))):
            exporting.escape_formulas(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
            writer.sheets[sheet[:31]].freeze_panes(1, 0)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)
    return [path]
