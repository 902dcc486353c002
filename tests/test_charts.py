"""The charts and the view logic, pure: figures built from the seed store and
read back from fig.to_dict() — titles, units, number separators, one trace
per kind of figure, target bands, hover text — and the words and choices
the views make (periods, values, default view, scorecard and revision tables)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tracker import charts, scorecard, views, wording
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.model import Facts

OKABE_ITO = {c.lower() for c in (charts.BLACK, charts.ORANGE, charts.SKY, charts.GREEN, charts.YELLOW,
                                 charts.BLUE, charts.VERMILLION, charts.PURPLE, charts.GREY)}
SECTORS = ["grdp_growth.agriculture", "grdp_growth.industry_construction", "grdp_growth.services",
           "grdp_growth.product_taxes"]
STRUCTURE = [s.replace("grdp_growth", "economic_structure") for s in SECTORS]
FLOWS = ["trade_turnover", "trade_turnover.export", "trade_turnover.import"]


@pytest.fixture(scope="module")
def facts(plan_120_store) -> Facts:
    """The 2018 plan's figures alone: these tests check how its views are drawn."""
    return Facts.from_store(plan_120_store)


@pytest.fixture(scope="module")
def card_h1(facts) -> pd.DataFrame:
    return scorecard.scorecard(facts.observations, facts.indicators, 2018, "H1")


def traces(spec) -> list[dict]:
    return spec.figure.to_dict()["data"]


def without_projection(fig: dict) -> list[dict]:
    """The chart's traces other than the projected full year's marker (tested in test_years.py)."""
    names = {t("years.chart.projection", lang) for lang in ("vi", "en")}
    return [trace for trace in fig["data"] if trace.get("name") not in names]


def colour(trace: dict) -> str:
    marker = trace["marker"]
    line = marker.get("line", {}).get("color")
    return (line if isinstance(line, str) else marker["color"]).lower()


# -- one indicator over time -------------------------------------------------------------
def test_grdp_growth_timeline_in_vietnamese(facts):
    spec = charts.indicator_chart(facts, "grdp_growth", "vi")
    fig = spec.figure.to_dict()
    assert spec.title == "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)"
    assert spec.unit == "%"
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["yaxis"]["title"]["text"] == "Đơn vị: %"
    assert fig["layout"]["xaxis"]["ticktext"] == [
        "6 tháng đầu 2017", "6 tháng đầu 2018", "6 tháng cuối 2018", "Năm 2018", "Năm 2019",
    ]
    assert fig["layout"]["xaxis"]["tickvals"] == [0, 1, 2, 3, 4]
    assert [(tr["type"], tr["name"], list(tr["text"])) for tr in fig["data"]] == [
        ("scatter", "Thực hiện 6 tháng đầu năm", ["5,9", "7,98"]),
        ("bar", "Kế hoạch 6 tháng cuối năm", ["8,5 - 9,5"]),
        ("scatter", "Ước thực hiện cả năm", ["8 - 9"]),
        ("bar", "Kế hoạch cả năm", ["8 - 9"]),
    ]
    # An estimate given as a range is an interval (whiskers round an open marker), unlike a target band.
    estimate = fig["data"][2]
    assert list(estimate["y"]) == [8.5] and list(estimate["error_y"]["array"]) == [0.5]
    assert estimate["marker"]["symbol"].endswith("-open")
    # A range is a floating band: from its low, as high as the range.
    target_2019 = fig["data"][3]
    assert list(target_2019["base"]) == [8.0] and list(target_2019["y"]) == [1.0]
    # The year's target band is shaded behind that year's slots.
    bands = [s for s in fig["layout"]["shapes"] if s["type"] == "rect"]
    assert [(b["y0"], b["y1"], b["x0"], b["x1"]) for b in bands] == [(8.0, 9.0, 3.55, 4.45)]
    assert spec.period == "6 tháng đầu 2017; 6 tháng đầu 2018; 6 tháng cuối 2018; Năm 2018; Năm 2019"
    assert spec.target == "Kế hoạch 6 tháng cuối năm 2018: 8,5 - 9,5%; Kế hoạch cả năm 2019: 8 - 9%"
    assert spec.source == "120/KH-UBND 10/8/2018"
    assert spec.as_of == "10/08/2018"


