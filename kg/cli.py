"""The `kg` command: thin click commands over the library.

This is the one place that turns `KGError` into a message and an exit code
(1 for failures, 2 for usage errors); the library never prints or exits.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import export as exporters
from .errors import KGError, ServeError, UsageError
from .export.jsonl import COARSE, EVENT_TYPES
from .viz.project import DEFAULT_MAX_NODES as VIEW_MAX_NODES, RANKS

OUTPUT_HELP = "Folder for the store and the outputs."


def handle_errors(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KGError as e:
            click.echo(f"kg: {e}", err=True)
            sys.exit(e.exit_code)
    return wrapper


def store_option(fn):
    fn = click.option("--store", "store", type=click.Path(path_type=Path), default=None,
                      help="Store folder (default: OUTPUT/store).")(fn)
    return click.option("--output", "output", type=click.Path(path_type=Path), default=Path("output"),
                        show_default=True, help=OUTPUT_HELP)(fn)


def _open(output: Path, store: Path | None, read_only: bool = True):
    from .settings import Settings
    from .store import Store
    return Store(Settings(output=output, store=store).store_path, read_only=read_only)


@click.group()
@click.version_option(package_name="kg")
def main() -> None:
    """kg: news articles (Arabic and English) to a knowledge graph of who met, attacked,
    intercepted, agreed or proposed what — and who says so."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--max-chars", default=2_000_000, show_default=True, type=click.IntRange(min=1),
              help="Skip (with a message) articles longer than this many characters.")
@click.option("--jobs", "jobs", default=None, type=click.IntRange(min=1),
              help="Worker processes for extraction (default: the number of cores); the store is the same whatever N.")
@click.option("--html/--no-html", default=True, show_default=True, help="Write OUTPUT/graph.html.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the store against ontology/shapes.ttl (SHACL) afterwards; exit 1 on violations.")
@handle_errors
def build(paths, output, store, max_chars, jobs, html, progress, validate) -> None:
    """Read articles (.txt, .md, .jsonl, folders) into the store and write the outputs."""
    from tqdm import tqdm

    from .api import build as run_build
    from .ingest import iter_files

    files = list(iter_files(list(paths)))
    if not files:
        raise UsageError(f"no article files (.txt, .md, .jsonl) under {', '.join(map(str, paths))}")
    bar = tqdm(total=len(files), unit="file", disable=not (progress if progress is not None else sys.stderr.isatty()),
               file=sys.stderr)
    last = {"file": None}

    def on_article(source: str, problem: str | None) -> None:
        if problem:
            tqdm.write(f"kg: {problem}", file=sys.stderr)
        f = source.rsplit(":", 1)[0] if source.endswith(tuple("0123456789")) and ":" in source else source
        if f != last["file"]:
            last["file"] = f
            bar.update(1)

    report = run_build(list(paths), output, store, html=html, validate=validate, max_chars=max_chars,
                       on_article=on_article, jobs=jobs)
    bar.close()
    if report.html_skipped:  # the store is built; only the page would be unusable
        click.echo(f"kg: graph.html not written: {report.html_skipped}", err=True)
    s = report.stats
    click.echo(f"articles read: {report.articles}, skipped: {report.skipped}; "
               f"store: {s['articles']} articles, {s['entities']} entities, {s['events']} events, "
               f"{s['claims']} claims, {s['triples']} triples; {report.seconds:.2f} s")
    click.echo("wrote " + ", ".join(map(str, report.outputs)))
    if report.articles == 0:
        sys.exit(1)
    if report.validation is not None and not _validation_passes(report.validation):
        sys.exit(1)


def _validation_passes(result) -> bool:
    """Print one summary line, or the report of violations on stderr."""
    if result.conforms:
        click.echo(f"validation: {result.text()}")
    else:
        click.echo(f"kg: {result.text()}", err=True)
    return result.conforms


@main.command()
@click.argument("sparql", required=False)
@click.option("--name", "name", default=None, metavar="NAME", help="Run a shipped query (see --list) instead.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE as an RDF term (repeatable); names of entities are resolved to IRIs.")
@click.option("--list", "list_queries", is_flag=True, help="List the shipped queries and their parameters.")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format for SELECT results.")
@handle_errors
def query(sparql, name, params, list_queries, output, store, fmt) -> None:
    """Run a SPARQL query (inline, or a .rq file) or a shipped one (--name) against the store."""
    from . import query as q
    if list_queries:
        click.echo(q.describe_queries(q.list_queries()))
        return
    if sparql is not None and name is not None:
        raise UsageError("give a SPARQL query or --name NAME, not both")
    if sparql is None and name is None:
        raise UsageError("give a SPARQL query (inline or FILE.rq) or --name NAME; kg query --list shows the names")
    result = q.run_query(_open(output, store), sparql=None if sparql is None else q.read_query(sparql),
                         name=name, params=q.parse_params(params))
    click.echo(q.format_result(result, fmt))


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(exporters.formats()), required=True, help="Export format.")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
@store_option
@handle_errors
def export_cmd(fmt, out, output, store) -> None:
    """Export the graph: RDF serializations or the flat entity/event tables."""
    st = _open(output, store)
    if out is None:
        exporters.export(st, fmt, sys.stdout.buffer)
    else:
        exporters.export(st, fmt, out)
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None, help="HTML file (default: OUTPUT/graph.html).")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True,
              help="Label language (ar: Arabic names, right to left).")
@click.option("--focus", default=None, metavar="NAME",
              help="Draw only the neighbourhood of the entities with this name (English or Arabic).")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(min=0), help="Neighbourhood radius of --focus.")
@click.option("--max-nodes", "max_nodes", default=VIEW_MAX_NODES, show_default=True, type=click.IntRange(min=1),
              help="With --focus, keep the best ranked nodes up to this many; without, refuse a bigger graph.")
@click.option("--rank", type=click.Choice(RANKS), default="degree", show_default=True,
              help="What ranks the nodes when --max-nodes cuts a focus.")
@click.option("--event-type", "event_types", multiple=True, type=click.Choice(EVENT_TYPES, case_sensitive=False),
              help="Only these event types (repeatable).")
@click.option("--entity-type", "entity_types", multiple=True, type=click.Choice(COARSE, case_sensitive=False),
              help="Only these entity types (repeatable).")
@click.option("--since", default=None, metavar="DATE", help="Only events on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, metavar="DATE", help="Only events on or before DATE (YYYY[-MM[-DD]]).")
@store_option
@handle_errors
def viz(out, lang, focus, hops, max_nodes, rank, event_types, entity_types, since, until, output, store) -> None:
    """Write the interactive offline HTML view: network, evidence on click, filters, timeline."""
    from .viz import ViewOptions, write_html
    path = out or output / "graph.html"
    opts = ViewOptions(lang=lang, focus=focus, hops=hops, max_nodes=max_nodes, rank=rank,
                       event_types=tuple(event_types), entity_types=tuple(entity_types), since=since, until=until)
    n = write_html(_open(output, store), path, opts=opts)
    click.echo(f"wrote {path} ({n['nodes']} nodes, {n['edges']} edges)")
    if n["left_out"]:
        click.echo(n["left_out"])


@main.command()
@store_option
@handle_errors
def stats(output, store) -> None:
    """Counts of articles, entities, events, claims and triples in the store."""
    from .build import stats as store_stats
    for k, v in store_stats(_open(output, store)).items():
        click.echo(f"{k}: {v}")



@main.command(name="validate")
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="SHACL shapes file (default: the shipped ontology/shapes.ttl).")
@store_option
@handle_errors
def validate_cmd(shapes, output, store) -> None:
    """Check the store against the SHACL shapes; exit 1 on violations."""
    from .validate import validate as run_validation
    result = run_validation(_open(output, store), shapes=shapes)
    click.echo(result.text())
    if not result.conforms:
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="SPARQL endpoint port.")
@click.option("--view-port", "view_port", default=None, type=click.IntRange(0, 65535),
              help="Port of the HTML view (default: PORT+1; 0: no view).")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates and Graph Store writes (default: read-only).")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(min=0),
              help="Seconds a query may run (0: no limit).")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (e.g. from a YASGUI page elsewhere).")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True, help="Label language of the view.")
@store_option
@handle_errors
def serve(host, port, view_port, writable, timeout, cors, lang, output, store) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (Oxigraph server) and the HTML view, until Ctrl-C."""
    import signal

    from .serve import ServeOptions, Server
    from .settings import Settings
    options = ServeOptions(host=host, port=port, writable=writable, timeout=timeout, view_port=view_port,
                           cors=cors, lang=lang)
    server = Server(Settings(output=output, store=store).store_path, options).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain kill stops the server in order too
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    try:
        mode = "read-write" if writable else "read-only snapshot"
        click.echo(f"SPARQL endpoint: {server.query_url} ({mode}; queries see all graphs as the default graph)")
        click.echo(f"YASGUI:          {server.base_url}/")
        click.echo(f"Graph Store:     {server.store_url}")
        if server.view_url:
            click.echo(f"HTML view:       {server.view_url}")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"kg: listening on {host}: other machines can reach this server", err=True)
        click.echo("Press Ctrl-C to stop.", err=True)
        code = server.wait()
        if code:
            raise ServeError(f"the Oxigraph server stopped (exit code {code})")
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@main.command()
@click.argument("url")
@click.option("--merge", is_flag=True, help="Add to each graph on the server (POST) instead of replacing it (PUT).")
@click.option("--auth-env", "auth_env", default="KG_PUSH_AUTH", show_default=True, metavar="NAME",
              help="Environment variable holding user:password for HTTP basic auth (used if set).")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(min=0),
              help="Retries after a connection error or HTTP 408/429/5xx, with exponential backoff.")
@click.option("--timeout", default=120, show_default=True, type=click.IntRange(min=1), help="Seconds per request.")
@store_option
@handle_errors
def push(url, merge, auth_env, retries, timeout, output, store) -> None:
    """Send every named graph to a SPARQL 1.1 Graph Store Protocol endpoint (URL?graph=IRI)."""
    from .push import PushOptions, push as run_push
    options = PushOptions(mode="merge" if merge else "replace", auth_env=auth_env, retries=retries, timeout=timeout)
    r = run_push(_open(output, store), url, options)
    click.echo(f"pushed {r.graphs} graphs, {r.triples} triples ({r.bytes // 1024} KiB) to {r.url} "
               f"({r.mode}) in {r.seconds:.1f} s" + (f"; {r.retries} retries" if r.retries else ""))

if __name__ == "__main__":
    main()
