"""The library facade: what the CLI calls, and what a notebook user calls too.

from karavan import api
report = api.ingest_paths(["examples/"], db="karavan.db")
for fact in api.iter_facts("karavan.db", pair="KZ-TJ", type="trade"):
    print(fact["value"], fact["quote"])
for doc in api.extract_paths(["article.txt"]):      # the pure pipeline, no database
    print([f.to_dict() for f in doc.facts])
"""

from __future__ import annotations

import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from karavan.budget import DEFAULT_BUDGET, OVER_BUDGET
from karavan.doc import Doc
from karavan.errors import KaravanError, OverBudget, PipelineFailed, StoreError
from karavan.ingest import DEFAULT_MAX_BYTES, estimate_count, log_problem, plan_sources, read_sources
from karavan.ingest.records import Report
from karavan.progress import Progress
from karavan.store import DEFAULT_DB, Store, open_store
from karavan.workers import worker_pool

__all__ = [
    "DEFAULT_DB",
    "IngestReport",
    "KaravanError",
    "discrepancies",
    "export",
    "extract_paths",
    "facts_frame",
    "flags",
    "get_doc",
    "ingest_paths",
    "iter_docs",
    "iter_facts",
    "meetings",
    "open_store",
    "pairs",
    "people",
    "person",
    "reconcile",
    "series",
]

Process = Callable[[Doc], Doc]
T = TypeVar("T")


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    errors: int = 0
    warnings: int = 0
    facts: int = 0  # facts stored by this run
    by_type: Counter[str] = field(default_factory=Counter)
    langs: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False
    failed: KaravanError | None = None  # the store failed (disk full, read-only...): the run stopped there

    @property
    def stored(self) -> int:
        return self.new + self.replaced

    def count(self, problem: KaravanError) -> None:
        if problem.warning:
            self.warnings += 1
        else:
            self.errors += 1


def default_process(budget: float | None = DEFAULT_BUDGET) -> Process:
    """The pipeline, with a time budget per document (seconds; None or 0: none)."""
    from karavan.pipeline import process_within

    return partial(process_within, budget=budget)


def over_budget(doc: Doc, outcome: str) -> OverBudget | None:
    """The warning for a document that ran out of its time budget (meta["over_budget"]), else None."""
    spent = doc.meta.get(OVER_BUDGET)
    if not isinstance(spent, dict):
        return None
    return OverBudget(
        f"document {doc.id!r} ran out of its {spent.get('budget'):g} s budget in the {spent.get('stage')} stage: "
        f"{outcome}; a larger --budget gives it more time (with --force once stored)",
        doc.path,
    )


@contextmanager
def stop_after_current() -> Iterator[dict[str, bool]]:
    """Ctrl-C sets a flag the loop reads after each document; a second Ctrl-C stops at once."""
    flag = {"stop": False}
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def on_sigint(signum: int, frame: object) -> None:
        if flag["stop"]:
            raise KeyboardInterrupt
        flag["stop"] = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def attempt(process: Process, doc: Doc) -> tuple[Doc | None, str | None]:
    """(processed document, None), or (None, what went wrong) when a stage raised on it."""
    try:
        return process(doc), None
    except Exception as e:  # a bug on one document must not stop ten thousand others
        return None, f"{type(e).__name__}: {e}"


def run_stream(
    items: Iterator[tuple[Doc, T]], process: Process, jobs: int = 1
) -> Iterator[tuple[Doc, T, Doc | None, str | None]]:
    """Run the pipeline over (doc, tag) pairs in order, in `jobs` processes, reading at most 2 x jobs ahead."""
    if jobs <= 1:
        for doc, tag in items:
            yield doc, tag, *attempt(process, doc)
        return
    window: deque[tuple[Doc, T, Future[tuple[Doc | None, str | None]]]] = deque()
    with worker_pool(jobs) as pool:  # its workers die with this process (karavan.workers)
        for doc, tag in items:
            window.append((doc, tag, pool.submit(attempt, process, doc)))
            if len(window) >= 2 * jobs:
                first, first_tag, future = window.popleft()
                yield first, first_tag, *future.result()
        while window:
            first, first_tag, future = window.popleft()
            yield first, first_tag, *future.result()


def store_one(store: Store, doc: Doc, report: Report) -> bool:
    """Put one processed document; a document that cannot be stored is reported, the store keeps the old
    version. A failure of the store itself (StoreError: disk full, read-only...) is raised: it stops the run."""
    try:
        store.put(doc)
    except StoreError:
        raise
    except Exception as e:  # a row that cannot be built: this document's problem, not the run's
        report(PipelineFailed(f"cannot store document {doc.id!r}: {type(e).__name__}: {e}", doc.path))
        return False
    return True


