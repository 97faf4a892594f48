"""The page index: buckets of events in sort order, so that a shipped query chooses its first
page by reading a few buckets instead of sorting every row of a busy outlet or class (#8).

Kept in the fusion graph and recomputed with the rest of the fusion data for the events a
build touched (`kg.fusion.refresh`), so a new batch updates it and a re-ingested article
moves its events to their new buckets. Each bucket is a `kg:IndexBucket` with the property
it indexes (`kg:bucketProperty`), the key (`kg:bucketKey`), the sort value (`kg:bucketOrder`),
the number of members (`kg:bucketSize`) and the number in the buckets of its key before it
(`kg:bucketOffset`); a member points at each bucket it is in (`kg:inBucket`). Five kinds:
- `kg:outlet`: the events an outlet published or is credited with (`outlet-reports`), by the
  month of the date the outlet's article gives (`YYYY-MM`; `YYYY` for a year-only date; `~`
  when that article gives none). As strings these sort as the dates do (`2021` < `2021-01` <
  `2021-02`), and undated rows come last, as in the query.
- `kg:corroboration`: the events of a class (`kg:Event` for all of them) by their number of
  articles (`corroboration`).
- `kg:date`: the events of a class by the month of each date any article gives them (`~`:
  none), for the listings by date without an entity (`attacks`, `interceptions`, `meetings`);
  and within each month by the date itself (`2021-05-08`, or `2021-05` for a month-only date:
  buckets whose key is the month's bucket), so that a page reads the first days of a month,
  not all of it. As strings these sort as Oxigraph sorts the dates (`2021` < `2021-05` <
  `2021-05-01`).
- `kg:eventCount`: entities by the number of events they take part in, in any role (each
  event `kg:involves` them), for `entities` without a name; an entity holds its number of
  events and of articles that mention it (`kg:articleCount`), rewritten for the entities whose
  events or mentions a build changed (`entity_data`).
- `kg:meetingCount`: party pairs (`kg:PartyPair`: two parties of the same meetings, each
  meeting `kg:inPair` of each pair of its parties) by the number of meetings they shared, for
  `who-met-whom` without an entity. A pair's count and bucket are recomputed from its
  meetings' memberships after they moved (`pair_data`).

A query reads a bucket when the buckets before it hold fewer members than the page has rows
(`kg:bucketOffset`, or the sizes added up when a date range leaves some out), not the others.
Every member of a bucket gives at least one row in it, so the rows read always include the
page's. Decision note docs/decisions/051-page-index.md.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import RDF, XSD

from . import iri
from .store import Store
from .vocab import KG

UNDATED = "~"  # after every date, as undated rows are in the queries
_CHUNK = 100_000  # quads rewritten per write


def _n(term) -> NamedNode:
    return NamedNode(str(term))


IN_BUCKET, BUCKET_PROPERTY, BUCKET_KEY, BUCKET_ORDER, BUCKET_SIZE, BUCKET_OFFSET = map(
    _n, (KG.inBucket, KG.bucketProperty, KG.bucketKey, KG.bucketOrder, KG.bucketSize, KG.bucketOffset))
_TYPE, _BUCKET, _OUTLET, _CORROBORATION, _EVENT, _DATE = map(
    _n, (RDF.type, KG.IndexBucket, KG.outlet, KG.corroboration, KG.Event, KG.date))
IN_PAIR, PAIR_MEMBER, MEETING_COUNT, _PAIR = map(_n, (KG.inPair, KG.pairMember, KG.meetingCount, KG.PartyPair))
INVOLVES, EVENT_COUNT, ARTICLE_COUNT, _ENTITY, _MENTIONS = map(
    _n, (KG.involves, KG.eventCount, KG.articleCount, KG.Entity, KG.mentions))
_MOST_FIRST = (_CORROBORATION, MEETING_COUNT, EVENT_COUNT)  # counts: read from the largest down
_INTEGER = _n(XSD.integer)

# (property, key, order), and for party pairs a share of them (`pair_data`): one IRI a bucket
Key = tuple[NamedNode, NamedNode, Literal] | tuple[NamedNode, NamedNode, Literal, str]
SHARES = 64  # buckets per count of pairs or entities: most have 1, and a page reads ~1/64 of those


def month(date: str) -> str:
    """A date's bucket: its month, or its year when it gives no month."""
    return date[:7]


