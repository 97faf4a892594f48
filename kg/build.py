"""`build`: read articles, extract, and load each into the store in its own transaction."""
from __future__ import annotations

import hashlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from pyoxigraph import NamedNode

from . import __version__, fusion, graph, iri
from .errors import ExtractionError, InputError, StoreError, ViewTooLargeError
from .extract.pipeline import process
from .ingest import Item, Notice, ReadOptions, read_articles
from .models import Article, Document
from .parallel import map_in_order
from .resolve import Resolution, remember, resolve
from .resolve_index import EventIndex, People
from .store import APPEND_BATCH, Store
from .vocab import KG

_MENTIONS = NamedNode(str(KG.mentions))


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    unchanged: int = 0  # already in the store with the same content hash
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # read anyway: encoding, language, date, id
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)  # files written after the build (write_outputs)
    html_skipped: str | None = None  # why graph.html was not written, if it was asked for
    validation: Any = None  # kg.validate.ValidationReport when the build was validated


def ingest_article(store: Store, article: Article) -> tuple[bool, set[str]]:
    """Extract one article, resolve it against the store and swap its named graph.

    Returns (changed, events whose fusion data may have changed). An article already in the
    store with the same content hash (same text, metadata and extractor) is left as it is.
    """
    h = content_hash(article)
    if stored_hash(store, article) == h:
        return False, asserted_events(store, iri.article_graph(article.id))
    return True, write_article(store, article, h, extract(article))


def extract(article: Article) -> Document | str:
    """Extraction alone (pure: no store), run in a worker process with --jobs; a failure
    comes back as its message, so one odd article never ends the batch (#7).

    The document comes back with what resolution and the graph read (names, events, outlet):
    its sentences, triggers and date mentions, already in its events, stay behind. They were
    40 % of what a worker sent back, and unpickling them is work for the main process (#8)."""
    try:
        return replace(process(article), sentences=(), triggers=(), dates=())
    except Exception as e:  # a rule tripped by odd text must not stop the batch (#7)
        return f"extraction failed ({type(e).__name__}: {e}); article skipped — please report it with this file"


def warm_up() -> None:
    """Load the gazetteer, lexicons and matchers once per worker, before the first article."""
    extract(Article(id="warm-up", text="Reuters said on Monday that a drone attack hit Baghdad.", lang="en",
                    source="warm-up"))


# A build gathers new articles' quads and sends them to the store together, in one atomic write
# (`Store.append`, pyoxigraph's bulk loader: a third of a transaction's cost a quad, and fewer
# merges of RocksDB's files the fewer writes there are; decision 053). A batch is a quarter of what
# the build has written so far, from BATCH_MIN quads (a dozen articles: a small build's articles
# land as it goes) up to `kg.store.APPEND_BATCH` (about 3,000 news articles).
BATCH_MIN = 2_000


