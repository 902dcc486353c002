"""Benchmark of the presenter's exports on the seed data (a measurement, not
a test): a warm chart export (goal 0.3 s), the CLI's `chart` as a whole
process (goal 3 s) and a 12-chart deck (goal 5 s).

    python benchmarks/bench_export.py [--runs 7]

Builds the seed store in a temporary folder, starts the export server, draws
each thing once to warm up, then prints the median (and min/max) of the runs."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loaders import seed  # noqa: E402
from tracker import charts  # noqa: E402
from tracker.model import Facts  # noqa: E402
from tracker.outputs import deck, images  # noqa: E402
from tracker.store import Store  # noqa: E402

YEAR, PERIOD = 2018, "H1"
GOALS = {"chart": 0.3, "deck": 5.0, "cli": 3.0}


def timed(runs: int, action, pause: float = 0.0, warm_up: bool = True) -> list[float]:
    """Seconds of each of `runs` calls after a warm-up (unless told not
    to); with `pause`, that many seconds idle before each (a user's next
    click, not a batch)."""
    if warm_up:
        action()  # the export server is started and the page is loaded
    times = []
    for _ in range(runs):
        time.sleep(pause)
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, what: str, times: list[float]) -> None:
    median = statistics.median(times)
    verdict = "ok" if median <= GOALS[name] else "SLOWER THAN GOAL"
    print(f"{what:<52} median {median:6.3f} s  (min {min(times):.3f}, max {max(times):.3f}; "
          f"goal {GOALS[name]} s: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store")
        seed.run(store)
        facts = Facts.from_store(store)
        observed = facts.observations[(facts.observations["year"] == YEAR) & (facts.observations["kind"] != "target")]
        deck_ids = list(dict.fromkeys(observed["indicator_id"]))[:12]
        assert len(deck_ids) == 12, "the seed has fewer than 12 indicators with figures"

        images.start_server()
        spec = charts.indicator_chart(facts, "grdp_growth", "vi", year=YEAR)
        for fmt in images.FORMATS:
            report("chart", f"chart export grdp_growth ({fmt.upper()})", timed(args.runs, lambda fmt=fmt: images.figure_bytes(spec, fmt)))
        for fmt in images.FORMATS:  # as a reader exports: one image, then a pause
            report("chart", f"chart export grdp_growth ({fmt.upper()}), 1 s apart",
                   timed(args.runs, lambda fmt=fmt: images.figure_bytes(spec, fmt), pause=1.0))
        out = Path(folder) / "chart.png"
        report("chart", "CLI `chart` path (read store, chart, PNG, write)",
               timed(args.runs, lambda: images.chart_file(store, "grdp_growth", "png", out, year=YEAR)))
        command = [sys.executable, "-m", "loaders", "chart", "grdp_growth", "--format", "png", "-o", str(out),
                   "--store", store.root, "--year", str(YEAR)]
        # The slow two get at least 3 runs for a median after a warm-up; `--runs 1` is the smoke
        # test's one of each, without a warm-up (it checks that each runs, not how fast).
        runs = max(3, args.runs // 2) if args.runs > 1 else 1
        report("cli", "CLI `chart` as a whole process (new Python, new Chromium)",
               timed(runs, lambda: subprocess.run(command, check=True, capture_output=True, cwd=REPO), warm_up=runs > 1))
        report("deck", f"deck of 12 charts + title + scorecard ({YEAR} {PERIOD})",
               timed(runs, lambda: deck.build_deck(store, YEAR, PERIOD, "vi", deck_ids), warm_up=runs > 1))


if __name__ == "__main__":
    main()
