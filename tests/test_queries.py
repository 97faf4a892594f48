"""The shipped competency queries (ontology/queries/*.rq) on the seed article, with bound parameters."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib.namespace import PROV, RDF, XSD

from conftest import ROOT, run_kg
from kg import fusion as kg_fusion
from kg import iri
from kg import query as kgq
from kg.errors import QueryError, UsageError
from kg.query import Table, get_query, list_queries, run_query
from kg.store import Store
from kg.vocab import KG

SEED = "000_e89028999133085d"
NAMES = {"meetings", "attacks", "interceptions", "who-met-whom", "outlet-reports", "corroboration",
         "contradictions", "attribution", "timeline", "entities"}
PROV_DERIVED = pyoxigraph.NamedNode(str(PROV.wasDerivedFrom))
RDF_TYPE = pyoxigraph.NamedNode(str(RDF.type))
XSD_INTEGER = pyoxigraph.NamedNode(str(XSD.integer))


@pytest.fixture(scope="module")
def store(built) -> Store:
    return Store(built / "store", read_only=True)


def rows(store: Store, query: str, **params: str) -> list[dict]:
    table = run_query(store, name=query, params=params)
    assert isinstance(table, Table)
    return [dict(zip(table.columns, r)) for r in table.rows]


def test_queries_ship_with_a_header_and_parameters():
    queries = {q.name: q for q in list_queries()}
    assert NAMES <= set(queries)
    for q in queries.values():
        assert q.title, f"{q.name}.rq has no '# name — title' line"
        for p in q.params:  # Oxigraph binds only projected variables
            head = q.text[q.text.index("SELECT"):q.text.index("WHERE")]
            assert f"?{p.name}" in head, f"{q.name}: parameter ?{p.name} is not projected"
    assert [p.name for p in queries["timeline"].params if p.required] == ["entity"]


def test_queries_list_cli_names_every_query():
    out = run_kg("query", "--list").stdout
    for name in NAMES:
        assert re.search(rf"^{re.escape(name)}: ", out, re.M)
    assert "--param entity=" in out


SEED_PEOPLE = {"Jake Sullivan", "Meir Ben-Shabbat", "Brett McGurk", "Reuven Azar"}


def seed_meetings(store: Store) -> list[dict]:
    seed_events = {r["event"] for r in rows(store, "outlet-reports", outlet="Axios")}
    return [r for r in rows(store, "meetings") if r["meeting"] in seed_events]


def test_queries_meetings_of_the_seed(store):
    meetings = seed_meetings(store)
    named = [r for r in meetings if r["participants"] and r["date"]]
    assert named, "the seed reports dated meetings with named participants"
    people = {p for r in named for p in r["participants"].split("; ")}
    assert people & SEED_PEOPLE
    assert any(r["location"] == "Washington" for r in meetings)
    who = sorted(people & SEED_PEOPLE)[0]
    theirs = rows(store, "meetings", entity=who)
    assert theirs and all(who in r["participants"].split("; ") for r in theirs)
    assert "entity" not in theirs[0], "a parameter the user gave is not repeated as a column"
    assert all(int(r["articles"]) >= 1 for r in meetings)


def test_queries_names_resolve_in_arabic_and_with_spelling_variants(store):
    english = rows(store, "timeline", entity="Jake Sullivan")
    assert english and {r["date"] for r in english} >= {"2021-04-27"}
    assert english == rows(store, "timeline", entity="جيك سوليفان")
    assert english == rows(store, "timeline", entity="jake  SULLIVAN")
    assert english == rows(store, "timeline", entity="ent:jake_sullivan")
    # Folding: a hamza and taa marbuta written differently still find the base.
    assert rows(store, "attacks", target="قاعدة عين الأسد") == rows(store, "attacks", target="قاعده عين الاسد")


def test_queries_date_range_is_bound_and_inclusive(store):
    may = rows(store, "attacks", since="2021-05-01", until="2021-05-31")
    assert may, "the seed reports attacks in May 2021"
    assert all("2021-05-01" <= r["date"] <= "2021-05-31" for r in may)
    assert rows(store, "attacks", since="2021-05", until="2021-05") == may  # month precision
    assert all(r["date"].startswith("2021") for r in rows(store, "meetings", until="2021"))
    assert rows(store, "meetings", entity="Jake Sullivan", since="2022-01-01") == []


def test_queries_attacks_on_a_facility_and_by_a_group(store):
    on_base = rows(store, "attacks", target="Ain al-Asad Air Base")
    assert on_base and all("Ain al-Asad Air Base" in r["targets"] for r in on_base)
    by_militias = rows(store, "attacks", agent="pro-Iran militias")
    assert by_militias and all("pro-Iran militias" in r["agents"] for r in by_militias)
    both = rows(store, "attacks", agent="pro-Iran militias", target="Ain al-Asad Air Base")
    assert both and {r["attack"] for r in both} <= {r["attack"] for r in on_base}


def test_queries_interceptions_by_interceptor(store):
    iaf = rows(store, "interceptions", interceptor="Israeli Air Force")
    assert [(r["interceptedBy"], r["date"]) for r in iaf] == [("Israeli Air Force", "2021-05-18")]
    assert "drone" in iaf[0]["intercepted"]
    everyone = rows(store, "interceptions")
    assert len(everyone) >= len(iaf) + 1 and any(r["interceptedBy"] is None for r in everyone) in (True, False)


def test_queries_who_met_whom(store):
    pairs = rows(store, "who-met-whom")
    assert len({(r["a"], r["b"]) for r in pairs}) == len(pairs)  # each unordered pair once
    assert all(r["a"] < r["b"] and int(r["meetings"]) >= 1 for r in pairs)
    seed = [r for r in pairs if {r["name"], r["metWith"]} & SEED_PEOPLE]
    assert seed, "people of the seed article met"
    who = seed[0]["name"]
    met = rows(store, "who-met-whom", entity=who)
    assert {r["name"] for r in met} == {who}
    expected = {r["metWith"] for r in pairs if r["name"] == who} | {r["name"] for r in pairs if r["metWith"] == who}
    assert {r["metWith"] for r in met} == expected


def test_queries_everything_an_outlet_reported(store):
    axios = rows(store, "outlet-reports", outlet="Axios")
    assert axios and {r["articleId"] for r in axios} == {SEED}
    assert {"Meeting", "Attack", "Interception"} <= {r["type"] for r in axios}
    assert all(r["how"] == "credited" and r["evidence"] for r in axios)
    published = rows(store, "outlet-reports", outlet="الخليج الجديد")
    assert published and all("published" in r["how"] for r in published)


def test_queries_attribution_chain_of_an_event(store):
    event = rows(store, "interceptions", interceptor="Israeli Air Force")[0]["interception"]
    chain = rows(store, "attribution", event=event)
    assert len(chain) == 1
    c = chain[0]
    assert c["articleId"] == SEED and c["published"] == "2021-06-23"
    assert c["publisher"] == "Al-Khaleej Al-Jadeed" and c["credited"] == "Axios"
    assert c["chain"].startswith("Al-Khaleej Al-Jadeed → Axios")
    assert int(c["start"]) < int(c["end"]) and "أسقط" in c["evidence"]


def test_queries_timeline_of_an_entity(store):
    timeline = rows(store, "timeline", entity="Ain al-Asad Air Base")
    assert timeline and {r["role"] for r in timeline} <= {"target", "location"}
    dated = [r["date"] for r in timeline if r["date"]]
    assert dated == sorted(dated) and timeline[: len(dated)] == [r for r in timeline if r["date"]]


def test_queries_entities_finds_names_in_both_languages(store):
    found = rows(store, "entities", name="asad")
    assert [r["en"] for r in found] == ["Ain al-Asad Air Base"] and found[0]["ar"]
    assert rows(store, "entities", name="سوليفان")[0]["en"] == "Jake Sullivan"


def test_queries_corroboration_lists_each_event_once(store):
    table = rows(store, "corroboration")
    assert table and all(int(r["corroboration"]) >= 1 and int(r["outlets"]) >= 1 for r in table)
    assert len({r["event"] for r in table}) == len(table)
    attacks = rows(store, "corroboration", type="kg:Attack")
    assert attacks and {r["eventType"] for r in attacks} == {"Attack"}
    assert rows(store, "corroboration", min="1000") == []


def _copy(built: Path, target: Path) -> pyoxigraph.Store:
    pyoxigraph.Store.read_only(str(built / "store")).backup(str(target))
    return pyoxigraph.Store(str(target))


def _second_report(raw: pyoxigraph.Store) -> tuple[pyoxigraph.NamedNode, pyoxigraph.NamedNode, pyoxigraph.NamedNode]:
    """Make a second article report a dated seed event with another date; (event, its claim, new claim)."""
    N = pyoxigraph.NamedNode
    q = f"""SELECT ?ev ?c ?d WHERE {{ ?c <{KG.asserts}> ?ev ; <{PROV_DERIVED.value}> <{iri.article(SEED).value}> .
            ?ev a <{KG.Attack}> ; <{KG.date}> ?d }} ORDER BY ?d LIMIT 1"""
    sol = next(iter(raw.query(q, use_default_graph_as_union=True)))
    event, seed_claim = sol["ev"], sol["c"]
    y, m, d = sol["d"].value.split("-")
    other_date = f"{y}-{m}-{int(d) % 28 + 1:02d}"
    g, art, claim = iri.article_graph("other"), iri.article("other"), iri.mint("claim", "other-1")
    lit, integer = pyoxigraph.Literal, XSD_INTEGER
    raw.extend([pyoxigraph.Quad(s, p, o, g) for s, p, o in [
        (art, RDF_TYPE, N(KG.Article)), (art, N(KG.articleId), lit("other")),
        (claim, RDF_TYPE, N(KG.Claim)), (claim, N(KG.asserts), event), (claim, PROV_DERIVED, art),
        (claim, N(KG.evidence), lit("Another account of the attack.")),
        (claim, N(KG.start), lit("0", datatype=integer)), (claim, N(KG.end), lit("30", datatype=integer)),
        (event, N(KG.date), lit(other_date, datatype=N(str(XSD.date))))]])
    return event, seed_claim, claim


@pytest.fixture(scope="module")
def two_reports(built, tmp_path_factory) -> dict:
    """The seed store plus a second article that dates one attack differently; before and after fusion."""
    folder = tmp_path_factory.mktemp("fusion")
    before = _copy(built, folder / "before")
    for g in list(before.named_graphs()):  # as if fusion never ran: articles and gazetteer only
        if g != iri.GAZETTEER_GRAPH and not g.value.startswith(iri.article_graph("x").value[:-1]):
            before.remove_graph(g)
    event, seed_claim, claim = _second_report(before)
    before.flush()
    del before
    after = _copy(built, folder / "after")
    _second_report(after)
    after.flush()
    del after
    refreshed = Store(folder / "after")  # fusion's counts and page index (kg.page_index) take the second report in
    kg_fusion.refresh(refreshed, [event.value])
    after = refreshed.raw
    N, integer = pyoxigraph.NamedNode, XSD_INTEGER
    fusion, c = iri.mint("graph", "fusion-test"), iri.mint("contradiction", "test-1")
    two = pyoxigraph.Literal("2", datatype=integer)
    for p in (KG.corroboration, KG.outletCount):  # replace what fusion said about this event
        after.update(f"DELETE WHERE {{ GRAPH ?g {{ <{event.value}> <{p}> ?n }} }}")
    after.update(f"DELETE WHERE {{ GRAPH ?g {{ ?x <{KG.about}> <{event.value}> ; ?p ?o }} }}")
    after.extend([pyoxigraph.Quad(s, p, o, fusion) for s, p, o in [
        (event, N(KG.corroboration), two), (event, N(KG.outletCount), two),
        (c, RDF_TYPE, N(KG.Contradiction)), (c, N(KG.about), event), (c, N(KG.property), N(KG.date)),
        (c, N(KG.conflictingClaim), seed_claim), (c, N(KG.conflictingClaim), claim)]])
    after.flush()
    del after, refreshed
    return {"before": folder / "before", "after": folder / "after", "event": event.value, "contradiction": c.value}


@pytest.mark.parametrize("when", ["before", "after"])
def test_queries_corroboration_and_contradictions_with_two_reports(two_reports, when):
    st = Store(two_reports[when], read_only=True)
    event = two_reports["event"]
    row = next(r for r in rows(st, "corroboration", min="2") if r["event"] == event)
    assert (row["corroboration"], row["outlets"], row["contradictions"]) == ("2", "2", "date")
    assert len(row["dates"].split(", ")) == 2
    conflicts = rows(st, "contradictions", event=event)
    assert len(conflicts) == 2 and {r["articleId"] for r in conflicts} == {SEED, "other"}
    assert {r["property"] for r in conflicts} == {"date"} and len({r["value"] for r in conflicts}) == 2
    if when == "after":  # the fusion graph's node is the one listed
        assert {r["contradiction"] for r in conflicts} == {two_reports["contradiction"]}


def test_queries_parameter_values_are_bound_not_pasted(built, store):
    hostile = '"} ; DROP ALL ; {"'
    before = run_kg("stats", "--output", str(built)).stdout
    out = run_kg("query", "--name", "entities", "--param", f"name={hostile}", "--output", str(built),
                 "--format", "json")
    assert json.loads(out.stdout) == []
    proc = run_kg("query", "--name", "timeline", "--param", f"entity={hostile}", "--output", str(built), check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no entity is named" in proc.stderr
    assert rows(store, "outlet-reports", outlet="Axios", since="2021-01-01")  # the store is intact
    assert run_kg("stats", "--output", str(built)).stdout == before
    # An ad-hoc query binds --param values too.
    adhoc = run_kg("query", "SELECT ?x WHERE { BIND(STRLEN(?x) AS ?n) }", "--param", f"x={hostile}",
                   "--output", str(built), "--format", "json").stdout
    assert json.loads(adhoc) == [{"x": hostile}]


@pytest.mark.parametrize("args,message", [
    (["--name", "nope"], "no shipped query named 'nope'"),
    (["--name", "timeline"], "needs --param entity"),
    (["--name", "meetings", "--param", "since=2021-02-30"], "not a calendar date"),
    (["--name", "meetings", "--param", "colour=red"], "has no parameter 'colour'"),
    (["--name", "attribution", "--param", "event=not an iri"], "is not an IRI"),
    (["--name", "meetings", "--param", "since"], "write it as NAME=VALUE"),
    ([], "give a SPARQL query"),
])
def test_queries_usage_errors_are_one_line(built, args, message):
    proc = run_kg("query", *args, "--output", str(built), check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("kg: ") and proc.stderr.count("\n") == 1 and message in proc.stderr


def test_queries_run_unchanged_in_plain_sparql(built):
    """The .rq files are standard SPARQL: pyoxigraph runs them without kg's prefixes or bindings."""
    raw = pyoxigraph.Store.read_only(str(built / "store"))
    for q in list_queries():
        if not any(p.required for p in q.params):
            assert isinstance(raw.query(q.text, use_default_graph_as_union=True), pyoxigraph.QuerySolutions)


