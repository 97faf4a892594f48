"""Property-based fuzzing (issue #7): arbitrary Unicode through extraction and into the store.

Text is built from pieces that make the rules fire (gazetteer names, event triggers, dates,
source cues, in Arabic and English) mixed with hostile ones (RTL and bidi marks, zero-width
joiners, emoji, control characters, diacritics, very long tokens) and arbitrary text. For
every example: extraction does not crash, every offset slices back to its text, the article
goes into a real store, its graph serializes to TriG and N-Quads that pyoxigraph parses back
to the same quads, and the stored offsets still slice the stored text.
"""
from __future__ import annotations

import json
import os
from datetime import date

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, RdfFormat

from kg import export as exporters
from kg import iri
from kg.build import ingest_article
from kg.errors import InputError
from kg.extract.pipeline import process
from kg.ingest import Notice, ReadOptions, read_articles
from kg.models import Article, Document
from kg.store import Store
from kg.vocab import KG

MAX_EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "250"))  # raise it for a long hunt

NAMES = ["Antony Blinken", "Abbas Araghchi", "Houthis", "Hezbollah", "Red Sea", "Baghdad", "Amman", "Reuters",
         "Ain al-Asad Air Base", "Israel Defense Forces", "US Central Command", "Jake Sullivan",
         "أنتوني بلينكن", "عباس عراقجي", "الحوثيين", "حزب الله", "البحر الأحمر", "بغداد", "رويترز",
         "قاعدة عين الأسد", "الجيش الإسرائيلي", "القيادة المركزية الأمريكية", "جيك سوليفان"]
CUES = ["met", "attacked", "launched a drone attack on", "intercepted", "signed an agreement", "proposed",
        "said", "according to", "told Reuters", "spokesman", "minister", "التقى", "هجوما", "شنت هجوما على",
        "اعترضت", "اتفاق", "اقترح", "قال", "وفقا لـ", "بحسب", "نقلت وكالة", "المتحدث باسم", "وزير الخارجية"]
DATES = ["March 4, 2024", "on Monday", "yesterday", "last Tuesday", "three weeks ago", "in May", "4 مارس 2024",
         "يوم الاثنين", "أمس", "قبل ثلاثة أسابيع", "27 أبريل/نيسان", "الأربعاء 23 يونيو 2021 11:15 م"]
HOSTILE = ["\u200f", "\u200e", "\u202e", "\u202b", "\u2066", "\u200d", "\u200c", "\ufeff", "\u00ad", "🚀",
           "👨\u200d👩\u200d👧", "🇮🇶", "\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\r\n", "\r",
           "مُحَمَّدٌ", "الْحُوثِيُّونَ", "ـــــ", "ﷺ", "ﻻ", "٣٤", "۴", "a" * 3000, "ب" * 2000, "X" * 200 + "-" * 200,
           "\U0010ffff", "\ufffd", "\u0301\u0301", "İ", "ß", "ﬁ", "Ⅻ"]
PUNCT = [" ", " ", " ", "\n", "\n\n", ".", ". ", "، ", "؛", "؟ ", "! ", '"', "«", "»", "(", ")", ":", "'", "-", "/"]

# whole sentences the rules know, with a hostile piece somewhere inside: events, roles, attribution
SENTENCES = [
    "{a} met {b} in {c} on Monday{x}. ", "The {a} said it launched a drone attack on {b}{x} on Sunday, {d}. ",
    "The Israeli military said its air defenses intercepted a missile fired by the {a} over {b}{x}. ",
    "{a} and {b} signed an agreement in {c}, {x}officials told Reuters. ",
    "{a} proposed a ceasefire{x} during talks with {b}, according to two officials. ",
    "التقى {a} نظيره {b} في {c}{x} يوم الاثنين. ", "أعلنت {a} أنها شنت هجوما{x} بطائرة مسيرة على {b} في {d}. ",
    "قال الجيش الإسرائيلي إن دفاعاته الجوية اعترضت صاروخا أطلقه {a} فوق {b}{x}. ",
    "وقع {a} و{b} اتفاقا في {c} بحسب {x}رويترز. ",
]
sentence = st.builds(lambda t, a, b, c, d, x: t.format(a=a, b=b, c=c, d=d, x=x), st.sampled_from(SENTENCES),
                     st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(DATES),
                     st.sampled_from(HOSTILE + [""] * 10) | st.text(max_size=4))
piece = st.one_of(sentence, st.sampled_from(NAMES), st.sampled_from(CUES), st.sampled_from(DATES),
                  st.sampled_from(HOSTILE), st.sampled_from(PUNCT), st.text(max_size=12))
texts = st.lists(piece, min_size=1, max_size=60).map("".join)
articles = st.builds(
    lambda text, lang, published, outlet, title: Article(
        id="fuzz", text=text, lang=lang, source="fuzz.txt", outlet=outlet, title=title, published=published),
    texts, st.sampled_from(["ar", "en"]), st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    st.none() | st.sampled_from(["Reuters", "رويترز"]) | st.text(min_size=1, max_size=30),
    st.none() | st.text(max_size=30))


def _no_surrogates(a: Article) -> Article:
    """The readers replace lone surrogates (kg.ingest); the fuzzer must not hand in what they never give."""
    def clean(s):
        return s.encode("utf-8", "replace").decode("utf-8") if isinstance(s, str) else s
    return Article(**{k: clean(v) for k, v in a.__dict__.items()})


