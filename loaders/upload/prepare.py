"""The entry points: `prepare` (a file's bytes read and checked, with the
preview), `prepare_grids` (grids another reader made, through the same
checks), `publish`, and `run_import` for the command line."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors

from loaders.upload import csvfile, xlsx
from loaders.upload.catalogue import Catalogue
from loaders.upload.check import DUPLICATE_KEYS, KEYS, Batch, check_sheet, columns_of, contract_frame
from loaders.upload.grid import Grid
from loaders.upload.problems import Problem, problems_frame, schema_problems, shown, unique
from loaders.upload.settings import Limits, limits, mb
from tracker import fmt, preview, schema
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.store import CurrentRows, PublishResult, Store


@dataclass
class Prepared:
    """A read and checked file. `frames` hold the contract's columns per
    table ("observations", "task_reports"); `previews` the store's diff of
    each against the current view (only when the file passed)."""

    file_name: str
    sha256: str
    size: int
    data: bytes
    frames: dict[str, pd.DataFrame]
    problems: list[Problem]
    previews: dict[str, pd.DataFrame]
    ok: bool
    # What the analyst should know though nothing is wrong: sheets skipped, numbers read the English way.
    notes: list[Problem] = field(default_factory=list)
    # The store's table versions the previews were taken at (Store.versions): publish reuses them while they hold.
    versions: dict[str, int] = field(default_factory=dict)



# A reader: (bytes, file name, limits) -> (one grid per sheet, problems that stop reading).
Reader = Callable[[bytes, str, Limits], tuple[list[Grid], list[Problem]]]

# The readers by file extension. A workbook is recognised by its content whatever its name;
# another format registers its reader here in one line, e.g. READERS[".docx"] = docx.run.
READERS: dict[str, Reader] = {".xlsx": xlsx.run, ".xlsm": xlsx.run, ".csv": csvfile.run}
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_grids(data: bytes, file_name: str, limit: Limits) -> tuple[list[Grid], list[Problem]]:
    """Every sheet of the file as a grid, or the problem that stops reading."""
    if not data:
        return [], [Problem(None, None, None, file_name, "upload.file.empty")]
    suffix = Path(file_name).suffix.lower()
    if suffix in READERS and READERS[suffix] not in (xlsx.run, csvfile.run):
        return READERS[suffix](data, file_name, limit)
    if data[:4] == b"PK\x03\x04":
        return xlsx.run(data, file_name, limit)
    if data[:8] == _OLE2:
        # Office keeps a password-encrypted .xlsx inside an OLE2 container.
        key = "upload.file.encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "upload.file.old_xls"
        return [], [Problem(None, None, None, file_name, key)]
    if suffix in _WORKBOOK_SUFFIXES:
        return [], [Problem(None, None, None, file_name, csvfile.named_workbook(data))]
    return csvfile.run(data, file_name, limit)


# -- the entry points --------------------------------------------------------------------------------
def prepare(store: Store, data: bytes, file_name: str, *, kind: str | None = None, period: str | None = None,
            lang: str = "vi", limit: Limits | None = None) -> Prepared:
    """Read and check the whole file against the store's catalogue. Every
    problem is listed; `ok` is true only for a file without problems that
    holds at least one row. `kind` and `period` are for sheets that do not
    say them (wide sheets); `limit` defaults to `limits()`. Problems carry
    translation keys, rendered in any language by `problems_frame`, so
    `lang` changes nothing here. Writes nothing."""
    limit = limit or limits()
    name = Path(file_name).name
    sha256 = hashlib.sha256(data).hexdigest()

    def result(frames, problems, previews):
        ok = not problems and any(len(f) for f in frames.values())
        return Prepared(name, sha256, len(data), data, frames, problems, previews, ok)

    if len(data) > limit.max_file_bytes:
        return result({}, [Problem(None, None, None, name, "upload.file.too_big",
                                   {"size": mb(len(data)), "limit": mb(limit.max_file_bytes)})], {})
    # The catalogue is read in another thread while the file is unpacked and parsed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-catalogue") as pool:
        catalogue = pool.submit(Catalogue.from_store, store)
        grids, problems = read_grids(data, name, limit)
        return prepare_grids(store, grids, name, data, kind=kind, period=period, problems=problems,
                             catalogue=catalogue.result())


def prepare_grids(store: Store, grids: list[Grid], file_name: str, data: bytes, *, kind: str | None = None,
                  period: str | None = None, problems: list[Problem] | None = None,
                  catalogue: Catalogue | None = None) -> Prepared:
    """Check grids a reader made (`Grid.from_strings` for rows of text)
    exactly as `prepare` checks a file's: the same problems, frames and
    preview. `data` is the file they came from (archived and hashed by
    `publish`); `problems` those its reader already found; `catalogue` the
    store's when already read. Writes nothing."""
    name = Path(file_name).name
    sha256 = hashlib.sha256(data).hexdigest()
    problems = list(problems or [])

    def result(frames, problems, previews):
        ok = not problems and any(len(f) for f in frames.values())
        return Prepared(name, sha256, len(data), data, frames, problems, previews, ok, notes, versions)

    catalogue = catalogue or Catalogue.from_store(store)
    checked = [(grid, *check_sheet(grid, catalogue, kind, period)) for grid in grids]
    batches = [batch for _, _, batch in checked if batch is not None]
    notes = [note for grid in grids for note in grid.notes] + [note for b in batches for note in b.notes]
    frames, chosen = {}, {}
    for table in ("observations", "task_reports"):
        chosen[table] = [b for b in batches if b.table == table and b.valid.any()]
        if chosen[table]:
            frames[table] = contract_frame(table, {c: np.concatenate([b.fields[c][b.valid] for b in chosen[table]])
                                           for c in columns_of(table)})
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-diff") as pool:
        # The store's rows the preview compares with, read while the rows are checked for repeats and the
        # contract (the thread gets frames of its own: pandas objects are not shared between threads).
        ahead = pool.submit(_read_ahead, store, {t: f[KEYS[t]] for t, f in frames.items()}) if frames else None
        duplicates = {}
        for table, frame in frames.items():
            frames[table], found = _without_duplicates(table, frame, chosen[table])
            duplicates.update(found)
        # In the order a person reads the file: each sheet's own problems, then its rows'.
        for _, sheet_problems, batch in checked:
            problems.extend(sheet_problems)
            if batch is not None:
                found = {**batch.problems, **duplicates.get(id(batch), {})}
                for position in sorted(found):
                    problems.extend(found[position])
        if not problems and not frames:
            problems.append(Problem(None, None, None, name, "upload.file.empty"))
        previews, versions = {}, {}
        if not problems:
            for table, frame in frames.items():
                try:
                    frames[table] = schema.validate(table, frame)
                except pandera.errors.SchemaErrors as exc:
                    places = [(b.sheet, int(n)) for b in chosen[table] for n in b.numbers[b.valid]]  # without the repeats
                    problems.extend(schema_problems(exc, places))
            if not problems:
                try:
                    versions, current = ahead.result()
                except Exception:  # noqa: BLE001 - read again here, where whatever went wrong is raised as before
                    versions, current = store.versions(), {}
                previews = {table: store.diff(table, frame, current.get(table)) for table, frame in frames.items()}
            if "observations" in previews:
                keep = np.concatenate([np.full(int(b.valid.sum()), not b.note_column) for b in chosen["observations"]])
                previews["observations"] = preview.keep_earlier_notes(previews["observations"], keep)
                frames["observations"] = previews["observations"][frames["observations"].columns]
        return result(frames, unique(problems), previews)


