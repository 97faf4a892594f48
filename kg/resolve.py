"""Resolution: one node per real-world entity and event across articles and languages.

Runs between extraction and the graph, with read access to what the store already holds:
1. Names not in the gazetteer (people found by their titles) take the key of a person
   already in the store whose name has the same consonant skeleton in either script
   (`kg.text.translit`) — only when exactly one such person exists, so homonyms stay apart.
2. Each event of the article joins an event another article already reported when the type
   is the same, the dates are compatible and key arguments overlap (`kg.fusion_rules`); the
   keys that matched are kept, so the graph can say why two reports became one event.
Nothing is written here: the result feeds `kg.graph`, and the store is written in one
transaction per article. Candidates are found in `kg.resolve_index` (by type, key entity and
day, so the work per article does not grow with the store) and read from the store.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from pyoxigraph import NamedNode

from . import fusion_rules as rules
from . import iri
from .models import Argument, Document, Event, Mention, SourceRef
from .resolve_index import EventIndex, People
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


def resolve(doc: Document, store: Store | None, index: EventIndex | None = None) -> Resolution:
    """Resolve one document against the store (None: no other articles to resolve against).

    `index`: the store's events by type, key and day (`kg.resolve_index`), kept by the caller
    across a build (`remember` after each write); without it, it is read from the store."""
    if store is not None and index is None:
        index = EventIndex.load(store)
    if store is not None:
        doc = _resolve_people(doc, store, index.people)
    own = [iri.mint("event", event_key(doc, i, ev)) for i, ev in enumerate(doc.events)]
    if store is None or not doc.events:
        return Resolution(doc, tuple(EventLink(n) for n in own))
    return Resolution(doc, tuple(_link_events(doc, own, store, index)))


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

def _resolve_people(doc: Document, store: Store, people: People) -> Document:
    own_graph = iri.article_graph(doc.article.id)
    keys: dict[str, str] = {}
    own: list | None = None  # what this article's stored graph says, read once if needed
    for m in doc.mentions:
        mk = match_key(m)
        if mk is None or m.key in keys:
            continue
        if own is None:
            own = People.pairs_in(store, own_graph) if store.has_graph(own_graph) else []
        found = people.keys(mk, own)
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

def remember(index: EventIndex, res: Resolution, new: bool = False) -> None:
    """Add the article's event reports, as they are written, to `index` (once the write is sent).

    `new`: the article had no graph in the store, so an event it reports first (no merge) has no
    other account, and its publication date is known here: both are kept, so that resolving the
    next articles need not read them from a store they have not reached yet (a build's batch)."""
    a = res.doc.article
    published = a.published.isoformat() if a.published else None
    g = iri.article_graph(a.id)
    if new:
        index.published.note(g, published)
    for ev, link in zip(res.doc.events, res.events):
        roles = tuple((x.role, iri.entity(x.mention.key).value) for x in ev.arguments if x.role in rules.ROLES)
        dates = (ev.date.value,) if ev.date else ()
        index.add(ev.type, link.node.value, [x for _, x in roles], dates, published)
        weekdays = (ev.weekday,) if ev.weekday and not ev.date else ()
        report = (g, frozenset((str(KG.Event), str(getattr(KG, ev.type)))), roles, dates, weekdays)
        index.reports.add(link.node.value, report, only=new and not link.merged_on)


def _link_events(doc: Document, own: list[NamedNode], store: Store, index: EventIndex) -> list[EventLink]:
    own_graph = iri.article_graph(doc.article.id)
    taken: set[str] = set()  # an event elsewhere absorbs at most one event of this article
    out: list[EventLink] = []
    for ev, node in zip(doc.events, own):
        mine = rules.Facts.of_event(ev, doc.article.published.isoformat() if doc.article.published else None)
        best: tuple[tuple, str, tuple[str, ...]] | None = None
        fits = 0
        for cand, facts in _candidates(store, index, ev, mine, own_graph).items():
            if cand in taken:
                continue
            keys = rules.merge_keys(ev.type, mine, facts)
            fits += keys is not None
            if keys is not None and (best is None or rules.strength(keys) > best[0]):
                best = (rules.strength(keys), cand, keys)
        if best is not None and rules.by_weekday(best[2]) and fits > 1:
            best = None  # "on Tuesday", no date: which of the stored Tuesdays is not known
        if best is None:
            out.append(EventLink(node))
        else:
            taken.add(best[1])
            out.append(EventLink(NamedNode(best[1]), best[2]))
    return out


def _candidates(store: Store, index: EventIndex, ev: Event, mine: rules.Facts,
                own_graph: NamedNode) -> dict[str, rules.Facts]:
    """Events of the same type in other articles that share a lookup key with `ev`
    (`rules.lookup_keys`) and whose date can match, with what each other article says of them
    (in IRI order, so that equally good candidates are chosen the same way in every build).

    The index names the events worth reading (same type, key and compatible days); what they
    say is read from the store (a few index lookups per candidate) and tested by the rules.
    """
    ents = rules.lookup_keys(ev)
    if not ents:
        return {}
    out: dict[str, rules.Facts] = {}
    type_iri, keys = str(getattr(KG, ev.type)), set(ents)
    for e in index.candidates(ev.type, ents, mine):
        if e in index.pending and not index.reports.holds(e):  # its accounts are on their way to the store
            index.settle()
        # what the other articles that give it as this type, naming one of the keys, say of it
        facts = index.reports.facts(e, store, type_iri, keys, own_graph)
        if facts is not None and rules.may_match(mine, facts):
            out[e] = facts
    return out
