"""What a publish would change (tracker/preview.py), without Streamlit."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import publish, read_reports
from tracker import preview, schema


def figure(**values) -> pd.Series:
    row = {"value": None, "low": None, "high": None, "qualifier": "exact", "pct_of_plan": None, "yoy_pct": None}
    row.update(values)
    return pd.Series(row, dtype=object)


@pytest.mark.parametrize("values, vi, en", [
    ({"value": 1437.4}, "1.437,4", "1,437.4"),
    # The precision the analyst typed, whatever the catalogue's decimals.
    ({"value": 5120.5}, "5.120,5", "5,120.5"),
    ({"value": 7.98, "pct_of_plan": 50.4}, "7,98; 50,4% kế hoạch", "7.98; 50.4% of plan"),
    ({"value": 304.0, "qualifier": "approx"}, "~304", "~304"),
    ({"low": 8.0, "high": 9.0, "qualifier": "range"}, "8 - 9", "8 - 9"),
    ({"low": 7.7, "high": 8.0, "qualifier": "range"}, "7,7 - 8", "7.7 - 8"),
    ({"low": 5.0, "value": 5.0, "qualifier": "at_least"}, "≥ 5", "≥ 5"),
    ({"yoy_pct": -0.58}, "-0,58% so cùng kỳ", "-0.58% on last year"),
])
def test_figure_text(values, vi, en):
    assert preview.figure_text(figure(**values), "vi") == vi
    assert preview.figure_text(figure(**values), "en") == en


def test_figure_text_reads_the_old_values_of_a_diff_row():
    row = pd.Series({"value": 8.12, "old_value": 7.98, "old_qualifier": "exact", "qualifier": "exact"})
    assert preview.figure_text(row, "vi", "old_") == "7,98"
    assert preview.figure_text(row, "vi") == "8,12"


def incoming(store, changes: dict) -> pd.DataFrame:
    """Current figures of the built store with some values changed, plus one new (test data)."""
    current = store.current("observations")[schema.OBSERVATION_COLUMNS]
    key = current.set_index(schema.OBSERVATION_KEY)
    rows = key.loc[list(changes)].reset_index()
    rows["value"] = list(changes.values())
    new = pd.DataFrame([{
        "indicator_id": "grdp_growth", "area_id": "VN-09", "year": 2019, "period": "FY", "kind": "actual",
        "value": 9.1, "low": None, "high": None, "qualifier": "exact", "pct_of_plan": None, "yoy_pct": None,
        "source": "test", "note": "test figure",
    }])
    unchanged = current.head(2)
    frame = pd.concat([rows, new, unchanged], ignore_index=True)[schema.OBSERVATION_COLUMNS]
    return schema.validate("observations", frame.astype({c: "float64" for c in schema.OBSERVATION_NUMBERS}))


def test_counts_and_rows_of_a_preview(built_store):
    diff = built_store.diff("observations", incoming(built_store, {("grdp_growth", "VN-09", 2018, "H1", "actual"): 8.12}))
    pd.testing.assert_frame_equal(
        preview.counts({"observations": diff}, "en"),
        pd.DataFrame({"Table": ["Figures"], "New": [1], "Revised": [1], "Unchanged": [2]}),
    )
    indicators, areas = built_store.current("indicators"), built_store.current("areas")
    revised = preview.observation_rows(diff, "revised", indicators, areas, "vi")
    assert revised[["Mã chỉ tiêu", "Năm", "Số liệu cũ", "Số liệu mới", "Thay đổi ở"]].astype(str).values.tolist() == [
        ["grdp_growth", "2018", "7,98", "8,12", "giá trị"],
    ]
    new = preview.observation_rows(diff, "new", indicators, areas, "en")
    assert new[["Indicator id", "Area", "Year", "Period", "Kind", "Figure", "Source"]].astype(str).values.tolist() == [
        ["grdp_growth", "Lang Son", "2019", "full year", "Actual", "9.1", "test"],
    ]


def test_after_publish_replaces_revised_keys_and_adds_new_ones(built_store):
    current = built_store.current("observations")
    diff = built_store.diff("observations", incoming(built_store, {("grdp_growth", "VN-09", 2018, "H1", "actual"): 8.12}))
    after = preview.after_publish(current, diff).set_index(schema.OBSERVATION_KEY)
    assert len(after) == len(current) + 1
    assert after.loc[("grdp_growth", "VN-09", 2018, "H1", "actual"), "value"] == 8.12
    assert after.loc[("grdp_growth", "VN-09", 2019, "FY", "actual"), "value"] == 9.1


def test_judgements_cover_every_period_of_the_touched_years():
    """With a stand-in scorecard (status = how many figures the period has),
    every period of each touched area and year is judged before and after."""
    def rows(*keys):
        return pd.DataFrame([
            {"indicator_id": i, "area_id": a, "year": y, "period": p, "kind": k, "value": 1.0, "low": None,
             "high": None, "qualifier": "exact", "pct_of_plan": None, "yoy_pct": None, "source": "test", "note": None}
            for i, a, y, p, k in keys
        ], columns=schema.OBSERVATION_COLUMNS)

    def count_scorecard(observations, indicators, year, period, area_id):
        mine = observations[(observations["year"] == year) & (observations["period"] == period) & (observations["area_id"] == area_id)]
        counts = mine.groupby("indicator_id").size()
        return pd.DataFrame({"indicator_id": counts.index, "status": [f"n{n}" for n in counts]})

    current = rows(("a", "VN-09", 2020, "FY", "target"), ("a", "VN-09", 2020, "H1", "actual"), ("a", "VN-09", 2019, "FY", "actual"))
    diff = rows(("a", "VN-09", 2020, "FY", "actual"), ("b", "VN-09", 2020, "H1", "actual")).assign(change="new")
    judged = preview.judgements(current, diff, pd.DataFrame(), scorecard=count_scorecard)
    assert judged.astype(str).values.tolist() == [
        ["a", "VN-09", "2020", "FY", "n1", "n2"],
        ["a", "VN-09", "2020", "H1", "n1", "n1"],
        ["b", "VN-09", "2020", "H1", "no_data", "n1"],
    ]
    assert preview.status_changes(judged)["indicator_id"].tolist() == ["a", "b"]
    assert preview.judgements(current, diff.assign(change="unchanged"), pd.DataFrame(), scorecard=count_scorecard).empty


def test_judgements_with_the_real_scorecard(built_store):
    current = built_store.current("observations")
    diff = built_store.diff("observations", incoming(built_store, {}))
    changes = preview.status_changes(preview.judgements(current, diff, built_store.current("indicators")))
    assert changes[["indicator_id", "year", "period", "status_before", "status_after"]].values.tolist() == [
        ["grdp_growth", 2019, "FY", "no_data", "exceeded"],
    ]


def test_task_report_rows(fresh_store):
    publish(fresh_store, "reports_2024.csv")
    diff = fresh_store.diff("task_reports", read_reports("reports_2024_revision.csv"))
    tasks, agencies = fresh_store.current("tasks"), fresh_store.current("agencies")
    revised = preview.task_report_rows(diff, "revised", tasks, agencies, "vi")
    pd.testing.assert_frame_equal(revised, pd.DataFrame({
        "Mã nhiệm vụ": ["skhdt.2"],
        "Cơ quan": ["Sở Kế hoạch và Đầu tư"],
        "Năm": [2024],
        "Tình trạng cũ": ["Đang thực hiện"],
        "Tình trạng": ["Hoàn thành"],
        "Thay đổi ở": ["tình trạng, nội dung báo cáo"],
    }), check_dtype=False)
    new = preview.task_report_rows(diff, "new", tasks, agencies, "en")
    assert new.astype(str).values.tolist() == [["sct.3", "Department of Industry and Trade", "2024", "Done"]]


# -- notes of revised figures ------------------------------------------------------

def _revise(store, csv_text: str):
    from loaders import upload

    prepared = upload.prepare(store, csv_text.encode("utf-8"), "revision.csv")
    assert prepared.ok, prepared.problems
    return prepared


def _note(store, indicator_id="grdp_growth", period="H1"):
    rows = store.current("observations")
    row = rows[(rows["indicator_id"] == indicator_id) & (rows["year"] == 2018) & (rows["period"] == period)
               & (rows["kind"] == "actual")]
    return row["note"].iloc[0]


def test_a_revision_without_a_note_column_keeps_the_earlier_note(fresh_store):
    from loaders import upload

    before = _note(fresh_store)
    assert isinstance(before, str) and before
    prepared = _revise(fresh_store, "indicator_id,area_id,year,period,kind,value,source\n"
                                    "grdp_growth,VN-09,2018,H1,actual,\"8,12\",120/KH-UBND 10/8/2018\n")
    diff = prepared.previews["observations"]
    assert diff["change"].tolist() == ["revised"] and diff["note"].tolist() == [before]
    assert preview._changed_fields(diff.iloc[0], preview.OBS_FIELDS, "vi") == "giá trị"
    upload.publish(fresh_store, prepared, "lan")
    assert _note(fresh_store) == before


def test_the_same_figure_without_a_note_column_is_unchanged(fresh_store):
    prepared = _revise(fresh_store, "indicator_id,area_id,year,period,kind,value,pct_of_plan,yoy_pct,source\n"
                                    "trade_turnover,VN-09,2018,H1,actual,2430,\"50,4\",5,120/KH-UBND 10/8/2018\n")
    assert prepared.previews["observations"]["change"].tolist() == ["unchanged"]


def test_an_empty_note_cell_clears_the_note(fresh_store):
    from loaders import upload

    prepared = _revise(fresh_store, "indicator_id,area_id,year,period,kind,value,source,note\n"
                                    "grdp_growth,VN-09,2018,H1,actual,\"7,98\",120/KH-UBND 10/8/2018,\n")
    diff = prepared.previews["observations"]
    assert diff["change"].tolist() == ["revised"] and diff["note"].isna().all()
    upload.publish(fresh_store, prepared, "lan")
    assert pd.isna(_note(fresh_store))
