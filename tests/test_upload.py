"""Uploads: real files, good and broken (tests/assets/upload/), read,
checked, previewed and published through the API and the command line,
against the real store built from data/."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import template, upload
from loaders.__main__ import main
from tracker import schema, settings
from tracker.errors import TrackerError
from tracker.i18n import TABLES_DIR, t

ASSETS = Path(__file__).with_name("assets") / "upload"
BROKEN = sorted(p for p in ASSETS.iterdir() if p.name.startswith("bad_") and not p.name.endswith(".expected.csv")
                and p.suffix in (".csv", ".xlsx"))
TEXT_COLUMNS = ["indicator_id", "area_id", "period", "kind", "qualifier", "source", "note"]


def expected_problems(path: Path) -> pd.DataFrame:
    return pd.read_csv(path.with_name(path.stem + ".expected.csv"), dtype=str, keep_default_na=False)


def problems_found(prepared: upload.Prepared) -> pd.DataFrame:
    rows = [[p.sheet or "", "" if p.row is None else str(p.row), p.column or "", p.reason_key]
            for p in prepared.problems]
    return pd.DataFrame(rows, columns=["sheet", "row", "column", "reason_key"], dtype=str)


def observations(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame in the contract's columns with the stored types, to compare."""
    frame = frame[schema.OBSERVATION_COLUMNS].reset_index(drop=True).copy()
    frame["year"] = frame["year"].astype("int64")
    for column in schema.OBSERVATION_NUMBERS:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].astype("str")
    return frame


def expected_observations(name: str) -> pd.DataFrame:
    return observations(pd.read_csv(ASSETS / name, dtype=str, keep_default_na=False, na_values=[""]))


def read_export(store, table: str, tmp_path: Path) -> pd.DataFrame:
    out = tmp_path / f"{table}.csv"
    assert main(["export", table, "--store", store.root, "-o", str(out)]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False, na_values=[""])


# -- broken files --------------------------------------------------------------------------
def test_every_broken_file_has_its_expected_report():
    assert len(BROKEN) >= 30
    for path in BROKEN:
        assert path.with_name(path.stem + ".expected.csv").exists(), path.name


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_file_is_refused_with_every_problem(built_store, path):
    before = built_store.versions()
    prepared = upload.prepare(built_store, path.read_bytes(), path.name)
    assert not prepared.ok and prepared.previews == {}
    pd.testing.assert_frame_equal(problems_found(prepared), expected_problems(path))
    with pytest.raises(TrackerError) as refused:
        upload.publish(built_store, prepared, "test")
    assert refused.value.key == "upload.not_ready"
    assert built_store.versions() == before


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_cli_import_of_broken_file_changes_nothing(fresh_store, path, capsys):
    before, history = fresh_store.versions(), fresh_store.history(tuple(fresh_store.versions()))
    assert main(["import", str(path), "--store", fresh_store.root, "--user", "test"]) == 1
    err = capsys.readouterr().err
    assert f"Tệp {path.name} có" in err and "chưa ghi gì vào kho" in err
    reasons = {p.reason("vi") for p in upload.prepare(fresh_store, path.read_bytes(), path.name).problems}
    for reason in reasons:  # every reason, in plain Vietnamese (the table may wrap long text)
        assert reason[:40] in err
    assert fresh_store.versions() == before
    pd.testing.assert_frame_equal(fresh_store.history(tuple(before)), history)
    assert not (Path(fresh_store.root) / "uploads").exists()


def test_problem_details_name_what_to_write(built_store):
    prepared = upload.prepare(built_store, (ASSETS / "bad_unknown_indicator.xlsx").read_bytes(), "x.xlsx")
    assert prepared.problems[0].reason_params["suggestions"].startswith("grdp_growth")
    prepared = upload.prepare(built_store, (ASSETS / "bad_task_agency.csv").read_bytes(), "x.csv")
    assert "Sở Tài chính (stc)" in prepared.problems[0].reason("vi")
    assert "Department of Finance (stc)" in prepared.problems[0].reason("en")


def test_problems_frame_in_each_language(built_store):
    prepared = upload.prepare(built_store, (ASSETS / "bad_many.csv").read_bytes(), "bad_many.csv")
    vi = upload.problems_frame(prepared.problems, "vi")
    assert list(vi.columns) == ["Trang tính", "Dòng", "Cột", "Giá trị", "Lý do"]
    assert vi["Dòng"].tolist() == [3, 4, 4, 5, 5, 5, 6]
    assert vi.loc[3, "Giá trị"] == "3020" and vi.loc[3, "Lý do"] == "Năm phải là số nguyên từ 1990 đến 2100"
    en = upload.problems_frame(prepared.problems, "en")
    assert list(en.columns) == ["Sheet", "Row", "Column", "Value", "Reason"]
    assert en.loc[3, "Reason"] == "The year must be a whole number from 1990 to 2100"


