"""The page: projection + positions → JSON for the browser → one self-contained HTML file.

Node ids are short (`n12`), so IRIs stay out of the page. The JSON goes into a
`<script type="application/json">` block with `<`, `>`, `&` escaped, and `view.js` puts
every string on screen with `textContent`: article text cannot become markup.
"""
from __future__ import annotations

import json
import re
from html import escape
from importlib import resources
from typing import Hashable

from ..export.jsonl import COARSE, EVENT_TYPES, ROLES
from .project import Projection, ViewOptions, left_out
from .source import Claim, Labels, ViewSource
from .style import LEFT_OUT, RANK_WORDS, STYLE, UI, term_label

SHORT = 24  # characters of a name drawn on a node; the full name is in the tooltip and panel
VIS = ("pyvis", "lib/vis-9.1.2")
_SLOT = re.compile(r"/\*(?:VIS_CSS|VIEW_CSS|VIS_JS|VIEW_JS|DATA)\*/")


def pick(labels: Labels, lang: str) -> str:
    for tag in (lang, "en", "ar", "und", *sorted(labels)):
        if labels.get(tag):
            return labels[tag][0]
    return "?"


def shorten(text: str, n: int = SHORT) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _names(labels: Labels, limit: int = 6) -> dict[str, list[str]]:
    """A few names per language for the panel (gazetteer entries can carry dozens)."""
    return {lang: names[:limit] for lang, names in sorted(labels.items())}


class _Builder:
    """Collects the page's nodes, edges, claims and articles with short, stable ids."""

    def __init__(self, src: ViewSource, lang: str) -> None:
        self.src, self.lang = src, lang
        self.ids: dict[str, str] = {}
        self.claims: list[dict] = []
        self.claim_index: dict[int, int] = {}
        self.articles: dict[str, int] = {}
        self.article_list: list[dict] = []

    def sid(self, iri: str) -> str:
        return self.ids.setdefault(iri, f"n{len(self.ids)}")

    def name(self, iri: str) -> str:
        return pick(self.src.labels.get(iri, {}), self.lang)

    def article(self, art_id: str) -> int:
        if art_id not in self.articles:
            a = self.src.articles.get(art_id)
            self.articles[art_id] = len(self.article_list)
            self.article_list.append({
                "id": art_id, "title": a.title if a else "", "outlet": self.name(a.outlet) if a and a.outlet else "",
                "published": a.published if a else "", "url": a.url if a else "", "lang": a.lang if a else ""})
        return self.articles[art_id]

    def claim(self, c: Claim) -> int:
        key = id(c)
        if key not in self.claim_index:
            self.claim_index[key] = len(self.claims)
            self.claims.append({
                "article": self.article(c.article), "text": c.evidence, "trigger": c.trigger,
                "marks": [[s, e, self.sid(x) if x else ""] for s, e, x in c.marks],
                "reported_by": [self.name(x) for x in c.reported_by],
                "according_to": [self.name(x) for x in c.according_to]})
        return self.claim_index[key]


def _event_node(b: _Builder, iri: str, seeds: set[str]) -> dict:
    ev = b.src.events[iri]
    return {"id": b.sid(iri), "kind": "event", "type": ev.type, "date": ev.date, "dates": sorted(set(ev.dates)),
            "label": term_label(ev.type, b.lang) + (f"\n{ev.date}" if ev.date else ""),
            "corroboration": ev.corroboration, "claims": [b.claim(c) for c in ev.claims], "seed": iri in seeds}


def _entity_node(b: _Builder, iri: str, seeds: set[str]) -> dict:
    ent = b.src.entities[iri]
    full = pick(ent.labels, b.lang)
    return {"id": b.sid(iri), "kind": "entity", "type": ent.type, "label": shorten(full), "name": full,
            "names": _names(ent.labels), "seed": iri in seeds}


