"""Seed data transcribed from Kế hoạch 120/KH-UBND (10/8/2018), UBND tỉnh Lạng Sơn.

Checks the catalogue (data/indicators.csv) and the observations
(data/observations/120_KH-UBND_2018.csv) against the contract of SPEC section 3
and, figure by figure, against the source document.
"""

import math
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
INDICATORS_CSV = REPO / "data" / "indicators.csv"
OBSERVATIONS_CSV = REPO / "data" / "observations" / "120_KH-UBND_2018.csv"
DOCUMENT = REPO / "data" / "sources" / "004_eb4104cfb8dbd002.txt"

INDICATOR_COLUMNS = [
    "indicator_id", "parent_id", "group", "name_vi", "name_en",
    "unit_vi", "unit_en", "direction", "measure", "decimals", "min_value", "max_value", "whole_number",
]
OBSERVATION_COLUMNS = [
    "indicator_id", "area_id", "year", "period", "kind", "value", "low", "high",
    "qualifier", "pct_of_plan", "yoy_pct", "source", "note", "section",
]
NUMERIC = ["value", "low", "high", "pct_of_plan", "yoy_pct"]
KEY = ["indicator_id", "area_id", "year", "period", "kind"]

CORE_IDS = [
    "grdp_growth", "grdp_growth.agriculture", "grdp_growth.industry_construction",
    "grdp_growth.services", "grdp_growth.product_taxes",
    "economic_structure", "economic_structure.agriculture",
    "economic_structure.industry_construction", "economic_structure.services",
    "economic_structure.product_taxes",
    "grdp_per_capita", "trade_turnover", "trade_turnover.export", "trade_turnover.import",
    "local_export_growth", "budget_revenue", "budget_revenue.domestic",
    "budget_revenue.import_export", "budget_expenditure", "social_investment",
    "poverty_rate", "poverty_rate_reduction", "forest_cover", "forest_planting",
]

# Rows per top section, counted by hand against the document.
SECTION_COUNTS = {
    "1.I": 114,   # Phần thứ nhất, I: 6 tháng đầu năm 2018
    "1.II": 32,   # Phần thứ nhất, II: dự báo khả năng thực hiện năm 2018
    "1.III": 11,  # Phần thứ nhất, III: nhiệm vụ 6 tháng cuối năm 2018
    "2.II": 32,   # Phần thứ hai, II.2: chỉ tiêu chủ yếu năm 2019
    "2.III": 1,   # Phần thứ hai, III.2.4: 500 doanh nghiệp thành lập mới
}

NaN = None
# (indicator_id, year, period, kind, value, low, high, qualifier, pct_of_plan, yoy_pct)
SAMPLE_ROWS = [
    ("trade_turnover", 2018, "H1", "actual", 2430, NaN, NaN, "exact", 50.4, 5),
    ("trade_turnover.export", 2018, "H1", "actual", 1540, NaN, NaN, "exact", 54, 9.2),
    ("trade_turnover.import", 2018, "H1", "actual", 890, NaN, NaN, "exact", 45.2, -1.7),
    ("budget_revenue", 2018, "H1", "actual", 2441.7, NaN, NaN, "exact", 41.4, -19.3),
    ("budget_revenue.domestic", 2018, "H1", "actual", 1220.9, NaN, NaN, "exact", 68.0, 0.9),
    ("budget_expenditure", 2018, "H1", "estimate", 4156.5, NaN, NaN, "exact", 43.2, NaN),
    ("grdp_growth", 2018, "H1", "actual", 7.98, NaN, NaN, "exact", NaN, NaN),
    ("grdp_growth", 2017, "H1", "actual", 5.9, NaN, NaN, "exact", NaN, NaN),
    ("grdp_growth.agriculture", 2018, "H1", "actual", -0.58, NaN, NaN, "exact", NaN, NaN),
    ("grdp_growth", 2018, "FY", "estimate", NaN, 8, 9, "range", NaN, NaN),
    ("grdp_growth.product_taxes", 2018, "FY", "estimate", NaN, 3, 4, "range", NaN, NaN),
    ("grdp_growth", 2018, "H2", "target", NaN, 8.5, 9.5, "range", NaN, NaN),
    ("grdp_growth", 2019, "FY", "target", NaN, 8, 9, "range", NaN, NaN),
    ("food_output", 2019, "FY", "target", 304, NaN, NaN, "approx", NaN, NaN),
    ("food_output", 2018, "FY", "estimate", 316.2, NaN, NaN, "approx", NaN, NaN),
    ("sown_area.winter_spring", 2018, "H1", "actual", 49.8, NaN, NaN, "exact", 96, -0.6),
    ("forest_planting", 2018, "H1", "actual", 6753, NaN, NaN, "exact", 75, -7.1),
    ("forest_planting", 2018, "FY", "estimate", 10880, NaN, NaN, "exact", NaN, NaN),
    ("forest_planting", 2019, "FY", "target", 9000, NaN, NaN, "exact", NaN, NaN),
    ("livestock.cattle", 2018, "H1", "actual", NaN, NaN, NaN, "exact", NaN, 1.5),
    ("poverty_rate", 2018, "H1", "actual", 17.57, NaN, NaN, "exact", NaN, NaN),
    ("poverty_rate_reduction", 2018, "FY", "target", NaN, 3, NaN, "at_least", NaN, NaN),
    ("budget_revenue", 2018, "H2", "target", NaN, 3600, NaN, "at_least", NaN, NaN),
    ("budget_revenue.import_export", 2018, "H2", "target", NaN, 2638.4, NaN, "at_least", NaN, NaN),
    ("tourists", 2018, "H1", "actual", NaN, 1.6, NaN, "at_least", 59.2, 9.3),
    ("construction_debt", 2018, "Q1", "actual", 1724.8, NaN, NaN, "exact", NaN, NaN),
    ("new_rural_criteria_avg", 2018, "M05", "actual", 8.96, NaN, NaN, "exact", NaN, NaN),
    ("smuggling_goods_value", 2018, "H1", "actual", 24, NaN, NaN, "exact", NaN, -39.3),
    ("traffic_accidents.injuries", 2018, "H1", "actual", 16, NaN, NaN, "exact", NaN, 128.6),
    ("traffic_accident_reduction", 2019, "FY", "target", 5, 5, NaN, "at_least", NaN, NaN),
    ("grdp_per_capita", 2019, "FY", "target", NaN, 44, 45, "range", NaN, NaN),
    ("budget_expenditure", 2019, "FY", "target", 11711.9, NaN, NaN, "exact", NaN, NaN),
    ("new_enterprises", 2019, "FY", "target", 500, NaN, NaN, "exact", NaN, NaN),
]


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def indicators():
    return _read(INDICATORS_CSV)


