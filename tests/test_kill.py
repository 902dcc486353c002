"""A process killed (SIGKILL) in the middle of a publish leaves the store
readable at its previous version, never half-written, and the next publish
works (issue 4 item 7).

The child is stopped inside the write: its data files are being written
(some already on disk) and the commit that would make them visible is not.
Processes start with the spawn method: deltalake's runtime does not survive fork."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from tracker import schema
from tracker.store import Store

PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "9M", "M01", "M02", "M04", "M05")


def made_up_figures(indicator_ids: list[str], years: range, label: str) -> pd.DataFrame:
    """Many figures made up for this test (years far in the future); their
    notes are random so that the rows do not compress and the writer has to
    put several files on disk."""
    rng = np.random.default_rng(len(indicator_ids) * 1000 + years.start)
    rows = [
        {"indicator_id": i, "area_id": "VN-09", "year": year, "period": period, "kind": kind,
         "value": float(year + n), "low": None, "high": None, "qualifier": "exact", "pct_of_plan": None,
         "yoy_pct": None, "source": f"test {label}", "note": "test " + rng.bytes(200).hex()}
        for n, i in enumerate(indicator_ids) for year in years for period in PERIODS for kind in ("actual", "estimate")
    ]
    return pd.DataFrame(rows)[schema.OBSERVATION_COLUMNS].astype({c: "float64" for c in schema.OBSERVATION_NUMBERS})


def stalled_publish(root: str, frame: pd.DataFrame, marker: str) -> None:
    """Run in a spawned process: publish `frame`, handing its rows to the
    Delta writer batch by batch, and stall forever (after touching `marker`)
    as soon as the writer has put some data files on disk, with rows still
    to come and no commit made."""
    import tracker.store as store_module

    real_write = store_module.write_deltalake
    table_dir = Path(root) / "observations"
    existing = data_files(table_dir)

    def write_part_then_stall(uri, data, **kwargs):
        batches = data.to_batches(max_chunksize=2000)

        def stream():
            for batch in batches:
                if data_files(table_dir) - existing:
                    Path(marker).write_text("stalled")
                    time.sleep(3600)
                yield batch

        reader = pa.RecordBatchReader.from_batches(data.schema, stream())
        return real_write(uri, reader, target_file_size=32 * 1024, **kwargs)

    store_module.write_deltalake = write_part_then_stall
    Store(root).publish("observations", frame, user="killed", file_name="killed.xlsx")


def data_files(table_dir: Path) -> set[str]:
    return {p.name for p in table_dir.glob("*.parquet")}


def test_kill_during_publish_leaves_the_previous_version(fresh_store, tmp_path):
    store = fresh_store
    version = store.version("observations")
    before = store.current("observations")
    all_rows_before = store.read("observations")
    files_before = data_files(Path(store.root) / "observations")
    ids = store.current("indicators")["indicator_id"].tolist()[:20]
    frame = made_up_figures(ids, range(2040, 2100), "killed")  # 20 × 60 × 10 × 2 = 24 000 rows, about 10 MB
    marker = tmp_path / "stalled"

    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=stalled_publish, args=(store.root, frame, str(marker)))
    child.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.is_alive(), "the publish ended before any data file was on disk: make the frame larger"
        assert time.monotonic() < deadline, "the child never reached the write"
        time.sleep(0.1)
    half_written = data_files(Path(store.root) / "observations") - files_before
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    assert half_written  # the kill landed with part of the rows written

    # The store reads at its previous version, row for row; the orphan files are invisible.
    reopened = Store(store.root)
    assert reopened.version("observations") == version
    pd.testing.assert_frame_equal(reopened.current("observations"), before)
    pd.testing.assert_frame_equal(reopened.read("observations"), all_rows_before)
    assert "killed" not in set(reopened.read("observations")["published_by"])
    assert reopened.history(("observations",))["version"].max() == version

    # The next publish works and shows exactly its rows on top of the old ones.
    result = reopened.publish("observations", frame, user="after", file_name="again.xlsx")
    assert (result.version, result.added, result.revised) == (version + 1, len(frame), 0)
    expected = pd.concat([before[schema.OBSERVATION_COLUMNS], frame], ignore_index=True)
    expected = expected.sort_values(schema.OBSERVATION_KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        reopened.current("observations")[schema.OBSERVATION_COLUMNS], expected, check_dtype=False,
    )
    assert len(reopened.read("observations")) == len(all_rows_before) + len(frame)


def publish_many(root: str, frames: list[pd.DataFrame]) -> None:
    """Run in a spawned process: publish the frames one after the other."""
    store = Store(root)
    for n, frame in enumerate(frames):
        store.publish("observations", frame, user="looping", file_name=f"loop_{n}.csv")


def test_kill_at_an_arbitrary_moment_never_leaves_half_a_publish(fresh_store):
    """Unpatched publishes killed after a delay: every version that exists
    holds whole publishes only."""
    store = fresh_store
    version = store.version("observations")
    rows_before = len(store.read("observations"))
    ids = store.current("indicators")["indicator_id"].tolist()
    frames = [made_up_figures(ids[n * 5:(n + 1) * 5], range(2070, 2080), f"loop {n}") for n in range(6)]
    sizes = [len(f) for f in frames]

    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=publish_many, args=(store.root, frames))
    child.start()
    deadline = time.monotonic() + 120
    while Store(store.root).version("observations") == version and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # somewhere inside a later publish, or after the last one
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)

    reopened = Store(store.root)
    landed = reopened.version("observations") - version
    assert 1 <= landed <= len(frames)
    for n in range(landed + 1):  # every version holds exactly the first n publishes
        rows = reopened.read("observations", version + n)
        assert len(rows) == rows_before + sum(sizes[:n])
    result = reopened.publish("observations", frames[-1].assign(note="after the kill"), user="after")
    assert result.version == version + landed + 1
