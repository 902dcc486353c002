"""Two processes publishing different files to one store at the same moment:
each publish lands or is refused with a clear error, and the store then
reads every figure of every publish that landed (SPEC §6, issue 4 item 7).

Processes start with the spawn method: deltalake's runtime does not survive fork."""

from __future__ import annotations

import multiprocessing

import pandas as pd

from tracker import schema
from tracker.errors import TrackerError
from tracker.store import Store

ROUNDS = 3  # publishes per process; each round starts both at once


def made_up_figures(indicator_ids: list[str], year: int, label: str) -> pd.DataFrame:
    """Figures made up for this test (year far in the future, note 'test')."""
    rows = [
        {"indicator_id": i, "area_id": "VN-09", "year": year, "period": period, "kind": "actual",
         "value": float(n), "low": None, "high": None, "qualifier": "exact", "pct_of_plan": None,
         "yoy_pct": None, "source": f"test {label}", "note": "test"}
        for n, (i, period) in enumerate((i, p) for i in indicator_ids for p in ("Q1", "Q2", "H1"))
    ]
    return pd.DataFrame(rows)[schema.OBSERVATION_COLUMNS].astype({c: "float64" for c in schema.OBSERVATION_NUMBERS})


def publish_in_child(root: str, frames: list[pd.DataFrame], user: str, barrier, results) -> None:
    """Run in a spawned process: publish each frame once every process is ready."""
    store = Store(root)
    for round_, frame in enumerate(frames):
        barrier.wait(timeout=120)
        try:
            result = store.publish("observations", frame, user=user, file_name=f"{user}_{round_}.csv")
            results.put((user, round_, "ok", result.version, result.added))
        except TrackerError as exc:
            results.put((user, round_, exc.key, exc.message("en"), 0))


def test_two_processes_publish_at_once(fresh_store):
    store = fresh_store
    before = store.current("observations")
    version_before = store.version("observations")
    ids = store.current("indicators")["indicator_id"].tolist()
    plans = {
        "proc_a": [made_up_figures(ids[0:4], 2090 + r, f"a{r}") for r in range(ROUNDS)],
        "proc_b": [made_up_figures(ids[4:8], 2090 + r, f"b{r}") for r in range(ROUNDS)],
    }
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    children = [
        ctx.Process(target=publish_in_child, args=(store.root, frames, user, barrier, results))
        for user, frames in plans.items()
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=180) for _ in range(2 * ROUNDS)]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0

    landed = [(user, round_) for user, round_, status, *_ in outcomes if status == "ok"]
    refused = [o for o in outcomes if o[2] != "ok"]
    # A refusal is the store's clear "could not write, nothing changed" message, never a crash.
    for user, round_, key, message, _ in refused:
        assert key == "store.commit_failed", (user, round_, key, message)
        assert "keeps its previous version" in message
    assert len(landed) >= ROUNDS  # at least one publish of every simultaneous pair lands

    # Every landed publish is one new commit holding all its figures; nothing else changed.
    history = store.history(("observations",))
    published = history[history["version"] > version_before]
    assert sorted(published["version"]) == list(range(version_before + 1, version_before + 1 + len(landed)))
    assert set(published["action"]) == {"publish"}
    assert sorted(published["file_name"]) == sorted(f"{user}_{round_}.csv" for user, round_ in landed)
    assert (published["added"] == 12).all()
    expected = pd.concat(
        [before[schema.OBSERVATION_COLUMNS]] + [plans[user][round_] for user, round_ in landed], ignore_index=True,
    ).sort_values(schema.OBSERVATION_KEY).reset_index(drop=True)
    current = store.current("observations")[schema.OBSERVATION_COLUMNS]
    pd.testing.assert_frame_equal(current, expected, check_dtype=False)


def test_a_store_written_by_another_process_is_seen_at_once(fresh_store):
    """A Store object opened before another process publishes reads the new version."""
    reader = Store(fresh_store.root)
    version = reader.version("observations")
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(1), ctx.Queue()
    ids = reader.current("indicators")["indicator_id"].tolist()
    child = ctx.Process(target=publish_in_child, args=(reader.root, [made_up_figures(ids[:1], 2099, "c")], "proc_c", barrier, results))
    child.start()
    assert results.get(timeout=120)[2] == "ok"
    child.join(timeout=60)
    assert reader.version("observations") == version + 1
    assert (reader.current("observations")["source"] == "test c").sum() == 3
