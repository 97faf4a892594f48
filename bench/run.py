#!/usr/bin/env python3
"""The performance benchmark of issue #8: build, store, queries and export at N articles,
side by side with rdflib and with a plain read-and-tokenize pass.

    python3 bench/run.py --sizes 1000 10000 100000 [--jobs 2] [--work /tmp/kgbench]

For each N: a synthetic corpus (bench/generate.py, cached under --work), a real `kg build`
(a subprocess: wall time, peak memory of the process tree, articles/s, triples/s), the
store's size on disk, `kg export --format turtle` (time and memory: it must stream), each
shipped competency query with parameters bound (p50/p95 over --query-repeat runs, each
query in a process of its own with a time limit; `--steps saved-queries` also times each
as `kg query --name` runs it, bound and without parameters, with the load average), and —
up to --rdflib-max articles — the
same quads loaded into rdflib's in-memory Dataset and the same bound queries on rdflib's
SPARQL engine. Extraction is compared, on one core, with reading and tokenizing the same
articles. Results accumulate in RESULTS/results.json (one entry per N, so sizes can be run
separately) and are rendered to RESULTS/results.md and a plot (bench/plot.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from measure import du_mb, run, run_json  # noqa: E402

PY = sys.executable
STEPS = str(ROOT / "bench" / "steps.py")
_SUMMARY = re.compile(r"articles read: (\d+), skipped: (\d+); store: (\d+) articles, (\d+) entities, (\d+) events, "
                      r"(\d+) claims, (\d+) triples; ([\d.]+) s")


def machine() -> dict:
    import pyoxigraph
    import rdflib
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "ram_gb": round(mem / 2**20, 1),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "os": platform.platform(), "load_avg_at_start": os.getloadavg()}


def corpus(work: Path, n: int, seed: int) -> tuple[Path, float]:
    folder = work / f"corpus-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder, float(done.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    r = run([PY, str(ROOT / "bench" / "generate.py"), str(folder), "--n", str(n), "--seed", str(seed)])
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    seconds = time.perf_counter() - t0
    done.write_text(f"{seconds:.1f}")
    return folder, seconds


def kg(*args: str) -> list[str]:
    return [PY, "-m", "kg.cli", *args]


def build(folder: Path, out: Path, jobs: int, nice: int, ingest_only: bool = False) -> dict:
    """A real build in a subprocess. `ingest_only`: the library's build alone (no graph.trig or
    graph.ttl, whose CONSTRUCT export grows with N), with the articles done sampled as it runs."""
    shutil.rmtree(out, ignore_errors=True)
    progress = out.with_name(out.name + ".progress.jsonl")
    cmd = ([PY, __file__, "_ingest", str(folder), str(out), str(jobs), str(progress)] if ingest_only else
           kg("build", str(folder), "--output", str(out), "--jobs", str(jobs), "--no-html", "--no-validate",
              "--no-progress"))
    r = run(cmd, nice=nice)
    m = _SUMMARY.search(r.stdout)
    if r.returncode != 0 or m is None:
        raise RuntimeError(f"kg build failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    articles, skipped, stored, entities, events, claims, triples, ingest = m.groups()
    ingest_s = float(ingest)
    return {"articles": int(articles), "skipped": int(skipped), "entities": int(entities), "events": int(events),
            "claims": int(claims), "triples": int(triples), "ingest_seconds": ingest_s,
            "command_seconds": r.seconds, "articles_per_s": int(articles) / ingest_s,
            "triples_per_s": int(triples) / ingest_s, "peak_rss_mb": r.peak_rss_mb,
            "max_single_rss_mb": r.max_single_rss_mb, "store_mb": du_mb(out / "store"),
            "exports_mb": sum(du_mb(out / f) for f in ("graph.trig", "graph.ttl") if (out / f).exists()),
            "ingest_only": ingest_only, "load_avg_after": os.getloadavg(),
            **({"progress": [json.loads(x) for x in progress.read_text().splitlines()]} if ingest_only else {})}


def ingest(folder: str, out: str, jobs: str, progress: str) -> None:
    """`bench/run.py _ingest`: kg.build.build alone, printing the summary line `kg build` prints,
    and every 1,000 articles a line of PROGRESS (seconds, articles, this process's RSS)."""
    import resource

    from kg.build import build as run_build
    from kg.store import Store

    t0, done = time.perf_counter(), [0]
    with open(progress, "w", encoding="utf-8") as f:
        def on_article(source: str, problem: str | None) -> None:
            done[0] += problem is None
            if problem is None and done[0] % 1000 == 0:
                f.write(json.dumps({"t": round(time.perf_counter() - t0, 1), "articles": done[0],
                                    "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}) + "\n")
                f.flush()

        report = run_build([Path(folder)], Store(Path(out) / "store"), on_article=on_article, jobs=int(jobs))
    s = report.stats
    print(f"articles read: {report.articles}, skipped: {report.skipped}; store: {s['articles']} articles, "
          f"{s['entities']} entities, {s['events']} events, {s['claims']} claims, {s['triples']} triples; "
          f"{report.seconds:.2f} s")


def export_turtle(out: Path, nice: int) -> dict:
    target = out / "export.ttl"
    r = run(kg("export", "--format", "turtle", "-o", str(target), "--output", str(out)), nice=nice)
    size = target.stat().st_size / 2**20 if target.exists() else 0.0
    target.unlink(missing_ok=True)
    return {"seconds": r.seconds, "peak_rss_mb": r.peak_rss_mb, "mb": size, "ok": r.returncode == 0}


def turtle_stream(out: Path, nice: int) -> dict:
    """The streaming Turtle writer proposed in bench/steps.py, on the same store."""
    target = out / "stream.ttl"
    r = run([PY, STEPS, "turtle-stream", str(out / "store"), str(target)], nice=nice)
    size = target.stat().st_size / 2**20 if target.exists() else 0.0
    target.unlink(missing_ok=True)
    return {"seconds": r.seconds, "peak_rss_mb": r.peak_rss_mb, "mb": size, "ok": r.returncode == 0}


def queries(out: Path, repeat: int, timeout: float, nice: int, bindings: Path, by_iri: bool = False) -> dict:
    """Each query in its own process, so one that runs away is cut off and the rest go on."""
    from kg.query import list_queries
    results: dict[str, dict] = {}
    merged: dict[str, list] = {}
    for named in list_queries():
        part = bindings.with_suffix(f".{named.name}.json")
        r = run([PY, STEPS, "queries", str(out / "store"), "--repeat", str(repeat), "--only", named.name,
                 "--bindings", str(part), "--budget", str(timeout / 3), *(["--by-iri"] if by_iri else [])],
                nice=nice, timeout=timeout)
        if r.returncode != 0:
            results[named.name] = {"timeout_s": timeout} if r.returncode < 0 else {"error": r.stderr[-500:]}
            continue
        results[named.name] = json.loads(r.stdout.strip().splitlines()[-1])[named.name]
        merged.update(json.loads(part.read_text(encoding="utf-8")))
        part.unlink()
    bindings.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
    return results


def saved_queries(out: Path, repeat: int, timeout: float, nice: int, bindings: Path) -> dict:
    """Each shipped query as `kg query --name` runs it, in a process of its own: with the bindings the
    queries step saved (else values taken from the store; entities as IRIs) and with no parameter
    (the queries that need one are left out). The load average is kept with each figure."""
    from kg.query import list_queries
    results: dict[str, dict] = {"bound": {}, "unbound": {}}
    for named in list_queries():
        for mode in ("bound", "unbound"):
            if mode == "unbound" and any(p.required for p in named.params):
                continue
            load = os.getloadavg()[0]
            r = run([PY, STEPS, "saved-queries", str(out / "store"), "--bindings", str(bindings), "--only", named.name,
                     "--repeat", str(repeat), "--timeout", str(timeout / 3), *(["--unbound"] if mode == "unbound" else [])],
                    nice=nice, timeout=timeout)
            if r.returncode != 0:
                results[mode][named.name] = {"timeout_s": timeout} if r.returncode < 0 else {"error": r.stderr[-500:]}
                continue
            results[mode][named.name] = {**json.loads(r.stdout.strip().splitlines()[-1])[named.name], "load_avg_1m": load}
    return results


def versus_rdflib(out: Path, bindings: Path, nice: int, timeout: int) -> dict:
    nq = out / "graph.nq"
    r = run(kg("export", "--format", "nquads", "-o", str(nq), "--output", str(out)))
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    disk = out / "bulk-store"
    shutil.rmtree(disk, ignore_errors=True)
    ox, ox_run = run_json([PY, STEPS, "oxigraph-load", str(nq), "--disk", str(disk)], nice=nice)
    shutil.rmtree(disk, ignore_errors=True)
    rd, rd_run = run_json([PY, STEPS, "rdflib-load", str(nq)], nice=nice)
    rq, rq_run = run_json([PY, STEPS, "rdflib-queries", str(nq), "--bindings", str(bindings), "--repeat", "3",
                           "--timeout", str(timeout)], nice=nice)
    nq.unlink()
    return {"quads": ox["quads"], "oxigraph_memory_load_s": ox["memory_seconds"], "oxigraph_disk_load_s": ox["disk_seconds"],
            "oxigraph_load_peak_rss_mb": ox_run.peak_rss_mb, "rdflib_load_s": rd["seconds"],
            "rdflib_load_peak_rss_mb": rd_run.peak_rss_mb, "rdflib_queries": rq}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kgbench"))
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--nice", type=int, default=10, help="run the heavy steps at this niceness")
    ap.add_argument("--query-repeat", type=int, default=20)
    ap.add_argument("--query-timeout", type=float, default=600, help="seconds for all runs of one query")
    ap.add_argument("--by-iri", action="store_true",
                    help="give entities to the queries as IRIs (time the queries without name resolution)")
    ap.add_argument("--rdflib-max", type=int, default=10000, help="compare with rdflib up to this many articles")
    ap.add_argument("--rdflib-timeout", type=int, default=300, help="seconds for one rdflib query run")
    ap.add_argument("--extract-sample", type=int, default=2000)
    ap.add_argument("--steps", nargs="+", choices=STEPS_ALL, default=list(STEPS_ALL),
                    help="what to measure; the other figures of an N already in RESULTS are kept")
    ap.add_argument("--ingest-only", action="store_true",
                    help="time the library's build alone (no graph.trig/graph.ttl), sampling its progress")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {"sizes": {}}
    results["machine"] = machine()
    results["command"] = "python3 bench/run.py " + " ".join(sys.argv[1:])
    for n in args.sizes:
        entry: dict = dict(results["sizes"].get(str(n), {}))  # figures of steps not rerun are kept
        entry.update({"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "load_avg_before": os.getloadavg(), "jobs": args.jobs})
        folder, entry["generate_seconds"] = corpus(args.work, n, args.seed)
        out = args.work / f"out-{n}"
        bindings = args.work / f"bindings-{n}.json"
        if "build" in args.steps:
            entry["build"] = build(folder, out, args.jobs, args.nice, args.ingest_only)
            _save(path, results, n, entry)
        if "export" in args.steps:
            entry["export_turtle"] = export_turtle(out, args.nice)
            entry["turtle_stream"] = turtle_stream(out, args.nice)
        if "queries" in args.steps:
            entry["names"], _ = run_json([PY, STEPS, "names", str(out / "store")], nice=args.nice)
            entry["queries"] = queries(out, args.query_repeat, args.query_timeout, args.nice, bindings, args.by_iri)
        if "saved-queries" in args.steps:
            entry["saved_queries"] = saved_queries(out, args.query_repeat, args.query_timeout, args.nice, bindings)
        _save(path, results, n, entry)
        if "extract" in args.steps and n == min(args.sizes):
            results["extraction"], _ = run_json([PY, STEPS, "extract", str(folder), "--limit",
                                                 str(min(n, args.extract_sample))], nice=args.nice)
        if "rdflib" in args.steps and n <= args.rdflib_max:
            entry["rdflib"] = versus_rdflib(out, bindings, args.nice, args.rdflib_timeout)
        entry["load_avg_after"] = os.getloadavg()
        _save(path, results, n, entry)
    from plot import render
    render(results, args.results)


STEPS_ALL = ("build", "export", "queries", "saved-queries", "extract", "rdflib")


def _save(path: Path, results: dict, n: int, entry: dict) -> None:
    results["sizes"][str(n)] = entry
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["_ingest"]:
        ingest(*sys.argv[2:6])
    else:
        main()
