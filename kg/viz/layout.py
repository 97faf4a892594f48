"""Node positions computed before the page opens, so the browser runs no physics.

networkx's `spring_layout` takes 7–8 s for 2,000 nodes here (its sparse path loops in
Python), too slow for a command. This is the same Fruchterman–Reingold model written
with numpy arrays in blocks (0.2–0.4 s for 1,500 nodes), run on each connected
component's core only: nodes with one neighbour (most entities of a news graph) are
set in a fan around that neighbour afterwards. Components are then packed in rows,
largest first. See docs/decisions/020-html-view-layout-limits-timeline.md.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Hashable

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

GAP_PX = 45.0  # least median distance between a node and its nearest neighbour
EDGE_PX = 120.0  # drawn length of a median edge: room for a short role label
_BLOCK = 1024  # rows of the pairwise repulsion computed at once (bounds memory to BLOCK × n)


def _repulsion(x: np.ndarray, y: np.ndarray, mass: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    fx = np.empty_like(x)
    fy = np.empty_like(y)
    for i in range(0, len(x), _BLOCK):
        dx = x[i:i + _BLOCK, None] - x[None, :]
        dy = y[i:i + _BLOCK, None] - y[None, :]
        w = dx * dx
        w += dy * dy
        np.maximum(w, np.float32(1e-4), out=w)
        np.reciprocal(w, out=w)  # force k²/d along the unit vector d/|d|, with k = 1: d/|d|²
        w *= mass[None, :]
        fx[i:i + _BLOCK] = (dx * w).sum(axis=1) * mass[i:i + _BLOCK]
        fy[i:i + _BLOCK] = (dy * w).sum(axis=1) * mass[i:i + _BLOCK]
    return fx, fy


def spring(n: int, edges: list[tuple[int, int]], seed: int = 7, start: np.ndarray | None = None,
           iterations: int | None = None, temperature: float | None = None) -> np.ndarray:
    """Fruchterman–Reingold positions (n × 2, ideal edge length about 1) of one connected graph."""
    import numpy as np

    side = math.sqrt(n)
    if start is None:
        rng = np.random.default_rng(seed)
        start = (rng.random((n, 2), dtype=np.float32) - 0.5) * side
    x = np.ascontiguousarray(start[:, 0], dtype=np.float32)
    y = np.ascontiguousarray(start[:, 1], dtype=np.float32)
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    a, b = e[:, 0], e[:, 1]
    # Repulsion grows a little with degree (as in ForceAtlas2), so a hub's neighbours spread out.
    mass = np.power(np.bincount(a, minlength=n) + np.bincount(b, minlength=n) + 1, 0.25).astype(np.float32)
    steps = iterations or (120 if n < 300 else 80 if n < 1200 else 50)
    temp = temperature if temperature is not None else side / 8
    for step in range(steps):
        fx, fy = _repulsion(x, y, mass)
        ex, ey = x[a] - x[b], y[a] - y[b]
        pull = np.sqrt(ex * ex + ey * ey)  # attraction d²/k along the edge
        fx -= np.bincount(a, ex * pull, n).astype(np.float32) - np.bincount(b, ex * pull, n).astype(np.float32)
        fy -= np.bincount(a, ey * pull, n).astype(np.float32) - np.bincount(b, ey * pull, n).astype(np.float32)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), np.float32(1e-6))
        t = temp * (1 - step / steps) + 0.01
        scale = np.minimum(length, t) / length
        x += fx * scale
        y += fy * scale
    return np.stack([x, y], axis=1)


def _component(g: nx.Graph, comp: set, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Positions of one component, edge length about 1, centred on 0."""
    if len(comp) == 1:
        return {next(iter(comp)): (0.0, 0.0)}
    leaves = {v for v in comp if g.degree(v) == 1}
    core = sorted((v for v in comp if v not in leaves), key=str)
    if not core:  # a single edge
        a, b = sorted(comp, key=str)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    if len(core) == 1:
        pos = {core[0]: (0.0, 0.0)}
    else:
        xy = spring(len(core), _edge_index(g, core), seed)
        pos = {v: (float(xy[i, 0]), float(xy[i, 1])) for i, v in enumerate(core)}
    _fan(g, pos, leaves)
    # A few cool steps with the leaves in: they move off each other and off the core.
    import numpy as np

    order = core + sorted(leaves, key=str)
    xy = spring(len(order), _edge_index(g, order), start=np.array([pos[v] for v in order]),
                iterations=15, temperature=0.3)
    return {v: (float(xy[i, 0]), float(xy[i, 1])) for i, v in enumerate(order)}


