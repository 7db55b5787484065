"""Reconcile a store incrementally: redo only the blocks the documents changed since the last run reach.

The store counts its changes (store_meta.version) and logs which documents changed (store_log), both kept
by triggers (migration 5). A run reads the documents logged since the version of the last run, and:

1. moves them to their new LSH buckets and redoes the near-duplicate edges and groups of the documents
   those buckets hold (dupes_store.py): the documents whose group changed come along;
2. dates them (core.doc_years: their own publication date or trade periods) and files each of their
   facts under its block (keys.block_of, in recon_fact_blocks);
3. redoes every block that one of those documents had or has a fact in: reads that block's facts (one
   block in memory at a time), reconciles it (blocks.reconcile_block) and replaces its rows in the
   recon_* tables, which carry `ord` sort keys so that rows of all blocks read back in one run's order;
   only the rows that differ are written (block_delta.py: the clusters none of whose documents changed
   are kept as they are stored). The statements it read are kept beside the results (block_stmts.py):
   the next run reads only the changed documents' facts of a block and takes the rest from there.

A full run is the same with every document and block (the first run, `--full`, or another karavan or
results version), except that it writes the near-duplicate buckets whole, in their key order, in one
transaction (dupes_store.load_staged) rather than a chunk of documents at a time; a full run stopped after it
emptied the results leaves a mark (CLEARED) that makes the next run full. Memory holds one block's facts and
statements (and, for a full run, the documents' ids).
Each block's rows are replaced in one transaction, and written in batches, so an ingest waits at most one
batch for the write lock; recon_runs gets its row last, with the store version the run read: a reader
serves the last finished run and can say how many documents changed since.
"""

from __future__ import annotations

import decimal
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from karavan import __version__
from karavan.gc_pause import gc_paused
from karavan.reconcile import block_stmts
from karavan.reconcile.block_delta import Keeper, replace_block
from karavan.reconcile.blocks import BlockResult, reconcile_block
from karavan.reconcile.core import _day, doc_years
from karavan.reconcile.dupes_store import (
    all_components,
    chunks,
    components_of,
    load_staged,
    redo_edges,
    signatures,
    stage_buckets,
    start_stage,
    update_buckets,
)
from karavan.reconcile.keys import (
    EVENT_TYPES,
    Prepared,
    block_of_columns,
    json_rows,
    make_stmt,
    prep_dumps,
    prep_of,
    prepare,
)
from karavan.reconcile.model import DocInfo
from karavan.reconcile.results_store import write_block

RESULTS_VERSION = 4
"""Bump when what is written to the recon_* tables changes: stores then reconcile again in full. The
statements kept of each block (block_stmts.py, migration 11) needed none: a karavan that does not keep them
refuses a store of schema 11 (NotADatabase: made by a newer karavan), so they are only ever written by runs
that keep them up to date; a store coming from before them has none, and its blocks are read whole once."""

BATCH_ROWS = 20_000
"""Result rows (clusters and their facts) written per transaction."""

Progress = Callable[[str, int, int], None]


