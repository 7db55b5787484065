"""`ingest --jobs N`: the workers read, run the pipeline and write; the main process only hands out work.

The main process plans the sources, reads each folder's `meta.jsonl` once (so its problems are reported
once) and turns away a second document with an id already seen. A .txt or .html file goes to a worker as
its path: the worker reads and decodes it, checks it against the store, runs the pipeline and stores the
result through its own connection (SQLite in WAL mode lets the workers' one-document transactions take
turns). Only a small outcome per document comes back: its status, language, fact counts and problems.
JSONL and standard input are read by the main process (one stream each) and their documents sent as text.
Outcomes are taken in the order the work was handed out, so problems and counts are reported as one
process would, and at most 2 x N batches are out at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from karavan.doc import Doc
from karavan.errors import DuplicateId, KaravanError
from karavan.ingest.records import Report
from karavan.ingest.sources import MetaFiles, Source, read_file_doc, read_source

Process = Callable[[Doc], Doc]
Item = tuple[Source, dict[str, Any] | None] | Doc  # a file with its meta.jsonl record, or a document read
BATCH = 4  # documents per task: enough to pay for the hand-over, few enough to keep both workers busy


@dataclass(slots=True)
class Outcome:
    """What a worker did with one document (or one source it could not read)."""

    status: str  # new, changed, unchanged, failed (pipeline or store), unread
    lang: str | None = None
    facts: int = 0
    types: Counter[str] = field(default_factory=Counter)
    problems: list[KaravanError] = field(default_factory=list)


_worker: dict[str, Any] = {}


def _start(db: str, process: Process, max_bytes: int, force: bool, parent: int) -> None:
    from karavan.store import open_store
    from karavan.workers import die_with

    # workers finish their batch (Ctrl-C is the main process's to decide) and never outlive it
    die_with(parent)
    _worker.update(store=open_store(db), process=process, limit=max_bytes, force=force)


def _one(doc: Doc, problems: list[KaravanError]) -> Outcome:
    from karavan.api import attempt, over_budget, store_one
    from karavan.errors import PipelineFailed

    store = _worker["store"]
    status = store.status(doc)
    if status == "unchanged" and not _worker["force"]:
        row = store.conn.execute("SELECT lang FROM documents WHERE id = ?", (doc.id,)).fetchone()
        return Outcome("unchanged", (row[0] if row else None), problems=problems)
    done, error = attempt(_worker["process"], doc)
    if error or done is None:
        problems.append(PipelineFailed(f"pipeline failed on document {doc.id!r}: {error}", doc.path))
        return Outcome("failed", problems=problems)
    if not store_one(store, done, problems.append):
        return Outcome("failed", problems=problems)
    late = over_budget(done, "stored with no facts")  # a document that ran out of its time budget
    if late:
        problems.append(late)
    types = Counter(f.type for f in done.facts)
    return Outcome(status, done.lang, len(done.facts), types, problems)


def _batch(items: list[Item]) -> list[Outcome]:
    out: list[Outcome] = []
    for item in items:
        problems: list[KaravanError] = []
        if isinstance(item, Doc):
            out.append(_one(item, problems))
            continue
        src, record = item
        assert src.path is not None
        metas = MetaFiles(problems.append, _worker["limit"], {src.path.parent: {src.path.stem: record or {}}})
        try:
            doc = read_file_doc(src, metas, _worker["limit"])
        except OSError as e:
            from karavan.errors import UnreadableInput

            out.append(
                Outcome("unread", problems=[*problems, UnreadableInput(f"cannot read: {e}", src.name)])
            )
            continue
        except KaravanError as e:
            out.append(Outcome("unread", problems=[*problems, e]))
            continue
        out.append(_one(doc, problems))
    return out


def _items(
    sources: list[Source], report: Report, max_bytes: int
) -> Iterator[tuple[Item | None, list[KaravanError]]]:
    """The work in input order, each with the problems met on the way to it (reported before its own, as
    one process would); a second document with an id already seen is reported and left out; the last
    pair's item is None when problems came after the last document."""
    pending: list[KaravanError] = []
    metas = MetaFiles(pending.append, max_bytes)
    seen: dict[str, str] = {}

    def first_time(doc_id: str, where: str) -> bool:
        first = seen.get(doc_id)
        if first is not None:
            pending.append(DuplicateId(f"id {doc_id!r} was already read from {first}; skipped", where))
            return False
        seen[doc_id] = where
        return True

    def taken() -> list[KaravanError]:
        out = pending[:]
        pending.clear()
        return out

    for src in sources:
        if src.kind in ("txt", "html") and src.path is not None:
            record = metas.record(src.path, src.path.stem)  # read before the id check, as one process does
            if first_time(src.path.stem, str(src.path)):
                yield (src, record), taken()
            continue
        try:
            for doc in read_source(src, metas, max_bytes):
                if first_time(doc.id, doc.path or src.name):
                    yield doc, taken()
        except KaravanError as e:
            pending.append(e)
    if pending:
        yield None, taken()


def ingest_parallel(
    sources: list[Source],
    db: str,
    report: Report,
    result: Any,  # karavan.api.IngestReport
    advance: Callable[[], None],
    stop: dict[str, bool],
    process: Process,
    jobs: int,
    max_bytes: int,
    force: bool = False,
) -> None:
    """Ingest `sources` into the store at `db` in `jobs` worker processes, counting into `result`."""

    def take(outcomes: list[tuple[list[KaravanError], Outcome | None]]) -> None:
        for before, o in outcomes:
            for problem in before:
                report(problem)
            if o is None:
                continue
            for problem in o.problems:
                report(problem)
            if o.status == "unread":
                continue
            result.read += 1
            if o.status == "unchanged":
                result.unchanged += 1
                result.langs[o.lang or "?"] += 1
            elif o.status in ("new", "changed"):
                result.new += o.status == "new"
                result.replaced += o.status == "changed"
                result.facts += o.facts
                result.by_type.update(o.types)
                result.langs[o.lang or "?"] += 1
            advance()

    window: deque[tuple[list[list[KaravanError]], Future[list[Outcome]]]] = deque()
    batch: list[Item] = []
    before: list[list[KaravanError]] = []

    def hand_out() -> None:
        window.append((before[:], pool.submit(_batch, batch[:])))
        batch.clear()
        before.clear()

    def collect() -> None:
        problems, future = window.popleft()
        take(list(zip(problems, future.result(), strict=True)))

    # spawned, not forked: a fork of a process with other threads running (a notebook's Spark session, a
    # server) can inherit a lock held by one of them and hang
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=spawn, initializer=_start, initargs=(db, process, max_bytes, force, os.getpid())
    ) as pool:
        try:
            for item, problems in _items(sources, report, max_bytes):
                if stop["stop"]:
                    result.interrupted = True
                    break
                if item is None:  # problems after the last document
                    if batch:
                        hand_out()
                    while window:
                        collect()
                    take([(problems, None)])
                    break
                batch.append(item)
                before.append(problems)
                if len(batch) >= BATCH:
                    hand_out()
                    if len(window) >= 2 * jobs:
                        collect()
            if batch and not result.interrupted:
                hand_out()
            while window:
                collect()
        except KeyboardInterrupt:
            result.interrupted = True
            for _, future in window:
                future.cancel()
