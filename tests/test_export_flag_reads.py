"""export.fact_flags reads its clusters' flag codes from an index alone, in its order (no table row read for a
code, no temporary B-tree sort), and gives each cluster its codes in the flags' order."""

from __future__ import annotations

from pathlib import Path

from karavan.export import fact_flags
from karavan.store import open_store


def test_export_fact_flags_read_from_indexes(examples_db: Path) -> None:
    with open_store(examples_db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT fact_id FROM recon_cluster_facts")]
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            cluster, flags = fact_flags(store, ids)
        finally:
            store.conn.set_trace_callback(None)
        # the trace gives each statement with its values bound in
        plans = {
            sql: [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)] for sql in statements
        }
        expected = {}
        for cid, code in store.conn.execute("SELECT cluster_id, code FROM recon_flags ORDER BY ord"):
            if cid in set(cluster.values()):
                expected.setdefault(cid, []).append(code)
    (flag_plan,) = [plan for sql, plan in plans.items() if "recon_flags" in sql]
    assert flag_plan == ["SEARCH recon_flags USING COVERING INDEX recon_flags_cluster_code (cluster_id=?)"]
    assert flags == expected