def ingest_docs(
    docs: Iterable[Doc],
    store: Store,
    report: Report,
    result: IngestReport,
    progress: Progress,
    force: bool = False,
    process: Process | None = None,
    jobs: int = 1,
    budget: float | None = DEFAULT_BUDGET,
) -> IngestReport:
    """Store each document not already stored as it is, one transaction each; resumable at any point.

    A failure of the store (disk full, read-only, damaged) is reported and stops the run (`result.failed`):
    every document stored before it stays, and the same run started again goes on from there.
    """
    process = process or default_process(budget)
    store.check_writable("ingest")
    with stop_after_current() as flag:

        def todo() -> Iterator[tuple[Doc, str]]:
            for doc in docs:
                if flag["stop"]:
                    result.interrupted = True
                    return
                result.read += 1
                status = store.status(doc)
                if status != "unchanged" or force:
                    yield doc, status
                    continue
                result.unchanged += 1
                stored = store.conn.execute("SELECT lang FROM documents WHERE id = ?", (doc.id,)).fetchone()
                result.langs[(stored[0] if stored else None) or "?"] += 1
                progress.advance()

        try:
            for doc, status, done, error in run_stream(todo(), process, jobs):
                if error:
                    report(PipelineFailed(f"pipeline failed on document {doc.id!r}: {error}", doc.path))
                elif done is not None and store_one(store, done, report):
                    late = over_budget(done, "stored with no facts")
                    if late:
                        report(late)
                    result.replaced += status != "new"
                    result.new += status == "new"
                    result.facts += len(done.facts)
                    result.by_type.update(f.type for f in done.facts)
                    result.langs[done.lang or "?"] += 1
                progress.advance()
        except KeyboardInterrupt:
            result.interrupted = True
        except StoreError as e:
            result.failed = e
            report(e)
    return result


def ingest_in_workers(
    sources: list[Any],
    store: Store,
    report: Report,
    result: IngestReport,
    progress: Progress,
    force: bool,
    process: Process | None,
    jobs: int,
    max_bytes: int,
) -> None:
    from karavan.ingest.parallel import ingest_parallel

    with stop_after_current() as flag:
        ingest_parallel(
            sources, store.path, report, result, progress.advance, flag,
            process or default_process(), jobs, max_bytes, force,
        )  # fmt: skip


def ingest_paths(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    force: bool = False,
    show_progress: bool = False,
    report: Report | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    process: Process | None = None,
    jobs: int = 1,
    budget: float | None = DEFAULT_BUDGET,
) -> IngestReport:
    """Ingest files, folders and '-' into the store at `db`; problems go to `report` and are counted.

    `budget`: seconds the pipeline may spend on one document (None or 0: no limit); a document that
    runs out is stored without facts, with a warning."""
    result = IngestReport()
    outer = report or log_problem

    def counted(problem: KaravanError) -> None:
        result.count(problem)
        with Progress.pause():
            outer(problem)

    with open_store(db) as store:
        sources = plan_sources(paths, counted)
        progress = Progress(estimate_count(sources) if show_progress else None, enabled=show_progress)
        try:
            if jobs > 1:  # the workers read and write too (karavan.ingest.parallel)
                work = process or default_process(budget)
                ingest_in_workers(sources, store, counted, result, progress, force, work, jobs, max_bytes)
            else:
                docs = read_sources(sources, counted, max_bytes)
                ingest_docs(docs, store, counted, result, progress, force, process, jobs, budget)
        finally:
            progress.close()
    return result


def extract_paths(
    paths: Iterable[str | Path],
    report: Report | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    process: Process | None = None,
    jobs: int = 1,
    budget: float | None = DEFAULT_BUDGET,
) -> Iterator[Doc]:
    """The pure pipeline over files, folders and '-': processed documents, lazily, in order, no database."""
    report = report or log_problem
    docs = read_sources(plan_sources(paths, report), report, max_bytes)
    process = process or default_process(budget)
    for doc, _, done, error in run_stream(((d, None) for d in docs), process, jobs):
        if error:
            report(PipelineFailed(f"pipeline failed on document {doc.id!r}: {error}", doc.path))
        elif done is not None:
            late = over_budget(done, "no facts from it")
            if late:
                report(late)
            yield done


def get_doc(db: str | Path, doc_id: str) -> Doc:
    with open_store(db, create=False) as store:
        return store.get_doc(doc_id)


def iter_docs(db: str | Path = DEFAULT_DB, lang: str | None = None) -> Iterator[Doc]:
    with open_store(db, create=False) as store:
        yield from store.iter_docs(lang=lang)


def iter_facts(db: str | Path = DEFAULT_DB, **filters: Any) -> Iterator[dict[str, Any]]:
    """Stored facts as FACTS.md dicts, each with what citing it needs: `fact_id`, `cluster_id` and `flags`
    (of the reconciliation, run first when the store changed), and its document's `doc_title` (the
    headline), `doc_url`, `doc_published`, `doc_source`. Filters as Store.query_facts (pair, type, lang,
    doc, limit, offset)."""
    from karavan.export import fact_rows

    with reconciled(db) as store:
        yield from fact_rows(store, **filters)


