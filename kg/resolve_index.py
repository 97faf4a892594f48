"""Where to look for the stored events a new report may join: an index by type, key entity and day.

Resolution (`kg.resolve`) compares an event only with stored events of the same type that share
a key entity (`fusion_rules.lookup_keys`) and whose dates can match (`fusion_rules.may_match`).
Asking the store "which events share this entity" returns every event of every date that names
it, a list that grows with the store (a popular city or minister is named by thousands of events
at 100k articles), and each answer then needs its dates read to be dropped. This index answers
"which events of this type, naming this entity, on these days" from memory instead, so the
work per article stays the same as the store grows (#8).

It only *finds* candidates: what they say (dates, publication, roles) is still read from the
store and tested by the same rules, so the index may hold stale entries (an article re-ingested
with other events) without changing any merge; it must never miss one, so every report written
is added (`add`) and a build on an existing store loads it first (`load`).

Buckets, per (event type, entity) — one report (an event as one article gives it) goes into:
- `day[d]` for each of its day dates d (ordinal),
- `coarse` if it has a month or year date (rare: compatible with many days),
- `published[p]` if it has no date and its article was published on day p,
- `unknown` if it has neither.
`candidates` reads exactly the buckets whose reports can pass `may_match` (see `_probe`).
`People` does the same for people found by title (match key -> keys), `Published` caches
article graphs' publication dates. Memory: one list entry per (report, key entity), event IRIs
interned, no article data — 12 MB for the 28k reports of 10k generated articles.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict, defaultdict
from datetime import date
from typing import Callable, Iterable, Iterator

from pyoxigraph import NamedNode
from rdflib.namespace import RDF

from . import fusion_rules as rules
from .iri import mint
from .resources.loader import EVENT_TYPES
from .vocab import KG

FUSION_GRAPH = mint("graph", "fusion")  # derived data (kg.fusion), never a report

RECENT = rules.RECENT_DAYS


class _Buckets:
    __slots__ = ("day", "coarse", "published", "unknown")

    def __init__(self) -> None:
        self.day: dict[int, list[str]] = defaultdict(list)
        self.coarse: list[str] = []
        self.published: dict[int, list[str]] = defaultdict(list)
        self.unknown: list[str] = []


def _ordinal(iso: str) -> int | None:
    try:
        return date.fromisoformat(iso).toordinal() if len(iso) == 10 else None
    except ValueError:
        return None


class EventIndex:
    """Stored event reports by (event type, key entity IRI) and date bucket."""

    def __init__(self, store=None) -> None:
        self._keys: dict[tuple[str, str], _Buckets] = {}
        self.published = Published(store)  # publication dates of article graphs, for resolution
        self.people = People()
        self.reports = Reports(self.published.of)
        # Events the write in flight reports (kg.build.Writer), and how to wait for that write:
        # resolution reads an event's reports from the store only once they are there.
        self.pending: set[str] = set()
        self.settle: Callable[[], None] = lambda: None
        self._interned: dict[str, str] = {}
        self.count = 0  # reports indexed

    def add(self, event_type: str, event: str, entities: Iterable[str], dates: Iterable[str],
            published: str | None) -> None:
        """Index one report: `event` (IRI) of `event_type` naming `entities`, as one article gives it."""
        event = self._interned.setdefault(event, event)
        dates = list(dates)
        days = {d for d in map(_ordinal, dates) if d is not None}
        coarse = len(days) < len(dates)
        pub = _ordinal(published) if published else None
        self.count += 1
        for x in set(entities):
            if not rules.may_be_lookup_key(x):
                continue  # states and regions are never looked up: no need to index them
            b = self._keys.get((event_type, x))
            if b is None:
                b = self._keys[(event_type, self._interned.setdefault(x, x))] = _Buckets()
            for d in days:
                b.day[d].append(event)
            if coarse:
                b.coarse.append(event)
            if not dates:
                (b.published[pub] if pub is not None else b.unknown).append(event)

    def candidates(self, event_type: str, entities: Iterable[str], mine: rules.Facts) -> list[str]:
        """Events of `event_type` naming one of `entities` that may match `mine` on dates, sorted
        by IRI (a superset: the caller reads and tests them; the order makes ties stable)."""
        found: set[str] = set()
        for x in entities:
            b = self._keys.get((event_type, x))
            if b is not None:
                for events in _probe(b, mine):
                    found.update(events)
        return sorted(found)

    @classmethod
    def load(cls, store) -> "EventIndex":
        """The index of every event report and person in `store`'s article graphs (a build on an
        existing store), streamed report by report: memory holds the index, not the quads."""
        index = cls(store)
        raw, date_p, type_p = store.raw, NamedNode(str(KG.date)), NamedNode(str(RDF.type))
        roles = [NamedNode(str(getattr(KG, r))) for r in rules.ROLES]
        for t in EVENT_TYPES:
            for q in raw.quads_for_pattern(None, type_p, NamedNode(str(getattr(KG, t))), None):
                e, g = q.subject, q.graph_name
                if g == FUSION_GRAPH:
                    continue
                ents = [r.object.value for p in roles for r in raw.quads_for_pattern(e, p, None, g)
                        if isinstance(r.object, NamedNode)]
                dates = [r.object.value for r in raw.quads_for_pattern(e, date_p, None, g)]
                index.add(t, e.value, ents, dates, index.published.of(g))
        index.people.load(store)
        return index


def _probe(b: _Buckets, mine: rules.Facts) -> Iterator[list[str]]:
    """The buckets holding every report that can pass `rules.may_match(mine, report)`.

    A stored event passes when one of its reports has a date compatible with one of `mine`'s
    (days at most one apart; a month or year containing the day), or when none of its reports
    is dated and `rules._recent` holds: an undated report published within RECENT days after
    one of `mine`'s days (or in one of its months or years, or up to RECENT days after); both
    undated, published within RECENT days of each other; or a side whose publication (or day)
    is unknown, which nothing rules out.
    """
    days = [d for d in map(_ordinal, mine.dates) if d is not None]
    pubs = [p for p in map(_ordinal, mine.published) if p is not None]
    if mine.dates:
        yield b.coarse  # month and year dates: few, tested by the caller
        for d in days:
            yield from (b.day.get(d + i, ()) for i in (-1, 0, 1))
        for v in mine.dates:
            if len(v) != 10:  # a month or a year of mine: every stored day inside it
                yield from (events for d, events in b.day.items() if date.fromordinal(d).isoformat().startswith(v))
        yield b.unknown
        if not days:
            yield from b.published.values()  # no day of mine to bound an undated report by
        else:
            for d in days:
                yield from (b.published.get(d + i, ()) for i in range(RECENT + 1))
            for v in mine.dates:  # a month or a year of mine: reports published in it or just after
                if len(v) != 10:
                    yield from (events for p, events in b.published.items()
                                if rules.within_days(date.fromordinal(p).isoformat(), v))
        return
    if not pubs:  # undated and publication unknown: nothing rules any report out
        yield b.coarse
        yield b.unknown
        yield from b.day.values()
        yield from b.published.values()
        return
    yield b.coarse  # only month/year dates: no day to test the window against
    yield b.unknown
    for p in pubs:
        yield from (b.day.get(p - i, ()) for i in range(RECENT + 1))
        yield from (b.published.get(p + i, ()) for i in range(-RECENT, RECENT + 1))


class Published:
    """Publication dates of article graphs, read from the store once each. Dropped wholesale
    past `limit` graphs: a cache, not a copy of the store (a date an article graph gives never
    changes while its graph exists, and a re-ingest of it comes with a new Published)."""

    def __init__(self, store, limit: int = 200_000) -> None:
        self._raw = store.raw if store is not None else None
        self._p, self._limit = NamedNode(str(KG.published)), limit
        self._cache: dict[NamedNode, str | None] = {}

    def of(self, graph: NamedNode) -> str | None:
        if graph not in self._cache:
            self.note(graph, next((q.object.value for q in self._raw.quads_for_pattern(None, self._p, None, graph)),
                                  None) if self._raw is not None else None)
        return self._cache[graph]

    def note(self, graph: NamedNode, published: str | None) -> None:
        """The publication date of a graph being written. Past the limit the older half is dropped,
        never the graphs noted last, which a build's batch may not have written yet."""
        if len(self._cache) >= self._limit:
            for g in list(itertools.islice(self._cache, self._limit // 2)):
                del self._cache[g]
        self._cache[graph] = published

    def forget(self, graph: NamedNode) -> None:
        """`graph` is being rewritten (a re-ingest may change its date)."""
        self._cache.pop(graph, None)


class People:
    """Which people (canonical keys) the stored article graphs name with each match key, and in
    how many graphs: `kg.resolve` takes a person's key only when exactly one person has that
    match key, and a popular person is named by thousands of graphs, too many to read for
    every mention (#8). Bounded by the people found by title, not by the articles."""

    _MK, _CK = NamedNode(str(KG.matchKey)), NamedNode(str(KG.canonicalKey))

    def __init__(self) -> None:
        self._graphs: dict[str, dict[str, int]] = defaultdict(dict)  # match key -> key -> graphs

    def keys(self, mk: str, own: list[tuple[str, str]]) -> set[str]:
        """The keys of people named with match key `mk` by graphs other than the article's own,
        whose (match key, key) pairs are `own` (a re-ingest: what it said before does not count)."""
        counts = dict(self._graphs.get(mk, {}))
        for m, k in own:
            if m == mk and k in counts:
                counts[k] -= 1
        return {k for k, n in counts.items() if n > 0}

    def count(self, pairs: Iterable[tuple[str, str]], sign: int = 1) -> None:
        """One graph's (match key, key) pairs were written (`sign` 1) or dropped (-1)."""
        for mk, k in set(pairs):
            by_key = self._graphs[mk]
            by_key[k] = by_key.get(k, 0) + sign

    @classmethod
    def pairs_of(cls, quads: Iterable) -> list[tuple[str, str]]:
        """(match key, key) pairs of the people in one graph's quads."""
        mks: dict = {}
        cks: dict = {}
        for q in quads:
            if q.predicate == cls._MK:
                mks[q.subject] = q.object.value
            elif q.predicate == cls._CK:
                cks[q.subject] = q.object.value
        return [(mk, cks[e]) for e, mk in mks.items() if e in cks]

    @classmethod
    def pairs_in(cls, store, graph: NamedNode) -> list[tuple[str, str]]:
        raw = store.raw
        return cls.pairs_of([*raw.quads_for_pattern(None, cls._MK, None, graph),
                             *raw.quads_for_pattern(None, cls._CK, None, graph)])

    def load(self, store) -> None:
        raw = store.raw
        for q in raw.quads_for_pattern(None, self._MK, None, None):
            for k in raw.quads_for_pattern(q.subject, self._CK, None, q.graph_name):
                self.count([(q.object.value, k.object.value)])


Report = tuple  # (article graph, rdf:types, ((role, entity IRI), ...), (ISO date, ...), (ISO weekday, ...)):
#                 one article's account


class Reports:
    """What each article says of an event (types, roles, dates), for the events read lately.

    A widely reported event is a candidate for many new reports, and reading its hundreds of
    accounts from the store each time grew with the corpus (#8). The accounts of up to `limit`
    events are kept, least recently used dropped; a new account is appended as it is written
    (`add`), and an event whose accounts change otherwise (an article re-ingested) is dropped
    (`forget`) and read again from the store when next needed. `facts` sums them up for
    resolution from a summary kept with them: going through hundreds of accounts for each
    article that might report the event again grew with the corpus too."""

    _TYPE, _DATE, _WEEKDAY = NamedNode(str(RDF.type)), NamedNode(str(KG.date)), NamedNode(str(KG.dayOfWeek))
    _ROLES = [(r, NamedNode(str(getattr(KG, r)))) for r in rules.ROLES]

    def __init__(self, published: Callable[[NamedNode], str | None] = lambda g: None, limit: int = 20_000) -> None:
        self._cache: OrderedDict[str, _Accounts] = OrderedDict()
        self._published = published  # the publication date of an article graph
        self._limit = limit

    def facts(self, event: str, store, type_iri: str, entities: set[str], own_graph: NamedNode) -> rules.Facts | None:
        """What the articles that give `event` as a `type_iri` naming one of `entities` say of it
        (their dates, publication dates and roles), `own_graph`'s old account left out (a
        re-ingest); None if no such article is left."""
        return self._accounts(event, store).facts(type_iri, entities, own_graph, self._published)

    def _accounts(self, event: str, store) -> "_Accounts":
        found = self._cache.get(event)
        if found is None:
            return self._keep(event, _Accounts(self._read(event, store)))
        self._cache.move_to_end(event)
        return found

    def _keep(self, event: str, accounts: "_Accounts") -> "_Accounts":
        self._cache[event] = accounts
        if len(self._cache) > self._limit:
            self._cache.popitem(last=False)
        return accounts

    def add(self, event: str, report: Report, only: bool = False) -> None:
        """A new account of `event`; `only`: it is the event's first and only account (the event
        is new), which is then kept whether or not the event was cached."""
        if only:
            self._keep(event, _Accounts([report]))
            return
        found = self._cache.get(event)
        if found is not None:
            found.add(report, self._published)

    def holds(self, event: str) -> bool:
        return event in self._cache

    def forget(self, events: Iterable[str]) -> None:
        for e in events:
            self._cache.pop(e, None)

    @classmethod
    def _read(cls, event: str, store) -> list[Report]:
        raw, node = store.raw, NamedNode(event)
        types: dict[NamedNode, set[str]] = defaultdict(set)
        roles: dict[NamedNode, list[tuple[str, str]]] = defaultdict(list)
        dates: dict[NamedNode, list[str]] = defaultdict(list)
        for q in raw.quads_for_pattern(node, cls._TYPE, None, None):
            types[q.graph_name].add(q.object.value)
        for role, p in cls._ROLES:
            for q in raw.quads_for_pattern(node, p, None, None):
                roles[q.graph_name].append((role, q.object.value))
        for q in raw.quads_for_pattern(node, cls._DATE, None, None):
            dates[q.graph_name].append(q.object.value)
        weekdays: dict[NamedNode, list[int]] = defaultdict(list)
        for q in raw.quads_for_pattern(node, cls._WEEKDAY, None, None):
            weekdays[q.graph_name].append(int(q.object.value))
        return [(g, frozenset(t), tuple(roles[g]), tuple(dates[g]), tuple(weekdays[g])) for g, t in types.items()]


class _Accounts:
    """One event's accounts, and what they say by (type IRI, entity IRI named): the union of the
    facts of the accounts of that type that name that entity, made when first asked for and kept
    up to date as accounts are added."""

    __slots__ = ("reports", "graphs", "_summary")

    def __init__(self, reports: list[Report]) -> None:
        self.reports = reports
        self.graphs = {r[0] for r in reports}
        self._summary: dict[tuple[str, str], rules.Facts] | None = None

    def add(self, report: Report, published: Callable[[NamedNode], str | None]) -> None:
        if report[0] in self.graphs:  # the article's account again: the summary is made anew
            self.reports = [r for r in self.reports if r[0] != report[0]] + [report]
            self._summary = None
            return
        self.reports.append(report)
        self.graphs.add(report[0])
        if self._summary is not None:
            _summarize(self._summary, report, published)

    def facts(self, type_iri: str, entities: set[str], own_graph: NamedNode,
              published: Callable[[NamedNode], str | None]) -> rules.Facts | None:
        if own_graph in self.graphs:  # a re-ingest: its old account does not count (rare)
            summary = _summary([r for r in self.reports if r[0] != own_graph], published)
        else:
            if self._summary is None:
                self._summary = _summary(self.reports, published)
            summary = self._summary
        parts = [summary[(type_iri, x)] for x in entities if (type_iri, x) in summary]
        if not parts:
            return None
        out = rules.Facts()
        for f in parts:
            out.update(f)
        return out


def _summary(reports: list[Report], published: Callable[[NamedNode], str | None]) -> dict[tuple[str, str], rules.Facts]:
    summary: dict[tuple[str, str], rules.Facts] = {}
    for r in reports:
        _summarize(summary, r, published)
    return summary


def _summarize(summary: dict[tuple[str, str], rules.Facts], report: Report,
               published: Callable[[NamedNode], str | None]) -> None:
    g, types, roles, dates, weekdays = report
    facts = rules.Facts(dates=set(dates), weekdays=set(weekdays))
    pub = published(g)
    if pub is not None:
        facts.published.add(pub)
    for role, x in roles:
        facts.add_argument(role, x)
    for t in types:
        for x in {x for _, x in roles}:
            summary.setdefault((t, x), rules.Facts()).update(facts)
