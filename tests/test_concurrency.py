"""Concurrency (issue #7), with real processes: a second `kg build` on a store that a build is
writing fails fast with a clear message and corrupts nothing; `kg query` during a build
answers from a consistent snapshot (whole articles only) or says the store is busy.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_kg
from kg.errors import StoreBusyError
from kg.store import Store
from synthetic import make_corpus
from test_crash import FLAGS, Progress, _dataset, assert_isomorphic

N_ARTICLES = 80
CLAIMS_PER_ARTICLE = """
SELECT ?id (COUNT(?c) AS ?claims) WHERE {
  GRAPH ?g { ?a kg:articleId ?id . OPTIONAL { ?c prov:wasDerivedFrom ?a } }
} GROUP BY ?id"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("conc") / "corpus", N_ARTICLES, seed=11)


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("clean") / "o"
    run_kg("build", str(corpus), "--output", str(out), *FLAGS)
    rows = json.loads(run_kg("query", CLAIMS_PER_ARTICLE, "--output", str(out), "--format", "json").stdout)
    return {"quads": _dataset(out / "store"), "claims": {r["id"]: r["claims"] for r in rows}}


def _start_build(corpus: Path, out: Path, wait_files: int = 10) -> tuple[subprocess.Popen, Progress]:
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--output", str(out),
                             *FLAGS, "--progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    progress = Progress(proc)
    deadline = time.monotonic() + 60
    while progress.done < wait_files and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the first build ended too soon; make the corpus bigger"
    return proc, progress


def test_concurrency_second_build_fails_fast_and_corrupts_nothing(tmp_path, corpus, clean):
    out = tmp_path / "o"
    first, progress = _start_build(corpus, out)
    t = time.monotonic()
    second = run_kg("build", str(corpus), "--output", str(out), *FLAGS, check=False)
    waited = time.monotonic() - t
    running = first.poll() is None
    assert first.wait(timeout=120) == 0, progress.text.decode(errors="replace")[-2000:]
    first.stdout.close()
    first.stderr.close()
    assert running, "the first build ended before the second one tried; make the corpus bigger"
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert second.stderr.strip().splitlines() == [
        f"kg: {out / 'store'}: another kg process is writing this store; "
        "wait for it to finish or use another --store"]
    assert waited < 5, f"the second build took {waited:.1f} s to give up"
    assert_isomorphic(_dataset(out / "store"), clean["quads"])


def test_concurrency_query_during_build_sees_whole_articles_or_says_busy(tmp_path, corpus, clean):
    out = tmp_path / "o"
    first, progress = _start_build(corpus, out, wait_files=3)
    answers, busy, seen = 0, 0, []
    while first.poll() is None:
        proc = run_kg("query", CLAIMS_PER_ARTICLE, "--output", str(out), "--format", "json", check=False)
        assert "Traceback" not in proc.stderr
        if proc.returncode != 0:
            assert "busy" in proc.stderr or "being written" in proc.stderr, proc.stderr
            busy += 1
            continue
        rows = json.loads(proc.stdout)
        for r in rows:  # a snapshot never holds half an article
            assert r["claims"] == clean["claims"][r["id"]], r
        answers += 1
        seen.append(len(rows))
    assert first.wait() == 0
    first.stdout.close()
    first.stderr.close()
    print(f"queries during the build: {answers} answered (articles seen: {seen}), {busy} busy")
    assert answers >= 2 and seen == sorted(seen)  # snapshots only move forward
    assert_isomorphic(_dataset(out / "store"), clean["quads"])


def test_concurrency_store_busy_error_says_what_to_do(tmp_path):
    writer = Store(tmp_path / "s")  # holds RocksDB's LOCK while alive
    with pytest.raises(StoreBusyError, match="another kg process is writing this store; wait for it"):
        Store(tmp_path / "s")
    assert Store(tmp_path / "s", read_only=True).read_only  # readers are never locked out
    assert not writer.read_only


def test_concurrency_reader_opens_again_when_a_build_merged_a_file_away(tmp_path, monkeypatch):
    """RocksDB lists the store's files, then opens them: a build may merge one away in between.
    The reader tries again (a new list); if it keeps happening it says the store is being written."""
    import pyoxigraph

    from kg import store as kg_store

    Store(tmp_path / "s")  # a store on disk, its writer gone
    real, calls = pyoxigraph.Store.read_only, []
    gone = OSError("IO error: No such file or directory: While open a file for random read: 000082.sst")

    def flaky(path):
        calls.append(path)
        if len(calls) < 3:
            raise gone
        return real(path)

    monkeypatch.setattr(kg_store.pyoxigraph.Store, "read_only", flaky)
    assert Store(tmp_path / "s", read_only=True).read_only and len(calls) == 3

    def always(path):
        raise gone

    monkeypatch.setattr(kg_store.pyoxigraph.Store, "read_only", always)
    monkeypatch.setattr(kg_store, "_READ_WAIT", 0)
    with pytest.raises(kg_store.StoreError, match="being written by a build and changed while kg opened it; run"):
        Store(tmp_path / "s", read_only=True)
    assert kg_store.query_failure(gone).endswith("being written by a build and changed under this query; run it again")
