"""Offline interactive HTML view of the entity–event network, with evidence, filters and a timeline.

store → `source.read_source` (SPARQL) → `project.project` (networkx: filters, focus, cut)
→ `layout.positions` (precomputed, no physics in the browser) → `page.render` (one file).
"""
from __future__ import annotations

from pathlib import Path

from ..store import Store
from .project import DEFAULT_MAX_NODES, ViewOptions

__all__ = ["DEFAULT_MAX_NODES", "ViewOptions", "build_page", "write_html"]


def build_page(store: Store, opts: ViewOptions | None = None) -> tuple[str, dict]:
    """The page's HTML and a summary: nodes, edges, nodes before the cut, and what was left out."""
    from .layout import positions
    from .page import notice, page_data, render
    from .project import project
    from .source import read_source

    opts = opts or ViewOptions()
    src = read_source(store)
    proj = project(src, opts)
    data = page_data(src, proj, positions(proj.graph), opts)
    summary = {"nodes": len(data["nodes"]), "edges": len(data["edges"]), "total": proj.total,
               "within": proj.within, "dropped": len(proj.dropped), "left_out": notice(proj, src, opts, "en")}
    return render(data), summary


def write_html(store: Store, path: Path, lang: str | None = None, opts: ViewOptions | None = None) -> dict:
    """Write the page to `path`; raises ViewTooLargeError instead of writing an unusable page."""
    from dataclasses import replace

    opts = opts or ViewOptions()
    if lang is not None:
        opts = replace(opts, lang=lang)
    html, summary = build_page(store, opts)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return summary
