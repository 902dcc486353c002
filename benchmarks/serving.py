"""The app server under simultaneous readers, measured at the server: one
`streamlit run app.py` over a store, driven through Streamlit's own
websocket protocol (what a browser tab speaks) rather than by browsers,
so the two cores go to the server and not to twenty Chromiums.

    python -m benchmarks.serving [--store PATH] [--sessions 1,20,50] [--pages overview,economy,society,explorer] [--json FILE]

Each session is a new reader: it opens ws://…/_stcore/stream, sends a
BackMsg `rerun_script` naming the page, and is served when the
`script_finished` ForwardMsg arrives with no exception drawn on the page.
Its response time runs from opening the connection to that message.

Measured:
- per page view, one reader at a time over warm caches: the response time
  and the CPU seconds the server process spent (from /proc, user + system);
- for 1, 20 and 50 readers opening the overview at the same moment: p50
  and p95 of their response times, how many were served, and the server's
  CPU seconds per view. The goal (issue 12): p95 within 3× of one reader,
  all served.

The server is warmed first (one view of each page), so these are readers
arriving at a running server, as in browser.py."""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.common import REPO_ROOT, emit, store_root
from tests.serving import streamlit_server

# url_path of each page in app.py ("" is the default page, the overview).
PAGE_PATHS = {"overview": "", "economy": "economy", "society": "society", "explorer": "explorer"}
TIMEOUT_S = 600
GOAL_P95_RATIO = 3.0


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this (client) process, to show what the readers cost."""
    times = os.times()
    return times.user + times.system


def rerun_message(page: str, query_string: str = "") -> bytes:
    """The BackMsg a browser tab sends to run a page: rerun_script with the
    page's url path and the link's query string, no widget state."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.rerun_script.query_string = query_string
    message.rerun_script.page_name = PAGE_PATHS[page]
    return message.SerializeToString()


async def view(ws_url: str, page: str, query_string: str = "") -> dict:
    """One reader opening `page`: seconds from connecting to the script's
    end, whether it was served, and how many bytes the server sent."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    received, failure = 0, None
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=TIMEOUT_S, ping_interval=None) as ws:
            await ws.send(rerun_message(page, query_string))
            while True:
                data = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
                received += len(data)
                message = ForwardMsg()
                message.ParseFromString(data)
                kind = message.WhichOneof("type")
                if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element.WhichOneof("type")
                    if element == "exception":
                        failure = failure or f"exception: {message.delta.new_element.exception.message[:200]}"
                elif kind == "page_not_found":
                    failure = "page not found"
                elif kind == "script_finished":
                    status = message.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the page asked for a rerun (router.use_navigation); the next one counts
                    if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                        failure = failure or f"script finished with status {status}"
                    break
    except (OSError, TimeoutError) as exc:
        failure = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a refused or dropped connection is a reader not served, not a crash here
        failure = f"{type(exc).__name__}: {exc}"
    return {"seconds": time.perf_counter() - started, "served": failure is None, "failure": failure,
            "bytes": received}


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0-1) by linear interpolation, as numpy does."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_async(coroutine):
    """The coroutine run to its end on an event loop of its own thread, so a
    caller whose thread already runs a loop (Playwright's sync API, in a test
    process that also drove a browser) can still measure."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def burst(ws_url: str, pid: int, page: str, sessions: int) -> dict:
    """`sessions` readers opening `page` at the same moment."""
    async def together():
        return await asyncio.gather(*(view(ws_url, page) for _ in range(sessions)))

    cpu, client, wall = cpu_seconds(pid), own_cpu_seconds(), time.perf_counter()
    views = run_async(together())
    wall, cpu, client = time.perf_counter() - wall, cpu_seconds(pid) - cpu, own_cpu_seconds() - client
    times = [v["seconds"] for v in views if v["served"]]
    failures = sorted({v["failure"] for v in views if not v["served"]})
    return {
        "page": page, "sessions": sessions, "served": len(times),
        "p50": percentile(times, 0.5) if times else None, "p95": percentile(times, 0.95) if times else None,
        "max": max(times) if times else None, "wall_s": wall,
        "server_cpu_s": cpu, "server_cpu_per_view_s": cpu / sessions, "client_cpu_s": client,
        "load_average": os.getloadavg()[0], "failures": failures[:5],
    }