def test_readme_documents_every_query_and_new_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for q in list_queries():
        assert f"kg query --name {q.name}" in readme, f"README lacks an example of {q.name}"
    for command in ("kg serve", "kg push", "kg validate", "events-csv", "graphml", "gexf", "from kg.api import"):
        assert command in readme


def test_queries_unknown_name_lists_the_choices():
    with pytest.raises(UsageError, match="meetings"):
        get_query("meeting")


def test_queries_listings_are_paged_and_say_when_rows_were_left_out(built, store):
    for q in list_queries():
        assert q.page == 100, f"{q.name}.rq has no `LIMIT 100  # page` line"
    everything = run_query(store, name="corroboration", params={"limit": "0"})
    assert len(everything.rows) > 5 and not everything.more
    page = run_query(store, name="corroboration", params={"limit": "5"})
    assert page.more and len(page.rows) == 5 and all(r in everything.rows for r in page.rows)
    # The best corroborated come first (ties at the page's edge may be any of the tied events).
    assert [r[0] for r in page.rows] == [r[0] for r in everything.rows[:5]]
    assert not run_query(store, name="corroboration").more  # the default page holds the sample
    out = run_kg("query", "--name", "corroboration", "--param", "limit=3", "--output", str(built)).stdout
    assert out.rstrip().endswith("(3 rows; more rows not shown: --param limit=N for a bigger page, "
                                 "limit=0 for every row)")
    proc = run_kg("query", "--name", "corroboration", "--param", "limit=lots", "--output", str(built), check=False)
    assert proc.returncode == 2 and "whole number" in proc.stderr
    assert "--param limit=" in run_kg("query", "--list").stdout