def _edge_index(g: nx.Graph, order: list) -> list[tuple[int, int]]:
    index = {v: i for i, v in enumerate(order)}
    return [(index[u], index[v]) for u, v in g.subgraph(order).edges()]


def _fan(g: nx.Graph, pos: dict, leaves: set) -> None:
    """Put each leaf near its one neighbour, spread in a fan that points away from the rest."""
    by_parent: dict[Hashable, list] = {}
    for v in sorted(leaves, key=str):
        by_parent.setdefault(next(iter(g[v])), []).append(v)
    for parent, kids in by_parent.items():
        px, py = pos[parent]
        others = [pos[u] for u in g[parent] if u in pos]
        away = math.atan2(py - sum(o[1] for o in others) / len(others),
                          px - sum(o[0] for o in others) / len(others)) if others else 0.0
        spread = min(2 * math.pi, 0.5 * len(kids)) if others else 2 * math.pi
        radius = max(0.8, 0.2 * len(kids) / (spread / (2 * math.pi)))
        for i, kid in enumerate(kids):
            angle = away - spread / 2 + spread * (i + 0.5) / len(kids)
            pos[kid] = (px + radius * math.cos(angle), py + radius * math.sin(angle))


def _nearest(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Distance from each point to its nearest other point (blocked, like the repulsion)."""
    import numpy as np

    out = np.empty_like(x)
    for i in range(0, len(x), _BLOCK):
        dx = x[i:i + _BLOCK, None] - x[None, :]
        dy = y[i:i + _BLOCK, None] - y[None, :]
        d = dx * dx
        d += dy * dy
        d[np.arange(len(d)), np.arange(i, i + len(d))] = np.inf
        out[i:i + _BLOCK] = d.min(axis=1)
    return np.sqrt(out)


def _normalize(pos: dict, g: nx.Graph) -> dict:
    """Scale to pixels and move the box to start at 0, 0.

    The median edge gets EDGE_PX, unless nodes would then sit closer than GAP_PX to their
    nearest neighbour (many events on the same few entities): then the spacing decides, and
    the page opens zoomed out rather than with names drawn over each other.
    """
    import numpy as np

    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in g.edges() if u in pos and v in pos)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    k = EDGE_PX / median if median > 0 else EDGE_PX
    if len(pos) > 2:
        xy = np.array(list(pos.values()), dtype=np.float32)
        gap = float(np.median(_nearest(xy[:, 0], xy[:, 1])))
        if gap > 0:
            k = max(k, GAP_PX / gap)
    x0 = min(p[0] for p in pos.values())
    y0 = min(p[1] for p in pos.values())
    return {v: ((p[0] - x0) * k, (p[1] - y0) * k) for v, p in pos.items()}


def positions(g: nx.Graph, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions of every node: components laid out apart, then packed in rows."""
    import networkx as nx

    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(map(str, c))))
    boxes = []
    for comp in comps:
        pos = _normalize(_component(g, comp, seed), g.subgraph(comp))
        w = max(p[0] for p in pos.values()) + EDGE_PX
        h = max(p[1] for p in pos.values()) + EDGE_PX
        boxes.append((pos, w, h))
    area = sum(w * h for _, w, h in boxes)
    row_width = max([w for _, w, _ in boxes] + [1.4 * math.sqrt(area)])
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pos, w, h in boxes:  # shelf packing: good enough, components are sorted by size
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out.update({v: (round(x + p[0], 1), round(y + p[1], 1)) for v, p in pos.items()})
        x += w
        row_h = max(row_h, h)
    for u, v in g.edges():
        # vis-network 9.1.2 draws the label of an exactly horizontal edge at the canvas origin
        # (it skips the rotation but still zeroes the label's position): never give it one.
        if out[u][1] == out[v][1]:
            out[v] = (out[v][0], out[v][1] + 0.5)
    return out
