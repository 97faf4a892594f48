"""Documents -> RDF quads: one named graph per article, shared entity and event nodes.

The article's graph holds what that article says: its Article node, claims with
evidence and offsets, mentions, the roles and dates of the events it reports, and
the surface forms it uses. Gazetteer reference data (preferred labels, aliases)
goes to one gazetteer graph. See `ontology/README.md` for the design.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from . import iri
from .models import Document, Event, Mention, SourceRef
from .resolve import EventLink, match_key, resolve
from .resources import gazetteer
from .text.normalize import fold
from .vocab import KG


class _Terms:
    """The terms of an rdflib namespace as pyoxigraph nodes, each made once: looking a name up
    on an rdflib namespace costs a microsecond or two, and an article's quads need hundreds (#8)."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        node = NamedNode(str(getattr(self._namespace, name)))  # unknown names fail here, as in rdflib
        setattr(self, name, node)
        return node


KG_, RDF_, RDFS_, SKOS_, PROV_, DCTERMS_, SDO_, XSD_ = map(_Terms, (KG, RDF, RDFS, SKOS, PROV, DCTERMS, SDO, XSD))


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=XSD_.integer)


def _date_literal(value: str) -> Literal:
    dtype = {10: XSD_.date, 7: XSD_.gYearMonth, 4: XSD_.gYear}[len(value)]
    return Literal(value, datatype=dtype)


def _classes(type_: str, cls: str | None) -> list[NamedNode]:
    out = [KG_.Entity, getattr(KG_, type_)]
    if cls and cls != type_:
        out.append(getattr(KG_, cls))
    return out


