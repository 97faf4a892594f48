"""`kg validate` and the validation step of `kg build`: SHACL (ontology/shapes.ttl) with pyshacl."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib.namespace import PROV, RDF, XSD

from conftest import DATA, run_kg
from kg import iri
from kg.store import Store
from kg.validate import validate
from kg.vocab import KG

XSD_INTEGER = pyoxigraph.NamedNode(str(XSD.integer))


def test_validate_the_graph_of_data_conforms(built):
    report = validate(Store(built / "store", read_only=True))
    assert report.conforms, report.text()
    assert report.violations == [] and report.triples > 1000
    proc = run_kg("validate", "--output", str(built))
    assert proc.returncode == 0 and "conforms" in proc.stdout


@pytest.fixture()
def broken(built, tmp_path) -> Path:
    """A copy of the built store with a claim whose offsets are reversed and a meeting with a target."""
    target = tmp_path / "store"
    pyoxigraph.Store.read_only(str(built / "store")).backup(str(target))
    raw = pyoxigraph.Store(str(target))
    N = pyoxigraph.NamedNode
    meeting = next(iter(raw.query(f"SELECT ?m WHERE {{ ?m a <{KG.Meeting}> }} LIMIT 1",
                                  use_default_graph_as_union=True)))["m"]
    g, claim = iri.article_graph("broken"), iri.mint("claim", "broken")
    raw.extend([pyoxigraph.Quad(s, p, o, g) for s, p, o in [
        (meeting, N(KG.target), iri.entity("iraq")),
        (claim, N(RDF.type), N(KG.Claim)),
        (claim, N(KG.asserts), meeting), (claim, N(PROV.wasDerivedFrom), iri.article("broken")),
        (claim, N(KG.evidence), pyoxigraph.Literal("x")),
        (claim, N(KG.start), pyoxigraph.Literal("9", datatype=XSD_INTEGER)),
        (claim, N(KG.end), pyoxigraph.Literal("3", datatype=XSD_INTEGER))]])
    raw.flush()
    del raw
    return target


def test_validate_finds_violations_in_a_broken_graph(broken):
    report = validate(Store(broken, read_only=True))
    assert not report.conforms
    messages = {v.message for v in report.violations}
    assert any("Meeting has no kg:target" in m for m in messages)
    assert any("kg:start" in m for m in messages)  # start 9 is not < end 3
    assert any("prov:wasDerivedFrom" in m for m in messages)  # the article is not typed
    assert {v.shape for v in report.violations} >= {"kgsh:MeetingRolesShape", "kgsh:ClaimShape"}
    text = report.text()
    assert text.splitlines()[0].startswith("SHACL (ontology/shapes.ttl): ") and "claim:broken" in text


def test_validate_cli_exits_1_with_a_readable_report(broken):
    proc = run_kg("validate", "--store", str(broken), check=False)
    assert proc.returncode == 1
    assert "violation" in proc.stdout.splitlines()[0]
    assert "A Meeting has no kg:target" in proc.stdout and "Traceback" not in proc.stderr


def test_validate_missing_shapes_file_is_a_usage_error(built, tmp_path):
    proc = run_kg("validate", "--output", str(built), "--shapes", str(tmp_path / "none.ttl"), check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("kg: ")


def test_validate_runs_in_build_unless_told_not_to(tmp_path):
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text((DATA / "sample_en_01.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = run_kg("build", str(article.parent), "--output", str(tmp_path / "o"), "--no-html").stdout
    assert "validation: SHACL" in out and "conforms" in out
    out = run_kg("build", str(article.parent), "--output", str(tmp_path / "o"), "--no-html", "--no-validate").stdout
    assert "validation" not in out
