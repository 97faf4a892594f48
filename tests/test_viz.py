"""The HTML view without a browser: what it reads, focus and cut, limits, labels, escaping, layout."""
from __future__ import annotations

import copy
import json
import math
import re
import time

import pytest
from conftest import DATA, run_kg
from viz_synthetic import synthetic_source

from kg.errors import UsageError, ViewTooLargeError
from kg.store import Store
from kg.viz import ViewOptions
from kg.viz.layout import positions
from kg.viz.page import page_data, render, safe_json
from kg.viz.project import project
from kg.viz.source import read_source


@pytest.fixture(scope="module")
def seed_store(built) -> Store:
    return Store(built / "store", read_only=True)


@pytest.fixture(scope="module")
def seed(seed_store):
    return read_source(seed_store)


def page_json(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_viz_source_reads_events_claims_and_marks(seed, seed_store):
    from kg.build import stats
    assert len(seed.events) == stats(seed_store)["events"]
    claims = [c for ev in seed.events.values() for c in ev.claims]
    assert claims and all(c.evidence and c.end > c.start for c in claims)
    for c in claims:
        for s, e, x in c.marks:  # every highlight lies inside its sentence
            assert 0 <= s < e <= len(c.evidence)
            if not x:
                assert c.evidence[s:e] == c.trigger
    assert any(x for c in claims for _, _, x in c.marks), "argument mentions are highlighted"
    assert all(ev.corroboration >= 1 for ev in seed.events.values())


@pytest.mark.parametrize("lang, person, meeting, role", [
    ("en", "Jake Sullivan", "Meeting", "participant"),
    ("ar", "جيك سوليفان", "اجتماع", "مشارك"),
])
def test_viz_labels_in_the_chosen_language(seed, lang, person, meeting, role):
    opts = ViewOptions(lang=lang)
    proj = project(seed, opts)
    data = page_data(seed, proj, positions(proj.graph), opts)
    assert person in {n.get("name") for n in data["nodes"]}
    assert any(n["label"].startswith(meeting) for n in data["nodes"] if n["kind"] == "event")
    assert data["roles"]["participant"] == role
    direction = "rtl" if lang == "ar" else "ltr"
    assert render(data).startswith(f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">')


def test_viz_short_labels_keep_the_full_name(seed):
    opts = ViewOptions()
    proj = project(seed, opts)
    data = page_data(seed, proj, positions(proj.graph), opts)
    entities = [n for n in data["nodes"] if n["kind"] == "entity"]
    assert all(len(n["label"]) <= 24 for n in entities)
    assert any(n["label"].endswith("…") and len(n["name"]) > 24 for n in entities)


@pytest.mark.parametrize("name", ["Jake Sullivan", "جيك سوليفان", "  jake SULLIVAN ", "Sullivan"])
def test_viz_focus_by_name_in_either_language(seed, name):
    proj = project(seed, ViewOptions(focus=name, hops=2))
    assert [seed.entities[x].labels["en"][0] for x in proj.seeds] == ["Jake Sullivan"]
    assert 1 < len(proj.graph) < proj.total and not proj.cut


def test_viz_focus_unknown_name_is_a_usage_error(seed):
    with pytest.raises(UsageError, match="no entity named"):
        project(seed, ViewOptions(focus="Nobody Atall"))


def test_viz_focus_cut_keeps_the_best_ranked_hop_by_hop():
    src = synthetic_source(600)
    hub = "urn:x:entity/0"  # the heaviest Zipf weight: the biggest neighbourhood
    full = project(src, ViewOptions(max_nodes=10_000)).graph
    proj = project(src, ViewOptions(focus="Entity 0", hops=2, max_nodes=40))
    assert proj.seeds == [hub] and len(proj.graph) == 40 and proj.cut
    assert proj.within == len(proj.graph) + len(proj.dropped)
    import networkx as nx
    assert nx.is_connected(proj.graph), "whole hops first: every kept node still reaches the focus"
    kept_events = [x for x in proj.graph if x in src.events]
    cut_events = [x for x in proj.dropped if x in src.events]
    assert min(full.degree(x) for x in kept_events) >= max(full.degree(x) for x in cut_events)


def test_viz_rank_by_corroboration():
    src = synthetic_source(600)
    proj = project(src, ViewOptions(focus="Entity 0", hops=1, max_nodes=20, rank="corroboration"))
    kept = [src.events[x].corroboration for x in proj.graph if x in src.events]
    cut = [src.events[x].corroboration for x in proj.dropped if x in src.events]
    assert min(kept) >= max(cut)


def test_viz_refuses_a_graph_past_max_nodes(seed):
    with pytest.raises(ViewTooLargeError, match="--focus"):
        project(seed, ViewOptions(max_nodes=10))


def test_viz_filters_by_event_type_entity_type_and_date(seed):
    meetings = project(seed, ViewOptions(event_types=("Meeting",))).graph
    assert {d["type"] for _, d in meetings.nodes(data=True) if d["kind"] == "event"} == {"Meeting"}
    people = project(seed, ViewOptions(entity_types=("Person",))).graph
    assert {d["type"] for _, d in people.nodes(data=True) if d["kind"] == "entity"} == {"Person"}
    in_2021 = project(seed, ViewOptions(since="2021-01", until="2021-12-31")).graph
    dates = [seed.events[x].dates for x in in_2021 if x in seed.events]
    assert dates and all(any(d.startswith("2021") for d in ds) for ds in dates)
    with pytest.raises(UsageError):
        project(seed, ViewOptions(since="March 2021"))


def test_viz_cli_focus_hops_max_nodes_says_what_it_left_out(built, tmp_path):
    out = tmp_path / "focus.html"
    proc = run_kg("viz", "--output", str(built), "-o", str(out), "--focus", "drone", "--hops", "2", "--max-nodes", "12")
    assert "(12 nodes" in proc.stdout
    assert re.search(r"left out \d+ ranked lowest by degree", proc.stdout)
    data = page_json(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 12 and "left out" in data["notice"]


def test_viz_cli_refusal_is_one_line_and_exit_code_1(built, tmp_path):
    proc = run_kg("viz", "--output", str(built), "-o", str(tmp_path / "x.html"), "--max-nodes", "10", check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "--focus" in proc.stderr
    assert not (tmp_path / "x.html").exists()


def test_viz_corroboration_from_the_store_sizes_events(tmp_path):
    from pyoxigraph import Literal, NamedNode, Quad
    from rdflib.namespace import XSD

    from kg import iri
    from kg.build import build
    from kg.vocab import KG

    store = Store(tmp_path / "store")
    build([DATA / "sample_en_01.txt"], store)
    src = read_source(store)
    target = sorted(src.events)[0]
    store.add([Quad(NamedNode(target), NamedNode(str(KG.corroboration)),
                    Literal("7", datatype=NamedNode(str(XSD.integer))), iri.mint("graph", "viz-test"))])
    again = read_source(store)
    assert again.events[target].corroboration == 7
    assert all(again.events[x].corroboration >= 1 for x in again.events)


def test_viz_page_is_offline_and_escapes_article_text(seed):
    evil = "</script><script>alert(2)</script><img src=x onerror=alert(1)> & \u2028"
    seed = copy.deepcopy(seed)
    ev = next(iter(seed.events.values()))
    ev.claims[0].evidence = evil
    opts = ViewOptions()
    proj = project(seed, opts)
    html = render(page_data(seed, proj, positions(proj.graph), opts))
    assert evil not in html and "<img src=x" not in html and "alert(2)</script>" not in html
    assert evil in {c["text"] for c in page_json(html)["claims"]}, "the text survives, as data"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "no remote resource"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "https://w3id.org" not in html, "IRIs stay out of the page"
    assert safe_json({"a": "<>&"}) == '{"a":"\\u003c\\u003e\\u0026"}'


def test_viz_layout_of_2000_nodes_is_fast_and_spread():
    proj = project(synthetic_source(2000), ViewOptions())
    started = time.perf_counter()
    pos = positions(proj.graph)
    seconds = time.perf_counter() - started
    assert len(pos) == 2000 and seconds < 10
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 1990, "nodes do not pile up"
    assert all(pos[u][1] != pos[v][1] for u, v in proj.graph.edges()), "no exactly horizontal edge (vis bug)"


def test_viz_build_goes_on_when_the_page_would_be_too_big(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    def refuse(*args, **kwargs):
        raise ViewTooLargeError("the graph has 9,999 nodes, more than --max-nodes 2,000")

    monkeypatch.setattr("kg.viz.project.project", refuse)
    result = CliRunner().invoke(main, ["build", str(DATA / "sample_en_01.txt"), "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "graph.html not written: the graph has 9,999 nodes" in result.output
    assert (tmp_path / "graph.trig").exists() and not (tmp_path / "graph.html").exists()