@lru_cache(maxsize=65_536)  # a refresh asks for the same few thousand buckets again and again
def bucket(key: Key) -> NamedNode:
    prop, node, order, *share = key
    return iri.mint("bucket", iri.digest(prop.value, node.value, order.value, *share))


def event_keys(claims: dict[str, dict], dates: dict[str, set[str]], classes: Iterable[NamedNode],
               corroboration: int) -> set[Key]:
    """The buckets one event belongs in. `claims`: claim -> {graph, outlet, reps} (kg.fusion);
    `dates`: graph -> the dates that article gives the event; `classes`: the event's classes."""
    keys: set[Key] = set()
    for c in claims.values():
        orders = {month(d) for d in dates.get(c["graph"], ())} or {UNDATED}
        outlets = set(c["reps"]) | ({c["outlet"]} if c["outlet"] else set())
        keys |= {(_OUTLET, NamedNode(o), Literal(m)) for o in outlets for m in orders}
    count = Literal(str(corroboration), datatype=_INTEGER)
    keys |= {(_CORROBORATION, cls, count) for cls in {*classes, _EVENT}}
    for d in {d for given in dates.values() for d in given} or {UNDATED}:
        for cls in classes:
            by_month = (_DATE, cls, Literal(month(d)))
            keys |= {by_month, (_DATE, bucket(by_month), Literal(d))}  # the month, and the day in it
    return keys


def pair(a: str, b: str) -> NamedNode:
    return iri.mint("pair", iri.digest(*sorted((a, b))))


def party_pairs(parties: set[str]) -> dict[NamedNode, tuple[str, str]]:
    """Each pair of a meeting's parties (participants and chairs): pair -> its two parties."""
    ordered = sorted(parties)
    return {pair(a, b): (a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]}


def pair_quads(meeting: NamedNode, pairs: Iterable[NamedNode], graph: NamedNode) -> list[Quad]:
    return [Quad(meeting, IN_PAIR, p, graph) for p in pairs]


def pair_data(store: Store, pairs: dict[NamedNode, tuple[str, str] | None],
              graph: NamedNode) -> dict[NamedNode, Key | None]:
    """Rewrite each pair's count and bucket from the meetings in it now: `pairs` maps a pair to
    its two parties when known (a new pair), else None (read from the store). A pair no meeting
    is in goes. Returns the buckets the pairs left or joined, for `resize`."""
    raw = store.raw

    def data(node: NamedNode, stored: list[Quad]) -> tuple[list[Quad], Key | None]:
        parties = pairs[node] or tuple(q.object.value for q in stored if q.predicate == PAIR_MEMBER)
        n = sum(1 for _ in raw.quads_for_pattern(None, IN_PAIR, node, graph))
        if not n or len(parties) != 2:
            return [], None
        # Pairs with one count are tied in who-met-whom's order, so any of them fills a page: a
        # page whose last rows are pairs that met once reads one share of them, not all.
        key = (MEETING_COUNT, _PAIR, _count(n), _share(node))
        return [Quad(node, _TYPE, _PAIR, graph), Quad(node, MEETING_COUNT, _count(n), graph),
                Quad(node, IN_BUCKET, bucket(key), graph)] + [Quad(node, PAIR_MEMBER, NamedNode(p), graph)
                                                             for p in parties], key

    return _rewrite(store, pairs, lambda node: list(raw.quads_for_pattern(node, None, None, graph)), data)


