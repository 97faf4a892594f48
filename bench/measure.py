"""Run a command and measure it: wall time, and peak resident memory of its whole process
tree (the build's extraction workers included), sampled from /proc.

`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` gives the largest single process only; the
sum over the tree is what a machine must hold, so both are reported. The sum counts pages
shared between forked workers more than once: it errs on the high side.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # sum over the process tree, sampled every `interval` s
    max_single_rss_mb: float | None  # largest single process (getrusage of children), if this run set it
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        d.pop("stderr")
        return d


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total / 1024


def run(cmd: list[str], interval: float = 0.2, nice: int = 0, timeout: float | None = None,
        env: dict | None = None) -> Run:
    """Run `cmd` to the end and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    preexec = (lambda: os.nice(nice)) if nice else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec,
                            env=env)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            done.wait(interval)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is a running maximum: it only says something when this run raised it.
    single = after / 1024 if after > before else None
    return Run(seconds, peak[0], single, proc.returncode, out, err)


def run_json(cmd: list[str], **kw) -> tuple[dict, Run]:
    """Run a bench step that prints one JSON object on its last stdout line."""
    r = run(cmd, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1]), r


def du_mb(path: Path) -> float:
    """Size of a file, or of all files under a folder, in MiB."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20
