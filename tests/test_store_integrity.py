"""The store passes SQLite's own integrity check after ingest and reconcile (every table, every index)."""

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