@pytest.mark.parametrize("lang, label, implied", [("vi", "2.430 (đạt 50,4% KH)", "4.821 (suy ra)"),
                                                  ("en", "2,430 (50.4% of plan)", "4,821 (implied)")])
def test_a_point_label_carries_the_reported_pct_of_plan(facts, lang, label, implied):
    fig = charts.indicator_chart(facts, "trade_turnover", lang).figure.to_dict()
    # The first half's 2.430 at 50,4% of plan implies the 2018 plan of 2.430 ÷ 50,4% = 4.821 (issue 10, item 2).
    assert [list(tr["text"]) for tr in without_projection(fig) if tr["type"] == "scatter"] == [[label], [implied]]


def test_kinds_differ_by_colour_and_by_shape_or_pattern(facts):
    fig = charts.indicator_chart(facts, "grdp_growth", "vi").figure.to_dict()
    looks = []
    for trace in fig["data"]:
        shape = trace["marker"].get("symbol") if trace["type"] == "scatter" else trace["marker"]["pattern"]["shape"]
        looks.append((colour(trace), str(shape)))
    assert len({c for c, _ in looks}) == len(looks), looks
    assert len({s for _, s in looks}) == len(looks), looks
    assert {c for c, _ in looks} <= OKABE_ITO


def test_timeline_in_english_uses_english_separators_and_words(facts):
    spec = charts.indicator_chart(facts, "trade_turnover", "en")
    fig = spec.figure.to_dict()
    assert fig["layout"]["separators"] == ".,"
    assert spec.title == "Total import-export turnover"
    assert spec.unit == "million USD"
    assert fig["layout"]["yaxis"]["title"]["text"] == "Unit: million USD"
    assert [(tr["name"], list(tr["text"])) for tr in without_projection(fig)] == [
        ("Actual, first half", ["2,430 (50.4% of plan)"]),
        ("Implied plan (from the reported % of plan)", ["4,821 (implied)"])]
    hover = fig["data"][0]["hovertext"][0]
    assert "Actual, first half 2018: <b>2,430 million USD</b>" in hover
    assert "50.4% of plan" in hover and "+5%" in hover
    assert "On track" in hover and "pace" in hover
    assert "Source: 120/KH-UBND 10/8/2018" in hover


def test_hover_carries_the_status_explanation_and_the_source(facts):
    fig = charts.indicator_chart(facts, "budget_revenue", "vi").figure.to_dict()
    h1 = next(tr for tr in fig["data"] if tr["name"] == "Thực hiện 6 tháng đầu năm")
    hover = h1["hovertext"][0]
    assert "2.441,7 tỷ đồng" in hover
    assert "Đạt 41,4% kế hoạch" in hover
    assert "▼ Chậm tiến độ" in hover
    assert "tỷ lệ tiến độ" in hover
    assert "Nguồn: 120/KH-UBND 10/8/2018" in hover


def test_figures_sharing_a_period_sit_side_by_side(facts):
    fig = charts.indicator_chart(facts, "poverty_rate_reduction", "vi").figure.to_dict()
    x = {tr["name"]: list(tr["x"]) for tr in fig["data"]}
    # 2018: the full-year estimate and the full-year target share slot 1, one on each side.
    assert x["Ước thực hiện cả năm"] == [pytest.approx(1 - charts.SLOT_STEP / 2)]
    assert x["Kế hoạch cả năm"] == [pytest.approx(1 + charts.SLOT_STEP / 2), 2]
    assert fig["layout"]["xaxis"]["ticktext"] == ["6 tháng đầu 2018", "Năm 2018", "Năm 2019"]


