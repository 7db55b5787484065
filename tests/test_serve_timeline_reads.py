"""A person's timeline (serve/lists.timeline_page) takes each cluster's first fact from an index alone, in its
order (no table row read for an ord, no temporary B-tree sort a cluster), and its rows are the person's
clusters oldest first, each with the first fact of its cluster (a meeting) or of the person's (a statement)."""

from __future__ import annotations

from pathlib import Path

from karavan.serve.lists import timeline_page
from karavan.serve.paging import Paging
from karavan.store import open_store


def _people(store) -> list[str]:  # type: ignore[no-untyped-def]
    return [r[0] for r in store.conn.execute("SELECT DISTINCT name FROM recon_people ORDER BY name")]


def test_serve_timeline_first_facts_from_index(examples_db: Path) -> None:
    with open_store(examples_db) as store:
        names = _people(store)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            for name in names:
                timeline_page(store, name, Paging(limit=500))
        finally:
            store.conn.set_trace_callback(None)
        statements = [sql for sql in statements if "recon_people" in sql]  # not the clusters of its rows
        plans = [row[3] for sql in statements for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    firsts = [p for p in plans if " m USING" in p]
    assert firsts and all("COVERING INDEX recon_cluster_facts_cluster_ord" in p for p in firsts)
    # one sort a query: the timeline's own order
    assert len(statements) == len(names) and plans.count("USE TEMP B-TREE FOR ORDER BY") == len(names)


def test_serve_timeline_rows_first_fact_of_each_cluster(examples_db: Path) -> None:
    with open_store(examples_db) as store:
        for name in _people(store):
            rows = timeline_page(store, name, Paging(limit=500)).rows
            for row in rows:
                t = dict(row)  # type: ignore[call-overload]
                members = store.conn.execute(
                    "SELECT m.fact_id, f.claimant FROM recon_cluster_facts m JOIN facts f ON f.id = m.fact_id"
                    " WHERE m.cluster_id = ? ORDER BY m.ord",
                    (t["cluster_id"],),
                ).fetchall()
                ours = [fid for fid, claimant in members if t["kind"] == "meeting" or claimant == name]
                assert t["fact_id"] == ours[0]
            keys = [(t["date"] is None, t["date"] or "", t["kind"], t["fact_id"]) for t in map(dict, rows)]  # type: ignore[call-overload]
            assert keys == sorted(keys)
