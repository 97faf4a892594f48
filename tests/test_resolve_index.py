"""The resolution index (issue #8): it finds every stored event a report may join, so looking
candidates up by type, key and day merges exactly what a look at every event sharing a key would.

Property tests on made-up reports (dates of every precision, known and unknown publication
dates, reports of one event spread over several articles), and builds through the real store:
an index read back from a store equals the one a build kept as it wrote, and a build that
continues an existing store merges as one that ran at once.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pyoxigraph
from hypothesis import given, settings, strategies as st

from conftest import make_article, run_kg
from kg import fusion_rules as rules
from kg import iri
from kg.resolve_index import EventIndex, Published, Reports, _probe
from kg.store import Store

KEYS = [iri.entity(k).value for k in ("ain_al_asad_air_base", "baghdad", "kataib_hezbollah")]
DAY0 = date(2024, 2, 20)


def _iso(day: int, precision: str) -> str:
    d = (DAY0 + timedelta(days=day)).isoformat()
    return {"day": d, "month": d[:7], "year": d[:4]}[precision]


dates = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["day", "day", "month", "year"])), max_size=2)
published = st.one_of(st.none(), st.integers(0, 40))
reports = st.lists(st.tuples(st.integers(0, 7), st.sampled_from(KEYS), dates, published), max_size=25)


def _facts(ds, pub) -> rules.Facts:
    f = rules.Facts(dates={_iso(d, p) for d, p in ds})
    if pub is not None:
        f.published.add(_iso(pub, "day"))
    return f


@settings(max_examples=300, deadline=None)
@given(reports=reports, mine_dates=dates, mine_pub=published, key=st.sampled_from(KEYS))
def test_resolve_index_finds_every_event_that_may_match(reports, mine_dates, mine_pub, key):
    """Whatever the dates: every event whose reports, taken together, pass `may_match` is found."""
    index = EventIndex()
    together: dict[str, rules.Facts] = defaultdict(rules.Facts)
    for event, x, ds, pub in reports:
        e = f"http://example.org/event/{event}"
        f = _facts(ds, pub)
        index.add("Attack", e, [x], sorted(f.dates), next(iter(f.published), None))
        if x == key:
            together[e].dates |= f.dates
            together[e].published |= f.published
    mine = _facts(mine_dates, mine_pub)
    wanted = {e for e, f in together.items() if rules.may_match(mine, f)}
    found = index.candidates("Attack", [key], mine)
    assert wanted <= set(found)
    assert found == sorted(found), "candidates come in IRI order (stable ties)"


def test_resolve_index_probes_only_nearby_days_for_a_dated_report():
    index = EventIndex()
    for day in range(0, 60):
        index.add("Attack", f"http://example.org/event/{day:03d}", [KEYS[0]], [_iso(day, "day")], None)
    found = index.candidates("Attack", [KEYS[0]], _facts([(30, "day")], 31))
    assert found == [f"http://example.org/event/{d:03d}" for d in (29, 30, 31)]
    assert index.candidates("Meeting", [KEYS[0]], _facts([(30, "day")], 31)) == []


def test_resolve_index_never_indexes_states():
    index = EventIndex()
    index.add("Attack", "http://example.org/event/1", [iri.entity("iraq").value], [_iso(0, "day")], None)
    b = index._keys.get(("Attack", iri.entity("iraq").value))
    assert b is None and list(_probe_all(index)) == []


def _probe_all(index: EventIndex):
    for b in index._keys.values():
        yield from (e for events in _probe(b, rules.Facts()) for e in events)


EN = """March 4, 2024
Kataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq on Sunday, March 3.
Source: Reuters
"""
AR = """الاثنين 4 مارس 2024
أعلنت كتائب حزب الله مسؤوليتها عن هجوم بطائرة مسيرة استهدف قاعدة عين الأسد الجوية في العراق يوم الأحد 3 مارس/آذار.
المصدر | وكالة الأناضول
"""
EN_LATER = """March 5, 2024
Kataib Hezbollah said it launched a drone attack on Ain al-Asad Air Base in Iraq on Monday, March 4.
Source: AFP
"""
MEETING = """April 28, 2024
Omani Foreign Minister Badr Albusaidi met Houthi spokesman Mohammed Abdulsalam in Muscat on Saturday, April 27.
"""


def _snapshot(index: EventIndex) -> dict:
    return {k: (dict((d, sorted(v)) for d, v in b.day.items() if v), sorted(b.coarse),
                dict((d, sorted(v)) for d, v in b.published.items() if v), sorted(b.unknown))
            for k, b in index._keys.items()}


def test_resolve_index_read_from_a_store_equals_the_one_a_build_kept(tmp_path):
    from kg.build import Writer, content_hash, extract
    from kg.ingest import ReadOptions, read_articles
    from kg.models import Article

    for name, text in (("en.txt", EN), ("ar.txt", AR), ("later.txt", EN_LATER), ("meeting.txt", MEETING)):
        make_article(tmp_path / "in", name, text)
    store = Store(tmp_path / "store")
    writer = Writer(store)
    for a in read_articles([tmp_path / "in"], ReadOptions()):
        if isinstance(a, Article):
            writer.write(a, content_hash(a), extract(a))
    assert writer.index.count >= 4
    assert _snapshot(EventIndex.load(store)) == _snapshot(writer.index)


def _nquads(store_dir) -> set[str]:
    return {str(q) for q in pyoxigraph.Store.read_only(str(store_dir))}


def test_resolve_index_a_build_continued_on_a_store_merges_as_one_build(tmp_path):
    """The second build reads the index from the store: same merges, same quads."""
    for name, text in (("a_en.txt", EN), ("b_meeting.txt", MEETING)):
        make_article(tmp_path / "first", name, text)
        make_article(tmp_path / "all", name, text)
    for name, text in (("c_ar.txt", AR), ("d_later.txt", EN_LATER)):
        make_article(tmp_path / "second", name, text)
        make_article(tmp_path / "all", name, text)
    flags = ("--no-html", "--no-validate")
    run_kg("build", str(tmp_path / "first"), "--output", str(tmp_path / "twice"), *flags)
    run_kg("build", str(tmp_path / "second"), "--output", str(tmp_path / "twice"), *flags)
    run_kg("build", str(tmp_path / "all"), "--output", str(tmp_path / "once"), *flags)
    twice, once = _nquads(tmp_path / "twice" / "store"), _nquads(tmp_path / "once" / "store")
    strip = lambda qs: {q for q in qs if "sourceFile" not in q}  # noqa: E731 (the folders differ)
    assert strip(twice) == strip(once)
    assert sum("mergedOn" in q for q in once) > 0, "the articles merged"


def test_resolve_index_caches_keep_what_a_batch_has_not_written_yet():
    """A build's batch is resolved against before it lands: a new event's only account and the
    publication dates noted last stay cached, whatever else the caches drop."""
    published = Published(None, limit=4)
    graphs = [pyoxigraph.NamedNode(f"http://example.org/g{i}") for i in range(10)]
    for i, g in enumerate(graphs):
        published.note(g, f"2024-01-{i + 1:02d}")
    assert [published.of(g) for g in graphs[-2:]] == ["2024-01-09", "2024-01-10"]
    reports = Reports(limit=3)
    reports.add("http://example.org/e1", ("g", frozenset(), (), (), ()))  # not cached: not kept
    assert not reports.holds("http://example.org/e1")
    for i in range(5):
        reports.add(f"http://example.org/new{i}", (graphs[i], frozenset(), (), (), ()), only=True)
    assert [reports.holds(f"http://example.org/new{i}") for i in range(5)] == [False, False, True, True, True]
