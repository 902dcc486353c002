"""An analyst's file -> checked tidy frames -> a published version (SPEC §6, §7).

Flow: a reader turns the file's bytes into grids (one per sheet), the
layout of each grid is found, the checker checks it a column at a time
against the catalogue, and `prepare` returns the frames, every problem and
the preview; `publish` writes only a file without problems.

Modules (one home each):
- `xlsx` (with `xlsx_xml`, the sheet XML's notes) and `csvfile`: the
  readers, each a `run(data, file_name, limit) -> (grids, problems)`;
  `READERS` maps a file extension to its reader;
- `grid`: `Grid`, a sheet as read, and its columns for the checker;
- `layout`: where a sheet's table is (contract columns, task reports, a
  wide sheet of indicators by years);
- `words`, `catalogue`, `values`: headers and vocabulary, catalogue ids
  and units, a value as analysts write it ("1.437,4", "8 - 9", "khoảng 304");
- `check`, the one checker, and `findings`, its parts that work a column
  at a time (a field's cells, a column of figures, the problems found);
- `problems`, `settings` (the upload limits), `prepare` (entry points).

Interface used by other readers (e.g. reports read in `loaders.reading`):

    from loaders.upload import Grid, prepare_grids, READERS
    grid = Grid.from_strings("figures", [["indicator_id", "year", "period", "kind", "value", "source"],
                                         ["grdp_growth", "2024", "FY", "actual", "7,98", "…"]])
    prepared = prepare_grids(store, [grid], "report.docx", data)  # same checks, preview and publish
    READERS[".docx"] = docx_reader.run  # register a reader for an extension: one line

`Grid.from_strings(sheet, rows, numbers=None)` takes the header row then the
data rows, all strings (SPEC §3 column names, or any name the template
accepts); `numbers` are the row numbers shown in problems (1-based, default
1, 2, ...).
"""

from loaders.upload.catalogue import Catalogue
from loaders.upload.grid import Grid
from loaders.upload.prepare import (
    READERS,
    Prepared,
    Reader,
    prepare,
    prepare_grids,
    publish,
    read_grids,
    revised_rows,
    run_import,
)
from loaders.upload.problems import Problem, problems_frame
from loaders.upload.settings import Limits, limits
from loaders.upload.words import ALIASES_FILE, PY_SPACES, norm

__all__ = [
    "ALIASES_FILE", "PY_SPACES", "READERS", "Catalogue", "Grid", "Limits", "Prepared", "Problem",
    "Reader", "limits", "norm", "prepare", "prepare_grids", "problems_frame", "publish", "read_grids",
    "revised_rows", "run_import",
]
