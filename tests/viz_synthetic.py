"""A synthetic entity–event graph for view tests, built straight as a `ViewSource` (no store, fast).

Entities are picked with Zipf-like weights, so a few hubs and many leaves, as in news.
Every entity is used at least once, so the drawn graph has exactly `events + entities`
nodes. Deterministic for a given seed.
"""
from __future__ import annotations

import random

from kg.export.jsonl import COARSE, EVENT_TYPES
from kg.viz.source import ArticleInfo, Claim, Entity, Event, Role, ViewSource

ROLE_OF = {"Meeting": ("participant", "location"), "Agreement": ("participant",), "Proposal": ("agent",),
           "Attack": ("agent", "target", "instrument", "location"), "Interception": ("agent", "instrument")}


def synthetic_source(nodes: int = 2000, seed: int = 3) -> ViewSource:
    rng = random.Random(seed)
    n_events = int(nodes * 0.45)
    n_entities = nodes - n_events
    entities = {}
    for i in range(n_entities):
        iri = f"urn:x:entity/{i}"
        entities[iri] = Entity(iri, COARSE[i % len(COARSE)], {"en": [f"Entity {i}"], "ar": [f"كيان {i}"]})
    ents = list(entities)
    weights = [1 / (i + 1) ** 0.9 for i in range(n_entities)]
    articles = {f"art{i}": ArticleInfo(f"art{i}", f"Article {i}", "", "2024-01-01", "", "en") for i in range(50)}
    events, roles = {}, {}
    for j in range(n_events):
        iri = f"urn:x:event/{j}"
        etype = EVENT_TYPES[j % len(EVENT_TYPES)]
        own = ents[j::n_events]  # every entity in at least one event
        args = set(own) | set(rng.choices(ents, weights, k=rng.randint(0, 3)))
        claims = []
        for k in range(rng.randint(1, 2)):
            names = [entities[x].labels["en"][0] for x in sorted(args)][:3]
            text = f"Officials said {' and '.join(names)} took part in the {etype.lower()} reported on day {j}."
            claims.append(Claim(f"art{(j + k) % 50}", text, 0, len(text), etype.lower()))
        y, m, d = 2020 + j % 5, 1 + j % 12, 1 + j % 28
        dates = [[f"{y}-{m:02d}-{d:02d}"], [f"{y}-{m:02d}"], [f"{y}"], []][j % 4]
        events[iri] = Event(iri, etype, dates, len({c.article for c in claims}), claims)
        for x in sorted(args):
            role = rng.choice(ROLE_OF[etype])
            roles[(iri, role, x)] = Role(iri, role, x, {c.article for c in claims})
    labels = {x: e.labels for x, e in entities.items()}
    return ViewSource(events, entities, [roles[k] for k in sorted(roles)], articles, labels)
