"""The derived fusion graph: corroboration counts and contradictions per event.

Articles' own graphs say what each source claims; this graph says what follows from
all of them together, so it is recomputed (only for the events a batch touched) rather
than asserted by any article:
- `kg:corroboration`: distinct articles with a claim on the event;
- `kg:outletCount`: independent origins among them — an article that credits an agency
  (`told Reuters`, `نقلت وكالة …`) counts as that agency, otherwise as its outlet, so
  syndicated copies of one wire story count once;
- `kg:Contradiction`: claims that disagree on the event's date (different days), its
  location or its agent (no common value, places compared with their country);
- the page index (`kg.page_index`): each event in its buckets by outlet and month and by
  class and number of articles, which the shipped queries read to choose their first page;
- each label once (`rdfs:label`): an entity named in thousands of articles has its names
  repeated in each of their graphs; the copy here lets `entities` search part of a name
  among a few thousand labels instead of millions (#8). It is written with each article
  (`label_copies`, once per build: `kg.build.Writer`), and a label no article states any more
  goes (`forget_labels`).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Collection, Iterable

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import PROV, RDF, RDFS, XSD

from . import iri, page_index
from .store import APPEND_BATCH, Store
from .vocab import KG

FUSION_GRAPH = iri.mint("graph", "fusion")
_CHUNK = 400


def _n(term) -> NamedNode:
    return NamedNode(str(term))


def refresh(store: Store, events: Iterable[str], new: Collection[str] = (),
            mentioned: Iterable[str] = ()) -> int:
    """Recompute the fusion data of `events` (IRIs); returns how many were refreshed. A store
    whose fusion data predates the page index gets all its events indexed once.

    `new`: events first reported by the build's new articles; they have no fusion data yet, so
    none is read (two look-ups an event, 40 µs each on a store of 100k articles).
    `mentioned`: entities whose mentions the build changed (their numbers of articles)."""
    todo = sorted(set(events) | page_index.missing(store, FUSION_GRAPH))
    touched: dict[NamedNode, page_index.Key | None] = {}
    pairs: dict[NamedNode, tuple[str, str] | None] = {}  # the party pairs whose meetings changed
    entities: set[NamedNode] = {NamedNode(e) for e in mentioned}  # whose events or mentions changed
    fresh: list[Quad] = []  # the data of events that had none (a build's new events), written together
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i:i + _CHUNK]
        known = [e for e in chunk if e not in new]  # events that may have fusion data already
        old = _stored(store, known)
        left_buckets, left_pairs, left_entities = page_index.memberships(old)  # what they leave
        for b in left_buckets:
            touched.setdefault(b, None)
        for p in left_pairs:
            pairs.setdefault(p, None)
        entities |= left_entities
        quads, keys, joined, involved = _fusion_quads(store, chunk)
        touched.update({page_index.bucket(k): k for k in keys})
        pairs.update(joined)
        entities |= involved
        if old:  # only what differs is written: most events of a rerun keep their numbers
            store.replace(old, quads)
        else:
            fresh += quads
        if len(fresh) >= APPEND_BATCH:
            store.append(fresh)
            fresh = []
    store.append(fresh)
    # After every event moved: the pairs' and entities' counts are read from their memberships.
    left_or_joined = page_index.pair_data(store, pairs, FUSION_GRAPH)
    left_or_joined.update(page_index.entity_data(store, sorted(entities, key=lambda n: n.value), FUSION_GRAPH))
    for b, k in left_or_joined.items():
        if k is not None or b not in touched:
            touched[b] = k
    page_index.resize(store, touched, FUSION_GRAPH)  # after every event moved: sizes count them all
    return len(todo)


def _stored(store: Store, events: list[str]) -> set[Quad]:
    """The fusion data `events` have now: their own quads and their contradictions'."""
    raw, g = store.raw, FUSION_GRAPH
    out: set[Quad] = set()
    for e in events:
        node = NamedNode(e)
        out.update(raw.quads_for_pattern(node, None, None, g))
        for q in raw.quads_for_pattern(None, _ABOUT, node, g):
            out.update(raw.quads_for_pattern(q.subject, None, None, g))
    return out


_LABEL, _ABOUT, _TYPE, _EVENT = map(_n, (RDFS.label, KG.about, RDF.type, KG.Event))
_CORROBORATION, _OUTLET_COUNT = _n(KG.corroboration), _n(KG.outletCount)
_MEETING, _PARTICIPANT, _CHAIR = _n(KG.Meeting), _n(KG.participant), _n(KG.chair)
_ROLES = (_PARTICIPANT, _CHAIR, _n(KG.target), _n(KG.instrument))  # and agent, location: _COMPARED
_COMPARED = [(str(p), _n(p)) for p in (KG.date, KG.location, KG.agent)]  # what claims may contradict


