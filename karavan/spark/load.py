"""`karavan load OUTPUT`: the Parquet datasets of a `karavan spark extract` run into the store.

Each document row becomes the Doc it was made from (karavan.store.rows.doc_from_row) with its facts, and is
stored as ingest stores it, one transaction each; a document already stored as it is is left alone, so a
load can be interrupted and run again. Reads with pyarrow only (no Spark, no Java).

The facts dataset is partitioned by country set, the documents by year: to hand each document its facts,
the facts' (doc_id, start, data) go first into a scratch SQLite file indexed by document, so memory holds
one batch of documents and their facts, whatever the size of the run.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

from karavan.reconcile.dupes_store import chunks
from karavan.spark.output import NotAnOutput, open_output
from karavan.store import open_store
from karavan.store.rows import doc_from_row

__all__ = ["NotAnOutput", "load_parquet"]

BATCH = 500  # documents read (and their facts looked up) at a time


def _spill_facts(conn: sqlite3.Connection, facts: object) -> None:
    conn.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
        " CREATE TABLE facts (doc_id TEXT NOT NULL, start INTEGER, data TEXT NOT NULL);"
    )
    conn.execute("BEGIN")
    for batch in facts.to_batches(columns=["doc_id", "start", "data"]):  # type: ignore[attr-defined]
        cols = batch.to_pydict()
        conn.executemany(
            "INSERT INTO facts VALUES (?, ?, ?)",
            zip(cols["doc_id"], cols["start"], cols["data"], strict=True),
        )
    conn.execute("COMMIT")
    conn.execute("CREATE INDEX facts_doc ON facts(doc_id, start)")


def load_parquet(output: str | Path, db: str | Path) -> dict[str, int]:
    """Store the documents and facts under `output`; what was stored ({'documents': n, 'facts': m})."""
    documents, facts = open_output(output)
    stored = {"documents": 0, "facts": 0}
    with tempfile.TemporaryDirectory(prefix="karavan-load-") as tmp:
        scratch = sqlite3.connect(Path(tmp) / "facts.db", isolation_level=None)
        try:
            _spill_facts(scratch, facts)
            with open_store(db) as store:
                for batch in documents.to_batches(batch_size=BATCH):
                    rows = batch.to_pylist()
                    own: dict[str, list[str]] = {}
                    for part in chunks([r["id"] for r in rows]):
                        marks = ",".join("?" * len(part))
                        for doc_id, data in scratch.execute(
                            f"SELECT doc_id, data FROM facts WHERE doc_id IN ({marks}) ORDER BY doc_id, start",
                            part,
                        ):
                            own.setdefault(doc_id, []).append(data)
                    for row in rows:
                        data = own.get(row["id"], [])
                        doc = doc_from_row(row, [json.loads(d) for d in data])
                        if store.status(doc) == "unchanged":
                            continue
                        store.put(doc)
                        stored["documents"] += 1
                        stored["facts"] += len(data)
        finally:
            scratch.close()
    return stored
