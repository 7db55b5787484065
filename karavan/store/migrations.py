"""The schema as numbered migrations, applied in order and recorded in PRAGMA user_version.

To change the schema, append one entry: `(next_version, "SQL ...")`. Never edit an
entry that has shipped: databases in the field already ran it.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE documents (
            id          TEXT PRIMARY KEY,
            text        TEXT NOT NULL,          -- exactly as ingested; every offset points into it
            sha256      TEXT NOT NULL,          -- of text (UTF-8)
            url         TEXT,
            published   TEXT,                   -- ISO date YYYY-MM-DD
            source      TEXT,
            meta        TEXT NOT NULL DEFAULT '{}',   -- JSON: other input keys, raw HTML hash, title
            lang        TEXT,
            script      TEXT,
            encoding    TEXT,
            path        TEXT,
            excluded    TEXT NOT NULL DEFAULT '[]',   -- JSON [{start, end, label}]: page chrome
            articles    TEXT NOT NULL DEFAULT '[]',   -- JSON [{start, end, label}]
            paragraphs  TEXT NOT NULL DEFAULT '[]',   -- JSON [{start, end, lang, script}]
            ingested_at TEXT NOT NULL,
            n_facts     INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE facts (
            id            INTEGER PRIMARY KEY,
            doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            type          TEXT NOT NULL,
            flow          TEXT,
            reporter      TEXT,
            partner       TEXT,
            product       TEXT,
            period        TEXT,
            value         REAL,
            unit          TEXT,
            approx        INTEGER,
            bound         TEXT,
            change_pct    REAL,
            change_factor REAL,
            factor        REAL,
            "by"          TEXT,
            positions     INTEGER,
            rank          INTEGER,
            pct           REAL,
            participants  TEXT,                 -- JSON list
            countries     TEXT,                 -- JSON list
            place         TEXT,
            name          TEXT,
            parties       TEXT,                 -- JSON list
            status        TEXT,
            claimant      TEXT,
            quote         TEXT,
            start         INTEGER,
            "end"         INTEGER,
            lang          TEXT,
            rule          TEXT,
            confidence    REAL,
            data          TEXT NOT NULL         -- JSON: the whole FACTS.md fact, nothing lost
        );
        CREATE INDEX facts_pair ON facts(reporter, partner);
        CREATE INDEX facts_type ON facts(type);
        CREATE INDEX facts_doc ON facts(doc_id);
        """,
    ),
]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: list[tuple[int, str]] = MIGRATIONS) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction; return those applied."""
    applied: list[int] = []
    for version, sql in sorted(migrations):
        if version <= schema_version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def split_statements(sql: str) -> list[str]:
    """The complete statements of a script (executescript would commit on its own)."""
    out: list[str] = []
    current = ""
    for piece in sql.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n\t;"):
                out.append(current.strip())
            current = ""
    return out