class Writer:
    """Resolves extracted articles against one store and writes them, in the order given, each
    whole; keeps what a build learns as it goes:
    - the gazetteer entries whose labels it has written (`labelled`): an earlier write made them
      durable, so they are not written again — they were half of every article's quads, and the
      gazetteer bounds the set's size (#8);
    - the index of stored events and people that resolution looks candidates up in
      (`kg.resolve_index`), read from the store when first needed and extended by each write.

    New articles are gathered up to `batch_quads` quads and written together in one atomic write
    (`Store.append`); an article already stored is swapped in a transaction of its own, after
    everything gathered before it (`Store.replace_graph`). Either way the store holds a prefix
    of the articles at any moment, each whole, and a killed build loses at most a batch, which a
    rerun writes (decision 030).

    With `background`, writes run in a thread while the next articles are resolved and turned
    into quads (pyoxigraph releases the GIL while it writes). One write is in flight at most.
    Resolution reads the store, so what it needs from an article not yet landed (its own graph,
    or an event it reports that the index's caches do not hold: `EventIndex.pending`) makes it
    `settle()` first. Call `close()` at the end: it writes what is gathered, waits for it and
    raises the error of a failed write, if any.
    """

    def __init__(self, store: Store, background: bool = False, batch_quads: int = 0) -> None:
        self.store = store
        self.labelled: set[str] = set()
        self.unlabelled: set[tuple] = set()  # (node, label) a re-ingested article no longer states
        # (node, label) pairs this build has copied into the fusion graph: an article's labels
        # are mostly names copied before (3,800 distinct labels in 2.5 M at 100k articles), and
        # writing them again cost a tenth of a build's writes (#8)
        self.copied: set[tuple] = set()
        self.born: set[str] = set()  # events first reported by a new article of this build
        self.mentioned: set[str] = set()  # entities an article of this build mentions, or mentioned before it
        self._index: EventIndex | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="kg-writer") if background else None
        self._in_flight: Future | None = None
        self._batch_quads = batch_quads  # the most quads gathered before they are sent
        self._batch: list = []  # quads of new articles gathered, not sent yet
        self._sent = 0  # quads sent so far
        self._batch_graphs: set[NamedNode] = set()
        self._batch_events: set[str] = set()
        # Graphs and events of the articles sent or gathered that have not landed in the store
        self._unlanded_graphs: set[NamedNode] = set()
        self._unlanded_events: set[str] = set()

    @property
    def index(self) -> EventIndex:
        if self._index is None:  # read lazily: a build of unchanged articles never needs it
            self.settle()
            self._index = EventIndex.load(self.store)
            self._index.settle = self.settle
            self._index.pending = self._unlanded_events
        return self._index

    def write(self, article: Article, h: str, doc: Document | str) -> set[str]:
        """Resolve an extracted article against the store and write its named graph whole (the
        old one swapped out); returns the events whose fusion data may have changed."""
        if isinstance(doc, str):
            raise ExtractionError(article.source, doc)
        g = iri.article_graph(article.id)
        if g in self._unlanded_graphs:  # the same article again before it landed: read what it wrote
            self.settle()
        stored = self.store.has_graph(g)  # a re-ingest: what the article said before is undone
        before = asserted_events(self.store, g) if stored else set()
        people_before = People.pairs_in(self.store, g) if stored else []
        labels_before = fusion.stated_labels(self.store, g) if stored else set()
        self.mentioned |= mentioned_in(self.store, g) if stored else set()
        try:
            res = resolve(doc, self.store, self.index)
        except StoreError:  # a write that failed while resolution waited for it: the build stops
            raise
        except Exception as e:  # as in extraction: one article's odd data must not stop the batch
            raise ExtractionError(article.source, f"extraction failed ({type(e).__name__}: {e}); article skipped — "
                                                  "please report it with this file") from e
        keys = graph.referenced_keys(res.doc) - self.labelled
        quads = graph.document_quads(res.doc, res.events, h)
        labels = fusion.label_pairs(quads)  # each label once in the fusion graph, for name searches
        self.mentioned |= {q.object.value for q in quads if q.predicate == _MENTIONS}  # their article counts
        self.unlabelled |= labels_before - labels
        copies = fusion.label_copies(labels - self.copied)
        self.copied |= labels
        events = before | {link.node.value for link in res.events}
        self._unlanded_graphs.add(g)
        self._unlanded_events.update(events)
        # The article goes whole with the gazetteer labels it needs (crash safety, #7) and the
        # fusion graph's copy of its labels.
        also = graph.gazetteer_quads(keys) + copies
        if stored:
            self._send_batch()  # what was gathered before it lands first
            self._send(lambda: self.store.replace_graph(g, quads, also), {g}, events)
        else:
            self._gather(g, quads + also, events)
            self.born.update(link.node.value for link in res.events if not link.merged_on)
        self.labelled |= keys  # labels sent: every later write lands after them
        self._remember(g, res, before, people_before, new=not stored)
        return events

    def _gather(self, g: NamedNode, quads: list, events: set[str]) -> None:
        self._batch.extend(quads)
        self._batch_graphs.add(g)
        self._batch_events.update(events)
        if len(self._batch) >= min(self._batch_quads, max(BATCH_MIN, self._sent // 4)):
            self._send_batch()

    def _send_batch(self) -> None:
        if not self._batch:
            return
        quads, graphs, events = self._batch, self._batch_graphs, self._batch_events
        self._batch, self._batch_graphs, self._batch_events = [], set(), set()
        self._sent += len(quads)
        self._send(lambda: self.store.append(quads), graphs, events)

    def _send(self, write: Callable[[], None], graphs: set[NamedNode], events: set[str]) -> None:
        """Run one write after the one in flight (nothing is gathered: it is this write)."""
        self._wait()
        self._unlanded_graphs.intersection_update(graphs)  # what was in flight has landed
        self._unlanded_events.intersection_update(events)
        if self._pool is None:
            write()
            self._unlanded_graphs.clear()
            self._unlanded_events.clear()
        else:
            self._in_flight = self._pool.submit(write)

    def _wait(self) -> None:
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            in_flight.result()

    def settle(self) -> None:
        """Write what is gathered and wait until every write has landed; the error of a write that
        failed is raised here."""
        self._send_batch()
        self._wait()
        self._unlanded_graphs.clear()
        self._unlanded_events.clear()

    def close(self) -> None:
        try:
            self.settle()
        finally:
            if self._pool is not None:
                self._pool.shutdown()

    def _remember(self, g: NamedNode, res: Resolution, before: set[str], people_before: list,
                  new: bool) -> None:
        """Keep the index in step with the graph sent (a failed write ends the build, so the
        index never names for long what the store does not hold)."""
        index = self.index
        index.published.forget(g)
        index.reports.forget(before)  # a re-ingest: what the old graph said of them goes
        index.people.count(people_before, -1)
        index.people.count(graph.person_match_keys(res.doc))
        remember(index, res, new)


def write_article(store: Store, article: Article, h: str, doc: Document | str) -> set[str]:
    """One article through a `Writer` of its own (a build keeps one Writer for all its articles)."""
    return Writer(store).write(article, h, doc)


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A digest of the code and data that turn text into quads: a change re-extracts."""
    root = Path(__file__).parent
    files = sorted(p for d in ("extract", "resources", "text") for p in (root / d).rglob("*")
                   if p.is_file() and p.suffix in (".py", ".json", ".jsonl"))
    files += [root / n for n in ("graph.py", "resolve.py", "resolve_index.py", "fusion_rules.py", "iri.py", "models.py")]
    h = hashlib.sha1(__version__.encode())
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def content_hash(article: Article) -> str:
    a = article
    return iri.digest(extractor_fingerprint(), a.id, a.text, a.lang, a.url, a.outlet, a.title, a.published)


def stored_hash(store: Store, article: Article) -> str | None:
    if not store.has_graph(iri.article_graph(article.id)):
        return None  # a new article: no SPARQL request to parse (most articles of a build)
    res = store.query("SELECT ?h ?g ?a ?p WHERE { GRAPH ?g { ?a ?p ?h } }",
                      substitutions={"g": iri.article_graph(article.id), "a": iri.article(article.id),
                                     "p": NamedNode(str(KG.contentHash))})
    for r in res:
        return r["h"].value
    return None


def mentioned_in(store: Store, g: NamedNode) -> set[str]:
    """The entities the article of graph `g` mentions."""
    return {q.object.value for q in store.raw.quads_for_pattern(None, _MENTIONS, None, g)}


def asserted_events(store: Store, g: NamedNode) -> set[str]:
    if not store.has_graph(g):
        return set()
    res = store.query("SELECT DISTINCT ?e ?g ?p WHERE { GRAPH ?g { ?c ?p ?e } }",
                      substitutions={"g": g, "p": NamedNode(str(KG.asserts))})
    return {r["e"].value for r in res}


def build(paths: list[Path], store: Store, max_chars: int = 2_000_000,
          on_article: Callable[[str, str | None], None] | None = None, jobs: int = 1) -> BuildReport:
    """Ingest every article under `paths`; a bad file is reported and the batch goes on.

    `on_article(source, message)` is called after each article (message None), and for each
    skipped input or notice with its one-line message (for progress). With `jobs` > 1,
    extraction runs in that many worker processes; resolution and writes stay here, in
    article order, so the store is the same whatever `jobs` is.
    """
    started = time.perf_counter()
    report = BuildReport()
    copy_labels = fusion.labels_missing(store)  # a store built before the fusion graph kept them
    writer = Writer(store, background=True, batch_quads=APPEND_BATCH)
    planned = _plan(store, read_articles(paths, ReadOptions(max_chars=max_chars)))
    try:
        with closing(map_in_order(extract, planned, jobs, initializer=warm_up, preload=("kg.build",))) as results:
            touched = _ingest(results, writer, report, on_article)
    finally:
        writer.close()  # the last write lands (or its error is raised) before the fusion refresh
    fusion.refresh(store, touched, new=writer.born, mentioned=writer.mentioned)
    fusion.forget_labels(store, writer.unlabelled)
    if copy_labels:
        fusion.copy_all_labels(store)
    store.flush()
    report.seconds = time.perf_counter() - started
    report.stats = stats(store)
    return report


def _ingest(results: Iterator, writer: Writer, report: BuildReport,
            on_article: Callable[[str, str | None], None] | None) -> set[str]:
    """Write each extracted article in order, counting and reporting as it goes; returns the
    events whose fusion data may have changed."""
    touched: set[str] = set()
    for (item, h), doc in results:
        if isinstance(item, Notice):
            report.notices.append(str(item))
            if on_article:
                on_article(item.source, str(item))
            continue
        if isinstance(item, Article):
            try:
                if h is None:  # unchanged: only its events' fusion data is refreshed (a build
                    # killed before its refresh is finished by the next one), and its entities' counts
                    touched |= asserted_events(writer.store, iri.article_graph(item.id))
                    writer.mentioned |= mentioned_in(writer.store, iri.article_graph(item.id))
                    report.unchanged += 1
                else:
                    touched |= writer.write(item, h, doc)
            except ExtractionError as e:
                item = e
        if isinstance(item, InputError):
            report.skipped += 1
            report.problems.append(str(item))
            if on_article:
                on_article(item.source, str(item))
            continue
        report.articles += 1
        if on_article:
            on_article(item.source, None)
    return touched


def write_outputs(store: Store, out: Path, report: BuildReport, html: bool = True) -> None:
    """Write graph.trig, graph.ttl and (with `html`) graph.html under `out`, noting them in `report`.

    A graph too big for one page leaves the page out (`report.html_skipped` says why): the store
    and the RDF files are what a build is for, and `kg viz --focus` draws a part of it."""
    from . import export as exporters
    from .viz import write_html

    out.mkdir(parents=True, exist_ok=True)
    for fmt, name in (("trig", "graph.trig"), ("turtle", "graph.ttl")):
        exporters.export(store, fmt, out / name)
        report.outputs.append(out / name)
    if html:
        try:
            write_html(store, out / "graph.html")
            report.outputs.append(out / "graph.html")
        except ViewTooLargeError as e:
            report.html_skipped = str(e)


def _plan(store: Store, items: Iterator[Item]) -> Iterator[tuple[tuple[Item, str | None], Article | None]]:
    """Tag each input with its content hash and say what to extract: an article whose hash
    is stored already is not extracted again (it only reads its own graph, which no other
    article of the batch writes, so looking ahead of the writes is safe)."""
    for item in items:
        if isinstance(item, Article):
            h = content_hash(item)
            if stored_hash(store, item) != h:
                yield (item, h), item
                continue
        yield (item, None), None


def stats(store: Store) -> dict[str, int]:
    """Counts a user cares about, by SPARQL over the store."""
    from .vocab import KG

    def count(where: str) -> int:
        res = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(res))["n"].value)

    return {
        "articles": count(f"?a a <{KG.Article}>"),
        "entities": count(f"SELECT DISTINCT ?e WHERE {{ ?a <{KG.mentions}> ?e }}"),
        "events": count(f"SELECT DISTINCT ?e WHERE {{ ?e a <{KG.Event}> }}"),
        "claims": count(f"?c a <{KG.Claim}>"),
        "triples": count("GRAPH ?g { ?s ?p ?o }"),
    }
