"""The store: Delta Lake tables under one root, the only code that reads or
writes them.

Two kinds of table:
- revision tables (`observations`, `task_reports`) are append-only: a new
  upload of an existing key adds a row, the current view keeps the newest
  row per key, and every earlier row stays readable;
- catalogue tables (`indicators`, `areas`, `agencies`, `tasks`, `plans`,
  `plan_items`) are replaced whole by `build`.

Every write is one Delta commit carrying who, what and which file in its
commit metadata; `restore` is a new commit, nothing is ever vacuumed.

One file's figures and task reports become current together: a publish that
writes to both tables first records itself as pending in the `publishes`
table, then commits each table, then records itself as done. Readers skip
the rows of a publish that is pending and not done, so a process killed
between the commits leaves none of its rows visible. Rows of a publish with
no pending record (one table, or a store from before this table) are read
as they are.

A damaged table (log file empty, cut short, garbage or missing; a data file
missing or broken) raises StoreDamaged naming the table and the version,
never a Delta or Arrow error; `check` reads every log and data file. How
the files are read to tell what is damaged lives in tracker/store_check.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from deltalake import CommitProperties, DeltaTable, write_deltalake
from deltalake.exceptions import DeltaError, TableNotFoundError

from tracker import schema, settings, store_check
from tracker.errors import StoreDamaged, TrackerError
from tracker.keys import key_matcher, newest_revisions, same_values
from tracker.outputs.files import write_atomic
from tracker.store_check import READ_ERRORS

REPO_ROOT = Path(__file__).resolve().parents[1]

REVISION_TABLES = {
    "observations": (schema.OBSERVATION_KEY, schema.OBSERVATION_COLUMNS),
    "task_reports": (schema.TASK_REPORT_KEY, schema.TASK_REPORT_COLUMNS),
}
CATALOGUE_TABLES = tuple(schema.CATALOGUE_COLUMNS)
TABLES = tuple(REVISION_TABLES) + CATALOGUE_TABLES
# The record of multi-table publishes: pending when begun, done when every table is committed.
PUBLISHES = "publishes"
PUBLISHES_SCHEMA = pa.schema([
    ("publish_id", pa.string()), ("state", pa.string()), ("tables", pa.string()),
    ("published_at", pa.timestamp("us", tz="UTC")), ("published_by", pa.string()),
    ("file_name", pa.string()), ("file_sha256", pa.string()),
])

# A publish reads back only rows sharing the incoming years, and the
# incoming values of any other key column with at most this many of them.
KEY_FILTER_MAX_VALUES = 1000

# Commit metadata fields, in the order history shows them.
HISTORY_FIELDS = [
    "action", "user", "file_name", "file_sha256", "added", "revised", "unchanged", "restored_from", "os_user",
]


def default_root() -> str:
    """The store root: the `store` setting ($PLAN_STORE, else data/store in the repo)."""
    return settings.get("store")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    """What a publish did: the new version (None when nothing changed) and
    the number of rows per change."""

    table: str
    version: int | None
    added: int
    revised: int
    unchanged: int


@dataclass(frozen=True)
class CurrentRows:
    """The current view's `rows` of the incoming `keys` (`Store.current_rows`)."""

    keys: pd.DataFrame
    rows: pd.DataFrame


