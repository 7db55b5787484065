"""A block's statements kept in the store, so that redoing a block for a few documents does not build
every statement of it again from the facts.

Redoing a block reads every fact filed under it (incremental._block_input): the join with `facts`, the
JSON of each fact and of its filing, and a statement made of each (keys.make_stmt). For the largest pair
of a 100k-fact store that is 26,600 statements and 0.4-0.7 s of a one-document run, for a document that
adds five. A statement is a function of its fact, its filing and its document's row (source group, year,
publication date), and all of these change only with a document the run knows changed or regrouped
(store_log; incremental.Plan). So a run keeps, beside a block's results, the statements it read
(`recon_block_stmts`, in chunks by a hash of the document), and the next run takes those of documents that
did not change from there, reads only the changed documents' facts, and writes again only the chunks that
hold a changed document.

A chunk is zlib-compressed `marshal` data of plain values (strings, numbers, tuples, dicts): no object of
ours, nothing run on loading. Events are kept light (their keys.EVENT_KEYS, as a run reads them), trade
and other numeric facts whole. A chunk that cannot be read (zlib's checksum, marshal's data, the
shape of its rows), another format, or a block whose kept statements do not add up to its filings are
read from the facts again: the rows are a cache, never the only copy of anything.

What is read: recon_block_stmts of one block. What is set: its rows, in the caller's transaction (with
the block's results), and none for a full run's cleared tables until it writes them again.
"""

from __future__ import annotations

import marshal
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from karavan.reconcile.keys import EVENT_KEYS, EVENT_TYPES, Stmt, Subject, interval_from, interval_parts
from karavan.reconcile.model import DocInfo

FORMAT = 1
"""Bump when what a row holds changes: rows of another format are read from the facts again."""

CHUNKS = 16
"""Chunks a block's statements are kept in: a document changed rewrites the one its id hashes to."""

Row = tuple[Any, ...]
"""A statement as plain values (`_row`)."""
ROW_FIELDS = 13


def chunk_of(doc: str) -> int:
    return zlib.crc32(doc.encode()) % CHUNKS


def _light(s: Stmt, events: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """The fact a run keeps of a statement: an event's clustering keys (what a light statement holds,
    keys.Prepared.event, with its id: from `events` when its filing gave them), any other fact whole."""
    if s.subject.type not in EVENT_TYPES:
        return s.fact, s.light
    if s.light:
        return s.fact, True
    known = events.get(s.fid)
    if known is not None:
        return known, True
    f = {k: s.fact[k] for k in EVENT_KEYS if s.fact.get(k) is not None}
    f["id"] = s.fid
    return f, True


def _row(s: Stmt, subjects: dict[Subject, tuple[Any, ...]], events: dict[str, dict[str, Any]]) -> Row:
    sub = subjects.get(s.subject)
    if sub is None:
        x = s.subject
        sub = subjects[x] = (x.type, x.countries, x.ordered, x.flow, x.product, x.unit, x.measure, x.extra)
    fact, light = _light(s, events)
    changes = tuple((n, v, interval_parts(i)) for n, v, i in s.changes)
    return (s.fid, fact, sub, s.time, interval_parts(s.interval), s.number, s.doc, s.group, s.year, s.day, s.own_data,
            changes, light)  # fmt: skip


def stmt_of(row: Row, subjects: dict[tuple[Any, ...], Subject]) -> Stmt:
    fid, fact, sub, time, iv, number, doc, group, year, day, own, changes, light = row
    subject = subjects.get(sub)
    if subject is None:
        subject = subjects[sub] = Subject.make(*sub)
    return Stmt(fid=fid, fact=fact, subject=subject, time=time, interval=interval_from(iv), number=number,
                doc=doc, group=group, year=year, day=day, own_data=own,
                changes=tuple((n, v, interval_from(i)) for n, v, i in changes), light=light)  # fmt: skip


@dataclass(slots=True)
class Chunk:
    """The statements (as rows) and documents (id, published, source, lang) of one chunk of a block."""

    rows: list[Row] = field(default_factory=list)
    docs: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)

    def dumps(self) -> bytes:
        return zlib.compress(marshal.dumps((FORMAT, self.rows, self.docs)), 1)


