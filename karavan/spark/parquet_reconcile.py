"""`karavan reconcile --parquet OUTPUT`: reconcile the facts of a `karavan spark extract` run where they lie,
one block at a time, and write the results beside them as Parquet; no store, no Spark, no Java (pyarrow).

The facts dataset is partitioned by the facts' blocks (karavan.spark.rows.fact_pair is keys.block_of), so a
block's facts are a partition filter. The run:

1. documents/: each document's MinHash signature (its `minhash`, which the job's executors computed; from
   its text for an output without one), text hash and publication date go into a
   scratch SQLite file laid out as a store's tables, where karavan.reconcile.dupes_store finds the
   near-duplicate groups as a store's full run does (LSH buckets and edges on disk; the union-find holds
   the documents' ids);
2. facts/, a few small columns: which partitions hold each block (a fact filed under another partition,
   as an output written before that layout files it, is found too) and the documents' trade periods,
   which date them as a store's run does (incremental._years) into the scratch recon_docs;
3. each block in turn: its partitions' facts, those of the block kept, made into statements with their
   documents' groups and years (incremental.block_statements), reconciled by blocks.reconcile_block, and
   the rows (the store's recon_* columns, results_store.block_rows) appended to OUTPUT/reconciled/<table>/
   a batch of blocks at a time.

Memory holds one block's facts and statements, a batch of result rows, and in step 1 the documents' ids;
with `--jobs N`, N worker processes reconcile blocks (each holding one) and the results of about 2N blocks
wait to be written in block order.
The results are those of `karavan load` and `karavan reconcile --full` over the same output, with the
output's own fact ids (fact_id) where the store has its integer ids (tests/test_spark_extract.py).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from karavan.reconcile.blocks import reconcile_block
from karavan.reconcile.dupes_store import (
    all_components,
    chunks,
    pack_signature,
    redo_edges,
    unpack_signature,
    update_buckets,
)
from karavan.reconcile.incremental import _years, block_statements
from karavan.reconcile.keys import block_of_columns
from karavan.reconcile.model import DocInfo
from karavan.reconcile.neardup import minhash_signature
from karavan.reconcile.results_store import COLUMNS, block_rows
from karavan.spark.output import fragments_by_pair, open_output

RESULTS = "reconciled"
SUMMARY = "summary.json"
BATCH_ROWS = 20_000
"""Result rows held before they are written."""
KEY_COLUMNS = ["doc_id", "type", "period", "reporter", "partner", "countries", "parties"]
TABLES = {t: t.removeprefix("recon_") for t in COLUMNS if t != "recon_people"}

Progress = Callable[[str, int, int], None]


def _scratch(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE documents (id TEXT PRIMARY KEY, minhash BLOB, sha256 TEXT, published TEXT, source TEXT,
                                lang TEXT, text TEXT, grp TEXT);
        CREATE TABLE recon_docs (doc TEXT PRIMARY KEY, source_group TEXT NOT NULL, year INTEGER, published TEXT);
        CREATE INDEX documents_sha ON documents(sha256);
        CREATE TABLE facts (doc_id TEXT NOT NULL, type TEXT NOT NULL, period TEXT NOT NULL,
                            PRIMARY KEY (doc_id, type, period)) WITHOUT ROWID;  -- trade periods only
        CREATE TABLE recon_lsh (bucket INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (bucket, doc))
            WITHOUT ROWID;
        CREATE INDEX recon_lsh_doc ON recon_lsh(doc);
        CREATE TABLE recon_dup_edges (bucket INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
                                      PRIMARY KEY (bucket, a, b)) WITHOUT ROWID;
        CREATE INDEX recon_dup_edges_a ON recon_dup_edges(a);
        CREATE INDEX recon_dup_edges_b ON recon_dup_edges(b);
        """
    )
    return conn


def signatures(texts: list[str | None]) -> list[bytes]:
    """The packed MinHash signatures of texts (in a worker, with --jobs)."""
    return [pack_signature(minhash_signature(t or "")) for t in texts]


def _read_documents(
    conn: sqlite3.Connection, documents: Any, progress: Progress, pool: Any, jobs: int
) -> int:
    """Step 1 (module doc), the signatures (the output's own, which the job's executors computed; for an
    output without them, from the texts, in the pool's workers when there is a pool) and LSH buckets; the
    number of documents."""
    n, total = 0, documents.count_rows()
    given = "minhash" in documents.schema.names  # computed by the job's executors (an older output: here)
    columns = ["id", "sha256", "published", "source", "lang", "minhash" if given else "text"]
    batches = (b.to_pylist() for b in documents.to_batches(columns=columns, batch_size=2_000))
    if given:
        done: Iterator[tuple[list[dict[str, Any]], list[bytes]]] = (
            (rows, [r["minhash"] or pack_signature(minhash_signature("")) for r in rows]) for rows in batches
        )
    elif pool is None:
        done = ((rows, signatures([r["text"] for r in rows])) for rows in batches)
    else:
        done = _ahead(pool, ((signatures, [r["text"] for r in rows], rows) for rows in batches), 2 * jobs)
    for rows, packed in done:
        sigs = {r["id"]: unpack_signature(p) for r, p in zip(rows, packed, strict=True)}
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR IGNORE INTO documents (id, minhash, sha256, published, source, lang)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(r["id"], p, r["sha256"], r["published"], r["source"], r["lang"])
             for r, p in zip(rows, packed, strict=True)],
        )  # fmt: skip
        update_buckets(conn, list(sigs), sigs)  # type: ignore[arg-type]
        conn.execute("COMMIT")
        n += len(rows)
        progress("documents", n, total)
    return n


