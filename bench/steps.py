#!/usr/bin/env python3
"""Benchmark steps, each run by bench/run.py in a process of its own (so its memory is its
own); each prints one JSON object on its last line.

    python3 bench/steps.py extract CORPUS [--limit 2000]
    python3 bench/steps.py queries STORE --bindings OUT.json [--repeat 20]
    python3 bench/steps.py top-bindings STORE OUT.json [--k 3]
    python3 bench/steps.py saved-queries STORE --bindings IN.json [--only NAME] [--unbound] [--queries DIR] [--timeout 120]
    python3 bench/steps.py index STORE    # add the page index and label copy a build with this version adds
    python3 bench/steps.py oxigraph-load NQUADS [--disk DIR]
    python3 bench/steps.py rdflib-load NQUADS
    python3 bench/steps.py rdflib-queries NQUADS --bindings IN.json [--repeat 3] [--timeout 120]
    python3 bench/steps.py turtle-stream STORE OUT.ttl
"""
from __future__ import annotations

import argparse
import itertools
import json
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `xs`, in the unit given."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


# --- extraction vs read+tokenize -----------------------------------------------------------

def step_extract(corpus: Path, limit: int) -> dict:
    """One core: read the files, read + tokenize, read + extract, over the same articles."""
    from kg.extract.pipeline import process
    from kg.ingest import read_articles
    from kg.models import Article
    from kg.text.tokens import tokenize

    def articles() -> Iterator[Article]:
        return itertools.islice((a for a in read_articles([corpus]) if isinstance(a, Article)), limit)

    process(next(articles()))  # load the gazetteer and lexicons outside the timing
    t0 = time.perf_counter()
    n = sum(1 for _ in articles())
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in articles():
        tokenize(a.text)
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    chars = 0
    for a in articles():
        process(a)
        chars += len(a.text)
    t_ext = time.perf_counter() - t0
    return {"articles": n, "chars_per_article": chars / n, "read_per_s": n / t_read,
            "read_tokenize_per_s": n / t_tok, "read_extract_per_s": n / t_ext,
            "extract_only_per_s": n / max(t_ext - t_read, 1e-9)}


# --- shipped queries on Oxigraph ---------------------------------------------------------

def _objects(raw, pred, n: int, keep: Callable[[Any], bool] = lambda x: True, graph=None) -> list:
    """Up to `n` distinct objects of `pred` (in index order: deterministic for a given store)."""
    seen: dict[str, Any] = {}
    for q in raw.quads_for_pattern(None, pred, None, graph):
        if q.object.value not in seen and keep(q.object):
            seen[q.object.value] = q.object
            if len(seen) >= n:
                break
    return list(seen.values())


def _name(raw, node, lang: str) -> str:
    """A name as a user would type it: the gazetteer's, else a label the articles use."""
    from kg.resources import gazetteer
    entry = gazetteer().entries.get(node.value.rsplit("/", 1)[-1])
    if entry is not None and lang in entry.names:
        return entry.names[lang][0]
    from pyoxigraph import NamedNode
    for q in raw.quads_for_pattern(node, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None):
        return q.object.value
    return node.value


def _gaz_cls(node) -> str | None:
    from kg.resources import gazetteer
    e = gazetteer().entries.get(node.value.rsplit("/", 1)[-1])
    return e.cls if e is not None else None


