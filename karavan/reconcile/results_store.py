"""Reconciliation results into the store's recon_* tables (migration 6), a block at a time.

Each block (a country set, `pair` in every table) is replaced whole: `delete_block` then `write_block`, in
one transaction (karavan/reconcile/incremental.py decides which blocks and when). Every row carries `ord`,
the sort key of its place in one run over the whole store (order.py), so a reader that orders by it reads
the same rows in the same order whatever the blocks were redone in. Beside the results, a block writes
what readers would otherwise compute from every cluster: its pair row (`karavan pairs`, the overview),
its latest figures, and who meets and speaks in it (recon_people).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from karavan.reconcile.blocks import BlockResult
from karavan.reconcile.dupes_store import pack_signature, unpack_signature
from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.model import Cluster

__all__ = ["COLUMNS", "block_rows", "cluster_rows", "delete_block", "dumps", "insert_rows", "now", "pack_signature",
           "pair_of", "result_rows", "source_dict", "unpack_signature", "write_block"]  # fmt: skip

RECON_TABLES = (
    "recon_docs",
    "recon_fact_blocks",
    "recon_lsh",
    "recon_dup_edges",
    "recon_clusters",
    "recon_cluster_facts",
    "recon_discrepancies",
    "recon_discrepancy_sides",
    "recon_flags",
    "recon_changes",
    "recon_series",
    "recon_progress",
    "recon_pairs",
    "recon_people",
)
BLOCK_TABLES = (
    "recon_clusters", "recon_discrepancies", "recon_flags", "recon_changes", "recon_series", "recon_progress",
    "recon_pairs", "recon_people",
)  # fmt: skip


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def pair_of(countries: Iterable[str]) -> str:
    """'KZ-TJ': the countries sorted and joined, whatever their order in the fact."""
    return "-".join(sorted({c for c in countries if c}))


def last_run(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM recon_runs ORDER BY id DESC LIMIT 1").fetchone()


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


def delete_block(conn: sqlite3.Connection, block: str) -> None:
    """Remove every result row of `block` (inside the caller's transaction)."""
    conn.execute(
        "DELETE FROM recon_cluster_facts WHERE cluster_id IN (SELECT id FROM recon_clusters WHERE pair = ?)",
        (block,),
    )
    conn.execute(
        "DELETE FROM recon_discrepancy_sides WHERE discrepancy_id IN"
        " (SELECT id FROM recon_discrepancies WHERE pair = ?)",
        (block,),
    )
    for table in BLOCK_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE pair = ?", (block,))


def _people_rows(r: BlockResult) -> list[tuple[str, str, str, str, str, str | None]]:
    """Who meets in (with the meeting's period) or speaks in each cluster of the block."""
    rows = set()
    for c, rc in r.pairs:
        pair = pair_of(c.countries)
        if c.type == "meeting":
            rows |= {
                (name, "meeting", c.id, pair, rc.order, c.period) for name in c.attrs.get("participants", [])
            }
        else:
            rows |= {(e.claimant, "statement", c.id, pair, rc.order, None) for e in c.evidence if e.claimant}
    return sorted(rows)


COLUMNS = {
    "recon_clusters": ("id", "ord", "type", "pair", "flow", "product", "unit", "measure", "period", "value",
                       "n_sources", "data", "head"),
    "recon_cluster_facts": ("fact_id", "cluster_id", "doc", "ord"),
    "recon_discrepancies": ("id", "ord", "type", "pair", "period", "data", "head"),
    "recon_discrepancy_sides": ("cluster_id", "discrepancy_id"),
    "recon_flags": ("ord", "cluster_id", "code", "pair", "data"),
    "recon_changes": ("id", "ord", "pair", "from_cluster", "to_cluster", "data"),
    "recon_series": ("id", "ord", "pair", "flow", "product", "unit", "data"),
    "recon_progress": ("series_id", "ord", "pair", "flow", "product", "unit", "data"),
    "recon_people": ("name", "kind", "cluster_id", "pair", "ord", "period"),
}  # fmt: skip
"""The columns block_rows fills, per table (recon_flags' own `id` is the store's)."""

# OR REPLACE: a fact id the store gave again (its document was replaced) may still be filed under another
# block that this run redoes later; OR IGNORE: a side or person named twice in one block
_VERB = {"recon_cluster_facts": "INSERT OR REPLACE", "recon_discrepancy_sides": "INSERT OR IGNORE",
         "recon_people": "INSERT OR IGNORE"}  # fmt: skip


HEAD_SOURCES = 8
"""A cluster's head (recon_clusters.head) is its data with its first HEAD_SOURCES sources only, for the readers
that show a few (serve/lists.clusters_capped): a big pair's cluster holds thousands, 200 KB of JSON that
SQLite and json.loads would parse whole at every page. NULL when the cluster has no more: its data is its head."""


def cluster_head(cluster: dict[str, Any]) -> str | None:
    """recon_clusters.head of a cluster's stored dict (Cluster.to_dict)."""
    evidence = cluster["evidence"]
    return dumps({**cluster, "evidence": evidence[:HEAD_SOURCES]}) if len(evidence) > HEAD_SOURCES else None


def discrepancy_head(discrepancy: dict[str, Any]) -> str:
    """recon_discrepancies.head of a discrepancy's stored dict (Discrepancy.to_dict): without its sides'
    documents and quotes (a big cluster's side holds 70 kB of them), for the readers that show each side by
    its cluster's first sources (serve/lists.discrepancies_capped)."""
    sides = [{k: v for k, v in side.items() if k not in ("docs", "quotes")} for side in discrepancy["sides"]]
    return dumps({**discrepancy, "sides": sides})


def _discrepancy_row(order: Any, d: Any) -> tuple[Any, ...]:
    stored = d.to_dict()
    return (d.id, order, d.type, pair_of(d.countries), d.period, dumps(stored), discrepancy_head(stored))


def cluster_rows(
    pairs: Iterable[tuple[Cluster, RawCluster]], fact_key: Any = int
) -> dict[str, list[tuple[Any, ...]]]:
    """The recon_clusters and recon_cluster_facts rows of `pairs` (columns as in COLUMNS)."""
    clusters, members = [], []
    for c, rc in pairs:
        stored = c.to_dict()
        clusters.append(
            (c.id, rc.order, c.type, pair_of(c.countries), c.flow, c.product, c.unit, c.measure, c.period,
             _num(c.value), c.n_sources, dumps(stored), cluster_head(stored))
        )  # fmt: skip
        members += [(fact_key(e.fact_id), c.id, e.doc, j) for j, e in enumerate(c.evidence)]
    return {"recon_clusters": clusters, "recon_cluster_facts": members}


def block_rows(r: BlockResult, fact_key: Any = int) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one block's results, per table (columns as in COLUMNS); fact ids through `fact_key`
    (the store's are integers; a Parquet run keeps its string ids)."""
    return {**cluster_rows(r.pairs, fact_key), **result_rows(r)}


def result_rows(r: BlockResult, stored: frozenset[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every table but recon_clusters and recon_cluster_facts (columns as in COLUMNS); the
    discrepancies of `stored` (ids) are left out: the caller knows their stored rows are these."""
    pair_by_cluster = {c.id: pair_of(c.countries) for c, _ in r.pairs}
    return {
        "recon_discrepancies": [_discrepancy_row(k, d) for k, d in r.discrepancies if d.id not in stored],
        "recon_discrepancy_sides": sorted(
            {(s.cluster_id, d.id) for _, d in r.discrepancies for s in d.sides}
        ),
        "recon_flags": [
            (k, f.cluster_id, f.code, pair_by_cluster.get(f.cluster_id, ""), dumps(f.to_dict()))
            for k, f in r.flags
        ],
        "recon_changes": [
            (c.id, k, pair_of(c.countries), c.from_cluster, c.to_cluster, dumps(c.to_dict()))
            for k, c in r.changes
        ],
        "recon_series": [
            (s.id, k, pair_of(s.countries), s.flow, s.product, s.unit, dumps(s.to_dict()))
            for k, s in r.series
        ],
        "recon_progress": [
            (p.series_id, k, pair_of(p.countries), p.flow, p.product, p.unit, dumps(p.to_dict()))
            for k, p in r.progress
        ],
        "recon_people": _people_rows(r),
    }


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    names = COLUMNS[table]
    conn.executemany(
        f"{_VERB.get(table, 'INSERT')} INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        rows,
    )


def write_block(conn: sqlite3.Connection, r: BlockResult) -> None:
    """Insert the rows of one block's results (inside the caller's transaction, after delete_block)."""
    for table, rows in block_rows(r).items():
        insert_rows(conn, table, rows)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def source_dict(e: dict[str, Any]) -> dict[str, Any]:
    """An Evidence dict as the API's source dict."""
    return {
        "doc": e["doc"],
        "quote": e["quote"],
        "claimant": e.get("claimant"),
        "published": e.get("published"),
        "lang": e.get("lang"),
        "start": e.get("start"),
        "end": e.get("end"),
        "fact_id": int(e["fact_id"]),
    }
