"""Reconciliation results into the store's recon_* tables (migration 2), and the store's fingerprint.

Incremental by fingerprint, recomputed whole: reconciliation is corpus-level (near-duplicate
groups, the years documents were written, flags that compare a pair's whole series), so a
changed document can move clusters of other documents; `reconcile` over 100,000 facts takes
seconds, so a changed store is reconciled again in full, and an unchanged one not at all.

The fingerprint hashes every document's (id, sha256, published, source, ingested_at, n_facts)
and the facts table's (count, max id, sum of ids, total JSON length), plus the karavan version
and RESULTS_VERSION (so a new reconciliation or a new table layout recomputes).
Results replace the previous snapshot in one transaction: a reader sees the old run or the new
one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from karavan import __version__
from karavan.reconcile.core import doc_years
from karavan.reconcile.model import DocInfo, Reconciliation
from karavan.reconcile.neardup import NUM_HASHES, minhash_signature

RESULTS_VERSION = 1
"""Bump when what is written to the recon_* tables changes: stores then reconcile again."""

RECON_TABLES = (
    "recon_docs",
    "recon_clusters",
    "recon_cluster_facts",
    "recon_discrepancies",
    "recon_flags",
    "recon_changes",
    "recon_series",
    "recon_progress",
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def pair_of(countries: Iterable[str]) -> str:
    """'KZ-TJ': the countries sorted and joined, whatever their order in the fact."""
    return "-".join(sorted({c for c in countries if c}))


def fingerprint(conn: sqlite3.Connection) -> str:
    h = hashlib.sha1(f"karavan {__version__} results {RESULTS_VERSION}\n".encode())
    for row in conn.execute(
        "SELECT id, sha256, published, source, ingested_at, n_facts FROM documents ORDER BY id"
    ):
        h.update(dumps(list(row)).encode())
    agg = conn.execute(
        "SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0), coalesce(sum(length(data)), 0) FROM facts"
    ).fetchone()
    h.update(dumps(list(agg)).encode())
    return h.hexdigest()


def last_run(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM recon_runs ORDER BY id DESC LIMIT 1").fetchone()


def shadow_results(conn: sqlite3.Connection) -> None:
    """TEMP copies of the recon_* tables and recon_runs, with their indexes, for a store that cannot be
    written (read-only or damaged): unqualified names find TEMP tables first, so a reconciliation is
    written to and read from this connection's memory, and the file is never touched."""
    names = (*RECON_TABLES, "recon_runs")
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'recon_runs'").fetchone():
        return
    rows = conn.execute(
        f"SELECT type, name, sql FROM main.sqlite_master WHERE tbl_name IN ({', '.join('?' * len(names))})"
        " AND sql IS NOT NULL ORDER BY type = 'index'",
        names,
    ).fetchall()
    for kind, name, sql in rows:
        if kind == "table":
            conn.execute(sql.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        else:
            conn.execute(sql.replace(f"CREATE INDEX {name}", f"CREATE INDEX temp.{name}", 1))


def pack_signature(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f">{len(sig)}Q", *sig)


def unpack_signature(blob: bytes | None) -> tuple[int, ...] | None:
    if not blob or len(blob) != 8 * NUM_HASHES:
        return None
    return struct.unpack(f">{NUM_HASHES}Q", blob)


def read_inputs(
    conn: sqlite3.Connection,
) -> tuple[list[dict[str, Any]], dict[str, DocInfo], dict[str, tuple[bytes, str]]]:
    """Facts (with the store's id as `id`), DocInfo per document, and the signatures still to store, each
    with the hash of the text it was computed from."""
    facts = []
    for fact_id, data in conn.execute("SELECT id, data FROM facts ORDER BY id"):
        f = json.loads(data)
        f["id"] = str(fact_id)
        facts.append(f)
    docs: dict[str, DocInfo] = {}
    missing: dict[str, tuple[bytes, str]] = {}
    for row in conn.execute("SELECT id, published, source, lang, sha256, minhash FROM documents ORDER BY id"):
        sig = unpack_signature(row["minhash"])
        if sig is None:
            (text,) = conn.execute("SELECT text FROM documents WHERE id = ?", (row["id"],)).fetchone()
            sig = minhash_signature(text)
            missing[row["id"]] = (pack_signature(sig), row["sha256"])
        docs[row["id"]] = DocInfo(
            published=row["published"],
            source=row["source"],
            lang=row["lang"],
            text_hash=row["sha256"],
            minhash=sig,
        )
    return facts, docs, missing


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


def write_results(
    conn: sqlite3.Connection,
    result: Reconciliation,
    facts: list[dict[str, Any]],
    docs: dict[str, DocInfo],
    signatures: dict[str, tuple[bytes, str]],
    print_: str,
    seconds: float,
    started: str,
) -> dict[str, Any]:
    """Replace the recon_* snapshot with `result` in one transaction; return the run's summary."""
    years = doc_years(facts, docs)
    doc_rows = [
        (d, result.doc_groups.get(d, d), years.get(d), docs[d].published if d in docs else None)
        for d in sorted(set(years) | set(docs))
    ]
    cluster_rows, member_rows = [], []
    for i, c in enumerate(result.clusters):
        cluster_rows.append(
            (c.id, i, c.type, pair_of(c.countries), c.flow, c.product, c.unit, c.measure, c.period,
             _num(c.value), c.n_sources, dumps(c.to_dict()))
        )  # fmt: skip
        member_rows += [(int(e.fact_id), c.id, e.doc, j) for j, e in enumerate(c.evidence)]
    disc_rows = [
        (d.id, i, d.type, pair_of(d.countries), d.period, dumps(d.to_dict()))
        for i, d in enumerate(result.discrepancies)
    ]
    pair_by_cluster = {c.id: pair_of(c.countries) for c in result.clusters}
    flag_rows = [
        (i, f.cluster_id, f.code, pair_by_cluster.get(f.cluster_id, ""), dumps(f.to_dict()))
        for i, f in enumerate(result.flags)
    ]
    change_rows = [
        (c.id, i, pair_of(c.countries), c.from_cluster, c.to_cluster, dumps(c.to_dict()))
        for i, c in enumerate(result.changes)
    ]
    series_rows = [
        (s.id, i, pair_of(s.countries), s.flow, s.product, s.unit, dumps(s.to_dict()))
        for i, s in enumerate(result.series)
    ]
    progress_rows = [
        (p.series_id, i, pair_of(p.countries), p.flow, p.product, p.unit, dumps(p.to_dict()))
        for i, p in enumerate(result.progress)
    ]
    summary = {
        "clusters": len(result.clusters),
        "discrepancies": len(result.discrepancies),
        "flags": len(result.flags),
        "changes": len(result.changes),
        "series": len(result.series),
        "facts": len(facts),
        "docs": len(docs),
    }
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in RECON_TABLES:
            conn.execute(f"DELETE FROM {table}")
        # only onto the text it was computed from: a document ingested again since keeps no stale signature
        conn.executemany(
            "UPDATE documents SET minhash = ? WHERE id = ? AND sha256 = ?",
            [(b, d, sha) for d, (b, sha) in signatures.items()],
        )
        conn.executemany("INSERT INTO recon_docs VALUES (?, ?, ?, ?)", doc_rows)
        conn.executemany(
            "INSERT INTO recon_clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cluster_rows
        )
        conn.executemany("INSERT INTO recon_cluster_facts VALUES (?, ?, ?, ?)", member_rows)
        conn.executemany("INSERT INTO recon_discrepancies VALUES (?, ?, ?, ?, ?, ?)", disc_rows)
        conn.executemany("INSERT INTO recon_flags VALUES (?, ?, ?, ?, ?)", flag_rows)
        conn.executemany("INSERT INTO recon_changes VALUES (?, ?, ?, ?, ?, ?)", change_rows)
        conn.executemany("INSERT INTO recon_series VALUES (?, ?, ?, ?, ?, ?, ?)", series_rows)
        conn.executemany("INSERT INTO recon_progress VALUES (?, ?, ?, ?, ?, ?, ?)", progress_rows)
        conn.execute(
            "INSERT INTO recon_runs (started, seconds, fingerprint, n_docs, n_facts, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (started, round(seconds, 3), print_, len(docs), len(facts), dumps(summary)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return summary


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