def _edges(b: _Builder, proj: Projection) -> list[dict]:
    """One edge per event–entity pair; its claims are those of the articles stating a role."""
    by_pair = {}
    for r in b.src.roles:
        by_pair.setdefault((r.event, r.entity), set()).update(r.articles)
    out = []
    for u, v, d in proj.graph.edges(data=True):
        ev, ent = (u, v) if u in b.src.events else (v, u)
        arts = by_pair.get((ev, ent), set())
        claims = [c for c in b.src.events[ev].claims if c.article in arts] or b.src.events[ev].claims
        out.append({"from": b.sid(ev), "to": b.sid(ent), "roles": sorted(d["roles"], key=ROLES.index),
                    "claims": [b.claim(c) for c in claims]})
    return sorted(out, key=lambda e: (int(e["from"][1:]), int(e["to"][1:])))


def notice(proj: Projection, src: ViewSource, opts: ViewOptions, lang: str) -> str:
    """What the focus left out, in `lang`; empty when nothing was cut."""
    if not proj.cut:
        return ""
    b = _Builder(src, lang)
    counts = left_out(proj, src)
    detail = ", ".join(f"{n} {term_label(t, lang, capital=False)}" for t, n in
                       sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    examples = ", ".join(b.name(x) if x in src.entities else
                         f"{term_label(src.events[x].type, lang)} {src.events[x].date}".strip()
                         for x in proj.dropped[:5])
    return LEFT_OUT[lang].format(
        focus=" / ".join(b.name(x) for x in proj.seeds[:5]), hops=opts.hops, kept=len(proj.graph),
        total=proj.within, dropped=len(proj.dropped), rank=RANK_WORDS[lang][opts.rank], detail=detail,
        examples=examples)


def page_data(src: ViewSource, proj: Projection, pos: dict[Hashable, tuple[float, float]],
              opts: ViewOptions) -> dict:
    """Everything view.js needs, as plain JSON-able data."""
    lang = opts.lang
    b = _Builder(src, lang)
    seeds = set(proj.seeds)
    order = sorted(proj.graph, key=lambda x: (x not in src.events, x))  # events first: stable short ids
    nodes = []
    for iri in order:
        node = _event_node(b, iri, seeds) if iri in src.events else _entity_node(b, iri, seeds)
        node["x"], node["y"] = pos[iri]
        nodes.append(node)
    types = {t: {"label": term_label(t, lang), "color": STYLE[t][0], "shape": STYLE[t][1],
                 "kind": "event" if t in EVENT_TYPES else "entity"} for t in (*EVENT_TYPES, *COARSE)}
    return {"lang": lang, "ui": UI[lang], "types": types,
            "roles": {r: term_label(r, lang, capital=False) for r in ROLES},
            "nodes": nodes, "edges": _edges(b, proj), "claims": b.claims, "articles": b.article_list,
            "notice": notice(proj, src, opts, lang), "total": proj.total}


def safe_json(data: dict) -> str:
    """JSON that cannot end its <script> block or open markup: <, >, & and line separators escaped."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("&", "\\u0026")
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029"))


def _asset(package: str, name: str) -> str:
    return (resources.files(package) / name).read_text(encoding="utf-8")


def render(data: dict, title: str | None = None) -> str:
    """The whole page: template + vis-network (inlined from pyvis) + our script + the data."""
    vis_pkg, vis_dir = VIS
    vis_js = _asset(vis_pkg, f"{vis_dir}/vis-network.min.js")
    parts = {
        "/*VIS_CSS*/": _asset(vis_pkg, f"{vis_dir}/vis-network.css"),
        "/*VIEW_CSS*/": _asset("kg.viz", "view.css"),
        # Neither script may close its own <script> element early.
        "/*VIS_JS*/": vis_js.replace("</script", "<\\/script"),
        "/*VIEW_JS*/": _asset("kg.viz", "view.js").replace("</script", "<\\/script"),
        "/*DATA*/": safe_json(data),
    }
    page = _asset("kg.viz", "template.html")
    page = (page.replace("{{TITLE}}", escape(title or data["ui"]["title"]))
            .replace("{{LANG}}", data["lang"]).replace("{{DIR}}", "rtl" if data["lang"] == "ar" else "ltr"))
    # One pass, so nothing inside an inserted library or the data is ever taken for a slot.
    return _SLOT.sub(lambda m: parts[m.group(0)], page)
