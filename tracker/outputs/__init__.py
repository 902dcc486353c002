"""Everything the product writes for people to take away, behind one
registry of formats (as datasette's renderers): tables as CSV, Excel or
Parquet (`tabular`), chart images as PNG, SVG or PDF (`images`), the
PowerPoint deck (`deck`), a chart's data and all data (`datapack`); and
one way to put bytes in a file (`files.write_atomic`), used by the app and
the command line alike."""

from __future__ import annotations

# Every format an output is offered in, and what a browser or a mail client calls it.
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
