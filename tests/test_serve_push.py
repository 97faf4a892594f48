"""`kg serve` and `kg push` with the real Oxigraph server process on 127.0.0.1."""
from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.errors import PushError, StoreBusyError, UsageError
from kg.push import PushOptions, push
from kg.serve import ServeOptions, Server, oxigraph_binary
from kg.store import Store
from kg.vocab import KG

COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def select(endpoint: str, query: str) -> list[dict]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.queryAndConvert()["results"]["bindings"]


def per_graph(rows: list[dict]) -> dict[str, int]:
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def local_counts(store_path: Path) -> dict[str, int]:
    raw = pyoxigraph.Store.read_only(str(store_path))
    return {s["g"].value: int(s["n"].value) for s in raw.query(COUNT_PER_GRAPH)}


def post(url: str, data: bytes, content_type: str, method: str = "POST") -> int:
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.fixture()
def store_copy(built, tmp_path) -> Path:
    target = tmp_path / "store"
    pyoxigraph.Store.read_only(str(built / "store")).backup(str(target))
    return target


def test_serve_read_only_answers_sparql_and_refuses_writes(built):
    store = built / "store"
    port, view = free_port(), free_port()
    with Server(store, ServeOptions(port=port, view_port=view, timeout=5)) as server:
        assert server.location != store and server.location.exists()  # a snapshot is served
        served = per_graph(select(server.query_url, COUNT_PER_GRAPH))
        assert served == local_counts(store)
        # The union of the graphs is the default graph, as in `kg query`.
        rows = select(server.query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{KG.Claim}> }}")
        assert int(rows[0]["n"]["value"]) > 0
        assert post(server.update_url, b"update=DROP%20ALL", "application/x-www-form-urlencoded") == 403
        put = post(server.store_url + "?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .", "text/turtle", "PUT")
        assert put == 403
        page = urllib.request.urlopen(server.view_url, timeout=10).read().decode("utf-8")
        assert page.lstrip().lower().startswith("<!doctype html") and "</html>" in page
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).status == 200  # YASGUI
        snapshot = server.location
    assert not snapshot.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert per_graph(select_local(store)) == local_counts(store)  # the store is unchanged


def select_local(store: Path) -> list[dict]:
    raw = pyoxigraph.Store.read_only(str(store))
    return [{"g": {"value": s["g"].value}, "n": {"value": s["n"].value}} for s in raw.query(COUNT_PER_GRAPH)]


def test_serve_writable_accepts_updates_into_the_store(store_copy):
    port = free_port()
    with Server(store_copy, ServeOptions(port=port, view_port=0, writable=True)) as server:
        assert server.location == store_copy and server.view_url is None
        update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:kg:test> { <urn:a> <urn:b> 'c' } }"})
        assert post(server.update_url, update.encode(), "application/x-www-form-urlencoded") in (200, 204)
        with pytest.raises(StoreBusyError):  # the server holds the store's lock while it runs
            Store(store_copy, read_only=False)
    assert local_counts(store_copy)["urn:kg:test"] == 1


