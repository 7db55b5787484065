"""The SQLite store: documents and their facts, one transaction per document.

with open_store("karavan.db") as store:
    if store.status(doc) != "unchanged":
        store.put(process(doc))
    for fact in store.query_facts(pair="KZ-TJ", type="trade"):
        ...
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from karavan.doc import Doc
from karavan.errors import (
    KaravanError,
    NoDatabase,
    NotADatabase,
    StoreCorrupt,
    StoreError,
    StoreReadOnly,
    UnknownDocument,
)
from karavan.store.errors import SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_READONLY, primary_code, store_error
from karavan.store.health import closed_clean, damage_on_open
from karavan.store.migrations import MIGRATIONS, migrate, schema_version
from karavan.store.quote_grams import register as register_fold
from karavan.store.rows import DOC_COLUMNS, FACT_COLUMNS, doc_from_row, doc_row, fact_row, text_hash

INSERT_DOC = f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))})"
QUOTED_FACT_COLUMNS = ", ".join(f'"{c}"' for c in FACT_COLUMNS)  # "by" and "end" are SQL keywords
INSERT_FACT = f"INSERT INTO facts ({QUOTED_FACT_COLUMNS}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})"
DEFAULT_DB = "karavan.db"
BUSY_TIMEOUT = 30  # seconds a write waits for another process's transaction before it gives up
NOT_SQLITE = "not an SQLite database, or a damaged one (left untouched); give another --db"


class Store:
    """Documents and facts in one SQLite file (WAL mode).

    `readonly`: opened without write access (the file, its folder or the disk is read-only): reads work,
    writes raise StoreReadOnly. `damage`: what quick_check found when the store was opened; a damaged
    store is read as far as it can be and never written (StoreCorrupt).
    """

    def __init__(
        self, conn: sqlite3.Connection, path: str, readonly: bool = False, damage: list[str] | None = None
    ) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.damage = list(damage or [])

    def close(self) -> None:
        self.conn.close()
        if self.writable:  # whole when opened, written through SQLite only
            closed_clean(Path(self.path))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            raise store_error(exc, self.path) from exc

    # -- writing ------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return not (self.readonly or self.damage)

    def check_writable(self, doing: str = "writing") -> None:
        """Raise the error a write would meet: StoreCorrupt for a damaged store, StoreReadOnly for a read-only one."""
        if self.damage:
            raise StoreCorrupt(
                f"{doing}: the database is damaged (quick_check: {'; '.join(self.damage[:3])}); karavan will "
                "not write into it: `karavan check --db` lists the damage; restore a backup, or ingest the "
                "documents again into a new --db",
                self.path,
            )
        if self.readonly:
            raise StoreReadOnly(
                f"{doing}: the database is read-only (the file, its folder or the disk): reading it works; "
                "to write, make the file and its folder writable (or copy it to a writable place)",
                self.path,
            )

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
        (TypeError, ValueError) is raised with the earlier version untouched. An SQLite failure (disk
        full, read-only, damage, a lock held too long) is raised as a StoreError after the transaction
        is rolled back: the store holds what it held before.
        """
        doing = f"storing document {doc.id!r}"
        self.check_writable(doing)
        document = doc_row(doc)
        facts = [fact_row(doc.id, f.to_dict()) for f in doc.facts]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute("DELETE FROM facts WHERE doc_id = ?", (doc.id,))
                self.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
                self.conn.execute(INSERT_DOC, document)
                self.conn.executemany(INSERT_FACT, facts)
                self.conn.execute("COMMIT")
            except BaseException:
                rollback(self.conn)
                raise
        except sqlite3.Error as e:
            raise store_error(e, self.path, doing) from e

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


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, unless SQLite already did (it does on a full disk, for one)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the error that brought us here says more


def connect(path: Path, mode: str = "rw") -> sqlite3.Connection:
    """A connection to the file: `rw` (created when missing), `ro` (read-only) or `immutable` (read-only, for
    a WAL database in a folder where SQLite cannot create its -shm file, so nobody can be writing it)."""
    if mode == "rw":
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
    else:
        query = "?mode=ro&immutable=1" if mode == "immutable" else "?mode=ro"
        conn = sqlite3.connect(
            Path(path).absolute().as_uri() + query, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT
        )
    conn.row_factory = sqlite3.Row
    register_fold(conn)  # kv_fold: the quote filter and fact_quote_grams' triggers (migration 20) call it
    return conn


def _open_read_only(path: Path) -> tuple[sqlite3.Connection, int]:
    """A read-only connection and the schema version; `immutable` only when no -wal file holds changes."""
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    last: sqlite3.Error | None = None
    for mode in ("ro",) if pending else ("ro", "immutable"):
        conn = connect(path, mode)
        try:
            return conn, schema_version(conn)
        except sqlite3.Error as e:
            conn.close()
            last = e
            if primary_code(e) == SQLITE_NOTADB:
                raise NotADatabase(NOT_SQLITE, str(path)) from None
    assert last is not None
    if pending:
        raise StoreReadOnly(
            f"the database is read-only and its last writer left changes in {wal.name} that only a writer "
            f"can read back ({last}): open it once with write access",
            str(path),
        )
    raise store_error(last, str(path), "opening the database read-only")


def open_store(path: str | Path = DEFAULT_DB, create: bool = True, readonly: bool = False) -> Store:
    """Open (and create or upgrade) the store at `path`; a file that is not SQLite is refused untouched.

    Only SQLite ever opens the file: closing any other descriptor of it would drop the locks SQLite holds
    in this process (POSIX locks belong to the process), and another process could then delete the -wal
    file under a running server. A store that cannot be written (permissions, a read-only disk) is opened
    read-only; a damaged one (quick_check, when the file changed since this process last checked it) is
    opened for reading only.
    """
    path = Path(path)
    if path.is_dir():
        raise NotADatabase("is a directory, not an SQLite database", str(path))
    exists = path.exists()
    if not create and not exists:
        raise NoDatabase("no database here: run `karavan ingest PATH... --db` first", str(path))
    if not path.parent.exists():
        raise NoDatabase("the folder for the database does not exist", str(path))
    readonly = readonly or (exists and not os.access(path, os.W_OK))
    conn: sqlite3.Connection | None = None
    try:
        if readonly:
            conn, version = _open_read_only(path)
        else:
            conn = connect(path)
            try:
                # the first read: a file that is not SQLite fails here, untouched
                version = schema_version(conn)
            except sqlite3.Error as e:
                if not exists or primary_code(e) not in (SQLITE_READONLY, SQLITE_CANTOPEN):
                    raise
                conn.close()
                conn, version = _open_read_only(path)  # a folder SQLite may not write its -shm file in
                readonly = True
        latest = max(v for v, _ in MIGRATIONS)
        if version > latest:
            raise NotADatabase(
                f"made by a newer karavan (schema {version}, this one knows {latest})", str(path)
            )
        damage = damage_on_open(conn, path) if exists else []
        store = Store(conn, str(path), readonly, damage)
        if store.writable:
            try:
                use_wal(conn, str(path))
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn)
            except sqlite3.Error as e:
                if primary_code(e) != SQLITE_READONLY or version < latest:
                    raise
                store.readonly = True  # SQLite opened it for writing but may not write (a read-only disk)
        elif version < latest:
            store.check_writable(f"upgrading its schema from version {version} to {latest}")
    except sqlite3.Error as e:
        if conn is not None:
            conn.close()
        if primary_code(e) == SQLITE_NOTADB:
            raise NotADatabase(NOT_SQLITE, str(path)) from None
        raise store_error(e, str(path), "opening the database") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return store


__all__ = ["DEFAULT_DB", "Store", "StoreError", "connect", "open_store", "parse_pair", "rollback"]