def test_queries_page_line_is_rewritten_only_in_the_page():
    q = get_query("attacks")
    assert "LIMIT 26  # page" in q.paged(25) and "LIMIT 101  # page" in q.paged(None)
    every = q.paged(0).split("PREFIX", 1)[1]
    assert not re.search(r"LIMIT \d+\s*# page", every) and "#  # page:" in every  # the page line is gone
    # The other LIMITs (the page index's "a LIMIT nothing reaches") stay as they are.
    assert every.count("LIMIT 1000000\n") == q.text.count("LIMIT 1000000\n") > 0


def test_queries_every_row_is_read_past_the_first_very_big_page(store, monkeypatch):
    """limit=0 runs first as a page of EVERY_ROW_PAGE rows (Oxigraph plans a query without a
    LIMIT worse); a store with more rows than that is read again without one."""
    from kg import query as kgq
    everything = run_query(store, name="entities", params={"limit": "0"})
    assert len(everything.rows) > 5 and not everything.more
    texts = []
    real = kgq.run
    monkeypatch.setattr(kgq, "run", lambda st, text, b=None: texts.append(text) or real(st, text, b))
    monkeypatch.setattr(kgq, "EVERY_ROW_PAGE", 3)
    again = run_query(store, name="entities", params={"limit": "0"})
    assert again.rows == everything.rows and not again.more
    assert "LIMIT 4  # page" in texts[0] and not re.search(r"LIMIT \d+\s*# page", texts[-1])