def test_at_least_targets_are_triangles_labelled_with_their_bound(facts):
    fig = charts.indicator_chart(facts, "budget_revenue", "vi").figure.to_dict()
    h2 = next(tr for tr in fig["data"] if tr["name"] == "Kế hoạch 6 tháng cuối năm")
    assert list(h2["marker"]["symbol"]) == ["triangle-up"]
    assert list(h2["text"]) == ["≥ 3.600"]


def test_timeline_window_and_data_behind_the_chart(facts):
    spec = charts.indicator_chart(facts, "forest_cover", "vi", year=2018)
    assert list(spec.data.columns) == [
        "Chỉ tiêu", "Năm", "Kỳ", "Loại số liệu", "Giá trị (%)", "Cận dưới (%)", "Cận trên (%)",
        "Số liệu (nguyên văn kế hoạch)", "% kế hoạch (theo báo cáo)", "% so với cùng kỳ", "Đánh giá",
        "Giải thích", "Nguồn", "Ghi chú",
    ]
    expected = pd.DataFrame({
        "Năm": [2018, 2019], "Loại số liệu": ["Ước thực hiện", "Kế hoạch"], "Giá trị (%)": [62.0, 62.5],
        "Số liệu (nguyên văn kế hoạch)": ["62%", "62,5%"],
    })
    pd.testing.assert_frame_equal(spec.data[expected.columns].reset_index(drop=True), expected)
    assert spec.data["Đánh giá"].iloc[0].endswith("Chưa có chỉ tiêu")


def test_a_chart_without_figures_is_refused_not_drawn_empty(facts):
    with pytest.raises(TrackerError):
        charts.indicator_chart(facts, "grdp_growth", "vi", year=2030)
    assert charts.indicator_charts(facts, ["grdp_growth", "forest_cover"], "vi", year=2030) == []
    assert charts.breakdown(facts, SECTORS, 2030, "FY", "vi", chart_id="x", title="x") is None


def test_flows_read_from_zero_and_a_level_near_its_values_marks_the_break(facts):
    revenue = charts.indicator_chart(facts, "budget_revenue", "vi", year=2018).figure.to_dict()["layout"]["yaxis"]
    assert revenue["rangemode"] == "tozero"
    cover = charts.indicator_chart(facts, "forest_cover", "vi", year=2018).figure.to_dict()["layout"]
    low, high = cover["yaxis"]["range"]
    assert 55 < low < 62 and high > 62.5
    assert cover["yaxis"]["title"]["text"] == "Đơn vị: % (trục không bắt đầu từ 0)"
    assert [a["text"] for a in cover["annotations"]] == ["≈"]


def test_a_point_label_moves_below_a_target_line_just_above_it():
    guides = [(-0.45, 0.45, 10.0)]
    assert charts.timeline.label_position(0, 9.5, guides, span=10) == "bottom center"
    assert charts.timeline.label_position(0, 5.0, guides, span=10) == "top center"  # far below: no clash
    assert charts.timeline.label_position(0, 10.5, guides, span=10) == "top center"  # above the line
    assert charts.timeline.label_position(2, 9.5, guides, span=10) == "top center"  # another year


def test_a_one_figure_series_is_a_card_with_its_status(facts):
    (card,) = charts.timelines(facts, ["trade_turnover"], "vi", year=2018)
    assert isinstance(card, charts.FigureCard)
    assert (card.name, card.value, card.label) == (
        "Tổng kim ngạch xuất nhập khẩu", "2.430 triệu USD", "Thực hiện 6 tháng đầu năm 2018")
    assert card.status == "on_track" and card.status_text == "● Đúng tiến độ"
    assert "50,4%" in card.details and card.source == "120/KH-UBND 10/8/2018"
    assert [type(x) for x in charts.timelines(facts, ["grdp_growth"], "vi", year=2018)] == [charts.ChartSpec]


def test_a_breakdown_refuses_two_units_on_one_axis(facts):
    with pytest.raises(ValueError, match="units"):
        charts.breakdown(facts, ["traffic_accidents", "traffic_accidents.deaths"], 2018, "H1", "vi",
                         chart_id="x", title="x")


