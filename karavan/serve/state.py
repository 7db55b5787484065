"""The server's view of one store: a connection per worker thread, reconciliation kept current, reads cached.

Reads of the reconciliation tables (pairs, series, discrepancies...) are cached until the store changes;
a change is seen from a cheap stamp (documents, latest ingest, latest fact id), so documents ingested by
`karavan ingest` while the server runs are picked up too.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from karavan.store import Store, open_store

MAX_CACHED = 2048  # cached reads and pages kept at once
CHECK_EVERY = 1.0  # seconds between looks at the store for changes made by other processes
STAMP_SQL = "SELECT (SELECT count(*) FROM documents), (SELECT max(ingested_at) FROM documents), (SELECT max(id) FROM facts)"


def bridge() -> ModuleType:
    """karavan.reconcile.store_bridge (imported late: the reconciliation tables live there)."""
    return importlib.import_module("karavan.reconcile.store_bridge")


def _fold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


class StoreHandle:
    """Thread-local Store objects over one database file, and a cache of reconciliation reads."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.stamp: tuple[Any, ...] | None = None
        self.checked = 0.0
        self.refresh(force=True)

    def store(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = open_store(self.path)
            store.conn.create_function("kv_fold", 1, _fold, deterministic=True)
            if not store.writable:
                # a read-only (or damaged) store reconciles into each connection's own TEMP tables
                bridge().ensure_reconciled(store)
            self.local.store = store
        return store

    def current_stamp(self) -> tuple[Any, ...]:
        return tuple(self.store().conn.execute(STAMP_SQL).fetchone())

    def refresh(self, force: bool = False) -> None:
        """Reconcile when the store changed since the last look (at most one look a second), forget cached reads."""
        now = time.monotonic()
        if not force and now - self.checked < CHECK_EVERY:
            return
        self.checked = now
        stamp = self.current_stamp()
        if stamp == self.stamp and not force:
            return
        with self.lock:
            if stamp == self.stamp and not force:
                return
            bridge().reconcile_store(self.store())
            self.cache.clear()
            self.stamp = stamp

    def cached(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """build(), kept until the store changes (rendered pages are read-only views of the store)."""
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
