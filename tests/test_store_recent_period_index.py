"""A pair's or a country's facts newest first, filtered by a period, read from one covering index.

Migration 19 adds the period to fact_pairs' and fact_countries' newest-first indexes (replacing them): a
list filtered by a period tests each row's period in the index and reads only the facts it shows. These
tests check the indexes a migration leaves, the plan `recent_facts` gets, and that the filtered list is
the unfiltered one with the period test applied (so the index changes how rows are read, not which)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from karavan.serve.queries import FactFilter, recent_facts
from karavan.store.db import open_store
from karavan.store.migrations import MIGRATIONS, migrate

INDEXES = {
    "fact_pairs_recent_period": ("fact_pairs", ["pair", "recency", "doc_id", "fact_id", "period"]),
    "fact_countries_recent_period": ("fact_countries", ["country", "recency", "doc_id", "fact_id", "period"]),
}
REPLACED = ("fact_pairs_recent", "fact_countries_recent")


def _indexes(conn: sqlite3.Connection) -> dict[str, tuple[str, list[str]]]:
    rows = conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'").fetchall()
    return {name: (table, [r[2] for r in conn.execute(f"PRAGMA index_info({name})")]) for name, table in rows}


def test_store_migration_19_replaces_the_recent_indexes() -> None:
    conn = sqlite3.connect(":memory:")
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 18])
    before = _indexes(conn)
    conn.execute("INSERT INTO fact_pairs VALUES ('KZ-UZ', 1, '2024-01-02', 'd1', '2023-01/2023-12')")
    conn.execute("INSERT INTO fact_countries VALUES ('UZ', 1, '2024-01-02', 'd1', '2023-01/2023-12')")
    conn.commit()
    assert set(REPLACED) <= set(before) and not set(INDEXES) & set(before)
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 19]) == [19]
    after = _indexes(conn)
    for name, shape in INDEXES.items():
        assert after[name] == shape
    assert not set(REPLACED) & set(after)
    # ANALYZE ran: the planner has the new indexes' statistics
    assert {r[0] for r in conn.execute("SELECT idx FROM sqlite_stat1")} >= set(INDEXES)


def _overlaps(period: str | None, start: str | None, end: str | None) -> bool:
    """What the period filter means (FACTS.md's 'YYYY-MM/YYYY-MM'): the fact's period reaches the bounds."""
    if period is None:
        return False
    first, last = period[:7], period[8:15]
    return (start is None or last >= start) and (end is None or first <= end)


CASES = [
    # filter, the index its rows are read from, the bounds the filter means, how many of examples/ it shows
    (FactFilter(pair="KZ-UZ", period_from="2024"), "fact_pairs_recent_period", "2024-01", None, 2),
    (FactFilter(pair="UZ-KZ", period_to="2024-03"), "fact_pairs_recent_period", None, "2024-03", 2),
    (FactFilter(pair="KZ-TJ", period_from="2024-08"), "fact_pairs_recent_period", "2024-08", None, 1),
    (FactFilter(pair="KZ-TJ", period_from="2024-09", period_to="2025"), "fact_pairs_recent_period", "2024-09", "2025-12", 0),
    (FactFilter(country="UZ", period_from="2024"), "fact_countries_recent_period", "2024-01", None, 4),
    (FactFilter(country="KZ", period_to="2023"), "fact_countries_recent_period", None, "2023-12", 1),
    (FactFilter(country="TJ", period_from="2024-07", period_to="2024-08"), "fact_countries_recent_period", "2024-07", "2024-08", 1),
    (FactFilter(country="TJ", period_from="2030"), "fact_countries_recent_period", "2030-01", None, 0),
]  # fmt: skip


@pytest.mark.parametrize(("flt", "index", "start", "end", "count"), CASES)
def test_store_period_filtered_recent_facts_read_the_covering_index(
    examples_db: Path,
    tmp_path: Path,
    flt: FactFilter,
    index: str,
    start: str | None,
    end: str | None,
    count: int,
) -> None:
    db = tmp_path / "store.db"
    shutil.copy(examples_db, db)
    store = open_store(db)
    try:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        shown = recent_facts(store, flt, limit=1000)
        store.conn.set_trace_callback(None)
        (sql,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert any(f"USING COVERING INDEX {index}" in step for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan  # in the index's order, not sorted

        unfiltered = FactFilter(pair=flt.pair, country=flt.country)
        every = recent_facts(store, unfiltered, limit=100_000)
        assert every, f"examples/ has facts of {flt.pair or flt.country}"
        expected = [f["fact_id"] for f in every if _overlaps(f.get("period"), start, end)]
        assert [f["fact_id"] for f in shown] == expected
        assert len(shown) == count
    finally:
        store.close()
