"""The HTML view in a real headless Chromium, loaded from a local file with the network blocked.

Skipped (with the reason) only when Chromium or Playwright is not installed.
"""
from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import make_article, run_kg
from viz_synthetic import synthetic_source

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()), None)
XSS_TEXT = ("March 4, 2024\nThe Houthis launched a drone attack on Ain al-Asad Air Base on Sunday, March 3, "
            "President <b>X</b> said <img src=x onerror=alert(1)> in a statement "
            "</script><script>alert(2)</script> posted online.\n\nSource: Reuters\n")
XSS_JSONL = {"id": "probe_json", "lang": "en", "published": "2024-03-04", "url": "javascript:alert(4)",
             "outlet": "<img src=x onerror=alert(3)>", "title": "</script><script>alert(5)</script> <b>bold</b>",
             "text": XSS_TEXT.splitlines()[1]}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


class Page:
    """A page opened from a file, with every non-file request aborted and recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
        self.page = page = self.context.new_page()
        page.route("**/*", self._route)
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        started = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.kgView && window.kgView.ready", timeout=30_000)
        self.seconds = time.perf_counter() - started

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def click_node(self, node_id: str) -> None:
        pos = self.js(f"kgView.domPosition({json.dumps(node_id)})")
        self.page.mouse.click(pos["x"], pos["y"])

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_page(built, browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    run_kg("viz", "--output", str(built), "-o", str(path))
    page = Page(browser, path)
    yield page
    page.close()


def test_browser_seed_graph_renders_every_node_offline(seed_page):
    data = seed_page.js("kgView.data")
    assert seed_page.js("kgView.nodes.length") == len(data["nodes"]) == seed_page.js("kgView.shown()") > 50
    assert seed_page.js("kgView.edges.length") == len(data["edges"])
    assert seed_page.requests == [] and seed_page.errors == []


def test_browser_click_on_an_event_shows_its_evidence(seed_page):
    data = seed_page.js("kgView.data")
    ev = next(n for n in data["nodes"] if n["kind"] == "event" and n["claims"] and n["type"] == "Attack")
    claim = data["claims"][ev["claims"][0]]
    seed_page.click_node(ev["id"])
    panel = seed_page.page.locator("#info")
    assert panel.locator("h2").inner_text() == ev["label"].replace("\n", " ")
    assert panel.locator(".evidence").first.text_content() == claim["text"]
    trigger = panel.locator(".evidence").first.locator("mark.t").all_text_contents()
    assert "".join(trigger) == claim["trigger"], "the trigger is highlighted (maybe in pieces, around mentions)"
    assert seed_page.errors == []


def test_browser_filters_hide_events_and_their_lone_entities(seed_page):
    page = seed_page.page
    total = seed_page.js("kgView.total")
    page.locator('input[data-type="Meeting"]').uncheck()
    shown = seed_page.js("kgView.shown()")
    meetings = seed_page.js("kgView.data.nodes.filter(n => n.type === 'Meeting').length")
    assert shown <= total - meetings
    assert seed_page.js("kgView.nodes.get().filter(n => !n.hidden).every("
                        "n => kgView.data.nodes.find(d => d.id === n.id).type !== 'Meeting')")
    page.locator("#filter-body button").click()  # reset
    assert seed_page.js("kgView.shown()") == total
    page.fill("#date-from", "2024-03-01")
    page.fill("#date-to", "2024-03-31")
    page.dispatch_event("#date-to", "change")
    page.dispatch_event("#date-from", "change")
    assert 0 < seed_page.js("kgView.shown()") < total
    page.locator("#filter-body button").click()


def test_browser_timeline_draws_every_dated_event(seed_page):
    page = seed_page.page
    page.click("#tab-timeline")
    dated = seed_page.js("kgView.data.nodes.filter(n => n.kind === 'event' && n.date).length")
    assert page.locator("#tl-body .mark").count() == dated > 0
    page.locator("#tl-body .mark").last.click()
    assert page.locator("#info .evidence").count() >= 1
    page.locator('input[name="tl-mode"][value="actor"]').check()
    assert page.locator("#tl-body .mark").count() >= dated
    page.locator('input[name="tl-mode"][value="type"]').check()
    box = page.locator("#tl-body svg").bounding_box()
    y = box["y"] + box["height"] - 4
    page.mouse.move(box["x"] + box["width"] * 0.8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=4)
    page.mouse.up()
    assert page.input_value("#date-from") and page.input_value("#date-to"), "a drag sets the date filter"
    assert 0 < page.locator("#tl-body .mark").count() < dated
    page.locator("#filter-body button").click()
    page.click("#tab-graph")
    assert seed_page.errors == []


def test_browser_arabic_page_is_right_to_left(built, browser, tmp_path):
    path = tmp_path / "ar.html"
    run_kg("viz", "--output", str(built), "-o", str(path), "--lang", "ar")
    page = Page(browser, path)
    try:
        assert page.js("document.documentElement.dir") == "rtl"
        assert "جيك سوليفان" in page.js("kgView.data.nodes.map(n => n.label)")
        assert page.js("document.getElementById('tab-timeline').textContent") == "الخط الزمني"
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_browser_focus_page_says_what_it_left_out(built, browser, tmp_path):
    path = tmp_path / "focus.html"
    run_kg("viz", "--output", str(built), "-o", str(path), "--focus", "drone", "--hops", "2", "--max-nodes", "12")
    page = Page(browser, path)
    try:
        assert page.js("kgView.shown()") == 12
        assert "left out" in page.page.locator("#notice").inner_text()
        assert page.js("kgView.data.nodes.filter(n => n.seed).length") == 1
    finally:
        page.close()


def test_browser_xss_probe_article_stays_text(browser, tmp_path):
    folder = tmp_path / "in"
    make_article(folder, "probe_en.txt", XSS_TEXT)
    make_article(folder, "probe.jsonl", json.dumps(XSS_JSONL) + "\n")
    out = tmp_path / "out"
    run_kg("build", str(folder), "--output", str(out))
    page = Page(browser, out / "graph.html")
    try:
        ev = page.js("kgView.data.nodes.find(n => n.kind === 'event')")
        assert ev, "the probe articles yield an event"
        page.click_node(ev["id"])
        info = page.page.locator("#info")
        text = info.text_content()
        assert "<img src=x onerror=alert(1)>" in text and "</script><script>alert(2)</script>" in text
        assert "President <b>X</b>" in text
        assert "</script><script>alert(5)</script> <b>bold</b>" in text, "the title, literally"
        assert "<img src=x onerror=alert(3)>" in text, "the outlet, literally"
        assert info.locator("img, script, b").count() == 0
        assert page.js("[...document.querySelectorAll('a')].filter(a => /^javascript:/i.test(a.href)).length") == 0
        edge = page.js("kgView.data.edges[0]")
        a, b = (page.js(f"kgView.domPosition({json.dumps(edge[end])})") for end in ("from", "to"))
        page.page.mouse.click(a["x"] + 0.3 * (b["x"] - a["x"]), a["y"] + 0.3 * (b["y"] - a["y"]))
        assert "→" in info.locator("h2").inner_text(), "a click on an edge shows the claims behind it"
        assert info.locator(".evidence mark.focus").count() >= 1, "with the edge's entity highlighted"
        page.page.wait_for_timeout(300)
        assert page.dialogs == [] and page.requests == [] and page.errors == []
    finally:
        page.close()


def test_browser_2000_nodes_are_interactive_within_seconds(browser, tmp_path):
    from kg.viz import ViewOptions
    from kg.viz.layout import positions
    from kg.viz.page import page_data, render
    from kg.viz.project import project

    src = synthetic_source(2000)
    opts = ViewOptions()
    proj = project(src, opts)
    data = page_data(src, proj, positions(proj.graph), opts)
    path = tmp_path / "big.html"
    path.write_text(render(data), encoding="utf-8")
    # An event off the hairball (one entity, which has no other event), so the click cannot miss.
    targets: dict[str, list[str]] = {}
    for e in data["edges"]:
        targets.setdefault(e["from"], []).append(e["to"])
    uses = Counter(e["to"] for e in data["edges"])
    ev = next(n for n in data["nodes"] if n["kind"] == "event" and n["claims"]
              and len(targets.get(n["id"], [])) == 1 and uses[targets[n["id"]][0]] == 1)
    page = Page(browser, path)
    try:
        assert page.js("kgView.shown()") == 2000
        assert page.seconds < 8, f"ready after {page.seconds:.1f} s"
        started = time.perf_counter()
        page.click_node(ev["id"])
        page.page.wait_for_selector("#info .evidence", timeout=5_000)
        clicked = time.perf_counter() - started
        assert page.page.locator("#info h2").inner_text() == ev["label"].replace("\n", " ")
        assert clicked < 2, f"the panel took {clicked:.1f} s"
        print(f"2000 nodes: ready in {page.seconds:.2f} s, click to evidence {clicked:.2f} s, "
              f"page {path.stat().st_size / 1e6:.2f} MB")
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