def assert_offsets_slice(doc: Document) -> None:
    text = doc.article.text
    spans = [*doc.sentences, *doc.mentions, *doc.triggers, *doc.dates]
    for ev in doc.events:
        spans += [ev.trigger, ev.sentence, *(a.mention for a in ev.arguments), *ev.reported_by,
                  *(s.mention for s in ev.according_to if s.mention is not None)]
        if ev.date:
            spans.append(ev.date)
    for s in spans:
        assert 0 <= s.start <= s.end <= len(text), s
        assert text[s.start:s.end] == s.text, s


def _graph_quads(store: Store, article_id: str) -> list:
    return list(store.raw.quads_for_pattern(None, None, None, iri.article_graph(article_id)))


def assert_serializations_parse(quads: list) -> None:
    for fmt in (RdfFormat.TRIG, RdfFormat.N_QUADS):
        data = pyoxigraph.serialize(quads, format=fmt)
        assert set(pyoxigraph.parse(data, format=fmt)) == set(quads), fmt


def assert_stored_offsets_slice(store: Store, article: Article) -> None:
    g = iri.article_graph(article.id)
    [text] = [q.object.value for q in store.raw.quads_for_pattern(None, NamedNode(str(KG.text)), None, g)]
    assert text == article.text  # through SPARQL UPDATE and back, unchanged
    for surface_p in (KG.surface, KG.evidence):
        for q in store.raw.quads_for_pattern(None, NamedNode(str(surface_p)), None, g):
            start = next(store.raw.quads_for_pattern(q.subject, NamedNode(str(KG.start)), None, g)).object.value
            end = next(store.raw.quads_for_pattern(q.subject, NamedNode(str(KG.end)), None, g)).object.value
            assert text[int(start):int(end)] == q.object.value


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("fuzz") / "store")


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
@given(articles)
def test_fuzz_extraction_never_crashes_and_offsets_slice(fuzz_store, article):
    article = _no_surrogates(article)
    doc = process(article)
    assert_offsets_slice(doc)
    ingest_article(fuzz_store, article)
    quads = _graph_quads(fuzz_store, article.id)
    assert quads, "the article graph is in the store"
    assert_serializations_parse(quads)
    assert_stored_offsets_slice(fuzz_store, article)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(articles, min_size=1, max_size=4))
def test_fuzz_store_exports_parse(tmp_path_factory, batch):
    """Several fuzzed articles side by side in one store: every kg exporter's RDF output parses."""
    store = Store(tmp_path_factory.mktemp("fx") / "store")
    for i, a in enumerate(batch):
        ingest_article(store, Article(**{**_no_surrogates(a).__dict__, "id": f"fuzz{i}"}))
    want = set(store.quads())
    out = tmp_path_factory.mktemp("fxo")
    for name, fmt in (("trig", RdfFormat.TRIG), ("nquads", RdfFormat.N_QUADS)):
        exporters.export(store, name, out / f"g.{name}")
        assert set(pyoxigraph.parse(path=str(out / f"g.{name}"), format=fmt)) == want
    exporters.export(store, "turtle", out / "g.ttl")
    triples = {(q.subject, q.predicate, q.object) for q in want}
    parsed = pyoxigraph.parse(path=str(out / "g.ttl"), format=RdfFormat.TURTLE)
    got = {(t.subject, t.predicate, t.object) for t in parsed}
    assert got == triples
    exporters.export(store, "jsonld", out / "g.jsonld")
    assert set(pyoxigraph.parse(path=str(out / "g.jsonld"), format=RdfFormat.JSON_LD)) == want


@pytest.mark.parametrize("text", [
    "\u202e" + "التقى أنتوني بلينكن عباس عراقجي في بغداد أمس." + "\u200f",
    "Antony Blinken\u200d met Abbas Araghchi\u200c in Baghdad yesterday 🚀\x00.",
    "مُحَمَّدٌ " + "ب" * 5000 + " التقى جيك سوليفان",
    "\r\n".join(["Source: Reuters"] * 3),
    "\ufeffMarch 4, 2024\nThe Houthis attacked the Red Sea.\nSource: " + "x" * 100,
])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_fuzz_known_hard_cases(tmp_path, text, lang):
    article = Article(id="hard", text=text, lang=lang, source="hard.txt", published=date(2024, 3, 4))
    assert_offsets_slice(process(article))
    store = Store(tmp_path / "s")
    ingest_article(store, article)
    assert_serializations_parse(_graph_quads(store, "hard"))
    assert_stored_offsets_slice(store, article)


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000) | texts.map(lambda t: t.encode("utf-8", "replace")) | st.sampled_from(
    [b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"%PDF"]).flatmap(
    lambda bom: st.binary(max_size=200).map(lambda b: bom + b)), st.sampled_from([".txt", ".jsonl"]))
def test_fuzz_readers_never_crash_on_any_bytes(tmp_path_factory, raw, suffix):
    """Any file content gives articles, skips or notices: never an exception, never a lone surrogate."""
    path = tmp_path_factory.mktemp("rd") / f"f{suffix}"
    path.write_bytes(raw if suffix == ".txt" else raw + b"\n" + json.dumps({"text": raw.decode("latin-1")}).encode())
    for item in read_articles([path], ReadOptions(max_chars=5000)):
        assert isinstance(item, (Article, InputError, Notice))
        if isinstance(item, Article):
            item.text.encode("utf-8")  # storable: no lone surrogates
            assert item.text.strip() and item.lang in ("ar", "en")
        else:
            assert "\n" not in str(item) and str(item).startswith(str(path))


def test_fuzz_example_count_is_recorded():
    assert MAX_EXAMPLES >= 200  # the closing note of issue #7 cites this figure
