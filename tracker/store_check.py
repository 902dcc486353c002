"""What is damaged in a local store table: its Delta log read file by file,
then the data files it lists. The answer is a StoreDamaged naming the table,
the version the damage is in and what is wrong (an empty, cut-short, garbage
or missing log file; a missing or broken data file), or None when sound.

Only `tracker.store` calls this module; it reads files, never writes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable
from deltalake.exceptions import DeltaError, TableNotFoundError

from tracker.errors import StoreDamaged

# What reading a damaged table raises from Delta or Arrow (turned into StoreDamaged).
READ_ERRORS = (DeltaError, OSError, pa.ArrowException)
COMMIT_FILE = re.compile(r"^(\d{20})\.json$")
CHECKPOINT_FILE = re.compile(r"^(\d{20})\.checkpoint(\.\d+\.\d+)?\.parquet$")


def diagnose(table: str, folder: str, storage_options: dict | None = None) -> StoreDamaged | None:
    """What is wrong with the local table in `folder`, if anything: its log
    read in full, then every data file it lists read in full."""
    damage = log_damage(table, folder, deep=True)
    if damage is None:
        try:
            delta = DeltaTable(folder, storage_options=storage_options)
        except TableNotFoundError:
            return None
        except READ_ERRORS as exc:
            return StoreDamaged(table, None, "unreadable", detail=first_line(exc))
        damage = files_damage(table, folder, delta, read=True)
    return damage


def log_damage(table: str, folder: str, deep: bool) -> StoreDamaged | None:
    """A gap in a local table's log, or a log file that is empty or not
    JSON lines: every file when `deep`, else the newest only (cheap
    enough for every open)."""
    log = os.path.join(folder, "_delta_log")
    try:
        names = os.listdir(log)
    except FileNotFoundError:
        return None  # no table here
    commits = {int(m.group(1)): n for n in names if (m := COMMIT_FILE.match(n))}
    checkpoints = [int(m.group(1)) for n in names if (m := CHECKPOINT_FILE.match(n))]
    if not commits:
        return StoreDamaged(table, max(checkpoints, default=0), "log_missing") if not checkpoints else None
    newest = max(commits)
    # Log files older than a checkpoint may be cleaned up; the ones after it must all be there.
    start = max((c + 1 for c in checkpoints if c <= newest), default=0)
    missing = [v for v in range(start, newest + 1) if v not in commits]
    if missing:
        return StoreDamaged(table, missing[0], "log_gap")
    for version in sorted(commits, reverse=True) if deep else [newest]:
        try:
            with open(os.path.join(log, commits[version]), "rb") as f:
                text = f.read()
        except OSError:
            return StoreDamaged(table, version, "log_missing")
        if not text.strip():
            return StoreDamaged(table, version, "log_empty")
        try:
            actions = [json.loads(line) for line in text.splitlines() if line.strip()]
            if not all(isinstance(a, dict) for a in actions):
                raise ValueError("not an action")
        except ValueError:
            return StoreDamaged(table, version, "log_broken")
    return None


def files_damage(table: str, folder: str, delta: DeltaTable, read: bool) -> StoreDamaged | None:
    """A data file the table lists that is missing, or broken: read in
    full when `read`, else only its size and closing Parquet magic."""
    for uri in delta.file_uris():
        path = uri.removeprefix("file://")
        try:
            if read:
                pq.ParquetFile(path).read()
            else:
                with open(path, "rb") as f:
                    f.seek(-4, os.SEEK_END)
                    if f.read(4) != b"PAR1":
                        raise ValueError("no Parquet footer")
        except FileNotFoundError:
            return StoreDamaged(table, added_in(folder, path), "data_missing")
        except (OSError, ValueError, pa.ArrowException):
            return StoreDamaged(table, added_in(folder, path), "data_broken")
    return None


def added_in(folder: str, path: str) -> int | None:
    """The version whose commit added the data file at `path` (None if no log file names it)."""
    log = os.path.join(folder, "_delta_log")
    name = os.path.basename(path)
    for entry in sorted(os.listdir(log), reverse=True):
        if (m := COMMIT_FILE.match(entry)) and name in Path(log, entry).read_text(errors="replace"):
            return int(m.group(1))
    return None


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (Delta's run to many lines), or nothing."""
    return str(exc).splitlines()[0] if str(exc) else ""
