"""The build's writer (issue #8): writes in a background thread, and new articles gathered in
batches, give the same store as one write per article in line; writes run one at a time and in
order, and a failed write stops the build with its error. (A SIGKILL at any moment leaving only
whole articles is tested on real builds in test_crash.py, readers during a build in
test_concurrency.py.)
"""
from __future__ import annotations

import pyoxigraph
import pytest

from conftest import make_article
from kg import iri
from kg.build import Writer, content_hash, extract
from kg.errors import StoreError
from kg.ingest import ReadOptions, read_articles
from kg.models import Article
from kg.store import Store

ARTICLES = {
    "a_en.txt": "March 4, 2024\nKataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq "
                "on Sunday, March 3.\nSource: Reuters\n",
    "b_ar.txt": "الاثنين 4 مارس 2024\nأعلنت كتائب حزب الله مسؤوليتها عن هجوم بطائرة مسيرة استهدف قاعدة عين الأسد "
                "الجوية في العراق يوم الأحد 3 مارس/آذار.\nالمصدر | وكالة الأناضول\n",
    "c_en.txt": "March 5, 2024\nKataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq "
                "on Monday, March 4.\nSource: AFP\n",
    "d_en.txt": "April 28, 2024\nOmani Foreign Minister Badr Albusaidi met Houthi spokesman Mohammed Abdulsalam "
                "in Muscat on Saturday, April 27.\n",
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[tuple[Article, str, object]]:
    folder = tmp_path_factory.mktemp("in")
    for name, text in ARTICLES.items():
        make_article(folder, name, text)
    arts = [a for a in read_articles([folder], ReadOptions()) if isinstance(a, Article)]
    return [(a, content_hash(a), extract(a)) for a in arts]


def _write_all(path, extracted, background: bool, batch_quads: int = 0) -> set[str]:
    writer = Writer(Store(path), background=background, batch_quads=batch_quads)
    touched: set[str] = set()
    for a, h, doc in extracted:
        touched |= writer.write(a, h, doc)
    writer.close()
    return touched


@pytest.mark.parametrize("background,batch_quads", [(True, 0), (False, 10**6), (True, 10**6)],
                         ids=["background", "one-batch", "one-batch-background"])
def test_build_writer_gives_the_same_store_as_one_write_per_article_in_line(tmp_path, extracted, background,
                                                                           batch_quads):
    """In one batch, the Arabic report resolves against the English one before either is in the
    store: it still joins it (the index's caches), as it does when each article is written at once."""
    t1 = _write_all(tmp_path / "inline", extracted, background=False)
    t2 = _write_all(tmp_path / "other", extracted, background=background, batch_quads=batch_quads)
    assert t1 == t2
    q1 = set(pyoxigraph.Store.read_only(str(tmp_path / "inline")))
    q2 = set(pyoxigraph.Store.read_only(str(tmp_path / "other")))
    assert q1 == q2 and any("mergedOn" in str(q.predicate) for q in q1), "the reports merged"


def test_build_writer_batch_lands_whole_when_settled(tmp_path, extracted):
    store = Store(tmp_path / "s")
    writer = Writer(store, background=True, batch_quads=10**6)
    for a, h, doc in extracted:
        writer.write(a, h, doc)
    assert not list(store.quads()), "gathered, not written yet"
    writer.settle()
    graphs = {q.graph_name.value for q in store.quads()}
    assert {iri.article_graph(a.id).value for a, _, _ in extracted} <= graphs
    writer.close()


def test_build_writer_same_article_twice_in_one_batch_is_swapped(tmp_path, extracted):
    """The second copy finds the first still gathered: the batch is written, then the swap."""
    a, h, doc = extracted[0]
    once = tmp_path / "once"
    _write_all(once, [extracted[0]], background=False)
    writer = Writer(Store(tmp_path / "twice"), background=True, batch_quads=10**6)
    first = writer.write(a, h, doc)
    again = writer.write(a, h, doc)
    writer.close()
    assert first == again
    assert set(pyoxigraph.Store.read_only(str(once))) == set(pyoxigraph.Store.read_only(str(tmp_path / "twice")))


def test_build_writer_same_article_twice_in_a_row_reads_its_own_write(tmp_path, extracted):
    """A re-ingest right behind its first write waits for it: the second swap replaces the graph."""
    a, h, doc = extracted[0]
    writer = Writer(Store(tmp_path / "s"), background=True)
    first = writer.write(a, h, doc)
    again = writer.write(a, h, doc)
    writer.close()
    assert first == again


def test_build_writer_failed_background_write_stops_with_its_error(tmp_path, extracted, monkeypatch):
    store = Store(tmp_path / "s")
    writer = Writer(store, background=True)

    def fail(*args, **kwargs):
        raise StoreError("write failed (disk full)")

    monkeypatch.setattr(store, "append", fail)
    a, h, doc = extracted[0]
    writer.write(a, h, doc)  # sent: the error comes with the next wait
    with pytest.raises(StoreError, match="disk full"):
        writer.close()


def test_build_writer_failed_write_met_by_resolution_stops_the_build(tmp_path, extracted, monkeypatch):
    """The Arabic report waits for the batch holding the English one when the index's caches do
    not hold its accounts; the batch's failed write stops the build, it is not one bad article."""
    store = Store(tmp_path / "s")
    writer = Writer(store, background=True, batch_quads=10**6)

    def fail(*args, **kwargs):
        raise StoreError("write failed (disk full)")

    monkeypatch.setattr(store, "append", fail)
    (a, h, doc), (b, hb, docb) = extracted[0], extracted[1]
    writer.write(a, h, doc)
    writer.index.reports.forget(writer.index.pending)  # as if the caches had dropped them
    with pytest.raises(StoreError, match="disk full"):
        writer.write(b, hb, docb)