def param_sets(store, by_iri: bool = False) -> dict[str, list[dict[str, str]]]:
    """Parameter values for each shipped query, taken from the store: entities by name (English
    and Arabic in turn, as users type them) or, with `by_iri`, by IRI; events by IRI."""
    from pyoxigraph import NamedNode
    from kg.fusion import FUSION_GRAPH
    from kg.vocab import KG

    raw = store.raw
    n = lambda t: NamedNode(str(t))  # noqa: E731
    names = lambda nodes: [x.value if by_iri else _name(raw, x, "en" if i % 2 == 0 else "ar")  # noqa: E731
                           for i, x in enumerate(nodes)]
    targets = names(_objects(raw, n(KG.target), 5, lambda x: _gaz_cls(x) is not None))
    people = names(_objects(raw, n(KG.participant), 5, lambda x: _gaz_cls(x) == "Person"))
    militaries = names(_objects(raw, n(KG.agent), 5, lambda x: _gaz_cls(x) == "MilitaryOrganization"))
    outlets = names(_objects(raw, n(KG.outlet), 5))
    events = [x.value for x in _objects(raw, n(KG.asserts), 5)]
    disputed = [x.value for x in _objects(raw, n(KG.about), 5, graph=FUSION_GRAPH)] or events
    surnames = [_name(raw, NamedNode(p), "en").split()[-1] if by_iri else p.split()[-1] for p in people]
    types = ["kg:Attack", "kg:Meeting", "kg:Interception", "kg:Agreement", "kg:Proposal"]
    return {
        "attacks": [{"target": t} for t in targets],
        "attribution": [{"event": e} for e in events],
        "contradictions": [{"event": e} for e in disputed],
        "corroboration": [{"min": "2", "type": t} for t in types],
        "entities": [{"name": s} for s in surnames],
        "interceptions": [{"interceptor": m} for m in militaries],
        "meetings": [{"entity": p} for p in people],
        "outlet-reports": [{"outlet": o} for o in outlets],
        "timeline": [{"entity": p} for p in people],
        "who-met-whom": [{"entity": p} for p in people],
    }


def step_top_bindings(store_dir: Path, out: Path, k: int = 3) -> dict:
    """Bindings for `saved-queries` taken from the store: for each query the `k` most frequent values
    of its parameter (the busiest target, person, military, outlet, most-reported event, most
    disputed event), entities as IRIs: the heaviest cases a user can ask for."""
    from collections import Counter
    from pyoxigraph import NamedNode
    from kg.fusion import FUSION_GRAPH
    from kg.store import Store
    from kg.vocab import KG
    from rdflib.namespace import XSD

    raw = Store(store_dir, read_only=True).raw

    def top(pred, keep: Callable[[Any], bool] = lambda x: True, graph=None) -> list:
        counts = Counter(q.object for q in raw.quads_for_pattern(None, NamedNode(str(pred)), None, graph))
        return [x for x, _ in counts.most_common() if isinstance(x, NamedNode) and keep(x)][:k]

    def one(name: str, nodes: list) -> list[list[dict[str, str]]]:
        return [[{name: f"<{x.value}>"}] for x in nodes]

    people = top(KG.participant, lambda x: _gaz_cls(x) == "Person")
    events = top(KG.asserts)
    integer = f'"2"^^<{XSD.integer}>'
    saved = {
        "attacks": one("target", top(KG.target, lambda x: _gaz_cls(x) is not None)),
        "attribution": one("event", events),
        "contradictions": one("event", top(KG.about, graph=FUSION_GRAPH) or events),
        "corroboration": [[{"min": integer, "type": f"<{t}>"}] for t in (KG.Attack, KG.Meeting, KG.Interception)],
        "entities": [[{"name": '"' + _name(raw, p, "en").split()[-1] + '"'}] for p in people],
        "interceptions": one("interceptor", top(KG.agent, lambda x: _gaz_cls(x) == "MilitaryOrganization")),
        "meetings": one("entity", people),
        "outlet-reports": one("outlet", top(KG.outlet)),
        "timeline": one("entity", people),
        "who-met-whom": one("entity", people),
    }
    out.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    return saved


