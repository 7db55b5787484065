"""`karavan watch`: rounds of polling, fetching and ingesting, until stopped (or once, for cron).

A round: pages fetched but not ingested when the last run stopped are ingested from the kept raw bytes;
every source that is due is polled (its feed, sitemap with the child sitemaps that changed, or listing
page: a conditional GET); then the pending article URLs of every source are fetched, at most
`max_per_round` a source, and ingested as they arrive. Fetching runs in threads (`workers`, with the
per-host limits of karavan.watch.fetch); the pipeline and every store write run in this thread, each
write its own transaction. Reconciliation runs after every `batch` new documents and at the end of
the round. Each source gets a progress line when its part of the round is done; the round a summary.

Ctrl-C or SIGTERM: no new request starts, requests in flight are abandoned, pages already received are
kept (raw) for the next run, and the document being processed is finished. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import logging
import queue
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from karavan.api import IngestReport, Process
from karavan.errors import KaravanError
from karavan.store import Store, open_store
from karavan.watch.config import Sources, SourceSpec
from karavan.watch.discover import Found, read_feed, read_listing, read_sitemap
from karavan.watch.errors import FetchError
from karavan.watch.fetch import Fetcher, Response, Stopped, now_iso
from karavan.watch.ingest import DuplicatePage, Outcome, PageBatch, ingest_pages
from karavan.watch.page import Page
from karavan.watch.state import Pending, WatchState
from karavan.watch.urls import host_key

log = logging.getLogger("karavan.watch")
log.addHandler(logging.NullHandler())  # every line is printed by the Watcher; the log is for --log FILE

MAX_SITEMAP_DEPTH = 2  # an index, its sitemaps; nothing deeper
INGEST_EVERY = 8  # documents handed to the pipeline at once while more arrive


@dataclass(slots=True)
class SourceRound:
    """One source's part of one round."""

    spec: SourceSpec
    polled: bool = False
    began: float = field(default_factory=time.monotonic)
    indexes: int = 0  # index fetches outstanding
    articles: int = 0  # article fetches outstanding (and fetched pages not yet ingested)
    scheduled: bool = False
    printed: bool = False
    status: str = ""
    entries: int = 0
    new: int = 0
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    errors: int = 0
    not_modified: int = 0
    failed: bool = False

    @property
    def finished(self) -> bool:
        return self.scheduled and self.indexes == 0 and self.articles == 0


@dataclass(slots=True)
class IndexJob:
    source: str
    url: str
    depth: int
    lastmod: str | None = None  # the lastmod its index gave it


@dataclass(slots=True)
class IndexDone:
    job: IndexJob
    response: Response | None
    found: Found | None
    error: FetchError | None


@dataclass(slots=True)
class ArticleDone:
    pending: Pending
    response: Response | None
    error: FetchError | None


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_due(last_poll: str | None, interval: float, now: datetime) -> bool:
    """Due when never polled, or when `interval` has passed (less a little slack, so a cron job run every
    `interval` is not skipped for a second of jitter)."""
    if last_poll is None:
        return True
    try:
        then = datetime.fromisoformat(last_poll)
    except ValueError:
        return True
    slack = min(60.0, interval * 0.1)
    return (now - then).total_seconds() >= interval - slack


def next_due(last_poll: str | None, interval: float, now: datetime) -> float:
    """Seconds until a source is due."""
    if last_poll is None:
        return 0.0
    try:
        then = datetime.fromisoformat(last_poll)
    except ValueError:
        return 0.0
    slack = min(60.0, interval * 0.1)
    return max(0.0, interval - slack - (now - then).total_seconds())