def _entity_quads(ms: list[Mention], lang: str, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    """Once per entity of the article: its classes, every surface form as a label, the link
    from the article; keys for entities found in text only.

    A gazetteer entity's classes are stated once, in the gazetteer graph (`gazetteer_quads`),
    not again in every article that names it — they were a quarter of an article's quads
    (#8); an article states them only when it classes the entity otherwise."""
    m = ms[0]
    e = iri.entity(m.key)
    classes = _classes(m.type, m.cls)
    if not (m.gazetteer and classes == _gazetteer_classes(m.key)):
        for c in classes:
            yield Quad(e, RDF_.type, c, g)
    for text in dict.fromkeys(x.text for x in ms if not x.anaphor):  # "the group" is not a name of it
        yield Quad(e, RDFS_.label, Literal(text, language=lang), g)
    if not m.gazetteer:
        yield Quad(e, KG_.canonicalKey, Literal(m.key), g)
        mk = match_key(m)
        if mk:
            yield Quad(e, KG_.matchKey, Literal(mk), g)
    yield Quad(art, KG_.mentions, e, g)


def _gazetteer_classes(key: str) -> list[NamedNode] | None:
    entry = gazetteer().entries.get(key)
    return _classes(entry.type, entry.cls) if entry is not None else None


def _mention_quads(m: Mention, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    """Where in the text an event's participant or source is named (offsets into the article)."""
    node = iri.mint("mention", iri.digest(art.value, m.start, m.end))
    yield Quad(node, RDF_.type, KG_.Mention, g)
    yield Quad(node, KG_.refersTo, iri.entity(m.key), g)
    yield Quad(node, KG_.inArticle, art, g)
    yield Quad(node, KG_.start, _int(m.start), g)
    yield Quad(node, KG_.end, _int(m.end), g)
    yield Quad(node, KG_.surface, Literal(m.text), g)


def _source_node(s: SourceRef) -> NamedNode:
    if s.mention is not None:
        return iri.entity(s.mention.key)
    return iri.mint("source", iri.digest(s.lang, fold(s.text)))


def _event_quads(doc: Document, ev: Event, link: EventLink, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    e = link.node
    yield Quad(e, RDF_.type, KG_.Event, g)
    for k in link.merged_on:  # in this article's graph: this report joined the event on these keys
        yield Quad(e, KG_.mergedOn, Literal(k), g)
    yield Quad(e, RDF_.type, getattr(KG_, ev.type), g)
    for a in ev.arguments:
        yield Quad(e, getattr(KG_, a.role), iri.entity(a.mention.key), g)
    if ev.date:
        yield Quad(e, KG_.date, _date_literal(ev.date.value), g)
        yield Quad(e, KG_.datePrecision, Literal(ev.date.precision), g)
        yield Quad(e, KG_.dateText, Literal(ev.date.text), g)
    elif ev.weekday:
        yield Quad(e, KG_.dayOfWeek, _int(ev.weekday), g)
    c = iri.mint("claim", iri.digest(doc.article.id, e.value))
    yield Quad(c, RDF_.type, KG_.Claim, g)
    yield Quad(c, KG_.asserts, e, g)
    yield Quad(c, PROV_.wasDerivedFrom, art, g)
    yield Quad(c, KG_.evidence, Literal(ev.sentence.text), g)
    yield Quad(c, KG_.start, _int(ev.sentence.start), g)
    yield Quad(c, KG_.end, _int(ev.sentence.end), g)
    yield Quad(c, KG_.trigger, Literal(ev.trigger.text), g)
    for m in ev.reported_by:
        yield Quad(c, KG_.reportedBy, iri.entity(m.key), g)
    for s in ev.according_to:
        node = _source_node(s)
        yield Quad(c, KG_.accordingTo, node, g)
        if s.mention is None:
            yield Quad(node, RDF_.type, KG_.Source, g)
            yield Quad(node, RDFS_.label, Literal(s.text, language=s.lang), g)
            yield Quad(node, KG_.sourceKind, Literal("anonymous"), g)


def _article_quads(doc: Document, g: NamedNode, art: NamedNode) -> Iterator[Quad]:
    a = doc.article
    yield Quad(art, RDF_.type, KG_.Article, g)
    yield Quad(art, KG_.articleId, Literal(a.id), g)
    yield Quad(art, DCTERMS_.language, Literal(a.lang), g)
    yield Quad(art, KG_.text, Literal(a.text), g)
    yield Quad(art, KG_.sourceFile, Literal(a.source), g)
    if a.title:
        yield Quad(art, DCTERMS_.title, Literal(a.title), g)
    if a.url:
        yield Quad(art, SDO_.url, Literal(a.url, datatype=XSD_.anyURI), g)
    if a.published:
        yield Quad(art, KG_.published, Literal(a.published.isoformat(), datatype=XSD_.date), g)
    if doc.outlet_key and a.outlet:
        o = iri.entity(doc.outlet_key)
        yield Quad(art, KG_.outlet, o, g)
        for c in _classes("Organization", doc.outlet_cls):
            yield Quad(o, RDF_.type, c, g)
        yield Quad(o, RDFS_.label, Literal(a.outlet, language=a.lang), g)


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
        quads.append(Quad(art, KG_.contentHash, Literal(content_hash), g))
    for ms in _by_key(doc).values():
        quads.extend(_entity_quads(ms, doc.article.lang, g, art))
    # Mention nodes for the names events rest on; a long article names far more than that.
    used = {(m.start, m.end): m for ev in doc.events for m in _event_mentions(ev) if not m.adjective}
    for m in used.values():
        quads.extend(_mention_quads(m, g, art))
    for ev, link in zip(doc.events, links):
        quads.extend(_event_quads(doc, ev, link, g, art))
    return quads


def _by_key(doc: Document) -> dict[str, list[Mention]]:
    """The article's names grouped by entity (nationality adjectives left out)."""
    by_key: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        if not m.adjective:
            by_key.setdefault(m.key, []).append(m)
    return by_key


def person_match_keys(doc: Document) -> list[tuple[str, str]]:
    """(kg:matchKey, kg:canonicalKey) of the people `document_quads` gives a match key."""
    return [(mk, key) for key, ms in _by_key(doc).items()
            if not ms[0].gazetteer and (mk := match_key(ms[0])) is not None]


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
        out.extend(Quad(node, RDF_.type, c, g) for c in _classes(e.type, e.cls))
        out.append(Quad(node, KG_.canonicalKey, Literal(key), g))
        out.append(Quad(node, KG_.fromGazetteer, Literal("true", datatype=XSD_.boolean), g))
        for lang, names in e.names.items():
            out.append(Quad(node, SKOS_.prefLabel, Literal(names[0], language=lang), g))
            out.extend(Quad(node, SKOS_.altLabel, Literal(n, language=lang), g) for n in names[1:])
        if e.capital_of:
            out.append(Quad(node, KG_.capitalOf, iri.entity(e.capital_of), g))
        if e.country:
            out.append(Quad(node, KG_.country, iri.entity(e.country), g))
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
