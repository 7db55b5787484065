"""The server's view of one store: a connection per worker thread, reads cached, and a background reconciler.

A request never reconciles: it reads what the last finished reconciliation wrote. A background thread
(`Reconciler`) looks at the store's version counter every CHECK_EVERY seconds (one row, kept by the
store's triggers) and, when documents changed — ingested by `karavan ingest` in another process, by
`karavan watch`, or POSTed to this server — has a worker process (started once, kept) reconcile
incrementally, at a lower priority than the requests (RECONCILE_NICENESS): a reconcile in the server's own
process held the interpreter for seconds at a time while an ingest wrote, and every request waited behind
it. Pages and API answers say how fresh the reconciliation is (`freshness`: the X-Karavan-Reconciled and
X-Karavan-Changed-Documents headers, and a line under every page).

Once the store has been still for a while, the same thread has the whole CSV exports written to files
beside it (`ExportsWriter`, serve/exports_ahead.py), by a worker process of their own at the lowest
priority; a request sends such a file only when it is of the store as it is.

Cached reads and pages are kept until the stamp changes: the store's version and the last reconciliation's
id, two one-row reads per request.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import ModuleType
from typing import Any

from karavan.serve import exports_ahead
from karavan.store import Store, open_store

MAX_CACHED = 2048  # cached reads and pages kept at once
CHECK_EVERY = 1.0  # seconds between the reconciler's looks at the store
# The reconcile worker yields to requests: on a busy core it gets about a tenth of the time (CFS weights 110
# against 1024), on an idle one all of it. It runs on the server's cores (a server pinned to one core pins it
# too) while an ingest writes, when requests are many; the pages say how fresh its last run is.
RECONCILE_NICENESS = 10
PARENT_CHECK = 1.0  # seconds between the worker process's looks at whether the server is still there
STAMP_SQL = "SELECT (SELECT value FROM store_meta WHERE key = 'version'), (SELECT max(id) FROM recon_runs)"
log = logging.getLogger("karavan.serve")


def bridge() -> ModuleType:
    """karavan.reconcile.store_bridge (imported late: the reconciliation tables live there)."""
    return importlib.import_module("karavan.reconcile.store_bridge")


def _exit_with(parent: int, niceness: int = 0) -> None:
    """In the worker process: leave as soon as the server that started it is gone (killed, or ended without
    shutting the pool down), instead of waiting for work that never comes; run `niceness` lower."""
    if niceness:
        os.nice(niceness)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(0)

    threading.Thread(target=watch, name="karavan-parent-watch", daemon=True).start()


class WorkerProcess:
    """One worker process of the server (spawned on first use, kept, spawned again if it died), which
    leaves with the server; `niceness` lowers its priority."""

    def __init__(self, niceness: int = 0) -> None:
        self.niceness = niceness
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with,
                initargs=(os.getpid(), self.niceness),
            )
        return self.pool.submit(fn, *args)

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """fn(*args) in the worker process, waited for."""
        try:
            return self.submit(fn, *args).result()
        except BrokenProcessPool:
            self.pool = None  # the worker died (killed, out of memory): a new one next time
            raise

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def reconcile_path(path: str) -> dict[str, Any]:
    """Reconcile the store at `path` (in the reconciler's worker process); the run's summary and the pid."""
    with open_store(path, create=False) as store:
        summary = bridge().reconcile_store(store)
    return {**summary, "pid": os.getpid()}


class Reconciler:
    """A daemon thread that has the store reconciled whenever it changed, in a worker process, never inside
    a request."""

    def __init__(self, path: str, every: float = CHECK_EVERY) -> None:
        self.path = path
        self.every = every
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.done = threading.Condition()
        self.finished_version = -1  # the store version the last run (or look) brought the results to
        self.error: str | None = None
        self.thread: threading.Thread | None = None
        self.worker = WorkerProcess(niceness=RECONCILE_NICENESS)
        self.last_run: dict[str, Any] | None = None
        self.exports: ExportsWriter | None = None  # looked at after each look at the store, when set

    def reconcile(self) -> dict[str, Any]:
        """One incremental reconcile in the worker process (started on first use; again if it died)."""
        self.last_run = self.worker.run(reconcile_path, self.path)
        return self.last_run

    def start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self._loop, name="karavan-reconcile", daemon=True)
            self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.wake.set()
        self.worker.close()
        if self.exports is not None:
            self.exports.close()

    def _loop(self) -> None:
        store: Store | None = None
        try:
            while not self.stop.is_set():
                try:
                    if store is None:
                        store = open_store(self.path, create=False)
                    version = store.version()
                    stale = bridge().is_stale(store)
                    if stale:
                        self.reconcile()
                    elif self.exports is not None:
                        self.exports.look(store)
                    self.error = None
                    with self.done:
                        self.finished_version = version
                        self.done.notify_all()
                except Exception as e:  # a locked or vanished store: said, and tried again later
                    self.error = f"{type(e).__name__}: {e}"
                    log.warning("karavan: background reconciliation failed: %s", self.error)
                    if store is not None:
                        store.close()
                        store = None
                self.wake.wait(self.every)
                self.wake.clear()
        finally:
            if store is not None:
                store.close()

    def wait_for(self, version: int, timeout: float) -> bool:
        """Wake the thread and wait until it has reconciled up to `version` (for a writer, never a reader)."""
        self.start()
        self.wake.set()
        ends = time.monotonic() + timeout
        with self.done:
            while self.finished_version < version:
                left = ends - time.monotonic()
                if left <= 0:
                    return False
                self.done.wait(left)
        return True


class ExportsWriter:
    """Has the whole CSV exports written ahead (exports_ahead.write_all) by a worker process of its own at
    the lowest priority, once the store's data stamp has stayed the same for `still_for` seconds after its
    reconciliation finished; never inside a request, never waited for. Looked at by the reconciler's
    thread after each of its looks at the store (reconciled, so nothing is pending)."""

    def __init__(self, path: str, still_for: float = exports_ahead.STILL_FOR) -> None:
        self.path = path
        self.still_for = still_for
        self.worker = WorkerProcess(niceness=19)
        self.seen: str | None = None  # the stamp last seen, since `since`
        self.since = 0.0
        self.done: str | None = None  # the stamp whose exports are all written (or given up on)
        self.running: Future[Any] | None = None
        self.last: dict[str, Any] | None = None  # the last write's summary
        self.error: str | None = None

    def look(self, store: Store) -> None:
        stamp = exports_ahead.data_stamp(store)
        now = time.monotonic()
        if stamp != self.seen:
            self.seen, self.since = stamp, now
        if stamp == self.done or now - self.since < self.still_for:
            return
        if self.running is not None and not self.running.done():
            return  # it stops by itself when the stamp changed
        if (exports_ahead.folder_of(self.path) / stamp / exports_ahead.COMPLETE).exists():
            self.done = stamp
            return
        self.running = self.worker.submit(exports_ahead.write_all, self.path, stamp)
        self.running.add_done_callback(lambda f: self._finished(f, stamp))

    def _finished(self, future: Future[Any], stamp: str) -> None:
        try:
            self.last = future.result()
            self.error = None
            if not self.last["stopped"]:
                self.done = stamp
        except BrokenProcessPool:  # killed, out of memory: not tried again before the store changes
            self.worker.pool = None
            self.error = "the exports worker died"
            self.done = stamp
        except Exception as e:  # a full disk, a folder that cannot be written: said, not tried again
            self.error = f"{type(e).__name__}: {e}"
            self.done = stamp
            log.warning("karavan: writing the exports ahead failed: %s", self.error)

    def close(self) -> None:
        self.worker.close()


class StoreHandle:
    """Thread-local Store objects over one database file, a cache of reads, and the store's reconciler."""

    def __init__(self, path: str, background: bool = True, exports: bool = True) -> None:
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.stamp: tuple[Any, ...] | None = None
        self.reconciler = Reconciler(path)
        store = self.store()
        if bridge().freshness(store)["reconciled"] is None:
            bridge().reconcile_store(store)  # nothing to serve yet: before the first request, not in one
        self.exports_ahead = exports and store.writable  # whole exports sent from files written ahead
        if self.exports_ahead:
            self.reconciler.exports = ExportsWriter(path)
        if background:
            self.reconciler.start()

    def store(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = open_store(self.path)
            if not store.writable:
                # a read-only (or damaged) store reconciles into each connection's own TEMP tables
                bridge().ensure_reconciled(store)
            self.local.store = store
        return store

    def current_stamp(self) -> tuple[Any, ...]:
        return tuple(self.store().conn.execute(STAMP_SQL).fetchone())

    def refresh(self, force: bool = False, timeout: float = 30.0) -> None:
        """Forget cached reads when the store or its reconciliation changed. With `force` (a writer, after
        storing documents), first wait for the reconciler to take them in."""
        if force:
            self.reconciler.wait_for(self.store().version(), timeout)
        stamp = self.current_stamp()
        if stamp != self.stamp:
            with self.lock:
                if stamp != self.stamp:
                    self.cache.clear()
                    self.stamp = stamp

    def freshness(self) -> dict[str, Any]:
        """store_bridge.freshness, with the reconciler's last error (None when it ran)."""
        return {**bridge().freshness(self.store()), "error": self.reconciler.error}

    def cached(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """build(), kept until the store or its reconciliation changes."""
        self.refresh()
        if key not in self.cache:
            if len(self.cache) >= MAX_CACHED:
                self.cache.clear()  # bounded: arbitrary query strings must not grow memory
            self.cache[key] = build()
        return self.cache[key]

    def read(self, name: str, *args: Any) -> Any:
        """store_bridge.<name>(store, *args), cached until the store changes."""
        fn: Callable[..., Any] = getattr(bridge(), name)
        return self.cached((name, *args), lambda: fn(self.store(), *args))


class FreshnessHeaders:
    """Every API answer says how fresh the reconciliation it read is: X-Karavan-Reconciled (ISO time of the
    last finished run) and X-Karavan-Changed-Documents (documents changed since, being reconciled)."""

    def __init__(self, app: Any, handle: StoreHandle) -> None:
        self.app = app
        self.handle = handle

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                try:
                    fresh = self.handle.freshness()
                except Exception:  # the answer matters more than its freshness line
                    fresh = {}
                extra = [
                    (b"x-karavan-reconciled", str(fresh.get("reconciled") or "never").encode()),
                    (b"x-karavan-changed-documents", str(fresh.get("changed_docs") or 0).encode()),
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