@pytest.fixture(scope="module")
def raw_obs():
    return _read(OBSERVATIONS_CSV)


@pytest.fixture(scope="module")
def obs(raw_obs):
    df = raw_obs.copy()
    df["year"] = df["year"].astype(int)
    for col in NUMERIC:
        df[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype(float)
    return df


@pytest.fixture(scope="module")
def document():
    text = DOCUMENT.read_text(encoding="utf-8")
    return text[text.index("ỦY BAN NHÂN DÂN"):]


def _top_section(section):
    return ".".join(section.split(".")[:2])


# ---------------------------------------------------------------- catalogue

def test_indicator_header(indicators):
    assert list(indicators.columns) == INDICATOR_COLUMNS


def test_indicator_ids_unique_and_parents_first(indicators):
    ids = list(indicators["indicator_id"])
    assert len(ids) == len(set(ids))
    seen = set()
    for ind, parent in zip(indicators["indicator_id"], indicators["parent_id"], strict=False):
        assert ind == ind.strip() and ind == ind.lower() and " " not in ind
        if parent:
            assert parent in seen, f"{ind}: parent {parent} missing or listed after the child"
            assert ind.startswith(parent + "."), f"{ind} is not a dotted child of {parent}"
        seen.add(ind)


def test_core_ids_present(indicators):
    ids = set(indicators["indicator_id"])
    missing = [i for i in CORE_IDS if i not in ids]
    assert not missing, missing
    structure = indicators.set_index("indicator_id").loc["economic_structure"]
    assert structure["unit_vi"] == "%"
    assert structure["parent_id"] == ""


def test_indicator_enums(indicators):
    groups = {"economy", "trade", "budget", "investment", "agriculture", "industry_services",
              "society", "health", "education", "environment", "governance"}
    assert set(indicators["group"]) <= groups
    assert set(indicators["direction"]) <= {"up", "down", "band"}
    assert set(indicators["measure"]) <= {"flow", "rate", "level"}
    assert indicators["decimals"].str.fullmatch(r"\d").all()
    for col in ["name_vi", "name_en", "unit_vi", "unit_en"]:
        assert (indicators[col].str.strip() != "").all(), col
    cat = indicators.set_index("indicator_id")
    assert cat.loc["poverty_rate", "direction"] == "down"
    assert cat.loc["cpi", "direction"] == "down"
    assert cat.loc["traffic_accidents", "direction"] == "down"
    for child in ["agriculture", "industry_construction", "services", "product_taxes"]:
        assert cat.loc[f"economic_structure.{child}", "direction"] == "band"


# ---------------------------------------------------------------- observations

def test_observation_header(raw_obs):
    assert list(raw_obs.columns) == OBSERVATION_COLUMNS


def test_observation_ids_in_catalogue(obs, indicators):
    unknown = set(obs["indicator_id"]) - set(indicators["indicator_id"])
    assert not unknown, unknown


def test_key_unique(obs):
    dup = obs[obs.duplicated(KEY, keep=False)]
    assert dup.empty, dup[KEY].to_string()


def test_constants_and_enums(obs):
    assert (obs["area_id"] == "VN-09").all()
    assert (obs["source"] == "120/KH-UBND 10/8/2018").all()
    assert set(obs["period"]) <= {"FY", "H1", "H2", "Q1", "M05"}
    assert set(obs["kind"]) <= {"target", "estimate", "actual"}
    assert set(obs["qualifier"]) <= {"exact", "approx", "range", "at_least", "at_most"}
    assert set(obs["year"]) <= {2017, 2018, 2019}


def test_numbers_are_plain(raw_obs):
    for col in NUMERIC:
        bad = raw_obs[(raw_obs[col] != "") & ~raw_obs[col].str.fullmatch(r"-?\d+(\.\d+)?")]
        assert bad.empty, (col, bad[col].tolist())


def test_decimals_cover_the_figures(raw_obs, indicators):
    decimals = dict(zip(indicators["indicator_id"], indicators["decimals"].astype(int), strict=False))
    for _, row in raw_obs.iterrows():
        for col in ["value", "low", "high"]:
            if "." in row[col]:
                places = len(row[col].split(".")[1])
                assert places <= decimals[row["indicator_id"]], (row["indicator_id"], col, row[col])


def test_qualifier_shapes(obs):
    for _, r in obs.iterrows():
        v, lo, hi, q = r["value"], r["low"], r["high"], r["qualifier"]
        label = (r["indicator_id"], r["year"], r["period"], r["kind"])
        if q in ("exact", "approx"):
            assert math.isnan(lo) and math.isnan(hi), label
            assert not math.isnan(v) or not math.isnan(r["yoy_pct"]), label
        elif q == "range":
            assert math.isnan(v) and lo < hi, label
        elif q == "at_least":  # a strict bound ("trên X") has no value, an inclusive one its bound
            assert (math.isnan(v) if "trên" in r["note"] else v == lo) and math.isnan(hi), label
        elif q == "at_most":
            assert (math.isnan(v) if "dưới" in r["note"] else v == hi) and math.isnan(lo), label
        if q == "approx":
            assert "khoảng" in r["note"], label
        if q == "at_least":
            assert "trên" in r["note"] or "trở lên" in r["note"], label


def test_notes_are_verbatim(obs, document):
    assert (obs["note"].str.strip() != "").all()
    missing = [n for n in obs["note"] if n not in document]
    assert not missing, missing


def test_section_counts(obs):
    counts = obs["section"].map(_top_section).value_counts().to_dict()
    assert counts == SECTION_COUNTS
    part2 = counts.get("2.II", 0) + counts.get("2.III", 0)
    assert part2 == 33
    assert len(obs) == sum(SECTION_COUNTS.values()) == 190


def test_kind_and_period_by_section(obs):
    top = obs["section"].map(_top_section)
    assert set(obs.loc[top == "1.II", "kind"]) == {"estimate"}
    assert set(obs.loc[top == "1.II", "period"]) == {"FY"}
    assert set(obs.loc[top == "1.III", "kind"]) == {"target"}
    assert set(obs.loc[top == "1.III", "period"]) == {"H2", "FY"}
    part2 = top.isin(["2.II", "2.III"])
    assert set(obs.loc[part2, "kind"]) == {"target"}
    assert set(obs.loc[part2, "period"]) == {"FY"}
    assert set(obs.loc[part2, "year"]) == {2019}
    assert set(obs.loc[top == "1.I", "kind"]) <= {"actual", "estimate"}


def _same(a, b):
    if b is None:
        return math.isnan(a)
    return not math.isnan(a) and math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


@pytest.mark.parametrize("expected", SAMPLE_ROWS, ids=lambda e: f"{e[0]}-{e[1]}-{e[2]}-{e[3]}")
def test_sample_rows(obs, expected):
    ind, year, period, kind, value, low, high, qualifier, pct, yoy = expected
    rows = obs[(obs["indicator_id"] == ind) & (obs["year"] == year)
               & (obs["period"] == period) & (obs["kind"] == kind)]
    assert len(rows) == 1, expected
    r = rows.iloc[0]
    assert r["qualifier"] == qualifier
    for col, want in [("value", value), ("low", low), ("high", high),
                      ("pct_of_plan", pct), ("yoy_pct", yoy)]:
        assert _same(r[col], want), (col, r[col], want)
