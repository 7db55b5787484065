"""Near-duplicate groups kept in the store, brought up to date for the documents that changed.

`neardup.groups_from_signatures` groups a whole corpus at once: documents with the same text hash, and
documents that share an LSH bucket and are similar (estimated Jaccard of their MinHash signatures), each
compared with its bucket's first member and its neighbour in id order; a group is a connected component
of those edges and its representative its smallest document id. The same edges depend only on the
members of each bucket, so the store keeps

- recon_lsh (bucket, doc): each document's LSH_BANDS buckets (a 64-bit hash of the band's values),
- recon_dup_edges (bucket, a, b): the similar pairs each bucket gives,

and a change of documents D redoes the edges of the buckets D leaves or enters, then the components of
the documents those buckets hold (breadth-first over the stored edges and equal text hashes). A document
whose component did not change is not touched: the groups equal a whole-corpus grouping (tests compare).
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Iterable, Iterator

from karavan.reconcile.neardup import (
    LSH_BANDS,
    LSH_ROWS,
    NEAR_DUP_JACCARD,
    NUM_HASHES,
    estimated_jaccard,
    minhash_signature,
)

CHUNK = 500  # documents per query with an IN list


def chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def pack_signature(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f">{len(sig)}Q", *sig)


def unpack_signature(blob: bytes | None) -> tuple[int, ...] | None:
    if not blob or len(blob) != 8 * NUM_HASHES:
        return None
    return struct.unpack(f">{NUM_HASHES}Q", blob)


def buckets_of(sig: tuple[int, ...]) -> list[int]:
    """The document's LSH buckets: one signed 64-bit hash per band of its signature."""
    out = []
    for band in range(LSH_BANDS):
        part = struct.pack(f">H{LSH_ROWS}Q", band, *sig[band * LSH_ROWS : (band + 1) * LSH_ROWS])
        out.append(int.from_bytes(hashlib.blake2b(part, digest_size=8).digest(), "big", signed=True))
    return out


def signatures(conn: sqlite3.Connection, docs: list[str], save: bool = True) -> dict[str, tuple[int, ...]]:
    """doc -> MinHash signature, computed from the text where the store has none (and then stored, onto
    the text it was computed from only) for the documents of `docs` that exist."""
    out: dict[str, tuple[int, ...]] = {}
    missing: list[tuple[bytes, str, str]] = []
    for part in chunks(docs):
        marks = ",".join("?" * len(part))
        for doc, blob, sha in conn.execute(
            f"SELECT id, minhash, sha256 FROM documents WHERE id IN ({marks})", part
        ).fetchall():
            sig = unpack_signature(blob)
            if sig is None:
                (text,) = conn.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone()
                sig = minhash_signature(text)
                missing.append((pack_signature(sig), doc, sha))
            out[doc] = sig
    if missing and save:
        conn.executemany("UPDATE documents SET minhash = ? WHERE id = ? AND sha256 = ?", missing)
    return out


def _edges(members: list[str], sigs: dict[str, tuple[int, ...]]) -> set[tuple[str, str]]:
    """The similar pairs of one bucket's members (in id order): each with the first and its predecessor."""
    out: set[tuple[str, str]] = set()
    first = members[0]
    for prev, doc in zip(members, members[1:], strict=False):
        for other in {first, prev}:
            if estimated_jaccard(sigs[other], sigs[doc]) >= NEAR_DUP_JACCARD:
                out.add((other, doc))
    return out


def update_buckets(
    conn: sqlite3.Connection, changed: list[str], present: dict[str, tuple[int, ...]]
) -> set[int]:
    """Move the changed documents to their new buckets (none for a deleted one); the buckets touched."""
    touched: set[int] = set()
    for part in chunks(changed):
        marks = ",".join("?" * len(part))
        touched |= {r[0] for r in conn.execute(f"SELECT bucket FROM recon_lsh WHERE doc IN ({marks})", part)}
        conn.execute(f"DELETE FROM recon_lsh WHERE doc IN ({marks})", part)
    rows = [(b, doc) for doc in changed if doc in present for b in buckets_of(present[doc])]
    conn.executemany("INSERT OR IGNORE INTO recon_lsh VALUES (?, ?)", rows)
    touched |= {b for b, _ in rows}
    return touched


STAGE = "temp.recon_lsh_stage"
"""Where a full run puts every document's buckets before they go into recon_lsh (`stage_buckets`)."""


def start_stage(conn: sqlite3.Connection) -> None:
    """An empty stage for a full run's buckets (whatever a run that failed left in this connection)."""
    conn.execute(f"DROP TABLE IF EXISTS {STAGE}")
    conn.execute(f"CREATE TABLE {STAGE} (bucket INTEGER NOT NULL, doc TEXT NOT NULL)")


