"""The server benchmark at a tiny size, so that it cannot rot: readers
driven through Streamlit's websocket protocol against the app over the seed
store, and its rows in the results table. Measurements, not tests of
speed: nothing here asserts a time."""

from __future__ import annotations

from benchmarks import run, serving


def test_readers_are_served_through_the_websocket_protocol(served_store):
    lines = []
    result = serving.measure(served_store, ["overview", "economy"], [1, 3], runs=1, log=lines.append)
    for page in ("overview", "economy"):
        found = result["pages"][page]
        assert found["served"] == 1 and found["failures"] == []
        assert found["kb_sent"] > 10  # a drawn page, not an empty script run
        assert found["server_cpu_per_view_s"] >= 0
    one, three = result["bursts"]
    assert (one["sessions"], one["served"], three["sessions"], three["served"]) == (1, 1, 3, 3)
    assert three["p95"] >= three["p50"] > 0 and three["server_cpu_s"] > 0
    assert three["p95_ratio"] > 0
    assert any(line.startswith("overview,   3 at once") for line in lines)


def test_a_reader_not_served_is_counted_as_such():
    found = serving.run_async(serving.view("ws://127.0.0.1:9/_stcore/stream", "overview"))
    assert found["served"] is False and found["failure"]


def test_percentile_interpolates_as_numpy_does():
    assert serving.percentile([1.0], 0.95) == 1.0
    assert serving.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert abs(serving.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95) - 4.8) < 1e-9


def test_results_table_has_the_server_rows():
    burst = lambda n, served, p95, ratio: {  # noqa: E731
        "sessions": n, "served": served, "p50": p95 / 2, "p95": p95, "server_cpu_per_view_s": 0.2,
        "p95_ratio": ratio, "goal_met": ratio is not None and ratio <= 3 and served == n}
    results = {"serving": {
        "store": "benchmarks/out/store-1m",
        "pages": {"overview": {"median": 0.5, "server_cpu_per_view_s": 0.3}},
        "bursts": [burst(1, 1, 0.5, 1.0), burst(20, 20, 1.4, 2.8), burst(50, 49, 9.0, 18.0)],
    }}
    rows = {r.split(" | ")[0].strip("| "): r for r in run.table(results).splitlines()[2:]}
    assert rows["Server: one reader opens overview, response"].endswith("| 0.50 s; server CPU 0.30 s per view |  |  |")
    assert rows["Server: 20 readers p95 / one reader"].endswith("| 2.8x | ≤ 3x, all served | met |")
    assert rows["Server: 50 readers p95 / one reader"].endswith("| 18.0x | ≤ 3x, all served | **missed** |")
    assert "(49/50 served)" in rows["Server: overview, 50 readers at once"]
