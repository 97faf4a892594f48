"""`build`: read articles, extract, and load each into the store in its own transaction."""
from __future__ import annotations

import hashlib
import time
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from pyoxigraph import NamedNode

from . import __version__, fusion, graph, iri
from .errors import ExtractionError, InputError
from .extract.pipeline import process
from .ingest import Item, Notice, ReadOptions, read_articles
from .models import Article, Document
from .parallel import map_in_order
from .resolve import resolve
from .store import Store
from .vocab import KG


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    unchanged: int = 0  # already in the store with the same content hash
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # read anyway: encoding, language, date, id
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)


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
    comes back as its message, so one odd article never ends the batch (#7)."""
    try:
        return process(article)
    except Exception as e:  # a rule tripped by odd text must not stop the batch (#7)
        return f"extraction failed ({type(e).__name__}: {e}); article skipped — please report it with this file"


def warm_up() -> None:
    """Load the gazetteer, lexicons and matchers once per worker, before the first article."""
    extract(Article(id="warm-up", text="Reuters said on Monday that a drone attack hit Baghdad.", lang="en",
                    source="warm-up"))


def write_article(store: Store, article: Article, h: str, doc: Document | str,
                  labelled: set[str] | None = None) -> set[str]:
    """Resolve an extracted article against the store and swap its named graph in one
    transaction; returns the events whose fusion data may have changed.

    `labelled`: gazetteer entries whose labels this build has written already (updated here).
    An earlier article's transaction made them durable, so they are not written again — they
    were half of every article's quads, and the gazetteer bounds the set's size (#8)."""
    if isinstance(doc, str):
        raise ExtractionError(article.source, doc)
    g = iri.article_graph(article.id)
    before = asserted_events(store, g)
    try:
        res = resolve(doc, store)
    except Exception as e:  # as in extraction: one article's odd data must not stop the batch
        raise ExtractionError(article.source, f"extraction failed ({type(e).__name__}: {e}); article skipped — "
                                              "please report it with this file") from e
    keys = graph.referenced_keys(res.doc) - (labelled or set())
    # One transaction for the article and the gazetteer labels it needs (crash safety, #7).
    store.replace_graph(g, graph.document_quads(res.doc, res.events, h), also=graph.gazetteer_quads(keys))
    if labelled is not None:
        labelled |= keys
    return before | {link.node.value for link in res.events}


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A digest of the code and data that turn text into quads: a change re-extracts."""
    root = Path(__file__).parent
    files = sorted(p for d in ("extract", "resources", "text") for p in (root / d).rglob("*")
                   if p.is_file() and p.suffix in (".py", ".json", ".jsonl"))
    files += [root / n for n in ("graph.py", "resolve.py", "fusion_rules.py", "iri.py", "models.py")]
    h = hashlib.sha1(__version__.encode())
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def content_hash(article: Article) -> str:
    a = article
    return iri.digest(extractor_fingerprint(), a.id, a.text, a.lang, a.url, a.outlet, a.title, a.published)


def stored_hash(store: Store, article: Article) -> str | None:
    res = store.query("SELECT ?h ?g ?a ?p WHERE { GRAPH ?g { ?a ?p ?h } }",
                      substitutions={"g": iri.article_graph(article.id), "a": iri.article(article.id),
                                     "p": NamedNode(str(KG.contentHash))})
    for r in res:
        return r["h"].value
    return None


def asserted_events(store: Store, g: NamedNode) -> set[str]:
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
    touched: set[str] = set()
    labelled: set[str] = set()
    planned = _plan(store, read_articles(paths, ReadOptions(max_chars=max_chars)))
    with closing(map_in_order(extract, planned, jobs, initializer=warm_up, preload=("kg.build",))) as results:
        for (item, h), doc in results:
            if isinstance(item, Notice):
                report.notices.append(str(item))
                if on_article:
                    on_article(item.source, str(item))
                continue
            if isinstance(item, Article):
                try:
                    if h is None:  # unchanged: only its events' fusion data is refreshed
                        touched |= asserted_events(store, iri.article_graph(item.id))
                        report.unchanged += 1
                    else:
                        touched |= write_article(store, item, h, doc, labelled)
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
    fusion.refresh(store, touched)
    store.flush()
    report.seconds = time.perf_counter() - started
    report.stats = stats(store)
    return report


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
