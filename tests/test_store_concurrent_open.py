"""Processes that open one new database at the same moment (`karavan watch` and `karavan serve` started
together) all get a usable store, and the file is never corrupted."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from karavan.store import MIGRATIONS, open_store, schema_version


def _open(path: str, results: multiprocessing.Queue) -> None:
    try:
        with open_store(path) as store:
            store.conn.execute("SELECT count(*) FROM documents").fetchone()
            results.put(schema_version(store.conn))
    except Exception as e:  # reported to the test, which fails on it
        results.put(f"{type(e).__name__}: {e}")


def test_store_opened_by_three_processes_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    latest = max(v for v, _ in MIGRATIONS)
    for attempt in range(6):
        db = str(tmp_path / f"{attempt}.db")
        results: multiprocessing.Queue = ctx.Queue()
        procs = [ctx.Process(target=_open, args=(db, results)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [results.get(timeout=5) for _ in procs] == [latest] * 3
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()
