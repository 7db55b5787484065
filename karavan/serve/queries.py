"""Fact and document reads the HTTP API and pages need beyond the store's own (parameterised SQL only)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from karavan.ingest.errors import KaravanError
from karavan.serve.errors import ApiError
from karavan.store import FACT_FIELDS, Store, parse_pair
from karavan.store.db import fact_filters

PERIOD_BOUND = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
CSV_COLUMNS = ("fact_id", "doc", "type", *FACT_FIELDS, "claimant", "quote", "start", "end", "lang")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(slots=True)
class FactFilter:
    pair: str | None = None
    type: str | None = None
    flow: str | None = None
    product: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    lang: str | None = None
    doc: str | None = None
    claimant: str | None = None
    q: str | None = None


def month_bound(value: str, end: bool) -> str:
    """'2022' or '2022-03' as a 'YYYY-MM' bound ('2022' ends at '2022-12')."""
    m = PERIOD_BOUND.match(value.strip())
    if not m:
        raise ApiError(422, "bad_period", f"a period bound is YYYY or YYYY-MM, got {value!r}")
    return f"{m.group(1)}-{m.group(2) or ('12' if end else '01')}"


def norm_pair(pair: str) -> str:
    """'tj-kz' -> 'TJ-KZ'; anything but two ISO codes is a 422 `bad_pair`."""
    try:
        a, b = parse_pair(pair)
    except KaravanError as e:
        raise ApiError(422, "bad_pair", e.message.replace("--pair", "pair")) from None
    return f"{a}-{b}"


def where_clause(flt: FactFilter) -> tuple[list[str], list[Any]]:
    where, args = fact_filters(flt.pair and norm_pair(flt.pair), flt.type, flt.lang, flt.doc)
    for column, value in (("flow", flt.flow), ("product", flt.product)):
        if value:
            where.append(f"f.{column} = ?")
            args.append(value)
    if flt.claimant:
        where.append("kv_fold(f.claimant) = ?")
        args.append(flt.claimant.casefold())
    if flt.q:
        where.append("instr(kv_fold(f.quote), ?) > 0")
        args.append(flt.q.casefold())
    if flt.period_from:
        where.append("f.period IS NOT NULL AND substr(f.period, 9, 7) >= ?")
        args.append(month_bound(flt.period_from, end=False))
    if flt.period_to:
        where.append("f.period IS NOT NULL AND substr(f.period, 1, 7) <= ?")
        args.append(month_bound(flt.period_to, end=True))
    return where, args


def encode_cursor(fact_id: int) -> str:
    return base64.urlsafe_b64encode(f"f{fact_id}".encode()).decode().rstrip("=")


MAX_ROW_ID = 2**63 - 1  # SQLite's largest rowid: a larger number is no row (and cannot be bound)
CURSOR = re.compile(r"f([1-9][0-9]{0,18})")


def row_id(value: int) -> int | None:
    """`value` when it can be a row id, else None."""
    return value if 0 < value <= MAX_ROW_ID else None


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    m = CURSOR.fullmatch(raw)
    fact_id = row_id(int(m.group(1))) if m else None
    if fact_id is None:
        raise ApiError(422, "bad_cursor", "the cursor is not one this server gave out")
    return fact_id


def fact_page(
    store: Store, flt: FactFilter, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Facts in id order after `cursor`, at most `limit`, and the cursor of the next page (None at the end)."""
    where, args = where_clause(flt)
    if cursor:
        where.append("f.id > ?")
        args.append(decode_cursor(cursor))
    sql = (
        "SELECT f.id, f.data FROM facts f JOIN documents d ON d.id = f.doc_id"
        f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY f.id LIMIT ?"
    )
    rows = store.conn.execute(sql, (*args, limit + 1)).fetchall()
    facts = [{"fact_id": r[0], **json.loads(r[1])} for r in rows[:limit]]
    following = encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return facts, following


