"""Fetched pages into the store, through the same path as `karavan ingest` (karavan.api.ingest_docs).

Used by the watch (a batch of pages at a time) and by `karavan ingest URL...`. Before a page's document
goes to the pipeline it is checked against the store: a document with the same canonical URL, or with
exactly the same text under another URL, is a duplicate and is not stored again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from karavan.api import IngestReport, Process, ingest_docs
from karavan.doc import Doc
from karavan.errors import KaravanError
from karavan.ingest.records import Report
from karavan.progress import Progress
from karavan.store import Store, open_store, text_hash
from karavan.watch.config import Settings
from karavan.watch.errors import FetchError, WrongContent
from karavan.watch.fetch import Fetcher
from karavan.watch.page import Hint, Page, page_doc
from karavan.watch.state import WatchState
from karavan.watch.urls import normalise

# One page a person asked for: robots.txt still honoured, half a second between two pages of one host.
URL_SETTINGS = Settings(per_host_delay=0.5, retries=1)


class DuplicatePage(KaravanError):
    """A fetched page is a document stored already (same canonical URL or same text): not stored again."""

    code = "E511"
    warning = True


@dataclass(slots=True)
class Outcome:
    """What became of one page: stored (new or replaced), done (stored before), duplicate, failed, or
    interrupted (Ctrl-C came first)."""

    key: str  # the URL it was fetched as
    state: str = "failed"
    doc_id: str | None = None
    canonical: str | None = None
    error: KaravanError | None = None


@dataclass(slots=True)
class PageBatch:
    """Pages to ingest, each with its hint and the key its outcome is reported under."""

    items: list[tuple[str, Page, Hint | None]] = field(default_factory=list)

    def add(self, key: str, page: Page, hint: Hint | None = None) -> None:
        self.items.append((key, page, hint))

    def __len__(self) -> int:
        return len(self.items)


def classify(state: WatchState, doc: Doc, key: str, replace: bool, force: bool) -> tuple[str, str | None]:
    """('ingest', None); ('done', id) when this URL's own document is stored already; ('duplicate', id)."""
    row = state.conn.execute(
        "SELECT sha256, json_extract(meta, '$.fetched_url') FROM documents WHERE id = ?", (doc.id,)
    ).fetchone()
    if row is not None:
        if row[1] != key:
            return "duplicate", doc.id  # another address of the same canonical URL came first
        changed = row[0] != text_hash(doc.text)
        return ("ingest", None) if force or (replace and changed) else ("done", doc.id)
    other = state.doc_at(doc.url) if doc.url else None
    if other is not None and other != doc.id:
        return "duplicate", other
    same_text = state.duplicate_text(text_hash(doc.text), doc.id)
    if same_text is not None:
        return "duplicate", same_text
    return "ingest", None


def ingest_pages(
    store: Store,
    batch: PageBatch,
    report: Report,
    result: IngestReport,
    process: Process | None = None,
    replace: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Pages to documents, duplicates set aside, the rest ingested and stored; one Outcome a page, in order.

    `replace`: a page whose document is stored already from the same URL replaces it when its text
    changed (`karavan ingest URL` run again); the watch never replaces (it fetches each URL once)."""
    state = WatchState(store)
    outcomes: list[Outcome] = []
    docs: list[Doc] = []
    keys: dict[str, Outcome] = {}
    texts: dict[str, str] = {}
    for key, page, hint in batch.items:
        outcome = Outcome(key)
        outcomes.append(outcome)
        try:
            doc = page_doc(page, hint, report)
        except KaravanError as e:
            outcome.error = e
            report(e)
            continue
        except Exception as e:  # lxml or trafilatura on odd markup: this page is lost, not the batch
            outcome.error = WrongContent(
                f"cannot read the page: {type(e).__name__}: {e}", key, kind="unreadable"
            )
            report(outcome.error)
            continue
        outcome.canonical = doc.url
        verdict, other = classify(state, doc, key, replace, force)
        digest = text_hash(doc.text)
        if verdict == "ingest" and (doc.id in keys or digest in texts):
            verdict, other = "duplicate", doc.id if doc.id in keys else texts[digest]
        if verdict != "ingest":
            outcome.state, outcome.doc_id = verdict, other
            if verdict == "duplicate":
                report(DuplicatePage(f"the same article as document {other!r}; not stored again", key))
            continue
        keys[doc.id] = outcome
        texts[digest] = doc.id
        docs.append(doc)
    if docs:
        ingest_docs(docs, store, report, result, progress or Progress(None, False), force, process)
        for doc in docs:
            outcome = keys[doc.id]
            row = store.conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc.id,)).fetchone()
            if row is not None and row[0] == text_hash(doc.text):
                outcome.state, outcome.doc_id = "stored", doc.id
            elif result.interrupted:
                outcome.state = "interrupted"  # not processed: its page stays kept for the next run
    return outcomes


def ingest_urls(
    urls: list[str],
    db: str | Path,
    result: IngestReport,
    report: Report,
    force: bool = False,
    settings: Settings | None = None,
    process: Process | None = None,
    show_progress: bool = False,
) -> IngestReport:
    """`karavan ingest URL...`: fetch each page (robots.txt, limits and retries as the watch has them), keep
    its raw bytes, and ingest it; problems go to `report` and are counted in `result`."""
    settings = settings or URL_SETTINGS

    def counted(problem: KaravanError) -> None:
        result.count(problem)
        with Progress.pause():
            report(problem)

    progress = Progress(len(urls), enabled=show_progress)
    fetcher = Fetcher(settings)
    try:
        with open_store(db) as store:
            state = WatchState(store)
            for given in urls:
                if result.interrupted:
                    break
                url = normalise(given) or given
                try:
                    r = fetcher.get(url)
                except FetchError as e:
                    counted(e)
                    progress.advance()
                    continue
                page = Page(r.body, url, r.final_url, r.fetched_at, r.headers.get("content-type", ""))
                state.save_page(page)
                batch = PageBatch()
                batch.add(url, page)
                outcomes = ingest_pages(store, batch, counted, result, process, True, force, progress)
                for outcome in outcomes:
                    if outcome.state in ("done", "duplicate"):
                        result.read += 1
                        result.unchanged += 1
                        row = store.conn.execute(
                            "SELECT lang FROM documents WHERE id = ?", (outcome.doc_id,)
                        ).fetchone()
                        result.langs[(row[0] if row else None) or "?"] += 1
                        progress.advance()
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        fetcher.close()
        progress.close()
    return result
