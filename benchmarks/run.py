"""Every benchmark in one command, and the table of results.

    python -m benchmarks.run [--sizes real,1m,10m] [--only pages,engines,import,export,browser,serving] [--runs 5]

Builds what is missing (the seed store, the synthetic 1M and 10M stores of
benchmarks/scale.py, the 100,000-row workbook), then runs each benchmark
in its own process (so that each one's peak memory is its own): the
overview and explorer page runs per store size, Daft reading each store
(benchmarks/engines.py), the import on a copy of
the 1M store, the chart and deck exports (benchmarks/bench_export.py), and
the browser timings against the 1M store, and the app server under 1, 20
and 50 simultaneous readers over the 1M store, driven through Streamlit's
websocket protocol (benchmarks/serving.py). Each prints its figures as it
goes; the table, with the goals of issue 7, is printed at the end and
written to benchmarks/out/results.md (the raw figures to results.json)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import OUT, REPO_ROOT, SIZE_LABELS, SIZES, load_average, store_root

PARTS = ("pages", "engines", "import", "export", "browser", "serving")
# Goals of issue 7 on the 2-core machine: (what, size) -> (goal, how it compares).
PAGE_GOALS = {("overview", "1m"): 0.5, ("overview", "10m"): 2.0}
_EXPORT_LINE = re.compile(
    r"^(?P<what>.+?)\s+median\s+(?P<median>[\d.]+) s\s+\(min (?P<min>[\d.]+), max (?P<max>[\d.]+); goal (?P<goal>[\d.]+) s"
)


def child(module: list[str], log=print) -> dict:
    """Run a benchmark in its own Python process, echo what it prints, and
    return the figures it wrote as JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        command = [sys.executable, *module, "--json", str(out)]
        completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        for row in completed.stdout.splitlines():
            log(f"    {row}")
        if completed.returncode != 0:
            raise RuntimeError(f"{' '.join(module)} failed:\n{completed.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


def export_figures(runs: int, log=print) -> list[dict]:
    """benchmarks/bench_export.py run as its author wrote it, its printed
    medians read back."""
    completed = subprocess.run(
        [sys.executable, "benchmarks/bench_export.py", "--runs", str(runs)],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench_export.py failed:\n{completed.stderr[-3000:]}")
    return parse_export(completed.stdout, log)


def parse_export(text: str, log=print) -> list[dict]:
    rows = []
    for row in text.splitlines():
        log(f"    {row}")
        found = _EXPORT_LINE.match(row)
        if found:
            rows.append({"what": found["what"].strip(), **{k: float(found[k]) for k in ("median", "min", "max", "goal")}})
    if not rows:
        raise RuntimeError(f"no figures in bench_export.py's output:\n{text[-2000:]}")
    return rows


def scale_build(size: str, log=print) -> dict | None:
    """Build the synthetic store of `size` in its own process when missing
    (its time and peak memory are part of the results); the marker's
    figures when it was built before."""
    from benchmarks import scale

    if size == "real":
        return None
    number = scale.size_of(size)
    root = scale.default_root(number)
    found = scale.marker(root)
    if not (found and found.get("size") == number and found.get("generator_version") == scale.GENERATOR_VERSION):
        log(f"  building the synthetic {SIZE_LABELS.get(size, size)} store (benchmarks/scale.py)")
        subprocess.run([sys.executable, "-m", "benchmarks.scale", "--size", size, "--force"], cwd=REPO_ROOT, check=True)
        found = scale.marker(root)
    return found


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(results: dict) -> str:
    """The results as a markdown table: what, store, figure, goal, verdict."""
    rows = []

    def add(what, size, figure, goal="", met=None):
        rows.append(f"| {what} | {size} | {figure} | {goal} | {'' if met is None else verdict(met)} |")

    for size, built in results.get("stores", {}).items():
        if built:
            add("synthetic store built (benchmarks/scale.py)", SIZE_LABELS.get(size, size),
                f"{built['figures']:,} figures in {seconds(built['seconds'])}, peak RSS {built['peak_rss_mb']:,} MB")
    for size, pages in results.get("pages", {}).items():
        label = SIZE_LABELS.get(size, size)
        for page in ("overview", "explorer"):
            name = "Overview" if page == "overview" else "Indicator explorer"
            add(f"{name} page run, cold", label, seconds(pages[page]["cold"]["median"]))
            goal = PAGE_GOALS.get((page, size))
            warm = pages[page]["warm"]["median"]
            add(f"{name} page run, warm", label, seconds(warm), f"≤ {goal} s" if goal else "",
                warm <= goal if goal else None)
        add("peak RSS of the page benchmark process", label, f"{pages['peak_rss_mb']:,} MB")
    for size, r in results.get("engines", {}).items():
        label = SIZE_LABELS.get(size, size)
        add("Daft (read_deltalake): current view of observations, whole table", label,
            f"{seconds(r['all']['median'])} ({r['figures']['all']:,} figures)")
        add("Daft (read_deltalake): current view of the province", label,
            f"{seconds(r['province']['median'])} ({r['figures']['province']:,} figures)")
    if "import" in results:
        r = results["import"]
        label = f"{r['rows']:,} rows into {Path(r['store']).name.removeprefix('store-').upper()}"
        add("Import: read + validate + preview (upload.prepare)", label, seconds(r["prepare"]["median"]), "≤ 1.5 s",
            r["prepare"]["median"] <= 1.5)
        add("Import: same file read by pandas + openpyxl (baseline)", label, seconds(r["openpyxl"]["median"]))
        add("Import: prepare vs openpyxl read", label, f"{r['speedup']:.1f}x faster", "≥ 5x", r["speedup"] >= 5)
        add("Import: prepare vs fastexcel merely reading the sheet", label,
            f"{r['floor_ratio']:.1f}x ({seconds(r['prepare']['median'])} vs {seconds(r['fastexcel']['median'])})",
            "≤ 3x", r["floor_ratio"] <= 3)
        add("Import: publish (upload.publish)", label, seconds(r["publish"]["median"]), "≤ 1 s",
            r["publish"]["median"] <= 1.0)
    for row in results.get("export", []):
        add(f"Export: {row['what']}", "real (seed)", seconds(row["median"]), f"≤ {row['goal']:g} s",
            row["median"] <= row["goal"])
    if "browser" in results:
        r = results["browser"]
        label = Path(r["store"]).name.removeprefix("store-").upper()
        add("Browser: navigation → first chart, overview", label, seconds(r["overview"]["median"]))
        add("Browser: navigation → first chart, one-chart page (floor)", "–", seconds(r["floor"]["median"]))
        add("Browser: overview / floor", label, f"{r['floor_ratio']:.2f}x", "≤ 1.3x", r["floor_ratio"] <= 1.3)
        if "full" in r:
            add("Browser: navigation → fully drawn, one-chart page (floor)", "–", seconds(r["full"]["floor"]["median"]))
            for page, found in r["full"]["pages"].items():
                add(f"Browser: navigation → fully drawn, {page}", label,
                    f"{seconds(found['median'])} ({found['floor_ratio']:.2f}x floor)", "≤ 2x floor",
                    found["floor_ratio"] <= 2.0)
        served = f"{r['served']}/{r['sessions']} served"
        if "together" in r:
            add(f"Browser: {r['sessions']} sessions at once, p95 to first chart", label,
                f"{seconds(r['together']['p95'])} ({served}; median {seconds(r['together']['median'])})")
            add(f"Browser: {r['sessions']} sessions p95 / one session", label, f"{r['p95_ratio']:.2f}x",
                "≤ 3x, all served", r["p95_ratio"] <= 3 and r["served"] == r["sessions"])
            cpu = r.get("together_cpu_s")
            if cpu:
                add(f"Browser: CPU while the {r['sessions']} sessions loaded", label,
                    f"app server {cpu['app_server']:g} s of {cpu['machine']:g} s (the rest: Chromium)")
        elif r["sessions"]:
            add(f"Browser: {r['sessions']} sessions at once", label, served, "all served", False)
        if r.get("server_peak_rss_mb"):
            add("Browser: peak RSS of the app server", label, f"{r['server_peak_rss_mb']:,.0f} MB")
    if "serving" in results:
        r = results["serving"]
        label = Path(r["store"]).name.removeprefix("store-").upper()
        for page, found in r["pages"].items():
            add(f"Server: one reader opens {page}, response", label,
                f"{seconds(found['median'])}; server CPU {found['server_cpu_per_view_s']:.2f} s per view")
        for found in r["bursts"]:
            n = found["sessions"]
            figure = (f"p50 {seconds(found['p50'])}, p95 {seconds(found['p95'])} ({found['served']}/{n} served); "
                      f"server CPU {found['server_cpu_per_view_s']:.2f} s per view" if found["p95"] is not None
                      else f"0/{n} served")
            if n == 1:
                add("Server: overview, 1 reader", label, figure)
            else:
                add(f"Server: overview, {n} readers at once", label, figure)
                add(f"Server: {n} readers p95 / one reader", label,
                    f"{found['p95_ratio']:.1f}x" if found["p95_ratio"] is not None else "–",
                    "≤ 3x, all served", found["goal_met"])
    head = "| Benchmark | Store | Result (median) | Goal | |\n|---|---|---|---|---|\n"
    return head + "\n".join(rows) + "\n"


def machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, commit {commit.stdout.strip() or '?'}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="store sizes for the page runs (default real,1m,10m)")
    parser.add_argument("--only", default=",".join(PARTS), help="which parts to run (default all: pages,engines,import,export,browser,serving)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (medians are reported)")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    parts = [p for p in args.only.split(",") if p]
    unknown = [p for p in parts if p not in PARTS] + [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}")

    started = time.perf_counter()
    results: dict = {"machine": machine(), "load_average_at_start": round(load_average(), 2), "stores": {}}
    print(f"benchmarks on {results['machine']}; 1-minute load average {results['load_average_at_start']}")
    roots = {}
    for size in dict.fromkeys(sizes + (["1m"] if {"import", "browser", "serving"} & set(parts) else [])):
        results["stores"][size] = scale_build(size)
        roots[size] = store_root(size)
    if "pages" in parts:
        results["pages"] = {}
        for size in sizes:
            print(f"  page runs, {SIZE_LABELS[size]} store")
            cold_runs = 3
            results["pages"][size] = child(["-m", "benchmarks.pages", "--store", str(roots[size]), "--size", size,
                                            "--runs", str(args.runs), "--cold-runs", str(cold_runs)])
    if "engines" in parts:
        results["engines"] = {}
        for size in sizes:
            print(f"  Daft reading the {SIZE_LABELS[size]} store (benchmarks/engines.py)")
            results["engines"][size] = child(["-m", "benchmarks.engines", "--store", str(roots[size]),
                                              "--runs", str(max(2, args.runs // 2))])
    if "import" in parts:
        print("  import of a 100,000-row workbook")
        results["import"] = child(["-m", "benchmarks.importing", "--store", str(roots["1m"]),
                                   "--runs", str(max(3, args.runs // 2)), "--baseline-runs", "3"])
    if "export" in parts:
        print("  chart export and deck (benchmarks/bench_export.py)")
        results["export"] = export_figures(args.runs)
    if "browser" in parts:
        print("  browser: first chart, and every page fully drawn")
        # Twenty browsers share the server's two cores: "serving" measures readers at the server instead.
        results["browser"] = child(["-m", "benchmarks.browser", "--store", str(roots["1m"]),
                                    "--runs", str(max(5, args.runs)), "--sessions", "0", "--full-runs", "3"])
    if "serving" in parts:
        print("  app server: 1, 20 and 50 readers at once (benchmarks/serving.py)")
        results["serving"] = child(["-m", "benchmarks.serving", "--store", str(roots["1m"]),
                                    "--runs", str(max(3, args.runs // 2)), "--sessions", "1,20,50"])
    results["load_average_at_end"] = round(load_average(), 2)
    results["minutes"] = round((time.perf_counter() - started) / 60, 1)

    text = (f"Measured on {results['machine']}; 1-minute load average {results['load_average_at_start']} at the "
            f"start, {results['load_average_at_end']} at the end; {results['minutes']} minutes.\n\n" + table(results))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
