"""lists.clusters_capped (a series' clusters with their first sources, cut in SQL) is each stored cluster with
its evidence cut to the first `members` and their count, as decoding the whole cluster and slicing gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from karavan.serve.lists import clusters_capped
from karavan.store import open_store


def sliced(data: str, members: int) -> dict[str, object]:
    cluster = json.loads(data)
    evidence = cluster.pop("evidence")
    return {**cluster, "evidence": evidence[:members], "n_evidence": len(evidence)}


@pytest.mark.parametrize("members", [0, 1, 2, 3, 50])
def test_serve_clusters_capped_is_the_cluster_sliced(examples_db: Path, members: int) -> None:
    with open_store(examples_db) as store:
        rows = dict(store.conn.execute("SELECT id, data FROM recon_clusters").fetchall())
        assert any(len(json.loads(d)["evidence"]) > 1 for d in rows.values())  # some are cut
        got = clusters_capped(store, sorted(rows), members)
    assert got == {cid: sliced(data, members) for cid, data in rows.items()}


def test_serve_clusters_capped_counts_a_cluster_without_n_facts(tmp_path: Path, examples_db: Path) -> None:
    db = tmp_path / "k.db"
    shutil.copy(examples_db, db)
    with open_store(db) as store:
        store.conn.execute("UPDATE recon_clusters SET data = json_remove(data, '$.n_facts')")
        store.conn.commit()
        rows = dict(store.conn.execute("SELECT id, data FROM recon_clusters").fetchall())
        assert rows and not [d for d in rows.values() if "n_facts" in json.loads(d)]
        got = clusters_capped(store, sorted(rows), 1)
    assert {cid: c["n_evidence"] for cid, c in got.items()} == {
        cid: len(json.loads(d)["evidence"]) for cid, d in rows.items()
    }
