"""What every benchmark shares: timing a few runs, the median, this
process's peak memory, and the stores measured (the real seed store and the
synthetic national-scale ones)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "benchmarks" / "out"
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SIZES = ("real", "1m", "10m")
SIZE_LABELS = {"real": "real (seed)", "1m": "1M", "10m": "10M"}


def timed(action, runs: int, setup=None) -> list[float]:
    """Wall-clock seconds of `runs` calls of `action` (after `setup`, untimed)."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict:
    """Median, min, max and the runs, in seconds."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times),
            "times": [round(t, 4) for t in times]}


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> float:
    return os.getloadavg()[0]


def line(what: str, stats: dict, goal: float | None = None) -> str:
    """One printed result: median (min, max) and the goal when there is one."""
    text = f"{what:<58} median {stats['median']:7.3f} s  (min {stats['min']:.3f}, max {stats['max']:.3f}, {stats['runs']} runs)"
    if goal is not None:
        text += f"  goal {goal} s: {'ok' if stats['median'] <= goal else 'MISSED'}"
    return text


def store_root(size: str, log=print) -> Path:
    """The store of a benchmark size, built when missing: "real" is the seed
    store built from data/ (rebuilt every time, it takes a second), "1m"
    and "10m" the synthetic stores of benchmarks/scale.py."""
    if size == "real":
        from loaders import seed
        from tracker.store import Store

        root = OUT / "store-real"
        if root.exists():
            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        seed.run(Store(root))
        return root
    from benchmarks import scale

    return scale.ensure(scale.size_of(size), log=log)


def emit(result: dict, path: str | None) -> None:
    """Write a benchmark's figures as JSON for benchmarks.run."""
    if path:
        Path(path).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
