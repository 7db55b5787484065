"""Each pair's count of facts in fact_values (migration 22, field 'pair'), as the countries' are: filled for the
facts stored before, kept as facts are stored, changed and deleted; read by serve/queries.down_narrow."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import register
from tests.test_store_fact_recent import CHANGES as FACT_CHANGES
from tests.test_store_fact_recent import store_doc

COUNTED = "SELECT value, n FROM fact_values WHERE field = 'pair'"
TRUTH = "SELECT pair, count(*) FROM fact_pairs GROUP BY pair"

CHANGES: list[tuple[str, Callable[[sqlite3.Connection], object]]] = [
    *FACT_CHANGES,
    ("every fact deleted", lambda c: c.execute("DELETE FROM facts")),
    ("a pair row re-keyed", lambda c: c.execute("UPDATE fact_pairs SET pair = 'AA-ZZ' WHERE (pair, fact_id) = (SELECT pair, fact_id FROM fact_pairs LIMIT 1)")),
]  # fmt: skip


def _kept(conn: sqlite3.Connection, some: bool = True) -> None:
    assert sorted(conn.execute(COUNTED).fetchall()) == sorted(conn.execute(TRUTH).fetchall())
    if some:
        assert conn.execute(TRUTH).fetchall(), "the store has pairs"


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[w for w, _ in CHANGES])
def test_store_pair_counts_filled_then_kept(tmp_path: Path, what: str, change: Callable[..., object]) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    register(conn)
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 21])
    conn.execute("PRAGMA foreign_keys = ON")
    store_doc(conn, "ru_kz_kg_cp1251.txt")  # facts before the migration
    store_doc(conn, "kk_cyrl_kz_cn.txt")
    assert migrate(conn)[0] == 22
    _kept(conn)
    change(conn)
    _kept(conn, some=what != "every fact deleted")
