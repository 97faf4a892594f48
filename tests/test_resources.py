"""The shipped data files load, pass their schema check, and cover both languages."""
from __future__ import annotations


import pytest
from rdflib import Graph, RDF, OWL

from kg.errors import ResourceError
from kg.resources import gazetteer, lexicons
from kg.resources.loader import _entry, ontology_file
from kg.vocab import KG, NS


def test_gazetteer_loads_with_several_hundred_bilingual_entries():
    gaz = gazetteer()
    assert len(gaz.entries) >= 300
    for e in gaz.entries.values():
        assert e.names["en"] and e.names["ar"]
    types = {e.type for e in gaz.entries.values()}
    assert types == {"Person", "Organization", "GPE", "Location", "Facility", "Weapon"}


@pytest.mark.parametrize("bad", [
    {"key": "Bad Key", "type": "GPE", "en": ["x"], "ar": ["س"]},
    {"key": "x", "type": "Country", "en": ["x"], "ar": ["س"]},
    {"key": "x", "type": "GPE", "class": "ArmedGroup", "en": ["x"], "ar": ["س"]},
    {"key": "x", "type": "GPE", "en": [], "ar": ["س"]},
    {"key": "x", "type": "GPE", "en": ["x"], "ar": ["س"], "colour": "red"},
])
def test_gazetteer_schema_check_rejects_bad_entries(bad):
    with pytest.raises(ResourceError):
        _entry(bad, "test:1")


def test_lexicons_have_both_languages_for_every_event_type():
    lx = lexicons()
    for lang in ("en", "ar"):
        assert set(lx.triggers[lang]) == {"Meeting", "Agreement", "Proposal", "Attack", "Interception"}
    months_ar = lx.dates["months"]["ar"]
    assert months_ar["أيار"] == months_ar["مايو"] == 5


def test_vocab_mirrors_the_ontology():
    g = Graph().parse(str(ontology_file("kg.ttl")), format="turtle")
    declared = {str(s)[len(NS):] for s in g.subjects(RDF.type, None)
                if str(s).startswith(NS) and (set(g.objects(s, RDF.type)) & {
                    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty})}
    named = set(KG.__annotations__)
    assert declared == named


def test_vocab_refuses_unknown_terms():
    with pytest.raises(AttributeError):
        KG.nonsenseTerm  # noqa: B018