def label_pairs(quads: Iterable[Quad]) -> set[tuple[NamedNode, object]]:
    """The (node, label) pairs among quads (an article's about to be written)."""
    return {(q.subject, q.object) for q in quads if q.predicate == _LABEL}


def stated_labels(store: Store, graph: NamedNode) -> set[tuple[NamedNode, object]]:
    """The (node, label) pairs a stored graph states."""
    return label_pairs(store.raw.quads_for_pattern(None, _LABEL, None, graph))


def label_copies(pairs: Iterable[tuple[NamedNode, object]]) -> list[Quad]:
    """(node, label) pairs as the fusion graph keeps them (a label it holds already is not
    stored twice)."""
    return [Quad(node, _LABEL, label, FUSION_GRAPH) for node, label in pairs]


def forget_labels(store: Store, labels: Iterable[tuple[NamedNode, object]]) -> int:
    """Drop the fusion graph's copy of each (node, label) that no other graph states any more
    (an article re-ingested without a name it used); returns how many went."""
    raw = store.raw
    gone = [Quad(node, _LABEL, label, FUSION_GRAPH) for node, label in set(labels)
            if not any(q.graph_name != FUSION_GRAPH for q in raw.quads_for_pattern(node, _LABEL, label, None))]
    gone = [q for q in gone if q in raw]
    if gone:
        store.change(gone, [])
    return len(gone)


def labels_missing(store: Store) -> bool:
    """Whether the store has labels but the fusion graph no copy of them: it was built before
    the copies were kept (ask before a build writes its articles)."""
    raw = store.raw
    return (next(iter(raw.quads_for_pattern(None, _LABEL, None, FUSION_GRAPH)), None) is None
            and next(iter(raw.quads_for_pattern(None, _LABEL, None, None)), None) is not None)


def copy_all_labels(store: Store) -> int:
    """Every label, once, into the fusion graph: one pass over all the labels (the first build
    with this version on an older store); returns how many were written."""
    copies = label_copies(label_pairs(store.raw.quads_for_pattern(None, _LABEL, None, None)))
    for i in range(0, len(copies), 10_000):
        store.add(copies[i:i + 10_000])
    return len(copies)


def _values(nodes: list[str]) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _claims(store: Store, events: list[str]) -> dict[str, dict[str, dict]]:
    """event -> claim -> {article, origin, graph}."""
    q = (f"SELECT ?e ?c ?a ?g ?outlet ?rep WHERE {{ VALUES ?e {{ {_values(events)} }} "
         f"GRAPH ?g {{ ?c <{KG.asserts}> ?e ; <{PROV.wasDerivedFrom}> ?a . "
         f"OPTIONAL {{ ?a <{KG.outlet}> ?outlet }} OPTIONAL {{ ?c <{KG.reportedBy}> ?rep }} }} }}")
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in store.query(q):
        c = out[r["e"].value].setdefault(r["c"].value, {"article": r["a"].value, "graph": r["g"].value,
                                                        "reps": set(), "outlet": None})
        if r["rep"] is not None:
            c["reps"].add(r["rep"].value)
        if r["outlet"] is not None:
            c["outlet"] = r["outlet"].value
    return out


def _origin(claim: dict) -> str:
    if claim["reps"]:
        return min(claim["reps"])
    return claim["outlet"] or claim["article"]


