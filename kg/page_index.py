"""The page index: buckets of events in sort order, so that a shipped query chooses its first
page by reading a few buckets instead of sorting every row of a busy outlet or class (#8).

Kept in the fusion graph and recomputed with the rest of the fusion data for the events a
build touched (`kg.fusion.refresh`), so a new batch updates it and a re-ingested article
moves its events to their new buckets. Two kinds, each a `kg:IndexBucket` with the property
it indexes (`kg:bucketProperty`), the key (`kg:bucketKey`), the sort value (`kg:bucketOrder`),
the number of events in it (`kg:bucketSize`) and in the buckets of its key before it
(`kg:bucketOffset`); an event points at each bucket it is in (`kg:inBucket`):
- `kg:outlet`: the events an outlet published or is credited with (`outlet-reports`), by the
  month of the date the outlet's article gives (`YYYY-MM`; `YYYY` for a year-only date; `~`
  when that article gives none). As strings these sort as the dates do (`2021` < `2021-01` <
  `2021-02`), and undated rows come last, as in the query.
- `kg:corroboration`: the events of a class (`kg:Event` for all of them) by their number of
  articles (`corroboration`).

A query reads a bucket when the buckets before it hold fewer events than the page has rows
(`kg:bucketOffset`, or the sizes added up when a date range leaves some out), not the others.
Every event of a bucket gives at least one row in it, so the rows read always include the
page's. Decision note docs/decisions/051-page-index.md.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

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
_TYPE, _BUCKET, _OUTLET, _CORROBORATION, _EVENT = map(
    _n, (RDF.type, KG.IndexBucket, KG.outlet, KG.corroboration, KG.Event))
_INTEGER = _n(XSD.integer)

Key = tuple[NamedNode, NamedNode, Literal]  # (property, key, order)


def month(date: str) -> str:
    """A date's bucket: its month, or its year when it gives no month."""
    return date[:7]


@lru_cache(maxsize=65_536)  # a refresh asks for the same few thousand buckets again and again
def bucket(key: Key) -> NamedNode:
    prop, node, order = key
    return iri.mint("bucket", iri.digest(prop.value, node.value, order.value))


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
    return keys


def membership_quads(event: NamedNode, keys: set[Key], graph: NamedNode) -> list[Quad]:
    return [Quad(event, IN_BUCKET, bucket(k), graph) for k in keys]


def buckets_of(store: Store, events: Iterable[str], graph: NamedNode) -> set[NamedNode]:
    """The buckets `events` are in now (read before their fusion data is replaced)."""
    return {q.object for e in events for q in store.raw.quads_for_pattern(NamedNode(e), IN_BUCKET, None, graph)}


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
            buckets[node] = (order[2], sum(1 for _ in raw.quads_for_pattern(None, IN_BUCKET, node, graph)))
        offset = 0
        for node, (order, size) in sorted(buckets.items(), key=lambda kv: _rank(prop, kv[1][0])):
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


def _rank(prop: NamedNode, order: Literal):
    """Buckets in the order their queries read them: the most articles first, the earliest month first."""
    return -int(order.value) if prop == _CORROBORATION else order.value


def _stored_key(raw, node: NamedNode, graph: NamedNode) -> Key | None:
    given = {q.predicate: q.object for q in raw.quads_for_pattern(node, None, None, graph)}
    if not all(p in given for p in (BUCKET_PROPERTY, BUCKET_KEY, BUCKET_ORDER)):
        return None
    return given[BUCKET_PROPERTY], given[BUCKET_KEY], given[BUCKET_ORDER]


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=_INTEGER)


def missing(store: Store, graph: NamedNode) -> set[str]:
    """Events with fusion data but no bucket: a store refreshed before the page index existed
    (its first build with this version indexes all of them once)."""
    raw = store.raw
    if next(iter(raw.quads_for_pattern(None, IN_BUCKET, None, graph)), None) is not None:
        return set()
    return {q.subject.value for q in raw.quads_for_pattern(None, _CORROBORATION, None, graph)}
