"""`events-csv`: one row per event, in the spirit of ACLED's export, streamed from the store.

Each aspect of an event (type, dates, roles, claims, fusion counts, contradictions) is
one SPARQL query ordered by event IRI; the rows are merged by walking those ordered
results side by side, so memory holds one event at a time plus the name of each entity
(never the whole table). Multi-valued cells are joined with "; ".
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from itertools import groupby
from typing import IO, Iterator

from rdflib.namespace import PROV

from ..store import Store
from ..vocab import KG
from .names import names_by_language, pick

EVENT_TYPES = ("Meeting", "Agreement", "Proposal", "Attack", "Interception")
ROLES = ("participant", "chair", "agent", "target", "instrument", "location")
COLUMNS = ["event_id", "event_type", "event_date", "date_precision", "dates_reported", "location",
           "participants", "chairs", "agents", "targets", "instruments", "corroboration", "outlet_count",
           "outlets", "sources", "articles", "contradictions", "evidence"]
SEP = "; "

_P = f"PREFIX kg: <{KG._NS}>\nPREFIX prov: <{PROV}>\n"
_ASPECTS = {
    "type": "SELECT DISTINCT ?event ?class WHERE { VALUES ?class { %s } ?event a ?class } ORDER BY STR(?event)"
            % " ".join(f"kg:{t}" for t in EVENT_TYPES),
    "dates": "SELECT DISTINCT ?event ?date ?precision ?g WHERE { GRAPH ?g { ?event kg:date ?date "
             "OPTIONAL { ?event kg:datePrecision ?precision } } } ORDER BY STR(?event)",
    "roles": "SELECT DISTINCT ?event ?role ?x WHERE { VALUES ?role { %s } ?event ?role ?x } ORDER BY STR(?event)"
             % " ".join(f"kg:{r}" for r in ROLES),
    "claims": "SELECT DISTINCT ?event ?id ?publisher ?credited ?quoted ?evidence ?start WHERE { "
              "?claim kg:asserts ?event ; prov:wasDerivedFrom ?article ; kg:evidence ?evidence . "
              "?article kg:articleId ?id . OPTIONAL { ?claim kg:start ?start } OPTIONAL { ?article kg:outlet ?publisher } "
              "OPTIONAL { ?claim kg:reportedBy ?credited } OPTIONAL { ?claim kg:accordingTo ?quoted } } "
              "ORDER BY STR(?event)",
    "fusion": "SELECT DISTINCT ?event ?corroboration ?outlets WHERE { ?event kg:corroboration ?corroboration "
              "OPTIONAL { ?event kg:outletCount ?outlets } } ORDER BY STR(?event)",
    "contradictions": "SELECT DISTINCT ?event ?property WHERE { ?c a kg:Contradiction ; kg:about ?event ; "
                      "kg:property ?property } ORDER BY STR(?event)",
}


class _Aspect:
    """Solutions of one aspect query, grouped by event and consumed in event order."""

    def __init__(self, store: Store, query: str) -> None:
        solutions = store.query(_P + query)
        self._groups = groupby(solutions, key=lambda s: s["event"].value)
        self._head: tuple[str, list] | None = None
        self._advance()

    def _advance(self) -> None:
        nxt = next(self._groups, None)
        self._head = None if nxt is None else (nxt[0], list(nxt[1]))

    def take(self, event: str) -> list:
        while self._head is not None and self._head[0] < event:
            self._advance()
        if self._head is not None and self._head[0] == event:
            rows = self._head[1]
            self._advance()
            return rows
        return []


def _best_date(dates: list[tuple[str, str]]) -> tuple[str, str]:
    """The date most articles give (the most precise on a tie) and its precision."""
    if not dates:
        return "", ""
    counts = Counter(d for d, _ in dates)
    best = max(counts, key=lambda d: (counts[d], len(d), d))
    return best, next(p for d, p in dates if d == best)


def _conflicting(dates: list[tuple[str, str]], graphs: list[str]) -> bool:
    """Two articles give dates of which neither contains the other (2021-05 contains 2021-05-08)."""
    seen = list(zip(graphs, (d for d, _ in dates)))
    return any(g1 != g2 and not d1.startswith(d2) and not d2.startswith(d1)
               for i, (g1, d1) in enumerate(seen) for g2, d2 in seen[i + 1:])


def event_rows(store: Store, lang: str = "en") -> Iterator[dict[str, str | int]]:
    """One dict per event, in event IRI order."""
    names = names_by_language(store)

    def name(iri: str) -> str:
        return pick(names.get(iri, {}), lang) or iri

    fused = bool(store.query(_P + "ASK { ?e kg:corroboration ?n }"))
    aspects = {k: _Aspect(store, q) for k, q in _ASPECTS.items() if k != "type"}
    for event, type_rows in groupby(store.query(_P + _ASPECTS["type"]), key=lambda s: s["event"].value):
        classes = sorted(r["class"].value.rsplit("#", 1)[-1] for r in type_rows)
        date_rows = aspects["dates"].take(event)
        dates = [(r["date"].value, r["precision"].value if r["precision"] else "") for r in date_rows]
        best, precision = _best_date(dates)
        roles: dict[str, list[str]] = {r: [] for r in ROLES}
        for r in aspects["roles"].take(event):
            roles[r["role"].value.rsplit("#", 1)[-1]].append(name(r["x"].value))
        claims = aspects["claims"].take(event)
        articles = sorted({c["id"].value for c in claims})
        outlets = {c["credited"].value if c["credited"] else c["publisher"].value
                   for c in claims if c["credited"] or c["publisher"]}
        fusion = aspects["fusion"].take(event)
        corroboration = fusion[0]["corroboration"] if fusion else None
        outlet_count = fusion[0]["outlets"] if fusion else None
        disputed = {r["property"].value.rsplit("#", 1)[-1] for r in aspects["contradictions"].take(event)}
        if not fused and _conflicting(dates, [r["g"].value for r in date_rows]):
            disputed.add("date")
        first = min(claims, key=lambda c: (c["id"].value, int(c["start"].value) if c["start"] else 0), default=None)
        yield {
            "event_id": event, "event_type": "; ".join(classes), "event_date": best, "date_precision": precision,
            "dates_reported": SEP.join(sorted({d for d, _ in dates})), "location": _join(roles["location"]),
            "participants": _join(roles["participant"]), "chairs": _join(roles["chair"]),
            "agents": _join(roles["agent"]), "targets": _join(roles["target"]),
            "instruments": _join(roles["instrument"]),
            "corroboration": int(corroboration.value) if corroboration is not None else len(articles),
            "outlet_count": int(outlet_count.value) if outlet_count is not None else len(outlets),
            "outlets": _join([name(o) for o in outlets]),
            "sources": _join([name(c["quoted"].value) for c in claims if c["quoted"]]),
            "articles": SEP.join(articles), "contradictions": SEP.join(sorted(disputed)),
            "evidence": first["evidence"].value if first else "",
        }


def _join(values: list[str]) -> str:
    return SEP.join(sorted(set(values)))


def write_events_csv(store: Store, out: IO[bytes]) -> None:
    """Write the event table as UTF-8 CSV with a header row, one event at a time."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in event_rows(store):
            writer.writerow(row)
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
