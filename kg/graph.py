"""Documents -> RDF quads: one named graph per article, shared entity and event nodes.

The article's graph holds what that article says: its Article node, claims with
evidence and offsets, mentions, the roles and dates of the events it reports, and
the surface forms it uses. Gazetteer reference data (preferred labels, aliases)
goes to one gazetteer graph. See `ontology/README.md` for the design.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from . import iri
from .models import Document, Event, Mention, SourceRef
from .resolve import EventLink, match_key, resolve
from .resources import gazetteer
from .text.normalize import fold
from .vocab import KG


@lru_cache(maxsize=None)
def N(term: str) -> NamedNode:
    """An rdflib term (from kg.vocab or rdflib's namespaces) as a pyoxigraph node."""
    return NamedNode(str(term))


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=N(XSD.integer))


def _date_literal(value: str) -> Literal:
    dtype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=N(dtype))


def _classes(type_: str, cls: str | None) -> list[NamedNode]:
    out = [N(KG.Entity), N(getattr(KG, type_))]
    if cls and cls != type_:
        out.append(N(getattr(KG, cls)))
    return out


def _entity_quads(ms: list[Mention], lang: str, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    """Once per entity of the article: its classes, every surface form as a label, the link
    from the article; keys for entities found in text only."""
    m = ms[0]
    e = iri.entity(m.key)
    for c in _classes(m.type, m.cls):
        yield Quad(e, N(RDF.type), c, g)
    for text in dict.fromkeys(x.text for x in ms if not x.anaphor):  # "the group" is not a name of it
        yield Quad(e, N(RDFS.label), Literal(text, language=lang), g)
    if not m.gazetteer:
        yield Quad(e, N(KG.canonicalKey), Literal(m.key), g)
        mk = match_key(m)
        if mk:
            yield Quad(e, N(KG.matchKey), Literal(mk), g)
    yield Quad(art, N(KG.mentions), e, g)


def _mention_quads(m: Mention, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    """Where in the text an event's participant or source is named (offsets into the article)."""
    node = iri.mint("mention", iri.digest(art.value, m.start, m.end))
    yield Quad(node, N(RDF.type), N(KG.Mention), g)
    yield Quad(node, N(KG.refersTo), iri.entity(m.key), g)
    yield Quad(node, N(KG.inArticle), art, g)
    yield Quad(node, N(KG.start), _int(m.start), g)
    yield Quad(node, N(KG.end), _int(m.end), g)
    yield Quad(node, N(KG.surface), Literal(m.text), g)


def _source_node(s: SourceRef) -> NamedNode:
    if s.mention is not None:
        return iri.entity(s.mention.key)
    return iri.mint("source", iri.digest(s.lang, fold(s.text)))


def _event_quads(doc: Document, ev: Event, link: EventLink, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    e = link.node
    yield Quad(e, N(RDF.type), N(KG.Event), g)
    for k in link.merged_on:  # in this article's graph: this report joined the event on these keys
        yield Quad(e, N(KG.mergedOn), Literal(k), g)
    yield Quad(e, N(RDF.type), N(getattr(KG, ev.type)), g)
    for a in ev.arguments:
        yield Quad(e, N(getattr(KG, a.role)), iri.entity(a.mention.key), g)
    if ev.date:
        yield Quad(e, N(KG.date), _date_literal(ev.date.value), g)
        yield Quad(e, N(KG.datePrecision), Literal(ev.date.precision), g)
        yield Quad(e, N(KG.dateText), Literal(ev.date.text), g)
    c = iri.mint("claim", iri.digest(doc.article.id, e.value))
    yield Quad(c, N(RDF.type), N(KG.Claim), g)
    yield Quad(c, N(KG.asserts), e, g)
    yield Quad(c, N(PROV.wasDerivedFrom), art, g)
    yield Quad(c, N(KG.evidence), Literal(ev.sentence.text), g)
    yield Quad(c, N(KG.start), _int(ev.sentence.start), g)
    yield Quad(c, N(KG.end), _int(ev.sentence.end), g)
    yield Quad(c, N(KG.trigger), Literal(ev.trigger.text), g)
    for m in ev.reported_by:
        yield Quad(c, N(KG.reportedBy), iri.entity(m.key), g)
    for s in ev.according_to:
        node = _source_node(s)
        yield Quad(c, N(KG.accordingTo), node, g)
        if s.mention is None:
            yield Quad(node, N(RDF.type), N(KG.Source), g)
            yield Quad(node, N(RDFS.label), Literal(s.text, language=s.lang), g)
            yield Quad(node, N(KG.sourceKind), Literal("anonymous"), g)


def _article_quads(doc: Document, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    a = doc.article
    yield Quad(art, N(RDF.type), N(KG.Article), g)
    yield Quad(art, N(KG.articleId), Literal(a.id), g)
    yield Quad(art, N(DCTERMS.language), Literal(a.lang), g)
    yield Quad(art, N(KG.text), Literal(a.text), g)
    yield Quad(art, N(KG.sourceFile), Literal(a.source), g)
    if a.title:
        yield Quad(art, N(DCTERMS.title), Literal(a.title), g)
    if a.url:
        yield Quad(art, N(SDO.url), Literal(a.url, datatype=N(XSD.anyURI)), g)
    if a.published:
        yield Quad(art, N(KG.published), Literal(a.published.isoformat(), datatype=N(XSD.date)), g)
    if doc.outlet_key and a.outlet:
        o = iri.entity(doc.outlet_key)
        yield Quad(art, N(KG.outlet), o, g)
        for c in _classes("Organization", doc.outlet_cls):
            yield Quad(o, N(RDF.type), c, g)
        yield Quad(o, N(RDFS.label), Literal(a.outlet, language=a.lang), g)


def document_quads(doc: Document, links: Sequence[EventLink] | None = None,
                   content_hash: str | None = None) -> list[Quad]:
    """All quads of one article's named graph; `links` place its events (kg.resolve),
    by default each event is new."""
    if links is None:
        links = resolve(doc, None).events
    g = iri.article_graph(doc.article.id)
    art = iri.article(doc.article.id)
    quads = list(_article_quads(doc, g, art))
    if content_hash:
        quads.append(Quad(art, N(KG.contentHash), Literal(content_hash), g))
    by_key: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        if not m.adjective:
            by_key.setdefault(m.key, []).append(m)
    for ms in by_key.values():
        quads.extend(_entity_quads(ms, doc.article.lang, g, art))
    # Mention nodes for the names events rest on; a long article names far more than that.
    used = {(m.start, m.end): m for ev in doc.events for m in _event_mentions(ev) if not m.adjective}
    for m in used.values():
        quads.extend(_mention_quads(m, g, art))
    for ev, link in zip(doc.events, links):
        quads.extend(_event_quads(doc, ev, link, g, art))
    return quads


def gazetteer_quads(keys: set[str]) -> list[Quad]:
    """Reference data of the gazetteer entities an ingest touched (idempotent)."""
    g = iri.GAZETTEER_GRAPH
    gaz = gazetteer()
    out: list[Quad] = []
    for key in sorted(keys):
        e = gaz.entries.get(key)
        if e is None:
            continue
        node = iri.entity(key)
        out.extend(Quad(node, N(RDF.type), c, g) for c in _classes(e.type, e.cls))
        out.append(Quad(node, N(KG.canonicalKey), Literal(key), g))
        out.append(Quad(node, N(KG.fromGazetteer), Literal("true", datatype=N(XSD.boolean)), g))
        for lang, names in e.names.items():
            out.append(Quad(node, N(SKOS.prefLabel), Literal(names[0], language=lang), g))
            out.extend(Quad(node, N(SKOS.altLabel), Literal(n, language=lang), g) for n in names[1:])
        if e.capital_of:
            out.append(Quad(node, N(KG.capitalOf), iri.entity(e.capital_of), g))
        if e.country:
            out.append(Quad(node, N(KG.country), iri.entity(e.country), g))
    return out


def _event_mentions(ev: Event) -> Iterator[Mention]:
    yield from (a.mention for a in ev.arguments)
    yield from ev.reported_by
    yield from (x.mention for x in ev.according_to if x.mention is not None)


def referenced_keys(doc: Document) -> set[str]:
    keys = {m.key for m in doc.mentions if m.gazetteer}
    if doc.outlet_key:
        keys.add(doc.outlet_key)
    return keys
