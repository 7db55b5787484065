"""The SQLite store: documents and their facts, one transaction per document.

with open_store("karavan.db") as store:
    if store.status(doc) != "unchanged":
        store.put(process(doc))
    for fact in store.query_facts(pair="KZ-TJ", type="trade"):
        ...
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from karavan.doc import Doc
from karavan.errors import KaravanError, NoDatabase, NotADatabase, UnknownDocument
from karavan.store.migrations import MIGRATIONS, migrate, schema_version
from karavan.store.rows import DOC_COLUMNS, FACT_COLUMNS, doc_from_row, doc_row, fact_row, text_hash

SQLITE_MAGIC = b"SQLite format 3\x00"
INSERT_DOC = f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))})"
QUOTED_FACT_COLUMNS = ", ".join(f'"{c}"' for c in FACT_COLUMNS)  # "by" and "end" are SQL keywords
INSERT_FACT = f"INSERT INTO facts ({QUOTED_FACT_COLUMNS}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})"
DEFAULT_DB = "karavan.db"


def check_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, a file that exists and is not an SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise NotADatabase("is a directory, not an SQLite database", str(path))
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise NotADatabase("not an SQLite database (left untouched); give another --db", str(path))


class Store:
    """Documents and facts in one SQLite file (WAL mode)."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------

    def status(self, doc: Doc) -> str:
        """'new', 'unchanged' (same id, text hash, url, published, source) or 'changed'."""
        row = self.conn.execute(
            "SELECT sha256, url, published, source FROM documents WHERE id = ?", (doc.id,)
        ).fetchone()
        if row is None:
            return "new"
        same = (row["sha256"], row["url"], row["published"], row["source"]) == (
            text_hash(doc.text), doc.url, doc.published, doc.source,
        )  # fmt: skip
        return "unchanged" if same else "changed"

    def put(self, doc: Doc) -> None:
        """Store a processed document and its facts in one transaction, replacing any earlier version.

        Rows are built before the transaction starts, so a fact that cannot be stored
        (TypeError, ValueError) is raised with the earlier version untouched.
        """
        document = doc_row(doc)
        facts = [fact_row(doc.id, f.to_dict()) for f in doc.facts]
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM facts WHERE doc_id = ?", (doc.id,))
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
            self.conn.execute(INSERT_DOC, document)
            self.conn.executemany(INSERT_FACT, facts)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- reading ------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table == "documents":  # counted by the store's triggers (migration 5): no scan
            return int(self.meta("documents"))
        if table != "facts":
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def meta(self, key: str) -> int:
        row = self.conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def version(self) -> int:
        """A number that grows at every change of documents or facts (store_meta, kept by triggers): one row
        to read to know whether anything changed."""
        return self.meta("version")

    def get_doc(self, doc_id: str) -> Doc:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise UnknownDocument(f"no document with id {doc_id!r} (see `karavan docs`)", self.path)
        facts = [
            json.loads(r[0])
            for r in self.conn.execute("SELECT data FROM facts WHERE doc_id = ? ORDER BY id", (doc_id,))
        ]
        return doc_from_row(row, facts)

    def iter_docs(self, lang: str | None = None) -> Iterator[Doc]:
        """Every stored document (with facts), streamed in id order."""
        for (doc_id,) in self.conn.execute(
            "SELECT id FROM documents WHERE (? IS NULL OR lang = ?) ORDER BY id", (lang, lang)
        ).fetchall():
            yield self.get_doc(doc_id)

    def doc_summaries(self) -> Iterator[dict[str, Any]]:
        """One small dict a document: id, lang, script, chars, facts, published, source."""
        cur = self.conn.execute(
            "SELECT id, lang, script, length(text) AS chars, n_facts AS facts, published, source "
            "FROM documents ORDER BY id"
        )
        for row in cur:
            yield dict(row)

    def query_facts(
        self,
        pair: str | None = None,
        type: str | None = None,
        lang: str | None = None,
        doc: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        with_id: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Stored facts as FACTS.md dicts, filtered; `pair` 'KZ-TJ' matches either order."""
        where, args = fact_filters(pair, type, lang, doc)
        sql = (
            "SELECT f.id, f.data FROM facts f JOIN documents d ON d.id = f.doc_id"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY f.doc_id, f.start, f.id"
            " LIMIT ? OFFSET ?"
        )
        for fact_id, data in self.conn.execute(sql, (*args, -1 if limit is None else limit, offset)):
            fact = json.loads(data)
            if with_id:
                fact["fact_id"] = fact_id
            yield fact

    def fact_counts(self, by: str = "type") -> dict[str, int]:
        if by not in ("type", "lang", "doc_id"):
            raise ValueError(by)
        return dict(
            self.conn.execute(f"SELECT {by}, count(*) FROM facts GROUP BY {by} ORDER BY {by}").fetchall()
        )


def parse_pair(pair: str) -> tuple[str, str]:
    parts = [p.strip().upper() for p in pair.replace(",", "-").split("-")]
    if len(parts) != 2 or not all(len(p) == 2 and p.isalpha() for p in parts):
        raise KaravanError(f"--pair wants two ISO country codes like KZ-TJ, got {pair!r}")
    return parts[0], parts[1]


def pair_key(pair: str) -> str:
    """'TJ-KZ' -> 'KZ-TJ': the codes of a --pair sorted, as fact_pairs files them."""
    return "-".join(sorted(parse_pair(pair)))


def fact_filters(
    pair: str | None, type: str | None, lang: str | None, doc: str | None
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if pair:
        # reporter and partner are the two (either order), or its countries (or parties) list both: the
        # fact_pairs rows (migration 5), one index look-up
        where.append("f.id IN (SELECT fact_id FROM fact_pairs WHERE pair = ?)")
        args.append(pair_key(pair))
    if type:
        where.append("f.type = ?")
        args.append(type)
    if lang:
        where.append("coalesce(f.lang, d.lang) = ?")
        args.append(lang)
    if doc:
        where.append("f.doc_id = ?")
        args.append(doc)
    return where, args


def use_wal(conn: sqlite3.Connection, path: str, seconds: float = 10.0) -> None:
    """Switch to WAL, waiting while another process holds the file: two processes creating one database at
    once (`karavan watch` and `karavan serve` started together) must not write it in different journal
    modes, which corrupts it. SQLite answers the pragma with the mode in force, or 'database is locked'
    without waiting, so it is asked again until it says 'wal'."""
    ends = time.monotonic() + seconds
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal":
                return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        if time.monotonic() > ends:
            raise NotADatabase("another process holds the database; could not switch it to WAL", path)
        time.sleep(0.05)


def open_store(path: str | Path = DEFAULT_DB, create: bool = True) -> Store:
    """Open (and create or upgrade) the store at `path`; a file that is not SQLite is refused untouched."""
    path = Path(path)
    check_sqlite_file(path)
    if not create and not path.exists():
        raise NoDatabase("no database here: run `karavan ingest PATH... --db` first", str(path))
    if not path.parent.exists():
        raise NoDatabase("the folder for the database does not exist", str(path))
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        version = schema_version(conn)
        latest = max(v for v, _ in MIGRATIONS)
        if version > latest:
            conn.close()
            raise NotADatabase(
                f"made by a newer karavan (schema {version}, this one knows {latest})", str(path)
            )
        use_wal(conn, str(path))
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.DatabaseError as e:
        raise NotADatabase(f"not a usable SQLite database: {e}", str(path)) from None
    return Store(conn, str(path))