def _read_ahead(store: Store, keys: dict[str, pd.DataFrame]) -> tuple[dict[str, int], dict[str, CurrentRows]]:
    """The store's versions, then the current rows of each table's keys
    (`Store.current_rows`, what the preview compares with): taken in this
    order, the versions are never newer than the preview (a publish landing
    meanwhile makes them stale, so publish diffs again)."""
    versions = store.versions()
    return versions, {table: store.current_rows(table, frame) for table, frame in keys.items()}


def _without_duplicates(table: str, frame: pd.DataFrame, batches: list[Batch]) -> tuple[pd.DataFrame, dict]:
    """The frame without the rows repeating the key of an earlier row (of
    any sheet), and those rows as problems by batch (id) and position;
    they are no longer valid in their batch."""
    key = KEYS[table]
    repeated = frame.duplicated(subset=key).to_numpy()
    if not repeated.any():
        return frame, {}
    found: dict[int, dict[int, list[Problem]]] = {}
    first: dict[tuple, tuple[str, int]] = {}
    records = frame[key].itertuples(index=False, name=None)
    for batch in batches:
        for position in np.flatnonzero(batch.valid).tolist():
            record, place = next(records), (batch.sheet, int(batch.numbers[position]))
            if record not in first:
                first[record] = place
                continue
            batch.valid[position] = False
            found.setdefault(id(batch), {})[position] = [Problem(
                batch.sheet, place[1], None, None, DUPLICATE_KEYS[table],
                {"first_sheet": first[record][0], "first_row": first[record][1]})]
    return frame[~repeated].reset_index(drop=True), found