def facts_frame(db: str | Path = DEFAULT_DB, **filters: Any) -> Any:
    """The facts of `iter_facts` as one pandas DataFrame, a column per field of `karavan export --what
    facts`, typed (nullable integers, floats, booleans, strings; lists stay lists). Needs pandas, an
    optional dependency: pip install 'karavan[pandas]'."""
    try:
        import pandas as pd
    except ImportError:
        raise KaravanError(
            "facts_frame needs pandas, an optional dependency: pip install 'karavan[pandas]'"
        ) from None
    from karavan.export import COLUMNS, typed_facts

    columns = COLUMNS["facts"]
    dtypes = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": "string"}
    with reconciled(db) as store:
        rows = list(typed_facts(store, **filters))
    frame = pd.DataFrame(rows, columns=[name for name, _ in columns])
    return frame.astype({name: dtypes[kind] for name, kind in columns if kind in dtypes})


# -- reconciliation (karavan.reconcile.store_bridge): each read reconciles first when the store changed --


@contextmanager
def reconciled(db: str | Path, on_run: Callable[[dict[str, Any]], None] | None = None) -> Iterator[Store]:
    """The store at `db`, reconciled first when its documents or facts changed since the last run
    (then `on_run` gets that run's summary)."""
    from karavan.reconcile.store_bridge import ensure_reconciled

    with open_store(db, create=False) as store:
        ran = ensure_reconciled(store)
        if ran is not None and on_run is not None:
            on_run(ran)
        yield store


@contextmanager
def last_reconciled(
    db: str | Path,
    on_run: Callable[[dict[str, Any]], None] | None = None,
    on_stale: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[Store]:
    """The store at `db` as its last reconciliation left it, never waiting for one: reconciled first only
    when it never was (then `on_run` gets the summary); `on_stale` gets `store_bridge.freshness` when
    documents changed since the last run. What the CLI's read commands and the server read."""
    from karavan.reconcile.store_bridge import freshness, reconcile_store

    with open_store(db, create=False) as store:
        fresh = freshness(store)
        if fresh["reconciled"] is None:
            ran = reconcile_store(store)
            if on_run is not None:
                on_run(ran)
        elif fresh["stale"] and on_stale is not None:
            on_stale(fresh)
        yield store


def reconcile(db: str | Path = DEFAULT_DB, full: bool = False) -> dict[str, Any]:
    """Reconcile the store (at once when nothing changed; `full` forces); the run's summary."""
    from karavan.reconcile.store_bridge import reconcile_store

    with open_store(db, create=False) as store:
        store.check_writable("reconcile")  # the commands that read results read the last run instead
        return reconcile_store(store, full=full)


def pairs(db: str | Path = DEFAULT_DB) -> list[dict[str, Any]]:
    from karavan.reconcile.store_bridge import read_pairs

    with reconciled(db) as store:
        return read_pairs(store)


def series(db: str | Path, pair: str, flow: str = "turnover", product: str = "total") -> dict[str, Any]:
    from karavan.reconcile.store_bridge import read_series

    with reconciled(db) as store:
        return read_series(store, pair, flow, product)


def discrepancies(db: str | Path = DEFAULT_DB, pair: str | None = None) -> list[dict[str, Any]]:
    from karavan.reconcile.store_bridge import read_discrepancies

    with reconciled(db) as store:
        return read_discrepancies(store, pair)


def flags(db: str | Path = DEFAULT_DB, pair: str | None = None) -> list[dict[str, Any]]:
    from karavan.reconcile.store_bridge import read_flags

    with reconciled(db) as store:
        return read_flags(store, pair)


def people(db: str | Path = DEFAULT_DB) -> list[dict[str, Any]]:
    from karavan.reconcile.store_bridge import read_people

    with reconciled(db) as store:
        return read_people(store)


def person(db: str | Path, name: str) -> dict[str, Any] | None:
    from karavan.reconcile.store_bridge import read_person

    with reconciled(db) as store:
        return read_person(store, name)


def meetings(db: str | Path = DEFAULT_DB, pair: str | None = None) -> list[dict[str, Any]]:
    from karavan.reconcile.store_bridge import read_meetings

    with reconciled(db) as store:
        return read_meetings(store, pair)


def export(db: str | Path, what: str, fmt: str, path: str | Path) -> int:
    """Write facts, clusters, series or comtrade rows as csv, json (lines) or parquet to `path`; rows written."""
    from karavan.export import export as write

    with reconciled(db) as store:
        return write(store, what, fmt, path=path)
