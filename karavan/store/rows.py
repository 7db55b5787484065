"""Documents and facts to table rows and back."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from karavan.doc import Doc, Paragraph, Span, fact_from_dict

# FACTS.md fields that have a column of their own; lists are stored as JSON.
FACT_FIELDS = (
    "flow", "reporter", "partner", "product", "period", "value", "unit", "approx", "bound",
    "change_pct", "change_factor", "factor", "by", "positions", "rank", "pct",
    "participants", "countries", "place", "name", "parties", "status",
)  # fmt: skip
# Fields every fact has (after doc and type), also with a column of their own.
FACT_COMMON = ("claimant", "quote", "start", "end", "lang", "rule", "confidence")
FACT_COLUMNS = ("doc_id", "type", *FACT_FIELDS, *FACT_COMMON, "data")
JSON_FIELDS = frozenset({"participants", "countries", "parties"})

DOC_COLUMNS = (
    "id", "text", "sha256", "url", "published", "source", "meta", "lang", "script", "encoding",
    "path", "excluded", "articles", "paragraphs", "ingested_at", "n_facts",
)  # fmt: skip


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def spans_json(spans: list[Span]) -> str:
    return dumps([{"start": s.start, "end": s.end, "label": s.label} for s in spans])


def doc_row(doc: Doc) -> tuple[Any, ...]:
    paragraphs = [
        {"start": p.start, "end": p.end, "lang": p.lang, "script": p.script} for p in doc.paragraphs
    ]
    return (
        doc.id, doc.text, text_hash(doc.text), doc.url, doc.published, doc.source, dumps(doc.meta),
        doc.lang, doc.script, doc.encoding, doc.path, spans_json(doc.excluded), spans_json(doc.articles),
        dumps(paragraphs), datetime.now(UTC).isoformat(timespec="seconds"), len(doc.facts),
    )  # fmt: skip


SQLITE_INT = range(-(2**63), 2**63)  # what an SQLite INTEGER holds


def _column_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in JSON_FIELDS or isinstance(value, list | dict):
        return dumps(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value not in SQLITE_INT:
        return float(value)  # a 30-digit number in a text: the column gets its size, `data` the exact value
    return value


def fact_row(doc_id: str, fact: dict[str, Any]) -> tuple[Any, ...]:
    values = [doc_id, fact.get("type")]
    values += [_column_value(k, fact.get(k)) for k in FACT_FIELDS]
    values += [_column_value(k, fact.get(k)) for k in FACT_COMMON]
    values.append(dumps(fact))
    return tuple(values)


def doc_from_row(row: sqlite3.Row, facts: list[dict[str, Any]] | None = None) -> Doc:
    """A stored document as a Doc (clean-stage annotations and facts included; no sentences or mentions)."""
    doc = Doc(
        id=row["id"],
        text=row["text"],
        url=row["url"],
        published=row["published"],
        source=row["source"],
        encoding=row["encoding"],
        path=row["path"],
        meta=json.loads(row["meta"]),
        lang=row["lang"],
        script=row["script"],
    )
    doc.excluded = [Span(d["start"], d["end"], d.get("label") or "") for d in json.loads(row["excluded"])]
    doc.articles = [Span(d["start"], d["end"], d.get("label") or "") for d in json.loads(row["articles"])]
    doc.paragraphs = [
        Paragraph(d["start"], d["end"], d.get("lang"), d.get("script")) for d in json.loads(row["paragraphs"])
    ]
    doc.facts = [fact_from_dict(f) for f in facts or []]
    return doc