def publish(store: Store, prepared: Prepared, user: str) -> list[PublishResult]:
    """Archive the file beside the store and publish its tables, recording the
    user, the file name and its SHA-256; they become current together (the
    store's publish record). Refuses a file that did not pass."""
    if not prepared.ok:
        raise TrackerError("upload.not_ready", count=len(prepared.problems))
    store.archive(prepared.data, prepared.file_name)
    frames = {table: prepared.frames[table] for table in ("observations", "task_reports") if table in prepared.frames}
    # One publish across tables: the figures and task reports become current together or not at all.
    return store.publish_all(frames, user=user, action="publish", file_name=prepared.file_name,
                             file_sha256=prepared.sha256, previews=prepared.previews, as_of=prepared.versions)


def run_import(store: Store, path: str | Path, *, user: str, dry_run: bool, lang: str = "vi",
               kind: str | None = None, period: str | None = None) -> int:
    """The command line's import: print every problem (exit 1), or the
    preview (new, revised old → new, unchanged) and, unless `dry_run`,
    publish and print the new versions (exit 0)."""
    path = Path(path)
    limit = limits()
    size = path.stat().st_size
    if size > limit.max_file_bytes:  # refused before reading it into memory
        problem = Problem(None, None, None, path.name, "upload.file.too_big",
                          {"size": mb(size), "limit": mb(limit.max_file_bytes)})
        prepared = Prepared(path.name, "", size, b"", {}, [problem], {}, False)
    else:
        prepared = prepare(store, path.read_bytes(), path.name, kind=kind, period=period, lang=lang, limit=limit)
    if not prepared.ok:
        print(t("upload.cli.refused", lang, file=prepared.file_name, count=len(prepared.problems)), file=sys.stderr)
        with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", None):
            print(problems_frame(prepared.problems, lang).to_string(index=False), file=sys.stderr)
        return 1
    if prepared.notes:
        print(t("upload.cli.notes", lang))
        with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", None):
            print(problems_frame(prepared.notes, lang).to_string(index=False))
    for table, diff in prepared.previews.items():
        counts = diff["change"].value_counts()
        print(t("upload.cli.preview", lang, table=t(f"upload.table.{table}", lang),
                **{c: int(counts.get(c, 0)) for c in ("new", "revised", "unchanged")}))
        revised = revised_rows(diff, table, lang)
        if len(revised):
            print(t("upload.cli.revised", lang))
            with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 80):
                print(revised.to_string(index=False))
    if dry_run:
        print(t("upload.cli.dry_run", lang))
        return 0
    for result in publish(store, prepared, user):
        if result.version is None:
            print(t("upload.cli.nothing", lang, table=t(f"upload.table.{result.table}", lang)))
        else:
            print(t("upload.cli.published", lang, table=t(f"upload.table.{result.table}", lang),
                    version=result.version, added=result.added, revised=result.revised, unchanged=result.unchanged))
    return 0


def revised_rows(diff: pd.DataFrame, table: str, lang: str = "vi") -> pd.DataFrame:
    """The revised rows of a preview: the key, then each changed field as
    "old → new" (numbers in the language's format)."""
    key = KEYS[table]
    fields = [c for c in diff.columns if c.startswith("old_")]
    rows = []
    for record in diff[diff["change"] == "revised"].to_dict("records"):
        changes = []
        for old in fields:
            column = old[4:]
            before, after = record[old], record[column]
            if fmt.is_missing(before) and fmt.is_missing(after):
                continue
            if fmt.is_missing(before) or fmt.is_missing(after) or before != after:
                changes.append(f"{column}: {shown(before, lang)} → {shown(after, lang)}")
        rows.append({**{c: record[c] for c in key}, "→": "; ".join(changes)})
    return pd.DataFrame(rows, columns=key + ["→"])
