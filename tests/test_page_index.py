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
        members[q.object.value].add(_pair_name(raw, q.subject))
    out = {}
    q = f"""SELECT ?b ?p ?k ?o ?n ?off WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?b a <{KG.IndexBucket}> ;
            <{KG.bucketProperty}> ?p ; <{KG.bucketKey}> ?k ; <{KG.bucketOrder}> ?o ; <{KG.bucketSize}> ?n ;
            <{KG.bucketOffset}> ?off }} }}"""
    shares: dict[tuple[str, str, str], list[tuple[int, int, frozenset[str]]]] = defaultdict(list)
    rows = list(raw.query(q))
    months = {r["b"].value: f"{r['k'].value}|{r['o'].value}" for r in rows if r["p"].value == str(KG.date)}
    for r in rows:  # a day's bucket has its month's bucket as key: named "class|month" here
        shares[(r["p"].value, months.get(r["k"].value, r["k"].value), r["o"].value)].append(
            (int(r["n"].value), int(r["off"].value), frozenset(members.pop(r["b"].value, ()))))
    assert not members, f"events in buckets the index does not describe: {sorted(members)[:3]}"
    for key, parts in shares.items():  # party pairs with one count are in several buckets (shares)
        parts.sort(key=lambda s: s[1])
        assert all(a[1] + a[0] == b[1] for a, b in zip(parts, parts[1:])), (key, parts)  # offsets add up
        out[key] = (sum(s[0] for s in parts), parts[0][1], frozenset().union(*(s[2] for s in parts)))
    return out


def _pair_name(raw: pyoxigraph.Store, node: pyoxigraph.NamedNode) -> str:
    """A party pair as "a|b" (its members in order) with its stored count checked against the
    meetings in it; any other member (an event) as its IRI."""
    parties = sorted(q.object.value for q in raw.quads_for_pattern(node, pyoxigraph.NamedNode(str(KG.pairMember)),
                                                                   None, FUSION_GRAPH))
    if not parties:
        return node.value
    meetings = {q.subject.value for q in raw.quads_for_pattern(None, pyoxigraph.NamedNode(str(KG.inPair)), node,
                                                               FUSION_GRAPH)}
    count = [q.object.value for q in raw.quads_for_pattern(node, pyoxigraph.NamedNode(str(KG.meetingCount)),
                                                           None, FUSION_GRAPH)]
    assert len(parties) == 2 and count == [str(len(meetings))], (node, parties, count, meetings)
    return "|".join(parties)


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
    # Each class's events by the month of every date any article gives them; "~": none.
    q = f"""SELECT DISTINCT ?e ?class ?d WHERE {{ ?e <{KG.corroboration}> ?n ; a ?class .
              FILTER(STRSTARTS(STR(?class), "{KG}") && ?class != <{KG.Event}>) OPTIONAL {{ ?e <{KG.date}> ?d }} }}"""
    for r in raw.query(q, **UNION):
        day = r["d"].value if r["d"] is not None else "~"
        events[(str(KG.date), r["class"].value, day[:7])].add(r["e"].value)  # the month
        events[(str(KG.date), f"{r['class'].value}|{day[:7]}", day)].add(r["e"].value)  # the day in it
    # Party pairs by the number of meetings both took part in (chairs count).
    shared: dict[str, set[str]] = defaultdict(set)
    q = f"""SELECT DISTINCT ?m ?a ?b WHERE {{ ?m a <{KG.Meeting}> ; <{KG.corroboration}> ?n .
              ?m <{KG.participant}>|<{KG.chair}> ?a . ?m <{KG.participant}>|<{KG.chair}> ?b FILTER(STR(?a) < STR(?b)) }}"""
    for r in raw.query(q, **UNION):
        shared[f"{r['a'].value}|{r['b'].value}"].add(r["m"].value)
    for name, meetings in shared.items():
        events[(str(KG.meetingCount), str(KG.PartyPair), str(len(meetings)))].add(name)
    # Entities by the number of events they take part in, in any role.
    for x, n in _entity_counts(raw).items():
        events[(str(KG.eventCount), str(KG.Entity), str(n[0]))].add(x)
    out = {}
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for (prop, key, order), evs in events.items():
        by_key[(prop, key)].append((order, evs))
    for (prop, key), buckets in by_key.items():
        buckets.sort(key=lambda b: -int(b[0]) if prop in (str(KG.corroboration), str(KG.meetingCount),
                                                          str(KG.eventCount)) else b[0])
        offset = 0
        for order, evs in buckets:
            out[(prop, key, order)] = (len(evs), offset, frozenset(evs))
            offset += len(evs)
    return out


