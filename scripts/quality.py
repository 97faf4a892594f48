#!/usr/bin/env python3
"""Build the dev set with kg, score it with the shared scorer, and (with --gate) compare
with the figures recorded in docs/quality.md.

    python3 scripts/quality.py [--shared ../shared] [--gate] [--write]

--write records the scores (and the scorer's table) in docs/quality.md;
--gate exits 1 when any of the five headline scores falls more than 0.03 below
the recorded figure. Articles are read from shared/, never copied into the repo.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "quality.md"
METRICS = ("entities_f1", "events_f1", "arguments_f1", "dates_f1", "attribution_r")
TOLERANCE = 0.03


def kg(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def score(shared: Path) -> tuple[dict[str, float], str]:
    corpus, scorer = shared / "corpus" / "dev", shared / "eval" / "score.py"
    with tempfile.TemporaryDirectory() as tmp:
        w = Path(tmp)
        kg("build", str(corpus), "--no-html", "--output", str(w / "out"), cwd=w)
        kg("export", "--format", "events-jsonl", "-o", "ev.jsonl", "--output", str(w / "out"), cwd=w)
        kg("export", "--format", "entities-jsonl", "-o", "en.jsonl", "--output", str(w / "out"), cwd=w)
        cmd = [sys.executable, str(scorer), "--gold", str(corpus / "gold"), "--corpus", str(corpus),
               "--events", str(w / "ev.jsonl"), "--entities", str(w / "en.jsonl")]
        table = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    last = table.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", last) if k in METRICS}, table


def recorded() -> dict[str, float]:
    m = re.search(r"<!-- scores: (\{.*?\}) -->", DOC.read_text(encoding="utf-8")) if DOC.exists() else None
    return json.loads(m.group(1)) if m else {}


def write(scores: dict[str, float], table: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(
        "# Extraction quality on the dev set\n\n"
        "Produced by `python3 scripts/quality.py --write` (kg build of `../shared/corpus/dev/`, then\n"
        "`../shared/eval/score.py --gold … --corpus … --events … --entities …`). The CI gate\n"
        f"(`scripts/quality.py --gate`) fails when a headline score falls more than {TOLERANCE} below these.\n\n"
        f"<!-- scores: {json.dumps(scores)} -->\n\n"
        "```\n" + table.strip("\n") + "\n```\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--gate", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "eval" / "score.py").exists():
        print(f"quality: no scorer under {args.shared}; skipped")
        return 0
    scores, table = score(args.shared)
    print(table.strip("\n"))
    if args.write:
        write(scores, table)
    if args.gate:
        floor = recorded()
        low = [f"{k} {scores.get(k, 0):.3f} < {v:.3f} - {TOLERANCE}" for k, v in floor.items()
               if scores.get(k, 0.0) < v - TOLERANCE]
        if low:
            print("quality gate FAILED: " + "; ".join(low))
            return 1
        print("quality gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
