#!/usr/bin/env python3
"""Extraction throughput on one core: the dev articles repeated, read from ../shared (never copied).

    python3 bench/extract_speed.py [--corpus ../shared/corpus/dev] [--repeat 20]

Reports articles/s for extraction alone (Article -> Document) and for a plain
read-and-tokenize pass over the same texts (the practical ceiling), and the time
of a full `kg build` of data/ (extraction, store, exports, HTML).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.models import Article  # noqa: E402
from kg.extract.pipeline import process  # noqa: E402
from kg.ingest import read_articles  # noqa: E402
from kg.text.tokens import tokenize  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    articles = [a for a in read_articles([args.corpus]) if isinstance(a, Article)]
    process(articles[0])  # load the gazetteer and lexicons once, outside the timing
    work = articles * args.repeat
    t0 = time.perf_counter()
    for a in work:
        tokenize(a.text)
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in work:
        process(a)
    t_ext = time.perf_counter() - t0
    print(f"articles: {len(articles)} x {args.repeat} = {len(work)}")
    print(f"extraction: {len(work) / t_ext:,.0f} articles/s on one core ({t_ext:.2f} s)")
    print(f"read+tokenize ceiling: {len(work) / t_tok:,.0f} articles/s ({t_tok:.2f} s); "
          f"extraction runs at {t_tok / t_ext:.1%} of it")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "data"), "--output", tmp],
                       check=True, capture_output=True)
        print(f"kg build data/ (process start to exit, with exports and HTML): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
