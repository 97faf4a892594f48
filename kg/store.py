"""The embedded Oxigraph store: open, load one article per transaction, query.

Queries see the union of all named graphs as their default graph, so "what do we
know about X" spans every article, while `GRAPH ?g` still says who says so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph
from pyoxigraph import NamedNode, Quad

from .errors import QueryError, StoreBusyError, StoreError


class Store:
    """A pyoxigraph store at `path`, opened for writing or read-only."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here; run `kg build` first or pass --store")
                self._store = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = pyoxigraph.Store(str(self.path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreBusyError(f"{self.path}: another kg process is writing this store; "
                                     "wait for it to finish or use another --store") from None
            raise StoreError(f"{self.path}: cannot open the store ({e})") from None
        self.read_only = read_only

    @property
    def raw(self) -> pyoxigraph.Store:
        return self._store

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Swap one article's graph: drop the old one, then add the new quads atomically.

        Each step is one transaction, so a kill leaves the article whole or absent, never partial.
        """
        quads = list(quads)
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        self._store.extend(quads)

    def add(self, quads: Iterable[Quad]) -> None:
        self._store.extend(list(quads))

    def has_graph(self, graph: NamedNode) -> bool:
        return self._store.contains_named_graph(graph)

    def query(self, sparql: str, substitutions: dict | None = None):
        try:
            return self._store.query(sparql, use_default_graph_as_union=True,
                                     substitutions=substitutions or None)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL: {str(e).splitlines()[0]}") from None
        except OSError as e:
            raise QueryError(f"query failed: {e}") from None

    def quads(self) -> Iterable[Quad]:
        return self._store.quads_for_pattern(None, None, None, None)

    def dump(self, output, fmt: pyoxigraph.RdfFormat, from_graph=None) -> None:
        if from_graph is None:
            self._store.dump(output, fmt)
        else:
            self._store.dump(output, fmt, from_graph=from_graph)

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()
