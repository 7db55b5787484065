"""The watch's memory in the store (migration 3): sources and their counters, every URL seen, raw pages.

An article URL moves pending -> fetched -> done (or duplicate, failed, skipped), each step one
transaction. `fetched` is written together with the raw page, before the document is ingested, so
after a kill -9 at any point a URL is either still pending (its response never stored: it is fetched
again) or its page is in raw_pages (it is ingested from there, never fetched again). Ingest skips a
document stored already, so replaying a `fetched` row is harmless.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from karavan.store import Store
from karavan.watch.config import SourceSpec
from karavan.watch.discover import Entry
from karavan.watch.errors import FetchError
from karavan.watch.fetch import now_iso
from karavan.watch.page import Hint, Page

COUNTERS = ("polls", "not_modified", "found", "fetched", "docs", "duplicates", "errors")


@dataclass(slots=True)
class Pending:
    url: str
    source: str
    hint: Hint
    attempts: int


class WatchState:
    """Reads and writes the watch tables through one Store (one connection, the caller's thread)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- sources -------------------------------------------------------------------------------------

    def sync_sources(self, specs: Iterable[SourceSpec]) -> None:
        """Insert or update each configured source (its counters are kept)."""
        with self.tx() as c:
            for s in specs:
                c.execute(
                    "INSERT INTO watch_sources (name, kind, url, lang, interval_s) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, url = excluded.url, "
                    "lang = excluded.lang, interval_s = excluded.interval_s",
                    (s.name, s.kind, s.url, s.lang, s.interval),
                )

    def last_poll(self, name: str) -> str | None:
        row = self.conn.execute("SELECT last_poll FROM watch_sources WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def source_rows(self) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self.conn.execute("SELECT * FROM watch_sources ORDER BY name")]
        for r in rows:
            r["error_kinds"] = json.loads(r["error_kinds"] or "{}")
        return rows

    def bump(self, name: str, error: FetchError | None = None, success: bool = False, **counts: int) -> None:
        """Add to a source's counters; an error also sets its last error and counts its kind."""
        sets = [f"{k} = {k} + ?" for k in counts if k in COUNTERS]
        args: list[Any] = [int(v) for k, v in counts.items() if k in COUNTERS]
        when = now_iso()
        if success:
            sets.append("last_success = ?")
            args.append(when)
        with self.tx() as c:
            if error is not None:
                row = c.execute("SELECT error_kinds FROM watch_sources WHERE name = ?", (name,)).fetchone()
                kinds = json.loads(row[0]) if row else {}
                kinds[error.kind] = kinds.get(error.kind, 0) + 1
                sets += ["errors = errors + 1", "last_error = ?", "last_error_at = ?", "error_kinds = ?"]
                args += [str(error), when, json.dumps(kinds, sort_keys=True)]
            if sets:
                c.execute(f"UPDATE watch_sources SET {', '.join(sets)} WHERE name = ?", (*args, name))

    def start_poll(self, name: str) -> None:
        with self.tx() as c:
            c.execute(
                "UPDATE watch_sources SET last_poll = ?, polls = polls + 1 WHERE name = ?", (now_iso(), name)
            )

    # -- index URLs (feeds, sitemaps, listing pages) ------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(ETag, Last-Modified, sitemap lastmod) of an index URL's last 200."""
        row = self.conn.execute(
            "SELECT etag, last_modified, lastmod FROM watch_urls WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def index_polled(
        self,
        source: str,
        url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        lastmod: str | None,
        entries: list[Entry],
        since: str | None,
    ) -> tuple[int, int]:
        """Record an index response and its entries as pending articles, in one transaction.
        (new URLs, of which already known as another URL's canonical address)."""
        when = now_iso()
        new = dup = 0
        with self.tx() as c:
            c.execute(
                "INSERT INTO watch_urls (url, source, role, state, discovered, checked, status, etag, "
                "last_modified, lastmod) VALUES (?, ?, 'index', 'ok', ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET state = 'ok', checked = excluded.checked, status = excluded.status,"
                " error = NULL, etag = coalesce(excluded.etag, etag),"
                " last_modified = coalesce(excluded.last_modified, last_modified),"
                " lastmod = coalesce(excluded.lastmod, lastmod)",
                (url, source, when, when, status, etag, last_modified, lastmod),
            )
            for e in entries:
                day = e.published or e.lastmod
                if since and day and day < since:
                    continue
                if c.execute("SELECT 1 FROM watch_urls WHERE url = ?", (e.url,)).fetchone():
                    continue
                known = self.doc_at(e.url)
                state = "duplicate" if known else "pending"
                c.execute(
                    "INSERT INTO watch_urls (url, source, role, state, discovered, published, title, lastmod, "
                    "doc_id, canonical) VALUES (?, ?, 'article', ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e.url,
                        source,
                        state,
                        when,
                        e.published,
                        e.title,
                        e.lastmod,
                        known,
                        e.url if known else None,
                    ),
                )
                new += 1
                dup += known is not None
        return new, dup

    def index_failed(self, source: str, url: str, error: FetchError) -> None:
        when = now_iso()
        with self.tx() as c:
            c.execute(
                "INSERT INTO watch_urls (url, source, role, state, discovered, checked, error) "
                "VALUES (?, ?, 'index', 'error', ?, ?, ?) ON CONFLICT(url) DO UPDATE SET state = 'error', "
                "checked = excluded.checked, error = excluded.error",
                (url, source, when, when, str(error)),
            )

    # -- articles ----------------------------------------------------------------------------------------

    def doc_at(self, url: str) -> str | None:
        """The document whose canonical URL (or a fetched article's) is `url`, if any."""
        row = self.conn.execute("SELECT id FROM documents WHERE url = ? LIMIT 1", (url,)).fetchone()
        if row:
            return str(row[0])
        row = self.conn.execute(
            "SELECT doc_id FROM watch_urls WHERE canonical = ? AND doc_id IS NOT NULL LIMIT 1", (url,)
        ).fetchone()
        return str(row[0]) if row else None

    def pending(self, source: str, limit: int) -> list[Pending]:
        rows = self.conn.execute(
            "SELECT url, source, published, title, attempts FROM watch_urls "
            "WHERE role = 'article' AND state = 'pending' AND source = ? ORDER BY discovered, url LIMIT ?",
            (source, limit),
        ).fetchall()
        return [Pending(r[0], r[1], Hint(r[2], r[3], None, r[1]), r[4]) for r in rows]

    def fetched(self, limit: int = 50) -> list[tuple[Pending, Page]]:
        """Up to `limit` articles fetched (their page kept) but not yet recorded as ingested: left by a stop or
        a kill. Ingesting them changes their state, so calling again gives the next ones."""
        out = []
        for r in self.conn.execute(
            "SELECT u.url, u.source, u.published, u.title, u.attempts, u.final_url, p.fetched_at,"
            " p.content_type, p.body, p.sha256 FROM watch_urls u JOIN raw_pages p ON p.sha256 = u.raw_sha256"
            " WHERE u.role = 'article' AND u.state = 'fetched' ORDER BY u.checked, u.url LIMIT ?",
            (limit,),
        ).fetchall():
            page = Page(zlib.decompress(r[8]), r[0], r[5] or r[0], r[6], r[7], r[9])
            out.append((Pending(r[0], r[1], Hint(r[2], r[3], None, r[1]), r[4]), page))
        return out

    def save_page(self, page: Page, c: sqlite3.Connection | None = None) -> None:
        """Keep the raw bytes of a page by their hash (once, however many URLs serve them)."""
        args = (
            page.sha256,
            page.final_url,
            page.fetched_at,
            page.content_type,
            len(page.body),
            zlib.compress(page.body, 6),
        )
        sql = "INSERT OR IGNORE INTO raw_pages (sha256, url, fetched_at, content_type, size, body) VALUES (?, ?, ?, ?, ?, ?)"
        if c is not None:
            c.execute(sql, args)
        else:
            with self.tx() as t:
                t.execute(sql, args)

    def article_fetched(self, url: str, page: Page, status: int, attempts: int) -> str | None:
        """Keep the page and mark the URL fetched, in one transaction; the document another URL with the
        same raw bytes became, if any."""
        with self.tx() as c:
            self.save_page(page, c)
            c.execute(
                "UPDATE watch_urls SET state = 'fetched', raw_sha256 = ?, final_url = ?, status = ?, checked = ?,"
                " attempts = attempts + ?, error = NULL WHERE url = ?",
                (page.sha256, page.final_url, status, page.fetched_at, attempts, url),
            )
            row = c.execute(
                "SELECT doc_id FROM watch_urls WHERE raw_sha256 = ? AND url != ? AND doc_id IS NOT NULL LIMIT 1",
                (page.sha256, url),
            ).fetchone()
        return str(row[0]) if row else None

    def article_done(self, url: str, state: str, doc_id: str | None, canonical: str | None) -> None:
        with self.tx() as c:
            c.execute(
                "UPDATE watch_urls SET state = ?, doc_id = ?, canonical = ? WHERE url = ?",
                (state, doc_id, canonical, url),
            )

    def article_failed(self, url: str, error: FetchError, max_attempts: int, attempts: int = 1) -> str:
        """Count a failed fetch; the URL stays pending for a later round unless the error is final or it has
        been tried `max_attempts` times. The state it is left in."""
        with self.tx() as c:
            row = c.execute("SELECT attempts FROM watch_urls WHERE url = ?", (url,)).fetchone()
            tried = (row[0] if row else 0) + attempts
            state = (
                "skipped"
                if error.kind == "robots"
                else "pending"
                if error.retry and tried < max_attempts
                else "failed"
            )
            c.execute(
                "UPDATE watch_urls SET state = ?, attempts = ?, error = ?, checked = ?,"
                " status = coalesce(?, status) WHERE url = ?",
                (state, tried, str(error), now_iso(), getattr(error, "status", None), url),
            )
        return state

    def duplicate_text(self, sha256: str, doc_id: str) -> str | None:
        """Another stored document with exactly this text."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE sha256 = ? AND id != ? LIMIT 1", (sha256, doc_id)
        ).fetchone()
        return str(row[0]) if row else None

    def record_round(self, started: str, seconds: float, summary: dict[str, Any]) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO watch_rounds (started, seconds, summary) VALUES (?, ?, ?)",
                (started, seconds, json.dumps(summary, sort_keys=True)),
            )

    def counts(self) -> dict[str, int]:
        """URLs by state (articles), for the summary and the sources page."""
        return dict(
            self.conn.execute(
                "SELECT state, count(*) FROM watch_urls WHERE role = 'article' GROUP BY state"
            ).fetchall()
        )
