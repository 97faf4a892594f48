"""Crash safety (issue #7): a real `kg build` killed with SIGKILL leaves only whole articles,
and a rerun completes the store to a dataset isomorphic to an uninterrupted build.

Each article (its named graph and the gazetteer labels it needs) is written by one SPARQL
UPDATE request, which pyoxigraph runs as one transaction (docs/decisions/030-…).
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pyoxigraph
import pytest
from pyoxigraph import BlankNode, NamedNode, Quad

from conftest import run_kg
from kg import iri
from kg.errors import StoreError
from kg.store import Store, sparql_swap
from kg.vocab import KG
from synthetic import make_corpus

N_ARTICLES = 80
# No HTML page and no SHACL run: they only read the store, and they would slow every run down.
FLAGS = ("--no-html", "--no-validate")
ARTICLE_GRAPH = iri.article_graph("x").value.rsplit("/", 1)[0] + "/"


def _dataset(store_dir: Path) -> set[Quad]:
    return set(pyoxigraph.Store.read_only(str(store_dir)))


def _by_graph(quads: set[Quad]) -> dict[str, set[Quad]]:
    out: dict[str, set[Quad]] = defaultdict(set)
    for q in quads:
        out[str(q.graph_name)].add(q)
    return out


def describe_difference(got: set[Quad], want: set[Quad]) -> str:
    """Which predicates differ, and how often: says at a glance what a failed comparison means."""
    count: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in got - want:
        count[q.predicate.value][0] += 1
    for q in want - got:
        count[q.predicate.value][1] += 1
    lines = [f"  {p}: {extra} extra, {missing} missing" for p, (extra, missing) in sorted(count.items())]
    hint = ("\n  (only kg:contentHash differs: the extractor's code or data changed between the two builds, "
            "e.g. edited while the tests ran)") if set(count) == {str(KG.contentHash)} else ""
    return "\n".join(lines) + hint


def assert_isomorphic(a: set[Quad], b: set[Quad]) -> None:
    """Datasets equal up to blank-node names: per named graph with rdflib when blank nodes occur."""
    has_bnodes = any(isinstance(t, BlankNode) for q in a | b for t in (q.subject, q.object, q.graph_name))
    if not has_bnodes:
        assert a == b, "datasets differ:\n" + describe_difference(a, b)
        return
    from rdflib import Graph
    from rdflib.compare import isomorphic
    ga, gb = _by_graph(a), _by_graph(b)
    assert ga.keys() == gb.keys()
    for name in ga:
        g1, g2 = Graph(), Graph()
        g1.parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in ga[name]), format="nt")
        g2.parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in gb[name]), format="nt")
        assert isomorphic(g1, g2), name


class Progress:
    """Reads the tqdm bar of `kg build --progress` from the child's stderr: files done so far."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.done = 0
        self.text = b""
        self._t = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._t.start()

    def join(self) -> None:
        self._t.join(timeout=10)

    def _read(self, proc: subprocess.Popen) -> None:
        fd = proc.stderr.fileno()
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                return
            self.text += chunk
            counts = re.findall(rb"\| *(\d+)/\d+", self.text[-400:])
            if counts:
                self.done = int(counts[-1])


