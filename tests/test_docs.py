"""The README is tested like code: its query examples print what the README shows."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_readme_query_outputs_are_current():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_examples.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_command_appears_in_the_readme_cli_reference():
    from kg.cli import main
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"kg {name}" not in readme]
    assert missing == []
