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
    (
        2,
        """
        -- Reconciliation (karavan.reconcile.store_bridge): a snapshot of the last run, replaced whole in one
        -- transaction. No foreign keys to facts: a re-ingest replaces facts and the snapshot stays readable
        -- (and is marked stale by the fingerprint) until the next run.
        ALTER TABLE documents ADD COLUMN minhash BLOB;   -- MinHash signature of text (63 x uint64, big-endian)
        CREATE INDEX facts_claimant ON facts(claimant);
        CREATE TABLE recon_runs (
            id          INTEGER PRIMARY KEY,
            started     TEXT NOT NULL,              -- ISO timestamp (UTC)
            seconds     REAL NOT NULL,
            fingerprint TEXT NOT NULL,              -- of documents and facts when the run read them
            n_docs      INTEGER NOT NULL,
            n_facts     INTEGER NOT NULL,
            summary     TEXT NOT NULL DEFAULT '{}'  -- JSON: counts
        );
        CREATE TABLE recon_docs (
            doc          TEXT PRIMARY KEY,
            source_group TEXT NOT NULL,             -- representative of its near-duplicate group
            year         INTEGER,                   -- the year it was written, as far as known
            published    TEXT
        );
        CREATE TABLE recon_clusters (
            id        TEXT PRIMARY KEY,
            ord       INTEGER NOT NULL,             -- the order reconcile gives
            type      TEXT NOT NULL,
            pair      TEXT NOT NULL,                -- countries sorted, joined by '-': 'KZ-TJ'
            flow      TEXT,
            product   TEXT,
            unit      TEXT,
            measure   TEXT,
            period    TEXT,
            value     REAL,
            n_sources INTEGER NOT NULL,
            data      TEXT NOT NULL                 -- JSON: Cluster.to_dict()
        );
        CREATE INDEX recon_clusters_pair ON recon_clusters(pair, type);
        CREATE INDEX recon_clusters_type ON recon_clusters(type);
        CREATE TABLE recon_cluster_facts (
            fact_id    INTEGER PRIMARY KEY,         -- facts.id
            cluster_id TEXT NOT NULL,
            doc        TEXT NOT NULL,
            ord        INTEGER NOT NULL
        );
        CREATE INDEX recon_cluster_facts_cluster ON recon_cluster_facts(cluster_id);
        CREATE TABLE recon_discrepancies (
            id     TEXT PRIMARY KEY,
            ord    INTEGER NOT NULL,
            type   TEXT NOT NULL,
            pair   TEXT NOT NULL,
            period TEXT,
            data   TEXT NOT NULL                    -- JSON: Discrepancy.to_dict()
        );
        CREATE INDEX recon_discrepancies_pair ON recon_discrepancies(pair);
        CREATE TABLE recon_flags (
            ord        INTEGER PRIMARY KEY,
            cluster_id TEXT NOT NULL,
            code       TEXT NOT NULL,
            pair       TEXT NOT NULL,
            data       TEXT NOT NULL                -- JSON: Flag.to_dict()
        );
        CREATE INDEX recon_flags_cluster ON recon_flags(cluster_id);
        CREATE INDEX recon_flags_pair ON recon_flags(pair);
        CREATE TABLE recon_changes (
            id           TEXT PRIMARY KEY,
            ord          INTEGER NOT NULL,
            pair         TEXT NOT NULL,
            from_cluster TEXT NOT NULL,
            to_cluster   TEXT NOT NULL,
            data         TEXT NOT NULL              -- JSON: Change.to_dict()
        );
        CREATE INDEX recon_changes_pair ON recon_changes(pair);
        CREATE TABLE recon_series (
            id      TEXT PRIMARY KEY,
            ord     INTEGER NOT NULL,
            pair    TEXT NOT NULL,
            flow    TEXT,
            product TEXT,
            unit    TEXT,
            data    TEXT NOT NULL                   -- JSON: Series.to_dict(), points included
        );
        CREATE INDEX recon_series_pair ON recon_series(pair, flow, product);
        CREATE TABLE recon_progress (
            series_id TEXT PRIMARY KEY,
            ord       INTEGER NOT NULL,
            pair      TEXT NOT NULL,
            flow      TEXT,
            product   TEXT,
            unit      TEXT,
            data      TEXT NOT NULL                 -- JSON: Progress.to_dict()
        );
        CREATE INDEX recon_progress_pair ON recon_progress(pair);
        """,
    ),
    (
        3,
        """
        -- karavan watch and `karavan ingest URL` (karavan/watch/state.py): what was fetched, from where, and
        -- what each source has done. Every change is one transaction, so a restart after kill -9 resumes.
        CREATE TABLE watch_sources (
            name          TEXT PRIMARY KEY,         -- [[source]] name in SOURCES.toml
            kind          TEXT NOT NULL,            -- feed, sitemap, listing
            url           TEXT NOT NULL,
            lang          TEXT,                     -- the hint given
            interval_s    REAL NOT NULL,
            last_poll     TEXT,                     -- ISO time (UTC) the last poll started
            last_success  TEXT,
            last_error    TEXT,                     -- the line that was printed
            last_error_at TEXT,
            polls         INTEGER NOT NULL DEFAULT 0,
            not_modified  INTEGER NOT NULL DEFAULT 0,
            found         INTEGER NOT NULL DEFAULT 0,   -- article URLs discovered
            fetched       INTEGER NOT NULL DEFAULT 0,
            docs          INTEGER NOT NULL DEFAULT 0,   -- documents stored
            duplicates    INTEGER NOT NULL DEFAULT 0,
            errors        INTEGER NOT NULL DEFAULT 0,
            error_kinds   TEXT NOT NULL DEFAULT '{}'    -- JSON {kind: count}: timeout, http_404, robots, ...
        );
        CREATE TABLE watch_urls (
            url           TEXT PRIMARY KEY,         -- normalised, as discovered (articles) or polled (indexes)
            source        TEXT NOT NULL,            -- watch_sources.name that found it first
            role          TEXT NOT NULL,            -- index (feed, sitemap, listing page) or article
            state         TEXT NOT NULL,            -- pending, fetched, done, duplicate, failed, skipped; ok/error
            discovered    TEXT NOT NULL,
            published     TEXT,                     -- ISO date the feed or sitemap gives
            title         TEXT,
            lastmod       TEXT,                     -- a sitemap's <lastmod> for it
            etag          TEXT,                     -- validators of the last 200, for conditional GET
            last_modified TEXT,
            checked       TEXT,                     -- ISO time of the last request
            status        INTEGER,                  -- HTTP status of the last response
            attempts      INTEGER NOT NULL DEFAULT 0,
            error         TEXT,
            final_url     TEXT,
            canonical     TEXT,
            raw_sha256    TEXT,                     -- raw_pages.sha256 once fetched
            doc_id        TEXT                      -- the document it is (or duplicates)
        );
        CREATE INDEX watch_urls_state ON watch_urls(state, role, source);
        CREATE INDEX watch_urls_canonical ON watch_urls(canonical);
        CREATE TABLE raw_pages (
            sha256       TEXT PRIMARY KEY,          -- of the body as received (documents.meta.raw_sha256)
            url          TEXT NOT NULL,             -- after redirects
            fetched_at   TEXT NOT NULL,
            content_type TEXT NOT NULL DEFAULT '',
            size         INTEGER NOT NULL,          -- bytes before compression
            body         BLOB NOT NULL              -- zlib-compressed
        );
        CREATE TABLE watch_rounds (
            id      INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            seconds REAL NOT NULL,
            summary TEXT NOT NULL DEFAULT '{}'      -- JSON counts
        );
        CREATE INDEX documents_url ON documents(url);
        CREATE INDEX documents_sha256 ON documents(sha256);
        """,
    ),
    (
        4,
        """
        -- Full-text search (the dashboard's /search, karavan.serve.search): FTS5 indexes over documents.text
        -- and facts.quote, external content (no second copy of the text), kept current by triggers, so a
        -- re-ingested document is indexed anew in the same transaction. unicode61 folds case in every
        -- script and, with remove_diacritics 2, Kazakh Latin letters (Tájikstan finds Tajikstan).
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER documents_fts_update AFTER UPDATE OF text ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO documents_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE VIRTUAL TABLE facts_fts USING fts5(
            quote, content='facts', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
            INSERT INTO facts_fts(rowid, quote) VALUES (new.id, new.quote);
        END;
        CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
            INSERT INTO facts_fts(facts_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
        END;
        CREATE TRIGGER facts_fts_update AFTER UPDATE OF quote ON facts BEGIN
            INSERT INTO facts_fts(facts_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
            INSERT INTO facts_fts(rowid, quote) VALUES (new.id, new.quote);
        END;
        INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
        INSERT INTO facts_fts(facts_fts) VALUES ('rebuild');
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
        if version <= schema_version(conn):  # another process applied it while this one waited for the lock
            conn.execute("ROLLBACK")
            continue
        try:
            for statement in split_statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (a full disk)
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
