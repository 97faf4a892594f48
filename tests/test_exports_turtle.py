"""`kg export --format turtle`: the merged graph, streamed (each triple once, memory not growing with the store)."""
from __future__ import annotations

import io

import pyoxigraph

from conftest import run_kg
from kg.export.rdf import merged_triples, write_turtle
from kg.store import Store


def _union(raw: pyoxigraph.Store) -> set:
    return set(raw.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True))


def test_exports_turtle_is_the_union_of_the_graphs_each_triple_once(built):
    store = Store(built / "store", read_only=True)
    union = _union(store.raw)
    assert len(store.raw) > len(union), "the sample repeats triples across graphs (types, labels)"
    buf = io.BytesIO()
    write_turtle(store, buf)
    parsed = [q.triple for q in pyoxigraph.parse(buf.getvalue(), format=pyoxigraph.RdfFormat.TURTLE)]
    assert len(parsed) == len(set(parsed)), "no triple is written twice"
    assert set(parsed) == union


def test_exports_turtle_streams_from_an_iterator(built):
    store = Store(built / "store", read_only=True)
    triples = merged_triples(store)
    assert iter(triples) is triples, "a generator, not a list of the whole graph"
    assert isinstance(next(triples), pyoxigraph.Triple)


def test_exports_turtle_cli_writes_a_file_that_parses(built, tmp_path):
    out = tmp_path / "g.ttl"
    run_kg("export", "--format", "turtle", "-o", str(out), "--output", str(built))
    store = Store(built / "store", read_only=True)
    parsed = {q.triple for q in pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)}
    assert parsed == _union(store.raw)
