"""The benchmarks at a tiny size, so that they cannot rot: the synthetic
store generator, each benchmark's measuring function and the results table.
Measurements, not tests of speed: nothing here asserts a time."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import browser, importing, pages, run, scale
from tests.conftest import REPO_ROOT
from tracker import schema
from tracker.store import Store

CHROMIUM = Path("/usr/bin/chromium")
PROVINCES, COMMUNES = 2, 3
SIZE = 26_000  # figures: both provinces' every series (24,840), then a few per commune


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "store-tiny"
    scale.build(SIZE, root, provinces=PROVINCES, communes=COMMUNES, log=lambda *_: None)
    return root


def test_generator_writes_a_marked_synthetic_store(synthetic):
    store = Store(synthetic)
    current = store.current("observations")
    assert len(current) == SIZE
    assert not current.duplicated(schema.OBSERVATION_KEY).any()
    assert set(current["source"]) == {scale.SOURCE}
    assert set(current["note"]) == {scale.NOTE}
    assert set(current["period"]) == set(scale.PERIODS) and set(current["kind"]) == set(scale.KINDS)
    assert sorted(current["year"].unique()) == list(scale.YEARS)
    # Areas all synthetic, VN-09 first so that the pages show a province with figures.
    areas = store.current("areas")
    assert len(areas) == PROVINCES * (1 + COMMUNES) and set(areas["note"]) == {scale.SOURCE}
    assert areas["area_id"].iloc[0] == scale.HOME_AREA
    assert set(current["area_id"]) <= set(areas["area_id"])
    assert current["area_id"].str.contains(r"\.x").any()  # communes hold figures too
    shares = store.current("indicators").query("unit_vi == '%' and measure == 'level'")["indicator_id"]
    bounds = current.loc[current["indicator_id"].isin(shares), ["value", "low", "high"]].stack().dropna()
    assert len(bounds) and bounds.between(0, 100).all()
    # One publish per year, through the store's own write path.
    history = store.history(("observations",))
    assert len(history) == len(scale.YEARS) and set(history["user"]) == {scale.USER}
    assert scale.marker(synthetic)["figures"] == SIZE


def test_generator_catalogue_is_the_real_one(synthetic):
    from loaders import seed

    indicators = Store(synthetic).current("indicators")
    expected = seed.load_catalogue()["indicators"]
    pd.testing.assert_frame_equal(indicators, schema.validate("indicators", expected).reset_index(drop=True),
                                  check_dtype=False)


def test_national_reads_match_the_whole_current_view(synthetic, tmp_path):
    """The scan-filtered reads the benchmarks rely on give exactly what
    filtering the whole current view gives, revisions included."""
    root = tmp_path / "store"
    shutil.copytree(synthetic, root)
    store = Store(root)
    whole = store.current("observations")
    revised = whole[whole["area_id"] == scale.HOME_AREA].head(40)[schema.OBSERVATION_COLUMNS]
    revised = revised.assign(value=revised["value"].fillna(1.0) + 1, low=float("nan"), high=float("nan"),
                             qualifier="exact")
    assert store.publish("observations", revised, user="test").revised == 40

    whole = store.current("observations")
    mine = store.current("observations", where={"area_id": [scale.HOME_AREA]})
    expected = whole[whole["area_id"] == scale.HOME_AREA].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, expected)
    assert (mine.merge(revised, on=schema.OBSERVATION_KEY)["value_x"] == revised["value"].to_numpy()).all()
    two = store.current("observations", where={"area_id": [scale.HOME_AREA], "year": [2016, 2025]})
    pd.testing.assert_frame_equal(two, expected[expected["year"].isin([2016, 2025])].reset_index(drop=True))
    with pytest.raises(ValueError):
        store.current("observations", where={"source": [scale.SOURCE]})  # not a key column

    # A publish compares against the newest revision only, whatever else the table holds.
    again = store.diff("observations", revised)
    assert set(again["change"]) == {"unchanged"}


def test_ensure_reuses_a_finished_store(synthetic, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(synthetic, copy)
    marker = dict(scale.marker(copy))
    built = []
    assert scale.ensure(SIZE, copy, log=built.append) == copy
    assert built == [] and scale.marker(copy) == marker


def test_page_benchmark_runs_both_pages(synthetic):
    result = pages.measure(synthetic, runs=1, cold_runs=1)
    for page in pages.PAGES:
        for state in ("cold", "warm"):
            assert result[page][state]["runs"] == 1 and result[page][state]["median"] > 0
    assert result["peak_rss_mb"] > 0


def test_import_benchmark_prepares_and_publishes(synthetic, tmp_path):
    result = importing.measure(synthetic, 200, runs=1, baseline_runs=1, folder=tmp_path)
    assert result["preview"] == {"new": 160, "revised": 20, "unchanged": 20}
    assert result["published"] == {"added": 160, "revised": 20, "unchanged": 20}
    assert result["openpyxl"]["median"] > 0 and result["speedup"] > 0
    assert result["fastexcel"]["median"] > 0 and result["floor_ratio"] > 0
    frame = pd.read_excel(result["workbook"], sheet_name="so_lieu", dtype=str, engine="calamine")
    assert len(frame) == 200 and set(frame["source"]) == {scale.SOURCE}
    assert Store(synthetic).current("observations")["year"].max() < importing.NEW_YEAR  # the store itself untouched


def test_engines_benchmark_reads_the_current_view_with_daft(synthetic, tmp_path):
    from benchmarks import engines

    out = tmp_path / "engines.json"
    engines.main(["--store", str(synthetic), "--runs", "1", "--json", str(out)])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["figures"]["all"] == SIZE
    home = Store(synthetic).current("observations", where={"area_id": [scale.HOME_AREA]})
    assert result["figures"]["province"] == len(home)
    assert result["all"]["median"] > 0


def test_figure_text_is_written_the_vietnamese_way():
    assert importing.figure_text(1437.4, 1) == "1.437,4"
    assert importing.figure_text(7.98, 2) == "7,98"
    assert importing.figure_text(3600, 0) == "3.600"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_browser_benchmark_serves_every_session(served_store, tmp_path):
    # As its own process, the way benchmarks.run calls it: its async Playwright cannot run
    # beside the session's synchronous one in this process. Over the seed store (over the
    # synthetic one a page's first drawing judges 180 figures an indicator), with one page of
    # few charts timed fully drawn: what is checked is that every part runs and is read back.
    out = tmp_path / "browser.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.browser", "--store", str(served_store), "--runs", "1", "--sessions", "2",
         "--full-runs", "1", "--pages", "budget", "--json", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["served"] == 2 and result["errors"] == []
    assert result["overview"]["median"] > 0 and result["floor"]["median"] > 0
    assert result["together"]["p95"] > 0
    assert list(result["full"]["pages"]) == ["budget"] and result["full"]["floor"]["median"] > 0
    assert result["full"]["pages"]["budget"]["floor_ratio"] > 0


def test_browser_benchmark_times_every_page_unless_told():
    """By default every page that draws charts is timed fully drawn, the
    overview and the 20-chart Society page among them; --pages names some."""
    assert set(browser.PAGES) >= {"overview", "society", "explorer"} and len(browser.PAGES) == 7
    assert browser.pages_arg("society, economy") == ["society", "economy"]
    for wrong in ("", "society,nowhere"):
        with pytest.raises(argparse.ArgumentTypeError):
            browser.pages_arg(wrong)
    assert browser.arguments([]).pages == list(browser.PAGES)
    assert browser.arguments(["--pages", "society"]).pages == ["society"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_export_benchmark_runs_and_is_read_back():
    rows = run.export_figures(1, log=lambda *_: None)
    assert any(r["what"].startswith("deck of 12 charts") for r in rows)
    assert all(r["median"] > 0 and r["goal"] > 0 for r in rows)


def test_export_output_is_read_back():
    text = (
        "chart export grdp_growth (PNG)                       median  0.105 s  (min 0.101, max 0.120; goal 0.3 s: ok)\n"
        "deck of 12 charts + title + scorecard (2018 H1)      median  3.500 s  (min 3.400, max 3.600; goal 5.0 s: ok)\n"
    )
    rows = run.parse_export(text, log=lambda *_: None)
    assert rows == [
        {"what": "chart export grdp_growth (PNG)", "median": 0.105, "min": 0.101, "max": 0.12, "goal": 0.3},
        {"what": "deck of 12 charts + title + scorecard (2018 H1)", "median": 3.5, "min": 3.4, "max": 3.6, "goal": 5.0},
    ]
    with pytest.raises(RuntimeError):
        run.parse_export("nothing measured", log=lambda *_: None)


def test_results_table_says_which_goals_are_met():
    stats = lambda m: {"median": m, "min": m, "max": m, "runs": 1, "times": [m]}  # noqa: E731
    results = {
        "stores": {"1m": {"figures": 1_000_000, "seconds": 60.0, "peak_rss_mb": 900}},
        "pages": {"1m": {"overview": {"cold": stats(3.0), "warm": stats(0.4)},
                         "explorer": {"cold": stats(2.0), "warm": stats(0.6)}, "peak_rss_mb": 1200}},
        "import": {"store": "benchmarks/out/store-1m", "rows": 100_000, "prepare": stats(2.0), "openpyxl": stats(8.0),
                   "speedup": 4.0, "publish": stats(0.8), "fastexcel": stats(0.8), "floor_ratio": 2.5},
        "export": [{"what": "deck", "median": 4.0, "min": 4.0, "max": 4.0, "goal": 5.0}],
        "browser": {"store": "benchmarks/out/store-1m", "overview": stats(1.2), "floor": stats(1.0), "floor_ratio": 1.2,
                    "sessions": 20, "served": 20, "errors": [], "together": {**stats(2.0), "p95": 3.3}, "p95_ratio": 2.75},
    }
    rows = {r.split(" | ")[0].strip("| ") + " @ " + r.split(" | ")[1]: r for r in run.table(results).splitlines()[2:]}
    assert rows["Overview page run, warm @ 1M"].endswith("| 0.40 s | ≤ 0.5 s | met |")
    assert rows["Import: read + validate + preview (upload.prepare) @ 100,000 rows into 1M"].endswith("| **missed** |")
    assert rows["Import: prepare vs openpyxl read @ 100,000 rows into 1M"].endswith("| 4.0x faster | ≥ 5x | **missed** |")
    assert rows["Import: prepare vs fastexcel merely reading the sheet @ 100,000 rows into 1M"].endswith(
        "| 2.5x (2.00 s vs 0.80 s) | ≤ 3x | met |")
    assert rows["Import: publish (upload.publish) @ 100,000 rows into 1M"].endswith("| met |")
    assert rows["Export: deck @ real (seed)"].endswith("| met |")
    assert rows["Browser: overview / floor @ 1M"].endswith("| 1.20x | ≤ 1.3x | met |")
    assert rows["Browser: 20 sessions p95 / one session @ 1M"].endswith("| 2.75x | ≤ 3x, all served | met |")
    assert "1,000,000 figures in 60.0 s, peak RSS 900 MB" in rows["synthetic store built (benchmarks/scale.py) @ 1M"]
