"""The upload's limits: each with its default, environment variable and help."""

from __future__ import annotations

import os
from dataclasses import dataclass

from tracker import fmt

# -- settings ---------------------------------------------------------------------
# name: (default, environment variable, what it limits). Sizes in MB.
SETTINGS = {
    "max_file_mb": (20, "PLAN_UPLOAD_MAX_MB", "largest file accepted, in MB"),
    "max_unpacked_mb": (200, "PLAN_UPLOAD_MAX_UNPACKED_MB",
                        "largest total size of an .xlsx once unzipped, in MB (zip-bomb guard, checked before reading)"),
    "max_rows": (50_000, "PLAN_UPLOAD_MAX_ROWS", "most rows read from one sheet or CSV file"),
}
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
    """The upload limits: SETTINGS defaults, each overridable by its
    environment variable."""
    value = {name: int(os.environ.get(env) or default) for name, (default, env, _) in SETTINGS.items()}
    return Limits(value["max_file_mb"] * 2**20, value["max_unpacked_mb"] * 2**20, value["max_rows"])



def mb(size: int) -> str:
    return fmt.number(size / 2**20, 1)

