"""Pages run under Streamlit's AppTest, shared by the page tests: a page
through app.py's router as a reader opens it, or a page script alone, and
what the tests read back from a run (figures, texts, tables)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.serving import REPO_ROOT


def run_page(page: str, *, timeout: float = 90, **query) -> AppTest:
    """pages/`page`.py opened through app.py with `query` in the address;
    the run must raise no exception."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)
    at.query_params.update({k: str(v) for k, v in query.items()})
    at.switch_page(f"pages/{page}.py").run()
    assert [e.value for e in at.exception] == [], page
    return at


def run_script(script: Path | str, *, timeout: float = 60, **query) -> AppTest:
    """A page script run alone (without the router), `query` in the address."""
    at = AppTest.from_file(str(script), default_timeout=timeout)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def figures(at: AppTest) -> list[dict]:
    """The page's Plotly figures, read back from each chart element's JSON."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def table(at: AppTest, column: str):
    """The first table on the page with that column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def trace_names(at: AppTest) -> set[str]:
    return {trace.get("name") for fig in figures(at) for trace in fig["data"]}
