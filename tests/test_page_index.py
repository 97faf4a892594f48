"""The page index (kg.page_index): the buckets the shipped queries read to choose their first
page without sorting every row (#8). Real `kg build` runs over short synthetic articles
(tests/synthetic.py) into real Oxigraph stores; the index is checked against what the article
graphs say, after a first build, a new batch and a re-ingest, and the pages it gives against
every row of the same query."""
from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest

from conftest import run_kg
from kg import query as kgq
from kg.fusion import FUSION_GRAPH
from kg.store import Store
from kg.vocab import KG
from synthetic import make_corpus

REUTERS = "https://w3id.org/kgnews/id/entity/reuters"
UNION = {"use_default_graph_as_union": True}


def _build(src: Path, out: Path) -> None:
    run_kg("build", str(src), "--no-html", "--no-validate", "--jobs", "1", "--output", str(out))


def _index(raw: pyoxigraph.Store) -> dict[tuple[str, str, str], tuple[int, int, frozenset[str]]]:
    """(property, key, order) -> (size, offset, events), as the fusion graph holds it."""
    members: dict[str, set[str]] = defaultdict(set)
    for q in raw.quads_for_pattern(None, pyoxigraph.NamedNode(str(KG.inBucket)), None, FUSION_GRAPH):
        members[q.object.value].add(q.subject.value)
    out = {}
    q = f"""SELECT ?b ?p ?k ?o ?n ?off WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?b a <{KG.IndexBucket}> ;
            <{KG.bucketProperty}> ?p ; <{KG.bucketKey}> ?k ; <{KG.bucketOrder}> ?o ; <{KG.bucketSize}> ?n ;
            <{KG.bucketOffset}> ?off }} }}"""
    for r in raw.query(q):
        out[(r["p"].value, r["k"].value, r["o"].value)] = (int(r["n"].value), int(r["off"].value),
                                                          frozenset(members.pop(r["b"].value, ())))
    assert not members, f"events in buckets the index does not describe: {sorted(members)[:3]}"
    return out


def _expected(raw: pyoxigraph.Store) -> dict[tuple[str, str, str], tuple[int, int, frozenset[str]]]:
    """The same, worked out from the article graphs and the stored counts with plain SPARQL."""
    events: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    q = f"""SELECT ?e ?o ?d WHERE {{
              GRAPH ?g {{ ?c <{KG.asserts}> ?e ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?a }}
              {{ GRAPH ?g {{ ?c <{KG.reportedBy}> ?o }} }} UNION {{ GRAPH ?g {{ ?a <{KG.outlet}> ?o }} }}
              OPTIONAL {{ GRAPH ?g {{ ?e <{KG.date}> ?d }} }} }}"""
    for r in raw.query(q):
        order = r["d"].value[:7] if r["d"] is not None else "~"
        events[(str(KG.outlet), r["o"].value, order)].add(r["e"].value)
    q = f"""SELECT DISTINCT ?e ?n ?class WHERE {{ ?e <{KG.corroboration}> ?n ; a ?class .
              FILTER(STRSTARTS(STR(?class), "{KG}")) }}"""
    for r in raw.query(q, **UNION):
        events[(str(KG.corroboration), r["class"].value, r["n"].value)].add(r["e"].value)
    out = {}
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for (prop, key, order), evs in events.items():
        by_key[(prop, key)].append((order, evs))
    for (prop, key), buckets in by_key.items():
        buckets.sort(key=lambda b: -int(b[0]) if prop == str(KG.corroboration) else b[0])
        offset = 0
        for order, evs in buckets:
            out[(prop, key, order)] = (len(evs), offset, frozenset(evs))
            offset += len(evs)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "all", 36, seed=11, jsonl_every=0)