class Dispatcher:
    """Jobs into a thread pool, at most `per_host` of one host running at once; results into one queue."""

    def __init__(self, workers: int, per_host: int) -> None:
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="karavan-watch")
        self.per_host = per_host
        self.waiting: dict[str, deque[tuple[Callable[[], Any]]]] = {}
        self.running: Counter[str] = Counter()
        self.results: queue.Queue[tuple[str, Future[Any]]] = queue.Queue()

    def submit(self, host: str, job: Callable[[], Any]) -> None:
        self.waiting.setdefault(host, deque()).append((job,))
        self._pump(host)

    def _pump(self, host: str) -> None:
        waiting = self.waiting.get(host)
        while waiting and self.running[host] < self.per_host:
            (job,) = waiting.popleft()
            self.running[host] += 1
            future = self.pool.submit(job)
            future.add_done_callback(lambda f, h=host: self.results.put((h, f)))

    def next(self, timeout: float) -> Any:
        """The next finished job's result (None on timeout); frees its host's slot."""
        try:
            host, future = self.results.get(timeout=timeout)
        except queue.Empty:
            return None
        self.running[host] -= 1
        self._pump(host)
        return future.result()

    @property
    def busy(self) -> int:
        return sum(self.running.values()) + sum(len(w) for w in self.waiting.values())

    def drop_waiting(self) -> None:
        self.waiting.clear()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Watcher:
    """Follows the sources of a SOURCES.toml into the store at `db`."""

    def __init__(
        self,
        sources: Sources,
        db: str | Path,
        out: TextIO | None = None,
        err: TextIO | None = None,
        quiet: bool = False,
        process: Process | None = None,
    ) -> None:
        self.config = sources
        self.settings = sources.settings
        self.db = str(db)
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet = quiet
        self.process = process
        self.stop = threading.Event()
        self.abort = threading.Event()  # this round's requests: set on stop, and when the round ends
        self.interrupted = False  # by Ctrl-C (exit 130) rather than SIGTERM (exit 0)
        self.rounds = 0

    # -- output -----------------------------------------------------------------------------------------

    def say(self, line: str) -> None:
        log.info("%s", line)
        if not self.quiet:
            print(f"karavan watch: {line}", file=self.out, flush=True)

    def summary(self, line: str) -> None:
        log.info("%s", line)
        print(f"karavan watch: {line}", file=self.out, flush=True)

    def problem(self, source: str | None, e: KaravanError) -> None:
        level = "warning" if e.warning else "error"
        (log.warning if e.warning else log.error)("[%s] %s", source or "-", e)
        print(
            f"karavan: {level}: [{source}] {e}" if source else f"karavan: {level}: {e}",
            file=self.err,
            flush=True,
        )

    # -- signals ----------------------------------------------------------------------------------------

    @contextmanager
    def signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_signal(signum: int, frame: object) -> None:
            if self.stop.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            if signum == signal.SIGINT:
                self.interrupted = True
            if not self.stop.is_set():
                name = "Ctrl-C" if signum == signal.SIGINT else "SIGTERM"
                print(f"karavan watch: {name}: stopping (pages received are kept; Ctrl-C again to stop at once)",
                      file=self.err, flush=True)  # fmt: skip
            self.stop.set()
            self.abort.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    # -- the loop ---------------------------------------------------------------------------------------

    def run(self, once: bool = False) -> int:
        """Rounds until stopped (or one, with `once`); the exit status."""
        if not self.config.sources:
            raise KaravanError(
                "no sources: every [[source]] is missing or commented out; uncomment or add some",
                self.config.path,
            )
        failed_all = False
        with self.signals(), open_store(self.db) as store:
            state = WatchState(store)
            state.sync_sources(self.config.sources)
            while not self.stop.is_set():
                now = utc_now()
                due = [s for s in self.config.sources if is_due(state.last_poll(s.name), s.interval, now)]
                if due or self.rounds == 0:
                    summary = self.round(store, due)
                    failed_all = bool(due) and summary["failed_sources"] == len(due)
                if once:
                    if not due:
                        wait = min(
                            next_due(state.last_poll(s.name), s.interval, utc_now())
                            for s in self.config.sources
                        )
                        self.summary(f"no source is due; the next one is in {wait:.0f} s")
                    break
                wait = min(
                    next_due(state.last_poll(s.name), s.interval, utc_now()) for s in self.config.sources
                )
                if not self.quiet:
                    self.say(f"next round in {wait:.0f} s")
                self.stop.wait(max(1.0, wait))
        if self.stop.is_set():
            self.summary("stopped; run the same command again to go on where it stopped")
            return 130 if self.interrupted else 0
        return 1 if failed_all else 0

    def round(self, store: Store, due: list[SourceSpec]) -> dict[str, Any]:
        """One round over the due sources (and every source's pending URLs); its summary."""
        self.rounds += 1
        began = time.monotonic()
        started = now_iso()
        state = WatchState(store)
        result = IngestReport()
        self.new_docs = 0
        self.result = result
        parts = {s.name: SourceRound(s) for s in self.config.sources}
        self.abort = threading.Event()
        if self.stop.is_set():
            self.abort.set()
        fetcher = Fetcher(self.settings, self.abort)
        jobs = Dispatcher(self.settings.workers, self.settings.per_host_connections)
        try:
            self.resume(store, state, parts)
            for spec in due:
                part = parts[spec.name]
                part.polled = True
                state.start_poll(spec.name)
                self.poll(jobs, fetcher, state, part, IndexJob(spec.name, spec.url, 0))
            for part in parts.values():
                if not part.polled:
                    self.schedule(jobs, fetcher, state, part)
            ready = PageBatch()
            while (jobs.busy or len(ready)) and not self.stop.is_set():
                event = jobs.next(timeout=0.05 if len(ready) else 0.5)
                while event is not None:
                    self.handle(event, jobs, fetcher, state, parts, ready)
                    if len(ready) >= INGEST_EVERY:
                        break
                    event = jobs.next(timeout=0)
                if len(ready):
                    self.ingest(store, state, parts, ready)
                    ready = PageBatch()
                self.print_finished(parts)
            if self.stop.is_set():
                self.keep_received(jobs, state, parts, ready)
        finally:
            self.stop_fetching(jobs, fetcher)
        if self.new_docs:
            self.reconcile(store)
        self.print_finished(parts, force=True)
        return self.round_summary(state, store, parts, started, time.monotonic() - began)

    # -- polling ----------------------------------------------------------------------------------------

    def poll(
        self, jobs: Dispatcher, fetcher: Fetcher, state: WatchState, part: SourceRound, job: IndexJob
    ) -> None:
        etag, last_modified, _ = state.validators(job.url)
        spec = part.spec
        limit = self.settings.max_bytes

        def work() -> IndexDone:
            try:
                response = fetcher.get(job.url, etag=etag, last_modified=last_modified)
            except FetchError as e:
                return IndexDone(job, None, None, e)
            except Exception as e:  # a bug must cost one source its round, never the watch
                return IndexDone(job, None, None, unexpected(e, job.url))
            if response.not_modified:
                return IndexDone(job, response, None, None)
            try:
                if spec.kind == "feed":
                    found = read_feed(
                        response.body, response.headers.get("content-type", ""), response.final_url
                    )
                elif spec.kind == "sitemap":
                    found = read_sitemap(response.body, response.final_url, limit)
                else:
                    found = read_listing(
                        response.body,
                        response.headers.get("content-type", ""),
                        response.final_url,
                        spec.match,
                    )
            except FetchError as e:
                return IndexDone(job, response, None, e)
            except Exception as e:
                return IndexDone(job, response, None, unexpected(e, response.final_url))
            return IndexDone(job, response, found, None)

        part.indexes += 1
        jobs.submit(host_key(job.url), work)

    def schedule(self, jobs: Dispatcher, fetcher: Fetcher, state: WatchState, part: SourceRound) -> None:
        """Fetch the source's pending article URLs (once its index polls are done)."""
        part.scheduled = True
        for pending in state.pending(part.spec.name, part.spec.max_per_round):

            def work(p: Pending = pending) -> ArticleDone:
                try:
                    return ArticleDone(p, fetcher.get(p.url), None)
                except FetchError as e:
                    return ArticleDone(p, None, e)
                except Exception as e:
                    return ArticleDone(p, None, unexpected(e, p.url))

            part.articles += 1
            jobs.submit(host_key(pending.url), work)

    def handle(
        self,
        event: IndexDone | ArticleDone,
        jobs: Dispatcher,
        fetcher: Fetcher,
        state: WatchState,
        parts: dict[str, SourceRound],
        ready: PageBatch,
    ) -> None:
        if isinstance(event, IndexDone):
            self.index_done(event, jobs, fetcher, state, parts[event.job.source])
        else:
            self.article_done(event, state, parts[event.pending.source], ready)

    def index_done(
        self, event: IndexDone, jobs: Dispatcher, fetcher: Fetcher, state: WatchState, part: SourceRound
    ) -> None:
        job, spec = event.job, part.spec
        part.indexes -= 1
        if isinstance(event.error, Stopped):
            pass
        elif event.error is not None:
            part.errors += 1
            part.failed = part.failed or job.depth == 0
            part.status = part.status or f"{spec.kind} failed ({event.error.kind})"
            state.index_failed(spec.name, job.url, event.error)
            state.bump(spec.name, error=event.error)
            self.problem(spec.name, event.error)
        elif event.response is not None and event.response.not_modified:
            part.not_modified += 1
            state.index_polled(spec.name, job.url, 304, None, None, job.lastmod, [], spec.since)
            state.bump(spec.name, success=True, not_modified=1)
            if job.depth == 0:
                part.status = f"{spec.kind} not modified (304)"
        elif event.response is not None and event.found is not None:
            r, found = event.response, event.found
            new, dup = state.index_polled(
                spec.name, job.url, r.status, r.headers.get("etag"), r.headers.get("last-modified"),
                job.lastmod, found.entries, spec.since,
            )  # fmt: skip
            part.entries += len(found.entries)
            part.new += new
            part.duplicates += dup
            state.bump(spec.name, success=True, found=new, duplicates=dup)
            if job.depth == 0:
                size = f"{len(found.children)} sitemaps" if found.children else f"{len(found.entries)} links"
                part.status = f"{found.kind} {r.status}: {size}"
            self.follow_children(found, job, jobs, fetcher, state, part)
        if part.indexes == 0 and not part.scheduled and not self.stop.is_set():
            self.schedule(jobs, fetcher, state, part)

    def follow_children(
        self,
        found: Found,
        job: IndexJob,
        jobs: Dispatcher,
        fetcher: Fetcher,
        state: WatchState,
        part: SourceRound,
    ) -> None:
        """Poll the child sitemaps of an index that are new or changed (by lastmod), newest first."""
        if not found.children or job.depth + 1 >= MAX_SITEMAP_DEPTH + 1:
            return
        since = part.spec.since
        children = sorted(found.children, key=lambda c: c.lastmod or "9999", reverse=True)
        polled = 0
        for child in children:
            if since and child.lastmod and child.lastmod < since:
                continue
            _, _, seen_lastmod = state.validators(child.url)
            if child.lastmod and seen_lastmod and child.lastmod <= seen_lastmod:
                part.not_modified += 1
                continue
            if polled >= self.settings.max_sitemaps:
                break
            polled += 1
            self.poll(
                jobs, fetcher, state, part, IndexJob(job.source, child.url, job.depth + 1, child.lastmod)
            )

    def article_done(
        self, event: ArticleDone, state: WatchState, part: SourceRound, ready: PageBatch
    ) -> None:
        p = event.pending
        if isinstance(event.error, Stopped):
            part.articles -= 1
            return
        if event.error is not None or event.response is None:
            error = event.error or FetchError("no response", p.url)
            part.articles -= 1
            part.errors += 1
            state.article_failed(p.url, error, self.settings.max_attempts)
            state.bump(part.spec.name, error=error)
            self.problem(part.spec.name, error)
            return
        r = event.response
        page = Page(r.body, p.url, r.final_url, r.fetched_at, r.headers.get("content-type", ""))
        same = state.article_fetched(p.url, page, r.status, r.attempts)
        part.fetched += 1
        state.bump(part.spec.name, fetched=1)
        if same is not None:
            part.articles -= 1
            part.duplicates += 1
            state.article_done(p.url, "duplicate", same, None)
            state.bump(part.spec.name, duplicates=1)
            self.problem(
                part.spec.name, DuplicatePage(f"the same page as document {same!r}; not stored again", p.url)
            )
            return
        ready.add(p.url, page, p.hint)

    # -- ingest -------------------------------------------------------------------------------------------

    def ingest(
        self, store: Store, state: WatchState, parts: dict[str, SourceRound], batch: PageBatch
    ) -> None:
        sources: dict[str, str | None] = {}
        for key, page, hint in batch.items:
            sources[key] = sources[page.final_url] = hint.source if hint is not None else None
            if hint is not None and hint.lang is None and hint.source in parts:
                hint.lang = parts[hint.source].spec.lang

        def report(problem: KaravanError) -> None:
            self.result.count(problem)
            self.problem(sources.get(problem.path or ""), problem)

        outcomes = ingest_pages(store, batch, report, self.result, self.process)
        for outcome in outcomes:
            self.record(state, parts, sources.get(outcome.key), outcome)
        if self.result.interrupted:
            self.interrupted = True
            self.stop.set()
        if self.new_docs >= self.settings.batch:
            self.reconcile(store)

    def record(
        self, state: WatchState, parts: dict[str, SourceRound], source: str | None, o: Outcome
    ) -> None:
        part = parts.get(source or "")
        if part is not None:
            part.articles -= 1
        if o.state == "interrupted":
            return
        if o.state in ("stored", "done"):
            state.article_done(o.key, "done", o.doc_id, o.canonical)
            if o.state == "stored":
                self.new_docs += 1
                if part is not None:
                    part.stored += 1
                    state.bump(part.spec.name, docs=1)
        elif o.state == "duplicate":
            state.article_done(o.key, "duplicate", o.doc_id, o.canonical)
            if part is not None:
                part.duplicates += 1
                state.bump(part.spec.name, duplicates=1)
        else:
            error = o.error if isinstance(o.error, FetchError) else FetchError(
                str(o.error.message if o.error else "the pipeline failed on this page (see above)"), o.key,
                kind="pipeline",
            )  # fmt: skip
            state.article_failed(o.key, error, 1)
            if part is not None:
                part.errors += 1
                state.bump(part.spec.name, error=error)

    def resume(self, store: Store, state: WatchState, parts: dict[str, SourceRound]) -> None:
        """Ingest the pages a stopped or killed run had fetched and not yet recorded as ingested (from the kept
        raw bytes, a batch at a time: none of them is fetched again)."""
        done = 0
        while not self.stop.is_set():
            left = state.fetched(self.settings.batch)
            if not left:
                break
            if done == 0:
                self.say(
                    "pages fetched by the last run are ingested from the kept copies (not fetched again)"
                )
            batch = PageBatch()
            for pending, page in left:
                part = parts.get(pending.source)
                if part is not None:
                    part.articles += 1
                batch.add(pending.url, page, pending.hint)
            self.ingest(store, state, parts, batch)
            done += len(left)

    def keep_received(
        self, jobs: Dispatcher, state: WatchState, parts: dict[str, SourceRound], ready: PageBatch
    ) -> None:
        """On stop: pages already received are kept (raw, state fetched) for the next run."""
        jobs.drop_waiting()
        deadline = time.monotonic() + self.settings.connect_timeout + 1
        while jobs.busy and time.monotonic() < deadline:
            event = jobs.next(timeout=0.1)
            if isinstance(event, ArticleDone) and event.response is not None:
                r, p = event.response, event.pending
                page = Page(r.body, p.url, r.final_url, r.fetched_at, r.headers.get("content-type", ""))
                state.article_fetched(p.url, page, r.status, r.attempts)

    def stop_fetching(self, jobs: Dispatcher, fetcher: Fetcher) -> None:
        jobs.drop_waiting()
        self.abort.set()  # requests still in flight are abandoned
        jobs.close()
        fetcher.close()

    def reconcile(self, store: Store) -> None:
        from karavan.reconcile.store_bridge import reconcile_store

        try:
            reconcile_store(store)
        except Exception as e:  # reconciliation must not stop the watch: the next batch tries again
            self.problem(None, KaravanError(f"reconcile failed: {type(e).__name__}: {e}", self.db))
        self.new_docs = 0

    # -- reporting ----------------------------------------------------------------------------------------

    def print_finished(self, parts: dict[str, SourceRound], force: bool = False) -> None:
        for part in parts.values():
            if part.printed or not (part.finished or force):
                continue
            if not part.polled and not (part.fetched or part.errors or part.stored):
                continue
            part.printed = True
            head = part.status or ("pending URLs" if not part.polled else part.spec.kind)
            self.say(
                f"[{part.spec.name}] {head}; {part.new} new, {part.fetched} fetched, {part.stored} stored, "
                f"{part.duplicates} duplicates, {part.errors} errors ({time.monotonic() - part.began:.1f} s)"
            )

    def round_summary(
        self, state: WatchState, store: Store, parts: dict[str, SourceRound], started: str, seconds: float
    ) -> dict[str, Any]:
        polled = [p for p in parts.values() if p.polled]
        waiting = state.counts().get("pending", 0)
        summary = {
            "sources": len(polled),
            "not_modified": sum(1 for p in polled if p.status.endswith("(304)")),
            "failed_sources": sum(1 for p in polled if p.failed),
            "new": sum(p.new for p in parts.values()),
            "fetched": sum(p.fetched for p in parts.values()),
            "stored": sum(p.stored for p in parts.values()),
            "duplicates": sum(p.duplicates for p in parts.values()),
            "errors": sum(p.errors for p in parts.values()),
            "pending": waiting,
            "facts": self.result.facts,
        }
        state.record_round(started, seconds, summary)
        self.summary(
            f"round {self.rounds} done in {seconds:.1f} s: {summary['sources']} sources polled "
            f"({summary['not_modified']} not modified, {summary['failed_sources']} failed); "
            f"{summary['new']} new URLs, {summary['fetched']} fetched, {summary['stored']} stored "
            f"({summary['facts']} facts), {summary['duplicates']} duplicates, {summary['errors']} errors; "
            f"{waiting} URLs wait for a later round; the store holds {store.count('documents')} documents"
        )
        return summary


def unexpected(e: Exception, url: str) -> FetchError:
    return FetchError(f"unexpected {type(e).__name__}: {e}", url, kind="unexpected")


def add_log_file(path: str) -> logging.Handler:
    """Everything the watch does (each request too) appended to `path`, with times."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("karavan.watch")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler
