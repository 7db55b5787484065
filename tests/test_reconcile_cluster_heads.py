"""Heads of the results: a cluster's (recon_clusters.head, results_store.cluster_head) is its data with its
first HEAD_SOURCES sources only, NULL when it has no more; a discrepancy's (recon_discrepancies.head,
discrepancy_head) is its data without its sides' documents and quotes. Written by every reconcile, filled by
migrations 13 and 15 for stores made before, and read by the lists that show a few sources
(serve/lists.clusters_capped, clusters_in_order, discrepancies_capped)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from karavan import api
from karavan.reconcile.results_store import HEAD_SOURCES, cluster_head, discrepancy_head, dumps
from karavan.serve.lists import POINT_FIELDS, clusters_capped, clusters_in_order, discrepancies_capped
from karavan.store import open_store
from karavan.store.migrations import MIGRATIONS, migrate

# one figure told by many sites in their own words: one cluster with more sources than a head keeps
WORDINGS = [
    "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,2 млрд долларов.",
    "По итогам 2023 года товарооборот Казахстана и Узбекистана достиг 4,2 млрд долларов.",
    "Объем торговли между Узбекистаном и Казахстаном за 2023 год составил 4,2 млрд долларов США.",
    "In 2023 trade between Kazakhstan and Uzbekistan reached $4.2 billion.",
    "Trade turnover between Uzbekistan and Kazakhstan amounted to $4.2 billion in 2023.",
    "2023 жылы Қазақстан мен Өзбекстан арасындағы тауар айналымы 4,2 млрд долларды құрады.",
]


def sliced(data: str, members: int) -> dict[str, object]:
    cluster = json.loads(data)
    evidence = cluster.pop("evidence")
    return {**cluster, "evidence": evidence[:members], "n_evidence": len(evidence)}


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one cluster of 18 sources (six wordings on three sites each, on different days), and
    four other sites giving another figure for the same year: a discrepancy."""
    folder = tmp_path_factory.mktemp("heads")
    docs = folder / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as f:
        for i in range(18):
            text = f"Новости экономики, выпуск {i + 1}\n\n{WORDINGS[i % len(WORDINGS)]}\n"
            row = {"id": f"site{i // 6}-{i}", "text": text, "published": f"2024-01-{i + 2:02d}"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        for i in range(4):
            text = f"Обзор торговли {i + 1}\n\n{WORDINGS[i].replace('4,2', '3,1').replace('4.2', '3.1')}\n"
            row = {"id": f"other{i}", "text": text, "published": f"2024-02-{i + 2:02d}"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    db = folder / "k.db"
    api.ingest_paths([docs], db)
    api.reconcile(db)
    return db


@pytest.mark.parametrize("n", [0, 1, HEAD_SOURCES, HEAD_SOURCES + 1, 40])
def test_reconcile_cluster_head_is_the_data_cut(n: int) -> None:
    cluster = {
        "id": "c1",
        "n_facts": n,
        "value": 4.2e9,
        "evidence": [{"doc": f"d{i}", "quote": "q"} for i in range(n)],
    }
    head = cluster_head(cluster)
    if n <= HEAD_SOURCES:
        assert head is None  # the data is its own head
    else:
        assert json.loads(head) == {**cluster, "evidence": cluster["evidence"][:HEAD_SOURCES]}


def test_reconcile_writes_heads_of_big_clusters(many_sources: Path) -> None:
    with open_store(many_sources) as store:
        rows = store.conn.execute("SELECT data, head FROM recon_clusters").fetchall()
    big = [(data, head) for data, head in rows if len(json.loads(data)["evidence"]) > HEAD_SOURCES]
    assert big  # the figure's cluster
    for data, head in rows:
        assert head == cluster_head(json.loads(data))


@pytest.mark.parametrize("members", [1, 3, HEAD_SOURCES, HEAD_SOURCES + 1, 50])
def test_serve_clusters_capped_from_heads_is_the_cluster_sliced(many_sources: Path, members: int) -> None:
    with open_store(many_sources) as store:
        rows = dict(store.conn.execute("SELECT id, data FROM recon_clusters").fetchall())
        got = clusters_capped(store, sorted(rows), members)
        ordered = clusters_in_order(store, sorted(rows), members)
    assert got == {cid: sliced(data, members) for cid, data in rows.items()}
    for c in ordered:  # the heads keep every field but the cut sources
        whole = json.loads(rows[c["id"]])
        cut = HEAD_SOURCES if members <= HEAD_SOURCES else len(whole["evidence"])
        assert c == {**whole, "evidence": whole["evidence"][:cut]}


@pytest.mark.parametrize(
    ("members", "fields"),
    [(1, ()), (3, POINT_FIELDS), (HEAD_SOURCES + 1, POINT_FIELDS), (2, ("id", "attrs", "no_such_field"))],
)
def test_serve_clusters_capped_with_fields_is_the_cluster_projected(
    many_sources: Path, members: int, fields: tuple[str, ...]
) -> None:
    with open_store(many_sources) as store:
        rows = dict(store.conn.execute("SELECT id, data FROM recon_clusters").fetchall())
        got = clusters_capped(store, sorted(rows), members, fields)
    assert got == {
        cid: {**{f: json.loads(data).get(f) for f in fields}, **{k: v for k, v in sliced(data, members).items()
                                                              if k in ("evidence", "n_evidence")}}
        for cid, data in rows.items()
    }  # fmt: skip


@pytest.mark.parametrize("n", [3, HEAD_SOURCES, HEAD_SOURCES + 1, 25])
def test_store_migration_13_fills_heads(n: int) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 12])
    cluster = {
        "id": "c1",
        "n_facts": n,
        "attrs": {"k": [1, "два"]},
        "evidence": [{"doc": f"d{i}"} for i in range(n)],
    }
    conn.execute(
        "INSERT INTO recon_clusters (id, ord, type, pair, n_sources, data) VALUES ('c1', '1', 'trade', 'KZ-UZ', 1, ?)",
        (dumps(cluster),),
    )
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 13]) == [13]
    (head,) = conn.execute("SELECT head FROM recon_clusters").fetchone()
    expected = cluster_head(cluster)
    assert (head is None) == (expected is None)
    if head is not None:
        assert json.loads(head) == json.loads(expected)


def test_reconcile_discrepancy_head_leaves_out_quotes_and_documents() -> None:
    side = {
        "cluster_id": "c1",
        "value": 4.2e9,
        "claimants": [],
        "docs": ["d1", "d2"],
        "quotes": ["«4,2 млрд»"],
    }
    discrepancy = {"id": "x1", "period": "2023-01/2023-12", "sides": [side, {**side, "cluster_id": "c2"}]}
    head = json.loads(discrepancy_head(discrepancy))
    assert head == {
        **discrepancy,
        "sides": [{"cluster_id": c, "value": 4.2e9, "claimants": []} for c in ("c1", "c2")],
    }


def test_reconcile_writes_discrepancy_heads(many_sources: Path) -> None:
    with open_store(many_sources) as store:
        rows = store.conn.execute("SELECT data, head FROM recon_discrepancies").fetchall()
    assert rows  # 4.2 against 3.1 bn for 2023
    for data, head in rows:
        assert head == discrepancy_head(json.loads(data))


@pytest.mark.parametrize("members", [1, 3])
def test_serve_discrepancies_capped_from_heads_is_from_data(
    tmp_path: Path, many_sources: Path, members: int
) -> None:
    copy = tmp_path / "k.db"
    shutil.copy(many_sources, copy)
    with open_store(copy) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM recon_discrepancies")]
        from_heads = discrepancies_capped(store, ids, members)
        store.conn.execute("UPDATE recon_discrepancies SET head = NULL")
        store.conn.execute("UPDATE recon_clusters SET head = NULL")
        store.conn.commit()
        assert discrepancies_capped(store, ids, members) == from_heads


def test_store_migration_15_fills_discrepancy_heads() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 14])
    side = {"cluster_id": "c1", "value": 1.0, "docs": ["d1"], "quotes": ["«q»"], "interval": [0.9, 1.1]}
    discrepancy = {
        "id": "x1",
        "type": "trade",
        "sides": [side, {**side, "cluster_id": "c2"}, {**side, "cluster_id": "c3"}],
    }
    conn.execute(
        "INSERT INTO recon_discrepancies (id, ord, type, pair, data) VALUES ('x1', '1', 'trade', 'KZ-UZ', ?)",
        (dumps(discrepancy),),
    )
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 15]) == [15]
    (head,) = conn.execute("SELECT head FROM recon_discrepancies").fetchone()
    assert json.loads(head) == json.loads(discrepancy_head(discrepancy))
