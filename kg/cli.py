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
from .errors import KGError, UsageError

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
@click.option("--max-chars", default=2_000_000, show_default=True, help="Skip articles longer than this.")
@click.option("--html/--no-html", default=True, show_default=True, help="Write OUTPUT/graph.html.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@handle_errors
def build(paths, output, store, max_chars, html, progress) -> None:
    """Read articles (.txt, .md, .jsonl, folders) into the store and write the outputs."""
    from tqdm import tqdm

    from .build import build as run_build
    from .ingest import iter_files
    from .viz import write_html

    files = list(iter_files(list(paths)))
    if not files:
        raise UsageError(f"no article files (.txt, .md, .jsonl) under {', '.join(map(str, paths))}")
    st = _open(output, store, read_only=False)
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

    report = run_build(list(paths), st, max_chars=max_chars, on_article=on_article)
    bar.close()
    output.mkdir(parents=True, exist_ok=True)
    exporters.export(st, "trig", output / "graph.trig")
    exporters.export(st, "turtle", output / "graph.ttl")
    if html:
        write_html(st, output / "graph.html")
    s = report.stats
    click.echo(f"articles read: {report.articles}, skipped: {report.skipped}; "
               f"store: {s['articles']} articles, {s['entities']} entities, {s['events']} events, "
               f"{s['claims']} claims, {s['triples']} triples; {report.seconds:.2f} s")
    click.echo(f"wrote {output / 'graph.trig'}, {output / 'graph.ttl'}" + (f", {output / 'graph.html'}" if html else ""))
    if report.articles == 0:
        sys.exit(1)


@main.command()
@click.argument("sparql")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format for SELECT results.")
@handle_errors
def query(sparql, output, store, fmt) -> None:
    """Run a SPARQL query (inline, or a .rq file) against the store."""
    from .query import format_result, read_query, run
    click.echo(format_result(run(_open(output, store), read_query(sparql)), fmt))


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
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True, help="Label language.")
@store_option
@handle_errors
def viz(out, lang, output, store) -> None:
    """Write the interactive offline HTML view of the graph."""
    from .viz import write_html
    path = out or output / "graph.html"
    n = write_html(_open(output, store), path, lang=lang)
    click.echo(f"wrote {path} ({n['nodes']} nodes, {n['edges']} edges)")


@main.command()
@store_option
@handle_errors
def stats(output, store) -> None:
    """Counts of articles, entities, events, claims and triples in the store."""
    from .build import stats as store_stats
    for k, v in store_stats(_open(output, store)).items():
        click.echo(f"{k}: {v}")


if __name__ == "__main__":
    main()