def step_queries(store_dir: Path, repeat: int, bindings_out: Path | None, only: str | None = None,
                 budget: float = float("inf"), by_iri: bool = False) -> dict:
    """Each shipped query `repeat` times with parameters bound, as `kg query --name` runs it
    (names resolved to IRIs, rows materialized); and the bound query alone, for rdflib.
    A query stops repeating once it has used `budget` seconds (after one run at least)."""
    from kg import query as q
    from kg.store import Store

    store = Store(store_dir, read_only=True)
    sets = param_sets(store, by_iri)
    out: dict[str, dict] = {}
    saved: dict[str, list[list[dict[str, str]]]] = {}
    for named in q.list_queries():
        if only is not None and named.name != only:
            continue
        variants = sets.get(named.name) or [{}]
        full, bare, rows = [], [], []
        resolved: dict[int, list] = {}  # names resolved lazily: at 10k articles one takes seconds
        started = time.perf_counter()
        for i in range(repeat):
            if i and time.perf_counter() - started > budget:
                break
            params = variants[i % len(variants)]
            t0 = time.perf_counter()
            table = q.run_query(store, name=named.name, params=params)
            full.append((time.perf_counter() - t0) * 1000)
            rows.append(len(table.rows))
            k = i % len(variants)
            if k not in resolved:
                resolved[k] = q.bindings(store, named, variants[k])
            t0 = time.perf_counter()
            for b in resolved[k]:
                q.select_table(q.run(store, named.text, b or None))
            bare.append((time.perf_counter() - t0) * 1000)
        out[named.name] = {"p50_ms": pct(full, 50), "p95_ms": pct(full, 95), "max_ms": max(full),
                           "bound_p50_ms": pct(bare, 50), "bound_p95_ms": pct(bare, 95),
                           "rows_median": statistics.median(rows), "runs": len(full), "params": variants[0]}
        saved[named.name] = [[{k.value: str(t) for k, t in b.items()} for b in r] for _, r in sorted(resolved.items())]
    if bindings_out is not None:
        bindings_out.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _param_value(n3: str) -> str:
    """A saved binding (N-Triples term) as a `--param` value: an IRI as <…>, a literal as its text."""
    from rdflib.util import from_n3
    term = from_n3(n3)
    return f"<{term}>" if n3.startswith("<") else str(term)


def _saved_variants(saved: dict, store, name: str) -> list[dict[str, str]]:
    """The bindings bench/run.py saved for `name` (entities as IRIs), else ones taken from the store."""
    combos = saved.get(name)
    if combos:
        return [{k: _param_value(v) for k, v in combo[0].items()} for combo in combos if combo]
    return param_sets(store, by_iri=True).get(name) or [{}]


def step_saved_queries(store_dir: Path, bindings: Path, repeat: int, unbound: bool, queries: Path | None,
                       timeout: float, only: str | None = None) -> dict:
    """Each shipped query as `kg query --name` runs it (page size as shipped, rows materialized) with
    the saved bindings, or with no parameter at all (`unbound`: the queries that need one are
    skipped). `queries` runs the .rq files of another folder instead (e.g. an older version).
    A query stops repeating once it has used `timeout` seconds (after one run at least)."""
    from kg import query as q
    from kg.store import Store

    store = Store(store_dir, read_only=True)
    saved = json.loads(bindings.read_text(encoding="utf-8")) if bindings.is_file() else {}
    named_queries = q.list_queries() if queries is None else [
        q.parse_named(f.stem, f.read_text(encoding="utf-8"), str(f)) for f in sorted(queries.glob("*.rq"))]
    out: dict[str, dict] = {}
    for named in named_queries:
        if only is not None and named.name != only:
            continue
        if unbound and any(p.required for p in named.params):
            continue
        variants = [{}] if unbound else _saved_variants(saved, store, named.name)
        times, rows = [], []
        started = time.perf_counter()
        for i in range(repeat):
            if i and time.perf_counter() - started > timeout:
                break
            t0 = time.perf_counter()
            table = _run_named(q, store, named, variants[i % len(variants)])
            times.append((time.perf_counter() - t0) * 1000)
            rows.append(len(table.rows))
        out[named.name] = {"p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "runs": len(times),
                           "rows_median": statistics.median(rows), "params": variants[0]}
        print(named.name, json.dumps(out[named.name], ensure_ascii=False), file=sys.stderr, flush=True)
    return out


def _run_named(q, store, named, params: dict[str, str]):
    """`run_query(name=…)` for a NamedQuery that may not be the shipped one."""
    limit = q.page_limit(named, params) if hasattr(q, "page_limit") else None
    text = named.paged(limit) if hasattr(named, "paged") else named.text
    tables = [q.select_table(q.run(store, text, b or None)) for b in q.bindings(store, named, params)]
    table = q.Table(tables[0].columns, [r for t in tables for r in t.rows])
    page = limit if limit is not None else getattr(named, "page", None)
    return q._cut(table, page) if hasattr(q, "_cut") else table


