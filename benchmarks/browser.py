"""The app in a real headless browser (Debian's Chromium, driven by
Playwright): time from navigation to the first drawn chart of the
overview, against the same for a one-chart Streamlit page (the framework's
floor, benchmarks/floor_page.py), as a ratio; then 20 browser sessions
opening the overview at once against one server: all served, and the 95th
percentile against one session; and every page fully drawn (the script
finished and every chart on the page drawn) against the floor page fully
drawn, the 20-chart Society page included.

    python -m benchmarks.browser [--store PATH] [--runs 7] [--sessions 20] [--full-runs 3] [--pages a,b] [--json FILE]

Both servers are started here (`streamlit run`, headless) and warmed by
one visit each, so the timings are those of a reader arriving at a running
server. Every session is a new browser context (its own cache, like a new
visitor)."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from benchmarks.common import REPO_ROOT, emit, line, store_root, summary
from tests.serving import CHROMIUM, CHROMIUM_ARGS, streamlit_server

VIEWPORT = {"width": 1440, "height": 1000}
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
FAILED = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT_MS = 180_000
GOALS = {"floor_ratio": 1.3, "p95_ratio": 3.0, "full_ratio": 2.0}
# Every page that draws charts, by its url path ("" is the overview). The border plan is
# left out: the synthetic stores hold no border tasks, so it draws none there.
PAGES = {"overview": "", "economy": "economy", "trade": "trade", "budget": "budget", "society": "society",
         "environment": "environment", "explorer": "explorer"}
# Fully drawn: the script has finished and every chart on the page has drawn its SVG.
FULLY_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    return charts.length > 0 && [...charts].every(c => c.querySelector('.js-plotly-plot .main-svg'));
}"""


@contextmanager
def serve(script: Path, env: dict):
    """`streamlit run script` on a free port; yields (base URL, pid)."""
    with streamlit_server(script, env) as (base, process):
        yield base, process.pid


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds used so far by a process (user + system), or by the
    whole machine when `pid` is None."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        busy = sum(int(f) for i, f in enumerate(fields) if i not in (3, 4))  # all but idle and iowait
        return busy / ticks
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_of(pid: int) -> float | None:
    """A running process's peak resident memory in MB (VmHWM), if readable."""
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    except OSError:
        return None
    return None


async def _open(context, url: str, full: bool = False) -> float:
    """Seconds from navigation to the first drawn chart (with `full`, to the
    whole page drawn); raises if the page shows an exception or an error instead."""
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    if full:
        await page.wait_for_function(FULLY_DRAWN, timeout=TIMEOUT_MS, polling=50)
    else:
        await page.wait_for_selector(CHART, state="attached", timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    if await page.locator(FAILED).count():
        raise RuntimeError(f"{url}: {await page.locator(FAILED).first.inner_text()}")
    return elapsed


async def _one(browser, url: str, full: bool = False) -> float:
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        return await _open(context, url, full)
    finally:
        await context.close()


async def _many(browser, url: str, sessions: int) -> tuple[list[float], list[str]]:
    """`sessions` contexts opened first, then all navigating at once."""
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(sessions)]
    try:
        outcomes = await asyncio.gather(*(_open(c, url) for c in contexts), return_exceptions=True)
    finally:
        for context in contexts:
            await context.close()
    times = [o for o in outcomes if isinstance(o, float)]
    errors = [str(o)[:300] for o in outcomes if not isinstance(o, float)]
    return times, errors


def progress(text: str) -> None:
    """A measurement as it is taken, on stderr (the figures come at the end)."""
    print(text, file=sys.stderr, flush=True)


async def _fully_drawn(browser, app: str, floor: str, runs: int, pages: dict[str, str]) -> dict:
    """Each of `pages` fully drawn, each run beside a run of the floor page
    fully drawn (interleaved, so that a busy moment hits both alike)."""
    for name, path in pages.items():  # warm-up: each page's caches filled once
        progress(f"warm-up {name}: fully drawn in {await _one(browser, f'{app}{path}', full=True):.2f} s")
    times: dict[str, list[float]] = {name: [] for name in pages}
    floor_times: list[float] = []
    for _ in range(runs):
        for name, path in pages.items():
            times[name].append(await _one(browser, f"{app}{path}", full=True))
            floor_times.append(await _one(browser, floor, full=True))
            progress(f"{name} fully drawn in {times[name][-1]:.2f} s, floor {floor_times[-1]:.2f} s")
    floor_summary = summary(floor_times)
    drawn = {name: {**summary(found), "floor_ratio": statistics.median(found) / floor_summary["median"]}
             for name, found in times.items()}
    return {"floor": floor_summary, "pages": drawn}


