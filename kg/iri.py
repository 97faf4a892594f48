"""The one place where instance IRIs are minted, always from canonical keys.

Text never reaches an IRI: a key that is not plain `[A-Za-z0-9_.-]` becomes a hash, so
names with `<`, `"`, spaces, newlines or Arabic letters give safe, stable IRIs.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pyoxigraph import NamedNode

from .vocab import ID_BASE

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$")
KINDS = ("entity", "event", "claim", "article", "source", "mention", "graph/article", "graph", "contradiction",
         "bucket", "pair")


def digest(*parts: object) -> str:
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:20]


@lru_cache(maxsize=65_536)  # entity keys recur in every article; a digest each time cost #8's builds
def slug(key: str) -> str:
    return key if _SAFE.match(key) else "h" + digest(key)


def mint(kind: str, key: str) -> NamedNode:
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}")
    return NamedNode(f"{ID_BASE}{kind}/{slug(key)}")


def entity(key: str) -> NamedNode:
    return mint("entity", key)


def article(article_id: str) -> NamedNode:
    return mint("article", article_id)


def article_graph(article_id: str) -> NamedNode:
    return mint("graph/article", article_id)


GAZETTEER_GRAPH = mint("graph", "gazetteer")