# -- several indicators in one year ----------------------------------------------------------
def test_structure_against_its_bands(facts):
    spec = charts.breakdown(facts, STRUCTURE, 2018, "H1", "vi", chart_id="economy.structure", title="Cơ cấu")
    fig = spec.figure.to_dict()
    assert fig["layout"]["barmode"] == "group"
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["xaxis"]["categoryarray"] == [
        "Nông, lâm nghiệp và thủy sản", "Công nghiệp và xây dựng", "Dịch vụ",
        "Thuế sản phẩm trừ trợ cấp sản phẩm",
    ]
    names = [tr["name"] for tr in fig["data"]]
    assert names == ["Thực hiện 6 tháng đầu năm 2018", "Ước thực hiện cả năm 2018", "Kế hoạch cả năm 2019"]
    # The full-year estimate "20 - 21" is an interval, unlike the 2019 target band beside it.
    estimate = fig["data"][1]
    assert estimate["type"] == "scatter" and list(estimate["error_y"]["array"]) == [0.5] * 4
    plan_2019 = fig["data"][2]
    by_sector = dict(zip(plan_2019["x"], zip(plan_2019["base"], plan_2019["y"], plan_2019["text"], strict=True), strict=True))
    assert by_sector["Dịch vụ"] == (50.0, 1.0, "50 - 51")
    assert by_sector["Nông, lâm nghiệp và thủy sản"] == (19.0, 1.0, "19 - 20")
    actual = fig["data"][0]
    assert dict(zip(actual["x"], actual["text"], strict=True))["Dịch vụ"] == "49,42"
    assert spec.unit == "%"
    assert "Dịch vụ, kế hoạch cả năm 2019: 50 - 51%" in spec.target


def test_sectors_include_second_half_targets_and_a_fall_below_zero(facts):
    spec = charts.breakdown(facts, ["budget_revenue", "budget_revenue.domestic", "budget_revenue.import_export"],
                            2018, "H1", "en", chart_id="budget.revenue", title="Revenue")
    names = [tr["name"] for tr in traces(spec)]
    assert "Target, second half 2018" in names
    sectors = charts.breakdown(facts, SECTORS, 2018, "H1", "vi", chart_id="s", title="s").figure.to_dict()
    actual = sectors["data"][0]
    assert dict(zip(actual["x"], actual["y"], strict=True))["Nông, lâm nghiệp và thủy sản"] == -0.58


# -- % of plan through the year ------------------------------------------------------------
def test_trade_pace_against_the_year_elapsed(facts, card_h1):
    spec = charts.pace(card_h1, FLOWS, 2018, "H1", "vi", chart_id="trade.pace", title="Tiến độ", facts=facts)
    fig = spec.figure.to_dict()
    bar = fig["data"][0]
    assert bar["orientation"] == "h"
    assert list(bar["y"]) == ["Tổng kim ngạch xuất nhập khẩu", "Kim ngạch xuất khẩu", "Kim ngạch nhập khẩu"]
    assert list(bar["text"]) == ["50,4% · ● Đúng tiến độ", "54% · ● Đúng tiến độ", "45,2% · ◐ Có nguy cơ không đạt"]
    assert list(bar["marker"]["pattern"]["shape"]) == ["", "", "/"]
    elapsed = [s for s in fig["layout"]["shapes"] if s["type"] == "line"]
    assert [(s["x0"], s["x1"]) for s in elapsed] == [(50.0, 50.0)]
    assert fig["layout"]["annotations"][0]["text"] == "Thời gian đã qua: 50% năm"
    assert fig["layout"]["xaxis"]["ticksuffix"] == "%"
    expected = pd.DataFrame({
        "Chỉ tiêu": ["Tổng kim ngạch xuất nhập khẩu", "Kim ngạch xuất khẩu", "Kim ngạch nhập khẩu"],
        "Đơn vị": ["triệu USD"] * 3,
        "Giá trị": [2430.0, 1540.0, 890.0],
        "% kế hoạch (theo báo cáo)": [50.4, 54.0, 45.2],
        "Mức cần đạt đến kỳ này (%)": [50.0, 50.0, 50.0],
        "% so với cùng kỳ": [5.0, 9.2, -1.7],
    })
    pd.testing.assert_frame_equal(spec.data[expected.columns], expected)
    assert spec.period == "6 tháng đầu 2018"


