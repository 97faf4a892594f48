"""Write an offline HTML page of the graph: entities and events as nodes, roles as edges.

The vis-network library that pyvis ships is inlined, so the page needs no network.
All article text travels as JSON inside a `<script type="application/json">` block
with `<`, `>` and `&` escaped, and the page puts it on screen with `textContent`
only: an article containing `</script>` or `<img onerror=…>` shows as text.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..export.jsonl import COARSE, EVENT_TYPES, ROLES, node_labels, rows
from ..store import Store

STYLE = {  # type -> (color, vis shape)
    "Person": ("#e15759", "dot"), "Organization": ("#4e79a7", "box"), "GPE": ("#59a14f", "diamond"),
    "Location": ("#8cd17d", "triangle"), "Facility": ("#f28e2b", "square"), "Weapon": ("#b07aa1", "star"),
    "Meeting": ("#76b7b2", "ellipse"), "Agreement": ("#edc948", "ellipse"), "Proposal": ("#ff9da7", "ellipse"),
    "Attack": ("#d62728", "ellipse"), "Interception": ("#9c755f", "ellipse"),
}


def _pick(labels: dict[str, list[str]], lang: str) -> str:
    for tag in (lang, "en", "ar", "und"):
        if labels.get(tag):
            return labels[tag][0]
    return "?"


def graph_data(store: Store, lang: str = "en") -> dict:
    """Nodes, edges and evidence for the page, read from the store."""
    labels = node_labels(store)
    short: dict[str, str] = {}

    def sid(iri: str) -> str:  # short ids keep IRIs (and their http) out of the page
        return short.setdefault(iri, f"n{len(short)}")

    nodes, edges = [], []
    etypes = " ".join(f"kg:{t}" for t in EVENT_TYPES)
    events: dict[str, dict] = {}
    for r in rows(store, f"SELECT ?ev ?t (SAMPLE(?d) AS ?date) WHERE {{ VALUES ?t {{ {etypes} }} ?ev a ?t "
                          "OPTIONAL { ?ev kg:date ?d } } GROUP BY ?ev ?t"):
        t = r["t"].value.rsplit("#", 1)[-1]
        date = r["date"].value if r.get("date") else ""
        events[r["ev"].value] = {"id": sid(r["ev"].value), "type": t, "date": date, "claims": []}
    q = """SELECT ?ev ?id ?evidence ?start ?end ?title ?url WHERE { ?c kg:asserts ?ev ; prov:wasDerivedFrom ?a ;
           kg:evidence ?evidence ; kg:start ?start ; kg:end ?end . ?a kg:articleId ?id .
           OPTIONAL { ?a dcterms:title ?title } }"""
    for r in rows(store, q):
        ev = events.get(r["ev"].value)
        if ev:
            ev["claims"].append({"article": r["id"].value, "evidence": r["evidence"].value,
                                 "title": r["title"].value if r.get("title") else ""})
    for iri, ev in events.items():
        color, shape = STYLE[ev["type"]]
        label = ev["type"] + (f"\n{ev['date']}" if ev["date"] else "")
        nodes.append({"id": ev["id"], "label": label, "group": ev["type"], "kind": "event",
                      "color": color, "shape": shape, "size": 10 + 5 * len(ev["claims"]), "claims": ev["claims"]})
    types = " ".join(f"kg:{c}" for c in COARSE)
    roles = " ".join(f"kg:{r}" for r in ROLES)
    seen = set()
    for r in rows(store, f"SELECT DISTINCT ?ev ?role ?x ?t WHERE {{ VALUES ?role {{ {roles} }} "
                          f"VALUES ?t {{ {types} }} ?ev ?role ?x . ?x a ?t }}"):
        x = r["x"].value
        if r["ev"].value not in events:
            continue
        if x not in seen:
            seen.add(x)
            t = r["t"].value.rsplit("#", 1)[-1]
            color, shape = STYLE[t]
            names = labels.get(x, {})
            nodes.append({"id": sid(x), "label": _pick(names, lang), "group": t, "kind": "entity",
                          "color": color, "shape": shape, "names": names})
        edges.append({"from": events[r["ev"].value]["id"], "to": sid(x), "label": r["role"].value.rsplit("#", 1)[-1]})
    return {"nodes": nodes, "edges": _dedupe(edges), "lang": lang}


def _dedupe(edges: list[dict]) -> list[dict]:
    seen, out = set(), []
    for e in edges:
        k = (e["from"], e["to"], e["label"])
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def _safe_json(data: dict) -> str:
    return (json.dumps(data, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / name
    return lib.read_text(encoding="utf-8")


def render(data: dict, title: str = "kg graph") -> str:
    template = (resources.files("kg.viz") / "template.html").read_text(encoding="utf-8")
    from html import escape
    return (template.replace("/*VIS_CSS*/", _asset("vis-network.css"))
            .replace("/*VIS_JS*/", _asset("vis-network.min.js").replace("</script", "<\\/script"))
            .replace("{{TITLE}}", escape(title))
            .replace("{{DIR}}", "rtl" if data.get("lang") == "ar" else "ltr")
            .replace("/*DATA*/", _safe_json(data)))


def write_html(store: Store, path: Path, lang: str = "en") -> dict:
    data = graph_data(store, lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), encoding="utf-8")
    return {"nodes": len(data["nodes"]), "edges": len(data["edges"])}