def _loads(blob: bytes) -> Chunk | None:
    try:
        fmt, rows, docs = marshal.loads(zlib.decompress(blob))
    except (ValueError, EOFError, TypeError, zlib.error):
        return None
    if fmt != FORMAT or not isinstance(rows, list) or not isinstance(docs, list):
        return None
    if not all(isinstance(r, tuple) and len(r) == ROW_FIELDS and isinstance(r[1], dict) for r in rows):
        return None
    if not all(isinstance(d, tuple) and len(d) == 4 for d in docs):
        return None
    return Chunk(rows, docs)


def read(conn: sqlite3.Connection, block: str) -> dict[int, Chunk] | None:
    """The block's kept chunks; None when it has none or one cannot be read (read the facts then)."""
    out: dict[int, Chunk] = {}
    for chunk, blob in conn.execute("SELECT chunk, data FROM recon_block_stmts WHERE block = ?", (block,)):
        got = _loads(blob)
        if got is None:
            return None
        out[int(chunk)] = got
    return out or None


def filed(conn: sqlite3.Connection, block: str) -> int:
    """How many facts are filed under the block (what its kept statements must add up to)."""
    return int(conn.execute("SELECT count(*) FROM recon_fact_blocks WHERE block = ?", (block,)).fetchone()[0])


def chunks_of(
    stmts: Iterable[Stmt], docs: dict[str, DocInfo], events: dict[str, dict[str, Any]] | None = None
) -> dict[int, Chunk]:
    """Statements (and their documents) as the chunks that keep them; `events`: events' keys as light
    statements hold them, by fact id (incremental._block_input), so that they are not picked again."""
    out: dict[int, Chunk] = {}
    subjects: dict[Subject, tuple[Any, ...]] = {}
    known = events or {}
    for s in stmts:
        out.setdefault(chunk_of(s.doc), Chunk()).rows.append(_row(s, subjects, known))
    for d in sorted(docs):
        info = docs[d]
        out.setdefault(chunk_of(d), Chunk()).docs.append((d, info.published, info.source, info.lang))
    return out


def patched(
    kept: dict[int, Chunk], changed: set[str], fresh: dict[int, Chunk]
) -> tuple[dict[int, Chunk], set[int]]:
    """The block's chunks once the statements and documents of `changed` documents are taken out of the
    kept ones and `fresh` (those documents' statements as read now) put in; and which chunks differ."""
    out = dict(kept)
    dirty: set[int] = set(fresh)
    for k, c in kept.items():
        if any(d in changed for d, *_ in c.docs) or any(r[6] in changed for r in c.rows):
            dirty.add(k)
    for k in dirty:
        old = kept.get(k, Chunk())
        new = fresh.get(k, Chunk())
        rows = [r for r in old.rows if r[6] not in changed] + new.rows
        rows.sort(key=lambda r: r[0])
        docs = sorted({d for d in old.docs if d[0] not in changed} | set(new.docs))
        out[k] = Chunk(rows, docs)
    return out, dirty


def statements(chunks: dict[int, Chunk]) -> tuple[list[Stmt], dict[str, DocInfo]]:
    """The statements of a block's chunks in the order of a whole-corpus run (string fact ids), with their
    documents, as incremental.block_statements gives them. TypeError, ValueError, IndexError or
    decimal.InvalidOperation: a row that does not hold a statement."""
    subjects: dict[tuple[Any, ...], Subject] = {}
    rows = [r for c in chunks.values() for r in c.rows]
    rows.sort(key=lambda r: r[0])
    docs = sorted(d for c in chunks.values() for d in c.docs)
    return [stmt_of(r, subjects) for r in rows], {
        d: DocInfo(published=p, source=s, lang=g) for d, p, s, g in docs
    }


def write(conn: sqlite3.Connection, block: str, blobs: dict[int, bytes | None]) -> None:
    """Replace the kept chunks of the block that `blobs` names with its data (Chunk.dumps; None deletes the
    chunk); inside the caller's transaction."""
    for k in sorted(blobs):
        blob = blobs[k]
        if blob is None:
            conn.execute("DELETE FROM recon_block_stmts WHERE block = ? AND chunk = ?", (block, k))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO recon_block_stmts (block, chunk, data) VALUES (?, ?, ?)",
                (block, k, blob),
            )


def clear(conn: sqlite3.Connection, block: str | None = None) -> None:
    if block is None:
        conn.execute("DELETE FROM recon_block_stmts")
    else:
        conn.execute("DELETE FROM recon_block_stmts WHERE block = ?", (block,))
