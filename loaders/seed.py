"""Seed files in `data/` -> the store. One `run()`: load the CSVs, check them,
write the catalogue tables and publish the transcribed figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tracker import schema
from tracker.errors import TrackerError
from tracker.store import REPO_ROOT, PublishResult, Store

DATA_DIR = REPO_ROOT / "data"
BUILD_USER = "build"


@dataclass(frozen=True)
class BuildResult:
    catalogue: dict[str, int]
    observations: PublishResult


def read_csv(path: Path) -> pd.DataFrame:
    """A seed CSV with empty cells as missing and ids kept as text."""
    if not path.exists():
        raise TrackerError("seed.missing_file", path=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def load_catalogue(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Every catalogue table from its seed CSV, typed as the store keeps it."""
    tables = {}
    for table, columns in schema.CATALOGUE_COLUMNS.items():
        frame = read_csv(data_dir / f"{table}.csv")[columns]
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


def load_observations(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every transcribed figure, in the tidy contract's columns (the seed
    files' extra `section` column stays in the seed files)."""
    frames = [read_csv(path) for path in sorted((data_dir / "observations").glob("*.csv"))]
    frame = pd.concat(frames, ignore_index=True)[schema.OBSERVATION_COLUMNS]
    for column in schema.OBSERVATION_NUMBERS:
        frame[column] = pd.to_numeric(frame[column])
    frame["year"] = pd.to_numeric(frame["year"]).astype("int64")
    return frame


def run(store: Store, data_dir: Path = DATA_DIR, user: str = BUILD_USER) -> BuildResult:
    """Build (or bring up to date) the store from the seed files. Catalogue
    tables are replaced; seed figures are published like an upload, so a
    rebuild adds only what changed and never drops an analyst's figure."""
    # Load everything first: a broken seed file changes nothing.
    catalogue = load_catalogue(data_dir)
    observations = schema.validate("observations", load_observations(data_dir))
    for table in ("indicators",):
        schema.validate(table, catalogue[table])

    versions = {table: store.replace(table, frame, user=user) for table, frame in catalogue.items()}
    published = store.publish("observations", observations, user=user, action="build", file_name="data/observations")
    return BuildResult(versions, published)