def step_names(store_dir: Path) -> dict:
    """What finding an entity by name costs: kg's resolve_entity (a case-folding scan of every
    label) against exact-label index lookups (the proposed first step)."""
    from pyoxigraph import Literal, NamedNode
    from kg import query as q
    from kg.store import Store
    from kg.vocab import KG
    store = Store(store_dir, read_only=True)
    node = _objects(store.raw, NamedNode(str(KG.participant)), 1, lambda x: _gaz_cls(x) == "Person")[0]
    name = _name(store.raw, node, "en")
    t0 = time.perf_counter()
    found = q.resolve_entity(store, name)
    scan = time.perf_counter() - t0
    preds = [NamedNode("http://www.w3.org/2004/02/skos/core#" + p) for p in ("prefLabel", "altLabel")]
    preds.append(NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))
    t0 = time.perf_counter()
    exact = {x.subject.value for lit in (Literal(name, language="en"), Literal(name, language="ar"), Literal(name))
             for p in preds for x in store.raw.quads_for_pattern(None, p, lit, None)}
    lookup = time.perf_counter() - t0
    return {"name": name, "resolve_entity_ms": scan * 1000, "exact_lookup_ms": lookup * 1000,
            "same": {n.value for n in found} == exact}


def step_index(store_dir: Path) -> dict:
    """Add to a store built before the page index and the label copy what the first `kg build`
    with this version adds (kg.fusion: every event refreshed and indexed, every label copied once),
    without reading any article; for measuring the queries on an existing store."""
    from pyoxigraph import NamedNode
    from kg import fusion
    from kg.store import Store
    from kg.vocab import KG
    store = Store(store_dir)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    events = {q.subject.value for q in store.raw.quads_for_pattern(None, NamedNode(str(KG.corroboration)), None,
                                                                    fusion.FUSION_GRAPH)}
    out["events"] = fusion.refresh(store, events)
    out["refresh_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    out["labels"] = fusion.copy_all_labels(store) if fusion.labels_missing(store) else 0
    out["labels_seconds"] = time.perf_counter() - t0
    store.flush()
    return out


# --- loading the same quads: Oxigraph vs rdflib --------------------------------------------

def step_oxigraph_load(nquads: Path, disk: Path | None) -> dict:
    import pyoxigraph
    out = {}
    t0 = time.perf_counter()
    mem = pyoxigraph.Store()
    mem.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    out["memory_seconds"] = time.perf_counter() - t0
    out["quads"] = len(mem)
    del mem
    if disk is not None:
        t0 = time.perf_counter()
        st = pyoxigraph.Store(str(disk))
        st.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        st.flush()
        out["disk_seconds"] = time.perf_counter() - t0
    return out


def _rdflib_dataset(nquads: Path):
    from rdflib import Dataset
    ds = Dataset(default_union=True)  # like Oxigraph's use_default_graph_as_union
    ds.parse(str(nquads), format="nquads")
    return ds


def step_rdflib_load(nquads: Path) -> dict:
    t0 = time.perf_counter()
    ds = _rdflib_dataset(nquads)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "quads": sum(1 for _ in ds.quads((None, None, None, None)))}


class _Timeout(Exception):
    pass


def step_rdflib_queries(nquads: Path, bindings: Path, repeat: int, timeout: int) -> dict:
    """The bound shipped queries on rdflib's SPARQL engine, over the same quads."""
    from rdflib import Variable
    from rdflib.util import from_n3
    from kg import query as q

    ds = _rdflib_dataset(nquads)
    saved = json.loads(bindings.read_text(encoding="utf-8"))

    def alarm(*_):
        raise _Timeout()

    signal.signal(signal.SIGALRM, alarm)
    out: dict[str, dict] = {}
    for named in q.list_queries():
        combos = saved.get(named.name) or [[{}]]
        times, rows, failed = [], [], None
        for i in range(repeat):
            t0 = time.perf_counter()
            n = 0
            signal.alarm(timeout)
            try:
                for b in combos[i % len(combos)]:
                    init = {Variable(k): from_n3(v) for k, v in b.items()}
                    n += len(list(ds.query(q.PROLOGUE + named.text, initBindings=init)))
            except _Timeout:
                failed = {"timeout_s": timeout}
            except Exception as e:  # rdflib cannot run some of them (e.g. GROUP_CONCAT over unbound values)
                failed = {"error": f"{type(e).__name__}: {e}"[:200]}
            finally:
                signal.alarm(0)
            if failed:
                break
            times.append((time.perf_counter() - t0) * 1000)
            rows.append(n)
        out[named.name] = failed or {"p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
                                     "rows_median": statistics.median(rows)}
    return out