async def _measure(app: str, floor: str, runs: int, sessions: int, server_pid: int, full_runs: int,
                   pages: dict[str, str]) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            await _one(browser, app)  # warm-up: server caches filled, modules imported
            await _one(browser, floor)
            app_times, floor_times = [], []
            for _ in range(runs):  # interleaved, so that a busy moment hits both alike
                app_times.append(await _one(browser, app))
                floor_times.append(await _one(browser, floor))
                progress(f"overview first chart in {app_times[-1]:.2f} s, floor {floor_times[-1]:.2f} s")
            full = await _fully_drawn(browser, app, floor, full_runs, pages) if full_runs else None
            if not sessions:
                return _result(app_times, floor_times, full)
            # Where the CPU goes while they load: the app server, or everything else (the browser).
            server_before, machine_before = cpu_seconds(server_pid), cpu_seconds()
            together, errors = await _many(browser, app, sessions)
            server_cpu, machine_cpu = cpu_seconds(server_pid) - server_before, cpu_seconds() - machine_before
        finally:
            await browser.close()
    result = {**_result(app_times, floor_times, full), "sessions": sessions, "served": len(together),
              "errors": errors, "together_cpu_s": {"app_server": round(server_cpu, 1), "machine": round(machine_cpu, 1)}}
    if together:
        result["together"] = summary(together)
        result["together"]["p95"] = float(np.percentile(together, 95))
        result["p95_ratio"] = result["together"]["p95"] / result["overview"]["median"]
    return result


def _result(app_times: list[float], floor_times: list[float], full: dict | None) -> dict:
    result = {"overview": summary(app_times), "floor": summary(floor_times), "sessions": 0, "served": 0, "errors": []}
    result["floor_ratio"] = result["overview"]["median"] / result["floor"]["median"]
    if full:
        result["full"] = full
    return result


def measure(root: Path, runs: int, sessions: int, full_runs: int = 3, pages: list[str] | None = None) -> dict:
    """The timings over the store at `root`; `pages` (default: every one of
    PAGES) are the pages timed fully drawn."""
    chosen = {name: PAGES[name] for name in (pages or PAGES)}
    with serve(REPO_ROOT / "app.py", {"PLAN_STORE": str(root)}) as (app, app_pid), \
            serve(REPO_ROOT / "benchmarks" / "floor_page.py", {}) as (floor, _):
        result = asyncio.run(_measure(f"{app}/", f"{floor}/", runs, sessions, app_pid, full_runs, chosen))
        result["server_peak_rss_mb"] = peak_rss_of(app_pid)
    result["store"] = str(root)
    return result


def pages_arg(text: str) -> list[str]:
    """The --pages value: names of PAGES, comma-separated."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PAGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"pages are some of {', '.join(PAGES)}; not {', '.join(unknown) or 'none'}")
    return names


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's arguments."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="store the app serves (default: the 1M one)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once (0: none)")
    parser.add_argument("--full-runs", type=int, default=3, help="runs of every page fully drawn (0: none)")
    parser.add_argument("--pages", type=pages_arg, default=list(PAGES),
                        help=f"pages timed fully drawn, comma-separated (default all: {','.join(PAGES)})")
    parser.add_argument("--json", default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    root = args.store or store_root("1m")
    r = measure(root, args.runs, args.sessions, args.full_runs, args.pages)
    print(f"app over {root}")
    print(line("overview: navigation to first chart (one session)", r["overview"]))
    print(line("floor page: navigation to first chart", r["floor"]))
    verdict = "ok" if r["floor_ratio"] <= GOALS["floor_ratio"] else "MISSED"
    print(f"overview / floor = {r['floor_ratio']:.2f} (goal ≤ {GOALS['floor_ratio']}: {verdict})")
    if "full" in r:
        print(line("floor page: navigation to fully drawn", r["full"]["floor"]))
        for name, found in r["full"]["pages"].items():
            verdict = "ok" if found["floor_ratio"] <= GOALS["full_ratio"] else "MISSED"
            print(line(f"{name}: navigation to fully drawn", found)
                  + f"  {found['floor_ratio']:.2f}x floor (goal ≤ {GOALS['full_ratio']}x: {verdict})")
    if not r["sessions"]:
        emit(r, args.json)
        return 0
    print(f"{r['sessions']} sessions at once: {r['served']} served" + (f", errors: {r['errors']}" if r["errors"] else ""))
    if "together" in r:
        print(line(f"{r['sessions']} sessions at once: navigation to first chart", r["together"]))
        verdict = "ok" if r["p95_ratio"] <= GOALS["p95_ratio"] and r["served"] == r["sessions"] else "MISSED"
        print(f"p95 {r['together']['p95']:.3f} s = {r['p95_ratio']:.2f}x one session "
              f"(goal ≤ {GOALS['p95_ratio']}x, all served: {verdict})")
    cpu = r["together_cpu_s"]
    print(f"CPU while the {r['sessions']} sessions loaded: app server {cpu['app_server']} s of "
          f"{cpu['machine']} s on the machine (the rest is mostly Chromium)")
    if r.get("server_peak_rss_mb"):
        print(f"app server peak RSS {r['server_peak_rss_mb']:,.0f} MB")
    emit(r, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
