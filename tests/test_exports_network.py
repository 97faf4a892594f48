"""The network exports (GraphML, GEXF) and the ACLED-style event table (events-csv)."""
from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from conftest import run_kg
from kg.export import export, formats
from kg.export.events_csv import COLUMNS
from kg.query import run_query
from kg.store import Store

EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t VALUES ?t { kg:Meeting kg:Agreement kg:Proposal kg:Attack kg:Interception } }"
ROLE_FILLERS = ("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?e ?r ?x "
                "VALUES ?r { kg:participant kg:chair kg:agent kg:target kg:instrument kg:location } }")
ROLE_EDGES = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?e ?x WHERE { ?e ?r ?x "
              "VALUES ?r { kg:participant kg:chair kg:agent kg:target kg:instrument kg:location } } }")


def count(built, sparql: str) -> int:
    return int(run_kg("query", sparql, "--output", str(built), "--format", "tsv").stdout.splitlines()[1])


@pytest.fixture(scope="module")
def expected(built) -> dict:
    return {"events": count(built, EVENTS), "entities": count(built, ROLE_FILLERS), "edges": count(built, ROLE_EDGES)}


def test_exports_are_registered():
    assert {"graphml", "gexf", "events-csv"} <= set(formats())


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_network_parses_back_with_networkx(built, tmp_path, expected, fmt, read):
    path = tmp_path / f"g.{fmt}"
    run_kg("export", "--format", fmt, "-o", str(path), "--output", str(built))
    g = read(path)
    kinds = [d.get("kind") for _, d in g.nodes(data=True)]
    assert kinds.count("event") == expected["events"]
    assert kinds.count("entity") == expected["entities"]
    assert g.number_of_edges() == expected["edges"]
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
        assert data["label"]
    names = {d["label"] for _, d in g.nodes(data=True)}
    assert {"Jake Sullivan", "Ain al-Asad Air Base"} <= names
    roles = {d["role"] for _, _, d in g.edges(data=True)}
    assert {"participant", "target", "agent"} <= {r for rs in roles for r in rs.split("; ")}
    sullivan = next(d for _, d in g.nodes(data=True) if d["label"] == "Jake Sullivan")
    assert sullivan["label_ar"] == "جيك سوليفان" and sullivan["type"] == "Person"


def test_exports_events_csv_has_one_row_per_event(built, tmp_path, expected):
    path = tmp_path / "events.csv"
    run_kg("export", "--format", "events-csv", "-o", str(path), "--output", str(built))
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == expected["events"] and len({r["event_id"] for r in rows}) == len(rows)
    assert all(int(r["corroboration"]) >= 1 and r["evidence"] and r["articles"] for r in rows)
    seed = [r for r in rows if "000_e89028999133085d" in r["articles"].split("; ")]
    assert {"Meeting", "Attack", "Interception"} <= {r["event_type"] for r in seed}
    assert all("Axios" in r["outlets"] for r in seed)
    # The table agrees with the shipped queries over the same store.
    meetings = {r["meeting"]: r for r in run_query(Store(built / "store", read_only=True), name="meetings").rows_as_dicts()}
    for r in seed:
        if r["event_type"] == "Meeting":
            m = meetings[r["event_id"]]
            assert set(r["participants"].split("; ")) - {""} == set((m["participants"] or "").split("; ")) - {""}
            assert r["location"] == (m["location"] or "") and r["event_date"] == (m["date"] or "")


def test_exports_events_csv_streams_to_a_binary_stream(built):
    buf = io.BytesIO()
    export(Store(built / "store", read_only=True), "events-csv", buf)
    assert not buf.closed  # the exporter leaves the caller's stream open
    text = buf.getvalue().decode("utf-8")
    assert text.startswith(",".join(COLUMNS) + "\n")
