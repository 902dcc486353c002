"""Seed files in `data/` -> the store. One `run()`: load the CSVs, check them,
write the catalogue tables and publish the transcribed figures.

Figure files (`data/observations/*.csv`) hold the SPEC §3 columns and may
add three more the loader understands:
- `source_url`, `reliability` (official, press, translation): one per
  `source`; they become the `sources` table, so every figure's source links
  to where it was read;
- `standing` (current, alternative): where two sources print different
  figures for one key, the less reliable one is `alternative`.
One key may appear in several files and, as alternatives, several times in
one file. Its rows are published as successive revisions, oldest first:
files in name order, and within a file the alternatives before the current
row; so the current view shows the last file's current row and the history
keeps every other figure, with its source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tracker import orgs, schema, settings
from tracker.errors import TrackerError
from tracker.store import PublishResult, Store

BUILD_USER = "build"
STANDINGS = ("current", "alternative")
SOURCE_COLUMNS = ["source_url", "reliability"]


@dataclass(frozen=True)
class BuildResult:
    catalogue: dict[str, int]
    observations: PublishResult


def read_csv(path: Path) -> pd.DataFrame:
    """A seed CSV with empty cells as missing and ids kept as text."""
    if not path.exists():
        raise TrackerError("seed.missing_file", path=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def load_catalogue(data_dir: Path | None = None, figures: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every catalogue table from its seed CSV (in the `data_dir` setting by
    default), typed as the store keeps it (`sources` from the figure files'
    source_url and reliability; `figures`: those files as read_figures
    returned them, else they are read)."""
    data_dir = _data_dir(data_dir)
    tables = {}
    for table, columns in schema.CATALOGUE_COLUMNS.items():
        if table == "sources":
            tables[table] = load_sources(data_dir, figures)
            continue
        path = data_dir / f"{table}.csv"
        if table in schema.OPTIONAL_TABLES and not path.exists():
            tables[table] = pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
            continue
        frame = read_csv(path)
        for column in schema.OPTIONAL_COLUMNS & set(columns) - set(frame.columns):
            frame[column] = pd.NA
        frame = frame[columns]
        for column in columns:
            arrow_type = schema.arrow_schema([column]).field(0).type
            if str(arrow_type) == "int64":
                frame[column] = pd.to_numeric(frame[column]).astype("Int64")
            elif str(arrow_type) == "double":
                frame[column] = pd.to_numeric(frame[column]).astype("float64")
            elif str(arrow_type) == "bool":
                frame[column] = frame[column].str.lower().map({"true": True, "false": False})
        tables[table] = frame
    return tables


def check_times(catalogue: dict[str, pd.DataFrame]) -> None:
    """Refuse a catalogue whose validity periods overlap or leave a gap, or
    whose tasks cannot be followed through a split (SPEC §11)."""
    orgs.check_periods(catalogue["agencies"], "agency_id", "agencies")
    orgs.check_periods(catalogue["areas"], "area_id", "areas")
    orgs.Bodies.of(catalogue["agencies"], catalogue["tasks"], catalogue["task_successions"]).check()


def _data_dir(data_dir: Path | str | None) -> Path:
    """`data_dir`, or the `data_dir` setting when none is given."""
    return Path(data_dir or settings.get("data_dir"))