# --- the streaming Turtle export (kg/export/rdf.py), on its own --------------------------

def step_turtle_stream(store_dir: Path, out: Path) -> dict:
    """`write_turtle` (what `kg export --format turtle` runs) without the CLI around it."""
    from kg.export.rdf import write_turtle
    from kg.store import Store
    store = Store(store_dir, read_only=True)
    t0 = time.perf_counter()
    with open(out, "wb") as f:
        write_turtle(store, f)
    return {"seconds": time.perf_counter() - t0, "mb": out.stat().st_size / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("extract")
    p.add_argument("corpus", type=Path)
    p.add_argument("--limit", type=int, default=2000)
    p = sub.add_parser("queries")
    p.add_argument("store", type=Path)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--bindings", type=Path, default=None)
    p.add_argument("--only", default=None, help="just this query")
    p.add_argument("--budget", type=float, default=float("inf"), help="seconds per query before it stops repeating")
    p.add_argument("--by-iri", action="store_true", help="entities as IRIs: no name resolution in the timings")
    p = sub.add_parser("top-bindings")
    p.add_argument("store", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--k", type=int, default=3, help="values per query")
    p = sub.add_parser("saved-queries")
    p.add_argument("store", type=Path)
    p.add_argument("--bindings", type=Path, required=True, help="bindings saved by bench/run.py")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--unbound", action="store_true", help="no parameters (queries that need one are skipped)")
    p.add_argument("--queries", type=Path, default=None, help="run the .rq files of this folder instead")
    p.add_argument("--timeout", type=float, default=120, help="seconds per query before it stops repeating")
    p.add_argument("--only", default=None, help="just this query (bench/run.py runs each in a process of its own)")
    p = sub.add_parser("names")
    p.add_argument("store", type=Path)
    p = sub.add_parser("index")
    p.add_argument("store", type=Path)
    p = sub.add_parser("oxigraph-load")
    p.add_argument("nquads", type=Path)
    p.add_argument("--disk", type=Path, default=None)
    p = sub.add_parser("rdflib-load")
    p.add_argument("nquads", type=Path)
    p = sub.add_parser("rdflib-queries")
    p.add_argument("nquads", type=Path)
    p.add_argument("--bindings", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--timeout", type=int, default=120)
    p = sub.add_parser("turtle-stream")
    p.add_argument("store", type=Path)
    p.add_argument("out", type=Path)
    a = ap.parse_args()
    if a.step == "extract":
        res = step_extract(a.corpus, a.limit)
    elif a.step == "queries":
        res = step_queries(a.store, a.repeat, a.bindings, a.only, a.budget, a.by_iri)
    elif a.step == "top-bindings":
        res = step_top_bindings(a.store, a.out, a.k)
    elif a.step == "saved-queries":
        res = step_saved_queries(a.store, a.bindings, a.repeat, a.unbound, a.queries, a.timeout, a.only)
    elif a.step == "names":
        res = step_names(a.store)
    elif a.step == "index":
        res = step_index(a.store)
    elif a.step == "oxigraph-load":
        res = step_oxigraph_load(a.nquads, a.disk)
    elif a.step == "rdflib-load":
        res = step_rdflib_load(a.nquads)
    elif a.step == "turtle-stream":
        res = step_turtle_stream(a.store, a.out)
    else:
        res = step_rdflib_queries(a.nquads, a.bindings, a.repeat, a.timeout)
    print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