def test_queries_names_are_found_by_exact_label_without_reading_every_label(store, monkeypatch):
    from kg import query as kgq
    scans = []
    real = kgq._folded_matches
    monkeypatch.setattr(kgq, "_folded_matches", lambda st, name: scans.append(name) or real(st, name))
    sullivan = [iri.entity("jake_sullivan")]
    for name in ("Jake Sullivan", "جيك سوليفان", "jake sullivan", "JAKE SULLIVAN", " Jake   Sullivan "):
        assert kgq.resolve_entity(store, name) == sullivan, name
    assert scans == [], "an exactly written name is an index lookup"
    assert kgq.resolve_entity(store, "قاعده عين الاسد") == [iri.entity("ain_al_asad_air_base")]
    assert scans == ["قاعده عين الاسد"], "a folded spelling falls back to the scan"


def test_queries_entities_takes_a_name_written_as_a_label_by_index_lookups(store):
    # A label as written (any case) binds ?entity: the query reads that entity's labels only.
    named = get_query("entities")
    assert named.exact == ("name", "entity")
    sullivan = iri.entity("jake_sullivan")
    for name in ("Jake Sullivan", "jake sullivan", "جيك سوليفان"):
        (binding,) = kgq.bindings(store, named, {"name": name})
        assert binding[pyoxigraph.Variable("entity")] == sullivan, name
        found = rows(store, "entities", name=name)
        assert [r["entity"] for r in found] == [sullivan.value] and found[0]["en"] == "Jake Sullivan"
    # Part of a name is no label: no ?entity, the labels are scanned as before.
    (binding,) = kgq.bindings(store, named, {"name": "asad"})
    assert pyoxigraph.Variable("entity") not in binding
    assert [r["en"] for r in rows(store, "entities", name="asad")] == ["Ain al-Asad Air Base"]


