"""A reading written out for review: the figures, and the numbers not placed
(a second sheet in Excel; a `-unplaced` file beside a CSV)."""

from __future__ import annotations

from pathlib import Path

from tracker.i18n import t
from tracker.outputs import tabular
from tracker.outputs.files import write_atomic


def write_reading(reading, path: Path, fmt: str, lang: str = "vi") -> list[Path]:
    """Write `reading` to `path` (csv or xlsx); the paths written, each whole or not at all."""
    path = Path(path)
    if fmt == "csv":
        extra = path.with_name(f"{path.stem}-unplaced{path.suffix or '.csv'}")
        tabular.write(reading.figures, path, "csv")
        tabular.write(reading.unplaced, extra, "csv")
        return [path, extra]
    write_atomic(path, tabular.workbook_bytes({
        t("reading.sheet_figures", lang): reading.figures,
        t("reading.sheet_unplaced", lang): reading.unplaced,
    }))
    return [path]
