"""`kg build` end to end through the CLI on data/: outputs, store, idempotence, HTML."""
from __future__ import annotations

import re
import shutil

import pyoxigraph

from conftest import DATA, run_kg


def test_build_writes_store_and_outputs(built):
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (built / name).stat().st_size > 0
    assert (built / "store" / "CURRENT").exists()


def test_build_outputs_parse_with_an_independent_parser(built):
    ttl = list(pyoxigraph.parse(path=str(built / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    trig = list(pyoxigraph.parse(path=str(built / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))
    assert len(ttl) > 500
    graphs = {q.graph_name for q in trig}
    assert len(graphs) >= len(list(DATA.glob("*.txt"))) + 1  # one per article + gazetteer


SEED_MEETING = """
SELECT ?ev ?date WHERE {
  ?ev a kg:Meeting ; kg:date ?date ; kg:participant ?a, ?b ; kg:location ?where .
  ?a skos:prefLabel "Jake Sullivan"@en . ?b skos:prefLabel "Meir Ben-Shabbat"@en .
  ?where skos:prefLabel "Washington"@en .
  FILTER(STR(?date) = "2021-04-27")
}"""


def test_query_finds_the_seed_meeting_in_washington(built):
    out = run_kg("query", SEED_MEETING, "--output", str(built), "--format", "csv").stdout.splitlines()
    assert out[0] == "ev,date"
    assert len(out) == 2 and out[1].endswith(",2021-04-27")


def test_build_summary_counts(tmp_path):
    proc = run_kg("build", str(DATA), "--output", str(tmp_path / "o"), "--no-html")
    m = re.search(r"articles read: (\d+), skipped: (\d+).*?(\d+) entities, (\d+) events, (\d+) claims", proc.stdout)
    assert m, proc.stdout
    read, skipped, entities, events, claims = map(int, m.groups())
    assert read == len(list(DATA.glob("*.txt"))) + sum(1 for _ in open(DATA / "samples.jsonl", encoding="utf-8"))
    assert skipped == 0 and entities > 20 and events > 10 and claims >= events


def _nquads(out) -> set[str]:
    data = run_kg("export", "--format", "nquads", "--output", str(out)).stdout
    return {line for line in data.splitlines() if line.strip()}


def test_rebuild_is_idempotent(tmp_path):
    out = tmp_path / "o"
    run_kg("build", str(DATA), "--output", str(out), "--no-html")
    first = _nquads(out)
    run_kg("build", str(DATA), "--output", str(out), "--no-html")
    # No blank nodes in the graph: equal quad sets are isomorphic datasets.
    assert not any("_:" in q for q in first)
    assert _nquads(out) == first


def test_build_into_a_fresh_store_gives_the_same_graph(tmp_path):
    run_kg("build", str(DATA), "--output", str(tmp_path / "a"), "--no-html")
    run_kg("build", str(DATA), "--output", str(tmp_path / "b"), "--no-html")
    assert _nquads(tmp_path / "a") == _nquads(tmp_path / "b")


RESOURCE_REF = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def test_html_has_no_network_resources(built):
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in html
    assert not RESOURCE_REF.search(html)
    assert "w3id.org" not in html  # node ids are short, IRIs stay out of the page


def test_build_with_no_articles_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = run_kg("build", str(tmp_path / "empty"), "--output", str(tmp_path / "o"), check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("kg: ") and len(proc.stderr.strip().splitlines()) == 1


def test_build_goes_on_past_bad_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DATA / "sample_en_01.txt", src / "good.txt")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (src / "broken.jsonl").write_text('{"id": "x", "text": "ok"}\nnot json\n{"id": "y"}\n', encoding="utf-8")
    proc = run_kg("build", str(src), "--output", str(tmp_path / "o"), "--no-html")
    assert "articles read: 2, skipped: 4" in proc.stdout
    assert "broken.jsonl:2: not JSON" in proc.stderr
    assert "broken.jsonl:3: no 'text'" in proc.stderr
    assert "Traceback" not in proc.stderr