def build_and_kill(corpus: Path, out: Path, until: Callable[[Progress, float], bool],
                   timeout: float = 120) -> tuple[int, bool]:
    """Start a real build and SIGKILL it as soon as `until(progress, seconds since start)` holds.

    Returns (files done when killed, whether the build had already finished)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--output", str(out),
                             *FLAGS, "--progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    progress = Progress(proc)
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < timeout:
        if until(progress, time.monotonic() - started):
            break
        time.sleep(0.002)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    progress.join()  # the reader sees EOF before its pipe is closed
    proc.stdout.close()
    proc.stderr.close()
    return progress.done, finished


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("crash") / "corpus", N_ARTICLES)


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("clean") / "o"
    t = time.monotonic()
    run_kg("build", str(corpus), "--output", str(out), *FLAGS)
    quads = _dataset(out / "store")
    return {"quads": quads, "graphs": _by_graph(quads), "seconds": time.monotonic() - t,
            "files": len(list(corpus.iterdir()))}


def check_only_whole_articles(store_dir: Path, clean: dict) -> int:
    """Every article graph in the killed store equals the clean build's graph of that article, and
    the gazetteer labels it refers to are there too. Returns how many articles are present."""
    killed = _by_graph(_dataset(store_dir))
    gaz = str(iri.GAZETTEER_GRAPH)
    present = [g for g in killed if g.startswith("<" + ARTICLE_GRAPH)]
    for g in present:
        assert killed[g] == clean["graphs"][g], \
            f"article graph {g} is not whole after the kill:\n" + describe_difference(killed[g], clean["graphs"][g])
        referenced = {q.object for q in killed[g] if isinstance(q.object, NamedNode)}
        wanted = {q for q in clean["graphs"][gaz] if q.subject in referenced}
        assert wanted <= killed.get(gaz, set()), f"gazetteer labels of {g} missing: same transaction expected"
    assert killed.get(gaz, set()) <= clean["graphs"][gaz]
    return len(present)


def derived_quads(store_dir: Path) -> int:
    """Quads outside article and gazetteer graphs (the fusion graph), to tell where a kill landed."""
    graphs = _by_graph(_dataset(store_dir))
    return sum(len(qs) for g, qs in graphs.items()
               if not g.startswith("<" + ARTICLE_GRAPH) and g != str(iri.GAZETTEER_GRAPH))


def _open_cleanly(out: Path) -> None:
    proc = run_kg("stats", "--output", str(out))  # a real process opens the killed store
    assert re.search(r"articles: \d+", proc.stdout)


# (how to kill, when): after N files by the progress bar, or after some seconds from start
# After N files by the progress bar, when the bar is full (the kill lands in the fusion refresh,
# the stats or the exports), or at a fraction of a clean build's time (anywhere, also inside a
# transaction or before the store exists).
KILL_POINTS = [
    ("files", 1), ("files", N_ARTICLES // 2), ("end", None), ("export", None),
    ("time", 0.05), ("time", 0.35), ("time", 0.65),
]


@pytest.mark.parametrize("how,when", KILL_POINTS, ids=[f"{h}-{w}" for h, w in KILL_POINTS])
def test_crash_sigkill_leaves_whole_articles_and_rerun_is_isomorphic(tmp_path, corpus, clean, how, when):
    out = tmp_path / "o"
    files = clean["files"]
    if how == "files":
        done, finished = build_and_kill(corpus, out, lambda p, t: p.done >= when)
    elif how == "end":  # all articles in: the kill lands in the fusion refresh or the stats
        done, finished = build_and_kill(corpus, out, lambda p, t: p.done >= files)
    elif how == "export":  # the fusion graph is written: the kill lands in writing graph.trig / graph.ttl
        done, finished = build_and_kill(corpus, out, lambda p, t: any(
            (out / n).exists() for n in ("graph.trig.part", "graph.trig")))
    else:
        # (a loaded machine can make this run faster than the clean one: a full bar stops it too)
        done, finished = build_and_kill(corpus, out, lambda p, t: t >= when * clean["seconds"] or p.done >= files)
    assert not finished, "the build finished before the kill; make the corpus bigger"
    if (out / "store" / "CURRENT").exists():
        _open_cleanly(out)
        present = check_only_whole_articles(out / "store", clean)
        derived = derived_quads(out / "store")
    else:
        present = derived = 0  # killed before the store was created
    print(f"kill {how}={when}: {done} files done by the bar, {present} whole articles in the store, "
          f"{derived} derived (fusion) quads")
    if how == "export":  # everything was in before the exports began: the store is already final
        assert_isomorphic(_dataset(out / "store"), clean["quads"])
    run_kg("build", str(corpus), "--output", str(out), *FLAGS)
    assert_isomorphic(_dataset(out / "store"), clean["quads"])


def test_crash_killed_twice_then_rerun_is_isomorphic(tmp_path, corpus, clean):
    out = tmp_path / "o"
    build_and_kill(corpus, out, lambda p, t: p.done >= N_ARTICLES // 3)
    first = check_only_whole_articles(out / "store", clean)
    build_and_kill(corpus, out, lambda p, t: p.done >= 2 * N_ARTICLES // 3)  # a rerun killed in turn
    second = check_only_whole_articles(out / "store", clean)
    assert 0 < first <= second
    run_kg("build", str(corpus), "--output", str(out), *FLAGS)
    assert_isomorphic(_dataset(out / "store"), clean["quads"])


# ---------------------------------------------------------------------------- the transaction itself

def _q(s: str, o: str, g: str) -> Quad:
    return Quad(NamedNode(f"http://example.org/{s}"), NamedNode("http://example.org/p"),
                pyoxigraph.Literal(o), NamedNode(f"http://example.org/{g}"))


def test_crash_swap_is_one_transaction(tmp_path):
    """A failing request changes nothing: the DROP before it is rolled back with it."""
    store = Store(tmp_path / "s")
    store.replace_graph(NamedNode("http://example.org/g"), [_q("a", "old", "g")])
    before = set(store.quads())
    request = sparql_swap([NamedNode("http://example.org/g")], [_q("a", "new", "g")])
    with pytest.raises(Exception):
        # the same request followed by an operation that fails: nothing of it may stick
        store.raw.update(request + " ;\nCREATE GRAPH <http://example.org/g>")
    assert set(store.quads()) == before
    store.replace_graph(NamedNode("http://example.org/g"), [_q("a", "new", "g")], also=[_q("b", "ref", "gaz")])
    assert {q.object.value for q in store.quads()} == {"new", "ref"}


_CREATE = "import sys, pyoxigraph, time; print('go', flush=True); s = pyoxigraph.Store(sys.argv[1]); time.sleep(30)"


def _half_created_store(root: Path) -> Path | None:
    """Kill a process while pyoxigraph creates a store, until the store it leaves is unreadable."""
    for i in range(40):
        path = root / f"s{i}"
        proc = subprocess.Popen([sys.executable, "-c", _CREATE, str(path)], stdout=subprocess.PIPE)
        proc.stdout.readline()  # counted from the start of the creation, not of the interpreter
        time.sleep(0.01 + 0.003 * i)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if (path / "CURRENT").exists():
            try:
                pyoxigraph.Store.read_only(str(path))
            except Exception:
                return path
    return None


def test_crash_during_store_creation_says_what_to_do_and_a_build_repairs_it(tmp_path):
    path = _half_created_store(tmp_path)
    if path is None:
        pytest.skip("no kill landed inside pyoxigraph's store creation on this machine")
    with pytest.raises(StoreError, match="run `kg build` again to finish it"):
        Store(path, read_only=True)
    Store(path).add([_q("a", "1", "g")])  # a writable open completes the creation
    assert len(list(Store(path, read_only=True).quads())) == 1


def test_crash_new_store_appears_whole(tmp_path):
    """kg creates a store under a temporary name and renames it: no half-made store at the path."""
    Store(tmp_path / "out" / "store")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["store"]
    assert Store(tmp_path / "out" / "store", read_only=True).read_only


def test_crash_swap_refuses_blank_nodes():
    with pytest.raises(ValueError, match="blank nodes"):
        sparql_swap([], [Quad(BlankNode(), NamedNode("http://example.org/p"), BlankNode())])


def test_crash_append_refuses_blank_nodes_and_writes_nothing(tmp_path):
    store = Store(tmp_path / "s")
    quads = [_q("a", "1", "g"), Quad(BlankNode(), NamedNode("http://example.org/p"), BlankNode(),
                                     NamedNode("http://example.org/g"))]
    with pytest.raises(ValueError, match="blank nodes"):
        store.append(quads)
    assert not list(store.quads())
