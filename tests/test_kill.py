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
import pytest

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
    as soon as the writer has put some data files on disk, before any
    commit (as a rule with rows still to come).

    The writer takes several batches before it flushes a file, on a thread
    of its own, so the file may show only after the last batch was handed
    over: the stream then waits for it instead of ending, and the writer
    cannot commit before the stall."""
    import tracker.store as store_module

    real_write = store_module.write_deltalake
    table_dir = Path(root) / "observations"
    existing = data_files(table_dir)

    def stall_once_a_file_is_written(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            if data_files(table_dir) - existing:
                Path(marker).write_text("stalled")
                time.sleep(3600)
            if time.monotonic() >= deadline:
                return
            time.sleep(0.05)

    def write_part_then_stall(uri, data, **kwargs):
        batches = data.to_batches(max_chunksize=2000)

        def stream():
            for batch in batches:
                stall_once_a_file_is_written(seconds=0)
                yield batch
            stall_once_a_file_is_written(seconds=60)

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


# -- one publish across tables (issue 11 item 7) ----------------------------------------------
def made_up_reports(store: Store, years: range) -> pd.DataFrame:
    """One report per task of the border plan for each year (years far in the future)."""
    tasks = store.current("tasks")[["task_id", "agency_id"]]
    frame = pd.concat([tasks.assign(year=year) for year in years], ignore_index=True)
    return frame.assign(status="in_progress", summary="test report",
                        reported_on=pd.Timestamp("2024-11-01"))[schema.TASK_REPORT_COLUMNS]


def publish_both_stalling_between(root: str, figures: pd.DataFrame, reports: pd.DataFrame, marker: str) -> None:
    """Run in a spawned process: publish figures and task reports as one
    file, stalling forever once the figures are committed and before the
    task reports are."""
    store = Store(root)
    real_commit = store._commit

    def commit_then_stall(table, frame, mode, metadata):
        if table == "task_reports":
            Path(marker).write_text("stalled")
            time.sleep(3600)
        return real_commit(table, frame, mode, metadata)

    store._commit = commit_then_stall
    store.publish_all({"observations": figures, "task_reports": reports}, user="killed", file_name="both.xlsx")


def test_kill_between_the_tables_publishes_neither(fresh_store, tmp_path):
    store = fresh_store
    before_figures, before_reports = store.current("observations"), store.current("task_reports")
    ids = store.current("indicators")["indicator_id"].tolist()[:3]
    figures = made_up_figures(ids, range(2040, 2045), "both")
    reports = made_up_reports(store, range(2040, 2042))
    marker = tmp_path / "stalled"

    child = multiprocessing.get_context("spawn").Process(
        target=publish_both_stalling_between, args=(store.root, figures, reports, str(marker)))
    child.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.is_alive() and time.monotonic() < deadline
        time.sleep(0.1)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)

    reopened = Store(store.root)
    # The figures' commit landed, yet none of its rows is visible: its publish never finished.
    assert "killed" in set(reopened.history(("observations",))["user"])
    assert len(reopened.unfinished_publishes()) == 1
    pd.testing.assert_frame_equal(reopened.current("observations"), before_figures)
    pd.testing.assert_frame_equal(reopened.current("task_reports"), before_reports)
    assert "killed" not in set(reopened.read("observations")["published_by"])
    assert reopened.check() == []

    # Publishing the same file again lands all of it: nothing is taken as already there.
    results = reopened.publish_all({"observations": figures, "task_reports": reports}, user="after")
    assert [(r.table, r.added, r.unchanged) for r in results] == [
        ("observations", len(figures), 0), ("task_reports", len(reports), 0)]
    assert len(reopened.current("observations")) == len(before_figures) + len(figures)
    assert len(reopened.current("task_reports")) == len(before_reports) + len(reports)


def publish_both_many(root: str, pairs: list[tuple[pd.DataFrame, pd.DataFrame]]) -> None:
    """Run in a spawned process: publish each (figures, task reports) file in turn."""
    store = Store(root)
    for n, (figures, reports) in enumerate(pairs):
        store.publish_all({"observations": figures, "task_reports": reports}, user="looping", file_name=f"{n}.xlsx")


def visible_publishes(store: Store, table: str) -> set[str]:
    rows = store.read(table)
    return set(rows.loc[rows["published_by"] == "looping", "publish_id"])


@pytest.mark.parametrize("delay", [0.2, 0.9, 1.7])
def test_kill_at_any_moment_leaves_whole_files(fresh_store, delay):
    """Unpatched two-table publishes killed after a delay: every file's
    figures are visible exactly when its task reports are."""
    store = fresh_store
    ids = store.current("indicators")["indicator_id"].tolist()
    pairs = [(made_up_figures(ids[n * 3:(n + 1) * 3], range(2070, 2074), f"pair {n}"),
              made_up_reports(store, range(2070 + n * 2, 2072 + n * 2))) for n in range(8)]
    child = multiprocessing.get_context("spawn").Process(target=publish_both_many, args=(store.root, pairs))
    child.start()
    deadline = time.monotonic() + 120
    while not Store(store.root).exists("publishes") and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)

    reopened = Store(store.root)
    assert visible_publishes(reopened, "observations") == visible_publishes(reopened, "task_reports")
    assert reopened.check() == []