def read_figures(data_dir: Path | None = None) -> pd.DataFrame:
    """Every row of every figure file, in file-name order, with its file's
    rank and its standing (current where the file does not say)."""
    data_dir = _data_dir(data_dir)
    frames = []
    for rank, path in enumerate(sorted((data_dir / "observations").glob("*.csv"))):
        frame = read_csv(path)
        frame["standing"] = frame["standing"].fillna("current") if "standing" in frame else "current"
        bad = sorted(set(frame["standing"]) - set(STANDINGS))
        if bad:
            raise TrackerError("seed.bad_standing", path=path.name, value=", ".join(bad))
        current = frame[frame["standing"] == "current"]
        twice = current[current.duplicated(schema.OBSERVATION_KEY, keep=False)]
        if not twice.empty:
            raise TrackerError("seed.two_current", path=path.name, figure=" ".join(twice.iloc[0][schema.OBSERVATION_KEY]))
        frames.append(frame.assign(_file=rank, _file_name=path.name))
    return pd.concat(frames, ignore_index=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[schema.OBSERVATION_COLUMNS].copy()
    for column in schema.OBSERVATION_NUMBERS:
        frame[column] = pd.to_numeric(frame[column])
    frame["year"] = pd.to_numeric(frame["year"]).astype("int64")
    return frame.reset_index(drop=True)


def load_revisions(data_dir: Path | None = None, figures: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """The seed figures as successive revisions, oldest first: the first
    frame holds every key's oldest row, each next frame the next row of the
    keys that have one (see the module docstring for the order).
    `figures`: the figure files as read_figures returned them, else they are read."""
    rows = read_figures(data_dir) if figures is None else figures
    rows = rows.assign(_late=(rows["standing"] == "current").astype(int))
    rows = rows.sort_values(["_file", "_late"], kind="stable")
    rows["_layer"] = rows.groupby(schema.OBSERVATION_KEY, sort=False).cumcount()
    return [_typed(rows[rows["_layer"] == layer]) for layer in range(int(rows["_layer"].max()) + 1)]


def load_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The seed figures as the store's current view will show them: the
    newest revision of every key, in the tidy contract's columns (extra
    seed columns such as `section` stay in the seed files)."""
    layers = load_revisions(data_dir)
    frame = pd.concat(layers[::-1], ignore_index=True).drop_duplicates(schema.OBSERVATION_KEY, keep="first")
    return frame.reset_index(drop=True)


def load_sources(data_dir: Path | None = None, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source that a figure file links (source, source_url,
    reliability); a source given two links or two classes is an error.
    `figures`: the figure files as read_figures returned them, else they are read."""
    rows = read_figures(data_dir) if figures is None else figures
    rows = rows.assign(**{column: pd.NA for column in SOURCE_COLUMNS if column not in rows})
    rows = rows.dropna(subset=SOURCE_COLUMNS, how="all")[["source"] + SOURCE_COLUMNS].drop_duplicates()
    bad = sorted(set(rows["reliability"].dropna()) - set(schema.RELIABILITY))
    if bad:
        raise TrackerError("seed.bad_reliability", value=", ".join(bad), allowed=", ".join(schema.RELIABILITY))
    twice = rows[rows.duplicated("source", keep=False)]
    if not twice.empty:
        raise TrackerError("seed.source_twice", source=twice.iloc[0]["source"])
    return rows.sort_values("source").reset_index(drop=True)


def run(store: Store, data_dir: Path | None = None, user: str = BUILD_USER) -> BuildResult:
    """Build (or bring up to date) the store from the seed files. Catalogue
    tables are replaced; seed figures are published like an upload, so a
    rebuild adds only what changed and never drops an analyst's figure."""
    # Load everything first: a broken seed file changes nothing. The figure files are read once.
    figures = read_figures(data_dir)
    catalogue = load_catalogue(data_dir, figures)
    layers = [schema.validate("observations", layer) for layer in load_revisions(data_dir, figures)]
    for table in ("indicators",):
        schema.validate(table, catalogue[table])
    check_times(catalogue)

    versions = {table: store.replace(table, frame, user=user) for table, frame in catalogue.items()}
    return BuildResult(versions, _publish_layers(store, layers, user))


def _publish_layers(store: Store, layers: list[pd.DataFrame], user: str) -> PublishResult:
    """Publish the revision layers oldest first, one commit each. A key whose
    newest seed row is already current is left alone, so a rebuild neither
    replays its older revisions nor adds anything."""
    key = schema.OBSERVATION_KEY
    newest = pd.concat(layers[::-1], ignore_index=True).drop_duplicates(key, keep="first")
    settled = store.diff("observations", newest)
    settled = settled.loc[settled["change"] == "unchanged", key]
    results = []
    for layer in layers:
        layer = layer[layer.merge(settled, on=key, how="left", indicator=True)["_merge"].eq("left_only").to_numpy()]
        if not layer.empty:
            results.append(store.publish("observations", layer, user=user, action="build",
                                         file_name="data/observations"))
    versions = [r.version for r in results if r.version is not None]
    return PublishResult(
        "observations", versions[-1] if versions else None,
        added=sum(r.added for r in results), revised=sum(r.revised for r in results),
        unchanged=len(settled) + sum(r.unchanged for r in results),
    )