def test_forest_planting_is_paced_by_its_season(facts, card_h1):
    spec = charts.pace(card_h1, ["forest_planting"], 2018, "H1", "en", chart_id="p", title="p", facts=facts)
    fig = spec.figure.to_dict()
    seasonal = [tr for tr in fig["data"] if tr["type"] == "scatter"]
    assert [(tr["name"], list(tr["x"]), list(tr["text"])) for tr in seasonal] == [
        ("Seasonal share expected by now", [70.0], ["70% due by now (seasonal)"]),
    ]
    assert spec.data["Share expected by now (%)"].tolist() == [70.0]


def test_change_on_last_year_draws_falls_below_zero_hatched(card_h1):
    spec = charts.change_on_last_year(card_h1, FLOWS, 2018, "H1", "vi", chart_id="trade.yoy", title="yoy")
    bar = traces(spec)[0]
    assert list(bar["text"]) == ["+5%", "+9,2%", "-1,7%"]
    assert list(bar["marker"]["pattern"]["shape"]) == ["", "", "x"]
    assert spec.figure.to_dict()["layout"]["yaxis"]["title"]["text"] == "% so với cùng kỳ năm trước"


def test_attainment_lists_what_slips_first(card_h1):
    spec = charts.attainment(card_h1, 2018, "H1", "vi")
    bar = traces(spec)[0]
    statuses = [text.split(" · ", 1)[1] for text in bar["text"]]
    slipping = [i for i, s in enumerate(statuses) if "Đúng tiến độ" not in s]
    assert slipping == list(range(len(slipping))) and slipping, statuses
    assert bar["text"][0] == "29,8% · ▼ Chậm tiến độ"
    assert {colour({"marker": {"color": c}}) for c in bar["marker"]["line"]["color"]} <= OKABE_ITO


def test_attainment_names_fit_a_slide_however_many_bars(card_h1):
    bar = traces(charts.attainment(card_h1, 2018, "H1", "vi"))[0]
    labels = list(bar["y"])
    assert len(labels) == 20 and len(set(labels)) == 20
    # Twenty bars: one line each, short enough for the slide's label column, cut at a word.
    assert all("<br>" not in label and len(label) <= 26 for label in labels), labels
    assert "Thu từ hoạt động xuất…" in labels
    few = traces(charts.attainment(card_h1[card_h1["group"] == "trade"], 2018, "H1", "vi"))[0]
    assert list(few["y"])[0] == "Kim ngạch nhập khẩu"


def test_value_labels_stay_clear_of_the_reference_line(card_h1):
    fig = charts.attainment(card_h1, 2018, "H1", "vi").figure.to_dict()
    labels = [a for a in fig["layout"]["annotations"] if a.get("yref") == "y"]
    assert len(labels) == 20
    # Each label starts right of its bar's end and of the 100% line.
    values = dict(zip(fig["data"][0]["y"], fig["data"][0]["x"], strict=True))
    assert all(a["xanchor"] == "left" and a["x"] > max(100, values[a["y"]]) for a in labels)


def test_change_on_last_year_is_coloured_by_direction(card_h1):
    traffic = ["traffic_accidents", "traffic_accidents.deaths", "traffic_accidents.injuries"]
    spec = charts.change_on_last_year(card_h1, traffic, 2018, "H1", "vi", chart_id="t", title="t")
    bar, *legend = traces(spec)
    assert list(bar["text"]) == ["-6,5%", "-12,1%", "+128,6%"]
    # Fewer accidents and deaths are better (blue, plain); more injuries are worse (vermillion, hatched).
    assert [c.lower() for c in bar["marker"]["line"]["color"]] == [charts.BLUE.lower()] * 2 + [charts.VERMILLION.lower()]
    assert list(bar["marker"]["pattern"]["shape"]) == ["", "", "x"]
    assert [tr["name"] for tr in legend] == ["Tốt hơn cùng kỳ", "Kém hơn cùng kỳ"]
    assert "Chỉ tiêu cần giảm: giảm là tốt" in bar["hovertext"][1]


