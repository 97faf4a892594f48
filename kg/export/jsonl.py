"""The contract's flat exports, `entities-jsonl` and `events-jsonl`, read from the store by SPARQL.

What is scored is what a user can query: nothing here looks at extraction objects.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import IO, Iterator

from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from ..store import Store
from ..vocab import NS

COARSE = ("Person", "Organization", "GPE", "Location", "Facility", "Weapon")
EVENT_TYPES = ("Meeting", "Agreement", "Proposal", "Attack", "Interception")
ROLES = ("participant", "chair", "agent", "target", "instrument", "location")
PREFIX = (f"PREFIX kg: <{NS}>\nPREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\nPREFIX prov: <{PROV}>\n"
          f"PREFIX dcterms: <{DCTERMS}>\n")


def rows(store: Store, query: str) -> Iterator[dict]:
    res = store.query(PREFIX + query)
    names = [v.value for v in res.variables]
    for sol in res:
        yield {n: sol[n] for n in names if sol[n] is not None}


def node_labels(store: Store) -> dict[str, dict[str, list[str]]]:
    """Every name the graph has for each node, by language tag, in a stable order."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    q = """SELECT ?n ?l ?rank WHERE { { ?n skos:prefLabel ?l BIND(0 AS ?rank) } UNION
             { ?n skos:altLabel ?l BIND(1 AS ?rank) } UNION { ?n rdfs:label ?l BIND(2 AS ?rank) } } ORDER BY ?rank"""
    for r in rows(store, q):  # preferred labels first, so a view can show names[0]
        lit = r["l"]
        lang = lit.language or "und"
        names = out[r["n"].value][lang]
        if lit.value not in names:
            names.append(lit.value)
    return out


def _plain(labels: dict[str, list[str]]) -> dict[str, list[str]]:
    """Labels by language, preferred name first, then the rest sorted (stable output)."""
    return {lang: names[:1] + sorted(set(names[1:]) - set(names[:1])) for lang, names in sorted(labels.items())}


def entity_records(store: Store) -> Iterator[dict]:
    labels = node_labels(store)
    types: dict[str, Counter] = defaultdict(Counter)
    classes = " ".join(f"kg:{c}" for c in COARSE)
    for r in rows(store, f"SELECT ?e ?c WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}"):
        types[r["e"].value][r["c"].value.rsplit("#", 1)[-1]] += 1
    articles: dict[str, set[str]] = defaultdict(set)
    for r in rows(store, "SELECT ?e ?id WHERE { ?a kg:mentions ?e ; kg:articleId ?id }"):
        articles[r["e"].value].add(r["id"].value)
    for e in sorted(articles):
        kinds = types.get(e)
        yield {"id": e, "type": kinds.most_common(1)[0][0] if kinds else None,
               "labels": _plain(labels.get(e, {})), "articles": sorted(articles[e])}


def write_entities(store: Store, out: IO[bytes]) -> None:
    for rec in entity_records(store):
        out.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))


def _best_date(dates: list[tuple[str, str]]) -> str | None:
    """The most often given date, the most precise first on a tie."""
    if not dates:
        return None
    counts = Counter(v for v, _ in dates)
    return max(counts, key=lambda v: (counts[v], len(v), v))


def event_records(store: Store) -> Iterator[dict]:
    labels = node_labels(store)
    types = " ".join(f"kg:{t}" for t in EVENT_TYPES)
    events: dict[str, dict] = {}
    for r in rows(store, f"SELECT ?ev ?t WHERE {{ VALUES ?t {{ {types} }} ?ev a ?t }}"):
        events[r["ev"].value] = {"id": r["ev"].value, "type": r["t"].value.rsplit("#", 1)[-1],
                                 "dates": [], "arguments": [], "claims": {}}
    for r in rows(store, "SELECT ?ev ?d ?p WHERE { ?ev kg:date ?d . OPTIONAL { ?ev kg:datePrecision ?p } }"):
        if r["ev"].value in events:
            events[r["ev"].value]["dates"].append((r["d"].value, r.get("p").value if r.get("p") else ""))
    roles = " ".join(f"kg:{x}" for x in ROLES)
    for r in rows(store, f"SELECT DISTINCT ?ev ?role ?x WHERE {{ VALUES ?role {{ {roles} }} ?ev ?role ?x }}"):
        ev = events.get(r["ev"].value)
        if ev is not None:
            ev["arguments"].append({"role": r["role"].value.rsplit("#", 1)[-1], "entity": r["x"].value,
                                    "labels": _plain(labels.get(r["x"].value, {}))})
    q = """SELECT ?c ?ev ?id ?evidence ?start ?end WHERE {
             ?c kg:asserts ?ev ; prov:wasDerivedFrom ?a ; kg:evidence ?evidence ; kg:start ?start ; kg:end ?end .
             ?a kg:articleId ?id }"""
    claims: dict[str, dict] = {}
    for r in rows(store, q):
        ev = events.get(r["ev"].value)
        if ev is None:
            continue
        claim = {"article": r["id"].value, "reported_by": [], "according_to": [],
                 "evidence": r["evidence"].value, "start": int(r["start"].value), "end": int(r["end"].value)}
        ev["claims"][r["c"].value] = claim
        claims[r["c"].value] = claim
    for prop, field in (("reportedBy", "reported_by"), ("accordingTo", "according_to")):
        for r in rows(store, f"SELECT ?c ?x WHERE {{ ?c kg:{prop} ?x }}"):
            claim = claims.get(r["c"].value)
            if claim is not None:
                claim[field].append({"entity": r["x"].value, "labels": _plain(labels.get(r["x"].value, {}))})
    _add_fusion(store, events, claims)
    for key in sorted(events):
        ev = events[key]
        cl = sorted(ev["claims"].values(), key=lambda c: (c["article"], c["start"]))
        for c in cl:
            c["reported_by"].sort(key=lambda x: x["entity"])
            c["according_to"].sort(key=lambda x: x["entity"])
        yield {"id": ev["id"], "type": ev["type"], "date": _best_date(ev["dates"]),
               "dates": sorted({v for v, _ in ev["dates"]}),
               "arguments": sorted(ev["arguments"], key=lambda a: (a["role"], a["entity"])),
               "articles": sorted({c["article"] for c in cl}), "claims": cl,
               "corroboration": ev["corroboration"] or len({c["article"] for c in cl}),
               "outlet_count": ev["outlet_count"] or len({c["article"] for c in cl}),
               "contradictions": sorted(ev["contradictions"], key=lambda x: x["property"])}


def _add_fusion(store: Store, events: dict[str, dict], claims: dict[str, dict]) -> None:
    """Corroboration, contradictions (fusion graph) and each claim's own date (its article graph)."""
    for ev in events.values():
        ev.update(corroboration=0, outlet_count=0, contradictions=[])
    for r in rows(store, "SELECT ?ev ?n ?o WHERE { ?ev kg:corroboration ?n ; kg:outletCount ?o }"):
        ev = events.get(r["ev"].value)
        if ev is not None:
            ev["corroboration"], ev["outlet_count"] = int(r["n"].value), int(r["o"].value)
    found: dict[str, dict] = {}
    for r in rows(store, "SELECT ?x ?ev ?p ?c WHERE { ?x a kg:Contradiction ; kg:about ?ev ; kg:property ?p ; "
                         "kg:conflictingClaim ?c }"):
        ev = events.get(r["ev"].value)
        if ev is None:
            continue
        if r["x"].value not in found:
            found[r["x"].value] = {"property": r["p"].value.rsplit("#", 1)[-1], "claims": []}
            ev["contradictions"].append(found[r["x"].value])
        claim = claims.get(r["c"].value)
        if claim is not None:
            found[r["x"].value]["claims"].append({"article": claim["article"], "date": claim.get("date")})
    for x in found.values():
        x["claims"].sort(key=lambda c: c["article"])
    for r in rows(store, "SELECT ?c ?d WHERE { GRAPH ?g { ?c kg:asserts ?ev . ?ev kg:date ?d } }"):
        claim = claims.get(r["c"].value)
        if claim is not None:
            claim["date"] = r["d"].value


def write_events(store: Store, out: IO[bytes]) -> None:
    for rec in event_records(store):
        out.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