def recent_facts(store: Store, flt: FactFilter, limit: int, batch: int = 64) -> list[dict[str, Any]]:
    """Facts newest first: by the document's publication date (undated last), then the newest fact.

    Documents are walked newest first, a batch at a time, so a large store is not sorted whole.
    """
    where, args = where_clause(flt)
    doc_ids = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM documents ORDER BY published IS NULL, published DESC, id DESC"
        )
    ]
    out: list[dict[str, Any]] = []
    for i in range(0, len(doc_ids), batch):
        chunk = doc_ids[i : i + batch]
        sql = (
            "SELECT f.id, f.data, d.published FROM facts f JOIN documents d ON d.id = f.doc_id"
            f" WHERE f.doc_id IN ({', '.join('?' * len(chunk))}){''.join(' AND ' + w for w in where)}"
            " ORDER BY d.published IS NULL, d.published DESC, d.id DESC, f.id DESC LIMIT ?"
        )
        for r in store.conn.execute(sql, (*chunk, *args, limit - len(out))):
            out.append({"fact_id": r[0], "published": r[2], **json.loads(r[1])})
        if len(out) >= limit:
            break
    return out


def csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ";".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # a spreadsheet must not run a quote as a formula
    return value


def facts_csv(facts: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in facts:
        writer.writerow([csv_cell(f.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def get_fact(store: Store, fact_id: int) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT f.id, f.data, d.published FROM facts f JOIN documents d ON d.id = f.doc_id WHERE f.id = ?",
        (fact_id,),
    ).fetchone()
    return None if row is None else {"fact_id": row[0], "published": row[2], **json.loads(row[1])}


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A stored document with its chrome spans and fact spans (no pipeline run)."""
    row = store.conn.execute(
        "SELECT id, text, url, published, source, lang, script, excluded, paragraphs, meta FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        return None
    facts = [
        {
            "fact_id": r[0],
            "type": r[1],
            "start": r[2],
            "end": r[3],
            "quote": r[4],
            "claimant": r[5],
            "lang": r[6],
        }
        for r in store.conn.execute(
            'SELECT id, type, start, "end", quote, claimant, lang FROM facts WHERE doc_id = ? ORDER BY start, id',
            (doc_id,),
        )
    ]
    meta = json.loads(row["meta"] or "{}")
    return {
        "id": row["id"],
        "title": meta.get("title") if isinstance(meta.get("title"), str) else None,
        "text": row["text"],
        "url": row["url"],
        "published": row["published"],
        "source": row["source"],
        "lang": row["lang"],
        "script": row["script"],
        "excluded": json.loads(row["excluded"]),
        "paragraphs": json.loads(row["paragraphs"]),
        "facts": facts,
    }


def search_documents(store: Store, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Documents whose text contains `q` (case-insensitive), with a snippet around the first match."""
    needle = q.casefold()
    out = []
    for r in store.conn.execute(
        "SELECT id, published, source, text, instr(kv_fold(text), ?) AS at FROM documents"
        " WHERE instr(kv_fold(text), ?) > 0 ORDER BY published IS NULL, published DESC, id LIMIT ?",
        (needle, needle, limit),
    ):
        text = r["text"]
        at, stop = unfolded_span(text, max(int(r["at"]) - 1, 0), len(needle))
        start, end = max(at - 80, 0), min(stop + 80, len(text))
        out.append(
            {
                "id": r["id"],
                "published": r["published"],
                "source": r["source"],
                "before": ("…" if start else "") + text[start:at],
                "match": text[at:stop],
                "after": text[stop:end] + ("…" if end < len(text) else ""),
            }
        )
    return out


def unfolded_span(text: str, at: int, n: int) -> tuple[int, int]:
    """The span of `text` whose case-folded form holds the folded match [at, at + n).

    Case folding can lengthen a character (ß -> ss, İ -> i̇, ﬁ -> fi): after one, positions in the
    folded text are further on than in the text, and a snippet cut at them highlights the wrong place.
    """
    if len(text[:at].casefold()) == at and len(text[at : at + n].casefold()) == n:
        return at, at + n  # nothing lengthened before or in the match: the common case, checked fast
    pos, start = 0, None
    for i, ch in enumerate(text):
        step = len(ch.casefold())
        if start is None and pos + step > at:
            start = i
        pos += step
        if start is not None and pos >= at + n:
            return start, i + 1
    return (len(text) if start is None else start), len(text)
