"""What a publish would change (tracker/preview.py), without Streamlit."""

from __future__ import annotations

import pandas as pd
import pytest

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
    from tests.test_border import publish, read_reports

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