class Store:
    """A store root: a local folder or an object-store URI (s3://, az://,
    gs://) with its storage options."""

    def __init__(self, root: str | os.PathLike | None = None, storage_options: dict | None = None,
                 os_user: str | None = None):
        self.root = str(root) if root is not None else default_root()
        self.storage_options = storage_options
        self.is_local = "://" not in self.root
        # The operating-system account running the command line, recorded beside `user` in its commits.
        self.os_user = os_user

    # -- where things are -------------------------------------------------
    def uri(self, table: str) -> str:
        if table not in TABLES and table != PUBLISHES:
            raise TrackerError("store.unknown_table", table=table, tables=", ".join(TABLES))
        return os.path.join(self.root, table) if self.is_local else f"{self.root.rstrip('/')}/{table}"

    def exists(self, table: str = "observations") -> bool:
        """Whether the table is there; a local table whose log lost every
        commit file raises StoreDamaged rather than reading as absent."""
        if DeltaTable.is_deltatable(self.uri(table), storage_options=self.storage_options):
            return True
        damage = self._open_damage(table) if self.is_local else None
        if damage:
            raise damage
        return False

    def require(self) -> None:
        """Raise a clear error when the store has not been built."""
        if not self.exists("observations") or not self.exists("indicators"):
            raise TrackerError("store.missing", root=self.root)

    def _table(self, table: str, version: int | None = None) -> DeltaTable:
        if self.is_local:  # an empty or cut newest log file would otherwise read as an empty commit
            damage = self._open_damage(table)
            if damage:
                raise damage
        try:
            return DeltaTable(self.uri(table), version=version, storage_options=self.storage_options)
        except TableNotFoundError:
            raise TrackerError("store.missing", root=self.root) from None
        except DeltaError as exc:
            if version is not None:
                latest = self.version(table)
                if not 0 <= version <= latest:
                    raise TrackerError("store.bad_version", table=table, version=version, latest=latest) from None
            raise self._damage(table, version, exc) from None
        except (OSError, pa.ArrowException) as exc:
            raise self._damage(table, version, exc) from None

    def version(self, table: str = "observations") -> int:
        """The table's newest version number."""
        return self._table(table).version()

    def versions(self) -> dict[str, int]:
        """Newest version of every table that exists (the publish record
        included): a cheap cache key."""
        return {t: self.version(t) for t in TABLES + (PUBLISHES,) if self.exists(t)}

    # -- reading ------------------------------------------------------------
    def read(self, table: str, version: int | None = None) -> pd.DataFrame:
        """Every stored row of the table as of `version` (default: newest),
        without the rows of an unfinished publish."""
        self.uri(table)  # unknown table -> clear error
        if not self.exists(table):
            if table in REVISION_TABLES:
                return empty_frame(REVISION_TABLES[table][1] + schema.PUBLISH_COLUMNS)
            raise TrackerError("store.missing", root=self.root)
        return self._scan(table, version).to_pandas()

    def _scan(self, table: str, version: int | None = None, condition: pc.Expression | None = None) -> pa.Table:
        """The stored rows of a table matching `condition`, leaving out the
        rows of publishes that began and never finished. The filter goes to
        the Parquet scan, so files whose statistics rule them out are never
        read (cheap at national scale). Delta and Arrow failures become
        StoreDamaged."""
        delta = self._table(table, version)
        unfinished = self.unfinished_publishes() if table in REVISION_TABLES else []
        if unfinished:
            finished = pc.field("publish_id").is_null() | ~pc.field("publish_id").isin(pa.array(unfinished))
            condition = finished if condition is None else condition & finished
        try:
            if condition is None:
                return delta.to_pyarrow_table()
            return delta.to_pyarrow_dataset().to_table(filter=condition)
        except READ_ERRORS:
            damage = self.diagnose(table)
            if damage:
                raise damage from None
            raise  # not damage: e.g. a filter value of another type, which callers handle

    def _read_where(self, table: str, where: dict[str, list], version: int | None = None) -> pa.Table:
        """The stored rows whose columns hold one of the given values."""
        return self._scan(table, version, _where_condition(where))

    def unfinished_publishes(self) -> list[str]:
        """The ids of publishes recorded as pending and never as done: their
        rows are not part of any view."""
        if not self.exists(PUBLISHES):
            return []
        delta = self._table(PUBLISHES)
        try:
            records = delta.to_pyarrow_table(columns=["publish_id", "state"]).to_pandas()
        except READ_ERRORS as exc:
            raise self._damage(PUBLISHES, delta.version(), exc) from None
        done = set(records.loc[records["state"] == "done", "publish_id"])
        return sorted(set(records.loc[records["state"] == "pending", "publish_id"]) - done)

    def current(self, table: str, version: int | None = None, where: dict[str, list] | None = None) -> pd.DataFrame:
        """The table as the product shows it: for revision tables the newest
        revision of each key, in key order; catalogue tables as stored.
        `where` (revision tables; key column -> values) keeps the keys whose
        columns hold one of the values, reading only the files that can
        hold them: an area's figures without loading the nation's."""
        if not self.exists(table) or table not in REVISION_TABLES:
            if where:
                raise ValueError(f"where applies to the revision tables, not {table}")
            return self.read(table, version).reset_index(drop=True)
        key = REVISION_TABLES[table][0]
        if where:
            if set(where) - set(key):  # a revision's other columns would pick an older revision
                raise ValueError(f"where takes key columns only ({', '.join(key)})")
            return newest_revisions(self._read_where(table, where, version), key).to_pandas()
        return newest_revisions(self._scan(table, version), key).to_pandas()

    def revisions(self, table: str, key: dict) -> pd.DataFrame:
        """Every stored revision of one key (oldest first)."""
        frame = None
        if self.exists(table):
            try:
                frame = self._read_where(table, {column: [value] for column, value in key.items()}).to_pandas()
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, KeyError, TypeError, ValueError):
                pass  # a value of another type than the column's: compare as pandas does below
        if frame is None:
            frame = self.read(table)
        for column, value in key.items():
            frame = frame[frame[column] == value]
        return frame.sort_values("published_at", kind="stable").reset_index(drop=True)

    # -- writing ------------------------------------------------------------
    def _commit(self, table: str, frame: pd.DataFrame | pa.Table, mode: str, metadata: dict) -> int:
        if isinstance(frame, pa.Table):
            arrow = frame
        else:
            arrow = pa.Table.from_pandas(frame, schema=schema.arrow_schema(list(frame.columns)), preserve_index=False)
        if self.os_user:
            metadata = {**metadata, "os_user": self.os_user}
        properties = CommitProperties(
            custom_metadata={k: json.dumps(v) if not isinstance(v, str) else v for k, v in metadata.items()}
        )
        # Writing through the table object returns this commit's own version,
        # not a concurrent writer's that landed just after it.
        if self.exists(table):
            target = self._table(table)
            if self.is_local:  # never write on top of a damaged table
                damage = self._open_damage(table, target)
                if damage:
                    raise damage
        else:
            target = self.uri(table)
        try:
            write_deltalake(
                target, arrow, mode=mode, commit_properties=properties,
                storage_options=None if isinstance(target, DeltaTable) else self.storage_options,
                schema_mode="overwrite" if mode == "overwrite" else None,
            )
        except DeltaError as exc:
            raise TrackerError("store.commit_failed", table=table, details=str(exc).splitlines()[0]) from exc
        return target.version() if isinstance(target, DeltaTable) else self.version(table)

    def replace(self, table: str, frame: pd.DataFrame, *, user: str, action: str = "build") -> int:
        """Replace a catalogue table whole, as one commit."""
        frame = schema.validate(table, frame[schema.CATALOGUE_COLUMNS[table]])
        return self._commit(table, frame, "overwrite", {"action": action, "user": user, "added": len(frame)})

    def diff(self, table: str, incoming: pd.DataFrame, ahead: CurrentRows | None = None) -> pd.DataFrame:
        """The incoming rows, each marked `change` = new, revised or
        unchanged against the current view, with the current values beside
        them as `old_<column>` for revised rows. `ahead` (`current_rows`
        read beforehand) is used when it was read for the same keys."""
        key, columns = REVISION_TABLES[table]
        fields = [c for c in columns if c not in key]
        if ahead is None or not ahead.keys.equals(incoming[key].reset_index(drop=True)):
            ahead = self.current_rows(table, incoming)
        current = ahead.rows.rename(columns={c: f"old_{c}" for c in fields})
        merged = incoming.merge(current, on=key, how="left", indicator=True)
        same = np.ones(len(merged), dtype=bool)
        for column in fields:
            same &= same_values(merged[column], merged[f"old_{column}"])
        merged["change"] = np.where(merged["_merge"] == "left_only", "new", np.where(same, "unchanged", "revised"))
        return merged.drop(columns="_merge")

    def current_rows(self, table: str, incoming: pd.DataFrame) -> CurrentRows:
        """The current view's rows of the keys of `incoming` (what `diff`
        compares it with), key columns first: to read ahead, e.g. in
        another thread while the rows are still being checked."""
        key, columns = REVISION_TABLES[table]
        columns = key + [c for c in columns if c not in key]
        rows = self._current_of(table, incoming, columns) if self.exists(table) else empty_frame(columns)
        return CurrentRows(incoming[key].reset_index(drop=True), rows)

    def _current_of(self, table: str, incoming: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """The current view restricted to the keys of `incoming`, in these
        columns: only the files that can hold its years (and its values of
        the other key columns when there are few) are read, so a publish does
        not load the table, and of those only the key columns, before the
        newest revision of each incoming key is read. What is returned is
        exactly those keys' rows of the whole current view."""
        key = REVISION_TABLES[table][0]
        if incoming.empty:
            return empty_frame(columns)
        where = {}
        for column in key:
            values = pd.unique(incoming[column].dropna())
            if column == "year" or len(values) <= KEY_FILTER_MAX_VALUES:
                where[column] = values.tolist()
        try:
            condition = _where_condition(where)
            wanted = pa.Table.from_pandas(incoming[key].drop_duplicates(), preserve_index=False)
            return self._newest_of(table, condition, wanted, columns).to_pandas()
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
            return self.current(table)[columns]  # keys of another type than the stored ones: no filter

    def _newest_of(self, table: str, condition: pc.Expression, wanted: pa.Table, columns: list[str]) -> pa.Table:
        """The newest finished revision of each key of `wanted`, in key
        order and these columns, among the files `condition` does not rule
        out. The key columns and publish times are read first (text as
        dictionary codes, cheap), then only the chosen rows' other columns
        are taken: most of a national table's figures are never decoded."""
        key = REVISION_TABLES[table][0]
        dataset = self._table(table).to_pyarrow_dataset()
        unfinished = pa.array(self.unfinished_publishes(), type=pa.string())
        wanted = wanted.cast(pa.schema([dataset.schema.field(c) for c in key]))
        texts = [f.name for f in dataset.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        coded = pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), f.type)) if f.name in texts else f
                           for f in dataset.schema])
        as_codes = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=texts))
        read = key + ["published_at"] + (["publish_id"] if len(unfinished) else [])
        try:
            files = [as_codes.make_fragment(f.path, f.filesystem, f.partition_expression)
                     for f in dataset.get_fragments(filter=condition)]
            if not files:
                return pa.schema([dataset.schema.field(c) for c in columns]).empty_table()
            stored = ds.FileSystemDataset(files, coded, as_codes, files[0].filesystem)
            keys = stored.to_table(columns=read)  # in file order, as _scan reads: ties go to the row read last
            keep = key_matcher(wanted, key)(keys)
            if len(unfinished):
                keep &= ~pc.fill_null(pc.is_in(keys.column("publish_id"), value_set=unfinished), False).to_numpy()
            at = np.flatnonzero(keep)
            chosen = keys.select(key + ["published_at"]).take(at)
            chosen = chosen.cast(pa.schema([dataset.schema.field(c) for c in chosen.column_names]))
            newest = newest_revisions(chosen.append_column("row", pa.array(at)), key)
            others = [c for c in columns if c not in newest.column_names]
            taken = stored.take(newest.column("row"), columns=others) if others else newest
            return pa.table({c: newest.column(c) if c in newest.column_names else taken.column(c) for c in columns}
                            ).cast(pa.schema([dataset.schema.field(c) for c in columns]))
        except READ_ERRORS:
            damage = self.diagnose(table)
            if damage:
                raise damage from None
            raise

    def publish(
        self, table: str, incoming: pd.DataFrame, *, user: str, action: str = "publish",
        file_name: str | None = None, file_sha256: str | None = None,
    ) -> PublishResult:
        """Append the new and revised rows of `incoming` as one atomic commit
        recording who, the file and its hash. Rows equal to the current view
        are not written; when nothing changed no commit is made."""
        return self.publish_all({table: incoming}, user=user, action=action, file_name=file_name,
                                file_sha256=file_sha256)[0]

    def publish_all(
        self, frames: dict[str, pd.DataFrame], *, user: str, action: str = "publish",
        file_name: str | None = None, file_sha256: str | None = None,
        previews: dict[str, pd.DataFrame] | None = None, as_of: dict[str, int] | None = None,
    ) -> list[PublishResult]:
        """Publish one file's rows for several revision tables (table ->
        incoming rows) so that they become current together or not at all:
        one commit per table that changed, all under one publish id, made
        visible by the publish record's final commit. Results in the order given.
        `previews` (table -> `diff` of exactly these rows, taken when the
        store was at `versions()` == `as_of`) spare a second diff while no
        table has moved on since."""
        known = previews if previews and as_of and as_of == self.versions() else {}
        for table in frames:
            if table not in REVISION_TABLES:
                raise TrackerError("store.not_versioned", table=table, tables=", ".join(REVISION_TABLES))
        publish_id = uuid.uuid4().hex
        published_at = pd.Timestamp(datetime.now(UTC)).as_unit("us")
        results, changes = [], {}
        for table, incoming in frames.items():
            incoming = schema.validate(table, incoming[REVISION_TABLES[table][1]].reset_index(drop=True))
            marked = known.get(table)
            if marked is None or not marked[incoming.columns].equals(incoming):  # not a preview of these rows
                marked = self.diff(table, incoming)
            counts = marked["change"].value_counts()
            added, revised, unchanged = (int(counts.get(c, 0)) for c in ("new", "revised", "unchanged"))
            rows = incoming[(marked["change"] != "unchanged").to_numpy()].copy()
            rows["published_at"], rows["published_by"], rows["publish_id"] = published_at, user, publish_id
            results.append(PublishResult(table, None, added, revised, unchanged))
            if not rows.empty:
                changes[table] = rows
        record = {"publish_id": publish_id, "tables": ",".join(changes), "published_at": published_at,
                  "published_by": user, "file_name": file_name or "", "file_sha256": file_sha256 or ""}
        if len(changes) > 1:
            self._record(record, "pending", action)
        versions = {}
        for result in results:
            if result.table in changes:
                metadata = {
                    "action": action, "user": user, "file_name": file_name or "", "file_sha256": file_sha256 or "",
                    "added": result.added, "revised": result.revised, "unchanged": result.unchanged,
                    "publish_id": publish_id,
                }
                versions[result.table] = self._commit(result.table, changes[result.table], "append", metadata)
        if len(changes) > 1:
            self._record(record, "done", action)  # from here on every table's rows are current
        return [PublishResult(r.table, versions.get(r.table), r.added, r.revised, r.unchanged) for r in results]

    def _record(self, record: dict, state: str, action: str) -> None:
        """One commit of the publish record in the given state."""
        row = pa.Table.from_pylist([{**record, "state": state}], schema=PUBLISHES_SCHEMA)
        self._commit(PUBLISHES, row, "append", {"action": action, "user": record["published_by"],
                                                 "publish_id": record["publish_id"], "state": state})

    def restore(self, table: str, version: int, *, user: str) -> int:
        """Make `version` the current state of a table again, as a new
        version; the versions in between stay in the history. Refused (no
        new version) when that version's content is what is current now."""
        if table not in TABLES:
            raise TrackerError("store.unknown_table", table=table, tables=", ".join(TABLES))
        if not self.exists(table):
            raise TrackerError("store.no_table", table=table, root=self.root)
        latest = self.version(table)
        if not 0 <= version <= latest:
            raise TrackerError("store.bad_version", table=table, version=version, latest=latest)
        if version == latest:
            raise TrackerError("store.already_current", table=table, version=version)
        if self._same_content(table, version):
            raise TrackerError("store.same_content", table=table, version=version, latest=latest)
        metadata = {"action": "restore", "user": user, "restored_from": version}
        if self.os_user:
            metadata["os_user"] = self.os_user
        properties = CommitProperties(custom_metadata={k: str(v) for k, v in metadata.items()})
        delta = self._table(table)
        try:
            delta.restore(version, commit_properties=properties)
        except READ_ERRORS as exc:
            raise self._damage(table, latest, exc) from None
        return self.version(table)

    def _same_content(self, table: str, version: int) -> bool:
        """True when `version` shows exactly what the newest version shows:
        the same data files, or the same rows of the current view."""
        then, now = self._table(table, version), self._table(table)
        if set(then.file_uris()) == set(now.file_uris()):
            return True
        columns = REVISION_TABLES[table][1] if table in REVISION_TABLES else schema.CATALOGUE_COLUMNS[table]
        frames = []
        for v in (version, None):
            frame = self.current(table, v)
            frame = frame[[c for c in columns if c in frame.columns]]
            frames.append(frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True))
        return frames[0].shape == frames[1].shape and frames[0].equals(frames[1])

    # -- history -----------------------------------------------------------
    def history(self, tables: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Every commit of the given tables (default: the revision tables),
        newest first: table, version, when, and the commit metadata."""
        rows = []
        for table in tables or tuple(REVISION_TABLES):
            if not self.exists(table):
                continue
            delta = self._table(table)
            try:
                commits = delta.history()
            except READ_ERRORS as exc:
                raise self._damage(table, delta.version(), exc) from None
            for commit in commits:
                row = {
                    "table": table,
                    "version": int(commit["version"]),
                    "timestamp": pd.Timestamp(commit["timestamp"], unit="ms", tz="UTC"),
                }
                for field in HISTORY_FIELDS:
                    value = commit.get(field)
                    if isinstance(value, str) and field in ("added", "revised", "unchanged", "restored_from"):
                        value = int(json.loads(value)) if value else None
                    row[field] = value
                if row["action"] is None:  # a commit not made through this module
                    row["action"] = "create" if commit.get("operation") == "CREATE TABLE" else commit.get("operation")
                rows.append(row)
        columns = ["table", "version", "timestamp"] + HISTORY_FIELDS
        frame = pd.DataFrame(rows, columns=columns)
        for count in ("added", "revised", "unchanged", "restored_from"):
            frame[count] = pd.to_numeric(frame[count]).astype("Int64")
        return frame.sort_values(
            ["timestamp", "table", "version"], ascending=False, kind="stable"
        ).reset_index(drop=True)

    # -- damage -------------------------------------------------------------
    def check(self) -> list[StoreDamaged]:
        """Every table's log files and data files read in full: one
        StoreDamaged per damaged table (none when the store is sound).
        Object-store roots are checked through Delta's own reading."""
        found = []
        for table in TABLES + (PUBLISHES,):
            if self.is_local and not os.path.isdir(os.path.join(self.uri(table), "_delta_log")):
                continue
            if not self.is_local and not self.exists(table):
                continue
            damage = self.diagnose(table)
            if damage is None:
                try:  # what the views read: every row of every data file through Delta
                    self._table(table).to_pyarrow_table()
                except StoreDamaged as exc:
                    damage = exc
                except READ_ERRORS as exc:
                    damage = StoreDamaged(table, None, "unreadable", detail=store_check.first_line(exc))
            if damage is not None:
                found.append(damage)
        return found

    def diagnose(self, table: str) -> StoreDamaged | None:
        """What is wrong with a local table's files, if anything: its log
        read in full, then every data file it lists (tracker.store_check)."""
        return store_check.diagnose(table, self.uri(table), self.storage_options) if self.is_local else None

    def _damage(self, table: str, version: int | None, exc: BaseException) -> StoreDamaged:
        """The damage behind a Delta or Arrow failure, named as precisely as the files allow."""
        return self.diagnose(table) or StoreDamaged(table, version, "unreadable", detail=store_check.first_line(exc))

    def _open_damage(self, table: str, delta: DeltaTable | None = None) -> StoreDamaged | None:
        """The damage cheap enough to look for at every open of a local
        table: its newest log file, and (given the open table) whether each
        data file it lists is there with a Parquet footer."""
        folder = self.uri(table)
        damage = store_check.log_damage(table, folder, deep=False)
        if damage is None and delta is not None:
            damage = store_check.files_damage(table, folder, delta, read=False)
        return damage

    # -- uploaded files ----------------------------------------------------
    def archive(self, data: bytes, file_name: str) -> str:
        """Keep an uploaded file beside the store, named by its hash; returns
        where it was written (local stores only)."""
        digest = sha256_of(data)
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in Path(file_name).name)[-120:]
        if not self.is_local:
            return ""
        folder = Path(self.root) / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest[:16]}_{safe}"
        if not path.exists():
            write_atomic(path, data)
        return str(path)


def _where_condition(where: dict[str, list]) -> pc.Expression | None:
    """The scan filter keeping rows whose columns hold one of the given values (None: every row)."""
    condition = None
    for column, values in where.items():
        term = pc.field(column).isin(pa.array(values, type=schema.arrow_schema([column]).field(0).type))
        condition = term if condition is None else condition & term
    return condition


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty frame with the stored types of these columns."""
    return schema.arrow_schema(columns).empty_table().to_pandas()