def _ahead(pool: Any, calls: Iterator[tuple[Any, Any, Any]], window: int) -> Iterator[tuple[Any, Any]]:
    """(tag, fn(arg)) for each (fn, arg, tag) of `calls`, run in the pool, in order, `window` calls ahead."""
    from collections import deque

    waiting: deque = deque()
    for fn, arg, tag in calls:
        waiting.append((tag, pool.submit(fn, arg)))
        if len(waiting) >= window:
            tag_, future = waiting.popleft()
            yield tag_, future.result()
    while waiting:
        tag_, future = waiting.popleft()
        yield tag_, future.result()


def _group_documents(conn: sqlite3.Connection) -> None:
    """Step 1, the groups: edges of every bucket, then the components (as a store's full run)."""
    conn.execute("BEGIN")
    redo_edges(conn, None, {})
    groups = all_components(conn)
    conn.executemany("UPDATE documents SET grp = ? WHERE id = ?", [(g, d) for d, g in groups.items()])
    conn.execute("COMMIT")


def _index_facts(
    conn: sqlite3.Connection, parts: dict[str, list[Any]], progress: Progress
) -> dict[str, set[str]]:
    """Step 2 (module doc): block -> the partitions holding its facts; trade periods into the scratch file."""
    where: dict[str, set[str]] = defaultdict(set)
    for i, (pair, fragments) in enumerate(sorted(parts.items()), 1):
        for fragment in fragments:
            for batch in fragment.to_batches(columns=KEY_COLUMNS):
                cols = batch.to_pydict()
                for rep, par, cs, ps in zip(
                    cols["reporter"], cols["partner"], cols["countries"], cols["parties"], strict=True
                ):
                    where[block_of_columns(rep, par, cs, ps)].add(pair)
                periods = {
                    (d, t, p)
                    for d, t, p in zip(cols["doc_id"], cols["type"], cols["period"], strict=True)
                    if t == "trade" and p
                }
                conn.executemany("INSERT OR IGNORE INTO facts VALUES (?, ?, ?)", sorted(periods))
        progress("fact partitions", i, len(parts))
    return where


def _date_documents(conn: sqlite3.Connection) -> None:
    """Step 2, the years (incremental._years, as a store's run dates its documents) beside the groups."""
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    conn.execute("BEGIN")
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        groups = dict(conn.execute(f"SELECT id, grp FROM documents WHERE id IN ({marks})", part).fetchall())
        rows = [(d, groups.get(d) or d, y, pub) for d, (y, pub) in sorted(_years(conn, part).items())]
        conn.executemany("INSERT OR REPLACE INTO recon_docs VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")


