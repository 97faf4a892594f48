"""Exporters by name. Each writes from the store (never from extraction objects)."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import IO, Callable

from ..errors import UsageError
from ..store import Store

# format name -> (module, function, default file name)
REGISTRY: dict[str, tuple[str, str, str]] = {
    "turtle": ("kg.export.rdf", "write_turtle", "graph.ttl"),
    "trig": ("kg.export.rdf", "write_trig", "graph.trig"),
    "nquads": ("kg.export.rdf", "write_nquads", "graph.nq"),
    "jsonld": ("kg.export.rdf", "write_jsonld", "graph.jsonld"),
    "entities-jsonl": ("kg.export.jsonl", "write_entities", "entities.jsonl"),
    "events-jsonl": ("kg.export.jsonl", "write_events", "events.jsonl"),
    "events-csv": ("kg.export.events_csv", "write_events_csv", "events.csv"),
    "graphml": ("kg.export.network", "write_graphml", "graph.graphml"),
    "gexf": ("kg.export.network", "write_gexf", "graph.gexf"),
}


def formats() -> list[str]:
    return list(REGISTRY)


def writer(fmt: str) -> Callable[[Store, IO[bytes]], None]:
    if fmt not in REGISTRY:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(REGISTRY)}")
    module, func, _ = REGISTRY[fmt]
    return getattr(import_module(module), func)


def default_name(fmt: str) -> str:
    return REGISTRY[fmt][2]


def export(store: Store, fmt: str, out: Path | IO[bytes]) -> None:
    """Write the store in `fmt` to a path or a binary stream."""
    write = writer(fmt)
    if isinstance(out, (str, Path)):
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as f:
            write(store, f)
        tmp.replace(path)  # never leave a half-written export under the real name
    else:
        write(store, out)
