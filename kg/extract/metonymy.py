"""Metonymy: a capital that acts stands for its state ("Washington shot down …" = the US).

When a capital city fills an actor role (agent, participant, chair) of an event, the
mention is re-keyed to the state; as the place of an event (location, target) it stays
the city. The surface form is kept, so "Washington" / "واشنطن" become names of the
United States in the graph, as the annotation guidelines ask.
"""
from __future__ import annotations

from dataclasses import replace

from ..models import Argument, Document, Mention
from ..resources import gazetteer

ACTOR_ROLES = ("agent", "participant", "chair")


def resolve_metonymy(doc: Document) -> Document:
    """Stage: capitals in actor roles become their states."""
    gaz = gazetteer()
    swap: dict[int, Mention] = {}
    for ev in doc.events:
        for a in ev.arguments:
            m = a.mention
            entry = gaz.entries.get(m.key) if m.gazetteer else None
            if a.role in ACTOR_ROLES and entry is not None and entry.capital_of and id(m) not in swap:
                state = gaz.entries[entry.capital_of]
                swap[id(m)] = replace(m, key=state.key, type=state.type, cls=state.cls)
    if not swap:
        return doc

    def m2(m: Mention) -> Mention:
        return swap.get(id(m), m)

    events = tuple(replace(ev, arguments=tuple(Argument(a.role, m2(a.mention)) for a in ev.arguments))
                   for ev in doc.events)
    return replace(doc, mentions=tuple(m2(m) for m in doc.mentions), events=events)