def _rewrite(store: Store, nodes: Iterable[NamedNode], stored_of: Callable[[NamedNode], list[Quad]],
             data: Callable[[NamedNode, list[Quad]], tuple[list[Quad], Key | None]]) -> dict[NamedNode, Key | None]:
    """Replace each node's stored quads (`stored_of`) with its new ones (`data`: the quads and
    the bucket they put it in, if any), writing only what differs, in chunks. Returns the
    buckets the nodes left (key None: it is stored) or joined, for `resize`."""
    touched: dict[NamedNode, Key | None] = {}
    old: list[Quad] = []
    new: list[Quad] = []
    for node in nodes:
        stored = stored_of(node)
        old += stored
        touched.update((q.object, None) for q in stored if q.predicate == IN_BUCKET and q.object not in touched)
        quads, key = data(node, stored)
        new += quads
        if key is not None:
            touched[bucket(key)] = key
        if len(old) + len(new) >= _CHUNK:
            store.replace(old, new)
            old, new = [], []
    store.replace(old, new)
    return touched


def _share(node: NamedNode) -> str:
    return str(int(iri.digest(node.value)[:6], 16) % SHARES)


def involves_quads(event: NamedNode, entities: Iterable[str], graph: NamedNode) -> list[Quad]:
    """The entities an event involves, in any role, each once (the articles repeat them)."""
    return [Quad(event, INVOLVES, NamedNode(e), graph) for e in sorted(entities)]


def entity_data(store: Store, entities: Iterable[NamedNode], graph: NamedNode) -> dict[NamedNode, Key | None]:
    """Rewrite each entity's number of events (`kg:eventCount`, from the events' `kg:involves`),
    of articles that mention it (`kg:articleCount`) and its bucket by number of events, for
    `entities` without a name; an entity in no event has none. Returns the buckets the entities
    left or joined, for `resize`. (Only these properties: the fusion graph holds its labels too.)"""
    raw = store.raw

    def stored_of(node: NamedNode) -> list[Quad]:
        return [q for p in (EVENT_COUNT, ARTICLE_COUNT, IN_BUCKET) for q in raw.quads_for_pattern(node, p, None, graph)]

    def data(node: NamedNode, stored: list[Quad]) -> tuple[list[Quad], Key | None]:
        n = _count_quads(raw, INVOLVES, node, graph)
        if not n:
            return [], None
        articles = _count_quads(raw, _MENTIONS, node, None)  # one kg:mentions per article graph
        key = (EVENT_COUNT, _ENTITY, _count(n), _share(node))
        return [Quad(node, EVENT_COUNT, _count(n), graph), Quad(node, ARTICLE_COUNT, _count(articles), graph),
                Quad(node, IN_BUCKET, bucket(key), graph)], key

    return _rewrite(store, entities, stored_of, data)


def _count_quads(raw, predicate: NamedNode, obj: NamedNode, graph: NamedNode | None) -> int:
    """The quads `?s predicate obj` (in `graph`, or in any named graph), counted by Oxigraph:
    14x faster than taking each quad into Python (an entity named in 40,000 articles)."""
    where = f"?s <{predicate.value}> <{obj.value}>"
    where = f"GRAPH <{graph.value}> {{ {where} }}" if graph is not None else f"GRAPH ?g {{ {where} }}"
    return int(next(iter(raw.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))["n"].value)


def memberships(stored: Iterable[Quad]) -> tuple[set[NamedNode], set[NamedNode], set[NamedNode]]:
    """What events' stored fusion quads say they are in now, read before those quads are replaced:
    the buckets, the party pairs and the entities they involve, which must be recounted."""
    buckets: set[NamedNode] = set()
    pairs: set[NamedNode] = set()
    entities: set[NamedNode] = set()
    into = {IN_BUCKET: buckets, IN_PAIR: pairs, INVOLVES: entities}
    for q in stored:
        found = into.get(q.predicate)
        if found is not None:
            found.add(q.object)
    return buckets, pairs, entities


def membership_quads(event: NamedNode, keys: set[Key], graph: NamedNode) -> list[Quad]:
    return [Quad(event, IN_BUCKET, bucket(k), graph) for k in keys]


