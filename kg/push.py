"""`kg push URL`: send every named graph to a SPARQL 1.1 Graph Store Protocol endpoint.

One request per named graph (`URL?graph=<graph IRI>`, Turtle body): PUT replaces that
graph on the server, POST merges into it; graphs on the server that kg does not hold
are never touched. Turtle is the one syntax every GSP server accepts (Fuseki, GraphDB,
Virtuoso, Neptune, Oxigraph). Transient failures (connection errors, 408, 429, 5xx)
are retried with exponential backoff; anything else stops with one clear line.
Credentials come only from an environment variable (`user:password`), never from the
command line, and never appear in a message.
"""
from __future__ import annotations

import base64
import http.client
import io
import os
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Iterator

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode

from .errors import PushError, UsageError
from .export.rdf import PREFIXES
from .store import Store

MODES = ("replace", "merge")
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
MAX_WAIT = 30.0  # seconds: cap on backoff and on a server's Retry-After


@dataclass(frozen=True)
class PushOptions:
    mode: str = "replace"  # "replace" (PUT each graph) or "merge" (POST into it)
    auth_env: str = "KG_PUSH_AUTH"  # environment variable holding user:password
    retries: int = 4  # further attempts after a transient failure
    backoff: float = 0.5  # first wait in seconds; doubles each retry
    timeout: float = 120.0  # seconds per request


@dataclass
class PushReport:
    url: str
    mode: str
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    retries: int = 0
    seconds: float = 0.0


class _Endpoint:
    """One keep-alive connection to the endpoint's host, reopened after a failure."""

    def __init__(self, url: str, timeout: float, headers: dict[str, str]) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{_safe(url)}: give an http:// or https:// Graph Store endpoint URL")
        if parts.username is not None or parts.password is not None:
            raise UsageError("put credentials in the environment variable (KG_PUSH_AUTH=user:password), "
                             "not in the URL")
        try:
            parts.port
        except ValueError:
            raise UsageError(f"{_safe(url)}: the port is not a number") from None
        self.parts = parts
        self.timeout = timeout
        self.headers = headers
        self._conn: http.client.HTTPConnection | None = None

    def target(self, graph: NamedNode | DefaultGraph) -> str:
        """The request path with `?graph=IRI` (or `?default`) added to any query the URL has."""
        extra = "default" if isinstance(graph, DefaultGraph) else urllib.parse.urlencode({"graph": graph.value})
        query = f"{self.parts.query}&{extra}" if self.parts.query else extra
        return f"{self.parts.path or '/'}?{query}"

    def send(self, method: str, path: str, body: bytes) -> tuple[int, str, dict[str, str]]:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(self.parts.hostname, self.parts.port, timeout=self.timeout)
        headers = {"Content-Type": "text/turtle; charset=utf-8", **self.headers}
        try:
            self._conn.request(method, path, body=body, headers=headers)
            resp = self._conn.getresponse()
            text = resp.read(2000).decode("utf-8", "replace")
            resp.read()  # drain, so the connection can be reused
            return resp.status, text, dict(resp.getheaders())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def auth_header(env_name: str, required: bool) -> dict[str, str]:
    """HTTP basic auth from the environment variable `env_name` (`user:password`)."""
    value = os.environ.get(env_name)
    if value is None:
        if required:
            raise UsageError(f"{env_name} is not set; export {env_name}=user:password first")
        return {}
    if ":" not in value:
        raise UsageError(f"{env_name} must be user:password")
    token = base64.b64encode(value.encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def graphs_of(store: Store) -> Iterator[NamedNode | DefaultGraph]:
    """Every named graph, sorted, then the default graph if it holds anything."""
    yield from sorted(store.raw.named_graphs(), key=lambda g: g.value)
    if next(iter(store.raw.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None:
        yield DefaultGraph()


def graph_turtle(store: Store, graph: NamedNode | DefaultGraph) -> tuple[bytes, int]:
    """One graph as Turtle, and its number of triples."""
    buf = io.BytesIO()
    store.raw.dump(buf, pyoxigraph.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES)
    count = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, graph))
    return buf.getvalue(), count


def push(store: Store, url: str, options: PushOptions | None = None,
         on_graph: Callable[[str, int], None] | None = None) -> PushReport:
    """Send each graph of `store` to the Graph Store endpoint `url`; `on_graph(name, triples)` after each."""
    o = options or PushOptions()
    if o.mode not in MODES:
        raise UsageError(f"push mode {o.mode!r}: choose replace or merge")
    headers = auth_header(o.auth_env, required=o.auth_env != PushOptions.auth_env)
    endpoint = _Endpoint(url, o.timeout, headers)
    report = PushReport(url=_safe(url), mode=o.mode)
    started = time.perf_counter()
    method = "PUT" if o.mode == "replace" else "POST"
    try:
        for graph in graphs_of(store):
            body, count = graph_turtle(store, graph)
            name = "default graph" if isinstance(graph, DefaultGraph) else graph.value
            report.retries += _send_with_retries(endpoint, method, endpoint.target(graph), body, name, o)
            report.graphs += 1
            report.triples += count
            report.bytes += len(body)
            if on_graph:
                on_graph(name, count)
    finally:
        endpoint.close()
    report.seconds = time.perf_counter() - started
    return report


def _send_with_retries(endpoint: _Endpoint, method: str, path: str, body: bytes, name: str,
                       o: PushOptions) -> int:
    """Send one graph; the number of retries it took. Raises PushError when it cannot."""
    where = f"{report_url(endpoint)} ({name})"
    for attempt in range(o.retries + 1):
        wait = min(MAX_WAIT, o.backoff * 2 ** attempt)
        try:
            status, text, headers = endpoint.send(method, path, body)
        except (OSError, http.client.HTTPException) as e:
            problem = f"cannot connect: {_reason(e)}"
        else:
            if 200 <= status < 300:
                return attempt
            if status not in RETRY_STATUS:
                raise PushError(f"{where}: {_explain(status, text, o)}")
            problem = f"HTTP {status}"
            wait = max(wait, _retry_after(headers, wait))
        if attempt < o.retries:
            time.sleep(wait)
    raise PushError(f"{where}: {problem}, still failing after {o.retries + 1} attempts; try again later")


def _explain(status: int, text: str, o: PushOptions) -> str:
    detail = " ".join(text.split())[:160]
    hints = {
        401: f"authentication required or refused; set {o.auth_env}=user:password",
        403: f"the server refused the write (read-only endpoint, or the user in {o.auth_env} may not write)",
        404: "no Graph Store endpoint at this URL; see the README for the URL shape of each server",
        405: f"the endpoint does not allow {'PUT' if o.mode == 'replace' else 'POST'}; is it the Graph Store "
             "endpoint (not the query endpoint)?",
        413: "a graph is too large for the server's request limit; raise the limit on the server",
        415: "the server does not accept Turtle (text/turtle) at this URL",
    }
    hint = hints.get(status, "the server rejected the request")
    return f"HTTP {status}: {hint}" + (f" (server said: {detail})" if detail else "")


def _retry_after(headers: dict[str, str], default: float) -> float:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return min(MAX_WAIT, float(value)) if value is not None else default
    except ValueError:
        return default


def _reason(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def report_url(endpoint: _Endpoint) -> str:
    p = endpoint.parts
    return _safe(urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, p.query, "")))


def _safe(url: str) -> str:
    """The URL without any user:password part, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
