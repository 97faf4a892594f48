"""Run SPARQL against the store and shape the results for people and programs.

Besides ad-hoc queries, kg ships competency queries as `ontology/queries/<name>.rq`.
Each file is plain SPARQL (it runs as is in YASGUI against `kg serve`) with a header:

    # <name> — what it answers.
    # @param entity (entity, required) what the value means

Parameter values are bound as RDF terms through pyoxigraph's `substitutions`, never
pasted into the query text. An `entity` value may be a name in any language; it is
resolved to the entity IRI(s) through the labels in the store.

A query that lists rows without bound (every attack, every meeting …) is paged: its file
holds one `LIMIT 100  # page: …` line, the default page size. `limit` is then a parameter
of every such query (`--param limit=500`, `limit=0` for every row); it is the one value
written into the query text, as a validated whole number. A query that reads the page index
(`kg.page_index`) holds the same number in `… < 100)  # page rows` lines, rewritten with it.

A string parameter may be marked `# @exact name -> entity`: when its value is an entity's
label as written (the index lookups of `resolve_entity`), `?entity` is bound to that entity
as well, so the query can start from it instead of scanning every label.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Variable
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .errors import QueryError, UsageError
from .export.rdf import PREFIXES
from .store import Store, changed_under_reader, query_failure
from .vocab import KG

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
KINDS = ("entity", "iri", "date", "integer", "string")

_PARAM = re.compile(r"^#\s*@param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+\((?P<kind>\w+)(?:,\s*(?P<req>required))?\)\s*(?P<help>.*)$")
_TITLE = re.compile(r"^#\s*(?P<name>[\w-]+)\s+[—-]+\s+(?P<title>.+)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# `# @exact name -> entity`: when the string parameter `name` is an entity's label as written
# (index lookups), kg also binds `?entity` to that entity, and the query can skip its label scan.
# `# @page-order date`: the page is the first rows by this column (undated last), though the rows
# are shown in another order (interceptions: by interceptor); the extra row fetched to tell
# whether more rows exist is then the one last by it, not the one shown last.
_PAGE_ORDER = re.compile(r"^#\s*@page-order\s+(?P<col>[A-Za-z_]\w*)\s*$")
_EXACT = re.compile(r"^#\s*@exact\s+(?P<param>[A-Za-z_]\w*)\s*->\s*(?P<var>[A-Za-z_]\w*)\s*(?P<help>.*)$")
# The page line of a shipped query: `LIMIT 100  # page: …` (one per file).
_PAGE = re.compile(r"LIMIT\s+(?P<n>\d+)(?P<mark>[ \t]*#[ \t]*page\b)")
# A query that reads the page index (kg.page_index) compares the events of its buckets with the
# page size: `… < 100)  # page rows`; it is rewritten with the page.
_PAGE_ROWS = re.compile(r"(?P<n>\d+)(?P<mark>\)[ \t]*#[ \t]*page rows\b)")
EVERY_ROW_PAGE = 1_000_000  # limit=0 is first run as a page of this many rows (run_query)
_EVERY_ROW = 10**15  # more rows than any store holds: every bucket is read
LIMIT_PARAM = "limit"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    more: bool = False  # a paged query had more rows than its page size

    def rows_as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # one of KINDS
    required: bool
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    params: tuple[Param, ...]
    text: str
    path: str = ""
    doc: str = field(default="", compare=False)
    page: int | None = None  # default page size (the file's `LIMIT n  # page` line), None: not paged
    exact: tuple[str, str] | None = None  # `# @exact name -> entity`: (parameter, variable bound to its entity)
    page_order: str | None = None  # `# @page-order col`: the column the page is chosen by, when not the first shown

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def paged(self, limit: int | None) -> str:
        """The text with a page of `limit` rows (None: the file's own; 0: every row). One row
        more than asked is fetched, so that the caller knows whether rows were left out."""
        if self.page is None:
            return self.text
        n = self.page if limit is None else limit
        text = _PAGE.sub(lambda m: f"LIMIT {n + 1}{m['mark']}" if n else f"#{m['mark']}", self.text)
        return _PAGE_ROWS.sub(lambda m: f"{n + 1 if n else _EVERY_ROW}{m['mark']}", text)


# --- reading queries -----------------------------------------------------------------

def read_query(text_or_path: str) -> str:
    """A query given inline, or the path of a `.rq` file."""
    p = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")) or (len(text_or_path) < 260 and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{p}: cannot read query file ({e.strerror})") from None
    return text_or_path


def _queries_dir():
    from .resources.loader import ontology_file
    return ontology_file("queries")


def parse_named(name: str, text: str, path: str = "") -> NamedQuery:
    """A shipped query from its text: title and parameters from the header comment."""
    title, params, doc, exact, page_order = "", [], [], None, None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _EXACT.match(line):
            exact = (m["param"], m["var"])
        elif m := _PAGE_ORDER.match(line):
            page_order = m["col"]
        elif m := _PARAM.match(line):
            if m["kind"] not in KINDS:
                raise QueryError(f"{path or name}: parameter {m['name']} has unknown kind {m['kind']!r}")
            params.append(Param(m["name"], m["kind"], bool(m["req"]), m["help"].strip()))
        elif not title and (m := _TITLE.match(line)):
            title = m["title"].strip()
        else:
            doc.append(line[1:].strip())
    pages = {int(m["n"]) for m in _PAGE.finditer(text)}
    if len(pages) > 1 or (pages and any(int(m["n"]) not in pages for m in _PAGE_ROWS.finditer(text))):
        rows = sorted(int(m["n"]) for m in _PAGE_ROWS.finditer(text))
        raise QueryError(f"{path or name}: its `LIMIT n  # page` and `n)  # page rows` lines disagree "
                         f"({sorted(pages)}, {rows})")
    if exact is not None and next((p for p in params if p.name == exact[0] and p.kind == "string"), None) is None:
        raise QueryError(f"{path or name}: `@exact {exact[0]} -> {exact[1]}` needs a string parameter {exact[0]}")
    return NamedQuery(name, title, tuple(params), text, path, "\n".join(doc).strip(), next(iter(pages), None), exact,
                      page_order)


def list_queries() -> list[NamedQuery]:
    """Every shipped query, by name."""
    folder = _queries_dir()
    out = []
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            out.append(parse_named(f.name[:-3], f.read_text(encoding="utf-8"), f"ontology/queries/{f.name}"))
    return out


def get_query(name: str) -> NamedQuery:
    for q in list_queries():
        if q.name == name:
            return q
    names = ", ".join(q.name for q in list_queries())
    raise UsageError(f"no shipped query named {name!r}; choose one of: {names} (kg query --list)")


# --- parameters ----------------------------------------------------------------------

def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """`key=value` strings (as given to --param) to a dict."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise UsageError(f"--param {pair!r}: write it as NAME=VALUE, e.g. --param since=2021-01-01")
        out[key] = value
    return out


def as_iri(value: str) -> NamedNode | None:
    """`<iri>`, an absolute IRI or a prefixed name (`ent:jake_sullivan`) as a node; None for anything else."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    elif ":" in v and not _IRI_SCHEME.match(v) and not v.startswith("urn:"):
        prefix, _, local = v.partition(":")
        if prefix not in PREFIXES or not re.fullmatch(r"[\w.-]*", local):
            return None
        v = PREFIXES[prefix] + local
    elif not (_IRI_SCHEME.match(v) or v.startswith("urn:")):
        return None
    try:
        return NamedNode(v)
    except ValueError:
        raise UsageError(f"{value!r} is not a valid IRI") from None


def date_literal(value: str) -> Literal:
    """YYYY, YYYY-MM or YYYY-MM-DD as an xsd:gYear, xsd:gYearMonth or xsd:date literal."""
    v = value.strip()
    if not _DATE.match(v):
        raise UsageError(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        date.fromisoformat((v + "-01-01")[:10])
    except ValueError:
        raise UsageError(f"{value!r} is not a calendar date") from None
    dtype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(v)]
    return Literal(v, datatype=NamedNode(str(dtype)))


def integer_literal(value: str) -> Literal:
    try:
        return Literal(str(int(value.strip())), datatype=NamedNode(str(XSD.integer)))
    except ValueError:
        raise UsageError(f"{value!r} is not a whole number") from None


def resolve_entity(store: Store, name: str) -> list[NamedNode]:
    """The entities a user means by `name`: an IRI as given, else every entity with that label.

    A label written exactly as given (or in lower, title or upper case), in English, Arabic
    or without a language, is found by index lookups, which cost the same at any store size.
    Only when none matches are all labels read and compared folded (case, hamza, taa
    marbuta, diacritics: `قاعده عين الاسد` finds `قاعدة عين الأسد`): that grows with the store.
    """
    node = as_iri(name)
    if node is not None:
        return [node]
    wanted = " ".join(name.split())
    if not wanted:
        raise UsageError("an entity name is empty")
    found = _exact_matches(store, wanted) or _folded_matches(store, wanted)
    if not found:
        raise UsageError(f"no entity is named {name!r}; look names up with: kg query --name entities --param name=…")
    return sorted(set(found), key=lambda n: n.value)


_LABELS = tuple(NamedNode(str(p)) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label))
_LANGUAGES = ("en", "ar", None)
_RDF_TYPE = NamedNode(str(RDF.type))
_ENTITY = NamedNode(str(KG.Entity))


def _exact_matches(store: Store, name: str) -> list[NamedNode]:
    """Entities with a label equal to `name` in one of its usual spellings: index lookups only
    (a pattern with a bound literal; a SPARQL property path would read every label)."""
    spellings = dict.fromkeys([name, name.lower(), name.title(), name.upper(), name[:1].upper() + name[1:]])
    raw = store.raw
    subjects = {q.subject for text in spellings for lang in _LANGUAGES for pred in _LABELS
                for q in raw.quads_for_pattern(None, pred, Literal(text, language=lang), None)}
    return [s for s in subjects if isinstance(s, NamedNode) and _is_entity(raw, s)]


def _is_entity(raw: pyoxigraph.Store, node: NamedNode) -> bool:
    # Sources (kg:Source) have labels too; only entities are meant.
    return next(iter(raw.quads_for_pattern(node, _RDF_TYPE, _ENTITY, None)), None) is not None


def _folded_matches(store: Store, name: str) -> list[NamedNode]:
    """Every label read and compared folded: the slow path, for names not written as stored."""
    from .text.normalize import fold

    key = " ".join(fold(name).split())
    q = (f"SELECT DISTINCT ?e ?l WHERE {{ ?e a <{KG.Entity}> ; "
         f"<{RDFS.label}>|<{SKOS.prefLabel}>|<{SKOS.altLabel}> ?l }}")
    return [s["e"] for s in store.query(q) if " ".join(fold(s["l"].value).split()) == key]


def to_terms(store: Store, kind: str, value: str) -> list[Any]:
    """A parameter value as the RDF term(s) it stands for (several when a name fits several entities)."""
    if kind == "entity":
        return list(resolve_entity(store, value))
    if kind == "iri":
        node = as_iri(value)
        if node is None:
            raise UsageError(f"{value!r} is not an IRI; give <…>, https://… or a prefixed name such as ev:…")
        return [node]
    if kind == "date":
        return [date_literal(value)]
    if kind == "integer":
        return [integer_literal(value)]
    if kind == "string":
        return [Literal(value)]
    return [guess_term(value)]


def guess_term(value: str) -> Any:
    """For an ad-hoc query: an IRI, a date, a whole number, or else a plain string."""
    node = as_iri(value)
    if node is not None:
        return node
    if _DATE.match(value.strip()):
        return date_literal(value)
    if re.fullmatch(r"\s*-?\d+\s*", value):
        return integer_literal(value)
    return Literal(value)


def bindings(store: Store, query: NamedQuery | None, values: dict[str, str]) -> list[dict]:
    """The substitutions to run with: one dict per combination of resolved values."""
    if query is not None:
        values = {k: v for k, v in values.items() if not (k == LIMIT_PARAM and query.page is not None)}
        unknown = sorted(set(values) - {p.name for p in query.params})
        if unknown:
            names = [p.name for p in query.params] + ([LIMIT_PARAM] if query.page is not None else [])
            allowed = ", ".join(names) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {allowed})")
        missing = [p.name for p in query.params if p.required and p.name not in values]
        if missing:
            raise UsageError(f"query {query.name!r} needs --param {missing[0]}=…")
    options: list[list[tuple[Variable, Any]]] = []
    for key, value in values.items():
        p = query.param(key) if query is not None else None
        options.append([(Variable(key), t) for t in to_terms(store, p.kind if p else "auto", value)])
    if query is not None and query.exact is not None and values.get(query.exact[0], "").strip():
        # A name written as some entity's label is looked up in the indexes (the cost is the same
        # at any store size); the query then starts from that entity instead of reading every label.
        found = _exact_matches(store, values[query.exact[0]].strip())
        if found:
            options.append([(Variable(query.exact[1]), e) for e in sorted(set(found), key=lambda n: n.value)])
    return [dict(combo) for combo in itertools.product(*options)]


# --- running -------------------------------------------------------------------------

def run(store: Store, sparql: str, bindings: dict | None = None):
    """Run a query with the project's prefixes available; returns pyoxigraph results."""
    return store.query(PROLOGUE + sparql, bindings)


def _term(t) -> str | None:
    if t is None:
        return None
    return t.value


_NUMBERS = {str(XSD.integer): int, str(XSD.int): int, str(XSD.long): int, str(XSD.decimal): float,
            str(XSD.double): float, str(XSD.float): float}


def python_value(t) -> Any:
    """A term as a Python value for programs: numbers and booleans typed, everything else its text."""
    if t is None:
        return None
    if isinstance(t, Literal):
        dtype = t.datatype.value
        if dtype in _NUMBERS:
            try:
                return _NUMBERS[dtype](t.value)
            except ValueError:
                return t.value
        if dtype == str(XSD.boolean):
            return t.value in ("true", "1")
    return t.value


def select_table(result, value: Callable[[Any], Any] = _term) -> Table:
    cols = [v.value for v in result.variables]
    return Table(cols, [[value(sol[c]) for c in cols] for sol in result])


def run_query(store: Store, sparql: str | None = None, name: str | None = None,
              params: dict[str, str] | None = None, value: Callable[[Any], Any] = _term):
    """Run an ad-hoc (`sparql`) or shipped (`name`) query with parameters bound as RDF terms.

    A SELECT gives a Table; ASK a bool; CONSTRUCT/DESCRIBE pyoxigraph triples. When a
    name matches several entities the query runs once per entity and the rows are
    concatenated (the parameter's column then says which). Parameter columns whose
    value the user gave are dropped: they repeat it on every row. `value` turns each
    term into a cell (default: its text; `python_value` for typed numbers).
    """
    if (sparql is None) == (name is None):
        raise UsageError("give either a SPARQL query or --name NAME")
    named = get_query(name) if name is not None else None
    limit = page_limit(named, params or {})
    runs = bindings(store, named, params or {})
    # Every row (limit=0) is first asked as one very big page: Oxigraph plans a query whose page
    # has no LIMIT differently, joining every role triple of the store in one hash table (3-10x
    # slower on 10k articles). Only a store with more rows than that is read without a LIMIT.
    first = EVERY_ROW_PAGE if limit == 0 else limit
    text = named.paged(first) if named is not None else sparql
    results = [run(store, text, b or None) for b in runs]
    if not isinstance(results[0], pyoxigraph.QuerySolutions):
        return results[0] if len(results) == 1 else _merge_other(results)
    tables = _tables(results, value)
    if limit == 0 and any(len(t.rows) > EVERY_ROW_PAGE for t in tables):
        tables = _tables([run(store, named.paged(0), b or None) for b in runs], value)
    table = Table(tables[0].columns, [row for t in tables for row in t.rows])
    if named is not None:
        varying = {str(v.value) for v in runs[0] if len({str(b[v]) for b in runs}) > 1} if runs[0] else set()
        table = drop_columns(table, {p.name for p in named.params} - varying)
        table = _cut(table, limit if limit is not None else named.page, named.page_order)
    return table


def _tables(results: list, value: Callable[[Any], Any]) -> list[Table]:
    try:
        return [select_table(r, value) for r in results]
    except (OSError, RuntimeError) as e:  # rows are read as they are taken: a build may be merging files
        if not changed_under_reader(e):
            raise
        raise QueryError(query_failure(e)) from None


def page_limit(named: NamedQuery | None, params: dict[str, str]) -> int | None:
    """The page size asked with `--param limit=N` (0: every row); None: the query's default."""
    if LIMIT_PARAM not in params or named is None or named.page is None:
        return None
    value = params[LIMIT_PARAM].strip()
    if not value.isdigit():
        raise UsageError(f"--param limit={params[LIMIT_PARAM]!r}: give a whole number of rows (0 for every row)")
    return int(value)


def _cut(table: Table, limit: int | None, by: str | None = None) -> Table:
    """At most `limit` rows (the query fetched one more to tell whether rows were left out): the
    first shown, or with `by` the first by that column (empty last), in the order shown."""
    if not limit or len(table.rows) <= limit:
        return table
    if by is None or by not in table.columns:
        return Table(table.columns, table.rows[:limit], more=True)
    c = table.columns.index(by)
    first = sorted(range(len(table.rows)), key=lambda i: (table.rows[i][c] in (None, ""), str(table.rows[i][c] or "")))
    keep = set(first[:limit])
    return Table(table.columns, [r for i, r in enumerate(table.rows) if i in keep], more=True)


def _merge_other(results: list):
    if isinstance(results[0], (bool, pyoxigraph.QueryBoolean)):
        return any(bool(r) for r in results)
    return [t for r in results for t in r]


def drop_columns(table: Table, names: set[str]) -> Table:
    keep = [i for i, c in enumerate(table.columns) if c not in names]
    return Table([table.columns[i] for i in keep], [[r[i] for i in keep] for r in table.rows], table.more)


def select_dicts(store: Store, sparql: str, bindings: dict | None = None) -> list[dict]:
    """SELECT results as a list of dicts (for notebooks and the Python API)."""
    res = run(store, sparql, bindings)
    if not isinstance(res, pyoxigraph.QuerySolutions):
        raise QueryError("select_dicts needs a SELECT query")
    t = select_table(res)
    return [dict(zip(t.columns, r)) for r in t.rows]


# --- rendering -----------------------------------------------------------------------

def format_result(result, fmt: str) -> str:
    """Render any query result: a table (or csv/tsv/json) for SELECT, yes/no for ASK, Turtle for CONSTRUCT."""
    if isinstance(result, (bool, pyoxigraph.QueryBoolean)):
        value = bool(result)
        return json.dumps({"boolean": value}) if fmt == "json" else ("yes" if value else "no")
    if isinstance(result, (pyoxigraph.QueryTriples, list)):
        return pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    table = result if isinstance(result, Table) else select_table(result)
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
    def short(v: Any) -> str:
        if v is None:
            return ""
        v = str(v)
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
    more = "; more rows not shown: --param limit=N for a bigger page, limit=0 for every row" if table.more else ""
    return "\n".join([line, sep, *body, f"({len(rows)} rows{more})"])


def describe_queries(queries: list[NamedQuery]) -> str:
    """`kg query --list`: each query with its title and parameters."""
    out = []
    for q in queries:
        out.append(f"{q.name}: {q.title}")
        for p in q.params:
            req = ", required" if p.required else ""
            out.append(f"    --param {p.name}=…  ({p.kind}{req}) {p.help}")
        if q.page is not None:
            out.append(f"    --param {LIMIT_PARAM}=…  (integer) rows per page, default {q.page}; 0 for every row")
    return "\n".join(out)
