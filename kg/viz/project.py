"""The entity–event network the page draws: filters, a focus neighbourhood, and the cut.

Events and entities are nodes, roles are edges (one edge per event–entity pair, with
all its roles). A focus keeps the nodes within `hops` of the entities named; when that
neighbourhood is larger than `max_nodes`, nodes are kept hop by hop, best ranked first,
so what is kept stays connected to the focus, and what was left out is counted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UsageError, ViewTooLargeError
from ..export.jsonl import COARSE, EVENT_TYPES
from ..text.normalize import fold
from .source import Event, ViewSource
from .style import LANGS

if TYPE_CHECKING:
    import networkx as nx

RANKS = ("degree", "corroboration")
DEFAULT_MAX_NODES = 2000
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ViewOptions:
    """What to draw. Defaults draw the whole graph, refused past `max_nodes`."""

    lang: str = "en"
    focus: str | None = None
    hops: int = 2
    max_nodes: int = DEFAULT_MAX_NODES
    rank: str = "degree"
    event_types: tuple[str, ...] = ()  # empty: all
    entity_types: tuple[str, ...] = ()
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    until: str | None = None

    def check(self) -> None:
        if self.lang not in LANGS:
            raise UsageError(f"--lang {self.lang!r}: choose from {', '.join(LANGS)}")
        if self.hops < 0 or self.max_nodes < 1:
            raise UsageError("--hops must be 0 or more and --max-nodes 1 or more")
        if self.rank not in RANKS:
            raise UsageError(f"--rank must be one of {', '.join(RANKS)}")
        for name, value, known in (("--event-type", self.event_types, EVENT_TYPES),
                                   ("--entity-type", self.entity_types, COARSE)):
            bad = set(value) - set(known)
            if bad:
                raise UsageError(f"{name} {', '.join(sorted(bad))}: choose from {', '.join(known)}")
        for name, value in (("--since", self.since), ("--until", self.until)):
            if value is not None and not _DATE.match(value):
                raise UsageError(f"{name} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")


@dataclass
class Projection:
    """The drawn graph and what was left out of it."""

    graph: nx.Graph
    total: int  # nodes after filters, before focus and cut
    seeds: list[str] = field(default_factory=list)
    within: int = 0  # nodes within `hops` of the seeds
    dropped: list[str] = field(default_factory=list)  # cut, highest ranked first

    @property
    def cut(self) -> bool:
        return bool(self.dropped)


def _span(date: str) -> tuple[str, str]:
    """First and last day a (possibly partial) ISO date covers, as comparable strings."""
    return (date + "-01-01"[len(date) - 4:], date + "-12-31"[len(date) - 4:])


def _in_range(ev: Event, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    lo = _span(since)[0] if since else "0000"
    hi = _span(until)[1] if until else "9999"
    return any(_span(d)[1] >= lo and _span(d)[0] <= hi for d in ev.dates)


def network(src: ViewSource, opts: ViewOptions) -> nx.Graph:
    """Events passing the filters, their entities of the kept types, one edge per pair."""
    import networkx as nx

    g = nx.Graph()
    for iri, ev in src.events.items():
        if (not opts.event_types or ev.type in opts.event_types) and _in_range(ev, opts.since, opts.until):
            g.add_node(iri, kind="event", type=ev.type, corroboration=ev.corroboration)
    for r in src.roles:
        ent = src.entities[r.entity]
        if r.event not in g or (opts.entity_types and ent.type not in opts.entity_types):
            continue
        if r.entity not in g:
            g.add_node(r.entity, kind="entity", type=ent.type)
        if g.has_edge(r.event, r.entity):
            g.edges[r.event, r.entity]["roles"].append(r.role)
        else:
            g.add_edge(r.event, r.entity, roles=[r.role])
    return g


def find(src: ViewSource, g: nx.Graph, name: str, filtered: bool = False) -> list[str]:
    """Entities in `g` named `name` in any language (folded); else those whose name contains it."""
    key = fold(name)
    if not key:
        raise UsageError("--focus needs a name")
    names = {x: {fold(n) for ns in src.entities[x].labels.values() for n in ns}
             for x, d in g.nodes(data=True) if d["kind"] == "entity"}
    exact = sorted(x for x, ns in names.items() if key in ns)
    found = exact or sorted(x for x, ns in names.items() if any(key in n for n in ns))
    if not found:
        raise UsageError(f"no entity named {name!r} in the graph{' after the filters' if filtered else ''}; "
                         "try part of the name, in English or Arabic")
    return found


def scores(g: nx.Graph, rank: str) -> dict[str, tuple]:
    """Sort keys, highest first: degree, or corroboration (an entity: summed over its events)."""
    out: dict[str, tuple] = {}
    for x, d in g.nodes(data=True):
        if rank == "corroboration":
            corr = d["corroboration"] if d["kind"] == "event" else sum(g.nodes[v]["corroboration"] for v in g[x])
            out[x] = (corr, g.degree(x))
        else:
            out[x] = (g.degree(x), d.get("corroboration", 0))
    return out


def focus(g: nx.Graph, seeds: list[str], hops: int, max_nodes: int, rank: str) -> tuple[set[str], list[str], int]:
    """Nodes kept, nodes cut (best first) and the neighbourhood size; kept hop by hop."""
    import networkx as nx

    score = scores(g, rank)
    kept: set[str] = set()
    dropped: list[str] = []
    within = 0
    for depth, layer in enumerate(nx.bfs_layers(g, seeds)):
        if depth > hops:
            break
        within += len(layer)
        # Whole hops first: a node of hop d is only kept if some node of hop d-1 was.
        ranked = sorted(layer, key=lambda x: (tuple(-v for v in score[x]), x))
        room = max(0, max_nodes - len(kept))
        kept.update(ranked[:room])
        dropped.extend(ranked[room:])
    return kept, dropped, within


def project(src: ViewSource, opts: ViewOptions) -> Projection:
    """The graph to draw, or ViewTooLargeError when it is too big to draw without a focus."""
    opts.check()
    g = network(src, opts)
    total = len(g)
    if opts.focus is None:
        if total > opts.max_nodes:
            raise ViewTooLargeError(
                f"the graph has {total:,} nodes, more than --max-nodes {opts.max_nodes:,}: draw a part with "
                "--focus NAME [--hops N], filter with --event-type/--entity-type/--since/--until, "
                "or raise --max-nodes")
        return Projection(g, total, within=total)
    filtered = bool(opts.event_types or opts.entity_types or opts.since or opts.until)
    seeds = find(src, g, opts.focus, filtered)
    kept, dropped, within = focus(g, seeds, opts.hops, opts.max_nodes, opts.rank)
    return Projection(g.subgraph(kept).copy(), total, seeds, within, dropped)


def left_out(proj: Projection, src: ViewSource) -> Counter:
    """How many nodes of each type were cut."""
    return Counter(src.events[x].type if x in src.events else src.entities[x].type for x in proj.dropped)
