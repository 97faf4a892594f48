"""`kg serve`: the Oxigraph SPARQL server over the store, and the HTML view beside it.

The SPARQL endpoint is the real `oxigraph` server from PyPI (the `oxigraph` package,
pinned to pyoxigraph's version so it reads the same storage format), run as a child
process: SPARQL 1.1 Protocol at `/query` and `/update`, Graph Store Protocol at
`/store`, YASGUI at `/`, with the union of the named graphs as the default graph, as
in `kg query`. Oxigraph serves no static files, so the HTML view is served by a small
standard-library HTTP server on a second port (docs/decisions/010-serve-and-push.md).

Read-only (the default) serves a snapshot: a RocksDB checkpoint of the store (hard
links, instant, no extra space) taken while briefly holding the write lock, so a build
in progress is reported instead of being read half-way, and a later build cannot
disturb the running server (Oxigraph calls a read-only open beside a writer undefined
behaviour). `--writable` serves the store itself and holds its lock until stopped.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import ServeError, StoreBusyError, StoreError, ViewTooLargeError
from .store import Store

READY_SECONDS = 20.0  # how long the server may take to answer its first query


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7878
    writable: bool = False
    timeout: int = 30  # seconds a query may run; 0 for no limit
    view_port: int | None = None  # None: port + 1; 0: no HTML view
    cors: bool = False
    lang: str = "en"


def oxigraph_binary() -> str:
    """The `oxigraph` command installed beside this Python (the pinned one), else on PATH."""
    local = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if local.exists():
        return str(local)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("the Oxigraph server is not installed; pip install oxigraph==0.5.13")
    return found


class Server:
    """A running `oxigraph serve` over a kg store (plus the HTML view); stop() ends both.

    Use as a context manager, or call start() and stop().
    """

    def __init__(self, store_path: Path, options: ServeOptions | None = None) -> None:
        self.store_path = Path(store_path)
        self.options = options or ServeOptions()
        self._proc: subprocess.Popen | None = None
        self._log: tempfile._TemporaryFileWrapper | None = None
        self._snapshot: Path | None = None
        self._view: ThreadingHTTPServer | None = None

    # --- where to find it ---------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{_url_host(self.options.host)}:{self.options.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (`?graph=IRI`)."""
        return self.base_url + "/store"

    @property
    def view_url(self) -> str | None:
        if self._view is None:
            return None
        return f"http://{_url_host(self.options.host)}:{self._view.server_address[1]}/"

    @property
    def location(self) -> Path:
        """The store folder the server reads: the snapshot, or the store itself when writable."""
        return self._snapshot or self.store_path

    # --- lifecycle ----------------------------------------------------------------
    def start(self) -> "Server":
        binary = oxigraph_binary()
        if not (self.store_path / "CURRENT").exists():
            raise StoreError(f"{self.store_path}: no store here; run `kg build` first or pass --store")
        _remove_stale_snapshots(self.store_path)
        self._take_lock_and_snapshot()
        try:
            self._start_oxigraph(binary)
            self._wait_ready()
            if self.options.view_port != 0:
                self._start_view(self._page())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the view and the server process, and remove the snapshot."""
        if self._view is not None:
            self._view.shutdown()
            self._view.server_close()
            self._view = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot, ignore_errors=True)
            self._snapshot = None

    def wait(self) -> int:
        """Block until the server process ends (it runs until stopped); its exit code."""
        if self._proc is None:
            return 0
        return self._proc.wait()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- steps ------------------------------------------------------------------------
    def _take_lock_and_snapshot(self) -> None:
        """Open the store for writing, which fails clearly while a build holds it; snapshot it if read-only."""
        try:
            store = Store(self.store_path, read_only=False)
        except StoreBusyError:
            raise StoreBusyError(f"{self.store_path}: a kg build (or another writer) holds this store; "
                                 "serve it when the build has finished") from None
        try:
            if not self.options.writable:
                target = self.store_path.parent / f".{self.store_path.name}.serve-{os.getpid()}-{id(self):x}"
                store.raw.backup(str(target))
                self._snapshot = target
        except OSError as e:
            raise ServeError(f"{self.store_path}: cannot snapshot the store for serving ({e})") from None
        finally:
            del store  # pyoxigraph has no close(): dropping the last reference releases the lock

    def _page(self) -> bytes:
        """The HTML view of what is served, built once at start."""
        from .viz import ViewOptions, build_page

        store = Store(self.location, read_only=True)
        try:
            html, _ = build_page(store, ViewOptions(lang=self.options.lang))
        except ViewTooLargeError as e:
            html = _message_page(str(e))
        except Exception as e:  # the endpoint matters more than the page: serve it without a view
            html = _message_page(f"The HTML view could not be built ({type(e).__name__}: {e}); "
                                 "the SPARQL endpoint works.")
        finally:
            del store
        return html.encode("utf-8")

    def _start_oxigraph(self, binary: str) -> None:
        o = self.options
        command = "serve" if o.writable else "serve-read-only"
        args = [binary, command, "--location", str(self.location), "--bind", f"{o.host}:{o.port}",
                "--union-default-graph"]
        if o.timeout > 0:
            args += ["--timeout-s", str(o.timeout)]
        if o.cors:
            args.append("--cors")
        self._log = tempfile.NamedTemporaryFile(prefix="kg-serve-", suffix=".log")
        # Its own session: a Ctrl-C in the terminal reaches kg, which then stops it in order.
        env = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}  # one-line errors
        self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True, env=env)

    def _wait_ready(self) -> None:
        probe = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise self._startup_error()
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise ServeError(f"the Oxigraph server did not answer on {self.base_url} within {READY_SECONDS:.0f} s")

    def _startup_error(self) -> Exception:
        assert self._log is not None
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        errors = [line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")]
        last = errors[0] if errors else (lines[-1] if lines else "no message")
        if "in use" in last.lower():
            return ServeError(f"{self.options.host}:{self.options.port} is already in use; pass another --port")
        if "lock" in last.lower():
            return StoreBusyError(f"{self.store_path}: another process is writing this store; "
                                  "serve it when that has finished")
        return ServeError(f"the Oxigraph server stopped at start: {last}")

    def _start_view(self, page: bytes) -> None:
        port = self.options.port + 1 if self.options.view_port is None else self.options.view_port
        handler = type("ViewHandler", (_ViewHandler,), {"page": page})
        try:
            self._view = ThreadingHTTPServer((self.options.host, port), handler)
        except OSError as e:
            raise ServeError(f"cannot serve the HTML view on {self.options.host}:{port} ({e.strerror}); "
                             "pass another --view-port, or --view-port 0 for none") from None
        self._view.daemon_threads = True
        threading.Thread(target=self._view.serve_forever, name="kg-view", daemon=True).start()


class _ViewHandler(BaseHTTPRequestHandler):
    """Serves the one HTML page, read-only: GET and HEAD of / and /graph.html."""

    page: bytes = b""

    def do_GET(self) -> None:
        self._send(body=True)

    def do_HEAD(self) -> None:
        self._send(body=False)

    def _send(self, body: bool) -> None:
        if urllib.parse.urlsplit(self.path).path not in ("/", "/graph.html"):
            self.send_error(404, "Only / is served here; SPARQL is on the Oxigraph port")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(self.page)

    def log_message(self, format: str, *args) -> None:  # quiet: the library never prints
        pass


def _message_page(text: str) -> str:
    from html import escape
    return f"<!doctype html><meta charset=utf-8><title>kg</title><p>{escape(text)}</p>"


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _remove_stale_snapshots(store_path: Path) -> None:
    """Snapshots left by a server that was killed (its pid is gone)."""
    for path in store_path.parent.glob(f".{store_path.name}.serve-*"):
        try:
            pid = int(path.name.rsplit(".serve-", 1)[1].split("-")[0])
        except ValueError:
            continue
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(store_path: Path, options: ServeOptions | None = None) -> Server:
    """Start serving the store; returns the running Server (stop it with .stop() or `with`)."""
    return Server(store_path, options).start()
