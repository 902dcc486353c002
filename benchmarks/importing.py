"""Import of a 100,000-row template workbook into a copy of a synthetic
store: reading, validation and preview (loaders.upload.prepare), then
publish (loaders.upload.publish); and the same file read by pandas with
engine="openpyxl", the baseline, and its figures sheet merely read by
fastexcel (one view, the floor), each reported as a ratio.

    python -m benchmarks.importing [--store PATH] [--rows 100000] [--runs 3] [--json FILE]

The workbook is the project's own template (loaders.template) with its
figures sheet filled by xlsxwriter: synthetic rows (source "SYNTHETIC
benchmark data — not real figures"), values written as analysts write them
("1.437,4"): a tenth revise figures of the store, a tenth repeat them
unchanged, the rest are new (year 2026). It is kept in benchmarks/out/.
The upload's row limit (PLAN_UPLOAD_MAX_ROWS, default 50,000) is raised
for the run: a 100,000-row sheet is over the product's default limit."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

import fastexcel
import numpy as np
import pandas as pd

from benchmarks.common import OUT, emit, line, peak_rss_mb, store_root, summary, timed

GOALS = {"prepare": 1.5, "publish": 1.0, "speedup": 5.0, "floor_ratio": 3.0}
SHEET = "so_lieu"  # the template's figures sheet
NEW_YEAR = 2026
USER = "benchmark"


def figure_text(value: float, decimals: int) -> str:
    """A number as a Vietnamese analyst writes it: "1.437,4"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rows_for(store, count: int, seed: int = 7) -> pd.DataFrame:
    """`count` template rows for the store: 10% revise a stored figure, 10%
    repeat one unchanged, 80% are new figures of NEW_YEAR."""
    from benchmarks import scale

    rng = np.random.default_rng(seed)
    current = store.current("observations")
    exact = current[(current["qualifier"] == "exact") & current["value"].notna()]
    catalogue = store.current("indicators").set_index("indicator_id")
    decimals = catalogue["decimals"].astype(int)
    shares = set(catalogue.index[(catalogue["unit_vi"] == "%") & (catalogue["measure"] == "level")])
    repeated = exact.sample(n=count // 5, random_state=seed).reset_index(drop=True)
    revised = np.arange(len(repeated)) % 2 == 0
    old = repeated["value"].to_numpy()
    repeated["value"] = np.where(revised, np.where(old >= 1, old - 1, old + 1), old)  # shares stay within 0-100
    new = exact[exact["year"] == exact["year"].max()].drop_duplicates(
        ["indicator_id", "area_id", "period", "kind"]).head(count - len(repeated)).assign(year=NEW_YEAR)
    if len(new) < count - len(repeated):
        raise SystemExit(f"the store has too few figures for {count:,} rows")
    growth = np.where(new["indicator_id"].isin(shares), 1.0, rng.uniform(1.0, 1.1, len(new)))
    new = new.assign(value=new["value"] * growth)
    frame = pd.concat([repeated, new], ignore_index=True)
    digits = frame["indicator_id"].map(decimals).to_numpy()
    frame["value"] = np.round(frame["value"].to_numpy() * 10.0 ** digits) / 10.0 ** digits
    frame["value_text"] = [figure_text(v, int(d)) for v, d in zip(frame["value"], digits, strict=True)]
    frame["source"] = scale.SOURCE
    frame["note"] = np.where(frame["year"] == NEW_YEAR, scale.NOTE + " (import benchmark)", frame["note"])
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def workbook(store, count: int) -> bytes:
    """The template workbook of `store`, its figures sheet filled with
    `count` synthetic rows."""
    from loaders import template

    rows = rows_for(store, count)
    data_sheet = template._data_sheet

    def filled(sheet, formats, names, lang):
        data_sheet(sheet, formats, names, lang)
        col = template.DATA_COLUMNS.index
        for r, row in enumerate(rows.itertuples(index=False), start=1):
            sheet.write_string(r, col("indicator_id"), row.indicator_id)
            sheet.write_string(r, col("area_id"), row.area_id)
            sheet.write_number(r, col("year"), int(row.year))
            sheet.write_string(r, col("period"), row.period)
            sheet.write_string(r, col("kind"), row.kind)
            sheet.write_string(r, col("value"), row.value_text)
            sheet.write_string(r, col("source"), row.source)
            sheet.write_string(r, col("note"), row.note)

    with mock.patch.object(template, "_data_sheet", filled):
        return template.template_bytes(store)


def cached_workbook(store, root: Path, count: int, folder: Path = OUT) -> tuple[bytes, Path]:
    """The benchmark workbook for this store, made once and kept in `folder`."""
    path = folder / f"import-{count}-{root.name}.xlsx"
    if not path.exists() or path.stat().st_mtime < (root / "SYNTHETIC.json").stat().st_mtime:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(workbook(store, count))
    return path.read_bytes(), path


def measure(root: Path, count: int, runs: int, baseline_runs: int, folder: Path = OUT) -> dict:
    """Timings of prepare, publish and the openpyxl read of a `count`-row
    workbook, on private copies of the store at `root`."""
    from loaders import upload
    from tracker.store import Store

    data, path = cached_workbook(Store(root), root, count, folder)
    limit = upload.Limits(max_file_bytes=200 * 2**20, max_unpacked_bytes=2000 * 2**20, max_rows=count + 1000)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        copy = work / "store"
        shutil.copytree(root, copy)
        store = Store(copy)
        prepared = {}

        def prepare():
            prepared["p"] = upload.prepare(store, data, path.name, limit=limit)

        prepare()  # untimed: imports and the first catalogue read
        first = prepared["p"]
        if not first.ok:
            raise SystemExit(f"the benchmark workbook did not pass: {upload.problems_frame(first.problems[:5])}")
        counts = first.previews["observations"]["change"].value_counts().to_dict()
        read_times = timed(lambda: upload.read_grids(data, path.name, limit), runs)
        prepare_times = timed(prepare, runs)

        def fresh_copy():
            shutil.rmtree(copy)
            shutil.copytree(root, copy)

        published = {}
        publish_times = timed(lambda: published.update(r=upload.publish(store, prepared["p"], USER)), runs,
                              setup=fresh_copy)
        result = published["r"][0]
        floor = timed(lambda: fastexcel.read_excel(data).load_sheet(SHEET).to_arrow(), runs)
        baseline = timed(lambda: pd.read_excel(io.BytesIO(data), sheet_name=SHEET, engine="openpyxl"),
                         baseline_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {
        "store": str(root), "workbook": str(path), "rows": count, "bytes": len(data), "preview": counts,
        "published": {"added": result.added, "revised": result.revised, "unchanged": result.unchanged},
        "read": summary(read_times), "prepare": summary(prepare_times), "publish": summary(publish_times),
        "fastexcel": summary(floor), "openpyxl": summary(baseline), "peak_rss_mb": round(peak_rss_mb()),
    }
    out["speedup"] = out["openpyxl"]["median"] / out["prepare"]["median"]
    out["floor_ratio"] = out["prepare"]["median"] / out["fastexcel"]["median"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.importing", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="a synthetic store (default: the 1M one)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    root = args.store or store_root("1m")
    r = measure(root, args.rows, args.runs, args.baseline_runs)
    print(f"{r['rows']:,}-row workbook ({r['bytes'] / 2**20:.1f} MB) into a copy of {root}: preview {r['preview']}")
    print(line("read the workbook (fastexcel/calamine)", r["read"]))
    print(line("read + validate + preview (upload.prepare)", r["prepare"], GOALS["prepare"]))
    print(line("publish (upload.publish)", r["publish"], GOALS["publish"]))
    print(line("floor: fastexcel merely reading the figures sheet", r["fastexcel"]))
    print(line("baseline: pandas.read_excel(engine='openpyxl')", r["openpyxl"]))
    verdict = "ok" if r["speedup"] >= GOALS["speedup"] else "MISSED"
    print(f"prepare is {r['speedup']:.1f}x faster than the openpyxl read (goal {GOALS['speedup']}x: {verdict})")
    verdict = "ok" if r["floor_ratio"] <= GOALS["floor_ratio"] else "MISSED"
    print(f"prepare takes {r['floor_ratio']:.1f}x the fastexcel read (goal {GOALS['floor_ratio']}x: {verdict})")
    print(f"peak RSS {r['peak_rss_mb']:,} MB")
    emit(r, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
