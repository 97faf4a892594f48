"""One node per real-world event and entity across articles and languages (issue #4).

Short articles written for these tests; each build goes through the real CLI into a real
Oxigraph store, and the answers are read back with SPARQL or the contract's exports.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from conftest import make_article, run_kg

EN_ATTACK = """March 4, 2024
Kataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq on Sunday, March 3.
Source: Reuters
"""
AR_ATTACK = """الاثنين 4 مارس 2024
أعلنت كتائب حزب الله مسؤوليتها عن هجوم بطائرة مسيرة استهدف قاعدة عين الأسد الجوية في العراق يوم الأحد 3 مارس/آذار.
المصدر | وكالة الأناضول
"""
EN_OTHER_DAY = """March 12, 2024
Kataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq on Monday, March 11.
Source: Reuters
"""
EN_LATER_DATE = """March 5, 2024
Kataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq on Monday, March 4.
Source: AFP
"""

PREFIX = "PREFIX kg: <https://w3id.org/kgnews/ns#>\n"


def _build(folder: Path, out: Path) -> str:
    return run_kg("build", str(folder), "--no-html", "--output", str(out)).stdout


def _select(out: Path, query: str) -> list[dict]:
    text = run_kg("query", PREFIX + query, "--output", str(out), "--format", "json").stdout
    return json.loads(text)


def _events(out: Path) -> list[dict]:
    text = run_kg("export", "--format", "events-jsonl", "--output", str(out)).stdout
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _attacks(out: Path) -> list[dict]:
    return [e for e in _events(out) if e["type"] == "Attack"]


def test_fusion_same_attack_in_arabic_and_english_is_one_event_with_two_claims(tmp_path):
    make_article(tmp_path / "in", "en.txt", EN_ATTACK)
    make_article(tmp_path / "in", "ar.txt", AR_ATTACK)
    _build(tmp_path / "in", tmp_path / "out")
    attacks = _attacks(tmp_path / "out")
    assert len(attacks) == 1, attacks
    ev = attacks[0]
    assert sorted(c["article"] for c in ev["claims"]) == ["ar", "en"]
    assert ev["corroboration"] == 2 and ev["outlet_count"] == 2
    rows = _select(tmp_path / "out", "SELECT DISTINCT ?e ?n WHERE { ?e a kg:Attack ; kg:corroboration ?n }")
    assert [int(r["n"]) for r in rows] == [2]
    keys = {r["k"] for r in _select(tmp_path / "out", "SELECT ?k WHERE { ?e a kg:Attack ; kg:mergedOn ?k }")}
    assert "date=2024-03-03" in keys and "target/location=ain_al_asad_air_base" in keys


def test_fusion_two_attacks_on_the_same_base_on_different_days_stay_two(tmp_path):
    make_article(tmp_path / "in", "a.txt", EN_ATTACK)
    make_article(tmp_path / "in", "b.txt", EN_OTHER_DAY)
    _build(tmp_path / "in", tmp_path / "out")
    attacks = _attacks(tmp_path / "out")
    assert sorted(e["date"] for e in attacks) == ["2024-03-03", "2024-03-11"]
    assert all(e["corroboration"] == 1 for e in attacks)


def test_fusion_date_disagreement_is_a_contradiction(tmp_path):
    make_article(tmp_path / "in", "a.txt", EN_ATTACK)
    make_article(tmp_path / "in", "b.txt", EN_LATER_DATE)
    _build(tmp_path / "in", tmp_path / "out")
    rows = _select(tmp_path / "out", """
        SELECT ?event ?claim ?date WHERE {
          ?x a kg:Contradiction ; kg:about ?event ; kg:property kg:date ; kg:conflictingClaim ?claim .
          GRAPH ?g { ?claim kg:asserts ?event . ?event kg:date ?date } }""")
    assert len({r["event"] for r in rows}) == 1
    assert sorted(r["date"] for r in rows) == ["2024-03-03", "2024-03-04"]
    ev = _attacks(tmp_path / "out")[0]
    assert ev["contradictions"][0]["property"] == "date"


def test_fusion_syndicated_copies_of_one_wire_story_count_once(tmp_path):
    story = "Kataib Hezbollah launched a drone attack on Ain al-Asad Air Base on Sunday, March 3, Reuters reported.\n"
    make_article(tmp_path / "in", "a.txt", "March 4, 2024\n" + story + "Source: Al Arabiya\n")
    make_article(tmp_path / "in", "b.txt", "March 4, 2024\n" + story + "Source: Asharq Al-Awsat\n")
    _build(tmp_path / "in", tmp_path / "out")
    ev = _attacks(tmp_path / "out")[0]
    assert ev["corroboration"] == 2 and ev["outlet_count"] == 1


def _nquads(out: Path) -> set[str]:
    data = run_kg("export", "--format", "nquads", "--output", str(out)).stdout
    return set(data.splitlines())


def test_fusion_reingesting_an_article_changes_nothing(tmp_path):
    make_article(tmp_path / "in", "en.txt", EN_ATTACK)
    make_article(tmp_path / "in", "ar.txt", AR_ATTACK)
    _build(tmp_path / "in", tmp_path / "out")
    first = _nquads(tmp_path / "out")
    _build(tmp_path / "in", tmp_path / "out")
    assert _nquads(tmp_path / "out") == first


def test_fusion_new_batch_attaches_to_a_known_event_without_rebuilding(tmp_path):
    make_article(tmp_path / "one", "en.txt", EN_ATTACK)
    _build(tmp_path / "one", tmp_path / "out")
    before = _attacks(tmp_path / "out")
    make_article(tmp_path / "two", "ar.txt", AR_ATTACK)
    _build(tmp_path / "two", tmp_path / "out")  # only the new article is read
    after = _attacks(tmp_path / "out")
    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert after[0]["corroboration"] == 2


def test_fusion_person_not_in_gazetteer_resolves_across_scripts(tmp_path):
    make_article(tmp_path / "in", "en.txt", "March 4, 2024\nColonel Brian Hartwell said the drone attack on "
                                            "Ain al-Asad Air Base on Sunday caused no casualties.\n")
    make_article(tmp_path / "in", "ar.txt", "الاثنين 4 مارس 2024\nقال العقيد براين هارتويل إن الهجوم بطائرة مسيرة "
                                            "على قاعدة عين الأسد الأحد لم يسفر عن إصابات.\n")
    _build(tmp_path / "in", tmp_path / "out")
    text = run_kg("export", "--format", "entities-jsonl", "--output", str(tmp_path / "out")).stdout
    people = [json.loads(x) for x in text.splitlines() if '"Person"' in x]
    assert len(people) == 1, people
    assert people[0]["labels"]["en"] == ["Brian Hartwell"] and people[0]["labels"]["ar"] == ["براين هارتويل"]
    assert people[0]["articles"] == ["ar", "en"]


def test_fusion_every_quad_of_a_merged_build_parses(tmp_path):
    make_article(tmp_path / "in", "en.txt", EN_ATTACK)
    make_article(tmp_path / "in", "ar.txt", AR_ATTACK)
    _build(tmp_path / "in", tmp_path / "out")
    data = run_kg("export", "--format", "trig", "--output", str(tmp_path / "out")).stdout
    quads = list(pyoxigraph.parse(data.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)}
    assert any(g.endswith("/graph/fusion") for g in graphs)


EN_STRIKES_ON_GROUP = """January 12, 2024
The United States and Britain carried out strikes against the Houthis in Yemen on Thursday, officials said.
Source: Reuters
"""
AR_STRIKES_ON_GROUP = """الجمعة 12 يناير 2024
شن سلاح الجو الملكي البريطاني إلى جانب الولايات المتحدة ضربات ضد الحوثيين في اليمن يوم الخميس.
المصدر | وكالة الأناضول
"""


def test_fusion_strikes_on_a_group_by_a_state_and_its_air_force_are_one_event(tmp_path):
    # no site names the attack: the group hit is the lookup key, and the Royal Air Force acting
    # is the United Kingdom acting
    make_article(tmp_path / "in", "en.txt", EN_STRIKES_ON_GROUP)
    make_article(tmp_path / "in", "ar.txt", AR_STRIKES_ON_GROUP)
    _build(tmp_path / "in", tmp_path / "out")
    attacks = _attacks(tmp_path / "out")
    assert len(attacks) == 1, attacks
    assert sorted(c["article"] for c in attacks[0]["claims"]) == ["ar", "en"]


# An article with no dateline and no date, only "on Tuesday": 2024-07-16 was a Tuesday.
AR_UNDATED_TUESDAY = """استهداف قاعدة عين الأسد
قالت مصادر أمنية إن طائرتين مسيرتين مفخختين استهدفتا يوم الثلاثاء قاعدة عين الأسد الجوية في العراق.
"""
EN_TUESDAY = """July 17, 2024
Two armed drones targeted Ain al-Asad Air Base in Iraq on Tuesday, security sources said.
Source: Reuters
"""
EN_FRIDAY = """July 20, 2024
Two armed drones targeted Ain al-Asad Air Base in Iraq on Friday, security sources said.
Source: Reuters
"""
EN_NEXT_TUESDAY = """July 24, 2024
Two armed drones targeted Ain al-Asad Air Base in Iraq on Tuesday, security sources said.
Source: AFP
"""


@pytest.mark.parametrize("names", [("a.txt", "b.txt"), ("b.txt", "a.txt")])  # either one first
def test_fusion_undated_report_of_a_tuesday_joins_the_attack_of_that_tuesday(tmp_path, names):
    make_article(tmp_path / "in", names[0], AR_UNDATED_TUESDAY)
    make_article(tmp_path / "in", names[1], EN_TUESDAY)
    _build(tmp_path / "in", tmp_path / "out")
    attacks = _attacks(tmp_path / "out")
    assert len(attacks) == 1, attacks
    assert len(attacks[0]["claims"]) == 2 and attacks[0]["date"] == "2024-07-16"
    keys = {r["k"] for r in _select(tmp_path / "out", "SELECT ?k WHERE { ?e a kg:Attack ; kg:mergedOn ?k }")}
    assert "weekday=2" in keys
    rows = _select(tmp_path / "out", "SELECT ?w WHERE { GRAPH ?g { ?e a kg:Attack ; kg:dayOfWeek ?w } }")
    assert [int(r["w"]) for r in rows] == [2]


def test_fusion_undated_report_of_a_tuesday_stays_apart_from_a_friday(tmp_path):
    make_article(tmp_path / "in", "a.txt", AR_UNDATED_TUESDAY)
    make_article(tmp_path / "in", "b.txt", EN_FRIDAY)
    _build(tmp_path / "in", tmp_path / "out")
    assert len(_attacks(tmp_path / "out")) == 2


def test_fusion_undated_report_of_a_tuesday_joins_neither_of_two_tuesdays(tmp_path):
    # which of the stored Tuesdays it tells of is not known
    make_article(tmp_path / "in", "a.txt", EN_TUESDAY)
    make_article(tmp_path / "in", "b.txt", EN_NEXT_TUESDAY)
    make_article(tmp_path / "in", "c.txt", AR_UNDATED_TUESDAY)
    _build(tmp_path / "in", tmp_path / "out")
    attacks = _attacks(tmp_path / "out")
    assert len(attacks) == 3 and all(len(e["claims"]) == 1 for e in attacks), attacks


EN_IN_DECEMBER = """January 5, 2024
In December, Kataib Hezbollah attacked Ain al-Asad Air Base with drones, the group said.
Source: Reuters
"""
EN_UNDATED_SAME_CLAIM = """{published}
Kataib Hezbollah attacked Ain al-Asad Air Base with drones, the group said in a statement.
Source: AFP
"""


@pytest.mark.parametrize("published,merged", [("January 3, 2024", True), ("April 1, 2024", False)])
def test_fusion_undated_report_joins_a_month_only_when_published_soon_after_it(tmp_path, published, merged):
    make_article(tmp_path / "in", "a.txt", EN_IN_DECEMBER)
    make_article(tmp_path / "in", "b.txt", EN_UNDATED_SAME_CLAIM.format(published=published))
    _build(tmp_path / "in", tmp_path / "out")
    assert len(_attacks(tmp_path / "out")) == (1 if merged else 2)


def test_fusion_refresh_of_unchanged_events_writes_nothing(tmp_path, monkeypatch):
    """A rerun refreshes the events its articles report; when nothing changed, nothing is written
    (it used to delete and rewrite every event's fusion data)."""
    from kg import fusion
    from kg.build import build
    from kg.store import Store
    from kg.vocab import KG

    make_article(tmp_path / "in", "en.txt", EN_ATTACK)
    make_article(tmp_path / "in", "ar.txt", AR_ATTACK)
    make_article(tmp_path / "in", "later.txt", EN_LATER_DATE)
    make_article(tmp_path / "in", "other.txt", EN_OTHER_DAY)
    store = Store(tmp_path / "s")
    build([tmp_path / "in"], store)
    asserts = pyoxigraph.NamedNode(str(KG.asserts))
    events = {q.object.value for q in store.raw.quads_for_pattern(None, asserts, None, None)}
    written = []
    for name in ("add", "append", "change", "update", "commit"):
        monkeypatch.setattr(store, name, lambda *args, name=name: written.append((name, args)))
    assert fusion.refresh(store, events) == len(events) >= 2
    assert [(name, args) for name, args in written if any(args)] == []