def resize(store: Store, touched: dict[NamedNode, Key | None], graph: NamedNode) -> None:
    """Rewrite the buckets of every (property, key) a touched bucket belongs to: each with its
    number of events and the number in the buckets before it (`kg:bucketOffset`); an empty
    bucket goes. `touched` maps a bucket to its key when it is known (a new bucket), else None
    (read from the store). Untouched buckets keep their size and get their new offset."""
    raw = store.raw
    groups: dict[tuple[NamedNode, NamedNode], set[NamedNode]] = {}
    for node, key in touched.items():
        if key is None:
            key = _stored_key(raw, node, graph)
            if key is None:
                continue  # nothing known of it: no bucket to describe
        groups.setdefault((key[0], key[1]), set()).add(node)
    sizes = _sizes(raw, {n for nodes in groups.values() for n in nodes}, graph)
    old: list[Quad] = []
    new: list[Quad] = []
    for (prop, key_node), nodes in sorted(groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value)):
        buckets: dict[NamedNode, tuple[Literal, int]] = {}
        for q in raw.quads_for_pattern(None, BUCKET_KEY, key_node, graph):  # the group's stored buckets
            stored = _stored_key(raw, q.subject, graph)
            if stored is not None and stored[0] == prop and q.subject not in nodes:
                size = next(iter(raw.quads_for_pattern(q.subject, BUCKET_SIZE, None, graph)), None)
                buckets[q.subject] = (stored[2], int(size.object.value) if size is not None else 0)
        for node in nodes:
            order = touched.get(node) or _stored_key(raw, node, graph)
            buckets[node] = (order[2], sizes.get(node, 0))
        offset = 0
        # (Shares of one count are in IRI order: any order of tied buckets gives the same pages.)
        for node, (order, size) in sorted(buckets.items(), key=lambda kv: (_rank(prop, kv[1][0]), kv[0].value)):
            old.extend(raw.quads_for_pattern(node, None, None, graph))
            if size:
                new += [Quad(node, _TYPE, _BUCKET, graph), Quad(node, BUCKET_PROPERTY, prop, graph),
                        Quad(node, BUCKET_KEY, key_node, graph), Quad(node, BUCKET_ORDER, order, graph),
                        Quad(node, BUCKET_SIZE, _count(size), graph), Quad(node, BUCKET_OFFSET, _count(offset), graph)]
                offset += size
        if len(old) + len(new) >= _CHUNK:
            store.replace(old, new)  # most buckets keep their numbers
            old, new = [], []
    store.replace(old, new)


_COUNT_ALL = 1_000  # from this many buckets on, every bucket's members are counted in one query


def _sizes(raw, nodes: set[NamedNode], graph: NamedNode) -> dict[NamedNode, int]:
    """The number of members of each bucket. A build's first refresh touches every bucket: one
    grouped count of every membership by Oxigraph (0.24 s for 115,000 at 10k articles) is then
    4x faster than taking each bucket's members into Python."""
    if len(nodes) < _COUNT_ALL:
        return {n: sum(1 for _ in raw.quads_for_pattern(None, IN_BUCKET, n, graph)) for n in nodes}
    q = f"SELECT ?b (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?m <{IN_BUCKET.value}> ?b }} }} GROUP BY ?b"
    counted = {r["b"]: int(r["n"].value) for r in raw.query(q)}
    return {n: counted.get(n, 0) for n in nodes}


def _rank(prop: NamedNode, order: Literal):
    """Buckets in the order their queries read them: the largest count first, the earliest month first."""
    return -int(order.value) if prop in _MOST_FIRST else order.value


def _stored_key(raw, node: NamedNode, graph: NamedNode) -> Key | None:
    given = {q.predicate: q.object for q in raw.quads_for_pattern(node, None, None, graph)}
    if not all(p in given for p in (BUCKET_PROPERTY, BUCKET_KEY, BUCKET_ORDER)):
        return None
    return given[BUCKET_PROPERTY], given[BUCKET_KEY], given[BUCKET_ORDER]


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=_INTEGER)


def missing(store: Store, graph: NamedNode) -> set[str]:
    """Events with fusion data but not the whole index: a store refreshed before the page index,
    or before its date and pair buckets, existed (its first build with this version indexes all
    of them once). Every event with a class is in a date bucket, so none means an older index."""
    raw = store.raw
    if next(iter(raw.quads_for_pattern(None, BUCKET_PROPERTY, _DATE, graph)), None) is not None:
        return set()
    return {q.subject.value for q in raw.quads_for_pattern(None, _CORROBORATION, None, graph)}
