"""RDF serializations, streamed by pyoxigraph from the store."""
from __future__ import annotations

from typing import IO, Iterator

import pyoxigraph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from ..store import Store
from ..vocab import ID_BASE, NS

PREFIXES = {
    "kg": NS, "kgid": ID_BASE, "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
    "prov": str(PROV), "dcterms": str(DCTERMS), "schema": str(SDO),
    "ent": ID_BASE + "entity/", "ev": ID_BASE + "event/", "claim": ID_BASE + "claim/",
    "art": ID_BASE + "article/", "src": ID_BASE + "source/", "men": ID_BASE + "mention/",
}


def write_trig(store: Store, out: IO[bytes]) -> None:
    """Every named graph (one per article, plus the gazetteer graph)."""
    store.raw.dump(out, pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES)


def write_nquads(store: Store, out: IO[bytes]) -> None:
    store.raw.dump(out, pyoxigraph.RdfFormat.N_QUADS)


def merged_triples(store: Store) -> Iterator[pyoxigraph.Triple]:
    """The union of all graphs as one graph, each triple once, holding no triple in memory.

    Entity types and labels repeat in every article graph that names the entity, so the
    union holds most triples several times. A CONSTRUCT would drop the repeats by keeping a
    set of every triple written (memory proportional to the graph). Instead each predicate
    is read from Oxigraph's predicate–object–subject–graph index, where the copies of one
    triple in different named graphs come one after the other: dropping a repeat of the
    previous triple is then enough. (A triple in the default graph and in a named graph
    would be written twice, the default graph being indexed apart; kg writes named graphs
    only, so this does not happen in its stores.)
    """
    raw = store.raw
    for predicate in _predicates(raw):
        previous = None
        for quad in raw.quads_for_pattern(None, predicate, None, None):
            key = (quad.subject, quad.object)
            if key != previous:
                previous = key
                yield quad.triple


def _predicates(raw: pyoxigraph.Store) -> list[pyoxigraph.NamedNode]:
    """Every predicate in use (a few dozen), in a stable order so that the file is reproducible."""
    rows = raw.query("SELECT DISTINCT ?p WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    return sorted((r["p"] for r in rows), key=lambda p: p.value)


def write_turtle(store: Store, out: IO[bytes]) -> None:
    """The merged knowledge graph: the union of all graphs as one graph, streamed.

    Triples come grouped by predicate rather than by subject (the price of streaming:
    the file is about a quarter bigger than a subject-grouped one).
    """
    pyoxigraph.serialize(merged_triples(store), out, pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_jsonld(store: Store, out: IO[bytes]) -> None:
    """JSON-LD of the dataset, named graphs kept."""
    store.raw.dump(out, pyoxigraph.RdfFormat.JSON_LD)
