"""GraphML and GEXF of the entity–event network, for Gephi, Cytoscape and networkx.

Nodes are events and the entities that play a role in them; each edge goes from an
event to an entity and carries the role(s). Attributes are flattened to strings and
numbers, which is all GraphML and GEXF hold (language-tagged labels become `label_en`,
`label_ar`). networkx builds the whole graph in memory before writing: unlike the
other exports these two do not stream, which is fine for a network of entities and
events (a few hundred bytes per node) but not for the full claim-level graph.
"""
from __future__ import annotations

from typing import IO

from rdflib.namespace import PROV

from ..store import Store
from ..vocab import KG
from .events_csv import EVENT_TYPES, ROLES
from .names import names_by_language, pick

COARSE = ("Person", "Organization", "GPE", "Location", "Facility", "Weapon")
_P = f"PREFIX kg: <{KG._NS}>\nPREFIX prov: <{PROV}>\n"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def network(store: Store, lang: str = "en"):
    """The entity–event network as a networkx DiGraph (event → entity, attribute `role`)."""
    import networkx as nx

    names = names_by_language(store)
    g = nx.DiGraph()
    _add_events(store, g)
    entity_types: dict[str, str] = {}
    q = "SELECT DISTINCT ?x ?c WHERE { VALUES ?c { %s } ?x a ?c }" % " ".join(f"kg:{c}" for c in COARSE)
    for s in store.query(_P + q):
        entity_types.setdefault(s["x"].value, _local(s["c"].value))
    roles: dict[tuple[str, str], set[str]] = {}
    q = "SELECT DISTINCT ?ev ?role ?x WHERE { VALUES ?role { %s } ?ev ?role ?x }" % " ".join(f"kg:{r}" for r in ROLES)
    for s in store.query(_P + q):
        ev, x = s["ev"].value, s["x"].value
        if ev in g:
            roles.setdefault((ev, x), set()).add(_local(s["role"].value))
    for (ev, x), rs in roles.items():
        if x not in g:
            n = names.get(x, {})
            g.add_node(x, kind="entity", type=entity_types.get(x, "Entity"), label=pick(n, lang) or x,
                       label_en=n.get("en", ""), label_ar=n.get("ar", ""), iri=x)
        g.add_edge(ev, x, role="; ".join(sorted(rs)), weight=len(rs))
    _add_article_counts(store, g)
    return g


def _add_events(store: Store, g) -> None:
    q = """SELECT ?ev ?c (MIN(STR(?d)) AS ?date) (SAMPLE(?p) AS ?precision) (MAX(?n) AS ?corroboration) WHERE {
             VALUES ?c { %s } ?ev a ?c .
             OPTIONAL { ?ev kg:date ?d OPTIONAL { ?ev kg:datePrecision ?p } }
             OPTIONAL { ?ev kg:corroboration ?n } } GROUP BY ?ev ?c""" % " ".join(f"kg:{t}" for t in EVENT_TYPES)
    for s in store.query(_P + q):
        ev, kind = s["ev"].value, _local(s["c"].value)
        date = s["date"].value if s["date"] else ""
        attrs = {"kind": "event", "type": kind, "label": f"{kind} {date}".strip(), "date": date,
                 "precision": s["precision"].value if s["precision"] else "", "iri": ev}
        if s["corroboration"] is not None:
            attrs["corroboration"] = int(s["corroboration"].value)
        g.add_node(ev, **attrs)


def _add_article_counts(store: Store, g) -> None:
    """`articles`: the articles that report an event, or that mention an entity."""
    q = """SELECT ?x (COUNT(DISTINCT ?a) AS ?n) WHERE {
             { ?c kg:asserts ?x ; prov:wasDerivedFrom ?a } UNION { ?a kg:mentions ?x } } GROUP BY ?x"""
    for s in store.query(_P + q):
        x = s["x"].value
        if x in g:
            g.nodes[x]["articles"] = int(s["n"].value)
    for x, data in g.nodes(data=True):
        data.setdefault("articles", 0)
        if data["kind"] == "event":
            data.setdefault("corroboration", data["articles"])  # before fusion: distinct articles


def write_graphml(store: Store, out: IO[bytes]) -> None:
    import networkx as nx

    nx.write_graphml(network(store), out, encoding="utf-8")


def write_gexf(store: Store, out: IO[bytes]) -> None:
    import networkx as nx

    nx.write_gexf(network(store), out, encoding="utf-8")
