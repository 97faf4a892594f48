"""The ontology's terms as Python names.

`ontology/kg.ttl` is the source of truth; `tests/test_vocab.py` checks that every
name here is declared there and every class and property there is named here.
Code uses these names and never spells an IRI of its own.
"""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

NS = "https://w3id.org/kgnews/ns#"
ID_BASE = "https://w3id.org/kgnews/id/"


class KG(DefinedNamespace):
    """Terms of the kg ontology (`ontology/kg.ttl`)."""

    _NS = Namespace(NS)
    _fail = True

    # Classes: provenance
    Article: URIRef
    Claim: URIRef
    Source: URIRef
    Mention: URIRef
    Contradiction: URIRef

    # Classes: entities (coarse types, then refinements)
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    GPE: URIRef
    Location: URIRef
    Facility: URIRef
    Weapon: URIRef
    ArmedGroup: URIRef
    MilitaryOrganization: URIRef
    GovernmentBody: URIRef
    MediaOutlet: URIRef
    InternationalOrganization: URIRef
    Company: URIRef
    PoliticalParty: URIRef
    State: URIRef
    City: URIRef
    Province: URIRef
    Region: URIRef
    WaterBody: URIRef
    MilitaryBase: URIRef
    Airport: URIRef
    Port: URIRef
    Vessel: URIRef
    Site: URIRef

    # Classes: events
    Event: URIRef
    Meeting: URIRef
    Agreement: URIRef
    Proposal: URIRef
    Attack: URIRef
    Interception: URIRef

    # Event roles (event -> entity)
    participant: URIRef
    chair: URIRef
    agent: URIRef
    target: URIRef
    instrument: URIRef
    location: URIRef

    # Event time
    date: URIRef  # xsd:date, xsd:gYearMonth or xsd:gYear literal
    datePrecision: URIRef  # "day" | "month" | "year"
    dateText: URIRef  # the words the date was read from
    dayOfWeek: URIRef  # ISO weekday (1 = Monday) of an undated report from an unpublished article

    # Claims and provenance
    asserts: URIRef  # Claim -> Event
    reportedBy: URIRef  # Claim -> Entity (outlet or agency credited)
    accordingTo: URIRef  # Claim -> Source or Entity (who is quoted)
    evidence: URIRef  # Claim/Mention -> sentence text
    start: URIRef  # character offset into the article text
    end: URIRef
    trigger: URIRef  # Claim -> the trigger word as written
    mentions: URIRef  # Article -> Entity mentioned in it
    refersTo: URIRef  # Mention -> Entity
    inArticle: URIRef  # Mention -> Article
    surface: URIRef  # Mention -> text as written

    # Articles
    articleId: URIRef
    outlet: URIRef  # Article -> Entity (the publishing outlet)
    published: URIRef  # xsd:date
    text: URIRef  # full article text
    sourceFile: URIRef  # where the article was read from

    # Entities
    canonicalKey: URIRef
    matchKey: URIRef
    contentHash: URIRef
    fromGazetteer: URIRef  # boolean
    capitalOf: URIRef
    country: URIRef
    sourceKind: URIRef  # Source: "named" | "anonymous"

    # Cross-article fusion and contradictions (issue 4 deepens these)
    corroboration: URIRef  # Event -> number of distinct articles
    outletCount: URIRef  # Event -> number of independent outlets
    mergedOn: URIRef  # Event -> keys that matched when claims were merged
    about: URIRef  # Contradiction -> Event
    property: URIRef  # Contradiction -> the property the claims disagree on
    conflictingClaim: URIRef  # Contradiction -> Claim

    # The page index (kg.page_index): events in buckets by sort order, derived in the fusion graph
    IndexBucket: URIRef
    inBucket: URIRef  # Event -> IndexBucket
    bucketProperty: URIRef  # IndexBucket -> the property it indexes (kg:outlet, kg:corroboration, kg:date, kg:meetingCount)
    bucketKey: URIRef  # IndexBucket -> the outlet or event class
    bucketOrder: URIRef  # IndexBucket -> its sort value (a month, a number of articles)
    bucketSize: URIRef  # IndexBucket -> number of events in it
    bucketOffset: URIRef  # IndexBucket -> number of events in the buckets of its key before it
    PartyPair: URIRef  # two parties of the same meetings (who-met-whom's page)
    inPair: URIRef  # Meeting -> PartyPair
    pairMember: URIRef  # PartyPair -> one of its two parties
    meetingCount: URIRef  # PartyPair -> number of meetings both took part in
    involves: URIRef  # Event -> an entity in any of its roles (each once)
    eventCount: URIRef  # Entity -> number of events it takes part in
    articleCount: URIRef  # Entity -> number of articles that mention it