def code_version() -> str:
    return f"karavan {__version__} results {RESULTS_VERSION}"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def last_run(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM recon_runs ORDER BY id DESC LIMIT 1").fetchone()


def store_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM store_meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def transaction(conn: sqlite3.Connection, write: bool = True) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@dataclass(slots=True)
class Plan:
    """What one run redoes."""

    full: bool
    version: int
    docs: list[str]  # documents changed (all, for a full run); some may be deleted
    blocks: set[str] = field(default_factory=set)
    regrouped: set[str] = field(default_factory=set)


CLEARED = "recon_cleared"
"""store_meta's mark of results emptied by a full run that has not finished (`_clear` sets it, the run's
last transaction takes it away): the next run is full, whatever the last finished run's row says."""


def _cleared(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM store_meta WHERE key = ?", (CLEARED,)).fetchone() is not None


def plan(conn: sqlite3.Connection, full: bool) -> Plan | None:
    """None when nothing changed since the last run; else what to redo (read in one snapshot). A full run
    that was stopped after emptying the results (CLEARED) is done again whole."""
    with transaction(conn, write=False):
        version = store_version(conn)
        run = last_run(conn)
        full = full or _cleared(conn)
        if (
            run is not None
            and run["fingerprint"] == code_version()
            and run["version"] == version
            and not full
        ):
            return None
        if full or run is None or run["fingerprint"] != code_version():
            docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
            return Plan(True, version, docs)
        docs = [
            r[0]
            for r in conn.execute(
                "SELECT doc_id FROM store_log WHERE version > ? AND version <= ? ORDER BY doc_id",
                (run["version"], version),
            )
        ]
        return Plan(False, version, docs)


def _clear(conn: sqlite3.Connection) -> None:
    """Empty the results for a full run, which writes them all again. SQLite as Debian builds it zeroes
    every page a delete frees (secure_delete), so emptying wrote the whole of the results once more (1.4 GB
    for 1M facts: 3.7 s CPU before its commit, 0.2 s for 100k facts); FAST zeroes only what costs no
    writing of its own, and the run fills the freed pages again at once."""
    (secure,) = conn.execute("PRAGMA secure_delete").fetchone()
    conn.execute("PRAGMA secure_delete = FAST")
    try:
        for table in (
            "recon_docs", "recon_fact_blocks", "recon_lsh", "recon_dup_edges", "recon_clusters",
            "recon_cluster_facts", "recon_discrepancies", "recon_discrepancy_sides", "recon_flags",
            "recon_changes", "recon_series", "recon_progress", "recon_pairs", "recon_people", "recon_block_stmts",
        ):  # fmt: skip
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, 1)", (CLEARED,))
    finally:
        conn.execute(f"PRAGMA secure_delete = {('OFF', 'ON', 'FAST')[int(secure)]}")  # 2 reads back as FAST


def _years(conn: sqlite3.Connection, docs: list[str]) -> dict[str, tuple[int | None, str | None]]:
    """doc -> (year it was written, published) for the existing documents of `docs`."""
    out: dict[str, tuple[int | None, str | None]] = {}
    for part in chunks(docs):
        marks = ",".join("?" * len(part))
        infos = {
            d: DocInfo(published=p)
            for d, p in conn.execute(f"SELECT id, published FROM documents WHERE id IN ({marks})", part)
        }
        facts = [
            {"doc": d, "type": t, "period": p}
            for d, t, p in conn.execute(
                f"SELECT doc_id, type, period FROM facts WHERE doc_id IN ({marks}) AND type = 'trade'", part
            )
        ]
        years = doc_years(facts, infos)
        out.update({d: (years.get(d), infos[d].published) for d in infos})
    return out


def _file_facts(conn: sqlite3.Connection, docs: list[str]) -> set[str]:
    """File the facts of `docs` under their blocks (recon_fact_blocks); the blocks they had and have."""
    blocks = _blocks_of(conn, docs)  # the blocks they had
    for part in chunks(docs):
        marks = ",".join("?" * len(part))
        conn.execute(f"DELETE FROM recon_fact_blocks WHERE doc IN ({marks})", part)
        rows = [
            (fid, doc, block_of_columns(rep, par, cs, ps), prep_dumps(prepare(json.loads(data))))
            for fid, doc, rep, par, cs, ps, data in conn.execute(
                "SELECT id, doc_id, reporter, partner, countries, parties, data FROM facts"
                f" WHERE doc_id IN ({marks})",
                part,
            )
        ]
        conn.executemany(
            "INSERT OR REPLACE INTO recon_fact_blocks (fact_id, doc, block, prep) VALUES (?, ?, ?, ?)", rows
        )
        blocks |= {b for _, _, b, _ in rows}
    return blocks


def _blocks_of(conn: sqlite3.Connection, docs: list[str]) -> set[str]:
    return set(_filed_under(conn, set(docs)))


def _regroup(conn: sqlite3.Connection, p: Plan, progress: Progress) -> None:
    """Steps 1 and 2 (module doc) for the plan's documents; sets p.blocks and p.regrouped."""
    sigs: dict[str, tuple[int, ...]] = {}
    touched: set[int] = set()
    if p.full:
        start_stage(conn)
    for i, part in enumerate(chunks(p.docs), 1):
        with transaction(conn):
            present = signatures(conn, part)
            if p.full:  # recon_lsh was emptied: written whole below, in its key order
                stage_buckets(conn, present)
            else:
                touched |= update_buckets(conn, part, present)
                sigs.update(present)
        progress("signatures", min(i * len(part), len(p.docs)), len(p.docs))
    if p.full:
        with transaction(conn):  # written apart: with what follows, more than the page cache holds
            load_staged(conn)
    with transaction(conn):
        held = redo_edges(conn, None if p.full else touched, sigs)
        groups = all_components(conn) if p.full else components_of(conn, set(p.docs) | held)
        old = {}
        for part in chunks(sorted(groups)):
            marks = ",".join("?" * len(part))
            old.update(conn.execute(f"SELECT doc, source_group FROM recon_docs WHERE doc IN ({marks})", part))
        years = _years(conn, p.docs)
        changed = set(p.docs)
        for part in chunks(p.docs):
            marks = ",".join("?" * len(part))
            conn.execute(f"DELETE FROM recon_docs WHERE doc IN ({marks})", part)
        conn.executemany(
            "INSERT INTO recon_docs VALUES (?, ?, ?, ?)",
            [(d, groups.get(d, d), y, pub) for d, (y, pub) in sorted(years.items())],
        )
        regrouped = sorted(d for d, g in groups.items() if d not in changed and old.get(d) != g)
        conn.executemany(
            "UPDATE recon_docs SET source_group = ? WHERE doc = ?", [(groups[d], d) for d in regrouped]
        )
        p.regrouped = set(regrouped)
        p.blocks = _file_facts(conn, p.docs) | _blocks_of(conn, regrouped)


_EVENTS_SQL = ", ".join(f"'{t}'" for t in sorted(EVENT_TYPES))


def _block_input(
    conn: sqlite3.Connection,
    block: str,
    light: bool = False,
    of_docs: list[str] | None = None,
    events: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[Any], dict[str, DocInfo], int]:
    """One block's statements, documents and number of facts (of the documents `of_docs` only, when
    given). `light`: an event fact is not decoded but read as the keys its clustering reads
    (Prepared.event; the statement is `light`), so that only the members of the clusters a run builds
    again are decoded (full_facts). `events`: filled with each event's keys as a light statement holds
    them, by fact id, where its filing has them (what block_stmts keeps of an event read whole)."""
    sql = (
        f"SELECT f.id, x.prep, CASE WHEN ? AND f.type IN ({_EVENTS_SQL}) AND x.prep IS NOT NULL THEN NULL"
        " ELSE f.data END FROM recon_fact_blocks x JOIN facts f ON f.id = x.fact_id AND f.doc_id = x.doc"
        " WHERE x.block = ?"  # in any order: block_statements puts them in a whole run's
    )
    if of_docs is None:
        rows = conn.execute(sql, (light, block)).fetchall()
    else:
        rows = []
        for part in chunks(of_docs):
            marks = ",".join("?" * len(part))
            rows += conn.execute(sql + f" AND x.doc IN ({marks})", (light, block, *part)).fetchall()
    facts = []
    prepared = {}
    lights: set[str] = set()
    missing: list[int] = []  # an event filed before Prepared.event: decoded after all
    preps = json_rows([r[1] for r in rows])
    datas = json_rows([r[2] for r in rows])
    for (fid, _, _), prep, data in zip(rows, preps, datas, strict=True):
        p = prep_of(prep) if prep is not None else None
        if data is None and (p is None or p.event is None):
            missing.append(fid)
            continue
        f = data if data is not None else dict(p.event)  # type: ignore[union-attr]
        f["id"] = str(fid)
        facts.append(f)
        if p is not None:
            prepared[f["id"]] = p
            if events is not None and p.event is not None:
                events[f["id"]] = {**p.event, "id": f["id"]}
        if data is None:
            lights.add(f["id"])
    facts += full_facts(conn, [str(fid) for fid in missing]).values()
    stmts, docs = block_statements(conn, facts, prepared)
    for s in stmts:
        s.light = s.fid in lights
    return stmts, docs, len(rows)


def full_facts(conn: sqlite3.Connection, fids: list[str]) -> dict[str, dict[str, Any]]:
    """The facts of `fids` decoded, each with its `id`, by id."""
    out: dict[str, dict[str, Any]] = {}
    for part in chunks(fids):
        marks = ",".join("?" * len(part))
        for fid, data in conn.execute(
            f"SELECT id, data FROM facts WHERE id IN ({marks})", [int(x) for x in part]
        ):
            f = json.loads(data)
            f["id"] = str(fid)
            out[f["id"]] = f
    return out


def block_statements(
    conn: sqlite3.Connection, facts: list[dict[str, Any]], prepared: dict[str, Prepared] | None = None
) -> tuple[list[Any], dict[str, DocInfo]]:
    """One block's facts (each with its `id`) as statements, with their documents (from `documents` and
    their groups and years from `recon_docs`), in the order of a whole-corpus run (string fact ids);
    `prepared`: what keys.prepare gave for some of them, by id (the rest are prepared here)."""
    prepared = prepared or {}
    doc_ids = sorted({str(f.get("doc")) for f in facts})
    docs: dict[str, DocInfo] = {}
    meta: dict[str, tuple[str, int | None]] = {}
    for part in chunks(doc_ids):
        marks = ",".join("?" * len(part))
        for d, pub, src, lang, group, year in conn.execute(
            "SELECT d.id, d.published, d.source, d.lang, r.source_group, r.year FROM documents d"
            f" LEFT JOIN recon_docs r ON r.doc = d.id WHERE d.id IN ({marks})",
            part,
        ):
            docs[d] = DocInfo(published=pub, source=src, lang=lang)
            meta[d] = (group or d, year)
    days = {d: _day(info.published) for d, info in docs.items()}
    stmts = []
    for f in sorted(facts, key=lambda x: x["id"]):  # the order of a whole-corpus run (string fact ids)
        d = str(f.get("doc"))
        group, year = meta.get(d, (d, None))
        stmts.append(make_stmt(f, group, year, days.get(d), f["id"], prepared.get(f["id"])))
    return stmts, docs


AfterBlock = Callable[[sqlite3.Connection, str], None]


def _filed_under(conn: sqlite3.Connection, docs: set[str]) -> dict[str, list[str]]:
    """block -> those of `docs` that have a fact filed under it (sorted)."""
    out: dict[str, set[str]] = {}
    for part in chunks(sorted(docs)):
        marks = ",".join("?" * len(part))
        for block, doc in conn.execute(
            f"SELECT DISTINCT block, doc FROM recon_fact_blocks WHERE doc IN ({marks})", part
        ):
            out.setdefault(block, set()).add(doc)
    return {b: sorted(d) for b, d in out.items()}


def _kept_input(
    conn: sqlite3.Connection, block: str, changed: set[str], filed: list[str] | None
) -> tuple[list[Any], dict[str, DocInfo], int, Callable[[sqlite3.Connection], None]]:
    """A block's statements, documents and number of facts, and what writes its kept statements
    (block_stmts.py) again. An incremental run (`filed`: the changed documents with facts under the block)
    takes the kept statements of the documents that did not change and reads only the changed ones' facts
    (light events: block_delta.Keeper decides which to build); a full run (`filed` None), or a block whose
    kept statements are missing, unreadable or do not add up, reads every fact."""
    kept = None if filed is None else block_stmts.read(conn, block)
    if kept is not None:
        got, got_docs, _ = _block_input(conn, block, light=True, of_docs=filed) if filed else ([], {}, 0)
        merged, dirty = block_stmts.patched(kept, changed, block_stmts.chunks_of(got, got_docs))
        n = sum(len(c.rows) for c in merged.values())
        if n == block_stmts.filed(conn, block):
            try:
                stmts, docs = block_stmts.statements(merged)
            except (TypeError, ValueError, IndexError, decimal.InvalidOperation):
                pass  # a damaged row: read the facts
            else:
                blobs = {k: merged[k].dumps() if merged[k].rows or merged[k].docs else None for k in dirty}
                return stmts, docs, n, lambda c: block_stmts.write(c, block, blobs)
    events: dict[str, dict[str, Any]] = {}
    stmts, docs, n = _block_input(conn, block, light=filed is not None, events=events)
    blobs = {k: c.dumps() for k, c in block_stmts.chunks_of(stmts, docs, events).items()}

    def rewrite(c: sqlite3.Connection) -> None:
        block_stmts.clear(c, block)
        block_stmts.write(c, block, blobs)

    return stmts, docs, n, rewrite


def reconcile_blocks(
    conn: sqlite3.Connection, p: Plan, progress: Progress, after_block: AfterBlock | None = None
) -> int:
    """Step 3 (module doc); the number of facts read."""
    pending: list[tuple[BlockResult, Callable[[sqlite3.Connection], None]]] = []
    size = n_facts = 0
    blocks = sorted(p.blocks)

    changed = set(p.docs) | p.regrouped
    keepers: dict[str, Keeper] = {}
    filed = {} if p.full else _filed_under(conn, changed)

    def flush() -> None:
        nonlocal size
        with gc_paused(), transaction(conn):
            for r, keep_stmts in pending:
                if p.full:  # the tables were emptied
                    write_block(conn, r)
                else:
                    replace_block(conn, r, changed, keepers.pop(r.block))
                keep_stmts(conn)
                if after_block is not None:
                    after_block(conn, r.block)
        pending.clear()
        size = 0

    for i, block in enumerate(blocks, 1):
        with gc_paused(), transaction(conn, write=False):
            stmts, docs, n, keep_stmts = _kept_input(
                conn, block, changed, None if p.full else filed.get(block, [])
            )
            if p.full:
                r = reconcile_block(block, stmts, docs)
            else:  # events decoded only for the clusters built again (block_delta.Keeper)
                keeper = Keeper(conn, block, changed)
                r = reconcile_block(
                    block, stmts, docs, keep=keeper, decode=lambda fids: full_facts(conn, fids)
                )
                keepers[block] = keeper
        n_facts += n
        pending.append((r, keep_stmts))
        size += n + 1
        if size >= BATCH_ROWS:
            flush()
        progress("blocks", i, len(blocks))
    flush()
    return n_facts


def summary_counts(conn: sqlite3.Connection) -> dict[str, int]:
    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return {
        "clusters": count("recon_clusters"),
        "discrepancies": count("recon_discrepancies"),
        "flags": count("recon_flags"),
        "changes": count("recon_changes"),
        "series": count("recon_series"),
        "facts": count("recon_fact_blocks"),
        "docs": count("recon_docs"),
    }


def run(
    conn: sqlite3.Connection,
    full: bool = False,
    progress: Progress | None = None,
    after_block: AfterBlock | None = None,
) -> dict[str, Any]:
    """Reconcile what changed since the last run (everything when `full`); the run's summary with
    "changed" (False when nothing had), "kind", "redone_docs", "redone_blocks", "seconds"."""
    t0 = time.perf_counter()
    progress = progress or (lambda _what, _done, _total: None)
    p = plan(conn, full)
    if p is None:
        run_row = last_run(conn)
        summary = json.loads(run_row["summary"]) if run_row else {}
        return {**summary, "changed": False, "seconds": round(time.perf_counter() - t0, 3)}
    started = now()
    with page_cache(conn):
        return _run(conn, p, started, t0, progress, after_block)


CACHE_KIB = 256 * 1024
"""SQLite's page cache during a run, in KiB (its default is 2 MB; pages are taken only as they are read): a
run rewrites indexes of every fact and document it reaches. A full run of 1M facts: 243.9 -> 223.6 s CPU
(LSH buckets 34 -> 22 s, block rows 21 -> 16 s)."""


@contextmanager
def page_cache(conn: sqlite3.Connection, kib: int = CACHE_KIB) -> Iterator[None]:
    """SQLite's page cache at `kib` KiB for the time of a run, then as it was."""
    (before,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def _run(
    conn: sqlite3.Connection,
    p: Plan,
    started: str,
    t0: float,
    progress: Progress,
    after_block: AfterBlock | None,
) -> dict[str, Any]:
    """`run` once the plan says something changed."""
    if p.full:
        with transaction(conn):
            _clear(conn)
    _regroup(conn, p, progress)
    n_facts = reconcile_blocks(conn, p, progress, after_block)
    with transaction(conn):
        counts = summary_counts(conn)
        kind = "full" if p.full else "incremental"
        seconds = time.perf_counter() - t0
        conn.execute(
            "INSERT INTO recon_runs (started, finished, seconds, fingerprint, version, kind, n_docs, n_blocks,"
            " n_facts, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (started, now(), round(seconds, 3), code_version(), p.version, kind, len(p.docs), len(p.blocks),
             n_facts, json.dumps(counts)),
        )  # fmt: skip
        conn.execute("DELETE FROM store_meta WHERE key = ?", (CLEARED,))
        conn.execute("DELETE FROM recon_runs WHERE id < (SELECT max(id) - 100 FROM recon_runs)")
    if p.full:
        conn.execute("ANALYZE")
    return {
        **counts,
        "changed": True,
        "kind": kind,
        "redone_docs": len(p.docs),
        "redone_blocks": len(p.blocks),
        "seconds": round(time.perf_counter() - t0, 3),
    }


@contextmanager
def one_run_at_a_time(path: str | Path) -> Iterator[None]:
    """Hold `<store>.reconcile-lock` (an exclusive lock of the operating system's, let go when the process
    ends however it ends) for a run: runs of one store started together by different processes (the
    server's worker, an ingest's own run, two ingests) go one after another, and each plans from what the
    one before it wrote. Two runs at once both redid a block from the same stored rows and the second
    failed writing them (UNIQUE constraint failed: recon_clusters.id). Ingests and readers are not held
    up: the lock is not SQLite's. Without the lock (no fcntl, a folder that cannot be written), runs are
    not kept apart."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        yield
        return
    lock = Path(path).with_name(Path(path).name + ".reconcile-lock")
    try:
        handle = open(lock, "a+b")  # noqa: SIM115 (held for the run, closed below)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing lets the lock go


def freshness(conn: sqlite3.Connection) -> dict[str, Any]:
    """How fresh the last finished run is: {"reconciled" (ISO time or None), "version", "store_version",
    "changed_docs" (documents changed since), "stale"}."""
    with transaction(conn, write=False):
        r = last_run(conn)
        version = store_version(conn)
        if r is None:
            return {"reconciled": None, "version": None, "store_version": version, "changed_docs": None,
                    "stale": True}  # fmt: skip
        changed = conn.execute(
            "SELECT count(*) FROM store_log WHERE version > ?", (r["version"],)
        ).fetchone()[0]
        stale = r["version"] != version or r["fingerprint"] != code_version() or _cleared(conn)
    return {
        "reconciled": r["finished"] or r["started"],
        "version": r["version"],
        "store_version": version,
        "changed_docs": int(changed),
        "stale": stale,
    }
