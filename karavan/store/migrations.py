"""The schema as numbered migrations, applied in order and recorded in PRAGMA user_version.

To change the schema, append one entry: `(next_version, "SQL ...")`. Never edit an
entry that has shipped: databases in the field already ran it.
"""

from __future__ import annotations

import sqlite3


def _fact_index_sql(row: str, period: bool = False) -> str:
    """The statements (of a trigger on facts) that file fact `row` under its pairs and countries and count the
    values its filters can take; one text for the trigger and for filling the tables from existing facts.
    With `period` (migration 9 on), the pair and country rows carry the fact's period too."""
    recency = f"coalesce((SELECT published FROM documents WHERE id = {row}.doc_id), '')"
    cols, val = (", period", f", {row}.period") if period else ("", "")
    pairs = " UNION ".join(
        [
            f"SELECT min({row}.reporter, {row}.partner) || '-' || max({row}.reporter, {row}.partner) AS p"
            f" WHERE {row}.reporter IS NOT NULL AND {row}.partner IS NOT NULL",
            *(
                f"SELECT a.value || '-' || b.value FROM json_each(coalesce({row}.{col}, '[]')) a,"
                f" json_each(coalesce({row}.{col}, '[]')) b WHERE a.value <= b.value"
                for col in ("countries", "parties")
            ),
        ]
    )
    countries = " UNION ".join(
        [
            f"SELECT {row}.reporter AS c WHERE {row}.reporter IS NOT NULL",
            f"SELECT {row}.partner WHERE {row}.partner IS NOT NULL",
            *(
                f"SELECT value FROM json_each(coalesce({row}.{col}, '[]'))"
                for col in ("countries", "parties")
            ),
        ]
    )
    lang = f"coalesce({row}.lang, (SELECT lang FROM documents WHERE id = {row}.doc_id))"
    return f"""
            INSERT OR IGNORE INTO fact_pairs (pair, recency, doc_id, fact_id{cols}) SELECT p, {recency}, {row}.doc_id, {row}.id{val} FROM ({pairs}) WHERE p IS NOT NULL;
            INSERT OR IGNORE INTO fact_countries (country, recency, doc_id, fact_id{cols}) SELECT c, {recency}, {row}.doc_id, {row}.id{val} FROM ({countries})
                WHERE c IS NOT NULL AND c != '';
            INSERT OR IGNORE INTO fact_people SELECT n, {row}.id FROM (SELECT {row}.claimant AS n
                UNION SELECT value FROM json_each(coalesce({row}.participants, '[]'))) WHERE n IS NOT NULL;
            INSERT INTO fact_values SELECT 'type', {row}.type, 1 WHERE {row}.type IS NOT NULL
                ON CONFLICT DO UPDATE SET n = n + 1;
            INSERT INTO fact_values SELECT 'product', {row}.product, 1 WHERE {row}.product IS NOT NULL
                ON CONFLICT DO UPDATE SET n = n + 1;
            INSERT INTO fact_values SELECT 'lang', {lang}, 1 WHERE {lang} IS NOT NULL
                ON CONFLICT DO UPDATE SET n = n + 1;"""


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
    (
        5,
        f"""
        -- Scale (karavan/store/changes.py): a version counter and a log of changed documents, so that a reader
        -- checks one row for changes and reconciliation redoes only what changed; the facts' country pairs and
        -- countries as indexed rows (the pair and country filters were an OR over json_each of every fact);
        -- the values a fact filter can take, counted; the documents newest first.
        CREATE TABLE store_meta (
            key   TEXT PRIMARY KEY,                 -- 'version': +1 at every change of documents or facts;
            value INTEGER NOT NULL                  -- 'documents': how many there are
        ) WITHOUT ROWID;
        INSERT INTO store_meta VALUES ('version', 1), ('documents', (SELECT count(*) FROM documents));
        CREATE TABLE store_log (
            doc_id  TEXT PRIMARY KEY,               -- a document inserted, replaced, updated or deleted
            version INTEGER NOT NULL                -- store_meta.version after its last change
        ) WITHOUT ROWID;
        CREATE INDEX store_log_version ON store_log(version);
        INSERT INTO store_log SELECT id, 1 FROM documents;
        CREATE TRIGGER store_documents_insert AFTER INSERT ON documents BEGIN
            UPDATE store_meta SET value = value + 1 WHERE key IN ('version', 'documents');
            INSERT OR REPLACE INTO store_log VALUES (new.id, (SELECT value FROM store_meta WHERE key = 'version'));
        END;
        CREATE TRIGGER store_documents_delete AFTER DELETE ON documents BEGIN
            UPDATE store_meta SET value = value + (CASE key WHEN 'version' THEN 1 ELSE -1 END)
                WHERE key IN ('version', 'documents');
            INSERT OR REPLACE INTO store_log VALUES (old.id, (SELECT value FROM store_meta WHERE key = 'version'));
        END;
        CREATE TRIGGER store_documents_update
        AFTER UPDATE OF id, text, sha256, url, published, source, lang, meta ON documents BEGIN
            UPDATE store_meta SET value = value + 1 WHERE key = 'version';
            INSERT OR REPLACE INTO store_log VALUES (old.id, (SELECT value FROM store_meta WHERE key = 'version'));
            INSERT OR REPLACE INTO store_log VALUES (new.id, (SELECT value FROM store_meta WHERE key = 'version'));
            UPDATE fact_pairs SET recency = coalesce(new.published, '')
                WHERE fact_id IN (SELECT id FROM facts WHERE doc_id = new.id);
            UPDATE fact_countries SET recency = coalesce(new.published, '')
                WHERE fact_id IN (SELECT id FROM facts WHERE doc_id = new.id);
        END;
        CREATE TRIGGER store_facts_change_insert AFTER INSERT ON facts BEGIN
            UPDATE store_meta SET value = value + 1 WHERE key = 'version';
            INSERT OR REPLACE INTO store_log VALUES (new.doc_id, (SELECT value FROM store_meta WHERE key = 'version'));
        END;
        CREATE TRIGGER store_facts_change_delete AFTER DELETE ON facts BEGIN
            UPDATE store_meta SET value = value + 1 WHERE key = 'version';
            INSERT OR REPLACE INTO store_log VALUES (old.doc_id, (SELECT value FROM store_meta WHERE key = 'version'));
        END;

        -- pair 'A-B' (codes sorted; 'A-A' too) for a fact whose reporter and partner are A and B, or whose
        -- countries (or parties) list both; recency = its document's published date ('' when undated), so a
        -- pair's facts are read newest first from the index alone
        CREATE TABLE fact_pairs (
            pair    TEXT NOT NULL,
            fact_id INTEGER NOT NULL,
            recency TEXT NOT NULL,
            doc_id  TEXT NOT NULL,
            PRIMARY KEY (pair, fact_id)
        ) WITHOUT ROWID;  -- key columns first: SQLite 3.40's integrity_check misreads NOT NULL columns after others
        CREATE INDEX fact_pairs_recent ON fact_pairs(pair, recency, doc_id, fact_id);
        CREATE INDEX fact_pairs_fact ON fact_pairs(fact_id);
        -- country: the fact's reporter, partner, or one of its countries or parties
        CREATE TABLE fact_countries (
            country TEXT NOT NULL,
            fact_id INTEGER NOT NULL,
            recency TEXT NOT NULL,
            doc_id  TEXT NOT NULL,
            PRIMARY KEY (country, fact_id)
        ) WITHOUT ROWID;  -- key columns first: SQLite 3.40's integrity_check misreads NOT NULL columns after others
        CREATE INDEX fact_countries_recent ON fact_countries(country, recency, doc_id, fact_id);
        CREATE INDEX fact_countries_fact ON fact_countries(fact_id);
        -- name: the fact's claimant or one of its participants (search finds a person's facts by these)
        CREATE TABLE fact_people (
            name    TEXT NOT NULL,
            fact_id INTEGER NOT NULL,
            PRIMARY KEY (name, fact_id)
        ) WITHOUT ROWID;
        CREATE INDEX fact_people_fact ON fact_people(fact_id);
        -- the values a fact filter offers (type, product, lang: the fact's or its document's; country), counted
        CREATE TABLE fact_values (
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            n     INTEGER NOT NULL,
            PRIMARY KEY (field, value)
        ) WITHOUT ROWID;
        CREATE TRIGGER fact_index_insert AFTER INSERT ON facts BEGIN
{_fact_index_sql("new")}
        END;
        CREATE TRIGGER fact_index_delete AFTER DELETE ON facts BEGIN
            DELETE FROM fact_pairs WHERE fact_id = old.id;
            DELETE FROM fact_countries WHERE fact_id = old.id;
            DELETE FROM fact_people WHERE fact_id = old.id;
            UPDATE fact_values SET n = n - 1 WHERE (field = 'type' AND value = old.type)
                OR (field = 'product' AND value = old.product)
                OR (field = 'lang' AND value = coalesce(old.lang, (SELECT lang FROM documents WHERE id = old.doc_id)));
            DELETE FROM fact_values WHERE n <= 0;
        END;
        CREATE TRIGGER fact_countries_counted AFTER INSERT ON fact_countries BEGIN
            INSERT INTO fact_values VALUES ('country', new.country, 1) ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER fact_countries_uncounted AFTER DELETE ON fact_countries BEGIN
            UPDATE fact_values SET n = n - 1 WHERE field = 'country' AND value = old.country;
            DELETE FROM fact_values WHERE field = 'country' AND value = old.country AND n <= 0;
        END;
        CREATE TABLE temp_backfill AS SELECT * FROM facts WHERE 0;
        CREATE TRIGGER temp_backfill_insert AFTER INSERT ON temp_backfill BEGIN
{_fact_index_sql("new")}
        END;
        INSERT INTO temp_backfill SELECT * FROM facts;
        DROP TABLE temp_backfill;

        CREATE INDEX documents_recent ON documents(published IS NULL, published DESC, id);
        CREATE INDEX documents_recent_desc ON documents(published IS NULL, published DESC, id DESC);
        CREATE INDEX facts_doc_start ON facts(doc_id, start, id);
        ANALYZE;
        """,
    ),
    (
        6,
        """
        -- Incremental reconciliation (karavan/reconcile/incremental.py): results kept per block (a fact's country
        -- set, recon_*.pair), `ord` a sort key string (karavan/reconcile/order.py) that orders rows of every
        -- block as one run over the whole store does, and the state a run needs to redo only what changed:
        -- each fact's block, each document's LSH buckets and the near-duplicate edges between documents.
        -- The previous snapshot is dropped: the first run after this migration reconciles the whole store.
        DROP TABLE recon_runs;
        DROP TABLE recon_docs;
        DROP TABLE recon_clusters;
        DROP TABLE recon_cluster_facts;
        DROP TABLE recon_discrepancies;
        DROP TABLE recon_flags;
        DROP TABLE recon_changes;
        DROP TABLE recon_series;
        DROP TABLE recon_progress;
        CREATE TABLE recon_runs (
            id          INTEGER PRIMARY KEY,
            started     TEXT NOT NULL,              -- ISO timestamp (UTC)
            finished    TEXT,
            seconds     REAL NOT NULL,
            fingerprint TEXT NOT NULL,              -- karavan and results version: another one reconciles all
            version     INTEGER NOT NULL,           -- store_meta.version the run read
            kind        TEXT NOT NULL,              -- full or incremental
            n_docs      INTEGER NOT NULL,           -- documents it read again
            n_blocks    INTEGER NOT NULL,           -- blocks it redid
            n_facts     INTEGER NOT NULL,           -- facts it read
            summary     TEXT NOT NULL DEFAULT '{}'  -- JSON: counts in the store after the run
        );
        CREATE TABLE recon_docs (
            doc          TEXT PRIMARY KEY,
            source_group TEXT NOT NULL,             -- representative of its near-duplicate group
            year         INTEGER,                   -- the year it was written, as far as known
            published    TEXT
        );
        CREATE INDEX recon_docs_group ON recon_docs(source_group);
        CREATE TABLE recon_fact_blocks (
            fact_id INTEGER PRIMARY KEY,            -- facts.id
            doc     TEXT NOT NULL,
            block   TEXT NOT NULL                   -- keys.block_of: 'KZ-TJ'
        );
        CREATE INDEX recon_fact_blocks_block ON recon_fact_blocks(block);
        CREATE INDEX recon_fact_blocks_doc ON recon_fact_blocks(doc);
        CREATE TABLE recon_lsh (
            bucket INTEGER NOT NULL,                -- 64-bit hash of one band of a document's MinHash signature
            doc    TEXT NOT NULL,
            PRIMARY KEY (bucket, doc)
        ) WITHOUT ROWID;
        CREATE INDEX recon_lsh_doc ON recon_lsh(doc);
        CREATE TABLE recon_dup_edges (
            bucket INTEGER NOT NULL,                -- the bucket whose members were compared
            a      TEXT NOT NULL,                   -- two near-duplicate documents
            b      TEXT NOT NULL,
            PRIMARY KEY (bucket, a, b)
        ) WITHOUT ROWID;
        CREATE INDEX recon_dup_edges_a ON recon_dup_edges(a);
        CREATE INDEX recon_dup_edges_b ON recon_dup_edges(b);
        CREATE TABLE recon_clusters (
            id        TEXT PRIMARY KEY,
            ord       TEXT NOT NULL,
            type      TEXT NOT NULL,
            pair      TEXT NOT NULL,                -- its block: countries sorted, joined by '-'
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
        CREATE INDEX recon_clusters_type ON recon_clusters(type, pair);
        CREATE INDEX recon_clusters_ord ON recon_clusters(ord);
        CREATE TABLE recon_cluster_facts (
            fact_id    INTEGER PRIMARY KEY,         -- facts.id
            cluster_id TEXT NOT NULL,
            doc        TEXT NOT NULL,
            ord        INTEGER NOT NULL
        );
        CREATE INDEX recon_cluster_facts_cluster ON recon_cluster_facts(cluster_id);
        CREATE TABLE recon_discrepancies (
            id     TEXT PRIMARY KEY,
            ord    TEXT NOT NULL,
            type   TEXT NOT NULL,
            pair   TEXT NOT NULL,
            period TEXT,
            data   TEXT NOT NULL                    -- JSON: Discrepancy.to_dict()
        );
        CREATE INDEX recon_discrepancies_pair ON recon_discrepancies(pair, ord);
        CREATE INDEX recon_discrepancies_ord ON recon_discrepancies(ord);
        CREATE TABLE recon_discrepancy_sides (
            cluster_id     TEXT NOT NULL,
            discrepancy_id TEXT NOT NULL,
            PRIMARY KEY (cluster_id, discrepancy_id)
        ) WITHOUT ROWID;
        CREATE TABLE recon_flags (
            id         INTEGER PRIMARY KEY,
            ord        TEXT NOT NULL,
            cluster_id TEXT NOT NULL,
            code       TEXT NOT NULL,
            pair       TEXT NOT NULL,
            data       TEXT NOT NULL                -- JSON: Flag.to_dict()
        );
        CREATE INDEX recon_flags_cluster ON recon_flags(cluster_id, ord);
        CREATE INDEX recon_flags_pair ON recon_flags(pair, ord);
        CREATE INDEX recon_flags_ord ON recon_flags(ord);
        CREATE TABLE recon_changes (
            id           TEXT PRIMARY KEY,
            ord          TEXT NOT NULL,
            pair         TEXT NOT NULL,
            from_cluster TEXT NOT NULL,
            to_cluster   TEXT NOT NULL,
            data         TEXT NOT NULL              -- JSON: Change.to_dict()
        );
        CREATE INDEX recon_changes_pair ON recon_changes(pair);
        CREATE INDEX recon_changes_from ON recon_changes(from_cluster);
        CREATE INDEX recon_changes_to ON recon_changes(to_cluster);
        CREATE TABLE recon_series (
            id      TEXT PRIMARY KEY,
            ord     TEXT NOT NULL,
            pair    TEXT NOT NULL,
            flow    TEXT,
            product TEXT,
            unit    TEXT,
            data    TEXT NOT NULL                   -- JSON: Series.to_dict(), points included
        );
        CREATE INDEX recon_series_pair ON recon_series(pair, flow, product, ord);
        CREATE INDEX recon_series_ord ON recon_series(ord);
        CREATE TABLE recon_progress (
            series_id TEXT PRIMARY KEY,
            ord       TEXT NOT NULL,
            pair      TEXT NOT NULL,
            flow      TEXT,
            product   TEXT,
            unit      TEXT,
            data      TEXT NOT NULL                 -- JSON: Progress.to_dict()
        );
        CREATE INDEX recon_progress_pair ON recon_progress(pair, flow, product, ord);
        -- a pair's row of `karavan pairs` / the overview, and its latest figures, made when its block is redone
        CREATE TABLE recon_pairs (
            pair   TEXT PRIMARY KEY,
            data   TEXT,                            -- JSON: store_bridge.read_pairs row, or NULL
            latest TEXT                             -- JSON: serve.queries latest figures, or NULL
        );
        -- who meets (meeting clusters) and who speaks (claimants of other clusters), per block
        CREATE TABLE recon_people (
            name       TEXT NOT NULL,
            kind       TEXT NOT NULL,               -- meeting or statement
            ord        TEXT NOT NULL,               -- the cluster's
            cluster_id TEXT NOT NULL,
            pair       TEXT NOT NULL,
            PRIMARY KEY (name, kind, ord, cluster_id)
        ) WITHOUT ROWID;  -- key columns first (see fact_pairs)
        CREATE INDEX recon_people_pair ON recon_people(pair);
        """,
    ),
    (
        7,
        """
        -- Official statistics (karavan/official): figures imported from UN Comtrade's CSV layout or a national
        -- statistics table, each with its source, revision (or download) date and whether it is preliminary;
        -- every press trade fact's verdict against them; the promise ledger (karavan/promises) and the history
        -- of each promise's status. An import is one transaction: a bad file changes nothing.
        CREATE TABLE official_imports (
            id          INTEGER PRIMARY KEY,
            path        TEXT NOT NULL,
            format      TEXT NOT NULL,              -- comtrade, csv
            source      TEXT NOT NULL,              -- 'UN Comtrade', 'stat.gov.kz', ...
            sha256      TEXT NOT NULL,              -- of the file's bytes
            imported_at TEXT NOT NULL,              -- ISO time (UTC)
            summary     TEXT NOT NULL DEFAULT '{}'  -- JSON: rows read, figures stored, rows skipped by reason
        );
        CREATE TABLE official_figures (
            id          INTEGER PRIMARY KEY,
            source      TEXT NOT NULL,
            reporter    TEXT NOT NULL,              -- ISO 3166 alpha-2: whose statistics these are
            partner     TEXT NOT NULL,
            flow        TEXT NOT NULL,              -- export, import, turnover (as the reporter records it)
            product     TEXT NOT NULL,              -- FACTS.md product: total, agri, wheat, ...
            period      TEXT NOT NULL,              -- YYYY-MM/YYYY-MM
            value       REAL NOT NULL,
            unit        TEXT NOT NULL,              -- USD, t, ...
            preliminary INTEGER NOT NULL DEFAULT 0,
            revised     TEXT NOT NULL,              -- ISO date of the revision, else of the download
            import_id   INTEGER NOT NULL REFERENCES official_imports(id),
            line        INTEGER,                    -- line of the file it was read from
            UNIQUE (source, reporter, partner, flow, product, period, revised)
        );
        CREATE INDEX official_figures_pair ON official_figures(reporter, partner, product, flow);
        CREATE TABLE official_verdicts (
            fact_id  INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
            verdict  TEXT,                          -- official, mirror, neither, none; NULL: not comparable
            cause    TEXT,                          -- rounding, preliminary, period, flow, currency, mirror_gap, unexplained
            diff_pct REAL,
            pair     TEXT NOT NULL,                 -- countries sorted, joined by '-'
            basis    INTEGER NOT NULL,              -- max(official_imports.id) the verdict was computed against
            data     TEXT NOT NULL                  -- JSON: Verdict.to_dict()
        );
        CREATE INDEX official_verdicts_pair ON official_verdicts(pair, verdict);
        CREATE TABLE promises (
            id      TEXT PRIMARY KEY,               -- a hash of pair, flow, product, unit, level, deadline
            ord     INTEGER NOT NULL,
            pair    TEXT NOT NULL,
            flow    TEXT,
            product TEXT,
            status  TEXT NOT NULL,
            data    TEXT NOT NULL,                  -- JSON: Promise.to_dict()
            updated TEXT NOT NULL                   -- ISO time (UTC) of the refresh that wrote it
        );
        CREATE INDEX promises_pair ON promises(pair);
        CREATE TABLE promise_history (
            id         INTEGER PRIMARY KEY,
            promise_id TEXT NOT NULL,               -- promises.id (kept when the promise is gone)
            pair       TEXT NOT NULL,
            at         TEXT NOT NULL,               -- the date of the data that changed it (YYYY or YYYY-MM-DD)
            status     TEXT NOT NULL,
            previous   TEXT NOT NULL DEFAULT '',    -- the status before, '' for the first
            reason     TEXT NOT NULL,
            noticed    TEXT NOT NULL,               -- ISO time (UTC) karavan first recorded it
            current    INTEGER NOT NULL DEFAULT 1,  -- 0 when the data no longer gives this change (kept as history)
            UNIQUE (promise_id, at, status, previous)
        );
        CREATE INDEX promise_history_pair ON promise_history(pair, noticed);
        """,
    ),
    (
        8,
        """
        -- What reconciliation reads of a fact's quote (keys.Prepared: the interval its number stands for, its
        -- stated growths, whether it cites its own statistics), worked out when the fact is filed under its
        -- block, so that redoing a block does not scan its quotes again. NULL: work it out when read.
        ALTER TABLE recon_fact_blocks ADD COLUMN prep TEXT;
        """,
    ),
    (
        9,
        f"""
        -- Pages read in SQL (karavan/serve/paging.py): a fact's period on its pair and country rows, so that a
        -- period filter is read from those tables' own B-trees (their keys, then the period: no fact read
        -- to reject one), kept by the same trigger that files the rows; the orders lists are paged in.
        ALTER TABLE fact_pairs ADD COLUMN period TEXT;     -- facts.period, 'YYYY-MM/YYYY-MM' or NULL
        ALTER TABLE fact_countries ADD COLUMN period TEXT;
        UPDATE fact_pairs SET period = (SELECT period FROM facts WHERE id = fact_pairs.fact_id);
        UPDATE fact_countries SET period = (SELECT period FROM facts WHERE id = fact_countries.fact_id);
        DROP TRIGGER fact_index_insert;
        CREATE TRIGGER fact_index_insert AFTER INSERT ON facts BEGIN
{_fact_index_sql("new", period=True)}
        END;
        -- meetings newest first (undated last), as the meetings page and its CSV page them
        CREATE INDEX recon_clusters_recent ON recon_clusters(type, period IS NULL, coalesce(period, '') DESC, id, pair);
        -- the promise ledger in its order, of every pair or one
        CREATE INDEX promises_ord ON promises(ord);
        CREATE INDEX promises_pair_ord ON promises(pair, ord);
        -- documents newest ingested first (the feeds' newest discrepancies)
        CREATE INDEX documents_ingested ON documents(ingested_at);
        ANALYZE;
        """,
    ),
    (
        10,
        """
        -- Fact lists filtered without a pair or country (a period, language or type alone; serve's /facts and
        -- /api/facts): one narrow row a fact, in the newest-first order of the lists (its document's date, ''
        -- when undated, then the document's id and the fact's), with the columns those filters test, so that
        -- a list is read in its order from this table or one of its indexes and a fact is read only once it
        -- passed them. Kept by triggers on facts and documents.
        CREATE TABLE fact_recent (
            recency TEXT NOT NULL,                  -- documents.published, '' when undated
            doc_id  TEXT NOT NULL,
            fact_id INTEGER NOT NULL,
            type    TEXT,
            lang    TEXT,                           -- the fact's language, else its document's
            period  TEXT,                           -- facts.period
            PRIMARY KEY (recency, doc_id, fact_id)
        ) WITHOUT ROWID;
        CREATE INDEX fact_recent_fact ON fact_recent(fact_id, type, lang, period);  -- the API's id order
        CREATE INDEX fact_recent_type ON fact_recent(type, recency, doc_id, fact_id, lang, period);
        CREATE INDEX fact_recent_lang ON fact_recent(lang, recency, doc_id, fact_id, type, period);
        INSERT INTO fact_recent
            SELECT coalesce(d.published, ''), f.doc_id, f.id, f.type, coalesce(f.lang, d.lang), f.period
            FROM facts f LEFT JOIN documents d ON d.id = f.doc_id;
        CREATE TRIGGER fact_recent_insert AFTER INSERT ON facts BEGIN
            INSERT OR REPLACE INTO fact_recent SELECT coalesce(d.published, ''), new.doc_id, new.id, new.type,
                coalesce(new.lang, d.lang), new.period FROM (SELECT 1) LEFT JOIN documents d ON d.id = new.doc_id;
        END;
        CREATE TRIGGER fact_recent_delete AFTER DELETE ON facts BEGIN
            DELETE FROM fact_recent WHERE fact_id = old.id;
        END;
        CREATE TRIGGER fact_recent_update AFTER UPDATE OF doc_id, type, lang, period ON facts BEGIN
            DELETE FROM fact_recent WHERE fact_id = old.id;
            INSERT OR REPLACE INTO fact_recent SELECT coalesce(d.published, ''), new.doc_id, new.id, new.type,
                coalesce(new.lang, d.lang), new.period FROM (SELECT 1) LEFT JOIN documents d ON d.id = new.doc_id;
        END;
        CREATE TRIGGER fact_recent_document AFTER UPDATE OF id, published, lang ON documents BEGIN
            DELETE FROM fact_recent WHERE fact_id IN (SELECT id FROM facts WHERE doc_id IN (old.id, new.id));
            INSERT OR REPLACE INTO fact_recent SELECT coalesce(d.published, ''), f.doc_id, f.id, f.type,
                coalesce(f.lang, d.lang), f.period FROM facts f LEFT JOIN documents d ON d.id = f.doc_id
                WHERE f.doc_id IN (old.id, new.id);
        END;
        -- the promise ledger's status changes newest noticed first, of every pair (the Atom feed)
        CREATE INDEX promise_history_noticed ON promise_history(noticed, id);
        ANALYZE fact_recent;
        """,
    ),
    (
        11,
        """
        -- The statements a reconcile read of each block, kept for the next run (karavan/reconcile/block_stmts.py):
        -- a run that redoes a block for a few documents takes the others' statements from here and reads only
        -- the changed documents' facts. A cache: a run that finds a chunk missing or unreadable reads the facts.
        CREATE TABLE recon_block_stmts (
            block TEXT NOT NULL,                    -- keys.block_of
            chunk INTEGER NOT NULL,                 -- block_stmts.chunk_of(its documents' ids)
            data  BLOB NOT NULL,                    -- zlib-compressed marshal data (block_stmts.Chunk)
            PRIMARY KEY (block, chunk)
        );
        """,
    ),
    (
        12,
        """
        -- The ledger's last refresh time (official.store.stamp, part of every served page's cache key and of
        -- the exports' data stamp) read from an index: max(updated) scanned every promise's JSON (7.8 MB,
        -- 3 ms a request on the 100k store).
        CREATE INDEX promises_updated ON promises(updated);
        """,
    ),
    (
        13,
        """
        -- A cluster's head: its data with its first 8 sources only (reconcile/results_store.HEAD_SOURCES), NULL
        -- when it has no more. Pages that show a few sources of each cluster read these: a big pair's series
        -- read its clusters' whole data, up to 200 KB each, at every page (11 of its 37 ms on the 100k store).
        ALTER TABLE recon_clusters ADD COLUMN head TEXT;
        UPDATE recon_clusters SET head = json_set(data, '$.evidence', (
            SELECT json_group_array(json(value)) FROM (
                SELECT value FROM json_each(recon_clusters.data, '$.evidence') ORDER BY key LIMIT 8)))
        WHERE json_array_length(data, '$.evidence') > 8;
        """,
    ),
    (
        14,
        """
        -- A page of facts reads their clusters' flag codes (export.fact_flags) from an index alone, in its order:
        -- KZ-RU's 500 facts have 2,598 flags, each read from the table and sorted in a temporary B-tree (6.1 ms;
        -- 1.4 ms from here). The index it replaces was its prefix.
        CREATE INDEX recon_flags_cluster_code ON recon_flags(cluster_id, ord, code);
        DROP INDEX recon_flags_cluster;
        """,
    ),
    (
        15,
        """
        -- A discrepancy's head: its data without its sides' documents and quotes
        -- (reconcile/results_store.discrepancy_head). The lists and feeds show each side by its cluster's first
        -- sources, and read these: a big pair's discrepancies carry up to 70 kB of quotes each.
        ALTER TABLE recon_discrepancies ADD COLUMN head TEXT;
        UPDATE recon_discrepancies SET head = json_set(data, '$.sides', (
            SELECT json_group_array(json_remove(s.value, '$.docs', '$.quotes'))
            FROM json_each(recon_discrepancies.data, '$.sides') s));
        """,
    ),
    (
        16,
        """
        -- A cluster's first fact (the smallest ord) read from an index alone: a person's timeline takes each
        -- of their clusters' first fact (serve/lists.TIMELINE_ROWS), read from the table and sorted in a
        -- temporary B-tree for each of Tokayev's 3,324 meetings (10 of the query's 17 ms on the 100k store).
        -- The index it replaces was its prefix; fact_id is the rowid, so in the index too.
        CREATE INDEX recon_cluster_facts_cluster_ord ON recon_cluster_facts(cluster_id, ord);
        DROP INDEX recon_cluster_facts_cluster;
        """,
    ),
    (
        17,
        """
        -- A meeting's period beside its people (NULL for a statement): a person's timeline sorts their meetings
        -- by it, and read it from each meeting's cluster row (3.3 of the query's 6.6 ms for Tokayev's 3,324
        -- meetings on the 100k store). Written with the block's rows (reconcile/results_store._people_rows).
        ALTER TABLE recon_people ADD COLUMN period TEXT;
        UPDATE recon_people SET period = (SELECT c.period FROM recon_clusters c WHERE c.id = recon_people.cluster_id)
        WHERE kind = 'meeting';
        """,
    ),
    (
        18,
        """
        -- A promise's head: the promise as the lists show it (promises/heads.promise_head: its first 3
        -- restatements, each shown statement's first 3 sources, their counts, no history). The lists and feeds
        -- read these: a big pair's promise holds hundreds of restatements, up to 400 kB of JSON each.
        -- Filled here for the promises whose restatements are a list (every one Promise.to_dict writes); a
        -- NULL head is read from the data as before.
        ALTER TABLE promises ADD COLUMN head TEXT;
        UPDATE promises SET head = json_set(
            CASE WHEN json_type(data, '$.declared') = 'object' THEN json_set(
                json_remove(data, '$.restatements', '$.history'), '$.declared', json(json_set(
                    json_extract(data, '$.declared'),
                    '$.n_sources', coalesce(json_array_length(data, '$.declared.sources'), 0),
                    '$.sources', json((SELECT json_group_array(json(value)) FROM (
                        SELECT value FROM json_each(data, '$.declared.sources') ORDER BY key LIMIT 3))))))
            ELSE json_remove(data, '$.restatements', '$.history') END,
            '$.restatements', json((SELECT json_group_array(json(json_set(r.value,
                '$.n_sources', coalesce(json_array_length(r.value, '$.sources'), 0),
                '$.sources', json((SELECT json_group_array(json(value)) FROM (
                    SELECT value FROM json_each(r.value, '$.sources') ORDER BY key LIMIT 3))))))
                FROM (SELECT value FROM json_each(data, '$.restatements') ORDER BY key LIMIT 3) r)),
            '$.n_restatements', json_array_length(data, '$.restatements'))
        WHERE json_type(data, '$.restatements') = 'array';
        """,
    ),
    (
        19,
        """
        -- A pair's or a country's facts newest first with their period in the index: a list filtered by a
        -- period (a pair's page, /facts, /api/facts) tested each row's period in the table, a look-up a row
        -- (KZ-RU's 26,569 rows: 8.6 ms for a period none has, 1.2 ms from here). The indexes they replace
        -- were their prefixes.
        CREATE INDEX fact_pairs_recent_period ON fact_pairs(pair, recency, doc_id, fact_id, period);
        DROP INDEX fact_pairs_recent;
        CREATE INDEX fact_countries_recent_period ON fact_countries(country, recency, doc_id, fact_id, period);
        DROP INDEX fact_countries_recent;
        ANALYZE fact_pairs;
        ANALYZE fact_countries;
        """,
    ),
    (
        20,
        """
        -- The quote filter's index (karavan/store/quote_grams.py): each fact's quote folded by kv_fold (Python's
        -- full case folding, registered on every connection the store opens) as trigrams, so that a filter that
        -- matches few facts reads its candidates here instead of folding every quote it walks past. Stores its
        -- text (with the index 25 MB for 100k facts), so a fact is taken out by its id alone: a document
        -- deleted from any SQLite shell cascades here without kv_fold.
        CREATE VIRTUAL TABLE fact_quote_grams USING fts5(
            folded, tokenize='trigram case_sensitive 1', detail=none
        );
        CREATE TRIGGER fact_quote_grams_insert AFTER INSERT ON facts WHEN new.quote IS NOT NULL BEGIN
            INSERT INTO fact_quote_grams(rowid, folded) VALUES (new.id, kv_fold(new.quote));
        END;
        CREATE TRIGGER fact_quote_grams_delete AFTER DELETE ON facts WHEN old.quote IS NOT NULL BEGIN
            DELETE FROM fact_quote_grams WHERE rowid = old.id;
        END;
        CREATE TRIGGER fact_quote_grams_update AFTER UPDATE OF id, quote ON facts BEGIN
            DELETE FROM fact_quote_grams WHERE rowid = old.id;
            INSERT INTO fact_quote_grams(rowid, folded) SELECT new.id, kv_fold(new.quote) WHERE new.quote IS NOT NULL;
        END;
        INSERT INTO fact_quote_grams(rowid, folded) SELECT id, kv_fold(quote) FROM facts WHERE quote IS NOT NULL;
        """,
    ),
    (
        21,
        """
        -- What a promise's CSV row reads of its restatements (promises/heads.restated_cells): each one's date and
        -- documents, [[date, [doc, ...]], ...]. The ledger's CSV cut them from the data at every page: a big
        -- pair's promise holds hundreds of restatements, up to 400 kB of JSON, for a few kB of cells. Filled
        -- here for the promises whose restatements are a list; a NULL is cut from the data as before.
        ALTER TABLE promises ADD COLUMN restated TEXT;
        UPDATE promises SET restated = (
            SELECT json_group_array(json_array(json_extract(r.value, '$.date'), json_extract(r.value, '$.docs')))
            FROM (SELECT value FROM json_each(data, '$.restatements') ORDER BY key) r)
        WHERE json_type(data, '$.restatements') = 'array';
        -- ... and its current status changes by date (serve/lists.current_changes), read in one index: a big
        -- pair's promise has hundreds of changes, most no longer current.
        CREATE INDEX promise_history_current ON promise_history(promise_id, current, at, id, status);
        """,
    ),
    (
        22,
        """
        -- How many facts each pair has, in fact_values as the countries' are (field 'pair', the pair as
        -- fact_pairs keys it), kept by triggers on fact_pairs: a pair's list with a type or language filter
        -- is read down the shorter list (serve/queries.down_narrow), which counted the pair's rows each time
        -- (KZ-RU's agreements: 18,525 rows counted on every render of its page).
        CREATE TRIGGER fact_pairs_counted AFTER INSERT ON fact_pairs BEGIN
            INSERT INTO fact_values VALUES ('pair', new.pair, 1) ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER fact_pairs_uncounted AFTER DELETE ON fact_pairs BEGIN
            UPDATE fact_values SET n = n - 1 WHERE field = 'pair' AND value = old.pair;
            DELETE FROM fact_values WHERE field = 'pair' AND value = old.pair AND n <= 0;
        END;
        CREATE TRIGGER fact_pairs_recounted AFTER UPDATE OF pair ON fact_pairs BEGIN
            UPDATE fact_values SET n = n - 1 WHERE field = 'pair' AND value = old.pair;
            DELETE FROM fact_values WHERE field = 'pair' AND value = old.pair AND n <= 0;
            INSERT INTO fact_values VALUES ('pair', new.pair, 1) ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        INSERT INTO fact_values (field, value, n) SELECT 'pair', pair, count(*) FROM fact_pairs GROUP BY pair;
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
