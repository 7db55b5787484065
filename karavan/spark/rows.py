"""The per-document work of a Spark job, without Spark: input records to rows of documents, facts and errors.

A record is (path, kind, content): a .txt or .html file's bytes, a JSONL file's bytes, or one row of a
Parquet or DataFrame input as a JSON object. Each document goes through the same functions as `karavan
extract` (karavan.ingest.sources.file_doc, karavan.ingest.records.read_jsonl, karavan.api.attempt on the
pipeline), so a fact from Spark is the fact `karavan extract` prints. Every problem becomes an error row with
its reason; nothing raises out of here, so a bad document never fails the job.

Rows are column dicts in the layout of the store's tables (karavan.store.rows), so `karavan load` writes
them as they are; ids are deterministic (a fact's is a hash of its document id, offsets, type and rule).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from karavan.doc import Doc
from karavan.errors import KaravanError, PipelineFailed
from karavan.ingest.records import doc_from_record, parse_object, read_jsonl
from karavan.ingest.sources import (
    DEFAULT_MAX_BYTES,
    FACTS_SUFFIX,
    KINDS,
    META_NAME,
    MetaFiles,
    check_size,
    file_doc,
)
from karavan.reconcile.dupes_store import pack_signature
from karavan.reconcile.keys import block_of
from karavan.reconcile.neardup import minhash_signature
from karavan.store.rows import DOC_COLUMNS, FACT_COLUMNS, doc_row, fact_row

Process = Callable[[Doc], Doc]

# Arrow types of the store's columns (karavan/store/migrations.py); the rest are strings.
INTEGER_COLUMNS = frozenset({"approx", "positions", "rank", "start", "end", "n_facts"})
REAL_COLUMNS = frozenset({"value", "change_pct", "change_factor", "factor", "pct", "confidence"})
DOC_FIELDS = tuple(c for c in DOC_COLUMNS if c != "ingested_at") + ("year", "minhash")
BINARY_COLUMNS = frozenset({"minhash"})  # the text's MinHash signature, packed (dupes_store.pack_signature)
FACT_FIELDS = ("fact_id", *FACT_COLUMNS, "pair", "year")
ERROR_FIELDS = ("path", "line", "code", "reason", "warning")
NO_PAIR = "none"
NO_YEAR = "unknown"


def kind_of(path: str) -> str | None:
    """The input kind of a file found under the input path (None: not a document file)."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith(".") or name == META_NAME or name.endswith(FACTS_SUFFIX):
        return None
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return KINDS.get(suffix)


def local_path(uri: str) -> str:
    """A Spark file URI as the path karavan reports ('file:/a/b.txt' -> '/a/b.txt'); other schemes kept."""
    return uri[len("file:") :] if uri.startswith("file:") else uri


def fact_id(doc_id: str, fact: dict[str, Any]) -> str:
    key = "\t".join(str(fact.get(k)) for k in ("start", "end", "type", "rule", "quote"))
    return hashlib.sha256(f"{doc_id}\t{key}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def fact_pair(fact: dict[str, Any]) -> str:
    """The partition of a fact: its block (keys.block_of, its country set: 'KZ-TJ', 'KZ-RU-UZ' for three,
    'KZ' for one), 'none' without countries. So the facts reconcile compares with one another are one
    partition's (karavan reconcile --parquet reads a block as a partition filter)."""
    return block_of(fact) or NO_PAIR


def year_of(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
            return value[:4]
    return NO_YEAR


def error_row(problem: KaravanError) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "code": problem.code,
        "reason": problem.message,
        "warning": problem.warning,
    }


def doc_rows(doc: Doc) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    row = dict(zip(DOC_COLUMNS, doc_row(doc), strict=True))
    del row["ingested_at"]
    row["year"] = year_of(doc.published)
    row["minhash"] = pack_signature(minhash_signature(doc.text))  # on the executors, for reconcile --parquet
    facts = []
    for fact in doc.facts:
        d = fact.to_dict()
        cols = dict(zip(FACT_COLUMNS, fact_row(doc.id, d), strict=True))
        cols.update(
            fact_id=fact_id(doc.id, d), pair=fact_pair(d), year=year_of(d.get("period"), doc.published)
        )
        facts.append(cols)
    return row, facts


def read_record(
    path: str, kind: str, content: bytes, meta: dict[str, Any] | None, report, limit: int
) -> Iterator[Doc]:
    """The documents of one input record, as `karavan extract` reads them; problems go to `report`."""
    if kind == "jsonl":
        yield from read_jsonl(io.BytesIO(content), path, report, limit)
    elif kind == "row":  # a row of a table has no line number
        yield doc_from_record(parse_object(content, path, 0), path, None, report)  # type: ignore[arg-type]
    else:
        check_size(len(content), path, limit)
        where = Path(path)
        metas = MetaFiles(report, limit, {where.parent: {where.stem: meta} if meta else {}})
        yield file_doc(content, where, kind, metas)


def run_record(
    path: str,
    kind: str,
    content: bytes,
    meta: dict[str, Any] | None,
    process: Process,
    limit: int = DEFAULT_MAX_BYTES,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(document rows, fact rows, error rows) of one input record."""
    from karavan.api import attempt

    docs: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    problems: list[KaravanError] = []
    try:
        read = list(read_record(path, kind, content, meta, problems.append, limit))
    except KaravanError as e:
        read = []
        problems.append(e)
    for doc in read:
        done, error = attempt(process, doc)
        if error or done is None:
            problems.append(PipelineFailed(f"pipeline failed on document {doc.id!r}: {error}", doc.path))
            continue
        try:
            row, rows = doc_rows(done)
        except Exception as e:  # a fact that cannot become a row: the document's problem, not the job's
            problems.append(
                PipelineFailed(f"cannot store document {doc.id!r}: {type(e).__name__}: {e}", doc.path)
            )
            continue
        docs.append(row)
        facts.extend(rows)
    return docs, facts, [error_row(p) for p in problems]


def fact_dict(row: dict[str, Any]) -> dict[str, Any]:
    """The FACTS.md fact of a fact row."""
    return json.loads(row["data"])
