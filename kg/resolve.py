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
        for cand, facts in _candidates(store, ev, mine, own_graph).items():
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


_MAX_CANDIDATES = 500  # events sharing a site; more are not looked at (the rest differ in date)


def _candidates(store: Store, ev: Event, mine: rules.Facts, own_graph: NamedNode) -> dict[str, rules.Facts]:
    """Events of the same type in other articles that share a lookup key with `ev`
    (`rules.lookup_keys`) and whose date can match, with what each other article says of them.

    Three plain lookups (who shares a key; their dates and publication; their roles), with the
    date test done here: Oxigraph evaluates OPTIONAL-with-FILTER patterns far slower than
    index lookups, and the date test prunes most candidates before their roles are read.
    """
    ents = rules.lookup_keys(ev)
    if not ents:
        return {}
    # The roles are named: with ?role open, Oxigraph walks every quad whose object is the entity
    # (each article's kg:mentions and each mention's kg:refersTo), 3x slower at 27k articles and
    # growing with the store; events link to entities by these six properties only (kg.ttl).
    q = (f"SELECT DISTINCT ?e ?g ?type WHERE {{ VALUES ?x {{ {_values(ents)} }} VALUES ?role {{ {_ROLE_IRIS} }} "
         f"GRAPH ?g {{ ?e ?role ?x . ?e a ?type }} }} LIMIT {_MAX_CANDIDATES}")
    graphs: dict[str, set[str]] = defaultdict(set)
    for r in store.query(q, substitutions={"type": NamedNode(str(getattr(KG, ev.type)))}):
        if r["g"] != own_graph:
            graphs[r["e"].value].add(r["g"].value)
    if not graphs:
        return {}
    facts = _dated(store, graphs)
    facts = {e: f for e, f in facts.items() if rules.may_match(mine, f)}
    if facts:
        _add_roles(store, facts, graphs)
    return facts


_ROLE_IRIS = " ".join(f"<{getattr(KG, r)}>" for r in rules.ROLES)


def _values(iris) -> str:
    return " ".join(f"<{x}>" for x in iris)


def _dated(store: Store, graphs: dict[str, set[str]]) -> dict[str, rules.Facts]:
    """Dates and publication dates the other articles give for each candidate event: direct
    index lookups, one per candidate and one per graph (a third faster than the two VALUES
    queries they replace, and joining them in one pattern made Oxigraph scan every article's
    publication)."""
    raw, date_p, published_p = store.raw, NamedNode(str(KG.date)), NamedNode(str(KG.published))
    facts = {e: rules.Facts() for e in graphs}
    for e, gs in graphs.items():
        for q in raw.quads_for_pattern(NamedNode(e), date_p, None, None):
            if q.graph_name.value in gs:  # not what this article said before re-ingest
                facts[e].dates.add(q.object.value)
    published: dict[str, str] = {}
    for g in {g for gs in graphs.values() for g in gs}:
        for q in raw.quads_for_pattern(None, published_p, None, NamedNode(g)):
            published[g] = q.object.value
    for e, gs in graphs.items():
        facts[e].published.update(published[g] for g in gs if g in published)
    return facts


def _add_roles(store: Store, facts: dict[str, rules.Facts], graphs: dict[str, set[str]]) -> None:
    q = f"SELECT ?e ?g ?role ?x WHERE {{ VALUES ?e {{ {_values(facts)} }} GRAPH ?g {{ ?e ?role ?x }} }}"
    for r in store.query(q):
        e, role = r["e"].value, r["role"].value.rsplit("#", 1)[-1]
        if role in rules.ROLES and r["g"].value in graphs[e]:
            facts[e].add_argument(role, _key_of(r["x"].value))


def _key_of(entity_iri: str) -> str:
    """Entity IRIs are compared as IRIs; the tail is kept as a readable merge key."""
    return entity_iri
