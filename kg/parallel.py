"""Run a pure function over a stream in worker processes, results in input order.

`kg build --jobs N` extracts articles here: extraction is pure and CPU-bound, while
resolution and writes must stay in the main process, in article order (decision note
docs/decisions/040-parallel-ingest.md). Look-ahead is bounded, so memory does not grow
with the corpus: at most `jobs * ahead` chunks of `chunk` items are in flight or waiting.
(`Pool.imap` would read its input lazily but keep every finished result until the caller
takes it, so a main process slower than the workers would hold a growing backlog.)
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sys
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Sequence

Tagged = tuple[Any, Any]  # (tag, input or None): a None input is passed through, not sent


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_chunk(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> list[Any]:
    return [fn(x) for x in inputs]


def map_in_order(fn: Callable[[Any], Any], items: Iterable[Tagged], jobs: int, chunk: int = 8,
                 ahead: int = 3, initializer: Callable[[], None] | None = None,
                 preload: Sequence[str] = (), serial_below: int = 32) -> Iterator[tuple[Any, Any]]:
    """Yield `(tag, fn(x))` for each `(tag, x)` of `items`, in order; `(tag, None)` comes back
    as `(tag, None)` without a trip to a worker. `fn` must be a module-level function that
    catches its own errors (an exception in a worker ends the whole map).

    With `jobs` <= 1, or fewer than `serial_below` inputs in all, everything runs here, in
    this process (starting workers costs about a second). `items` is consumed lazily, at
    most `jobs * ahead` chunks ahead of what the caller has taken.
    """
    it = iter(items)
    head = list(_head(it, serial_below)) if jobs > 1 else []
    if jobs <= 1 or sum(x is not None for _, x in head) < serial_below:
        for tag, x in itertools.chain(head, it):
            yield tag, (fn(x) if x is not None else None)
        return
    items = itertools.chain(head, it)
    ctx = _context()
    if preload and ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    with ctx.Pool(jobs, initializer=initializer) as pool:
        window: deque[tuple[list[Tagged], Any]] = deque()
        for part in _chunks(items, chunk):
            inputs = [x for _, x in part if x is not None]
            window.append((part, pool.apply_async(_run_chunk, (fn, inputs)) if inputs else None))
            if len(window) >= jobs * ahead:
                yield from _collect(*window.popleft())
        while window:
            yield from _collect(*window.popleft())


def _head(items: Iterator[Tagged], wanted: int) -> Iterator[Tagged]:
    """The first items, up to and including the `wanted`-th that has an input."""
    seen = 0
    for tag, x in items:
        yield tag, x
        seen += x is not None
        if seen >= wanted:
            return


def _context() -> Any:
    """forkserver, not fork: the parent holds the store's RocksDB threads and locks, which a
    forked child would inherit in whatever state they were in. But a forkserver worker
    imports the parent's main script again, and a script read from stdin cannot be: workers
    would die and be restarted forever, so such a parent forks (its children only extract)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if getattr(getattr(main, "__spec__", None), "name", None) is None and path and not os.path.exists(path):
        return mp.get_context("fork")
    return mp.get_context("forkserver")


def _chunks(items: Iterable[Tagged], size: int) -> Iterator[list[Tagged]]:
    part: list[Tagged] = []
    for it in items:
        part.append(it)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def _collect(part: list[Tagged], pending: Any) -> Iterator[tuple[Any, Any]]:
    results = iter(pending.get() if pending is not None else ())
    for tag, x in part:
        yield tag, (next(results) if x is not None else None)
