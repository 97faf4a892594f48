"""`kg build --jobs N` (issue #8): extraction in worker processes gives the same store as one
process — resolution and writes stay in article order — and the library streams its input."""
from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph

from conftest import run_kg
from kg.parallel import map_in_order
from synthetic import make_corpus

# Above kg.parallel's serial_below (32 articles), so --jobs 2 really starts workers.
N_ARTICLES = 80
FLAGS = ("--no-html", "--no-validate")


def _nquads(out: Path) -> list[str]:
    data = run_kg("export", "--format", "nquads", "--output", str(out)).stdout
    return sorted(line for line in data.splitlines() if line.strip())


def test_parallel_build_gives_the_same_quads_as_one_process(tmp_path):
    corpus = make_corpus(tmp_path / "in", N_ARTICLES)
    one, two = tmp_path / "jobs1", tmp_path / "jobs2"
    run_kg("build", str(corpus), "--output", str(one), "--jobs", "1", *FLAGS)
    run_kg("build", str(corpus), "--output", str(two), "--jobs", "2", *FLAGS)
    q1, q2 = _nquads(one), _nquads(two)
    assert len(q1) > 1000
    assert q1 == q2  # no blank nodes: the N-Quads lines themselves are equal, fusion graph included


def test_parallel_rebuild_skips_unchanged_articles(tmp_path):
    corpus = make_corpus(tmp_path / "in", N_ARTICLES)
    out = tmp_path / "out"
    run_kg("build", str(corpus), "--output", str(out), "--jobs", "2", *FLAGS)
    first = _nquads(out)
    run_kg("build", str(corpus), "--output", str(out), "--jobs", "2", *FLAGS)
    assert _nquads(out) == first


def _square(x: int) -> int:
    return x * x


def test_map_in_order_keeps_order_and_passes_untouched_items_through():
    items = [(i, i if i % 3 else None) for i in range(100)]
    got = list(map_in_order(_square, items, jobs=2, chunk=4, serial_below=8))
    assert got == [(i, i * i if i % 3 else None) for i in range(100)]


def test_map_in_order_reads_its_input_lazily():
    taken = []

    def endless():
        for i in itertools.count():
            taken.append(i)
            yield i, i

    results = map_in_order(_square, endless(), jobs=2, chunk=4, ahead=2, serial_below=8)
    first = list(itertools.islice(results, 10))
    results.close()
    assert first == [(i, i * i) for i in range(10)]
    assert len(taken) <= 10 + 2 * 2 * 4 + 8  # bounded look-ahead, not the whole stream


def test_pyoxigraph_nquads_have_no_blank_nodes_to_rename(tmp_path):
    corpus = make_corpus(tmp_path / "in", 10)
    out = tmp_path / "out"
    run_kg("build", str(corpus), "--output", str(out), *FLAGS)
    quads = list(pyoxigraph.parse(input="\n".join(_nquads(out)), format=pyoxigraph.RdfFormat.N_QUADS))
    assert not any(isinstance(t, pyoxigraph.BlankNode) for q in quads for t in (q.subject, q.object))
