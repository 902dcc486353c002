"""The scorecard (tracker/scorecard.py), its headline, and its export through
the command line, on the real seed store and on small made-up test rows."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from loaders.__main__ import main
from tests.rows import indicator, obs
from tracker import scorecard as sc
from tracker import status
from tracker.status import STATUSES
from tracker.store import REPO_ROOT


@pytest.fixture(scope="module")
def card_h1_2018(plan_120_store):
    """The first half of 2018 as Kế hoạch 120/KH-UBND alone reports it (the
    published history adds the 2018 GRDP plan: see test_years.py)."""
    return sc.scorecard(plan_120_store.current("observations"), plan_120_store.current("indicators"), 2018, "H1")


def test_scorecard_columns_and_catalogue_order(card_h1_2018, built_store):
    assert list(card_h1_2018.columns) == sc.SCORECARD_COLUMNS
    catalogue = built_store.current("indicators")["indicator_id"].tolist()
    positions = [catalogue.index(i) for i in card_h1_2018["indicator_id"]]
    assert positions == sorted(positions)
    assert card_h1_2018["indicator_id"].is_unique
    assert set(card_h1_2018["status"]) <= set(STATUSES)


def test_every_row_is_explained_in_both_languages(card_h1_2018):
    assert card_h1_2018["explanation_vi"].str.strip().ne("").all()
    assert card_h1_2018["explanation_en"].str.strip().ne("").all()
    assert (card_h1_2018["explanation_vi"] != card_h1_2018["explanation_en"]).all()


def test_first_half_2018_trade_and_budget(card_h1_2018):
    rows = card_h1_2018.set_index("indicator_id").loc[
        ["trade_turnover", "trade_turnover.import", "budget_revenue", "forest_planting"],
        ["figure_kind", "figure_period", "figure_value", "pct_of_plan", "yoy_pct", "attainment", "status", "rule"],
    ].reset_index()
    expected = pd.DataFrame({
        "indicator_id": ["trade_turnover", "trade_turnover.import", "budget_revenue", "forest_planting"],
        "figure_kind": ["actual"] * 4,
        "figure_period": ["H1"] * 4,
        "figure_value": [2430.0, 890.0, 2441.7, 6753.0],
        "pct_of_plan": [50.4, 45.2, 41.4, 75.0],
        "yoy_pct": [5.0, -1.7, -19.3, -7.1],
        "attainment": [50.4, 45.2, 41.4, 75.0],
        "status": ["on_track", "at_risk", "behind", "on_track"],
        "rule": ["pace.reported"] * 4,
    })
    pd.testing.assert_frame_equal(rows, expected, check_dtype=False)


def test_an_indicator_with_only_an_annual_estimate_has_no_first_half_figure(card_h1_2018):
    row = card_h1_2018.set_index("indicator_id").loc["social_investment"]
    assert row["status"] == "no_data" and pd.isna(row["figure_kind"])
    assert row["target_text_vi"] == ""  # the 2018 plan itself is not in the seed documents


def test_targets_are_shown_in_the_plans_words(built_store):
    card = sc.scorecard(built_store.current("observations"), built_store.current("indicators"), 2018, "H2")
    row = card.set_index("indicator_id").loc["budget_revenue"]
    assert (row["target_qualifier"], row["target_low"]) == ("at_least", 3600.0) and pd.isna(row["target_value"])
    assert (row["target_text_vi"], row["target_text_en"]) == ("trên 3.600 tỷ đồng", "over 3,600 billion VND")
    assert row["status"] == "no_data"
    card = sc.scorecard(built_store.current("observations"), built_store.current("indicators"), 2019, "FY")
    row = card.set_index("indicator_id").loc["food_output"]
    assert (row["target_text_vi"], row["target_text_en"]) == ("khoảng 304 nghìn tấn", "about 304 thousand tonnes")


def test_a_year_without_figures_gives_an_empty_scorecard(built_store):
    card = sc.scorecard(built_store.current("observations"), built_store.current("indicators"), 2090, "FY")
    assert card.empty and list(card.columns) == sc.SCORECARD_COLUMNS
    assert sc.headline(card) == sc.Headline(0, 0, [])


def test_scorecard_of_test_rows_judges_each_indicator_once_and_only_in_its_area():
    catalogue = pd.DataFrame([
        indicator("up", "flow", 0, "tỷ đồng", "billion VND", "test.a"),
        indicator("band", "level", 1, indicator_id="test.b"),
        indicator("up", "rate", 1, indicator_id="test.c"),
        indicator("up", "rate", 1, indicator_id="test.unused"),
    ])
    observations = pd.DataFrame([
        obs("target", "FY", value=1000.0, indicator_id="test.a"),
        obs("estimate", "FY", value=1100.0, indicator_id="test.a"),
        obs("actual", "FY", value=990.0, indicator_id="test.a"),  # the actual wins over the estimate
        obs("target", "FY", qualifier="range", low=19.0, high=20.0, indicator_id="test.b"),
        obs("estimate", "FY", value=19.5, indicator_id="test.b"),
        obs("target", "FY", value=8.0, indicator_id="test.c"),
        obs("actual", "FY", value=9.0, indicator_id="test.unused", year=2029),
        {**obs("actual", "FY", value=1.0, indicator_id="test.c"), "area_id": "VN-09.other"},
    ])
    card = sc.scorecard(observations, catalogue, 2030, "FY", area_id="VN-09")  # the area is always named
    expected = pd.DataFrame({
        "indicator_id": ["test.a", "test.b", "test.c"],
        "figure_kind": ["actual", "estimate", None],
        "figure_value": [990.0, 19.5, None],
        "status": ["not_met", "inside", "no_data"],
        "attainment": [99.0, None, None],
    })
    pd.testing.assert_frame_equal(card[expected.columns], expected, check_dtype=False)
    head = sc.headline(card)
    assert (head.achieved, head.judged, head.not_achieved) == (1, 2, ["test.a"])
    assert head.text("vi") == "Đạt và vượt 1/2 chỉ tiêu"
    assert head.text("en") == "1 of 2 targets met or exceeded"


def test_headline_of_the_first_half_2018_speaks_of_pace(card_h1_2018):
    # Part of a year: on track is counted as on track, never as met.
    head = sc.headline(card_h1_2018, "H1")
    judged = card_h1_2018[~card_h1_2018["status"].isin(["no_target", "no_data"])]
    assert head.judged == len(judged) >= 20
    assert head.pace and head.achieved == (judged["status"] == "on_track").sum() >= 13
    assert "budget_revenue" in head.not_achieved and "trade_turnover" not in head.not_achieved
    assert head.text("vi") == f"{head.achieved}/{head.judged} chỉ tiêu đúng tiến độ"
    assert head.text("en") == f"{head.achieved} of {head.judged} targets on track"
    assert "budget_revenue" in head.behind and "trade_turnover.import" in head.at_risk
    assert head.slipping("vi").startswith("Có nguy cơ không đạt: ") and "Kim ngạch nhập khẩu" in head.slipping("vi")
    assert "Chậm tiến độ: " in head.slipping("vi") and "Tổng thu ngân sách trên địa bàn" in head.slipping("vi")
    # The period is read from the card when not given.
    assert sc.headline(card_h1_2018) == head


def test_a_group_of_one_on_track_and_one_at_risk_is_not_met_or_exceeded(card_h1_2018):
    group = card_h1_2018[card_h1_2018["indicator_id"].isin(["trade_turnover", "trade_turnover.import"])]
    head = sc.headline(group, "H1")
    assert (head.achieved, head.judged) == (1, 2)
    assert head.short("vi") == "1/2 đúng tiến độ" and "đạt" not in head.short("vi").replace("đúng", "")


def test_the_2018_full_year_is_judged_against_the_plans_the_first_half_implies(plan_120_store):
    # 120/KH-UBND gives the 2018 estimates but not the 2018 plan; its first-half
    # percentages imply it: budget revenue 2.441,7 at 41,4% of the dự toán, budget
    # expenditure 4.156,5 at 43,2%, forest planting 6.753 ha at 75%.
    card = sc.scorecard(plan_120_store.current("observations"), plan_120_store.current("indicators"), 2018, "FY")
    rows = card.set_index("indicator_id").loc[["budget_revenue", "budget_expenditure", "forest_planting"]]
    assert rows["target_basis"].tolist() == ["implied"] * 3
    assert rows["target_value"].round(1).tolist() == [round(2441.7 / 41.4 * 100, 1), round(4156.5 / 43.2 * 100, 1),
                                                      round(6753 / 75 * 100, 1)]
    assert rows["attainment"].round(1).tolist() == [81.9, 114.7, 120.8]
    assert rows["status"].tolist() == ["not_met", "exceeded", "exceeded"]
    assert rows.loc["budget_revenue", "target_text_vi"] == "5.897,8 tỷ đồng (kế hoạch suy ra: 2.441,7 tỷ đồng là 41,4% KH)"
    assert rows.loc["forest_planting", "target_text_en"] == "9,004 ha (implied plan: 6,753 ha is 75% of plan)"
    assert "kế hoạch suy ra: 2.441,7 tỷ đồng là 41,4% KH" in rows.loc["budget_revenue", "explanation_vi"]
    head = sc.headline(card, "FY")
    judged = card[~card["status"].isin(["no_target", "no_data"])]
    assert not head.pace and head.achieved == judged["status"].isin(["exceeded", "met", "inside"]).sum()
    assert head.text("vi") == f"Đạt và vượt {head.achieved}/{head.judged} chỉ tiêu" and head.judged >= 4
    assert "budget_revenue" in head.not_achieved and "forest_planting" not in head.not_achieved
    stated = card.set_index("indicator_id").loc["poverty_rate_reduction", "target_basis"]
    assert stated == "stated"


def test_several_implied_plans_the_latest_is_used_and_a_disagreement_is_noted(built_store):
    observations = built_store.current("observations")
    nine_months = observations[(observations["indicator_id"] == "trade_turnover") & (observations["period"] == "H1")]
    # A 9-month report: 3.700 at 76% implies 4.868, not the 4.821 the first half implies.
    nine_months = nine_months.assign(period="9M", value=3700.0, pct_of_plan=76.0, yoy_pct=float("nan"))
    observations = pd.concat([observations, nine_months], ignore_index=True)
    indicators = built_store.current("indicators")
    card = sc.scorecard(observations, indicators, 2018, "H1").set_index("indicator_id")
    row = card.loc["trade_turnover"]
    assert row["target_basis"] == "implied" and row["target_value"] == pytest.approx(3700 / 76 * 100)
    assert row["rule"] == "pace.target" and row["attainment"] == pytest.approx(2430 / (3700 / 76 * 100) * 100)
    assert "kế hoạch suy ra: thực hiện 9 tháng 3.700 triệu USD là 76% KH; dùng số mới nhất trong 2 số" in row["target_text_vi"]
    notes = status.quality_notes(observations, indicators)
    implied = notes[notes["check"] == "implied_target"]
    assert implied[["indicator_id", "year", "period"]].values.tolist() == [["trade_turnover", 2018, "H1"]]
    assert "tức kế hoạch 4.821 triệu USD; kế hoạch suy ra được dùng là 4.868 triệu USD" in implied["note_vi"].iloc[0]


# ------------------------------------------------------------- the export


def test_scorecard_table_speaks_the_chosen_language(built_store):
    vi = sc.scorecard_table(built_store, 2018, "H1", "vi")
    en = sc.scorecard_table(built_store, 2018, "H1", "en")
    assert list(vi.columns) == sc.TABLE_COLUMNS + sc.PROJECTION_COLUMNS == list(en.columns)
    assert vi["figure"].dtype == "float64" and vi["attainment_pct"].dtype == "float64"
    row_vi = vi.set_index("indicator_id").loc["trade_turnover"]
    row_en = en.set_index("indicator_id").loc["trade_turnover"]
    assert (row_vi["name"], row_vi["unit"]) == ("Tổng kim ngạch xuất nhập khẩu", "triệu USD")
    assert (row_en["name"], row_en["unit"]) == ("Total import-export turnover", "million USD")
    assert "50,4%" in row_vi["explanation"] and "50.4%" in row_en["explanation"]
    assert (vi["status"] == en["status"]).all()
    # A range figure is exported as its midpoint (the 2018 GRDP estimate "8 - 9" of 120/KH-UBND was
    # revised by the year-end 8,36 of the published history, so the product-tax estimate "3 - 4" is used).
    fy = sc.scorecard_table(built_store, 2018, "FY", "vi").set_index("indicator_id")
    assert fy.loc["grdp_growth.product_taxes", "figure"] == 3.5


def test_export_scorecard_csv_through_the_command_line(built_store, tmp_path):
    out = tmp_path / "scorecard.csv"
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "export", "scorecard", "--year", "2018", "--period", "H1",
         "--format", "csv", "-o", str(out), "--store", str(built_store.root)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out, encoding="utf-8")
    assert list(table.columns) == sc.TABLE_COLUMNS + sc.PROJECTION_COLUMNS
    rows = table.set_index("indicator_id").loc[["trade_turnover", "budget_revenue"]].reset_index()
    expected = pd.DataFrame({
        "indicator_id": ["trade_turnover", "budget_revenue"],
        "name": ["Tổng kim ngạch xuất nhập khẩu", "Tổng thu ngân sách trên địa bàn"],
        "unit": ["triệu USD", "tỷ đồng"],
        # No 2018 target rows: each first-half figure's reported % of plan implies the year's plan.
        "target": ["4.821 triệu USD (kế hoạch suy ra: 2.430 triệu USD là 50,4% KH)",
                   "5.897,8 tỷ đồng (kế hoạch suy ra: 2.441,7 tỷ đồng là 41,4% KH)"],
        "target_basis": ["implied", "implied"],
        "figure": [2430.0, 2441.7],
        "figure_kind": ["actual", "actual"],
        "attainment_pct": [50.4, 41.4],
        "status": ["on_track", "behind"],
        "rule": ["pace.reported", "pace.reported"],
        "explanation": [
            "Thực hiện 6 tháng đầu năm đạt 50,4% kế hoạch năm (theo báo cáo), mức cần đạt đến kỳ này 50% "
            "(theo thời gian trong năm): tỷ lệ tiến độ 1,01 ≥ 0,95 → đúng tiến độ",
            "Thực hiện 6 tháng đầu năm đạt 41,4% kế hoạch năm (theo báo cáo), mức cần đạt đến kỳ này 50% "
            "(theo thời gian trong năm): tỷ lệ tiến độ 0,83 < 0,85 → chậm tiến độ",
        ],
        # No earlier H1 figures: the default share of 50% ± 15%, against the plan the reported % implies.
        "projected": [4860.0, 4883.4],
        "projected_low": [2430 / (0.5 * 1.15), 2441.7 / (0.5 * 1.15)],
        "projected_high": [2430 / (0.5 * 0.85), 2441.7 / (0.5 * 0.85)],
        "projection_verdict": ["uncertain", "unlikely"],
    })
    pd.testing.assert_frame_equal(rows, expected, check_dtype=False)
    # The whole file is the same table the function gives.
    pd.testing.assert_frame_equal(
        table, sc.scorecard_table(built_store, 2018, "H1", "vi"), check_dtype=False,
    )


def test_export_scorecard_xlsx_in_english(built_store, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    code = main(["export", "scorecard", "--year", "2018", "--period", "H1", "--format", "xlsx", "-o", str(out),
                 "--store", str(built_store.root), "--lang", "en"])
    assert code == 0
    table = pd.read_excel(out, engine="calamine").set_index("indicator_id")
    assert table.loc["budget_revenue", "status"] == "behind"
    assert table.loc["budget_revenue", "attainment_pct"] == 41.4
    assert table.loc["budget_revenue", "explanation"].startswith("Actual, first half: at 41.4% of the annual plan")


def test_export_scorecard_without_a_year_is_an_error(built_store, tmp_path, capsys):
    out = tmp_path / "scorecard.csv"
    code = main(["export", "scorecard", "--period", "H1", "--format", "csv", "-o", str(out),
                 "--store", str(built_store.root)])
    assert code == 1
    assert "Lệnh này cần --year" in capsys.readouterr().err
    assert not out.exists()


def test_charts_get_the_implied_plans_beside_the_stored_rows(built_store):
    observations = built_store.current("observations")
    shown = status.with_implied_targets(observations)
    implied = shown[shown["basis"] == "implied"]
    assert len(shown) == len(observations) + len(implied)
    trade = implied[(implied["indicator_id"] == "trade_turnover") & (implied["year"] == 2018)]
    assert trade[["period", "kind"]].values.tolist() == [["FY", "target"]]
    assert trade["value"].iloc[0] == pytest.approx(2430 / 50.4 * 100)
    # A year with a stated target implies nothing (the 2018 H2 budget revenue "trên 3.600" is its own period).
    stated = observations[observations["kind"] == "target"][["indicator_id", "area_id", "year", "period"]]
    assert implied.merge(stated, on=["indicator_id", "area_id", "year", "period"]).empty
