"""Scaling out, shown: Daft (benchmarks.engines.current_view) reads the
store's Delta tables as they are and computes the same current view as
Store.current, revisions included."""

from __future__ import annotations

import pandas as pd
import pytest

from tracker import schema

daft = pytest.importorskip("daft")
from benchmarks.engines import current_view  # noqa: E402  (after the skip: daft is a dev dependency)


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    columns = schema.OBSERVATION_COLUMNS + ["published_at"]
    frame = frame[columns].sort_values(schema.OBSERVATION_KEY, kind="stable").reset_index(drop=True)
    return frame.astype({"year": "int64"})


def test_daft_reads_the_current_view_the_product_shows(fresh_store):
    before = fresh_store.current("observations")
    stored = len(fresh_store.read("observations"))  # the seed keeps some revisions already
    revised = before[(before["indicator_id"] == "grdp_growth") & (before["kind"] == "actual")].head(1).copy()
    revised["value"] = revised["value"] + 0.5
    fresh_store.publish("observations", revised[schema.OBSERVATION_COLUMNS], user="test", file_name="revision.csv")
    expected = ordered(fresh_store.current("observations"))
    assert len(fresh_store.read("observations")) == stored + 1  # the store keeps both revisions

    found = ordered(current_view(fresh_store.uri("observations")).to_pandas())
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
    key = tuple(revised.iloc[0][schema.OBSERVATION_KEY])
    assert found.set_index(schema.OBSERVATION_KEY).loc[key, "value"] == revised.iloc[0]["value"]


def test_daft_keeps_one_area_when_asked(fresh_store):
    other = fresh_store.current("observations").head(3).assign(area_id="XX-00")  # test rows of another area
    fresh_store.publish("observations", other[schema.OBSERVATION_COLUMNS], user="test", file_name="other.csv")
    found = current_view(fresh_store.uri("observations"), {"area_id": ["XX-00", "nowhere"]}).to_pandas()
    assert len(found) == 3 and set(found["area_id"]) == {"XX-00"}


def test_daft_leaves_out_the_rows_of_an_unfinished_publish(fresh_store, monkeypatch):
    before = ordered(fresh_store.current("observations"))
    figures = fresh_store.current("observations").head(2).copy()
    figures["value"] = figures["value"] + 1
    task = fresh_store.current("tasks").iloc[0]
    reports = pd.DataFrame([{"task_id": task["task_id"], "agency_id": task["agency_id"], "year": 2040,
                             "status": "in_progress", "summary": "test report",
                             "reported_on": pd.Timestamp("2040-11-01")}])  # a test row far in the future
    original = type(fresh_store)._record
    # A publish stopped between its tables' commits: the record stays "pending".
    monkeypatch.setattr(type(fresh_store), "_record",
                        lambda self, record, state, action: None if state == "done" else original(self, record, state, action))
    fresh_store.publish_all({"observations": figures[schema.OBSERVATION_COLUMNS],
                             "task_reports": reports[schema.TASK_REPORT_COLUMNS]}, user="test")
    assert len(fresh_store.unfinished_publishes()) == 1

    found = ordered(current_view(fresh_store.uri("observations")).to_pandas())
    pd.testing.assert_frame_equal(found, before, check_dtype=False)
