"""The upload's limits, from the product's settings (tracker.settings:
upload_max_mb, upload_max_unpacked_mb, upload_max_rows), and the fixed
bounds of reading a sheet."""

from __future__ import annotations

from dataclasses import dataclass

from tracker import fmt, settings

# Rows searched for the header row (titles may stand above it).
HEADER_SCAN = 30
# The zip directory of an .xlsx with more entries than this is not a workbook an analyst made.
MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class Limits:
    """What an upload may be: checked before the file is read further."""

    max_file_bytes: int
    max_unpacked_bytes: int
    max_rows: int


def limits() -> Limits:
    """The upload limits as the settings give them now (sizes set in MB)."""
    return Limits(settings.get("upload_max_mb") * 2**20, settings.get("upload_max_unpacked_mb") * 2**20,
                  settings.get("upload_max_rows"))

def mb(size: int) -> str:
    return fmt.number(size / 2**20, 1)

