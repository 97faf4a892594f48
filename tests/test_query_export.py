"""`kg query` and `kg export` on a built store."""
from __future__ import annotations

import json

import pyoxigraph
import pytest

from conftest import run_kg


def test_query_malformed_is_one_clear_line_and_exit_1(built):
    proc = run_kg("query", "SELECT WHERE {", "--output", str(built), check=False)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: malformed SPARQL")


def test_query_table_json_ask_construct(built):
    q = "SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type . ?type rdfs:subClassOf* kg:Event } GROUP BY ?type"
    table = run_kg("query", "SELECT ?a WHERE { ?a a kg:Article }", "--output", str(built)).stdout
    assert "rows)" in table
    rows = json.loads(run_kg("query", "SELECT ?id WHERE { ?a kg:articleId ?id }", "--output", str(built),
                             "--format", "json").stdout)
    assert {"id": "000_e89028999133085d"} in rows
    assert run_kg("query", "ASK { ?e a kg:Interception }", "--output", str(built)).stdout.strip() == "yes"
    ttl = run_kg("query", "CONSTRUCT { ?e a kg:Attack } WHERE { ?e a kg:Attack }", "--output", str(built)).stdout
    assert len(list(pyoxigraph.parse(ttl.encode(), format=pyoxigraph.RdfFormat.TURTLE))) > 0
    assert run_kg("query", q, "--output", str(built)).returncode == 0


def test_query_from_file(built, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Claim }", encoding="utf-8")
    out = run_kg("query", str(f), "--output", str(built), "--format", "tsv").stdout.splitlines()
    assert out[0] == "n" and int(out[1]) > 0


@pytest.mark.parametrize("fmt,parse_as", [("turtle", pyoxigraph.RdfFormat.TURTLE),
                                          ("trig", pyoxigraph.RdfFormat.TRIG),
                                          ("nquads", pyoxigraph.RdfFormat.N_QUADS),
                                          ("jsonld", pyoxigraph.RdfFormat.JSON_LD)])
def test_rdf_exports_parse(built, tmp_path, fmt, parse_as):
    out = tmp_path / f"g.{fmt}"
    run_kg("export", "--format", fmt, "-o", str(out), "--output", str(built))
    assert len(list(pyoxigraph.parse(path=str(out), format=parse_as))) > 500


def test_events_jsonl_follows_the_contract(built, tmp_path):
    out = tmp_path / "ev.jsonl"
    run_kg("export", "--format", "events-jsonl", "-o", str(out), "--output", str(built))
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert events
    types = {e["type"] for e in events}
    assert types <= {"Meeting", "Agreement", "Proposal", "Attack", "Interception"}
    texts = {}
    for e in events:
        assert e["id"].startswith("https://") and e["articles"]
        for a in e["arguments"]:
            assert a["role"] in ("participant", "chair", "agent", "target", "instrument", "location")
            assert a["labels"]
        for c in e["claims"]:
            assert c["end"] > c["start"] >= 0 and c["evidence"]
            texts.setdefault(c["article"], []).append(c)
    seed = [e for e in events if "000_e89028999133085d" in e["articles"]]
    assert any(rb["labels"].get("en") == ["Axios"] or "Axios" in rb["labels"].get("en", [])
               for e in seed for c in e["claims"] for rb in c["reported_by"])


def test_entities_jsonl_follows_the_contract(built, tmp_path):
    out = tmp_path / "en.jsonl"
    run_kg("export", "--format", "entities-jsonl", "-o", str(out), "--output", str(built))
    ents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    sullivan = [e for e in ents if "Jake Sullivan" in e["labels"].get("en", [])]
    assert len(sullivan) == 1
    assert sullivan[0]["type"] == "Person" and "جيك سوليفان" in sullivan[0]["labels"]["ar"]
    assert all(e["type"] in ("Person", "Organization", "GPE", "Location", "Facility", "Weapon") for e in ents)


def test_export_unknown_format_is_a_usage_error(built):
    proc = run_kg("export", "--format", "xml", "--output", str(built), check=False)
    assert proc.returncode == 2


def test_query_without_a_store_says_what_to_do(tmp_path):
    proc = run_kg("query", "ASK {}", "--output", str(tmp_path / "none"), check=False)
    assert proc.returncode == 1 and "kg build" in proc.stderr
