"""Another engine reading the store as it is: Daft (`daft.read_deltalake`,
an engine that runs locally or on a Ray cluster) reads a table's Delta log
and Parquet files, and computes the current view the product shows (the
newest `published_at` of each key, as `Store.current` does).

    python -m benchmarks.engines --store PATH [--runs 3] [--json OUT]

Prints the seconds to the current view of `observations` (all of it, then
one province's) and how many figures it holds."""

from __future__ import annotations

import argparse
from pathlib import Path

import daft
from daft import col
from deltalake import DeltaTable

from benchmarks.common import emit, line, peak_rss_mb, summary, timed
from tracker import schema, settings
from tracker.store import PUBLISHES, Store


def unfinished_publishes(table_uri: str) -> list[str]:
    """The ids of publishes recorded as pending and never as done, read by
    Daft from the store's `publishes` table beside `table_uri` (as
    `Store.unfinished_publishes` does): their rows are in no view. The
    record is one row per publish, so it is small enough to collect."""
    record = f"{table_uri.rstrip('/').rsplit('/', 1)[0]}/{PUBLISHES}"
    if not DeltaTable.is_deltatable(record):
        return []
    states = daft.read_deltalake(record).select("publish_id", "state").to_pydict()
    pairs = list(zip(states["publish_id"], states["state"], strict=True))
    return sorted({p for p, s in pairs if s == "pending"} - {p for p, s in pairs if s == "done"})


def current_view(table_uri: str, where: dict[str, list] | None = None) -> daft.DataFrame:
    """The current view of a revision table read by Daft, as `Store.current`
    computes it: leaving out the rows of unfinished publishes, each key's
    newest revision; `where` keeps the keys whose columns hold one of the
    values (pushed down to the scan). A group-by on the key (newest
    `published_at`) joined back to the rows, rather than a window function:
    the window sorted whole partitions and did not finish on the 1M store
    in ten minutes (14 GB). Key columns are never empty (schema.validate),
    so the join on them loses no row."""
    rows = daft.read_deltalake(table_uri)
    for column, values in (where or {}).items():
        rows = rows.where(col(column).is_in(list(values)))
    unfinished = unfinished_publishes(table_uri)
    if unfinished:
        rows = rows.where(col("publish_id").is_null() | ~col("publish_id").is_in(unfinished))
    key = schema.OBSERVATION_KEY
    newest = rows.groupby(*key).agg(col("published_at").max().alias("_newest"))
    return rows.join(newest, on=key).where(col("published_at") == col("_newest")).exclude("_newest")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    store = Store(args.store)
    uri, home = store.uri("observations"), settings.home_area(store.current("areas"))
    figures = {}

    def whole():
        figures["all"] = current_view(uri).count_rows()

    def province():
        figures["province"] = current_view(uri, {"area_id": [home]}).count_rows()

    result = {"store": str(Path(args.store)), "daft": daft.__version__}
    for name, action in (("all", whole), ("province", province)):
        result[name] = summary(timed(action, args.runs))
        print(line(f"Daft: current view of observations ({name}: {figures[name]:,} figures)", result[name]))
    result["figures"] = figures
    result["peak_rss_mb"] = round(peak_rss_mb())
    emit(result, args.json)


if __name__ == "__main__":
    main()