def _entity_counts(raw: pyoxigraph.Store) -> dict[str, tuple[int, int]]:
    """entity -> (events it takes part in, articles that mention it), with plain SPARQL."""
    q = f"""SELECT ?x (COUNT(DISTINCT ?e) AS ?n) (COUNT(DISTINCT ?a) AS ?m) WHERE {{
              VALUES ?role {{ <{KG.participant}> <{KG.chair}> <{KG.agent}> <{KG.target}> <{KG.instrument}> <{KG.location}> }}
              ?e ?role ?x . OPTIONAL {{ ?a <{KG.mentions}> ?x }} }} GROUP BY ?x"""
    return {r["x"].value: (int(r["n"].value), int(r["m"].value)) for r in raw.query(q, **UNION)}


def _stored_entity_counts(raw: pyoxigraph.Store) -> dict[str, tuple[int, int]]:
    q = f"""SELECT ?x ?n ?m WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?x <{KG.eventCount}> ?n ; <{KG.articleCount}> ?m }} }}"""
    return {r["x"].value: (int(r["n"].value), int(r["m"].value)) for r in raw.query(q)}


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
    assert props == {str(KG.outlet), str(KG.corroboration), str(KG.date), str(KG.meetingCount), str(KG.eventCount)}
    assert _stored_entity_counts(raw) == _entity_counts(raw)
    assert any(p == str(KG.meetingCount) and int(o) > 1 for p, _, o in index)  # pairs that met more than once
    assert any(k == REUTERS for _, k, _ in index)  # the outlet of every synthetic article
    assert len({o for p, k, o in index if k == REUTERS}) > 3  # several months


def test_page_index_counts_buckets_one_by_one_or_all_at_once_alike(indexed, monkeypatch):
    """A refresh that touches many buckets counts every membership in one query (kg.page_index._sizes)."""
    from kg import page_index
    raw = pyoxigraph.Store.read_only(str(indexed / "store"))
    nodes = {q.object for q in raw.quads_for_pattern(None, pyoxigraph.NamedNode(str(KG.inBucket)), None, FUSION_GRAPH)}
    nodes.add(pyoxigraph.NamedNode("https://w3id.org/kgnews/id/bucket/none"))  # a bucket no member is in
    monkeypatch.setattr(page_index, "_COUNT_ALL", len(nodes) + 1)
    one_by_one = page_index._sizes(raw, nodes, FUSION_GRAPH)
    monkeypatch.setattr(page_index, "_COUNT_ALL", 1)
    assert page_index._sizes(raw, nodes, FUSION_GRAPH) == one_by_one
    assert sum(one_by_one.values()) > len(nodes) > 50 and min(one_by_one.values()) == 0


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
    assert _stored_entity_counts(raw) == _entity_counts(raw)
    assert after != before
    assert any(k == REUTERS and o.startswith("2023") for p, k, o in after)


_NO_ENTITY_COUNTS = " ; ".join(
    f"DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?s <{p}> ?o }} }}" for p in (KG.involves, KG.eventCount, KG.articleCount))
_NO_INDEX = f"""DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?e <{KG.inBucket}> ?b }} }} ;
                DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?b a <{KG.IndexBucket}> ; ?p ?o }} }} ;
                DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?m <{KG.inPair}> ?pair }} }} ;
                DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?pair a <{KG.PartyPair}> ; ?p ?o }} }} ;
                {_NO_ENTITY_COUNTS}"""
# As kg 0.5 left it: buckets by outlet and by number of articles only.
_OUTLET_AND_CORROBORATION_ONLY = f"""DELETE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?e <{KG.inBucket}> ?b . ?b ?p ?o }} }}
                       WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?e <{KG.inBucket}> ?b . ?b ?p ?o .
                       ?b <{KG.bucketProperty}> ?kind
                       FILTER(?kind IN (<{KG.date}>, <{KG.meetingCount}>, <{KG.eventCount}>)) }} }} ;
                       DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?m <{KG.inPair}> ?pair }} }} ;
                       DELETE WHERE {{ GRAPH <{FUSION_GRAPH.value}> {{ ?pair a <{KG.PartyPair}> ; ?p ?o }} }} ;
                       {_NO_ENTITY_COUNTS}"""