def test_serve_refuses_a_store_a_build_is_writing(store_copy):
    holder = subprocess.Popen([sys.executable, "-c", "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(60)", str(store_copy)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store", str(store_copy),
                               "--port", str(free_port())], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1
        assert proc.stderr.count("\n") == 1 and "kg build" in proc.stderr and "Traceback" not in proc.stderr
        assert not list(store_copy.parent.glob(".store.serve-*"))
    finally:
        holder.kill()
        holder.wait()


def test_serve_port_in_use_is_one_clear_error(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--output", str(built), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "already in use" in proc.stderr and proc.stderr.count("\n") == 1


@pytest.fixture()
def remote():
    """An empty in-memory `oxigraph serve` to push to."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_push_sends_every_named_graph(built, remote):
    store = Store(built / "store", read_only=True)
    report = push(store, remote + "/store")
    expected = local_counts(built / "store")
    assert report.graphs == len(expected) and report.triples == sum(expected.values())
    assert per_graph(select(remote + "/query", COUNT_PER_GRAPH)) == expected
    # Merge adds to the graphs (a set: the same triples add nothing); replace swaps them.
    post(remote + "/update", urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <%s> { <urn:a> <urn:b> 'c' } }"
                                                    % next(iter(expected))}).encode(),
         "application/x-www-form-urlencoded")
    push(store, remote + "/store", PushOptions(mode="merge"))
    merged = per_graph(select(remote + "/query", COUNT_PER_GRAPH))
    assert merged[next(iter(expected))] == expected[next(iter(expected))] + 1
    push(store, remote + "/store", PushOptions(mode="replace"))
    assert per_graph(select(remote + "/query", COUNT_PER_GRAPH)) == expected


def test_push_cli_reports_and_fails_clearly(built, remote):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "push", remote + "/store", "--output", str(built)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("pushed ") and "(replace)" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "push", remote + "/query", "--output", str(built)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "HTTP 404" in proc.stderr and proc.stderr.count("\n") == 1


class _Flaky(BaseHTTPRequestHandler):
    """Fails the first `failures` requests with 503, refuses bad credentials, records what it got."""

    failures = 0
    seen: list = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((self.path, self.headers.get("Authorization"), self.headers["Content-Type"], body))
        if type(self).failures > 0:
            type(self).failures -= 1
            self.send_response(503)
            self.send_header("Retry-After", "0")
        elif self.headers.get("Authorization") != "Basic " + base64.b64encode(b"ana:s3cret").decode():
            self.send_response(401)
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def flaky():
    handler = type("Handler", (_Flaky,), {"failures": 2, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/ds/data?x=1"
    server.shutdown()
    server.server_close()


def test_push_retries_transient_errors_and_sends_basic_auth(built, flaky, monkeypatch):
    handler, url = flaky
    monkeypatch.setenv("KG_TEST_AUTH", "ana:s3cret")
    report = push(Store(built / "store", read_only=True), url, PushOptions(auth_env="KG_TEST_AUTH", backoff=0.01))
    assert report.retries == 2 and report.graphs == len(local_counts(built / "store"))
    path, auth, ctype, body = handler.seen[-1]
    assert path.startswith("/ds/data?x=1&graph=https%3A%2F%2Fw3id.org%2Fkgnews%2Fid%2Fgraph%2F")
    assert ctype.startswith("text/turtle") and len(list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE)))


def test_push_wrong_credentials_and_missing_variable(built, flaky, monkeypatch):
    handler, url = flaky
    handler.failures = 0
    monkeypatch.setenv("KG_TEST_AUTH", "ana:wrong")
    with pytest.raises(PushError, match="HTTP 401.*KG_TEST_AUTH") as e:
        push(Store(built / "store", read_only=True), url, PushOptions(auth_env="KG_TEST_AUTH"))
    assert "wrong" not in str(e.value)
    monkeypatch.delenv("KG_TEST_AUTH")
    with pytest.raises(UsageError, match="KG_TEST_AUTH is not set"):
        push(Store(built / "store", read_only=True), url, PushOptions(auth_env="KG_TEST_AUTH"))
    with pytest.raises(UsageError, match="not in the URL"):
        push(Store(built / "store", read_only=True), "http://ana:pw@127.0.0.1:1/store")


def test_push_gives_up_after_retries_when_nothing_listens(built):
    url = f"http://127.0.0.1:{free_port()}/store"
    started = time.monotonic()
    with pytest.raises(PushError, match="cannot connect.*after 3 attempts"):
        push(Store(built / "store", read_only=True), url, PushOptions(retries=2, backoff=0.01))
    assert time.monotonic() - started < 5


def test_api_covers_the_commands(built, tmp_path):
    from kg.api import export, list_queries, query, stats, validate

    rows = query(name="entities", params={"name": "asad"}, output=built)
    assert rows and isinstance(rows[0]["events"], int)
    assert query("ASK { ?e a kg:Attack }", output=built) is True
    assert {q["name"] for q in list_queries()} >= {"meetings", "timeline"}
    path = export("events-csv", tmp_path / "e.csv", output=built)
    assert path.read_text(encoding="utf-8").startswith("event_id,")
    assert stats(output=built)["events"] > 0 and validate(output=built).conforms
    assert json.loads(export("entities-jsonl", output=built).splitlines()[0])["id"].startswith("https://")
