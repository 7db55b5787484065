"""The stamps read at every request (a page's cache key, the reconciled state, the exports' data stamp) are
index look-ups, never a scan of a table: they cost the same on a store of any size."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from karavan.official.store import STAMP_SQL as OFFICIAL_STAMP_SQL
from karavan.serve.exports_ahead import DATA_STAMP_SQL
from karavan.serve.state import STAMP_SQL as SERVE_STAMP_SQL
from karavan.store import open_store


@pytest.mark.parametrize(
    ("name", "sql"),
    [("official figures and ledger", OFFICIAL_STAMP_SQL), ("served reads", SERVE_STAMP_SQL),
     ("exports ahead", DATA_STAMP_SQL)],
)  # fmt: skip
def test_store_stamp_reads_no_table_whole(tmp_path: Path, name: str, sql: str) -> None:
    with open_store(tmp_path / "k.db"):
        pass
    conn = sqlite3.connect(tmp_path / "k.db")
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert plan, name
    assert not [step for step in plan if step.startswith("SCAN") and step != "SCAN CONSTANT ROW"], (
        name,
        plan,
    )
