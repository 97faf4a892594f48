"""Regenerate the README's screenshots of the HTML view with headless Chromium (Playwright).

    python3 scripts/screenshots.py        # or scripts/screenshots.sh

Builds data/ into a temporary folder, writes three pages with `kg viz`, opens each from
the file with the network blocked, clicks an event so the evidence panel is filled, and
writes docs/img/graph.png (the seed graph), docs/img/focus.png (a focus with a cut) and
docs/img/timeline.png.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
FOCUS = ["--focus", "drone", "--hops", "2", "--max-nodes", "20"]
# The timeline of 2024, one row per actor (what a user gets by dragging across 2024 and picking "actor").
TIMELINE = """document.getElementById('tab-timeline').click();
  document.querySelector('input[name=tl-mode][value=actor]').click();
  const d = document.getElementById('date-from'); d.value = '2024-01-01'; d.dispatchEvent(new Event('change'));"""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def kg(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "kg.cli", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def shoot(browser, page_file: Path, png: Path, click: str, prepare: str = "") -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(page_file.as_uri())
    page.wait_for_function("window.kgView && window.kgView.ready")
    if prepare:
        page.evaluate(prepare)
    node = page.evaluate(click)
    if node:
        page.evaluate(f"kgView.select('{node}')")
        page.evaluate("kgView.network.fit({animation: false})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(png))
    page.close()
    print(f"wrote {png.relative_to(ROOT)}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        kg("build", "data/", "--output", str(out), "--no-html")
        kg("viz", "--output", str(out), "-o", str(out / "graph.html"))
        kg("viz", "--output", str(out), "-o", str(out / "focus.html"), *FOCUS)
        attack = ("kgView.data.nodes.filter(n => n.kind === 'event' && n.type === 'Attack' && n.date)"
                  ".sort((a, b) => b.claims.length - a.claims.length)[0].id")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            shoot(browser, out / "graph.html", IMG / "graph.png", attack)
            shoot(browser, out / "focus.html", IMG / "focus.png", attack)
            shoot(browser, out / "graph.html", IMG / "timeline.png", attack, TIMELINE)
            browser.close()


if __name__ == "__main__":
    main()
