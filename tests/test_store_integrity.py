"""The store passes SQLite's own integrity check after ingest and reconcile (every table, every index); a store
is checked page by page on open only when it may have changed since a clean close or a check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from karavan import api


@pytest.mark.parametrize("jobs", [1, 2])
def test_store_integrity_check_is_ok_after_ingest_and_reconcile(tmp_path: Path, jobs: int) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([Path(__file__).resolve().parents[1] / "examples"], db, jobs=jobs, report=lambda p: None)
    api.reconcile(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM fact_pairs").fetchone()[0] > 0
    finally:
        conn.close()


def _checks_on_reopen(db: Path, between: str, monkeypatch: pytest.MonkeyPatch) -> int:
    from karavan.store import health
    from karavan.store.db import open_store

    calls: list[int] = []
    real = health.quick_problems
    monkeypatch.setattr(health, "quick_problems", lambda conn: calls.append(1) or real(conn))
    with open_store(db) as store:  # the first open in this test checks (a new stamp)
        store.conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('probe', 1)")
    calls.clear()
    held = None
    if between.startswith("another writer"):  # not this process's own connection: SQLite elsewhere, a tool
        conn = sqlite3.connect(db)
        conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('probe', 2)")
        conn.commit()
        if between.endswith("still open"):
            held = conn  # its write is in the log, not yet in the file
        else:
            conn.close()
    if "new process" in between or between.startswith("another writer"):
        monkeypatch.setattr(health, "_checked", {})  # what this process remembered: none in a new one
    if "garbled" in between:
        health.checked_marker(db).write_text("{not json", encoding="utf-8")
    with open_store(db):
        pass
    if held is not None:
        held.close()
    return len(calls)


@pytest.mark.parametrize(
    ("between", "checks"),
    [
        ("nothing", 0),  # this process wrote it and closed it whole: not read page by page again
        ("a new process", 0),  # told by <store>.checked: the files are as that clean close left them
        ("a new process, its marker garbled", 1),
        ("another writer", 1),  # the file changed since this process closed it: checked again
        ("another writer, still open", 1),  # its write in the log only: the log's stamp tells
    ],
)
def test_store_reopen_checks_only_a_file_changed_by_another_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, between: str, checks: int
) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([Path(__file__).resolve().parents[1] / "examples"], db, report=lambda p: None)
    assert _checks_on_reopen(db, between, monkeypatch) == checks
