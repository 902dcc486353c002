"""The Chromium that draws chart images: one kaleido browser per process,
started once, with the system's Chromium (never a downloaded one).

kaleido 1.5 reloads a tab (plotly.js and all) after every figure, and its
calls return only once that reload is done: about half of each export. So
each image is drawn through kaleido's public `write_fig_from_object` into
a named pipe and handed back as soon as kaleido has written it, while its
tab reloads; with two tabs the next image is drawn on the other one
meanwhile. A drawing that fails, or takes longer than `TIMEOUT`, restarts
the browser before the next one, so no tab lost on the way (a reload that
failed, say) leaves later exports waiting.

That reload costs Chromium more than the drawing (0.37 s of CPU against
0.2-0.3 s), most of it plotly.js (4.6 MB) read and compiled again. Chromium
keeps compiled scripts only for pages fetched over http, so plotly.js is
served to the tabs from this process, on 127.0.0.1 only: a reload then
takes 0.1 s of CPU less.

Imports nothing heavy: the command line starts the browser before it
imports pandas and the store (see loaders/__main__.py)."""

from __future__ import annotations

import asyncio
import atexit
import functools
import itertools
import os
import select
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import plotly  # the package only (its figures are imported lazily): where plotly.min.js lies

from tracker import settings
from tracker.errors import TrackerError

TABS = 2  # one draws while the other reloads
TIMEOUT = 120.0  # seconds an image may wait (for a tab, then to be drawn) before the browser is restarted
_POLL_MS = 50

_lock = threading.Lock()
_running: ExportBrowser | None = None


def browser_path() -> str | None:
    """The Chromium that draws the images: the `browser` setting
    ($BROWSER_PATH) when it names a program, else one found on PATH or in
    the usual places; None when there is none (then no image can be made)."""
    chosen = settings.raw("browser")
    if chosen:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    from choreographer.browsers.chromium import Chromium  # kaleido's browser driver, imported with kaleido

    return Chromium.find_browser(skip_local=False)


def start(tabs: int = TABS) -> ExportBrowser:
    """The process's export browser, started (without waiting for it) if
    none runs or the last one failed. `tabs`: how many figures it draws at
    once when it has to be started (the command line's `chart` needs one)."""
    global _running
    with _lock:
        if _running is None or _running.failed:
            if _running is not None:
                _running.close()
            path = browser_path()
            if path is None:  # without a browser every drawing would fail, later and less clearly
                raise TrackerError("export.no_browser")
            _running = ExportBrowser(path, tabs)
        return _running


def stop() -> None:
    """Close the export browser, if this process started one."""
    global _running
    with _lock:
        if _running is not None:
            _running.close()
            _running = None


def draw(figure: dict, opts: dict) -> bytes:
    """A plotly figure (as a dict) drawn by the export browser as kaleido's
    `opts` (format, width, height, scale) say; the browser is started if needed."""
    return start().draw(figure, opts)


class ExportBrowser:
    """kaleido's `Kaleido` with `tabs` tabs, on an event loop of its own thread."""

    def __init__(self, path: str, tabs: int) -> None:
        import kaleido  # here, not at the top: few processes draw images, and it takes 0.3-0.9 s to import

        self.failed = False
        self._folder = Path(tempfile.mkdtemp(prefix="plan-tracker-images-"))
        self._names = itertools.count()
        self._scripts = _ScriptServer()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="export-browser", daemon=True)
        self._thread.start()
        # MathJax would be a download.
        self._kaleido = kaleido.Kaleido(n=tabs, mathjax=False, path=path, plotlyjs=self._scripts.plotly_url)
        self._opened = asyncio.run_coroutine_threadsafe(self._kaleido.open(), self._loop)
        self._opened.add_done_callback(self._check)
        atexit.register(self.close)

    def draw(self, figure: dict, opts: dict) -> bytes:
        """The drawn image, as soon as kaleido has written it."""
        deadline = time.monotonic() + TIMEOUT
        self._opened.result(TIMEOUT)  # the browser's own error when it could not start
        pipe = self._folder / f"{next(self._names)}.{opts['format']}"
        os.mkfifo(pipe)
        # Opened before kaleido opens it to write, so its open never blocks; kaleido writes, then reloads its tab.
        reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        try:
            call = asyncio.run_coroutine_threadsafe(
                self._kaleido.write_fig_from_object({"fig": figure, "path": pipe, "opts": opts}, cancel_on_error=True),
                self._loop,
            )
            call.add_done_callback(self._check)
            try:
                return _read_until_closed(reader, call, deadline)
            except TimeoutError:
                self.failed = True
                raise
        finally:
            pipe.unlink(missing_ok=True)  # first: a late writer then makes a plain file, never waits on the pipe
            os.close(reader)

    def close(self) -> None:
        """Close Chromium and stop the loop; what is still drawing is cancelled."""
        atexit.unregister(self.close)
        if self._thread.is_alive():
            try:
                # A browser still starting is let finish first: cancelled halfway, its Chromium would be left running.
                self._opened.result(TIMEOUT)
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(15)
            except Exception:  # noqa: BLE001  a browser that failed to start or to close; nothing left to save
                pass
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._scripts.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _check(self, call: Future) -> None:
        # A call that fails, even after its image was handed back (its tab's reload), may have lost a tab.
        if call.cancelled() or call.exception() is not None:
            self.failed = True


class _ScriptServer:
    """plotly.js over http on 127.0.0.1 (a port of its own), for the export
    tabs only: marked immutable, so Chromium keeps it, compiled, across reloads."""

    def __init__(self) -> None:
        folder = Path(plotly.__file__).parent / "package_data"
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_ScriptHandler, directory=str(folder)))
        self.plotly_url = f"http://127.0.0.1:{self._server.server_address[1]}/plotly.min.js"
        threading.Thread(target=self._server.serve_forever, name="export-scripts", daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()


class _ScriptHandler(SimpleHTTPRequestHandler):
    """Files of plotly's package folder, cacheable for good, not logged."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        # One sendfile call, not 70 writes of 64 KB: each write would wait for the GIL, which the command
        # line's imports hold while Chromium first loads plotly.js.
        self.connection.sendfile(source)

    def log_message(self, format: str, *args) -> None:  # noqa: A002  the name http.server calls it by
        pass  # a request per tab load on stderr would bury the command line's own messages


def _read_until_closed(reader: int, call: Future, deadline: float) -> bytes:
    """Everything written into the pipe `reader` once its writer has closed
    it; the drawing's error if `call` ends without writing."""
    poller = select.poll()
    poller.register(reader, select.POLLIN)
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the chart image was not drawn within {TIMEOUT:.0f} s")
        if poller.poll(min(left * 1000, _POLL_MS)):
            chunk = os.read(reader, 1 << 20)
            if chunk:
                chunks.append(chunk)
                continue
            if chunks:  # hung up after writing: the image is whole
                return b"".join(chunks)
            time.sleep(0.005)  # hung up without writing; kaleido's error follows
        if call.done():
            call.result()  # raises what went wrong
            chunks.extend(iter(lambda: _read_some(reader), b""))
            if not chunks:
                raise RuntimeError("kaleido finished without writing the image")
            return b"".join(chunks)


def _read_some(reader: int) -> bytes:
    try:
        return os.read(reader, 1 << 20)
    except BlockingIOError:
        return b""
