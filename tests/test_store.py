"""The store on disk: build, round trip, revisions, history, restore."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import seed
from tracker import schema, settings
from tracker.errors import TrackerError
from tracker.store import Store

KEY = {"indicator_id": "trade_turnover", "area_id": "VN-09", "year": 2018, "period": "H1", "kind": "actual"}


def one_figure(**changes) -> pd.DataFrame:
    """One figure of the seed, optionally changed (test data)."""
    row = {**KEY, "value": 2430.0, "low": None, "high": None, "qualifier": "exact", "pct_of_plan": 50.4,
           "yoy_pct": 5.0, "source": "120/KH-UBND 10/8/2018", "note": "test"}
    row.update(changes)
    return pd.DataFrame([row])[schema.OBSERVATION_COLUMNS]


def test_build_round_trip_equals_seed(built_store):
    expected = seed.load_observations().sort_values(schema.OBSERVATION_KEY).reset_index(drop=True)
    stored = built_store.current("observations")[schema.OBSERVATION_COLUMNS]
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def test_catalogue_tables_are_stored(built_store):
    for table in ("indicators", "areas", "agencies", "tasks", "plans", "plan_items"):
        stored = built_store.current(table)
        assert list(stored.columns) == schema.CATALOGUE_COLUMNS[table]
        assert len(stored) == len(seed.read_csv(settings.get("data_dir") / f"{table}.csv"))


def test_rebuild_adds_nothing_and_keeps_analyst_figures(fresh_store):
    analyst = one_figure(indicator_id="trade_turnover", year=2019, kind="actual", value=5000.0, note="analyst")
    fresh_store.publish("observations", analyst, user="analyst")
    result = seed.run(fresh_store)
    assert (result.observations.added, result.observations.revised, result.observations.version) == (0, 0, None)
    current = fresh_store.current("observations")
    assert ((current["year"] == 2019) & (current["note"] == "analyst")).sum() == 1


def test_revision_shows_newest_and_keeps_every_one(fresh_store):
    result = fresh_store.publish("observations", one_figure(value=2431.0), user="analyst", file_name="fix.xlsx")
    assert (result.added, result.revised, result.unchanged) == (0, 1, 0)
    current = fresh_store.current("observations").set_index(schema.OBSERVATION_KEY)
    assert current.loc[tuple(KEY.values()), "value"] == 2431.0
    revisions = fresh_store.revisions("observations", KEY)
    assert revisions["value"].tolist() == [2430.0, 2431.0]
    assert revisions["published_by"].tolist() == ["build", "analyst"]


def test_publish_of_unchanged_figures_commits_nothing(fresh_store):
    before = fresh_store.version("observations")
    result = fresh_store.publish("observations", one_figure(note=fresh_store.revisions("observations", KEY)["note"][0]), user="a")
    assert result.version is None and result.unchanged == 1
    assert fresh_store.version("observations") == before


def test_diff_compares_with_the_current_view_only(fresh_store, monkeypatch):
    fresh_store.publish("observations", one_figure(value=2431.0), user="analyst")  # a newer revision of KEY
    original = type(fresh_store)._record
    # A publish stopped between its tables' commits (record left "pending"): its rows are in no view.
    monkeypatch.setattr(type(fresh_store), "_record",
                        lambda self, record, state, action: None if state == "done" else original(self, record, state, action))
    report = pd.DataFrame([{"task_id": fresh_store.current("tasks")["task_id"].iloc[0],
                            "agency_id": fresh_store.current("tasks")["agency_id"].iloc[0], "year": 2040,
                            "status": "in_progress", "summary": "test", "reported_on": pd.Timestamp("2040-11-01")}])
    fresh_store.publish_all({"observations": one_figure(value=9999.0), "task_reports": report}, user="stopped")
    assert len(fresh_store.unfinished_publishes()) == 1

    current = fresh_store.current("observations")[schema.OBSERVATION_COLUMNS]
    diff = fresh_store.diff("observations", current)
    assert (diff["change"] == "unchanged").all()  # every field of every key read back from its newest revision
    one = fresh_store.diff("observations", pd.concat([one_figure(value=2432.0), one_figure(year=2041)]))
    assert one["change"].tolist() == ["revised", "new"]
    assert one["old_value"].iloc[0] == 2431.0 and one["old_note"].iloc[0] == "test"


def test_diff_uses_rows_read_ahead_only_for_the_same_keys(built_store):
    incoming = pd.concat([one_figure(value=2432.0), one_figure(year=2041)], ignore_index=True)
    alone = built_store.diff("observations", incoming)
    assert alone["change"].tolist() == ["revised", "new"]
    ahead = built_store.current_rows("observations", incoming)
    assert ahead.rows["value"].tolist() == [2430.0]  # read for these keys: the stored figure of KEY
    pd.testing.assert_frame_equal(built_store.diff("observations", incoming, ahead), alone)
    # Read ahead for other keys (here: none stored), it is not used: the diff reads for its own.
    other = built_store.current_rows("observations", one_figure(year=2041))
    pd.testing.assert_frame_equal(built_store.diff("observations", incoming, other), alone)


def test_invalid_figures_are_refused_and_change_nothing(fresh_store):
    before = fresh_store.versions()
    bad = one_figure(qualifier="range", value=None, low=9.0, high=8.0)
    with pytest.raises(Exception, match="low above high"):
        fresh_store.publish("observations", bad, user="a")
    assert fresh_store.versions() == before


def test_history_records_who_what_and_file(fresh_store):
    fresh_store.publish("observations", one_figure(value=1.0), user="lan", file_name="t.xlsx", file_sha256="ab" * 32)
    newest = fresh_store.history().iloc[0]
    assert (newest["table"], newest["action"], newest["user"], newest["file_name"]) == ("observations", "publish", "lan", "t.xlsx")
    assert (newest["added"], newest["revised"], newest["file_sha256"]) == (0, 1, "ab" * 32)
    assert "build" in set(fresh_store.history()["action"])


def test_restore_is_a_new_version_and_nothing_is_lost(fresh_store):
    v_build = fresh_store.version("observations")
    v_fix = fresh_store.publish("observations", one_figure(value=1.0), user="a").version
    v_restore = fresh_store.restore("observations", v_build, user="b")
    assert v_restore == v_fix + 1
    assert fresh_store.current("observations").set_index(schema.OBSERVATION_KEY).loc[tuple(KEY.values()), "value"] == 2430.0
    # The restored-over revision is still readable at its version.
    at_fix = fresh_store.current("observations", v_fix).set_index(schema.OBSERVATION_KEY)
    assert at_fix.loc[tuple(KEY.values()), "value"] == 1.0
    assert fresh_store.history().iloc[0][["action", "restored_from"]].tolist() == ["restore", v_build]


def test_bad_version_and_missing_store_are_clear_errors(fresh_store, tmp_path):
    with pytest.raises(TrackerError) as err:
        fresh_store.restore("observations", 999, user="a")
    assert "999" in err.value.message("vi") and "999" in err.value.message("en")
    with pytest.raises(TrackerError) as err:
        Store(tmp_path / "nowhere").require()
    assert "python -m loaders build" in err.value.message("vi")