def test_wide_sheet_without_kind_and_period_names_both(built_store):
    prepared = upload.prepare(built_store, (ASSETS / "good_wide.xlsx").read_bytes(), "good_wide.xlsx")
    assert [p.reason_key for p in prepared.problems] == ["upload.wide.needs_kind", "upload.wide.needs_period"]
    prepared = upload.prepare(built_store, (ASSETS / "good_wide_headers.xlsx").read_bytes(), "x.xlsx")
    assert [(p.row, p.reason_key) for p in prepared.problems] == [(2, "upload.wide.needs_period")]


@pytest.mark.parametrize("header, row, missing", [
    ("indicator_id,period,kind,value,source", "grdp_growth,FY,actual,7,TEST", ["year"]),
    ("indicator_id,year,value,source", "grdp_growth,2020,7,TEST", ["kind", "period"]),
    ("task_id,agency_id,status,summary", "skhdt.1,skhdt,done,x", ["year", "reported_on"]),
])
def test_missing_columns_are_named_once(built_store, header, row, missing):
    prepared = upload.prepare(built_store, f"{header}\n{row}\n{row}\n".encode(), "x.csv")
    assert [(p.row, p.reason_key, p.reason_params["column"]) for p in prepared.problems] == [
        (1, "upload.column.missing", column) for column in missing]


@pytest.mark.parametrize("cells, read", [
    ("8 - 9,,,", (None, 8.0, 9.0, "range")),
    ("8 - 9,,,range", (None, 8.0, 9.0, "range")),
    ("8 - 9,8,9,range", (None, 8.0, 9.0, "range")),  # the export's columns beside the form, agreeing
    (",8,9,", (None, 8.0, 9.0, "range")),
    (",8,9,range", (None, 8.0, 9.0, "range")),
    (",5,,at_least", (None, 5.0, None, "at_least")),
    ("304,,,approx", (304.0, None, None, "approx")),
    ("8 - 9,8,10,range", "upload.qualifier.twice"),
    ("8 - 9,,,approx", "upload.qualifier.twice"),
    (",8,,range", "upload.qualifier.needs_bounds"),
    (",9,8,range", "upload.value.low_above_high"),
    ("7,,,guess", "upload.qualifier.unknown"),
])
def test_value_and_the_contract_columns(built_store, cells, read):
    data = f"indicator_id,year,period,kind,value,low,high,qualifier,source\ngrdp_growth,2030,FY,target,{cells},T\n"
    prepared = upload.prepare(built_store, data.encode(), "x.csv")
    if isinstance(read, str):
        assert [p.reason_key for p in prepared.problems] == [read]
    else:
        frame = prepared.frames["observations"].astype(object).where(prepared.frames["observations"].notna(), None)
        assert tuple(frame.loc[0, ["value", "low", "high", "qualifier"]]) == read


def test_wide_sheet_unit_column_must_match_the_catalogue(built_store):
    book = openpyxl.Workbook()
    book.active.append(["Chỉ tiêu", "ĐVT", 2020, "Nguồn"])
    book.active.append(["budget_revenue", "triệu đồng", 1437.4, "TEST 01/TEST 2020"])
    buffer = io.BytesIO()
    book.save(buffer)
    prepared = upload.prepare(built_store, buffer.getvalue(), "x.xlsx", kind="actual", period="FY")
    assert [(p.row, p.column, p.reason_key) for p in prepared.problems] == [(2, "B (ĐVT)", "upload.unit.mismatch")]


def test_limits_refuse_before_reading(built_store, fresh_store, monkeypatch, capsys):
    data = (ASSETS / "good_analyst.csv").read_bytes()
    small = upload.Limits(max_file_bytes=100, max_unpacked_bytes=2**20, max_rows=1000)
    prepared = upload.prepare(built_store, data, "x.csv", limit=small)
    assert [p.reason_key for p in prepared.problems] == ["upload.file.too_big"]
    few_rows = upload.Limits(max_file_bytes=2**20, max_unpacked_bytes=2**20, max_rows=5)
    for name in ("good_analyst.csv", "good_wide.xlsx"):
        prepared = upload.prepare(built_store, (ASSETS / name).read_bytes(), name, limit=few_rows)
        assert [p.reason_key for p in prepared.problems][0] == "upload.sheet.too_many_rows"
    monkeypatch.setenv("PLAN_UPLOAD_MAX_MB", "0")
    before = fresh_store.versions()
    assert main(["import", str(ASSETS / "good_analyst.csv"), "--store", fresh_store.root]) == 1
    assert "Tệp quá lớn" in capsys.readouterr().err
    assert fresh_store.versions() == before