def one_at_a_time(ws_url: str, pid: int, page: str, runs: int) -> dict:
    """`runs` readers opening `page` one after another: median response and
    the server's CPU seconds per view."""
    times, cpu_each, failures = [], [], []
    for _ in range(runs):
        before = cpu_seconds(pid)
        result = run_async(view(ws_url, page))
        cpu_each.append(cpu_seconds(pid) - before)
        if result["served"]:
            times.append(result["seconds"])
        else:
            failures.append(result["failure"])
    return {
        "page": page, "runs": runs, "served": len(times),
        "median": statistics.median(times) if times else None,
        "server_cpu_per_view_s": statistics.median(cpu_each), "kb_sent": round(result["bytes"] / 1024),
        "load_average": os.getloadavg()[0], "failures": sorted(set(failures))[:5],
    }


def measure(root: Path, pages: list[str], sessions: list[int], runs: int, log=print) -> dict:
    """Start the server over `root`, warm it, then measure each page alone
    and the overview under each number of simultaneous sessions."""
    env = {"PLAN_STORE": str(root)}
    with streamlit_server(REPO_ROOT / "app.py", env, timeout_s=180) as (base, process):
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        pid = process.pid
        for page in dict.fromkeys(["overview", *pages]):  # warm: imports, caches, the first figures
            first = run_async(view(ws_url, page))
            if not first["served"]:
                raise RuntimeError(f"{page}: {first['failure']}")
            log(f"warm-up {page}: {first['seconds']:.2f} s")
        result = {"store": str(root), "pages": {}, "bursts": []}
        for page in pages:
            found = one_at_a_time(ws_url, pid, page, runs)
            result["pages"][page] = found
            log(f"{page:<10} one reader: median {found['median']:.3f} s, server CPU {found['server_cpu_per_view_s']:.3f} s "
                f"per view, {found['kb_sent']:,} KB sent ({found['served']}/{runs} served; load {found['load_average']:.1f})")
        for n in sessions:
            found = burst(ws_url, pid, "overview", n)
            result["bursts"].append(found)
            p50 = f"{found['p50']:.2f}" if found["p50"] is not None else "–"
            p95 = f"{found['p95']:.2f}" if found["p95"] is not None else "–"
            log(f"overview, {n:>3} at once: p50 {p50} s, p95 {p95} s, {found['served']}/{n} served, "
                f"server CPU {found['server_cpu_per_view_s']:.3f} s per view, client CPU {found['client_cpu_s']:.1f} s "
                f"(load {found['load_average']:.1f})" + (f"; failures: {found['failures']}" if found["failures"] else ""))
    single = next((b for b in result["bursts"] if b["sessions"] == 1 and b["p95"]), None)
    for found in result["bursts"]:
        found["p95_ratio"] = found["p95"] / single["p95"] if single and found["p95"] else None
        found["goal_met"] = bool(found["p95_ratio"] is not None and found["p95_ratio"] <= GOAL_P95_RATIO
                                 and found["served"] == found["sessions"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serving", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="the store to serve (default: the synthetic 1M store)")
    parser.add_argument("--sessions", default="1,20,50", help="simultaneous readers of the overview, comma-separated")
    parser.add_argument("--pages", default=",".join(PAGE_PATHS), help="pages measured one reader at a time")
    parser.add_argument("--runs", type=int, default=5, help="views of each page, one reader at a time")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = [p for p in pages if p not in PAGE_PATHS]
    if unknown:
        parser.error(f"unknown page: {', '.join(unknown)} (known: {', '.join(PAGE_PATHS)})")
    sessions = sorted({int(n) for n in args.sessions.split(",") if n})
    if 1 not in sessions:
        sessions = [1, *sessions]  # the ratio's denominator
    root = args.store or store_root("1m")
    result = measure(root, pages, sessions, args.runs)
    for found in result["bursts"]:
        if found["sessions"] > 1:
            ratio = f"{found['p95_ratio']:.1f}x" if found["p95_ratio"] is not None else "–"
            print(f"{found['sessions']} readers: p95 / one reader {ratio}; goal ≤ {GOAL_P95_RATIO:g}x, all served: "
                  f"{'ok' if found['goal_met'] else 'MISSED'}")
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
