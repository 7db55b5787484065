"""Replace a block's stored results with a new run's, writing only the rows that differ.

An incremental run redoes a block because a few of its documents changed; most of its clusters come out
as they were. A cluster is a function of its members (their facts, documents, source groups and years),
of its flags, and, when another cluster of the block has the same key, of its number among them
(clusters.build_clusters). So a new cluster is *kept* without building its row when the stored cluster of
the same id has the same member facts, none of them is of a document this run changed or regrouped, its
flags are the same and its key is not repeated; every other stored cluster is deleted with its member
rows, and the new ones are inserted. The block's other tables (discrepancies and their sides, flags,
changes, series, progress, people) are small: their new rows are compared with the stored ones and only
the difference is deleted and inserted.

An event cluster is decided before it is built (`Keeper`, passed to blocks.reconcile_block as `keep`):
nothing else in a block reads it, so one kept is never built at all (BlockResult.kept), and its stored
rows, people included, stay.

What is read: the block's stored cluster ids with their member facts, and its rows of the small tables.
What is set: the same rows `delete_block` + `write_block` would leave (tests/test_reconcile_block_delta.py
and the incremental-equals-full tests check it table by table).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from karavan.reconcile.blocks import BlockResult
from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.results_store import COLUMNS, cluster_rows, insert_rows, result_rows

_SMALL = ("recon_discrepancies", "recon_flags", "recon_changes", "recon_series", "recon_progress")
"""Tables with a `pair` column and a rowid, compared row by row."""


def _stored_members(conn: sqlite3.Connection, block: str) -> dict[str, frozenset[int]]:
    members: dict[str, set[int]] = {  # a stored cluster with no member rows still counts
        cid: set() for (cid,) in conn.execute("SELECT id FROM recon_clusters WHERE pair = ?", (block,))
    }
    for cid, fid in conn.execute(
        "SELECT f.cluster_id, f.fact_id FROM recon_clusters c JOIN recon_cluster_facts f"
        " ON f.cluster_id = c.id WHERE c.pair = ?",
        (block,),
    ):
        members.setdefault(cid, set()).add(fid)
    return {cid: frozenset(fids) for cid, fids in members.items()}


def _stored_flags(conn: sqlite3.Connection, block: str) -> dict[str, list[str]]:
    codes: dict[str, set[str]] = defaultdict(set)
    for cid, code in conn.execute("SELECT cluster_id, code FROM recon_flags WHERE pair = ?", (block,)):
        codes[cid].add(code)
    return {cid: sorted(c) for cid, c in codes.items()}


def _replace_small(
    conn: sqlite3.Connection,
    table: str,
    block: str,
    rows: list[tuple[Any, ...]],
    same: frozenset[str] = frozenset(),
) -> int:
    """`same`: ids (the first column) whose stored rows stay, left out of `rows`."""
    names = COLUMNS[table]
    stored: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for rowid, *values in conn.execute(
        f"SELECT rowid, {', '.join(names)} FROM {table} WHERE pair = ?", (block,)
    ):
        if values[0] not in same:
            stored[tuple(values)].append(rowid)
    wanted: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows:
        wanted[row] += 1
    gone = [(rowid,) for row, ids in stored.items() for rowid in ids[wanted.get(row, 0) :]]
    new = [row for row, n in wanted.items() for _ in range(n - len(stored.get(row, ())))]
    conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", gone)
    insert_rows(conn, table, new)
    return len(gone) + len(new)


def _replace_keyed(
    conn: sqlite3.Connection, table: str, stored: set[tuple[Any, ...]], rows: list[tuple[Any, ...]]
) -> int:
    """A WITHOUT ROWID table whose rows are their own key (a NULL column, recon_people's period, matched by IS)."""
    wanted = set(rows)
    names = COLUMNS[table]
    gone = sorted(stored - wanted)
    conn.executemany(f"DELETE FROM {table} WHERE {' AND '.join(f'{n} IS ?' for n in names)}", gone)
    insert_rows(conn, table, sorted(wanted - stored))
    return len(gone) + len(wanted - stored)


class Keeper:
    """Which event clusters of a block are kept as stored: the same member facts, none of a document this
    run changed or regrouped, no stored flag (blocks.Keep). Reads the block's stored clusters once; give it
    to replace_block too (`stored`)."""

    def __init__(self, conn: sqlite3.Connection, block: str, changed_docs: set[str]) -> None:
        self.members = _stored_members(conn, block)
        self.flags = _stored_flags(conn, block)
        self.changed = changed_docs

    def __call__(self, cid: str, rc: RawCluster) -> bool:
        stored = self.members.get(cid)
        return (
            stored is not None
            and cid not in self.flags
            and len(stored) == len(rc.members)
            and stored == frozenset(int(m.fid) for m in rc.members)
            and not any(m.doc in self.changed for m in rc.members)
        )


def _same_discrepancies(r: BlockResult, kept: set[str], sides: set[tuple[str, str]]) -> frozenset[str]:
    """The discrepancies whose stored row is the new one: every side a kept cluster (the same members,
    documents and flags), and the same sides stored. A discrepancy is a function of its sides' clusters
    and its subject and slot (its id), so its row is not written again, nor worked out (a big pair's carry
    thousands of quotes)."""
    stored: dict[str, set[str]] = defaultdict(set)
    for cid, did in sides:
        stored[did].add(cid)
    return frozenset(
        d.id
        for _, d in r.discrepancies
        if all(s.cluster_id in kept for s in d.sides) and stored.get(d.id) == {s.cluster_id for s in d.sides}
    )


def replace_block(
    conn: sqlite3.Connection, r: BlockResult, changed_docs: set[str], stored: Keeper | None = None
) -> dict[str, int]:
    """Make the stored rows of block `r.block` those of `r` (inside the caller's transaction), writing only
    what differs (module doc); `changed_docs`: the documents this run changed or regrouped; `stored`: the
    Keeper that decided `r.kept` (its reading of the stored clusters is used again). Returns how many
    clusters were kept and written, and how many rows of the other tables changed."""
    block = r.block
    if stored is None:
        if r.kept:
            raise ValueError(f"block {block}: clusters kept unbuilt, and no reading of the stored ones")
        stored = Keeper(conn, block, changed_docs)
    members, flags = stored.members, stored.flags
    kept: set[str] = set(r.kept)
    built = []
    for c, rc in r.pairs:
        fids = frozenset(int(e.fact_id) for e in c.evidence)
        if (
            not rc.repeated
            and members.get(c.id) == fids
            and flags.get(c.id, []) == c.flags
            and not any(e.doc in changed_docs for e in c.evidence)
        ):
            kept.add(c.id)
        else:
            built.append((c, rc))
    sides = {
        (cid, did)
        for cid, did in conn.execute(
            "SELECT s.cluster_id, s.discrepancy_id FROM recon_discrepancies d JOIN recon_discrepancy_sides s"
            " ON s.discrepancy_id = d.id WHERE d.pair = ?",
            (block,),
        )
    }
    people = {  # a kept event cluster's people stay as they are
        tuple(row)
        for row in conn.execute(
            f"SELECT {', '.join(COLUMNS['recon_people'])} FROM recon_people WHERE pair = ?", (block,)
        )
        if row[2] not in r.kept
    }
    gone = [(cid,) for cid in members if cid not in kept]
    conn.executemany("DELETE FROM recon_cluster_facts WHERE cluster_id = ?", gone)
    conn.executemany("DELETE FROM recon_clusters WHERE id = ?", gone)
    for table, rows in cluster_rows(built).items():
        insert_rows(conn, table, rows)
    same = _same_discrepancies(r, kept, sides)
    other = result_rows(r, same)
    changed = sum(_replace_small(conn, t, block, other[t], same if t == "recon_discrepancies" else frozenset())
                  for t in _SMALL)  # fmt: skip
    changed += _replace_keyed(conn, "recon_discrepancy_sides", sides, other["recon_discrepancy_sides"])
    changed += _replace_keyed(conn, "recon_people", people, other["recon_people"])
    return {"kept": len(kept), "built": len(built), "rows": changed}