@pytest.mark.parametrize("older", [_NO_INDEX, _OUTLET_AND_CORROBORATION_ONLY], ids=["no-index", "no-date-pair-or-entity-buckets"])
def test_page_index_is_added_to_a_store_fusion_refreshed_before_it(corpus, tmp_path, older):
    first, second = _two_batches(corpus, tmp_path, 10, 11)
    out = tmp_path / "out"
    _build(first, out)
    store = Store(out / "store")  # as an older kg left it: fusion data, no page index or part of it
    store.update(older)
    store.flush()
    assert not any(q.predicate.value == str(KG.bucketProperty) and q.object.value == str(KG.date)
                   for q in store.raw.quads_for_pattern(None, None, None, FUSION_GRAPH))
    del store
    _build(second, out)  # one new article: every event gets indexed
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    index = _index(raw)
    assert index == _expected(raw)
    assert _stored_entity_counts(raw) == _entity_counts(raw)
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
    ("attacks", {}, "date"),
    ("attacks", {"since": "2024-03-15"}, "date"),
    ("attacks", {"since": "2024-02", "until": "2024-06-10"}, "date"),
    ("interceptions", {}, "date"),
    ("interceptions", {"until": "2024-05"}, "date"),
    ("meetings", {}, "date"),
    ("meetings", {"since": "2024-02-10", "until": "2024"}, "date"),
    ("who-met-whom", {}, "meetings"),
    ("who-met-whom", {"since": "2024-03"}, "meetings"),
    ("who-met-whom", {"until": "2024-05-20"}, "meetings"),
    ("entities", {}, "events"),
])
def test_page_index_pages_are_the_first_rows_of_every_row(indexed, tmp_path, name, params, key):
    store = Store(indexed / "store", read_only=True)
    everything = _rows(store, name, {**params, "limit": "0"})
    assert len(everything.rows) > 2, "a page must leave rows out for this test to mean something"
    col = everything.columns.index(key)
    # The page's order: the earliest date first (undated last), or the largest count first. (The
    # rows are shown in another order by some queries: interceptions by interceptor.)
    def rank(value):
        return (value in (None, ""), str(value or "")) if key == "date" else -int(value)
    ranked = sorted((r[col] for r in everything.rows), key=rank)
    for n in (n for n in (1, 2, 5, 12) if n < len(everything.rows)):
        page = _rows(store, name, {**params, "limit": str(n)})
        assert page.more and len(page.rows) == n
        assert all(r in everything.rows for r in page.rows)
        # The same sort values as the first n rows (rows tied at the page's edge may be any of them).
        assert sorted((r[col] for r in page.rows), key=rank) == ranked[:n]
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


def test_entity_counts_follow_an_article_that_only_mentions_an_entity(corpus, tmp_path):
    """An article that names an entity in no event changes its number of articles, not of events:
    the `entities` listing without a name reads both from the fusion graph."""
    first, _ = _two_batches(corpus, tmp_path, 12, 12)
    out = tmp_path / "out"
    _build(first, out)
    sullivan = "https://w3id.org/kgnews/id/entity/jake_sullivan"
    before = _stored_entity_counts(pyoxigraph.Store.read_only(str(out / "store")))[sullivan]
    extra = tmp_path / "extra"  # built alone: the first batch's articles are not read again
    extra.mkdir()
    _record(extra / "quillet.jsonl", "Quillet Gazette", "Jake Sullivan spoke to reporters at length.")
    _build(extra, out)
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    assert _stored_entity_counts(raw) == _entity_counts(raw)
    assert _stored_entity_counts(raw)[sullivan] == (before[0], before[1] + 1)
    del raw
    _record(extra / "quillet.jsonl", "Quillet Gazette", "Reporters waited.")  # re-ingested: the mention goes
    _build(extra, out)
    raw = pyoxigraph.Store.read_only(str(out / "store"))
    assert _stored_entity_counts(raw)[sullivan] == before
    del raw
    rows = kgq.run_query(Store(out / "store", read_only=True), name="entities", params={})  # the index path
    row = next(r for r in rows.rows if r[-1] == sullivan)
    assert (int(row[rows.columns.index("events")]), int(row[rows.columns.index("articles")])) == before


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
