#!/usr/bin/env python3
"""Regenerate (or check) the outputs of the `kg query` examples in README.md.

    python3 scripts/readme_examples.py [--check]

Builds `data/` into a temporary folder, runs every ```bash block of the README that is a
`kg query …` command, and replaces the plain ``` block that follows it with the real output.
`--check` changes nothing and exits 1 when an example's output is out of date, so the README
cannot drift from what the tool prints.
"""
from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```bash\n(kg (?:query|stats)\b.*?)\n```\n```\n(.*?)```\n", re.S)


def kg(*args: str, cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout


def regenerate(text: str, out: Path) -> str:
    def run(m: re.Match[str]) -> str:
        argv = shlex.split(m.group(1))[1:]
        result = kg(*argv, "--output", str(out), cwd=ROOT)
        return f"```bash\n{m.group(1)}\n```\n```\n{result}```\n"
    return BLOCK.sub(run, text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if the README's outputs are stale")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        kg("build", str(ROOT / "data"), "--no-html", "--no-validate", "--output", str(out), cwd=ROOT)
        old = README.read_text(encoding="utf-8")
        new = regenerate(old, out)
    if args.check:
        if new != old:
            print("README.md: query outputs are out of date; run python3 scripts/readme_examples.py")
            sys.exit(1)
        print("README.md: query outputs are current")
        return
    README.write_text(new, encoding="utf-8")
    print(f"README.md: {len(BLOCK.findall(old))} examples regenerated")


if __name__ == "__main__":
    main()