@pytest.fixture(scope="module")
def indexed(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("indexed") / "output"
    _build(corpus, out)
    return out


def test_page_index_holds_every_event_in_the_buckets_its_articles_give(indexed):
    raw = pyoxigraph.Store.read_only(str(indexed / "store"))
    index = _index(raw)
    assert index == _expected(raw)
    props = {p for p, _, _ in index}
    assert props == {str(KG.outlet), str(KG.corroboration)}
    assert any(k == REUTERS for _, k, _ in index)  # the outlet of every synthetic article
    assert len({o for p, k, o in index if k == REUTERS}) > 3  # several months


def _two_batches(corpus: Path, tmp_path: Path, n: int, end: int | None = None) -> tuple[Path, Path]:
    """Folders for two builds on one store: the corpus's first `n` articles, then those from `n`
    up to `end` (the rest when None)."""
    files = sorted(corpus.glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, part in ((first, files[:n]), (second, files[n:end])):
        folder.mkdir()
        for f in part:
            shutil.copy(f, folder / f.name)
    return first, second


def test_page_index_follows_a_new_batch_and_a_reingested_article(corpus, tmp_path):
    first, second = _two_batches(corpus, tmp_path, 20)
    out = tmp_path / "out"
    _build(first, out)
    _build(second, out)  # a new batch: only its articles are read
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    assert _index(raw) == _expected(raw)
    before = _index(raw)
    del raw
    # Re-ingest one article with other dates: its events move to other months' buckets.
    changed = sorted(first.glob("*.txt"))[0]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("2024", "2023"), encoding="utf-8")
    _build(first, out)
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    after = _index(raw)
    assert after == _expected(raw)
    assert after != before
    assert any(k == REUTERS and o.startswith("2023") for p, k, o in after)


def test_page_index_is_added_to_a_store_fusion_refreshed_before_it(corpus, tmp_path):
    first, second = _two_batches(corpus, tmp_path, 10, 11)
    out = tmp_path / "out"
    _build(first, out)
    store = Store(out / "store")  # as an older kg left it: fusion data, no page index
    store.update(f"""DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?e <{KG.inBucket}> ?b }} }} ;
                     DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?b a <{KG.IndexBucket}> ; ?p ?o }} }}""")
    store.flush()
    del store
    _build(second, out)  # one new article: every event gets indexed
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    index = _index(raw)
    assert index == _expected(raw)
    assert sum(n for (p, k, _), (n, _, _) in index.items() if k == str(KG.Event)) == len(
        list(raw.quads_for_pattern(None, pyoxigraph.NamedNode(str(KG.corroboration)), None, FUSION_GRAPH)))


def _rows(store: Store, name: str, params: dict[str, str]) -> kgq.Table:
    """The query's rows, each list cell ("date; agent") in one order: GROUP_CONCAT joins values in
    whatever order the engine meets them, which is not what the page index decides."""
    table = kgq.run_query(store, name=name, params=params)
    norm = [[("; ".join(sorted(v.split("; "))) if isinstance(v, str) and "; " in v else v) for v in r]
            for r in table.rows]
    return kgq.Table(table.columns, norm, table.more)


@pytest.mark.parametrize("name, params, key", [
    ("outlet-reports", {"outlet": REUTERS}, "date"),
    ("outlet-reports", {"outlet": REUTERS, "since": "2024-03-15"}, "date"),
    ("outlet-reports", {"outlet": REUTERS, "since": "2024-02", "until": "2024-06-10"}, "date"),
    ("outlet-reports", {"outlet": REUTERS, "until": "2024"}, "date"),
    ("corroboration", {}, "corroboration"),
    ("corroboration", {"type": "kg:Attack"}, "corroboration"),
    ("corroboration", {"min": "1", "type": "kg:Meeting"}, "corroboration"),
])
def test_page_index_pages_are_the_first_rows_of_every_row(indexed, tmp_path, name, params, key):
    store = Store(indexed / "store", read_only=True)
    everything = _rows(store, name, {**params, "limit": "0"})
    assert len(everything.rows) > 12, "a page must leave rows out for this test to mean something"
    col = everything.columns.index(key)
    for n in (1, 2, 5, 12):
        page = _rows(store, name, {**params, "limit": str(n)})
        assert page.more and len(page.rows) == n
        assert all(r in everything.rows for r in page.rows)
        # The same sort values as the first n rows (rows tied at the page's edge may be any of them).
        assert sorted(map(str, (r[col] for r in page.rows))) == sorted(map(str, (r[col] for r in everything.rows[:n])))
    # Without the index (a store fusion has not indexed) the query reads every row, with the same answer.
    bare = Store(tmp_path / "bare")
    bare.raw.extend([q for q in store.raw.quads_for_pattern(None, None, None, None)
                     if not (q.graph_name == FUSION_GRAPH and (q.predicate.value.startswith(str(KG) + "bucket")
                                                            or q.predicate.value == str(KG.inBucket)
                                                            or q.object.value == str(KG.IndexBucket)))])
    in_bucket = pyoxigraph.NamedNode(str(KG.inBucket))
    assert next(iter(bare.raw.quads_for_pattern(None, in_bucket, None, None)), None) is None
    assert _rows(bare, name, {**params, "limit": "0"}).rows == everything.rows


# --- each label once in the fusion graph (kg.fusion.label_copies), for `entities` -------------

def _label_pairs(raw: pyoxigraph.Store, in_fusion: bool) -> set[tuple[str, str]]:
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    return {(q.subject.value, str(q.object)) for q in raw.quads_for_pattern(None, label, None, None)
            if (q.graph_name == FUSION_GRAPH) == in_fusion}


def _record(path: Path, outlet: str, text: str) -> None:
    path.write_text(json.dumps({"id": "quillet-1", "lang": "en", "published": "2024-03-05", "outlet": outlet,
                                "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")


def test_fusion_keeps_each_label_once_through_new_batches_and_reingests(corpus, tmp_path):
    first, second = _two_batches(corpus, tmp_path, 8, 9)
    text = "Jake Sullivan met Ayman Safadi in Amman on Monday, March 4."
    _record(first / "quillet.jsonl", "Quillet Gazette", text)
    out = tmp_path / "out"
    _build(first, out)
    _build(second, out)  # a new batch adds its labels
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    copies = _label_pairs(raw, True)
    assert copies == _label_pairs(raw, False) and any(l.startswith('"Quillet Gazette"') for _, l in copies)
    del raw
    _record(first / "quillet.jsonl", "Quillet Daily", text)  # the article again, another outlet name
    _build(first, out)
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    copies = _label_pairs(raw, True)
    assert copies == _label_pairs(raw, False)  # the name no article uses any more is gone
    assert not any(l.startswith('"Quillet Gazette"') for _, l in copies)
    assert any(l.startswith('"Quillet Daily"') for _, l in copies)
    store = Store(out / "store", read_only=True)
    assert [r[-1] for r in kgq.run_query(store, name="entities", params={"name": "quillet d"}).rows] == [
        "https://w3id.org/kgnews/id/entity/outlet_quillet_daily"]
    assert kgq.run_query(store, name="entities", params={"name": "quillet g"}).rows == []


def test_fusion_copies_the_labels_of_a_store_built_before_it_kept_them(corpus, tmp_path):
    first, second = _two_batches(corpus, tmp_path, 6, 7)
    out = tmp_path / "out"
    _build(first, out)
    store = Store(out / "store")  # as an older kg left it: no label in the fusion graph
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    store.update(f"DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?s <{label}> ?l }} }}")
    store.flush()
    before = _rows(store, "entities", {"name": "sulliv"}).rows  # read without the copy: every label
    del store
    _build(second, out)
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    assert _label_pairs(raw, True) == _label_pairs(raw, False)
    del raw
    assert _rows(Store(out / "store", read_only=True), "entities", {"name": "sulliv"}).rows[0][-1] == before[0][-1]


def test_page_index_page_rows_line_is_rewritten_with_the_page():
    for name in ("outlet-reports", "corroboration"):
        q = kgq.get_query(name)
        assert "< 100)  # page rows" in q.text
        assert "< 26)  # page rows" in q.paged(25) and "LIMIT 26  # page" in q.paged(25)
        assert "< 101)  # page rows" in q.paged(None)
        assert "< 1000000000000000)  # page rows" in q.paged(0)  # every row: every bucket is read
    with pytest.raises(kgq.QueryError):
        kgq.parse_named("q", "# q — t\nSELECT * WHERE { FILTER(?n < 50)  # page rows\n} LIMIT 100  # page\n")
