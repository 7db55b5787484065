"""Migration 10: fact_recent, one narrow row a fact in the lists' newest-first order with the columns a
period, language or type filter tests; filled for a store that has facts already and kept by triggers as
facts are stored, replaced and deleted and as documents change their date or language."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from karavan import api
from karavan.store.db import INSERT_DOC, INSERT_FACT
from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import register
from karavan.store.rows import doc_row, fact_row

ROOT = Path(__file__).resolve().parents[1]
BEFORE = [m for m in MIGRATIONS if m[0] < 10]
TRUTH = (
    "SELECT coalesce(d.published, ''), f.doc_id, f.id, f.type, coalesce(f.lang, d.lang), f.period"
    " FROM facts f JOIN documents d ON d.id = f.doc_id"
)
ROWS = "SELECT recency, doc_id, fact_id, type, lang, period FROM fact_recent"


def store_doc(conn: sqlite3.Connection, name: str) -> str:
    (doc,) = api.extract_paths([ROOT / "examples" / name])
    conn.execute(INSERT_DOC, doc_row(doc))
    conn.executemany(INSERT_FACT, [fact_row(doc.id, f.to_dict()) for f in doc.facts])
    return doc.id


def rows(conn: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return sorted(conn.execute(sql).fetchall(), key=repr)


def one_doc(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT doc_id FROM facts ORDER BY id LIMIT 1").fetchone()[0])


CHANGES: list[tuple[str, Callable[[sqlite3.Connection], object]]] = [
    ("another document", lambda c: store_doc(c, "en_kz_uz_astana.txt")),
    ("a document redated", lambda c: c.execute("UPDATE documents SET published = '2001-02-03' WHERE id = ?", (one_doc(c),))),
    ("a document undated", lambda c: c.execute("UPDATE documents SET published = NULL WHERE id = ?", (one_doc(c),))),
    ("a document's language", lambda c: c.execute("UPDATE documents SET lang = 'kk' WHERE id = ?", (one_doc(c),))),
    ("a fact's type and period", lambda c: c.execute("UPDATE facts SET type = 'x', period = '2000-01/2000-12' WHERE id = (SELECT min(id) FROM facts)")),
    ("a fact deleted", lambda c: c.execute("DELETE FROM facts WHERE id = (SELECT min(id) FROM facts)")),
    ("a document's facts deleted", lambda c: c.execute("DELETE FROM facts WHERE doc_id = ?", (one_doc(c),))),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[w for w, _ in CHANGES])
def test_store_fact_recent_filled_then_kept(tmp_path: Path, what: str, change: Callable[..., object]) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    register(conn)  # kv_fold: migration 20's quote index
    migrate(conn, BEFORE)
    store_doc(conn, "ru_kz_kg_cp1251.txt")  # facts before the migration
    migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == max(v for v, _ in MIGRATIONS)
    filled = rows(conn, ROWS)
    assert filled and filled == rows(conn, TRUTH)
    change(conn)
    assert rows(conn, ROWS) == rows(conn, TRUTH), what
    conn.execute("DELETE FROM facts")
    assert conn.execute("SELECT count(*) FROM fact_recent").fetchone()[0] == 0