def _values_by_claim(store: Store, events: list[str]) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(event, graph) -> property -> values that article gives.

    Direct index lookups, one per event and property: the SPARQL form (`VALUES ?e … GRAPH ?g
    { ?e ?p ?v }`) made Oxigraph walk every date, location and agent quad of the store for
    each chunk (2.4 s a chunk at 10k articles, so the refresh grew with the square of N; #8)."""
    out: dict[tuple[str, str], dict[str, set[str]]] = {}
    raw = store.raw
    for e in events:
        node = NamedNode(e)
        for name, p in _COMPARED:
            for q in raw.quads_for_pattern(node, p, None, None):
                given = out.get((e, q.graph_name.value))
                if given is None:
                    given = out[(e, q.graph_name.value)] = {}
                given.setdefault(name, set()).add(q.object.value)
    return out


def _countries(store: Store, places: set[str]) -> dict[str, set[str]]:
    if not places:
        return {}
    q = (f"SELECT ?x ?c WHERE {{ VALUES ?x {{ {_values(sorted(places))} }} "
         f"{{ ?x <{KG.country}> ?c }} UNION {{ ?x <{KG.capitalOf}> ?c }} }}")
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.query(q):
        out[r["x"].value].add(r["c"].value)
    return out


def _fusion_quads(store: Store, events: list[str]) -> tuple[
        list[Quad], set[page_index.Key], dict[NamedNode, tuple[str, str]], set[NamedNode]]:
    """The fusion quads of `events`, the page-index buckets they are in, the party pairs of the
    meetings among them (pair -> its two parties) and the entities they involve."""
    g = FUSION_GRAPH
    claims = _claims(store, events)
    values = _values_by_claim(store, events)
    places = {v for d in values.values() for v in d.get(str(KG.location), set())}
    countries = _countries(store, places)
    dates: dict[str, dict[str, set[str]]] = defaultdict(dict)  # event -> graph -> the dates it gives
    read: dict[str, set[str]] = defaultdict(set)  # event -> its agents and locations, read already
    for (ev, graph), v in values.items():
        dates[ev][graph] = v.get(str(KG.date), set())
        read[ev] |= v.get(str(KG.agent), set()) | v.get(str(KG.location), set())
    quads: list[Quad] = []
    buckets: set[page_index.Key] = set()
    pairs: dict[NamedNode, tuple[str, str]] = {}
    involved: set[NamedNode] = set()
    for e in events:
        cl = claims.get(e)
        if not cl:
            continue  # no article asserts it any more
        node = NamedNode(e)
        articles = {c["article"] for c in cl.values()}
        origins = {_origin(c) for c in cl.values()}
        quads.append(Quad(node, _CORROBORATION, _int(len(articles)), g))
        quads.append(Quad(node, _OUTLET_COUNT, _int(len(origins)), g))
        classes = _classes(store, node, cl)
        keys = page_index.event_keys(cl, dates[e], classes, len(articles))
        quads.extend(page_index.membership_quads(node, keys, g))
        buckets |= keys
        roles = _roles(store, node)
        entities = set().union(read[e], *roles.values())
        quads.extend(page_index.involves_quads(node, entities, g))
        involved.update(NamedNode(x) for x in entities)
        if _MEETING in classes:
            joined = page_index.party_pairs(roles[_PARTICIPANT] | roles[_CHAIR])
            quads.extend(page_index.pair_quads(node, joined, g))
            pairs.update(joined)
        for prop in (KG.date, KG.location, KG.agent):
            given = {c: values.get((e, info["graph"]), {}).get(str(prop), set()) for c, info in cl.items()}
            conflict = _conflicting(prop, given, countries)
            if conflict:
                quads.extend(_contradiction(node, prop, conflict, g))
    return quads, buckets, pairs, involved


def _classes(store: Store, event: NamedNode, claims: dict[str, dict]) -> set[NamedNode]:
    """The event's classes (Attack, Meeting …) as one article that reports it states them."""
    graph = NamedNode(min(c["graph"] for c in claims.values()))
    return {q.object for q in store.raw.quads_for_pattern(event, _TYPE, None, graph) if q.object != _EVENT}


def _roles(store: Store, event: NamedNode) -> dict[NamedNode, set[str]]:
    """The entities in each role of the event but agent and location (read with the values
    claims may contradict), as every article that reports it names them."""
    raw = store.raw
    return {p: {q.object.value for q in raw.quads_for_pattern(event, p, None, None) if isinstance(q.object, NamedNode)}
            for p in _ROLES}


def _conflicting(prop, given: dict[str, set[str]], countries: dict[str, set[str]]) -> list[str]:
    """Claims that take part in a disagreement on `prop` (empty when they agree)."""
    stated = {c: v for c, v in given.items() if v}
    if len(stated) < 2:
        return []
    if prop == KG.date:
        days = {c: {d for d in v if len(d) == 10} for c, v in stated.items()}
        days = {c: v for c, v in days.items() if v}
        distinct = {d for v in days.values() for d in v}
        return sorted(days) if len(distinct) > 1 and len(days) > 1 else []
    if prop == KG.location:
        stated = {c: v | {k for x in v for k in countries.get(x, set())} for c, v in stated.items()}
    out: set[str] = set()
    items = sorted(stated.items())
    for i, (c1, v1) in enumerate(items):
        for c2, v2 in items[i + 1:]:
            if not v1 & v2:
                out.update((c1, c2))
    return sorted(out)


def _contradiction(event: NamedNode, prop, claims: list[str], g: NamedNode) -> list[Quad]:
    node = iri.mint("contradiction", iri.digest(event.value, str(prop)))
    quads = [Quad(node, _n(RDF.type), _n(KG.Contradiction), g),
             Quad(node, _n(KG.about), event, g),
             Quad(node, _n(KG.property), _n(prop), g)]
    quads.extend(Quad(node, _n(KG.conflictingClaim), NamedNode(c), g) for c in claims)
    return quads


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=_n(XSD.integer))
