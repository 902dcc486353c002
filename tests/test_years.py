"""A plan over years (issue 15): the published history 2015–2030 as cited
seed data, multi-year periods in the contract, the five-year status, the
year-end projection with its backtest, and the computed "so với cùng kỳ"."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from loaders import seed
from tracker import fiveyear, history, projection, schema, scorecard, status, views
from tracker.errors import TrackerError
from tracker.rules_toml import read_section

REPO = Path(__file__).resolve().parents[1]
HISTORY_CSV = REPO / "data" / "observations" / "langson_published_figures.csv"
KEY = schema.OBSERVATION_KEY
NaN = float("nan")


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return pd.read_csv(HISTORY_CSV, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return seed.load_catalogue()["indicators"]


# ------------------------------------------------------------ the seed file


def test_history_file_has_the_contract_columns_and_its_citations(published):
    assert list(published.columns) == schema.OBSERVATION_COLUMNS + ["source_url", "reliability", "standing"]
    assert len(published) == 144
    assert published["source_url"].str.startswith("http").all()
    assert set(published["reliability"]) == set(schema.RELIABILITY)
    assert published["reliability"].value_counts().to_dict() == {"press": 74, "translation": 36, "official": 34}
    assert (published["standing"] == "alternative").sum() == 8
    assert (published["area_id"] == "VN-09").all()


def test_every_id_is_in_the_catalogue_with_the_four_proposed_ones(published, indicators):
    assert set(published["indicator_id"]) <= set(indicators["indicator_id"])
    proposed = indicators.set_index("indicator_id").loc[
        ["grdp_value", "trade_turnover_all_types", "near_poor_rate", "public_investment_plan"]]
    assert proposed["unit_vi"].tolist() == ["tỷ đồng", "triệu USD", "%", "tỷ đồng"]
    assert proposed["direction"].tolist() == ["up", "up", "down", "up"]


# (indicator_id, year, period, kind, value, low, high, qualifier, pct_of_plan, yoy_pct, source), read from the sources.
SAMPLE_ROWS = [
    ("grdp_growth", 2025, "FY", "estimate", 8.06, NaN, NaN, "exact", NaN, NaN, "CafeF 2025-12-11"),
    ("grdp_growth", 2030, "P2021_2030", "target", NaN, 8, 9, "range", NaN, NaN, "KH 23/KH-UBND 26/01/2023"),
    ("grdp_growth", 2025, "P2021_2025", "estimate", 7.1, NaN, NaN, "exact", NaN, NaN, "KH 303/KH-UBND 24/11/2025"),
    ("grdp_per_capita", 2030, "P2021_2030", "target", 150, NaN, NaN, "approx", NaN, NaN, "KH 23/KH-UBND 26/01/2023"),
    ("budget_revenue", 2025, "FY", "estimate", 18063.8, NaN, NaN, "exact", NaN, 60.1, "CafeF 2025-12-11"),
    ("budget_revenue", 2023, "9M", "estimate", 5674.1, NaN, NaN, "exact", 69.2, 5.3,
     "Cục Thống kê Lạng Sơn, tình hình KT-XH 9 tháng 2023"),
    ("trade_turnover", 2023, "FY", "actual", 4975, NaN, NaN, "exact", 130.9, 62.6, "Dân Việt 2024-02-06"),
    ("trade_turnover_all_types", 2025, "M11", "actual", 86140, NaN, NaN, "exact", NaN, 44.6, "CafeF 2025-12-11"),
    ("poverty_rate_reduction", 2024, "P2021_2024", "actual", 2.95, NaN, NaN, "exact", NaN, NaN,
     "Dân Việt (Trang trại Việt), giảm nghèo Lạng Sơn 2021–2024"),
    ("grdp_growth.product_taxes", 2020, "P2016_2020", "estimate", -1.79, NaN, NaN, "exact", NaN, NaN,
     "KH 99/KH-UBND 04/05/2021"),
]


@pytest.mark.parametrize("expected", SAMPLE_ROWS, ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}-{r[3]}")
def test_sample_rows_as_the_sources_print_them(built_store, expected):
    indicator_id, year, period, kind = expected[:4]
    current = built_store.current("observations").set_index(KEY).loc[(indicator_id, "VN-09", year, period, kind)]
    got = [current[c] for c in ("value", "low", "high", "qualifier", "pct_of_plan", "yoy_pct", "source")]
    for g, e in zip(got, expected[4:], strict=True):
        if isinstance(e, float) and math.isnan(e):
            assert pd.isna(g)
        else:
            assert g == e


def test_every_published_figure_is_stored_with_its_source(built_store, published):
    """Each row of the file is a revision of its key in the store (same numbers, source and note);
    the current rows are what the product shows, the alternatives stay in the history."""
    stored = built_store.read("observations")
    compare = ["value", "low", "high", "qualifier", "pct_of_plan", "yoy_pct", "source", "note"]
    expected = published.copy()
    for column in schema.OBSERVATION_NUMBERS:
        expected[column] = pd.to_numeric(expected[column])
    expected["year"] = expected["year"].astype("int64")
    merged = expected.merge(stored[KEY + compare], on=KEY + compare, how="left", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][KEY]
    current = built_store.current("observations")
    shown = expected[expected["standing"] == "current"].merge(current[KEY + compare], on=KEY + compare)
    assert len(shown) == (expected["standing"] == "current").sum()
    hidden = expected[expected["standing"] == "alternative"].merge(current[KEY + compare], on=KEY + compare)
    assert hidden.empty


def test_sources_table_keeps_each_link_and_reliability(built_store, published):
    sources = built_store.current("sources").set_index("source")
    expected = published.drop_duplicates("source").set_index("source")[["source_url", "reliability"]]
    pd.testing.assert_frame_equal(sources.loc[expected.index], expected, check_names=False)


def test_disagreeing_sources_are_kept_as_earlier_revisions(built_store):
    key = {"indicator_id": "grdp_per_capita", "area_id": "VN-09", "year": 2018, "period": "FY", "kind": "estimate"}
    revisions = built_store.revisions("observations", key)
    # 120/KH-UBND's mid-year forecast, the English-only figure, then the year-end review shown now.
    assert revisions["value"].tolist() == [39.5, 34.59, 38.4]
    assert revisions["source"].tolist()[-1] == "Đời sống & Pháp luật, KT-XH Lạng Sơn 2018"
    found = history.disagreements(built_store.read("observations"))
    mine = found[(found["indicator_id"] == "grdp_per_capita") & (found["year"] == 2018)]
    assert mine["current"].tolist() == [False, False, True]
    budget = found[(found["indicator_id"] == "budget_revenue") & (found["year"] == 2025)]
    assert budget.loc[budget["current"], "low"].tolist() == [7390.0]


def test_a_second_current_figure_for_one_key_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("store"))
    path = data / "observations" / "langson_published_figures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",translation,alternative", ",translation,current"), encoding="utf-8")
    with pytest.raises(TrackerError) as error:
        seed.load_revisions(data)
    assert error.value.key == "seed.two_current"
    path.write_text(text.replace(",translation,alternative", ",translation,maybe"), encoding="utf-8")
    with pytest.raises(TrackerError):
        seed.load_revisions(data)


def test_rebuild_replays_nothing(fresh_store):
    before = fresh_store.version("observations")
    result = seed.run(fresh_store)
    assert result.observations.version is None and fresh_store.version("observations") == before


# --------------------------------------------------------------- the periods


def one_row(**changes) -> pd.DataFrame:
    row = {"indicator_id": "grdp_growth", "area_id": "VN-09", "year": 2030, "period": "P2026_2030",
           "kind": "target", "value": 8.0, "low": None, "high": None, "qualifier": "exact",
           "pct_of_plan": None, "yoy_pct": None, "source": "test", "note": None}
    row.update(changes)
    return pd.DataFrame([row])[schema.OBSERVATION_COLUMNS]


def test_multi_year_periods_are_in_the_contract():
    assert schema.span("P2021_2025") == (2021, 2025)
    assert schema.is_period("P2026_2030") and schema.is_period("9M") and not schema.is_period("P2030_2026")
    schema.validate("observations", one_row())
    for bad in (one_row(year=2029), one_row(period="P2030_2026", year=2026), one_row(period="P21_25")):
        with pytest.raises(pandera.errors.SchemaErrors):
            schema.validate("observations", bad)


# ------------------------------------------------------------ five-year status


def catalogue_row(indicator_id="x", measure="rate", direction="up", decimals=2, unit="%"):
    return {"indicator_id": indicator_id, "measure": measure, "direction": direction, "decimals": decimals,
            "unit_vi": unit, "unit_en": unit, "name_vi": indicator_id, "name_en": indicator_id}


def figures(rows) -> pd.DataFrame:
    """(year, period, kind, value, low, high, note) tuples as observation rows of indicator x."""
    frame = pd.DataFrame(rows, columns=["year", "period", "kind", "value", "low", "high", "note"])
    frame.insert(0, "indicator_id", "x")
    frame.insert(1, "area_id", "VN-09")
    frame["qualifier"] = ["range" if pd.notna(lo) and pd.notna(hi) else "exact"
                          for lo, hi in zip(frame["low"], frame["high"], strict=True)]
    return frame.astype({"value": "float64", "low": "float64", "high": "float64"})


def test_average_growth_needed_against_achieved():
    rows = figures([
        (2025, "P2021_2025", "target", 8.0, None, None, "average annual over 2021–2025"),
        (2021, "FY", "actual", 6.0, None, None, None), (2022, "FY", "estimate", 7.0, None, None, None),
    ])
    found = fiveyear.judge_span(rows.iloc[0].to_dict(), catalogue_row(), rows, 2022)
    achieved = (1.06 * 1.07) ** 0.5 - 1
    needed = (1.08 ** 5 / (1.06 * 1.07)) ** (1 / 3) - 1
    assert found.form == "average" and found.years_remaining == 3
    assert found.achieved_rate == pytest.approx(achieved * 100) and found.needed_rate == pytest.approx(needed * 100)
    assert found.ratio == pytest.approx(achieved / needed)
    assert found.status == "at_risk"  # 0.72: between 0.6 and 0.95
    assert "0,72 ≥ 0,60" in found.explanation_vi and "0.72 ≥ 0.60" in found.explanation_en


def test_level_by_the_end_year_from_the_baseline():
    rows = figures([
        (2030, "P2021_2030", "target", 150.0, None, None, "level by end of 2030"),
        (2020, "FY", "actual", 44.2, None, None, None), (2025, "FY", "estimate", 71.1, None, None, None),
    ])
    found = fiveyear.judge_span(rows.iloc[0].to_dict(), catalogue_row(measure="level", unit="triệu đồng"), rows, 2025)
    observed = (71.1 / 44.2) ** (1 / 5) - 1
    needed = (150 / 71.1) ** (1 / 5) - 1
    assert found.form == "level"
    assert found.ratio == pytest.approx(observed / needed)
    assert found.status == "at_risk"


def test_cumulative_total_and_the_closing_year():
    rows = figures([
        (2025, "P2021_2025", "target", 100.0, None, None, "total over 2021–2025"),
        (2021, "FY", "actual", 10.0, None, None, None), (2022, "FY", "actual", 10.0, None, None, None),
    ])
    flow = catalogue_row(measure="flow", unit="tỷ đồng")
    found = fiveyear.judge_span(rows.iloc[0].to_dict(), flow, rows, 2022)
    assert found.form == "total" and found.needed_rate == pytest.approx((100 - 20) / 3)
    assert found.ratio == pytest.approx(10 / (80 / 3)) and found.status == "behind"
    done = figures([(y, "FY", "actual", 20.0, None, None, None) for y in range(2021, 2026)])
    done = pd.concat([rows.iloc[[0]], done], ignore_index=True)
    assert fiveyear.judge_span(rows.iloc[0].to_dict(), flow, done, 2025).status == "met"


def test_a_target_already_secured_and_one_without_figures():
    rows = figures([
        (2030, "P2021_2030", "target", None, 2.5, 3.5, None),
        (2021, "FY", "actual", 30.0, None, None, None),
    ])
    assert fiveyear.judge_span(rows.iloc[0].to_dict(), catalogue_row(), rows, 2021).status == "on_track"
    assert fiveyear.judge_span(rows.iloc[0].to_dict(), catalogue_row(), rows.iloc[[0]], 2021).status == "no_data"


def test_form_from_the_note_else_the_measure():
    assert fiveyear.form_of({"note": "tăng bình quân 8%/năm"}, {"measure": "level"}) == "average"
    assert fiveyear.form_of({"note": "tổng kim ngạch 5 năm"}, {"measure": "rate"}) == "total"
    assert fiveyear.form_of({"note": None}, {"measure": "level"}) == "level"
    assert fiveyear.form_of({"note": ""}, {"measure": "flow"}) == "total"


def test_five_year_status_on_the_history_ignores_later_figures(built_store):
    observations, indicators = built_store.current("observations"), built_store.current("indicators")
    with_later = {(s.indicator_id, s.period): s for s in fiveyear.assess(observations, indicators, 2024)}
    held_back = observations[(observations["year"] <= 2024) | (observations["kind"] == "target")]
    without = {(s.indicator_id, s.period): s for s in fiveyear.assess(held_back, indicators, 2024)}
    assert with_later == without
    growth = with_later[("grdp_growth", "P2021_2030")]
    # 2022-2024: 7,22; 7,0; 6,01 (2021 unknown) against an average of 8 a year over 2021-2030.
    achieved = ((1.0722 * 1.07 * 1.0601) ** (1 / 3) - 1) * 100
    assert growth.years_known == 3 and growth.achieved_rate == pytest.approx(achieved)
    assert growth.status == "at_risk"
    assert with_later[("grdp_per_capita", "P2021_2030")].status == "behind"
    assert with_later[("poverty_rate_reduction", "P2021_2025")].achieved_rate == pytest.approx(2.95)


def test_five_year_settings_are_checked(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[fiveyear]\non_track_ratio = 0.95\nat_risk_ratio = 0.6\n", encoding="utf-8")
    with pytest.raises(TrackerError) as error:
        fiveyear.load_settings(path)
    assert error.value.key == "status.rules_missing"
    path.write_text("[fiveyear]\non_track_ratio = 0.95\nat_risk_ratio = 0.6\nmoving_away_ratio = 0\nextra = 1\n",
                    encoding="utf-8")
    with pytest.raises(TrackerError) as error:
        fiveyear.load_settings(path)
    assert error.value.key == "status.rules_unknown"
    with pytest.raises(TrackerError):
        read_section("projection", {"min_history_years": (1, 50)}, path)
    status.load_rules()  # the real file passes the status engine's own check, new sections included


def test_five_year_settings_come_from_the_rules_setting(tmp_path, monkeypatch):
    """$PLAN_RULES names the file for the five-year status too, not only the status engine."""
    path = tmp_path / "rules.toml"
    text = (Path(__file__).resolve().parents[1] / "data" / "status_rules.toml").read_text(encoding="utf-8")
    assert "on_track_ratio = 0.95" in text
    path.write_text(text.replace("on_track_ratio = 0.95", "on_track_ratio = 0.9"), encoding="utf-8")
    monkeypatch.setenv("PLAN_RULES", str(path))
    assert fiveyear.load_settings().on_track_ratio == 0.9


# ---------------------------------------------------------------- projection


def flow_rows(partials, finals, target=None, period="H1"):
    rows = [(y, period, "actual", v, None, None, None) for y, v in partials.items()]
    rows += [(y, "FY", "actual", v, None, None, None) for y, v in finals.items()]
    if target is not None:
        rows.append((max(partials), "FY", "target", target, None, None, None))
    return figures(rows)


def test_own_seasonal_share_from_three_earlier_years():
    rows = flow_rows({2021: 40, 2022: 45, 2023: 50, 2024: 60}, {2021: 100, 2022: 100, 2023: 100}, target=120)
    partial = rows[(rows["year"] == 2024) & (rows["period"] == "H1")].iloc[0].to_dict()
    target = rows[rows["kind"] == "target"].iloc[0].to_dict()
    found = projection.project(partial, target, catalogue_row(measure="flow", unit="tỷ đồng"), rows)
    pad = projection.current().own_spread_padding
    assert found.method == "own_share" and found.history_years == (2021, 2022, 2023)
    assert found.projected == pytest.approx(60 / 0.45)
    assert (found.low, found.high) == (pytest.approx(60 / (0.5 * (1 + pad))), pytest.approx(60 / (0.4 * (1 - pad))))
    assert found.verdict == "uncertain"  # 117.6 to 153: the plan of 120 is inside the interval
    assert "2021, 2022, 2023" in found.explanation_vi and "45%" in found.explanation_en


def test_default_share_with_a_wider_interval_and_an_implied_plan():
    rows = flow_rows({2024: 60}, {}, target=None)
    partial = {**rows.iloc[0].to_dict(), "pct_of_plan": 40.0}
    found = projection.project(partial, None, catalogue_row(measure="flow", unit="tỷ đồng"), rows)
    spread = projection.current().default_share_spread
    assert found.method == "default_share" and found.target_basis == "implied"
    assert found.projected == pytest.approx(120) and found.target["value"] == pytest.approx(150)
    assert found.high == pytest.approx(60 / (0.5 * (1 - spread)))
    assert found.verdict == "unlikely"  # at most 141 against 150


def test_rates_carry_their_usual_change_to_the_full_year():
    rows = figures([
        (2021, "H1", "actual", 5.0, None, None, None), (2021, "FY", "actual", 6.0, None, None, None),
        (2022, "H1", "actual", 5.0, None, None, None), (2022, "FY", "actual", 7.0, None, None, None),
        (2023, "H1", "actual", 5.0, None, None, None), (2023, "FY", "actual", 6.5, None, None, None),
        (2024, "H1", "actual", 6.0, None, None, None), (2024, "FY", "target", None, 7.0, 7.5, None),
    ])
    partial = rows[(rows["year"] == 2024) & (rows["period"] == "H1")].iloc[0].to_dict()
    target = rows[rows["kind"] == "target"].iloc[0].to_dict()
    found = projection.project(partial, target, catalogue_row(), rows)
    assert found.method == "own_change" and found.projected == pytest.approx(7.5)
    assert found.verdict == "uncertain"  # 7.0 - 2% of 7.5 to 8.15: the low end falls short of 7
    alone = projection.project(partial, target, catalogue_row(), rows[rows["year"] == 2024])
    assert alone.method == "default_change" and alone.projected == 6.0
    assert alone.high == pytest.approx(6.0 + projection.current().default_rate_spread_pp)


def test_projection_of_a_year_does_not_see_its_final_figures(built_store):
    observations, indicators = built_store.current("observations"), built_store.current("indicators")
    held_back = observations[~((observations["year"] == 2025) & (observations["period"] == "FY")
                               & observations["kind"].isin(["actual", "estimate"]))]
    seen = projection.project_year(observations, indicators, 2025)
    blind = projection.project_year(held_back, indicators, 2025)
    assert [(p.indicator_id, p.projected, p.verdict) for p in seen] == [(p.indicator_id, p.projected, p.verdict) for p in blind]
    growth = next(p for p in blind if p.indicator_id == "grdp_growth")
    # From H1 2025 (8,37%) with the H1 -> FY changes of 2017, 2018, 2023, 2024 against the plan of 7,7 - 8%.
    assert growth.method == "own_change" and growth.history_years == (2017, 2018, 2023, 2024)
    assert growth.verdict == "likely_met"
    assert projection.headline(blind, "vi") == "Ước cả năm: 2/3 chỉ tiêu có khả năng đạt và vượt kế hoạch"
    table = projection.columns(blind)
    assert list(table.columns) == ["indicator_id", "projected", "projected_low", "projected_high", "projection_verdict"]


def test_backtest_table_is_the_one_in_the_readme(built_store):
    observations, indicators = built_store.current("observations"), built_store.current("indicators")
    table = projection.backtest(observations, indicators)
    growth = table[table["indicator_id"] == "grdp_growth"].set_index("year")
    assert growth.loc[2024, "method"] == "own_change" and growth.loc[2024, "inside"]
    assert growth.loc[2023, "method"] == "default_change"
    assert (table["error"] == table["projected"] - table["final"]).all()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert projection.backtest_markdown(table) in readme


# ------------------------------------------------------------------- history


def test_change_on_last_year_is_computed_where_not_reported(indicators):
    rows = figures([
        (2023, "H1", "actual", 100.0, None, None, None), (2024, "H1", "actual", 110.0, None, None, None),
        (2024, "FY", "estimate", 300.0, None, None, None),
    ]).assign(indicator_id="budget_revenue", yoy_pct=[NaN, NaN, 12.0], pct_of_plan=NaN)
    shown = history.with_computed_yoy(rows, indicators)
    assert shown["yoy_shown"].tolist()[1:] == [10.0, 12.0]
    assert shown["yoy_basis"].tolist() == [None, "computed", "reported"]
    growth = rows.assign(indicator_id="grdp_growth")  # a rate: no "% on last year"
    assert history.with_computed_yoy(growth, indicators)["yoy_basis"].tolist()[:2] == [None, None]


def test_year_picker_offers_years_with_data(built_store):
    years = views.years(built_store.current("observations"))
    assert years[0] == 2025 and 2019 in years and 2016 not in years and 2030 not in years


def test_a_year_the_history_gives_a_target_and_an_estimate_for_is_judged(built_store):
    observations, indicators = built_store.current("observations"), built_store.current("indicators")
    card = scorecard.scorecard(observations, indicators, 2023, "FY").set_index("indicator_id")
    # GRDP 7,0% against 7 - 7,5%; budget revenue 7.806,6 against the dự toán of 8.200; per capita 59,8 against 55 - 56.
    assert card.loc["grdp_growth", "status"] == "met"
    assert card.loc["budget_revenue", "status"] == "not_met"
    assert card.loc["grdp_per_capita", "status"] == "exceeded"
    h1 = scorecard.scorecard(observations, indicators, 2018, "H1").set_index("indicator_id")
    assert h1.loc["grdp_growth", "status"] == "at_risk"  # 7,98% by June against the 2018 plan of 8 - 8,5%
