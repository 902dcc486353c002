"""Seed tables for the border plan 88/KH-UBND agree with the document they were transcribed from."""

import pandas as pd
import pytest

from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "data"
DOCUMENT = DATA / "sources" / "000_f301ac1f17e4c108.txt"
PLAN_ID = "88/KH-UBND"

# Counted by hand in section III of the document: one task per "- " bullet, or per
# paragraph where an agency's item has no bullet (items 9, 11, 12, 15, 18).
TASKS_PER_AGENCY = {
    "skhdt": 5,
    "stc": 2,
    "snnptnt": 4,
    "sct": 3,
    "sgtvt": 3,
    "stttt": 2,
    "stnmt": 3,
    "skhcn": 2,
    "sgddt": 1,
    "syt": 3,
    "svhttdl": 1,
    "sldtbxh": 2,
    "snv": 2,
    "sngv": 3,
    "bdt": 1,
    "bchqs_bdbp": 4,
    "cat": 4,
    "nhcsxh": 1,
    "ubnd_huyen_bien_gioi": 4,
}


def read(name: str) -> pd.DataFrame:
    # keep_default_na=False: empty cells stay "" and words such as "NA" stay text.
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def document() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def agencies() -> pd.DataFrame:
    """The plan's 19 agencies (the catalogue also holds their successors of 2025, without a plan item)."""
    frame = read("agencies.csv")
    return frame[frame["plan_item"] != ""].reset_index(drop=True)


@pytest.fixture(scope="module")
def tasks() -> pd.DataFrame:
    return read("tasks.csv")


@pytest.fixture(scope="module")
def plan_items() -> pd.DataFrame:
    return read("plan_items.csv")


def test_headers():
    expected = {
        "plans.csv": "plan_id,number,issued_on,issuer_vi,signer,title_vi,title_en,implements,"
        "report_deadline_month,report_deadline_day,summary_month,summary_to_vi,area_id,compiler_agency_id,time_zone",
        "plan_items.csv": "plan_id,item_type,item_id,seq,text_vi,text_en,section",
        "agencies.csv": "agency_id,plan_item,name_vi,name_en,agency_type,valid_from,valid_to,successor_ids,legal_source,note",
        "tasks.csv": "task_id,plan_id,agency_id,seq,focus_task_id,text_vi,text_en,section",
        "areas.csv": "area_id,parent_id,level,name_vi,name_en,border,code,valid_from,valid_to,successor_ids,legal_source,note",
    }
    for name, header in expected.items():
        assert list(read(name).columns) == header.split(","), name


def test_nineteen_agencies_in_plan_order(agencies, document):
    assert len(agencies) == 19
    assert agencies["plan_item"].astype(int).tolist() == list(range(1, 20))
    assert list(agencies["agency_id"]) == list(TASKS_PER_AGENCY)
    assert agencies["agency_id"].is_unique
    for _, row in agencies.iterrows():
        assert f"\n{row['plan_item']}. {row['name_vi']}\n" in document, row["name_vi"]


def test_every_agency_has_a_task_and_every_task_an_agency(agencies, tasks):
    assert set(agencies["agency_id"]) <= set(tasks["agency_id"])
    assert set(tasks["agency_id"]) <= set(agencies["agency_id"])


def test_task_ids_unique_and_well_formed(tasks):
    assert tasks["task_id"].is_unique
    assert (tasks["task_id"] == tasks["agency_id"] + "." + tasks["seq"]).all()
    assert (tasks["plan_id"] == PLAN_ID).all()


def test_task_counts_per_agency(tasks):
    assert tasks.groupby("agency_id", sort=False).size().to_dict() == TASKS_PER_AGENCY
    assert len(tasks) == sum(TASKS_PER_AGENCY.values()) == 50


def test_each_task_is_a_whole_bullet_or_paragraph(tasks, document):
    for text in tasks["text_vi"]:
        assert f"\n- {text}\n" in document or f"\n{text}\n" in document, text


def test_tasks_in_document_order(agencies, tasks, document):
    positions = [document.index(text) for text in tasks["text_vi"]]
    assert positions == sorted(positions)
    section = dict(zip(agencies["agency_id"], "III." + agencies["plan_item"], strict=False))
    assert (tasks["section"] == tasks["agency_id"].map(section)).all()
    for _, group in tasks.groupby("agency_id"):
        assert group["seq"].astype(int).tolist() == list(range(1, len(group) + 1))


@pytest.mark.parametrize("table", ["tasks.csv", "plan_items.csv"])
def test_text_vi_is_verbatim(table, document):
    frame = read(table)
    for _, row in frame.iterrows():
        text = row["text_vi"]
        assert text and text == text.strip(), row.to_dict()
        assert not text.startswith("- "), row.to_dict()
        assert text in document, row.to_dict()


def test_goals_and_focus_tasks(plan_items, tasks):
    goals = plan_items[plan_items["item_type"] == "goal"]
    focus = plan_items[plan_items["item_type"] == "focus_task"]
    assert list(goals["item_id"]) == ["goal_1", "goal_2", "goal_3", "goal_4"]
    assert list(focus["item_id"]) == ["ft1", "ft2", "ft3", "ft4", "ft5"]
    assert set(tasks["focus_task_id"]) <= set(focus["item_id"])


def test_plan_items_cover_the_plan(plan_items):
    assert plan_items[["item_type", "item_id"]].apply(tuple, axis=1).is_unique
    ids = set(plan_items["item_id"])
    assert {"purpose", "requirement", "tasks_intro", "report_rule", "summary_rule", "closing",
            "scope_districts", "scope_communes"} <= ids
    assert (plan_items["plan_id"] == PLAN_ID).all()


def test_no_empty_english(plan_items, tasks, agencies):
    assert (tasks["text_en"].str.strip() != "").all()
    assert (plan_items["text_en"].str.strip() != "").all()
    assert (agencies["name_en"].str.strip() != "").all()


def test_plans(document):
    plans = read("plans.csv").set_index("plan_id")
    assert list(plans.index) == ["88/KH-UBND", "120/KH-UBND"]
    p88 = plans.loc[PLAN_ID]
    assert p88["issued_on"] == "2022-04-22"
    assert (p88["report_deadline_month"], p88["report_deadline_day"], p88["summary_month"]) == ("11", "15", "12")
    assert p88["signer"] in document
    assert p88["title_vi"].removeprefix("KẾ HOẠCH ") in document
    assert p88["implements"] in document
    seed_120 = (DATA / "sources" / "004_eb4104cfb8dbd002.txt").read_text(encoding="utf-8")
    p120 = plans.loc["120/KH-UBND"]
    assert p120["issued_on"] == "2018-08-10"
    assert p120["signer"] in seed_120
    assert p120["title_vi"].removeprefix("KẾ HOẠCH ") in seed_120


def test_areas():
    """The plan's border districts keep their ids and flags inside the
    country-wide catalogue (tests/test_orgs.py checks the rest)."""
    areas = read("areas.csv")
    assert areas["area_id"].is_unique
    assert set(areas["border"]) <= {"true", "false"}
    assert areas["area_id"].iloc[0] == "VN-09"  # the home province first
    districts = areas[(areas["level"] == "district") & (areas["border"] == "true")]
    assert len(districts) == 5  # "bao gồm 05 huyện"
    assert (districts["parent_id"] == "VN-09").all()
    assert set(districts["area_id"]) == {f"VN-09.{d}" for d in ("trang_dinh", "van_lang", "cao_loc", "loc_binh", "dinh_lap")}
