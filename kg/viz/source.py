"""What the view needs from the store, read by SPARQL into plain records.

Everything the page shows comes from here: events with their dates, corroboration and
claims; the entities in their roles (with the articles that state each role); the
articles' title, outlet, date and link; and every name in every language. Nothing here
knows about layout or HTML.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..export.jsonl import COARSE, EVENT_TYPES, ROLES, node_labels, rows
from ..store import Store

Labels = dict[str, list[str]]  # language tag -> names, preferred first


@dataclass
class Claim:
    """One article's claim that an event happened, with what to highlight in its sentence."""

    article: str
    evidence: str
    start: int
    end: int
    trigger: str = ""
    reported_by: list[str] = field(default_factory=list)  # node IRIs
    according_to: list[str] = field(default_factory=list)
    marks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, entity IRI or "") in evidence


@dataclass
class Event:
    iri: str
    type: str
    dates: list[str] = field(default_factory=list)
    corroboration: int = 0  # distinct articles; 0 until read or counted
    claims: list[Claim] = field(default_factory=list)

    @property
    def date(self) -> str:
        """The most often given date, the most precise first on a tie ("" if none)."""
        if not self.dates:
            return ""
        counts = Counter(self.dates)
        return max(counts, key=lambda d: (counts[d], len(d), d))


@dataclass
class Entity:
    iri: str
    type: str
    labels: Labels = field(default_factory=dict)


@dataclass
class Role:
    """`event --role--> entity`, and the articles whose graphs state it."""

    event: str
    role: str
    entity: str
    articles: set[str] = field(default_factory=set)


@dataclass
class ArticleInfo:
    id: str
    title: str = ""
    outlet: str = ""  # outlet node IRI
    published: str = ""
    url: str = ""
    lang: str = ""


@dataclass
class ViewSource:
    events: dict[str, Event]
    entities: dict[str, Entity]
    roles: list[Role]
    articles: dict[str, ArticleInfo]
    labels: dict[str, Labels]  # names of every node, also outlets and quoted sources


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _events(store: Store) -> dict[str, Event]:
    types = " ".join(f"kg:{t}" for t in EVENT_TYPES)
    events: dict[str, Event] = {}
    q = (f"SELECT ?ev ?t ?n WHERE {{ VALUES ?t {{ {types} }} ?ev a ?t "
         "OPTIONAL { ?ev kg:corroboration ?n } }")
    for r in rows(store, q):
        ev = events.setdefault(r["ev"].value, Event(r["ev"].value, _local(r["t"].value)))
        if r.get("n"):
            ev.corroboration = max(ev.corroboration, int(r["n"].value))
    # One kg:date per article that gives one, so the same value may come from several graphs.
    for r in rows(store, "SELECT ?ev ?g ?d WHERE { GRAPH ?g { ?ev kg:date ?d } }"):
        ev = events.get(r["ev"].value)
        if ev is not None:
            ev.dates.append(r["d"].value)
    return events


def _claims(store: Store, events: dict[str, Event]) -> None:
    q = """SELECT ?c ?ev ?id ?evidence ?start ?end ?trigger WHERE {
             ?c kg:asserts ?ev ; prov:wasDerivedFrom ?a ; kg:evidence ?evidence ; kg:start ?start ; kg:end ?end .
             ?a kg:articleId ?id OPTIONAL { ?c kg:trigger ?trigger } } ORDER BY ?id ?start ?c"""
    claims: dict[str, Claim] = {}
    for r in rows(store, q):
        ev = events.get(r["ev"].value)
        if ev is None or r["c"].value in claims:
            continue
        claim = Claim(r["id"].value, r["evidence"].value, int(r["start"].value), int(r["end"].value),
                      r["trigger"].value if r.get("trigger") else "")
        claims[r["c"].value] = claim
        ev.claims.append(claim)
    for prop, attr in (("reportedBy", "reported_by"), ("accordingTo", "according_to")):
        for r in rows(store, f"SELECT ?c ?x WHERE {{ ?c kg:{prop} ?x }} ORDER BY ?x"):
            claim = claims.get(r["c"].value)
            if claim is not None and r["x"].value not in getattr(claim, attr):
                getattr(claim, attr).append(r["x"].value)
    for ev in events.values():
        if not ev.corroboration:  # no kg:corroboration in the store (yet): count the articles
            ev.corroboration = len({c.article for c in ev.claims}) or 1


