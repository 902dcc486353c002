"""The app served for a real browser, shared by the browser tests and the
browser benchmarks: `streamlit run` on a free local port, and the flags
Debian's Chromium needs on these machines (no network, no sandbox)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


# How long a page may take to load in the browser tests.
LOAD_TIMEOUT_MS = 90_000
# The page itself and Streamlit's main column (which scrolls inside the page) must not scroll sideways;
# a wide table may scroll inside its own grid.
OVERFLOW_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return {page: [document.scrollingElement.scrollWidth, window.innerWidth],
            main: main ? [main.scrollWidth, main.clientWidth] : [0, 0]};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "app.py", env: dict | None = None, log_path: Path | None = None, timeout_s: float = 120,
    graceful: bool = True, port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run script` on a free port with `env` added to the
    environment; yields (base URL, process) once the server answers its
    health check, and stops it afterwards (not `graceful`: killed at once,
    for a server of one request over a store it only reads; Streamlit's own
    shutdown takes about a second). `port` (default: a free one) lets
    servers started one after another share a browser's cache. The
    server's output goes to `log_path` (a temporary file when None) and is
    quoted if it fails."""
    port = port or free_port()
    with (open(log_path, "w+b") if log_path else tempfile.TemporaryFile()) as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=REPO_ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start: {log.read()[-2000:].decode(errors='replace')}")
                time.sleep(0.2)
            yield base, process
        finally:
            if graceful:
                process.terminate()
            else:
                process.kill()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_idle(page) -> None:
    """Until the script has run and stayed finished for a moment (a page
    may rerun once after writing its view to the URL)."""
    app = page.locator('[data-testid="stApp"]')
    stable_since = None
    deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        state = app.get_attribute("data-test-script-state") if app.count() else None
        if state == "notRunning":
            stable_since = stable_since or time.monotonic()
            if time.monotonic() - stable_since > 0.5:
                return
        else:
            stable_since = None
        page.wait_for_timeout(100)
    raise AssertionError(f"page did not finish running (state {state!r})")
