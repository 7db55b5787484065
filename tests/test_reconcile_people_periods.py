"""recon_people carries each meeting's period (NULL for a statement): written with every block's rows
(results_store._people_rows, block_delta keeps or replaces them), filled by migration 17 for stores made
before, and read by a person's timeline (serve/lists.TIMELINE_ROWS) in place of the meeting's cluster row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from karavan.store import open_store
from karavan.store.migrations import MIGRATIONS, migrate

WRONG = """SELECT p.name, p.kind, p.cluster_id, p.period, c.period FROM recon_people p
    JOIN recon_clusters c ON c.id = p.cluster_id
    WHERE (p.kind = 'meeting' AND p.period IS NOT c.period) OR (p.kind = 'statement' AND p.period IS NOT NULL)"""


def test_reconcile_people_rows_carry_meeting_periods(examples_db: Path) -> None:
    with open_store(examples_db) as store:
        kinds = dict(store.conn.execute("SELECT kind, count(*) FROM recon_people GROUP BY kind").fetchall())
        assert kinds.get("meeting")  # the examples have meetings to check
        assert store.conn.execute(WRONG).fetchall() == []


@pytest.mark.parametrize(
    ("kind", "period", "expected"),
    [
        ("meeting", "2024-03", "2024-03"),
        ("meeting", None, None),
        ("statement", "2023-01/2023-12", None),
    ],
)
def test_store_migration_17_fills_people_periods(kind: str, period: str | None, expected: str | None) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 16])
    conn.execute(
        "INSERT INTO recon_clusters (id, ord, type, pair, period, n_sources, data)"
        " VALUES ('c1', '1', ?, 'KZ-UZ', ?, 1, '{}')",
        (kind if kind == "meeting" else "trade", period),
    )
    conn.execute(
        "INSERT INTO recon_people (name, kind, ord, cluster_id, pair) VALUES ('A B', ?, '1', 'c1', 'KZ-UZ')",
        (kind,),
    )
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 17]) == [17]
    assert conn.execute("SELECT period FROM recon_people").fetchone() == (expected,)