def _roles(store: Store, events: dict[str, Event]) -> list[Role]:
    roles = " ".join(f"kg:{r}" for r in ROLES)
    q = (f"SELECT ?ev ?role ?x ?id WHERE {{ VALUES ?role {{ {roles} }} "
         "GRAPH ?g { ?ev ?role ?x OPTIONAL { ?a kg:articleId ?id } } }")
    out: dict[tuple[str, str, str], Role] = {}
    for r in rows(store, q):
        if r["ev"].value not in events:
            continue
        key = (r["ev"].value, _local(r["role"].value), r["x"].value)
        role = out.setdefault(key, Role(*key))
        if r.get("id"):
            role.articles.add(r["id"].value)
    return [out[k] for k in sorted(out)]


def _entities(store: Store, iris: set[str], labels: dict[str, Labels]) -> dict[str, Entity]:
    """Entities with their coarse type: the one most articles give (types are stated per article)."""
    classes = " ".join(f"kg:{c}" for c in COARSE)
    votes: dict[str, Counter] = defaultdict(Counter)
    for r in rows(store, f"SELECT ?x ?t ?g WHERE {{ VALUES ?t {{ {classes} }} GRAPH ?g {{ ?x a ?t }} }}"):
        if r["x"].value in iris:
            votes[r["x"].value][_local(r["t"].value)] += 1
    return {x: Entity(x, max(v, key=lambda t: (v[t], -COARSE.index(t))), labels.get(x, {}))
            for x, v in sorted(votes.items())}


def _articles(store: Store) -> dict[str, ArticleInfo]:
    from rdflib.namespace import SDO
    q = f"""PREFIX schema: <{SDO}>
            SELECT ?id ?title ?o ?pub ?url ?lang WHERE {{ ?a a kg:Article ; kg:articleId ?id .
              OPTIONAL {{ ?a dcterms:title ?title }} OPTIONAL {{ ?a kg:outlet ?o }}
              OPTIONAL {{ ?a kg:published ?pub }} OPTIONAL {{ ?a schema:url ?url }}
              OPTIONAL {{ ?a dcterms:language ?lang }} }}"""
    out: dict[str, ArticleInfo] = {}
    for r in rows(store, q):
        out.setdefault(r["id"].value, ArticleInfo(
            r["id"].value, *(r[k].value if r.get(k) else "" for k in ("title", "o", "pub", "url", "lang"))))
    return out


def _mark(store: Store, events: dict[str, Event], roles: list[Role]) -> None:
    """Offsets, inside each evidence sentence, of its trigger and of the event's arguments."""
    args: dict[str, set[str]] = defaultdict(set)
    for r in roles:
        args[r.event].add(r.entity)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    q = """SELECT ?x ?id ?s ?e WHERE { ?m a kg:Mention ; kg:refersTo ?x ; kg:inArticle ?a ;
             kg:start ?s ; kg:end ?e . ?a kg:articleId ?id }"""
    for r in rows(store, q):
        spans[(r["id"].value, r["x"].value)].append((int(r["s"].value), int(r["e"].value)))
    for ev in events.values():
        for c in ev.claims:
            at = c.evidence.find(c.trigger) if c.trigger else -1
            if at >= 0:  # claims keep the trigger's text, not its offsets: the first match in the sentence
                c.marks.append((at, at + len(c.trigger), ""))
            for x in sorted(args[ev.iri]):
                c.marks.extend((s - c.start, e - c.start, x) for s, e in sorted(spans[(c.article, x)])
                               if c.start <= s and e <= c.end)
            c.marks.sort()


def read_source(store: Store) -> ViewSource:
    """Everything the view shows, read from the store (the union of all named graphs)."""
    labels = node_labels(store)
    events = _events(store)
    _claims(store, events)
    roles = _roles(store, events)
    entities = _entities(store, {r.entity for r in roles}, labels)
    roles = [r for r in roles if r.entity in entities]  # an argument with no coarse type has no style
    _mark(store, events, roles)
    return ViewSource(events, entities, roles, _articles(store), labels)
