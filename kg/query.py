"""Run SPARQL against the store and shape the results for people and programs."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from .errors import QueryError, UsageError
from .export.rdf import PREFIXES
from .store import Store

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str | None]]


def read_query(text_or_path: str) -> str:
    """A query given inline, or the path of a `.rq` file."""
    p = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")) or (len(text_or_path) < 260 and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{p}: cannot read query file ({e.strerror})") from None
    return text_or_path


def _term(t) -> str | None:
    if t is None:
        return None
    return t.value


def run(store: Store, sparql: str, bindings: dict | None = None):
    """Run a query with the project's prefixes available; returns pyoxigraph results."""
    return store.query(PROLOGUE + sparql, bindings)


def select_table(result) -> Table:
    cols = [v.value for v in result.variables]
    return Table(cols, [[_term(sol[c]) for c in cols] for sol in result])


def select_dicts(store: Store, sparql: str, bindings: dict | None = None) -> list[dict]:
    """SELECT results as a list of dicts (for notebooks and the Python API)."""
    res = run(store, sparql, bindings)
    if not isinstance(res, pyoxigraph.QuerySolutions):
        raise QueryError("select_dicts needs a SELECT query")
    t = select_table(res)
    return [dict(zip(t.columns, r)) for r in t.rows]


def format_result(result, fmt: str) -> str:
    """Render any query result: a table (or csv/tsv/json) for SELECT, yes/no for ASK, Turtle for CONSTRUCT."""
    if isinstance(result, (bool, pyoxigraph.QueryBoolean)):
        value = bool(result)
        return json.dumps({"boolean": value}) if fmt == "json" else ("yes" if value else "no")
    if isinstance(result, pyoxigraph.QueryTriples):
        return pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    table = select_table(result)
    if fmt == "json":
        return json.dumps([dict(zip(table.columns, r)) for r in table.rows], ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(table.columns)
        w.writerows([["" if v is None else v for v in r] for r in table.rows])
        return buf.getvalue().rstrip("\n")
    return render_table(table)


def render_table(table: Table) -> str:
    def short(v: str | None) -> str:
        if v is None:
            return ""
        for p, iri in PREFIXES.items():
            if v.startswith(iri) and p in ("ent", "ev", "claim", "art", "src", "kg"):
                return f"{p}:{v[len(iri):]}"
        v = v.replace("\n", " ")
        return v if len(v) <= 80 else v[:77] + "..."

    rows = [[short(v) for v in r] for r in table.rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(table.columns)]
    line = " | ".join(c.ljust(w) for c, w in zip(table.columns, widths))
    sep = "-+-".join("-" * w for w in widths)
    body = [" | ".join(v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    return "\n".join([line, sep, *body, f"({len(rows)} rows)"])