def stage_buckets(conn: sqlite3.Connection, present: dict[str, tuple[int, ...]]) -> None:
    """A full run's buckets of `present`'s documents, set aside in the stage (`start_stage`; in the
    caller's transaction) until `load_staged` writes them all into recon_lsh, emptied by the run."""
    conn.executemany(
        f"INSERT INTO {STAGE} VALUES (?, ?)",
        [(b, doc) for doc, sig in present.items() for b in buckets_of(sig)],
    )


def load_staged(conn: sqlite3.Connection) -> None:
    """recon_lsh (empty) filled from the staged buckets in its key order, in the caller's transaction.
    Written a chunk of documents at a time, the buckets (hashes) fell all over the table: every commit
    wrote again most of its pages, a number that grows with the store, so that the cost grew with the
    square of the documents (the 1M-fact store: 4.5M rows, 36,000 pages of table and as many of index).
    The index on the document is filled by the same statement: dropping it and building it again after
    (11 s instead of 18 s at 1M facts) changed the schema under the other connections, and an ingest
    beside the run failed ("no such table: facts", tests/test_store_serve_beside_cli.py)."""
    conn.execute(
        f"INSERT OR IGNORE INTO recon_lsh (bucket, doc) SELECT bucket, doc FROM {STAGE} ORDER BY bucket, doc"
    )
    conn.execute(f"DROP TABLE {STAGE}")


def redo_edges(
    conn: sqlite3.Connection, buckets: Iterable[int] | None, sigs: dict[str, tuple[int, ...]]
) -> set[str]:
    """Recompute the edges of `buckets` (of every bucket with two members or more when None); the
    documents those buckets hold. `sigs` is a cache of signatures, filled as needed."""
    if buckets is None:
        conn.execute("DELETE FROM recon_dup_edges")
        groups = conn.execute(
            "SELECT bucket FROM recon_lsh GROUP BY bucket HAVING count(*) > 1 ORDER BY bucket"
        ).fetchall()
        buckets = [r[0] for r in groups]
    members_of: dict[int, list[str]] = {}
    for b in sorted(set(buckets)):
        conn.execute("DELETE FROM recon_dup_edges WHERE bucket = ?", (b,))
        members_of[b] = [
            r[0] for r in conn.execute("SELECT doc FROM recon_lsh WHERE bucket = ? ORDER BY doc", (b,))
        ]
    held = sorted({d for m in members_of.values() for d in m})
    need = [d for d in held if d not in sigs]
    sigs.update(signatures(conn, need))
    rows = []
    for b, members in members_of.items():
        if len(members) > 1:
            rows += [(b, x, y) for x, y in sorted(_edges(members, sigs))]
    conn.executemany("INSERT OR IGNORE INTO recon_dup_edges VALUES (?, ?, ?)", rows)
    return set(held)


def _neighbours(conn: sqlite3.Connection, doc: str) -> set[str]:
    out = {r[0] for r in conn.execute("SELECT b FROM recon_dup_edges WHERE a = ?", (doc,))}
    out |= {r[0] for r in conn.execute("SELECT a FROM recon_dup_edges WHERE b = ?", (doc,))}
    row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc,)).fetchone()
    if row is not None:
        out |= {r[0] for r in conn.execute("SELECT id FROM documents WHERE sha256 = ?", (row[0],))}
    out.discard(doc)
    return out


def components_of(conn: sqlite3.Connection, docs: Iterable[str]) -> dict[str, str]:
    """doc -> representative of its group, for the existing documents of `docs` and every document
    grouped with one of them."""
    out: dict[str, str] = {}
    exists = set()
    wanted = sorted(set(docs))
    for part in chunks(wanted):
        marks = ",".join("?" * len(part))
        exists |= {r[0] for r in conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", part)}
    for start in wanted:
        if start in out or start not in exists:
            continue
        seen, todo = {start}, [start]
        while todo:
            for n in _neighbours(conn, todo.pop()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        rep = min(seen)
        out.update(dict.fromkeys(seen, rep))
    return out


def all_components(conn: sqlite3.Connection) -> dict[str, str]:
    """doc -> representative, for every document: union-find over every stored edge and equal text hash."""
    parent = {r[0]: r[0] for r in conn.execute("SELECT id FROM documents")}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo

    for a, b in conn.execute("SELECT a, b FROM recon_dup_edges"):
        if a in parent and b in parent:
            union(a, b)
    first: dict[str, str] = {}
    for doc, sha in conn.execute("SELECT id, sha256 FROM documents ORDER BY id"):
        if sha in first:
            union(first[sha], doc)
        else:
            first[sha] = doc
    return {d: find(d) for d in parent}
