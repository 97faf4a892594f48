"""Resolution: one node per real-world entity and event across articles and languages.

Runs between extraction and the graph, with read access to what the store already holds:
1. Names not in the gazetteer (people found by their titles) take the key of a person
   already in the store whose name has the same consonant skeleton in either script
   (`kg.text.translit`) — only when exactly one such person exists, so homonyms stay apart.
2. Each event of the article joins an event another article already reported when the type
   is the same, the dates are compatible and key arguments overlap (`kg.fusion_rules`); the
   keys that matched are kept, so the graph can say why two reports became one event.
Nothing is written here: the result feeds `kg.graph`, and the store is written in one
transaction per article.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from pyoxigraph import Literal, NamedNode
from rdflib.namespace import PROV

from . import fusion_rules as rules
from . import iri
from .models import Argument, Document, Event, Mention, SourceRef
from .store import Store
from .text.translit import skeleton
from .vocab import KG


@dataclass(frozen=True)
class EventLink:
    """Where an extracted event lands: an event IRI, and the keys it was merged on (if any)."""
    node: NamedNode
    merged_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    doc: Document  # the document with resolved entity keys
    events: tuple[EventLink, ...]  # one per doc.events, in order


def resolve(doc: Document, store: Store | None) -> Resolution:
    """Resolve one document against the store (None: no other articles to resolve against)."""
    if store is not None:
        doc = _resolve_people(doc, store)
    own = [iri.mint("event", event_key(doc, i, ev)) for i, ev in enumerate(doc.events)]
    if store is None or not doc.events:
        return Resolution(doc, tuple(EventLink(n) for n in own))
    return Resolution(doc, tuple(_link_events(doc, own, store)))


def event_key(doc: Document, index: int, ev: Event) -> str:
    """The key of an event first reported by this article."""
    return iri.digest(doc.article.id, index, ev.type, ev.trigger.start)


def match_key(m: Mention) -> str | None:
    """The cross-script key of a person found by cue, or None when too short to be safe."""
    if m.type != "Person" or m.gazetteer:
        return None
    key = skeleton(m.text)
    return key if len(key.split()) >= 2 and len(key.replace(" ", "")) >= 5 else None


# --- entities ---------------------------------------------------------------------------

def _resolve_people(doc: Document, store: Store) -> Document:
    own_graph = iri.article_graph(doc.article.id)
    keys: dict[str, str] = {}
    for m in doc.mentions:
        mk = match_key(m)
        if mk is None or m.key in keys:
            continue
        found = {r["k"].value for r in store.query(
            "SELECT DISTINCT ?k ?mk ?ck ?s ?own WHERE { GRAPH ?g { ?e ?mk ?s ; ?ck ?k } FILTER(?g != ?own) }",
            substitutions={"mk": NamedNode(str(KG.matchKey)), "ck": NamedNode(str(KG.canonicalKey)),
                           "s": Literal(mk), "own": own_graph})}
        if len(found) == 1:
            keys[m.key] = found.pop()
    return rekey(doc, keys) if keys else doc


def rekey(doc: Document, keys: dict[str, str]) -> Document:
    """The document with mention keys replaced (`keys`: old -> new), events included."""
    def m2(m: Mention) -> Mention:
        return replace(m, key=keys[m.key]) if m.key in keys else m

    def s2(s: SourceRef) -> SourceRef:
        return replace(s, mention=m2(s.mention)) if s.mention is not None else s

    events = tuple(replace(ev, arguments=tuple(Argument(a.role, m2(a.mention)) for a in ev.arguments),
                           reported_by=tuple(m2(m) for m in ev.reported_by),
                           according_to=tuple(s2(s) for s in ev.according_to)) for ev in doc.events)
    return replace(doc, mentions=tuple(m2(m) for m in doc.mentions), events=events)


# --- events -----------------------------------------------------------------------------

def _link_events(doc: Document, own: list[NamedNode], store: Store) -> list[EventLink]:
    own_graph = iri.article_graph(doc.article.id)
    taken: set[str] = set()  # an event elsewhere absorbs at most one event of this article
    out: list[EventLink] = []
    for ev, node in zip(doc.events, own):
        mine = rules.Facts.of_event(ev, doc.article.published.isoformat() if doc.article.published else None)
        best: tuple[tuple, str, tuple[str, ...]] | None = None
        for cand, facts in _candidates(store, ev, own_graph).items():
            if cand in taken:
                continue
            keys = rules.merge_keys(ev.type, mine, facts)
            if keys is not None and (best is None or rules.strength(keys) > best[0]):
                best = (rules.strength(keys), cand, keys)
        if best is None:
            out.append(EventLink(node))
        else:
            taken.add(best[1])
            out.append(EventLink(NamedNode(best[1]), best[2]))
    return out


def _candidates(store: Store, ev: Event, own_graph: NamedNode) -> dict[str, rules.Facts]:
    """Events of the same type in other articles that share an argument with `ev`."""
    ents = sorted({iri.entity(a.mention.key).value for a in ev.arguments if a.role in rules.KEY_ROLES})
    if not ents:
        return {}
    values = " ".join(f"<{e}>" for e in ents)
    facts: dict[str, rules.Facts] = defaultdict(rules.Facts)
    q = (f"SELECT ?e ?role ?x ?type ?own WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?e a ?type ; ?role ?x }} "
         f"FILTER(?g != ?own) }}")
    found = store.query(q, substitutions={"type": NamedNode(str(getattr(KG, ev.type))), "own": own_graph})
    for r in found:
        role = r["role"].value.rsplit("#", 1)[-1]
        if role in rules.ROLES:
            facts[r["e"].value].add_argument(role, _key_of(r["x"].value))
    if not facts:
        return {}
    values = " ".join(f"<{e}>" for e in facts)
    q = (f"SELECT ?e ?d ?p ?role ?x ?dp ?pp ?as ?own WHERE {{ VALUES ?e {{ {values} }} GRAPH ?g {{ {{ ?e ?dp ?d }} "
         f"UNION {{ ?e ?role ?x }} UNION {{ ?c ?as ?e ; <{PROV.wasDerivedFrom}> ?a . ?a ?pp ?p }} }} "
         f"FILTER(?g != ?own) }}")
    subs = {"dp": NamedNode(str(KG.date)), "pp": NamedNode(str(KG.published)), "as": NamedNode(str(KG.asserts)),
            "own": own_graph}
    for r in store.query(q, substitutions=subs):
        if r["p"] is not None:
            facts[r["e"].value].published.add(r["p"].value)
        elif r["d"] is not None:
            facts[r["e"].value].dates.add(r["d"].value)
        elif r["role"] is not None:
            role = r["role"].value.rsplit("#", 1)[-1]
            if role in rules.ROLES:
                facts[r["e"].value].add_argument(role, _key_of(r["x"].value))
    return dict(facts)


def _key_of(entity_iri: str) -> str:
    """Entity IRIs are compared as IRIs; the tail is kept as a readable merge key."""
    return entity_iri
