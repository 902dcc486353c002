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
from daft import Window, col

from benchmarks.common import emit, line, peak_rss_mb, summary, timed
from tracker import schema, settings
from tracker.store import Store


def current_view(table_uri: str, where: dict[str, list] | None = None) -> daft.DataFrame:
    """The current view of a revision table read by Daft: each key's newest
    revision; `where` keeps the keys whose columns hold one of the values
    (pushed down to the scan)."""
    rows = daft.read_deltalake(table_uri)
    for column, values in (where or {}).items():
        rows = rows.where(col(column).is_in(list(values)))
    newest = Window().partition_by(*schema.OBSERVATION_KEY).order_by("published_at", desc=True)
    return rows.with_column("_n", daft.functions.row_number().over(newest)).where(col("_n") == 1).exclude("_n")


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