def test_settings_are_documented():
    limits = [s for s in settings.SETTINGS if s.name.startswith("upload_")]
    assert len(limits) == 3
    for s in limits:
        assert s.default > 0 and s.env.startswith("PLAN_UPLOAD_") and len(s.help) > 10, s.name


# -- good files ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, options", [
    ("good_analyst.csv", {}),
    ("good_english.csv", {}),
    ("good_renamed.xlsx", {}),
    ("good_wide.xlsx", {"kind": "target", "period": "FY"}),
    ("good_wide_headers.xlsx", {"period": "FY"}),  # "KH 2021" needs a period; "TH 6 tháng 2020" names its own
])
def test_good_file_reads_as_expected(built_store, name, options):
    prepared = upload.prepare(built_store, (ASSETS / name).read_bytes(), name, **options)
    assert prepared.problems == [] and prepared.ok
    pd.testing.assert_frame_equal(observations(prepared.frames["observations"]),
                                  expected_observations(name.rsplit(".", 1)[0] + ".expected.csv"))
    assert prepared.previews["observations"]["change"].eq("new").all()


def test_cli_import_publishes_and_export_gives_it_back(fresh_store, tmp_path, capsys):
    path = ASSETS / "good_analyst.csv"
    before = fresh_store.version("observations")
    assert main(["import", str(path), "--store", fresh_store.root, "--user", "analyst1"]) == 0
    out = capsys.readouterr().out
    assert "Số liệu: 16 mới, 0 điều chỉnh, 0 không đổi" in out
    assert f"phiên bản {before + 1}" in out
    exported = observations(read_export(fresh_store, "observations", tmp_path))
    expected = expected_observations("good_analyst.expected.csv")
    mine = exported[exported["source"] == "TEST 01/TEST 2020"].reset_index(drop=True)
    key = schema.OBSERVATION_KEY
    pd.testing.assert_frame_equal(mine.sort_values(key, ignore_index=True), expected.sort_values(key, ignore_index=True))
    commit = fresh_store.history(("observations",)).iloc[0]
    assert (commit["user"], commit["file_name"]) == ("analyst1", "good_analyst.csv")
    assert commit["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    archived = list((Path(fresh_store.root) / "uploads").iterdir())
    assert [p.read_bytes() for p in archived] == [path.read_bytes()]


def test_cli_dry_run_writes_nothing(fresh_store, capsys):
    before, history = fresh_store.versions(), fresh_store.history()
    assert main(["import", str(ASSETS / "good_analyst.csv"), "--store", fresh_store.root, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "16 mới" in out and "Chạy thử (--dry-run): không ghi gì vào kho." in out
    assert fresh_store.versions() == before
    pd.testing.assert_frame_equal(fresh_store.history(), history)
    assert not (Path(fresh_store.root) / "uploads").exists()


def test_revision_preview_and_same_file_twice(fresh_store, tmp_path, capsys):
    path = ASSETS / "good_renamed.xlsx"
    assert main(["import", str(path), "--store", fresh_store.root]) == 0
    version = fresh_store.version("observations")
    assert main(["import", str(path), "--store", fresh_store.root]) == 0  # nothing changed: no new version
    assert "không có gì thay đổi" in capsys.readouterr().out
    assert fresh_store.version("observations") == version

    revised = tmp_path / "revised.csv"
    revised.write_text("indicator_id,year,period,kind,value,source\n"
                       "grdp_growth,2020,FY,actual,\"7,6\",TEST 01/TEST 2020\n", encoding="utf-8")
    prepared = upload.prepare(fresh_store, revised.read_bytes(), revised.name)
    assert prepared.previews["observations"]["change"].tolist() == ["revised"]
    changes = upload.revised_rows(prepared.previews["observations"], "observations", "vi")
    assert changes.iloc[0]["→"] == "value: 7,5 → 7,6; pct_of_plan: 92,6 → "
    assert main(["import", str(revised), "--store", fresh_store.root, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 mới, 1 điều chỉnh, 0 không đổi" in out and "value: 7,5 → 7,6" in out
    assert fresh_store.version("observations") == version


def test_publish_uses_its_preview_until_the_store_moves_on(fresh_store, tmp_path, monkeypatch):
    revised = tmp_path / "revised.csv"
    revised.write_text("indicator_id,year,period,kind,value,source\n"
                       "grdp_growth,2020,FY,actual,\"7,6\",TEST 01/TEST 2020\n", encoding="utf-8")
    first = upload.prepare(fresh_store, revised.read_bytes(), revised.name)
    second = upload.prepare(fresh_store, revised.read_bytes(), revised.name)
    diffs = []
    diff = type(fresh_store).diff
    monkeypatch.setattr(type(fresh_store), "diff", lambda self, table, rows: diffs.append(table) or diff(self, table, rows))
    assert upload.publish(fresh_store, first, "analyst1")[0].added == 1
    assert diffs == []  # the store was as the preview saw it: no second diff
    # The second preview was taken before that publish: diffed again, it finds the figure already there.
    result = upload.publish(fresh_store, second, "analyst2")[0]
    assert (result.version, result.added, result.unchanged) == (None, 0, 1)
    assert diffs == ["observations"]


def test_wide_sheet_through_the_cli(fresh_store, tmp_path):
    path = ASSETS / "good_wide.xlsx"
    assert main(["import", str(path), "--store", fresh_store.root, "--kind", "target", "--period", "FY"]) == 0
    exported = observations(read_export(fresh_store, "observations", tmp_path))
    mine = exported[exported["source"] == "TEST 01/TEST 2020"].reset_index(drop=True)
    expected = expected_observations("good_wide.expected.csv")
    key = schema.OBSERVATION_KEY
    pd.testing.assert_frame_equal(mine.sort_values(key, ignore_index=True), expected.sort_values(key, ignore_index=True))


def test_task_reports_round_trip(fresh_store, tmp_path):
    assert main(["import", str(ASSETS / "good_tasks.csv"), "--store", fresh_store.root]) == 0
    exported = read_export(fresh_store, "task_reports", tmp_path)
    expected = pd.read_csv(ASSETS / "good_tasks.expected.csv", dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(exported, expected)


def test_export_of_the_seed_imports_unchanged(built_store, tmp_path):
    """What `export observations` writes (CSV with low/high/qualifier and
    numbers as a program writes them, or Excel) reads back unchanged."""
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"obs.{fmt}"
        assert main(["export", "observations", "--format", fmt, "--store", built_store.root, "-o", str(out)]) == 0
        prepared = upload.prepare(built_store, out.read_bytes(), out.name)
        assert prepared.ok, upload.problems_frame(prepared.problems).to_string()
        assert prepared.previews["observations"]["change"].eq("unchanged").all()
        pd.testing.assert_frame_equal(observations(prepared.frames["observations"]),
                                      observations(built_store.current("observations")))


# -- the template, filled and published ------------------------------------------------------------
FILLED = [  # test data, not figures of the province
    ["grdp_growth", None, 2020, "FY", "target", "8 - 9", None, None, "TEST 02/TEST 2020", "dữ liệu thử"],
    ["grdp_growth", "VN-09", 2020, "FY", "actual", 7.4, "đạt 92,5%", "tăng 3,1%", "TEST 02/TEST 2020", None],
    ["trade_turnover", None, 2020, "H1", "estimate", "khoảng 1.437,4", None, None, "TEST 02/TEST 2020", None],
    ["budget_revenue", None, 2020, "9M", "actual", "3.600 tỷ đồng", "75,5", "-2,25", "TEST 02/TEST 2020", None],
    ["forest_cover", None, 2020, "FY", "target", "từ 63 trở lên", None, None, "TEST 02/TEST 2020", None],
    ["poverty_rate", "VN-09.cao_loc", 2020, "FY", "target", "dưới 3", None, None, "TEST 02/TEST 2020", None],
]
FILLED_EXPECTED = """indicator_id,area_id,year,period,kind,value,low,high,qualifier,pct_of_plan,yoy_pct,source,note
grdp_growth,VN-09,2020,FY,target,,8,9,range,,,TEST 02/TEST 2020,dữ liệu thử
grdp_growth,VN-09,2020,FY,actual,7.4,,,exact,92.5,3.1,TEST 02/TEST 2020,
trade_turnover,VN-09,2020,H1,estimate,1437.4,,,approx,,,TEST 02/TEST 2020,
budget_revenue,VN-09,2020,9M,actual,3600,,,exact,75.5,-2.25,TEST 02/TEST 2020,
forest_cover,VN-09,2020,FY,target,63,63,,at_least,,,TEST 02/TEST 2020,
poverty_rate,VN-09.cao_loc,2020,FY,target,,,3,at_most,,,TEST 02/TEST 2020,
"""
FILLED_TASKS = [["skhdt.1", "skhdt", 2022, "done", "Hoàn thành (dữ liệu thử)", "15/11/2022"],
                ["stc.1", "stc", 2022, "in_progress", None, "20/11/2022"]]


def filled_template(store) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(store)))
    for row in FILLED:
        book["so_lieu"].append(row)
    for row in FILLED_TASKS:
        book["bao_cao_nhiem_vu"].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_template_filled_published_and_exported(fresh_store, tmp_path):
    data = filled_template(fresh_store)
    prepared = upload.prepare(fresh_store, data, "mau_da_dien.xlsx")
    assert prepared.ok, upload.problems_frame(prepared.problems).to_string()
    results = upload.publish(fresh_store, prepared, "analyst1")
    assert [(r.table, r.added, r.revised) for r in results] == [("observations", 6, 0), ("task_reports", 2, 0)]

    exported = observations(read_export(fresh_store, "observations", tmp_path))
    mine = exported[exported["source"] == "TEST 02/TEST 2020"].reset_index(drop=True)
    expected = observations(pd.read_csv(io.StringIO(FILLED_EXPECTED), dtype=str, keep_default_na=False,
                                        na_values=[""]))
    key = schema.OBSERVATION_KEY
    pd.testing.assert_frame_equal(mine.sort_values(key, ignore_index=True), expected.sort_values(key, ignore_index=True))
    reports = read_export(fresh_store, "task_reports", tmp_path)
    expected_reports = pd.read_csv(io.StringIO(
        "task_id,agency_id,year,status,summary,reported_on\n"
        "skhdt.1,skhdt,2022,done,Hoàn thành (dữ liệu thử),2022-11-15\n"
        "stc.1,stc,2022,in_progress,,2022-11-20\n"), dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(reports, expected_reports)


def test_template_with_columns_reordered_and_renamed(built_store):
    """The same figures with the columns in another order and named in
    Vietnamese (and in English) read the same."""
    straight = upload.prepare(built_store, filled_template(built_store), "mau.xlsx").frames["observations"]
    for lang in ("vi", "en"):
        order = [9, 8, 5, 4, 3, 2, 1, 0, 6, 7]
        header = [t(f"upload.label.{template.DATA_COLUMNS[i]}", lang) for i in order]
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for row in FILLED:
            sheet.append([row[i] for i in order])
        buffer = io.BytesIO()
        book.save(buffer)
        prepared = upload.prepare(built_store, buffer.getvalue(), f"renamed_{lang}.xlsx")
        assert prepared.ok, upload.problems_frame(prepared.problems).to_string()
        pd.testing.assert_frame_equal(prepared.frames["observations"], straight)


# -- the words -------------------------------------------------------------------------------
def test_every_reason_key_is_translated():
    words = {}
    for table in ("upload.csv", "upload_checks.csv"):
        with (TABLES_DIR / table).open(encoding="utf-8", newline="") as f:
            words.update({row["key"]: row for row in csv.DictReader(f)})
    code = "".join(p.read_text(encoding="utf-8") for p in (Path(upload.__file__).parent.glob("*.py")))
    used = set(re.findall(r'"(upload\.[a-z_]+\.[a-z_.]+)"', code))
    for expected in ASSETS.glob("bad_*.expected.csv"):
        used |= set(pd.read_csv(expected, dtype=str)["reason_key"])
    assert used, "no keys found"
    for key in used:
        assert key in words and words[key]["vi"] and words[key]["en"], key


def test_aliases_are_unambiguous_and_name_real_codes():
    codes = {
        "observations": set(schema.OBSERVATION_COLUMNS) | {"indicator_name", "unit", "ignore"},
        "task_reports": set(schema.TASK_REPORT_COLUMNS) | {"ignore"},
        "period": set(schema.PERIODS), "kind": set(schema.KINDS), "status": set(schema.TASK_STATUSES),
    }
    seen: dict[tuple[str, str], str] = {}
    with upload.ALIASES_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["code"] in codes[row["field"]], row
            key = (row["field"], upload.norm(row["alias"]))
            assert seen.setdefault(key, row["code"]) == row["code"], row
