"""Migration 9: a fact's period on its fact_pairs and fact_countries rows, filled for a store that has
facts already and kept by the trigger that files the rows of every fact stored after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from karavan import api
from karavan.store.db import INSERT_DOC, INSERT_FACT
from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import register
from karavan.store.rows import doc_row, fact_row

ROOT = Path(__file__).resolve().parents[1]
BEFORE = [m for m in MIGRATIONS if m[0] < 9]


def store_doc(conn: sqlite3.Connection, name: str) -> int:
    (doc,) = api.extract_paths([ROOT / "examples" / name])
    conn.execute(INSERT_DOC, doc_row(doc))
    conn.executemany(INSERT_FACT, [fact_row(doc.id, f.to_dict()) for f in doc.facts])
    return sum(1 for f in doc.facts if f.to_dict().get("period"))


def mismatches(conn: sqlite3.Connection, table: str) -> int:
    sql = f"SELECT count(*) FROM {table} x JOIN facts f ON f.id = x.fact_id WHERE x.period IS NOT f.period"
    return int(conn.execute(sql).fetchone()[0])


@pytest.mark.parametrize("table", ["fact_pairs", "fact_countries"])
def test_store_period_rows_filled_then_kept(tmp_path: Path, table: str) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    register(conn)  # kv_fold: migration 20's quote index
    migrate(conn, BEFORE)
    assert store_doc(conn, "ru_kz_kg_cp1251.txt") > 0  # facts with periods before the migration
    migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == max(v for v, _ in MIGRATIONS)
    assert conn.execute(f"SELECT count(period) FROM {table}").fetchone()[0] > 0
    assert mismatches(conn, table) == 0
    store_doc(conn, "en_kz_uz_astana.txt")  # filed by the trigger after it
    assert mismatches(conn, table) == 0
    conn.execute("DELETE FROM facts")
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