# -- the words and choices of the views ----------------------------------------------------------
@pytest.mark.parametrize("row, lang, unit, text", [
    ({"value": 7.98, "qualifier": "exact"}, "vi", "%", "7,98%"),
    ({"low": 8.0, "high": 9.0, "qualifier": "range"}, "vi", "%", "8 - 9%"),
    ({"value": 304.0, "qualifier": "approx"}, "vi", "nghìn tấn", "~304 nghìn tấn"),
    ({"value": 3600.0, "low": 3600.0, "qualifier": "at_least"}, "vi", "tỷ đồng", "≥ 3.600 tỷ đồng"),
    ({"value": 1437.4, "qualifier": "exact"}, "en", "billion VND", "1,437.4 billion VND"),
    ({"value": 5.9, "qualifier": "exact"}, "vi", "", "5,9"),
])
def test_value_text(row, lang, unit, text):
    assert wording.quantity(row, lang, unit, short=True) == text


def test_period_words():
    assert wording.when_label(2018, "H1", "vi") == "6 tháng đầu năm 2018"
    assert wording.when_label(2019, "FY", "en") == "full year 2019"
    assert wording.when_label(2018, "M05", "vi") == "đến hết tháng 5 năm 2018"
    assert wording.figure_label("estimate", "FY", "vi", year=2018) == "Ước thực hiện cả năm 2018"
    assert wording.slot_label(2018, "H1", "en") == "H1 2018"
    assert wording.status_text("behind", "vi") == "▼ Chậm tiến độ"


def test_years_periods_and_the_default_view(facts):
    obs = facts.observations
    assert views.years(obs) == [2019, 2018, 2017]
    # H2 holds only the plan's second-half targets, and can be chosen (issue 10, item 10).
    assert views.periods(obs) == ["Q1", "M05", "H1", "H2", "FY"]
    counts = {
        yp: scorecard.headline(scorecard.scorecard(obs, facts.indicators, *yp)).judged
        for yp in views.candidate_views(obs)
    }
    # The half-year report judges many figures; the full-year estimates barely any.
    assert counts[(2018, "H1")] > counts[(2018, "FY")]
    assert views.default_view(counts) == (2018, "H1")
    assert views.default_view({(2019, "FY"): 0}) is None
    assert views.default_view({(2019, "H1"): 20, (2019, "FY"): 25, (2018, "FY"): 40}) == (2019, "FY")


def test_coverage_tells_figures_targets_and_nothing_apart(facts):
    obs = facts.observations
    assert views.coverage(obs, 2018, "H1") == "figures"
    assert views.coverage(obs, 2019, "H1") == "targets"
    assert views.coverage(obs, 2017, "FY") == "none"
    trade = obs[obs["indicator_id"].isin(FLOWS)]
    assert views.available_text(views.candidate_views(trade), "vi") == "6 tháng đầu 2018"
    assert views.available_text(views.candidate_views(obs)[:2], "en") == "FY 2018; H1 2018"


def test_card_table_for_leaders(card_h1):
    table = views.card_table(card_h1, "vi")
    row = table[table["Mã chỉ tiêu"] == "budget_revenue"].iloc[0]
    assert row["Lĩnh vực"] == "Ngân sách"
    assert row["Đánh giá"] == "▼ Chậm tiến độ"
    assert row["Số liệu"] == "Thực hiện 6 tháng đầu năm: 2.441,7 tỷ đồng"
    assert row["Mức đạt (%)"] == 41.4
    assert row["% so với cùng kỳ"] == -19.3


