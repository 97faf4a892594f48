"""SHACL validation of the store with `ontology/shapes.ttl` (pyshacl, no inference).

The shapes describe the merged knowledge graph, so the union of all named graphs is
validated as one graph (see ontology/README.md, "Validation"). pyshacl works on an
rdflib graph held in memory: about 11 s per 100k triples on this project's machines,
which is why `kg build --no-validate` exists for large stores.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ShapesError, UsageError
from .store import Store

MAX_SHOWN = 50  # violations listed in the text report; the count is always complete


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    value: str
    message: str
    shape: str
    severity: str

    def line(self) -> str:
        where = f"{_short(self.focus)} {_short(self.path)}".strip()
        value = f" (value: {_short(self.value)})" if self.value else ""
        return f"{where}{value}: {self.message} [{_short(self.shape)}]"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    shapes: str = ""

    def text(self, limit: int = MAX_SHOWN) -> str:
        """A report for people: a summary line, then one line per violation."""
        head = (f"SHACL ({self.shapes}): {len(self.violations)} violation"
                f"{'' if len(self.violations) == 1 else 's'} in {self.triples} triples ({self.seconds:.1f} s)")
        if self.conforms:
            return f"SHACL ({self.shapes}): the graph conforms, {self.triples} triples ({self.seconds:.1f} s)"
        lines = [head, *("  " + v.line() for v in self.violations[:limit])]
        if len(self.violations) > limit:
            lines.append(f"  … and {len(self.violations) - limit} more")
        return "\n".join(lines)


def _short(value: str) -> str:
    from .export.rdf import PREFIXES

    for prefix in ("ent", "ev", "claim", "art", "src", "men", "kg", "rdfs", "skos", "prov", "dcterms"):
        iri = PREFIXES[prefix]
        if value.startswith(iri):
            return f"{prefix}:{value[len(iri):]}"
    return value if len(value) <= 60 else value[:57] + "..."


def _merged_graph(store: Store):
    """The union of all graphs as one rdflib graph, via pyoxigraph's fast N-Triples writer."""
    import pyoxigraph
    import rdflib

    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    return g


def _shapes_graph(shapes: Path | None):
    import rdflib

    from .resources.loader import ontology_file

    source = shapes if shapes is not None else ontology_file("shapes.ttl")
    try:
        return rdflib.Graph().parse(source=str(source), format="turtle"), str(
            shapes if shapes is not None else "ontology/shapes.ttl")
    except FileNotFoundError:
        raise UsageError(f"{source}: no such shapes file") from None
    except Exception as e:  # rdflib raises parser-specific errors
        raise ShapesError(f"{source}: cannot read the shapes ({type(e).__name__}: {e})") from None


def _violations(results, shapes) -> list[Violation]:
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def shape_name(node) -> str:
        # A property shape is a blank node: name the node shape it belongs to instead,
        # with the prefix the shapes file declares (kgsh:).
        if isinstance(node, BNode):
            node = shapes.value(predicate=SH.property, object=node) or results.value(predicate=SH.property, object=node)
        if node is None:
            return ""
        try:
            return shapes.namespace_manager.normalizeUri(node)
        except Exception:  # no prefix for it
            return str(node)

    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            v = results.value(r, p)
            return "" if v is None else str(v)
        out.append(Violation(one(SH.focusNode), one(SH.resultPath), one(SH.value), one(SH.resultMessage)
                             or _short(one(SH.sourceConstraintComponent)), shape_name(results.value(r, SH.sourceShape)),
                             _short(one(SH.resultSeverity)).rsplit("#", 1)[-1]))
    return sorted(out, key=lambda v: (v.shape, v.focus, v.path, v.value))


def validate(store: Store, shapes: Path | None = None) -> ValidationReport:
    """Validate the merged graph of `store` against the SHACL shapes (default: the shipped ones)."""
    import pyshacl

    started = time.perf_counter()
    shapes_graph, shapes_name = _shapes_graph(shapes)
    data = _merged_graph(store)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none")
    return ValidationReport(bool(conforms), _violations(results, shapes_graph), len(data), time.perf_counter() - started,
                            shapes_name)
