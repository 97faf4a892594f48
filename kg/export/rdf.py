"""RDF serializations, streamed by pyoxigraph from the store."""
from __future__ import annotations

from typing import IO

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


def _merged_triples(store: Store):
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def write_turtle(store: Store, out: IO[bytes]) -> None:
    """The merged knowledge graph: the union of all graphs as one graph."""
    pyoxigraph.serialize(_merged_triples(store), out, pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_jsonld(store: Store, out: IO[bytes]) -> None:
    """JSON-LD of the dataset, named graphs kept."""
    store.raw.dump(out, pyoxigraph.RdfFormat.JSON_LD)
