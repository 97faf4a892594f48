"""The benchmark corpus generator (bench/generate.py, issue #8): deterministic, both languages,
news-length articles whose events repeat across articles."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import articles, write_corpus  # noqa: E402


def test_generate_same_seed_same_bytes(tmp_path):
    a = write_corpus(tmp_path / "a", 60, seed=3, dev_folder=None)
    b = write_corpus(tmp_path / "b", 60, seed=3, dev_folder=None)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    c = write_corpus(tmp_path / "c", 60, seed=4, dev_folder=None)
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_generate_both_languages_and_news_lengths():
    recs = list(articles(200, seed=8))
    langs = Counter(r["lang"] for r in recs)
    assert langs["ar"] > 60 and langs["en"] > 60
    words = [len(r["text"].split()) for r in recs]
    assert min(words) >= 250 and max(words) <= 1000
    assert len({r["id"] for r in recs}) == len(recs)


def test_generate_repeats_events_across_articles():
    """The same dated event sentence appears in more than one article (fusion has work)."""
    seen: Counter = Counter()
    for r in articles(300, seed=8):
        seen.update({line for line in r["text"].replace("،", ".").split(". ") if any(ch.isdigit() for ch in line)})
    assert sum(1 for n in seen.values() if n > 1) > 20


def test_generate_mixes_in_dev_articles_without_copying(tmp_path):
    dev = [{"id": "dev-x", "text": "A real article.", "lang": "en"}]
    recs = list(articles(40, seed=8, dev=dev, dev_every=10))
    reused = [r for r in recs if r["id"].startswith("dev-x-r")]
    assert len(reused) == 4 and all(r["text"] == "A real article." for r in reused)
    files = write_corpus(tmp_path / "d", 10, dev_folder=None)
    assert json.loads(files[0].read_text(encoding="utf-8").splitlines()[0])["id"].startswith("syn-")
