"""The embedded Oxigraph store: open, load one article per transaction, query.

Queries see the union of all named graphs as their default graph, so "what do we
know about X" spans every article, while `GRAPH ?g` still says who says so.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad

from .errors import QueryError, StoreBusyError, StoreError


# RocksDB keeps every write in memory (memtables, ~0.9 KB a quad) until a flush: a 100k-article
# build grew past 1.8 GB in 7 minutes. Flushing every so many quads keeps a build's memory flat
# (it is work the store does anyway: writing those quads to disk) — issue #8.
FLUSH_EVERY = 200_000

# pyoxigraph's bulk loader ingests up to a million quads as one set of files, one per index, in
# one RocksDB call (`IngestExternalFiles`, atomic across column families); more are split into
# several ingestions, which a reader could see one by one. `append` stays under it.
BULK_ATOMIC = 1_000_000
# The quads a caller gathers for one `append` when it can. Each bulk write adds a file per index
# that RocksDB then merges with the level below: the whole index, as long as it is under 512 MB
# (its `max_bytes_for_level_base`), so few big writes cost far less than many small ones. Half a
# million pyoxigraph quads hold ~260 MB while they wait (decision 053).
APPEND_BATCH = 500_000
APPEND_MIN = 10_000  # below this, a transaction costs little more and leaves RocksDB no file to merge


class Store:
    """A pyoxigraph store at `path`, opened for writing or read-only."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._unflushed = 0  # quads written since the last flush
        # The named graphs, read once and kept in step with this object's writes: a writable store
        # is this process's alone (RocksDB's lock), and asking pyoxigraph cost 0.5 ms a call while a
        # write was running, three calls an article (#8). None: not read yet, or a SPARQL update ran.
        self._graphs: set[NamedNode] | None = None
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here; run `kg build` first or pass --store")
                self._store = _open_read_only(self.path)
            else:
                if not (self.path / "CURRENT").exists():
                    _create(self.path)
                self._store = pyoxigraph.Store(str(self.path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreBusyError(f"{self.path}: another kg process is writing this store; "
                                     "wait for it to finish or use another --store") from None
            raise StoreError(self._cannot_open(e)) from None
        except RuntimeError as e:  # a store whose creation was cut short: column families missing
            raise StoreError(self._cannot_open(e)) from None

    def _cannot_open(self, e: Exception) -> str:
        if self.read_only and changed_under_reader(e):
            return f"{self.path}: {BEING_WRITTEN} while kg opened it; run the command again"
        if self.read_only:
            return (f"{self.path}: cannot read the store ({e}); if a build is creating it, wait for it; "
                    "if one was killed while creating it, run `kg build` again to finish it")
        return f"{self.path}: cannot open the store ({e})"

    @property
    def raw(self) -> pyoxigraph.Store:
        return self._store

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad], also: Iterable[Quad] = ()) -> None:
        """Swap one article's graph in ONE transaction: drop the old graph, insert `quads`,
        and add `also` (shared reference data such as gazetteer labels) alongside.

        A kill at any moment leaves the old graph or the new one, never a mix or nothing.
        """
        self.commit(drop=[graph], insert=[*quads, *also])

    def commit(self, drop: Iterable[NamedNode] = (), insert: Iterable[Quad] = ()) -> None:
        """Drop whole named graphs and insert quads as one atomic write.

        pyoxigraph has no transaction handle: `remove_graph` and `extend` are each their own
        transaction, so a kill between them would lose the article. One SPARQL UPDATE request
        is one transaction, so the swap is sent as `DROP SILENT GRAPH …; INSERT DATA {…}`
        (decision note docs/decisions/030-one-transaction-per-article.md).
        """
        self._writable()
        drop, insert = list(drop), list(insert)
        if insert and not any(self.has_graph(g) for g in drop):
            # Nothing to drop (a new article): `extend` is one transaction too, and it skips
            # writing and parsing the SPARQL text, which costs as much as the write itself (#8).
            _refuse_blank_nodes(insert)
            self.add(insert)
            return
        request = sparql_swap(drop, insert)
        if request:
            self._write(lambda: self._store.update(request), len(insert))
            if self._graphs is not None:
                self._graphs.difference_update(drop)
                self._graphs.update(_graphs_of(insert))

    def update(self, delete: str, insert: Iterable[Quad] = ()) -> None:
        """Run a SPARQL DELETE request and insert quads, as one atomic write (derived data)."""
        self._writable()
        insert = list(insert)
        request = " ;\n".join(x for x in (delete, sparql_swap([], insert)) if x)
        self._graphs = None  # `delete` may drop graphs: read them again when next asked
        self._write(lambda: self._store.update(request), len(insert))

    def change(self, delete: Iterable[Quad], insert: Iterable[Quad]) -> None:
        """Delete some quads and insert others, as one atomic write (derived data that changed)."""
        self._writable()
        delete, insert = list(delete), list(insert)
        if not delete:  # many quads go in bulk (a build's new derived data), a few in a transaction
            (self.append if len(insert) >= APPEND_MIN else self.add)(insert)
            return
        request = sparql_swap([], insert, delete=delete)
        self._graphs = None  # a graph may have lost its last quad: read them again when next asked
        self._write(lambda: self._store.update(request), len(delete) + len(insert))

    def replace(self, old: Iterable[Quad], new: Iterable[Quad]) -> None:
        """Replace the quads `old` by `new` as one atomic write, writing only what differs: derived
        data keeps most of its values when it is recomputed."""
        old, new = list(old), list(new)
        kept = set(old).intersection(new)
        gone = [q for q in old if q not in kept]
        added = [q for q in new if q not in kept]
        if gone or added:
            self.change(gone, added)

    def add(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction (`extend` is all-or-nothing)."""
        self._writable()
        quads = list(quads)
        self._write(lambda: self._store.extend(quads), len(quads))
        if self._graphs is not None:
            self._graphs.update(_graphs_of(quads))

    def append(self, quads: list[Quad]) -> None:
        """Add many new quads (new articles' graphs, a build's new fusion data) as one atomic write,
        through pyoxigraph's bulk loader: it writes the quads' index files and hands them to
        RocksDB in one call, which readers see whole or not at all, and it skips what makes `add`
        cost ~3× more a quad (a look-up per quad and per term, and a pass through the memtables;
        #8, decision 053).
        Quads already stored are harmless (set semantics), but nothing is removed: a swap goes
        through `commit`. More than `BULK_ATOMIC` quads go through `add`, to stay one write."""
        self._writable()
        if not quads:
            return
        if len(quads) >= BULK_ATOMIC:
            self.add(quads)
            return
        _refuse_blank_nodes(quads)
        self._write(lambda: self._store.bulk_extend(quads), 0)  # no memtable to flush: it bypasses them
        if self._graphs is not None:
            self._graphs.update(_graphs_of(quads))

    def _write(self, transaction: Callable[[], None], quads: int) -> None:
        """Run one write transaction; a failure leaves the store unchanged and says so. Counts the
        quads written towards the next memtable flush."""
        try:
            transaction()
        except (OSError, RuntimeError) as e:
            raise StoreError(f"{self.path}: write failed ({e}); the store is unchanged, "
                             "fix the cause (disk space, permissions) and run `kg build` again") from None
        self._wrote(quads)

    def _wrote(self, quads: int) -> None:
        self._unflushed += quads
        if self._unflushed >= FLUSH_EVERY:
            self.flush()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open it without read_only to write")

    def has_graph(self, graph: NamedNode) -> bool:
        if self.read_only:  # another process may be writing: ask the store each time
            return self._store.contains_named_graph(graph)
        if self._graphs is None:
            self._graphs = set(self._store.named_graphs())
        return graph in self._graphs

    def query(self, sparql: str, substitutions: dict | None = None):
        try:
            subs = {pyoxigraph.Variable(k) if isinstance(k, str) else k: v
                    for k, v in (substitutions or {}).items()}  # bound as RDF terms, never pasted
            return self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL: {str(e).splitlines()[0]}") from None
        except OSError as e:
            raise QueryError(query_failure(e)) from None
        except (RuntimeError, ValueError) as e:  # e.g. a substituted variable the query never selects
            if changed_under_reader(e):
                raise QueryError(query_failure(e)) from None
            hint = ("; a bound parameter (--param KEY=VALUE) must be a variable in the SELECT list"
                    if "projection" in str(e) else "")
            raise QueryError(f"query failed: {e}{hint}") from None

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
            self._unflushed = 0


def _graphs_of(quads: list[Quad]) -> set[NamedNode]:
    return {q.graph_name for q in quads if isinstance(q.graph_name, NamedNode)}


# A reader may open the store while a build writes it: RocksDB reads the list of its files, and
# the build may merge one of them away before the reader opens it (more often since a build
# writes in batches, decision 053). Opening again reads the new list.
BEING_WRITTEN = "the store is being written by a build and changed"
_READ_TRIES, _READ_WAIT = 20, 0.05


def changed_under_reader(e: Exception) -> bool:
    """Whether a read failed because a file of the store was merged away while it was read."""
    text = str(e)
    return "No such file or directory" in text or "size mismatch" in text


def query_failure(e: Exception) -> str:
    if changed_under_reader(e):
        return f"query failed: {BEING_WRITTEN} under this query; run it again"
    return f"query failed: {e}"


def _open_read_only(path: Path) -> pyoxigraph.Store:
    for _ in range(_READ_TRIES - 1):
        try:
            return pyoxigraph.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:
            if not changed_under_reader(e):
                raise
        time.sleep(_READ_WAIT)
    return pyoxigraph.Store.read_only(str(path))  # the last try: its error is the one reported


def _refuse_blank_nodes(quads: list[Quad]) -> None:
    """kg mints IRIs for everything (kg.iri): a blank node would be renamed by `INSERT DATA`, so the
    stored graph would differ from the one given, and a swap could not find it again."""
    if any(BlankNode in (type(q.subject), type(q.object), type(q.graph_name)) for q in quads):
        raise ValueError("blank nodes cannot be written atomically by kg.store; mint an IRI (kg.iri)")


def _create(path: Path) -> None:
    """Create an empty store at `path` all at once: initialise it under a temporary name, then
    rename it into place. pyoxigraph writes a new store's column families one by one, and a kill
    in between leaves a store readers cannot open (a writable open would finish it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    store = pyoxigraph.Store(str(tmp))
    store.flush()
    del store  # pyoxigraph has no close(): dropping the last reference releases RocksDB's LOCK
    try:
        os.rename(tmp, path)  # onto a missing or empty folder: atomic
    except OSError:  # another process made the store first, or the folder holds other files
        shutil.rmtree(tmp, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)


def sparql_swap(drop: list[NamedNode], insert: list[Quad], delete: list[Quad] = ()) -> str:
    """The SPARQL UPDATE text that drops the graphs `drop`, deletes the quads `delete`, then
    inserts `insert`.

    Terms are written in their N-Triples form, which pyoxigraph escapes and which is valid
    SPARQL (quotes, backslashes, newlines and control characters come back unchanged; a
    property test in tests/test_fuzz.py checks arbitrary text). Blank nodes are refused:
    INSERT DATA would rename them, so the stored graph would differ from the one given.
    """
    ops = [f"DROP SILENT GRAPH {g}" for g in drop]
    ops += [_data("DELETE DATA", delete)] if delete else []
    ops += [_data("INSERT DATA", insert)] if insert else []
    return " ;\n".join(ops)


def _data(operation: str, quads: list[Quad]) -> str:
    """`INSERT DATA { … }` or `DELETE DATA { … }` of `quads`, graph by graph."""
    _refuse_blank_nodes(quads)
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        graph = "" if isinstance(q.graph_name, DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(graph, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [("\n".join(ts) if not g else f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}")
              for g, ts in by_graph.items()]
    return operation + " {\n" + "\n".join(blocks) + "\n}"
