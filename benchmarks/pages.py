"""Page runs of the overview and the indicator explorer through Streamlit's
AppTest (app.py with the page chosen, as the project's page tests run it),
cold and warm, over one store.

    python -m benchmarks.pages --store PATH [--runs 5] [--cold-runs 3] [--json FILE]

Cold: Streamlit's caches emptied before the run, as after a publish or a
server start (the modules are already imported: one untimed run first).
Warm: a new session over filled caches, as a second reader sees it.
Prints the medians and this process's peak memory."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from benchmarks.common import REPO_ROOT, emit, line, peak_rss_mb, summary, timed

PAGES = ("overview", "explorer")
# Goals (seconds, warm) of issue 7 by store size; the real store shares the 1M goal.
WARM_GOALS = {"overview": {"real": 0.5, "1m": 0.5, "10m": 2.0}}


_COMPONENTS: list = []


def components():
    """Streamlit's registry of installed components, found once. A new
    AppTest scans every installed package's metadata for them (0.7-2 s
    here, with 160 packages), which a server does once at start and a new
    session never; sharing the scan keeps it out of the page timings."""
    if not _COMPONENTS:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    return _COMPONENTS[0]


def run_page(page: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=900)
    at._bidi_component_manager = components()  # AppTest's own slot for it; set, it skips the scan
    at.switch_page(f"pages/{page}.py").run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    if not at.get("plotly_chart"):
        raise RuntimeError(f"{page}: no chart drawn")


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def measure(root: Path, runs: int, cold_runs: int) -> dict:
    """Cold and warm timings of each page over the store at `root`."""
    before = os.environ.get("PLAN_STORE")
    os.environ["PLAN_STORE"] = str(root)
    result = {"store": str(root)}
    try:
        clear_caches()
        for page in PAGES:
            run_page(page)  # imports and first-use costs are not part of any timing
            cold = timed(lambda page=page: run_page(page), cold_runs, setup=clear_caches)
            run_page(page)
            warm = timed(lambda page=page: run_page(page), runs)
            result[page] = {"cold": summary(cold), "warm": summary(warm)}
    finally:
        clear_caches()
        if before is None:
            os.environ.pop("PLAN_STORE", None)
        else:
            os.environ["PLAN_STORE"] = before
    result["peak_rss_mb"] = round(peak_rss_mb())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--size", default=None, help="the size label, for the goals (real, 1m, 10m)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per page")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = measure(args.store, args.runs, args.cold_runs)
    print(f"store {args.store}")
    for page in PAGES:
        for state in ("cold", "warm"):
            goal = WARM_GOALS.get(page, {}).get(args.size) if state == "warm" else None
            print(line(f"{page} page run, {state}", result[page][state], goal))
    print(f"peak RSS {result['peak_rss_mb']:,} MB")
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