def block_facts(paths: list[str], block: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(fact_id, fact) of the facts of `block` in the Parquet files `paths`."""
    import pyarrow.dataset as ds

    columns = ["fact_id", "reporter", "partner", "countries", "parties", "data"]
    for batch in ds.dataset(paths, format="parquet").to_batches(columns=columns):
        cols = batch.to_pydict()
        for fid, rep, par, cs, ps, data in zip(
            cols["fact_id"], cols["reporter"], cols["partner"], cols["countries"], cols["parties"],
            cols["data"], strict=True,
        ):  # fmt: skip
            if block_of_columns(rep, par, cs, ps) == block:
                yield fid, json.loads(data)


def _block_input(
    conn: sqlite3.Connection, block: str, paths: list[str]
) -> tuple[list[Any], dict[str, DocInfo]]:
    """One block's statements and documents, as a store's run makes them (incremental.block_statements)."""
    facts = []
    for fid, f in block_facts(paths, block):
        f["id"] = fid
        facts.append(f)
    return block_statements(conn, facts)


Task = tuple[str, str, list[str]]  # block, scratch file, the block's Parquet files
Done = tuple[str, dict[str, list[tuple[Any, ...]]], int]  # block, its result rows, its statements
_readers: dict[str, sqlite3.Connection] = {}


def reconcile_one(task: Task) -> Done:
    """Step 3 for one block (module doc): in this process or a worker, which reads the scratch file."""
    block, scratch, paths = task
    conn = _readers.get(scratch)
    if conn is None:
        conn = _readers[scratch] = sqlite3.connect(
            f"file:{scratch}?mode=ro", uri=True, check_same_thread=False
        )
    stmts, docs = _block_input(conn, block, paths)
    return block, block_rows(reconcile_block(block, stmts, docs), fact_key=str), len(stmts)


def _results(tasks: list[Task], pool: Any, jobs: int) -> Iterator[Done]:
    """Each block's results, in the order of `tasks`: in the pool's workers when there is a pool, a few
    blocks ahead of the one written (memory: about 2 x workers blocks' results)."""
    if pool is None:
        yield from map(reconcile_one, tasks)
        return
    for _, done in _ahead(pool, ((reconcile_one, t, None) for t in tasks), 2 * jobs):
        yield done


@contextmanager
def _pool(jobs: int) -> Iterator[Any]:
    """A pool of `jobs` worker processes (None for one job): spawned, as pyarrow's threads do not survive a
    fork, and ending with this process (karavan.workers.die_with)."""
    if jobs <= 1:
        yield None
        return
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from karavan.workers import die_with

    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=spawn, initializer=die_with, initargs=(os.getpid(),)) as pool:
        yield pool


class _Writers:
    """One Parquet file per result table under OUTPUT/reconciled/<table>/, appended a batch at a time."""

    def __init__(self, root: Path) -> None:
        import pyarrow as pa

        self.root = root
        self.pending: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.size = 0
        self.writers: dict[str, Any] = {}
        self.counts: dict[str, int] = dict.fromkeys(TABLES.values(), 0)

        def kind(name: str) -> Any:
            return {"value": pa.float64(), "n_sources": pa.int64()}.get(name, pa.string())

        self.schemas = {
            t: pa.schema([pa.field("block", pa.string())] + [pa.field(c, kind(c)) for c in COLUMNS[t]])
            for t in TABLES
        }
        self.schemas["recon_cluster_facts"] = pa.schema(
            [pa.field("block", pa.string()), pa.field("fact_id", pa.string()), pa.field("cluster_id", pa.string()),
             pa.field("doc", pa.string()), pa.field("ord", pa.int64())]
        )  # fmt: skip

    def add(self, block: str, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        for table in TABLES:
            self.pending[table] += [(block, *r) for r in rows[table]]
            self.size += len(rows[table])
        if self.size >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for table, rows in self.pending.items():
            if not rows:
                continue
            schema = self.schemas[table]
            columns = list(zip(*rows, strict=True))
            batch = pa.table(
                [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
            )
            if table not in self.writers:
                folder = self.root / TABLES[table]
                folder.mkdir(parents=True, exist_ok=True)
                self.writers[table] = pq.ParquetWriter(folder / "part-0.parquet", schema)
            self.writers[table].write_table(batch)
            self.counts[TABLES[table]] += len(rows)
        self.pending.clear()
        self.size = 0

    def close(self) -> None:
        import pyarrow.parquet as pq

        self.flush()
        for table, name in TABLES.items():
            if table in self.writers:
                self.writers[table].close()
            else:  # an empty table is still a dataset, with its columns
                folder = self.root / name
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(self.schemas[table].empty_table(), folder / "part-0.parquet")


def reconcile_parquet(output: str | Path, progress: Progress | None = None, jobs: int = 1) -> dict[str, Any]:
    """Reconcile the facts under `output` (see the module doc), the blocks in `jobs` processes; the run's
    summary, also written to OUTPUT/reconciled/summary.json. The results of an earlier run there are
    replaced; they are the same whatever `jobs` (written in block order)."""
    t0 = time.perf_counter()
    progress = progress or (lambda _what, _done, _total: None)
    documents, facts = open_output(output)
    root = Path(output) / RESULTS
    staging = Path(output) / f".{RESULTS}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="karavan-reconcile-") as tmp, _pool(jobs) as pool:
        conn = _scratch(Path(tmp) / "work.db")
        try:
            n_docs = _read_documents(conn, documents, progress, pool, jobs)
            _group_documents(conn)
            parts = fragments_by_pair(facts)
            where = _index_facts(conn, parts, progress)
            _date_documents(conn)
            writers = _Writers(staging)
            n_facts = largest = 0
            scratch = str(Path(tmp) / "work.db")
            tasks = [
                (b, scratch, [f.path for pair in sorted(where[b]) for f in parts[pair]])
                for b in sorted(where)
            ]
            for i, (block, rows, n) in enumerate(_results(tasks, pool, jobs), 1):
                n_facts += n
                largest = max(largest, n)
                writers.add(block, rows)
                progress("blocks", i, len(where))
            writers.close()
        finally:
            conn.close()
            reader = _readers.pop(str(Path(tmp) / "work.db"), None)
            if reader is not None:
                reader.close()
    summary = {
        **writers.counts,
        "facts": n_facts,
        "docs": n_docs,
        "blocks": len(where),
        "largest_block": largest,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    (staging / SUMMARY).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    staging.rename(root)  # the results appear whole, or the earlier ones stay
    return summary
