"""`karavan load OUTPUT`: the Parquet datasets of a `karavan spark extract` run into the store.

Each document row becomes the Doc it was made from (karavan.store.rows.doc_from_row) with its facts, and is
stored as ingest stores it, one transaction each; a document already stored as it is is left alone, so a
load can be interrupted and run again. Reads with pyarrow only (no Spark, no Java).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from karavan.errors import KaravanError
from karavan.store import open_store
from karavan.store.rows import doc_from_row


class NotAnOutput(KaravanError):
    code = "E131"


def load_parquet(output: str | Path, db: str | Path) -> dict[str, int]:
    """Store the documents and facts under `output`; what was stored ({'documents': n, 'facts': m})."""
    try:
        import pyarrow.dataset as ds
    except ImportError:
        raise NotAnOutput(
            "reading Parquet needs pyarrow: pip install 'karavan[spark]'", str(output)
        ) from None
    root = Path(output)
    for part in ("documents", "facts"):
        if not (root / part).is_dir():
            raise NotAnOutput(
                f"no {part}/ dataset here: give the OUTPUT of `karavan spark extract`", str(root)
            )
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    scanner = ds.dataset(root / "facts", format="parquet", partitioning="hive").to_batches(
        columns=["doc_id", "start", "data"]
    )
    for batch in scanner:
        for row in batch.to_pylist():
            facts[row["doc_id"]].append(row)
    stored = {"documents": 0, "facts": 0}
    with open_store(db) as store:
        for batch in ds.dataset(root / "documents", format="parquet", partitioning="hive").to_batches():
            for row in batch.to_pylist():
                own = sorted(facts.pop(row["id"], []), key=lambda f: f["start"])
                doc = doc_from_row(row, [json.loads(f["data"]) for f in own])
                if store.status(doc) == "unchanged":
                    continue
                store.put(doc)
                stored["documents"] += 1
                stored["facts"] += len(own)
    return stored
