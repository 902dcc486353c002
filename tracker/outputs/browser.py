"""The Chromium that draws chart images: one kaleido browser per process,
started once, with the system's Chromium (never a downloaded one).

kaleido 1.5 reloads a tab (plotly.js and all) after every figure, and its
calls return only once that reload is done. The reload costs Chromium more
than the drawing (0.37 s of CPU against 0.1-0.2 s) and, on two cores, took
an export that follows another from 0.18 s to 0.31 s (PNG). It buys
nothing here: plotly.js draws each figure in a detached element it purges
afterwards (`Plotly.toImage` on a figure object), and none of the formats
drawn here goes through the page itself (a PDF is made from the SVG by
librsvg; see images.pdf_from_svg). So a tab is reloaded only after every
`RELOAD_AFTER` figures, to bound what a long-lived tab may gather. A
drawing that fails, or takes longer than `TIMEOUT`, restarts the browser
before the next one, so a tab left in an unknown state is never used again.

Loading plotly.js into a tab is most of a tab's start: 1.5 s in a new
Chromium for the full 4.6 MB bundle. The tabs load plotly.js's own "basic"
bundle instead (scatter, bar and pie, 1.2 MB, the same version: see
plotlyjs/README.md), ready in 0.4 s; every chart of the product uses only
those traces, and a figure with another is refused rather than drawn blank.
Chromium keeps compiled scripts only for pages fetched over http, so the
bundle is served to the tabs from this process, on 127.0.0.1 only. The
browser itself is Chromium's headless shell where it is installed (Debian
package chromium-headless-shell): here its first tab is ready 0.15 s after
launch against 0.5 s for the full browser, which matters to the command
line's one image; its images are pixel for pixel the full browser's.

Imports nothing heavy: the command line starts the browser before it
imports pandas and the store (see loaders/__main__.py)."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import os
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tracker import settings
from tracker.errors import TrackerError

TABS = 2  # two figures drawn at once (a deck, two readers), one per core
TIMEOUT = 120.0  # seconds an image may wait (for a tab, then to be drawn) before the browser is restarted
RELOAD_AFTER = 100  # figures a tab draws between reloads
PLOTLY_JS = Path(__file__).with_name("plotlyjs") / "plotly-basic.min.js"
TRACES = frozenset({"scatter", "bar", "pie"})  # the trace types of that bundle

_lock = threading.Lock()
_running: ExportBrowser | None = None


def browser_path() -> str | None:
    """The Chromium that draws the images: the `browser` setting
    ($BROWSER_PATH) when it names a program, else Chromium's headless shell
    on PATH, else a Chromium found on PATH or in the usual places; None when
    there is none (then no image can be made)."""
    chosen = settings.raw("browser")
    if chosen:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    from choreographer.browsers.chromium import Chromium  # kaleido's browser driver, imported with kaleido

    return shutil.which("chromium-headless-shell") or Chromium.find_browser(skip_local=False)


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
    `opts` (format, width, height, scale) say; the browser is started if
    needed. A figure with a trace the bundle lacks is refused first."""
    others = {trace.get("type", "scatter") for trace in figure.get("data", ())} - TRACES
    if others:
        raise ValueError(f"the export browser's plotly.js draws only {sorted(TRACES)} traces, not {sorted(others)}")
    return start().draw(figure, opts)


class ExportBrowser:
    """kaleido's `Kaleido` with `tabs` tabs, on an event loop of its own thread."""

    def __init__(self, path: str, tabs: int) -> None:
        self.failed = False
        self._scripts = _ScriptServer()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="export-browser", daemon=True)
        self._thread.start()
        # MathJax would be a download.
        self._kaleido = _kaleido_class()(n=tabs, mathjax=False, path=path, plotlyjs=self._scripts.plotly_url)
        self._opened = asyncio.run_coroutine_threadsafe(self._kaleido.open(), self._loop)
        self._opened.add_done_callback(self._check)
        atexit.register(self.close)

    def draw(self, figure: dict, opts: dict) -> bytes:
        """The drawn image, within `TIMEOUT` seconds of the call (waiting for the browser to start included)."""
        deadline = time.monotonic() + TIMEOUT
        self._opened.result(TIMEOUT)  # the browser's own error when it could not start
        call = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(figure, opts), self._loop)
        call.add_done_callback(self._check)
        try:
            return call.result(max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            self.failed = True
            call.cancel()
            raise TimeoutError(f"the chart image was not drawn within {TIMEOUT:.0f} s") from None

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

    def _check(self, call: concurrent.futures.Future) -> None:
        # A call that failed may have left its tab halfway through a figure.
        if call.cancelled() or call.exception() is not None:
            self.failed = True


@functools.cache
def _kaleido_class() -> type:
    """kaleido's `Kaleido`, with a tab put back for the next figure as soon
    as it has drawn one, and reloaded only every `RELOAD_AFTER` figures."""
    import kaleido  # here, not at the top: few processes draw images, and it takes 0.3-0.9 s to import

    class Kaleido(kaleido.Kaleido):
        # kaleido 1.5's own hands the tab back after a reload (its requirements pin it: the name is its own).
        async def _return_kaleido_tab(self, tab) -> None:
            tab.figures_drawn = getattr(tab, "figures_drawn", 0) + 1
            if tab.figures_drawn % RELOAD_AFTER == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    return Kaleido


class _ScriptServer:
    """plotly.js (`PLOTLY_JS`, and nothing else) over http on 127.0.0.1 (a
    port of its own), for the export tabs only: marked immutable, so
    Chromium keeps it, compiled, across reloads."""

    def __init__(self) -> None:
        handler = functools.partial(_ScriptHandler, directory=str(PLOTLY_JS.parent))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.plotly_url = f"http://127.0.0.1:{self._server.server_address[1]}/{PLOTLY_JS.name}"
        threading.Thread(target=self._server.serve_forever, name="export-scripts", daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()


class _ScriptHandler(SimpleHTTPRequestHandler):
    """`PLOTLY_JS`, cacheable for good, not logged; any other path is not found."""

    def send_head(self):
        if self.path.split("?")[0] != f"/{PLOTLY_JS.name}":
            self.send_error(404)
            return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        # One sendfile call, not 70 writes of 64 KB: each write would wait for the GIL, which the command
        # line's imports hold while Chromium first loads plotly.js.
        self.connection.sendfile(source)

    def log_message(self, format: str, *args) -> None:  # noqa: A002  the name http.server calls it by
        pass  # a request per tab load on stderr would bury the command line's own messages
