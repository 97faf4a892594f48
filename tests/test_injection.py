"""Hostile text (issue #7): names never reach IRIs unescaped, SPARQL parameters are bound and
never spliced, text written into the store by SPARQL UPDATE comes back byte for byte, and the
HTML view carries article text only as inert data.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Variable

from conftest import run_kg
from kg import iri
from kg.errors import QueryError
from kg.query import run
from kg.store import Store
from kg.vocab import ID_BASE, KG
from synthetic import make_corpus

HOSTILE = [
    '<script>alert(1)</script>', 'a > b', 'say "hi"', 'two words', 'line\nbreak', 'tab\there', 'frag#ment',
    'جيك سوليفان', 'أبو "محمد" <الشامي>', '"} ; DROP ALL ; {"', "O'Brien", r'back\slash', '{curly}|pipe^caret`',
    '', ' ', '../../etc/passwd', 'x' * 500, 'مرحبا\u200f\u202e', 'emoji 🚀 and ZWJ 👨\u200d👩\u200d👧', 'nul\x00byte',
]
# What may follow ID_BASE: a kind, a slash, a slugged key (never raw text).
SAFE_LOCAL = re.compile(r"^[a-z]+(/[a-z]+)?/[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _assert_safe_iri(value: str) -> None:
    NamedNode(value)  # pyoxigraph validates the IRI
    pyoxigraph.parse(f"<{value}> <http://example.org/p> <{value}> .", format=pyoxigraph.RdfFormat.N_TRIPLES)
    if value.startswith(ID_BASE):
        assert SAFE_LOCAL.match(value[len(ID_BASE):]), value


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("kind", ["entity", "event", "claim", "article", "source", "graph/article"])
def test_injection_minted_iris_are_safe_for_any_name(kind, name):
    node = iri.mint(kind, name)
    _assert_safe_iri(node.value)
    assert node == iri.mint(kind, name)  # stable


def test_injection_distinct_hostile_names_give_distinct_iris():
    assert len({iri.entity(n) for n in HOSTILE}) == len(HOSTILE)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_injection_any_key_mints_a_safe_iri(key):
    _assert_safe_iri(iri.entity(key).value)
    _assert_safe_iri(iri.article_graph(key).value)


# ---------------------------------------------------------------------------- a built graph

EN_HOSTILE = ("March 4, 2024\n"
              "Military spokesman Jo\"hn <Smith> said on Monday that Ayman Safadi met Fuad Hussein in Amman. "
              "<script>alert(1)</script> The talks <img src=x onerror=alert(1)> covered \"} ; DROP ALL ; {\" and "
              "</script><script>alert(2)</script> issues, spokesman Abu #Hash \\u0022 told reporters.\n"
              "Source: <script>alert('outlet')</script> News\n")
AR_HOSTILE = ("الاثنين 4 مارس 2024\n"
              "قال المتحدث العسكري أبو \"محمد\" <الشامي> إن أيمن الصفدي التقى فؤاد حسين في بغداد يوم الاثنين "
              "<script>alert(3)</script>.\nالمصدر: <b onmouseover=alert(4)>وكالة</b>\n")
TITLE = '"} ; DROP ALL ; {"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    src = root / "in"
    src.mkdir()
    (src / "en <x> #1.txt").write_text(EN_HOSTILE, encoding="utf-8")
    (src / "ar.txt").write_text(AR_HOSTILE, encoding="utf-8")
    records = [
        {"id": '../<id> "#frag"\nx', "text": EN_HOSTILE, "title": TITLE, "lang": "en",
         "outlet": 'Evil"> <http://evil.example/> .\n#', "url": 'http://x.example/"><script>alert(5)</script>',
         "published": "2024-03-04"},
        {"id": "أخبار عاجلة", "text": AR_HOSTILE, "title": "</script><script>alert(6)</script>", "lang": "ar"},
    ]
    (src / "lines.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                                     encoding="utf-8")
    out = root / "o"
    run_kg("build", str(src), "--output", str(out), "--no-html")
    return out


def test_injection_built_graph_iris_are_all_safe_and_outputs_parse(hostile):
    store = pyoxigraph.Store.read_only(str(hostile / "store"))
    quads = list(store)
    articles = {q.graph_name for q in quads if q.graph_name.value.startswith(iri.article_graph("x").value[:-1])}
    assert len(articles) == 4  # two files and two JSON lines, none lost to odd ids
    for q in quads:
        for t in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(t, NamedNode):
                _assert_safe_iri(t.value)
    trig = list(pyoxigraph.parse(path=str(hostile / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))
    ttl = list(pyoxigraph.parse(path=str(hostile / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert set(trig) == set(quads) and len(ttl) > 0


def test_injection_hostile_text_is_stored_verbatim(hostile):
    store = Store(hostile / "store", read_only=True)
    texts = {r["t"].value for r in run(store, "SELECT ?t WHERE { ?a kg:text ?t }")}
    assert texts == {EN_HOSTILE, AR_HOSTILE}
    titles = {r["t"].value for r in run(store, "SELECT ?t WHERE { ?a dcterms:title ?t }")}
    assert titles == {TITLE, "</script><script>alert(6)</script>"}


def test_injection_sparql_parameter_is_bound_not_spliced(hostile):
    store = Store(hostile / "store", read_only=True)
    before = set(store.quads())
    # (pyoxigraph's substitutions, SEP-0007, bind variables of the SELECT list)
    q = "SELECT ?a ?title WHERE { ?a dcterms:title ?title }"
    rows = list(run(store, q, {Variable("title"): Literal(TITLE)}))
    assert len(rows) == 1  # the value matched as a value: exactly the article with that title
    assert list(run(store, "SELECT ?a ?id WHERE { ?a kg:articleId ?id }", {Variable("id"): Literal(TITLE)})) == []
    assert set(store.quads()) == before


def test_injection_query_never_runs_an_update(hostile):
    writable = Store(hostile / "store")
    before = set(writable.quads())
    with pytest.raises(QueryError):
        writable.query("DROP ALL")
    proc = run_kg("query", "DELETE WHERE { ?s ?p ?o }", "--output", str(hostile), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert set(writable.quads()) == before


def _cli_has_param() -> bool:
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--help"], capture_output=True, text=True)
    return "--param" in proc.stdout


def test_injection_cli_param_is_bound_not_spliced(hostile):
    if not _cli_has_param():
        pytest.skip("`kg query --param` is not there yet (issue #5)")
    before = set(pyoxigraph.Store.read_only(str(hostile / "store")))
    proc = run_kg("query", "SELECT ?a ?title WHERE { ?a dcterms:title ?title }", "--param", f"title={TITLE}",
                  "--output", str(hostile), "--format", "csv", check=False)
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:
        assert len(proc.stdout.strip().splitlines()) == 2, proc.stdout  # header + the one article
    assert set(pyoxigraph.Store.read_only(str(hostile / "store"))) == before


def test_injection_html_carries_text_only_as_data(hostile, tmp_path):
    from kg.viz import write_html
    page, benign = tmp_path / "graph.html", tmp_path / "benign.html"
    write_html(Store(hostile / "store", read_only=True), page)
    html = page.read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<b onmouseover", "\"><script>", "</script><script>alert"):
        assert raw not in html, raw
    # the page's own script tags only: as many as in the page of a harmless graph
    make_corpus(tmp_path / "benign", 4)
    run_kg("build", str(tmp_path / "benign"), "--output", str(tmp_path / "b"), "--no-html")
    write_html(Store(tmp_path / "b" / "store", read_only=True), benign)
    plain = benign.read_text(encoding="utf-8")
    # ("onerror=" may appear in the JSON data as text, after an escaped "\\u003c": inert)
    for tag in ("<script", "</script", "<img", "<iframe", "<b ", "<svg"):
        assert html.lower().count(tag) == plain.lower().count(tag), tag


# ---------------------------------------------------------------------------- the UPDATE path

def _roundtrip(store: Store, values: list[str]) -> list[str]:
    g = NamedNode("http://example.org/g")
    quads = [Quad(NamedNode(f"http://example.org/s{i}"), NamedNode(str(KG.text)), Literal(v), g)
             for i, v in enumerate(values)]
    quads += [Quad(NamedNode(f"http://example.org/l{i}"), NamedNode(str(KG.text)), Literal(v, language="ar"), g)
              for i, v in enumerate(values)]
    store.replace_graph(g, quads)
    got = {q.subject.value: q.object for q in store.quads()}
    assert len(got) == len(quads)  # the previous example's graph is gone
    return [got[f"http://example.org/s{i}"].value for i in range(len(values))] + \
        [got[f"http://example.org/l{i}"].value for i in range(len(values))]


def test_injection_update_path_keeps_hostile_literals_verbatim(tmp_path):
    values = HOSTILE + ['"""', "'''", "\\", "\\u0022", "\\\\u0041", "\\U0001F600", "}\n} ; CLEAR ALL ; INSERT DATA {",
                        "\r\n", "\u2028\u2029\x85", "\x7f\x1b[31m", "# comment\n"]
    assert _roundtrip(Store(tmp_path / "s"), values) == values * 2


def test_injection_bulk_path_keeps_hostile_literals_verbatim(tmp_path):
    """A build writes new articles through the bulk loader (`Store.append`): the same text comes back."""
    values = HOSTILE + ["\\u0022", "}\n} ; CLEAR ALL ; INSERT DATA {", "\r\n", "\u2028\u2029\x85"]
    store = Store(tmp_path / "s")
    g = NamedNode("http://example.org/g")
    store.append([Quad(NamedNode(f"http://example.org/s{i}"), NamedNode(str(KG.text)), Literal(v), g)
                  for i, v in enumerate(values)])
    got = {q.subject.value: q.object.value for q in store.quads()}
    assert [got[f"http://example.org/s{i}"] for i in range(len(values))] == values


@pytest.fixture(scope="module")
def rt_store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("rt") / "s")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_injection_update_path_keeps_any_text(rt_store, values):
    store = rt_store  # one store: each example swaps the same graph, so earlier ones are dropped
    values = [v.encode("utf-8", "replace").decode("utf-8") for v in values]  # no lone surrogates in RDF
    assert _roundtrip(store, values) == values * 2