def test_revision_table_marks_the_current_figure(fresh_store):
    incoming = fresh_store.current("observations")
    incoming = incoming[(incoming["indicator_id"] == "trade_turnover") & (incoming["year"] == 2018)]
    incoming = incoming[[c for c in incoming.columns if c not in ("published_at", "published_by", "publish_id")]]
    incoming = incoming.assign(value=2431.0, source="test revision")
    fresh_store.publish("observations", incoming, user="test-analyst")
    revisions = fresh_store.revisions("observations", {"indicator_id": "trade_turnover", "area_id": "VN-09"})
    indicator = Facts.from_store(fresh_store).indicator("trade_turnover")
    table = views.revision_table(revisions, indicator, "vi")
    table = table[table["Năm"] == 2018].reset_index(drop=True)  # the published history holds other years too
    expected = pd.DataFrame({
        "Số liệu": ["2.430 triệu USD", "2.431 triệu USD"],
        "Nguồn": ["120/KH-UBND 10/8/2018", "test revision"],
        "Người cập nhật": ["build", "test-analyst"],
        "Trạng thái": ["↺ Đã được điều chỉnh", "✔ Đang dùng"],
    })
    pd.testing.assert_frame_equal(table[expected.columns], expected)


# -- implied plans and views over years (issue 10 item 2, issue 15 item 4) ----------------------
@pytest.mark.parametrize("lang, name, words", [
    ("vi", "Kế hoạch suy ra (từ % kế hoạch đã báo cáo)", "kế hoạch suy ra: 2.441,7 tỷ đồng là 41,4% KH"),
    ("en", "Implied plan (from the reported % of plan)", "implied plan: 2,441.7 billion VND is 41.4% of plan"),
])
def test_a_reported_pct_of_plan_draws_the_implied_plan_unlike_a_stated_one(facts, lang, name, words):
    spec = charts.indicator_chart(facts, "budget_revenue", lang, year=2018)
    fig = spec.figure.to_dict()
    implied = [tr for tr in fig["data"] if tr["name"] == name]
    assert len(implied) == 1
    (trace,) = implied
    # FY 2018 has no target row; its first-half 2.441,7 is 41,4% of plan: 2.441,7 ÷ 41,4 × 100.
    assert list(trace["y"]) == [pytest.approx(2441.7 / 41.4 * 100)]
    assert trace["marker"]["symbol"].endswith("-open")
    assert words in trace["hovertext"][0]
    # The stated targets (the second half's "≥ 3.600", 2019's 4.550) are never labelled implied.
    stated = [tr for tr in fig["data"] if tr is not trace and tr["name"].startswith(wording.kind_label("target", lang))]
    expected = [["≥ 3.600"], ["4.550"]] if lang == "vi" else [["≥ 3,600"], ["4,550"]]
    assert [list(tr["text"]) for tr in stated] == expected
    assert not any(words.split(":")[0] in hover for tr in stated for hover in tr["hovertext"])
    assert trace["x"][0] > fig["data"][0]["x"][0]  # placed in the full-year slot, after the first half
    # Behind the chart, as its own kind of row, after the figures.
    last = spec.data.iloc[-1]
    assert last.iloc[3] == t("charts2.implied.kind", lang)
    assert words in last.iloc[7]
    assert (spec.data.iloc[:-1, 3] != t("charts2.implied.kind", lang)).all()


def test_a_stated_target_is_never_drawn_as_implied(facts):
    # GRDP growth states its 2018 and 2019 targets: no implied plan, though its figures are many.
    fig = charts.indicator_chart(facts, "grdp_growth", "vi", year=2018).figure.to_dict()
    assert not any("suy ra" in tr["name"] for tr in fig["data"])


@pytest.fixture(scope="module")
def history(built_store) -> Facts:
    """The seed store with the published history 2015–2025."""
    return Facts.from_store(built_store)


