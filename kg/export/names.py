"""One display name per node and language, chosen in SPARQL (shared by the table and network exports).

Preference: the gazetteer's skos:prefLabel in that language, then a label as written
in an article (rdfs:label) in that language; ties go to the alphabetically first, so
exports are deterministic.
"""
from __future__ import annotations

from rdflib.namespace import RDFS, SKOS

from ..store import Store

_QUERY = f"PREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\n" + """
SELECT ?x ?lang (SUBSTR(MIN(CONCAT(?rank, STR(?l))), 2) AS ?name) WHERE {
  { ?x skos:prefLabel ?l BIND("1" AS ?rank) } UNION { ?x rdfs:label ?l BIND("2" AS ?rank) }
  BIND(LANG(?l) AS ?lang)
} GROUP BY ?x ?lang
"""


def names_by_language(store: Store) -> dict[str, dict[str, str]]:
    """node IRI -> {language tag ("" for none) -> name}."""
    out: dict[str, dict[str, str]] = {}
    for sol in store.query(_QUERY):
        out.setdefault(sol["x"].value, {})[sol["lang"].value] = sol["name"].value
    return out


def pick(names: dict[str, str], lang: str = "en") -> str:
    """The name in `lang`, else English, else Arabic, else any."""
    for tag in (lang, "en", "ar"):
        if names.get(tag):
            return names[tag]
    return next(iter(sorted(names.values())), "")
