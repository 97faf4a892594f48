#!/usr/bin/env python3
"""Render bench/run.py's results.json as markdown tables (results.md) and a plot of time and
memory against N (performance.png; needs matplotlib: `pip install '.[bench]'`).

    python3 bench/plot.py [bench/results]
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path


def _f(x, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def _ms(q: dict | None) -> str:
    if not q:
        return "–"
    if "timeout_s" in q:
        return f"> {q['timeout_s']:.0f} s"
    if "error" in q:
        return "error"
    return f"{q['p50_ms']:,.0f} / {q['p95_ms']:,.0f}"


def markdown(res: dict) -> str:
    sizes = sorted(res["sizes"], key=int)
    rows = [(n, res["sizes"][n]) for n in sizes]
    out = ["| N | articles/s | triples/s | triples | build (ingest) | `kg build` command | peak RSS (tree) | "
           "store on disk | Turtle export: time, peak RSS | streaming Turtle (proposal): time, peak RSS |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, e in rows:
        b, x, ts = e.get("build", {}), e.get("export_turtle", {}), e.get("turtle_stream", {})
        label = f"{int(n):,}" if not b.get("partial") else f"{int(n):,} (stopped at {b['articles']:,})"
        out.append(f"| {label} | {_f(b.get('articles_per_s'))} | {_f(b.get('triples_per_s'))} | "
                   f"{_f(b.get('triples'))} | {_f(b.get('ingest_seconds'))} s | {_f(b.get('command_seconds'))} s | "
                   f"{_f(b.get('peak_rss_mb'))} MB | {_f(b.get('store_mb'))} MB | "
                   f"{_f(x.get('seconds'))} s, {_f(x.get('peak_rss_mb'))} MB | "
                   f"{_f(ts.get('seconds'))} s, {_f(ts.get('peak_rss_mb'))} MB |")
    names = sorted({q for _, e in rows for q in e.get("queries", {})})
    out += ["", "Query latency, p50 / p95 in ms (parameters bound; names resolved to IRIs as `kg query` does):", "",
            "| query | " + " | ".join(_column(n, e) for n, e in rows) + " |",
            "|---|" + "---:|" * len(rows)]
    for q in names:
        out.append(f"| {q} | " + " | ".join(_ms(e.get("queries", {}).get(q)) for _, e in rows) + " |")
    out.append("| *finding an entity by name: kg's scan / exact-label lookups* | " + " | ".join(
        _names(e.get("names")) for _, e in rows) + " |")
    out += _versus(rows, names)
    ex = res.get("extraction")
    if ex:
        out += ["", f"Extraction on one core over {ex['articles']:,} generated articles "
                    f"({ex['chars_per_article']:,.0f} characters on average): "
                    f"{ex['read_extract_per_s']:,.0f} articles/s read + extracted, against "
                    f"{ex['read_tokenize_per_s']:,.0f} articles/s read + tokenized (the practical ceiling): "
                    f"{ex['read_extract_per_s'] / ex['read_tokenize_per_s']:.1%} of it."]
    return "\n".join(out) + "\n"


def _names(n: dict | None) -> str:
    if not n:
        return "–"
    if n.get("resolve_entity_ms") is None:
        return "> 450 s (stopped)"
    return f"{n['resolve_entity_ms']:,.0f} / {n['exact_lookup_ms']:.2f}"


def _column(n: str, e: dict) -> str:
    b = e.get("build", {})
    if e.get("queries_on_articles"):  # the build was rerun; the queries ran on an earlier, stopped store
        return f"{e['queries_on_articles']:,} (100k stopped; entities as IRIs)"
    if b.get("partial"):
        return f"{b['articles']:,} (100k stopped; entities as IRIs)"
    return f"N = {int(n):,}"


def _versus(rows: list, names: list[str]) -> list[str]:
    cmp = [(n, e["rdflib"]) for n, e in rows if "rdflib" in e]
    if not cmp:
        return []
    out = ["", "Oxigraph against rdflib on the same quads (N-Quads exported from the built store):", "",
           "| N | quads | load: Oxigraph in memory / on disk | load: rdflib Dataset | rdflib ÷ Oxigraph (memory) | "
           "peak RSS: Oxigraph / rdflib |", "|---:|---:|---:|---:|---:|---:|"]
    for n, r in cmp:
        out.append(f"| {int(n):,} | {r['quads']:,} | {r['oxigraph_memory_load_s']:.1f} s / {r['oxigraph_disk_load_s']:.1f} s | "
                   f"{r['rdflib_load_s']:.1f} s | {r['rdflib_load_s'] / r['oxigraph_memory_load_s']:.1f}× | "
                   f"{r['oxigraph_load_peak_rss_mb']:,.0f} / {r['rdflib_load_peak_rss_mb']:,.0f} MB |")
    out += ["", "Bound query p50 in ms, Oxigraph / rdflib (ratio):", "",
            "| query | " + " | ".join(f"N = {int(n):,}" for n, _ in cmp) + " |", "|---|" + "---:|" * len(cmp)]
    for q in names:
        cells = []
        for n, r in cmp:
            ox = dict(rows)[n].get("queries", {}).get(q, {})
            rd = r["rdflib_queries"].get(q, {})
            if "bound_p50_ms" not in ox:
                cells.append("–")
            elif "timeout_s" in rd:
                cells.append(f"{ox['bound_p50_ms']:,.0f} / > {rd['timeout_s']:,} s")
            elif "error" in rd:
                cells.append(f"{ox['bound_p50_ms']:,.0f} / fails ({rd['error'].split(':')[0]})")
            else:
                cells.append(f"{ox['bound_p50_ms']:,.0f} / {rd['p50_ms']:,.0f} ({rd['p50_ms'] / ox['bound_p50_ms']:.1f}×)")
        out.append(f"| {q} | " + " | ".join(cells) + " |")
    return out


def plot(res: dict, target: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = sorted(res["sizes"], key=int)
    b = [res["sizes"][n]["build"] for n in sizes if "build" in res["sizes"][n]]
    ns = [x["articles"] if x.get("partial") else int(n) for n, x in zip([n for n in sizes if "build" in res["sizes"][n]], b)]
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.5))
    ax1.plot(ns, [x["ingest_seconds"] for x in b], "o-", label="build (ingest)")
    ax1.plot(ns, [x["command_seconds"] for x in b], "s--", label="kg build command (with exports)")
    ax1.plot(ns, [n / 100_000 * 900 for n in ns], ":", color="grey", label="target: 100k in 15 min")
    prog = [p for p in res.get("progress", []) if p.get("graphs", 0) > 0]
    if prog:  # a big build sampled as it ran: seconds to reach n articles, and its memory
        ax1.plot([p["graphs"] for p in prog], [p["t"] for p in prog], "-", label="100k build as it ran (before #8's index)")
    for x in b:  # builds run with --ingest-only carry their own samples
        if x.get("progress"):
            ax1.plot([p["articles"] for p in x["progress"]], [p["t"] for p in x["progress"]], "-",
                     label=f"{x['articles']:,} build as it ran")
        rss = [p for p in prog if p.get("tree_rss_mb")]
        ax2.plot([p["graphs"] for p in rss], [p["tree_rss_mb"] for p in rss], "-", label="100k build as it ran, RSS")
    ax1.set(xscale="log", yscale="log", xlabel="articles", ylabel="seconds", title="Build time")
    ax2.plot(ns, [x["peak_rss_mb"] for x in b], "o-", label="build, peak RSS (process tree)")
    ax2.plot(ns, [x["store_mb"] for x in b], "s--", label="store on disk")
    xs = [(int(n), res["sizes"][n]["export_turtle"]["peak_rss_mb"]) for n in sizes if "export_turtle" in res["sizes"][n]]
    if xs:
        ax2.plot([a for a, _ in xs], [m for _, m in xs], "^-", label="Turtle export, peak RSS")
    xs = [(int(n), res["sizes"][n]["turtle_stream"]["peak_rss_mb"]) for n in sizes if "turtle_stream" in res["sizes"][n]]
    if xs:
        ax2.plot([a for a, _ in xs], [m for _, m in xs], "v:", label="streaming Turtle (proposal), peak RSS")
    ax2.axhline(2048, color="grey", linestyle=":", label="target: 2 GB")
    ax2.set(xscale="log", yscale="log", xlabel="articles", ylabel="MB", title="Memory and disk")
    names = sorted({q for n in sizes for q in res["sizes"][n].get("queries", {})})
    def articles(n: str) -> int:
        b = res["sizes"][n].get("build", {})
        if res["sizes"][n].get("queries_on_articles"):
            return res["sizes"][n]["queries_on_articles"]
        return b["articles"] if b.get("partial") else int(n)

    for q in names:  # the bound query (IRIs given): the same work at every N, name lookups aside
        pts = [(articles(n), res["sizes"][n]["queries"][q].get("bound_p95_ms")) for n in sizes
               if q in res["sizes"][n].get("queries", {})]
        pts = [(n, v) for n, v in pts if v is not None]
        if pts:
            ax3.plot([n for n, _ in pts], [v for _, v in pts], "o-", label=q)
    ax3.axhline(100, color="grey", linestyle=":", label="target: 100 ms")
    ax3.set(xscale="log", yscale="log", xlabel="articles", ylabel="ms", title="Query p95, IRIs given")
    for ax in (ax1, ax2):
        ax.legend(fontsize=8)
    ax3.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    return True


START, END = "<!-- bench/results.md: start -->", "<!-- bench/results.md: end -->"


def render(res: dict, folder: Path, doc: Path | None = None) -> None:
    """Write results.md and performance.png into `folder`; with `doc`, also replace the tables
    between the START and END markers of that markdown file (docs/performance.md)."""
    table = markdown(res)
    (folder / "results.md").write_text(table, encoding="utf-8")
    plot(res, folder / "performance.png")
    if doc is not None and doc.exists():
        text = doc.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            doc.write_text(head + START + "\n" + table + END + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    d = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results"
    render(json.loads((d / "results.json").read_text(encoding="utf-8")), d,
           Path(sys.argv[2]) if len(sys.argv) > 2 else None)
