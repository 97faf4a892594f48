"""The Python API: everything the `kg` command does, as functions.

    from kg.api import build, query, export

    build(["data"], output="output")
    rows = query(name="meetings", params={"entity": "Jake Sullivan"}, output="output")
    export("events-csv", "output/events.csv", output="output")

Every function takes `output` (default "output") and optionally `store` (default
OUTPUT/store), like the command's --output and --store. They raise kg.errors.KGError
subclasses and never print. (They live in `kg.api` rather than in `kg` itself because
`kg.build`, `kg.query` and `kg.export` are the modules that implement them.)
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Callable

from .errors import UsageError
from .settings import Settings
from .store import Store

__all__ = ["build", "export", "list_queries", "open_store", "push", "query", "serve", "stats", "validate", "viz"]

PathLike = str | Path


def open_store(output: PathLike = "output", store: PathLike | None = None, read_only: bool = True) -> Store:
    """The store under `output` (or at `store`), read-only unless asked."""
    path = Settings(output=Path(output), store=Path(store) if store is not None else None).store_path
    return Store(path, read_only=read_only)


def build(paths: list[PathLike] | PathLike, output: PathLike = "output", store: PathLike | None = None, *,
          html: bool = True, validate: bool = True, max_chars: int = 2_000_000,
          on_article: Callable[[str, str | None], None] | None = None, jobs: int | None = None):
    """Read articles into the store and write graph.trig, graph.ttl and graph.html, like `kg build`.

    Returns the BuildReport: `outputs` lists the files written, `html_skipped` says why the page
    was left out (a graph too big to draw), and with `validate`, `validation` holds the
    ValidationReport (check `.conforms`). `jobs`: extraction processes (default: the cores).
    """
    from .build import build as run_build, write_outputs
    from .parallel import default_jobs

    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    st = open_store(output, store, read_only=False)
    report = run_build(paths, st, max_chars=max_chars, on_article=on_article, jobs=jobs or default_jobs())
    write_outputs(st, Path(output), report, html=html)
    report.validation = _validate(st) if validate else None
    return report


def _validate(st: Store):
    from .validate import validate as run_validation
    return run_validation(st)


def query(sparql: str | None = None, *, name: str | None = None, params: dict[str, Any] | None = None,
          output: PathLike = "output", store: PathLike | None = None) -> Any:
    """Run a SPARQL query (text or a .rq path) or a shipped one (`name`), with `params` bound as RDF terms.

    SELECT gives a list of dicts (column -> value: str, int, float, bool or None); ASK a
    bool; CONSTRUCT/DESCRIBE a list of pyoxigraph triples.
    """
    import pyoxigraph

    from . import query as q

    text = q.read_query(sparql) if sparql is not None else None
    result = q.run_query(open_store(output, store), sparql=text, name=name,
                         params={k: str(v) for k, v in (params or {}).items()}, value=q.python_value)
    if isinstance(result, q.Table):
        return [dict(zip(result.columns, row)) for row in result.rows]
    if isinstance(result, (bool, pyoxigraph.QueryBoolean)):
        return bool(result)
    return list(result)


def list_queries() -> list[dict[str, Any]]:
    """The shipped queries: name, title and parameters."""
    from . import query as q
    return [{"name": n.name, "title": n.title,
             "params": [{"name": p.name, "kind": p.kind, "required": p.required, "help": p.help} for p in n.params]}
            for n in q.list_queries()]


def export(fmt: str, out: PathLike | IO[bytes] | None = None, *, output: PathLike = "output",
           store: PathLike | None = None) -> Path | bytes:
    """Write the store in `fmt` (see kg.export.formats()) to `out`; without `out`, return the bytes."""
    import io

    from . import export as exporters

    st = open_store(output, store)
    if out is None:
        buf = io.BytesIO()
        exporters.export(st, fmt, buf)
        return buf.getvalue()
    exporters.export(st, fmt, out if not isinstance(out, str) else Path(out))
    return Path(out) if isinstance(out, (str, Path)) else out  # type: ignore[return-value]


def validate(output: PathLike = "output", store: PathLike | None = None, shapes: PathLike | None = None):
    """SHACL-validate the store; a ValidationReport (`.conforms`, `.violations`, `.text()`)."""
    from .validate import validate as run_validation
    return run_validation(open_store(output, store), shapes=Path(shapes) if shapes is not None else None)


def serve(output: PathLike = "output", store: PathLike | None = None, **options: Any):
    """Start the SPARQL server (and HTML view); returns the running Server. Options as kg.serve.ServeOptions.

        with serve(port=7878) as server:
            print(server.query_url)
    """
    from .serve import ServeOptions, Server

    path = Settings(output=Path(output), store=Path(store) if store is not None else None).store_path
    try:
        opts = ServeOptions(**options)
    except TypeError as e:
        raise UsageError(f"serve: {e}") from None
    return Server(path, opts).start()


def push(url: str, output: PathLike = "output", store: PathLike | None = None, **options: Any):
    """Send every named graph to a Graph Store Protocol endpoint; a PushReport. Options as kg.push.PushOptions."""
    from .push import PushOptions, push as run_push

    try:
        opts = PushOptions(**options)
    except TypeError as e:
        raise UsageError(f"push: {e}") from None
    return run_push(open_store(output, store), url, opts)


def stats(output: PathLike = "output", store: PathLike | None = None) -> dict[str, int]:
    """Counts of articles, entities, events, claims and triples."""
    from .build import stats as store_stats
    return store_stats(open_store(output, store))


def viz(path: PathLike | None = None, *, output: PathLike = "output", store: PathLike | None = None,
        **options: Any) -> dict:
    """Write the HTML view (default OUTPUT/graph.html); options as kg.viz.ViewOptions."""
    from .viz import ViewOptions, write_html

    target = Path(path) if path is not None else Path(output) / "graph.html"
    return write_html(open_store(output, store), target, opts=ViewOptions(**options))