def plain(tick: str) -> str:
    """A tick label as read: markup gone, its lines joined by spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", tick).split())


def test_a_timeline_shows_every_year_with_the_chosen_one_marked(history):
    spec = charts.indicator_chart(history, "grdp_growth", "vi", year=2018)
    fig = spec.figure.to_dict()
    ticks = fig["layout"]["xaxis"]["ticktext"]
    years = history.observations.query("indicator_id == 'grdp_growth'")["year"]
    assert {int(y) for y in years} == {int(plain(tick).split()[-1]) for tick in ticks}
    assert len(ticks) > charts.timeline.CROWDED_SLOTS and plain(ticks[0]) == "6 tháng đầu 2017"
    # Crowded: level labels, the year on a line of its own.
    assert ticks[-1] == "Năm<br>2025" and fig["layout"]["xaxis"]["tickangle"] == 0
    bold = [i for i, tick in enumerate(ticks) if tick.startswith("<b>")]
    assert [plain(ticks[i]) for i in bold] == ["6 tháng đầu 2018", "6 tháng cuối 2018", "Năm 2018"]
    # The chosen year shaded from the plot's foot to its top, over its slots alone.
    (shade,) = [s for s in fig["layout"]["shapes"] if s.get("yref") == "paper"]
    assert (shade["x0"], shade["x1"]) == (min(bold) - 0.5, max(bold) + 0.5)
    # Crowded: only the chosen year's and the newest year's figures carry labels.
    labelled = {round(x) for tr in fig["data"] if tr["type"] in ("scatter", "bar") and "text" in tr
                for x, text in zip(tr["x"], tr["text"], strict=True) if text}
    allowed = set(bold) | {i for i, tick in enumerate(ticks) if "2025" in tick}
    assert labelled and labelled <= allowed, (labelled, allowed)
    # The subtitle names the span and the chosen year's targets, not every slot.
    assert spec.period == "6 tháng đầu 2017 – Năm 2025"
    assert spec.target == "Kế hoạch 6 tháng cuối năm 2018: 8,5 - 9,5%; Kế hoạch cả năm 2018: 8 - 8,5%; " \
                          "Kế hoạch cả năm 2019: 8 - 9%"
    # Another year moves the mark, not the years shown.
    other = charts.indicator_chart(history, "grdp_growth", "vi", year=2024).figure.to_dict()["layout"]["xaxis"]
    assert [plain(tick) for tick in other["ticktext"]] == [plain(tick) for tick in ticks]
    assert [plain(tick) for tick in other["ticktext"] if tick.startswith("<b>")] == ["6 tháng đầu 2024", "Năm 2024"]


def test_the_subtitle_names_an_implied_plan_as_implied(facts):
    spec = charts.indicator_chart(facts, "budget_revenue", "vi", year=2018)
    assert spec.target.endswith("; Kế hoạch suy ra cả năm 2018: 5.897,8 tỷ đồng")
    assert "suy ra" not in spec.target.rsplit("; ", 1)[0]


def test_a_breakdown_draws_implied_plans_as_hollow_bars(facts):
    ids = ["budget_revenue", "budget_revenue.domestic", "budget_revenue.import_export"]
    spec = charts.breakdown(facts, ids, 2018, "H1", "vi", chart_id="x", title="x")
    fig = spec.figure.to_dict()
    (implied,) = [tr for tr in fig["data"] if tr["name"] == "Kế hoạch suy ra (từ % kế hoạch đã báo cáo)"]
    plans = dict(zip(implied["x"], implied["y"], strict=True))
    assert plans["Tổng thu ngân sách trên địa bàn"] == pytest.approx(2441.7 / 41.4 * 100)
    assert implied["marker"]["color"] == "rgba(255,255,255,0)"  # hollow: a stated target bar is filled
    assert "kế hoạch suy ra: 2.441,7 tỷ đồng là 41,4% KH" in implied["hovertext"][0]
    assert implied["text"][implied["x"].index("Tổng thu ngân sách trên địa bàn")] == "5.897,8 (suy ra)"
    kinds = spec.data["Loại số liệu"].tolist()
    assert kinds.count("Kế hoạch suy ra") == len(implied["x"]) and kinds[-1] == "Kế hoạch suy ra"
