"""`build`: read articles, extract, and load each into the store in its own transaction."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import graph, iri
from .errors import InputError
from .extract.pipeline import process
from .ingest import ReadOptions, read_articles
from .models import Article
from .store import Store


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)


def ingest_article(store: Store, article: Article) -> None:
    """Extract one article and swap its named graph in the store."""
    doc = process(article)
    store.replace_graph(iri.article_graph(article.id), graph.document_quads(doc))
    store.add(graph.gazetteer_quads(graph.referenced_keys(doc)))


def build(paths: list[Path], store: Store, max_chars: int = 2_000_000,
          on_article: Callable[[str, str | None], None] | None = None) -> BuildReport:
    """Ingest every article under `paths`; a bad file is reported and the batch goes on.

    `on_article(source, problem)` is called after each article or problem (for progress).
    """
    started = time.perf_counter()
    report = BuildReport()
    for item in read_articles(paths, ReadOptions(max_chars=max_chars)):
        if isinstance(item, InputError):
            report.skipped += 1
            report.problems.append(str(item))
            if on_article:
                on_article(item.source, str(item))
            continue
        ingest_article(store, item)
        report.articles += 1
        if on_article:
            on_article(item.source, None)
    store.flush()
    report.seconds = time.perf_counter() - started
    report.stats = stats(store)
    return report


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