def test_queries_exact_needs_a_string_parameter():
    text = "# q — t\n# @param who (entity) someone\n# @exact who -> entity\nSELECT * WHERE {}\n"
    with pytest.raises(QueryError):
        kgq.parse_named("q", text)


def test_queries_count_articles_without_fusion_data(store, tmp_path):
    # The listings read each event's article count from the fusion graph (kg:corroboration);
    # a store without fusion data counts the claims instead, with the same result.
    from kg.fusion import FUSION_GRAPH
    stored = pyoxigraph.NamedNode(str(KG.corroboration))
    assert next(store.raw.quads_for_pattern(None, stored, None, FUSION_GRAPH), None) is not None
    bare = Store(tmp_path / "bare")
    bare.raw.extend([q for q in store.raw.quads_for_pattern(None, None, None, None) if q.graph_name != FUSION_GRAPH])
    assert next(bare.raw.quads_for_pattern(None, stored, None, None), None) is None
    sullivan, asad = iri.entity("jake_sullivan").value, iri.entity("ain_al_asad_air_base").value
    for query, params in [("timeline", {"entity": sullivan}), ("meetings", {}), ("attacks", {}),
                          ("attacks", {"target": asad}), ("interceptions", {})]:
        with_fusion = run_query(store, name=query, params=params)
        assert with_fusion.rows, query
        assert run_query(bare, name=query, params=params).rows == with_fusion.rows, query
