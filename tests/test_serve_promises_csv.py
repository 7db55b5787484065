"""The ledger's CSV as the server writes it (serve/csv_bodies.PROMISES): each promise's row from its head and
its restatements' cells (promises.restated, migration 21) and its current status changes
(lists.current_changes), the same cells `karavan promises --format csv` writes from the whole data
(promise_row), and the same from a store written before migration 21 (restated NULL: cut from the data)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from karavan import api
from karavan.promises.cli import CSV_COLUMNS, promise_row
from karavan.promises.heads import promise_head, restated_cells
from karavan.promises.store import read_promises, refresh_promises
from karavan.serve.csv_bodies import PROMISES, csv_rows
from karavan.serve.lists import current_changes
from karavan.serve.paging import MAX_LIMIT, Paging
from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import register


def statement(i: int) -> dict[str, Any]:
    return {"date": f"2025-{1 + i % 12:02d}-0{1 + i % 9}", "claimants": [f"Министр {i % 3}"],
            "docs": [f"doc-{i % 7}", f"doc-{i % 4}"], "quotes": ["«довести до 3 млрд»"],
            "sources": [{"doc": f"doc-{i % 7}", "quote": "«довести до 3 млрд»"}]}  # fmt: skip


def stored_promise(pid: str, ord_: int, restatements: int | None) -> dict[str, Any]:
    """A promise's stored dict with every key promise_row reads; `restatements` None: the key is missing."""
    p: dict[str, Any] = {
        "id": pid, "pair": "KZ-UZ", "countries": ["KZ", "UZ"], "flow": "turnover", "product": "total",
        "level": 3e9, "unit": "USD", "factor": None, "by": "2030", "declared": statement(0),
    }  # fmt: skip
    if restatements is not None:
        p["restatements"] = [statement(i + 1) for i in range(restatements)]
    p |= {
        "status": "on_track", "reason": "", "superseded_by": None, "last_stated": "2025",
        "baseline": {"year": 2023, "value": 1.5e9, "source": "doc-1"}, "latest": None,
        "required_growth_pct": 10.0, "growth_since_pct": None, "progress_pct": None, "history": [],
    }  # fmt: skip
    return p


def csv_of_cli(store: api.Store) -> str:
    """The rows `karavan promises --format csv` writes, as the server's CSV lines."""
    return csv_rows([r.get(c) for c in CSV_COLUMNS] for r in map(promise_row, read_promises(store)))


def csv_served(store: api.Store) -> str:
    page = PROMISES.read(store, Paging(MAX_LIMIT), None)
    return PROMISES.page_text(page)


RESTATED = [0, 1, 2, 40, 600]  # restatements of the synthetic promises (Promise.to_dict always has the key)


@pytest.fixture()
def ledger_db(tmp_path: Path, seeds_reconciled_db: Path) -> Path:
    """The seeds' ledger with a promise of each RESTATED count beside it, and changes of status no longer
    current among the current ones."""
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_reconciled_db, db)
    with api.open_store(db) as store:
        refresh_promises(store, "2026-12-01")
        conn = store.conn
        for i, n in enumerate(RESTATED):
            p = stored_promise(f"synthetic-{i}", 1000 + i, n)
            conn.execute(
                "INSERT INTO promises (id, ord, pair, flow, product, status, data, head, restated, updated)"
                " VALUES (?, ?, 'KZ-UZ', 'turnover', 'total', 'on_track', ?, ?, ?, '2026-12-01')",
                (p["id"], 1000 + i, json.dumps(p, ensure_ascii=False),
                 json.dumps(promise_head(p), ensure_ascii=False), json.dumps(restated_cells(p))),
            )  # fmt: skip
            for j, (at, current) in enumerate(
                [("2025-03", 0), ("2024-01", 1), ("2025-01", 1), ("2024-06", 0)]
            ):
                conn.execute(
                    "INSERT INTO promise_history (promise_id, pair, at, status, previous, reason, noticed,"
                    " current) VALUES (?, 'KZ-UZ', ?, ?, '', '', '2026-12-01', ?)",
                    (p["id"], at, f"status-{j}", current),
                )
        conn.commit()
    return db


def test_serve_promises_csv_is_the_cli_csv(ledger_db: Path) -> None:
    with api.open_store(ledger_db) as store:
        served, cli = csv_served(store), csv_of_cli(store)
        (n,) = store.conn.execute("SELECT count(*) FROM promises").fetchone()
    assert served == cli
    assert len(served.splitlines()) == n > len(RESTATED)
    assert "2024-01: status-1; 2025-01: status-2" in served  # current changes by date, the others left out
    assert "status-0" not in served and "status-3" not in served


def test_serve_promises_csv_from_a_store_before_migration_21(ledger_db: Path) -> None:
    """A promise without its head or restated cells (written before migrations 18 and 21) is cut from its
    data, to the same cells."""
    with api.open_store(ledger_db) as store:
        with_columns = csv_served(store)
        store.conn.execute("UPDATE promises SET restated = NULL, head = NULL")
        store.conn.commit()
        assert csv_served(store) == with_columns == csv_of_cli(store)


def test_promises_refresh_writes_each_restated(ledger_db: Path) -> None:
    with api.open_store(ledger_db) as store:
        rows = store.conn.execute("SELECT data, restated FROM promises").fetchall()
    assert rows
    for data, restated in rows:
        assert json.loads(restated) == restated_cells(json.loads(data))


@pytest.mark.parametrize("restatements", [*RESTATED, None])  # None: no such key
def test_store_migration_21_fills_restated(restatements: int | None) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register(conn)  # kv_fold: migration 20's quote index
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 20])
    data = stored_promise("p1", 1, restatements)
    conn.execute(
        "INSERT INTO promises (id, ord, pair, flow, product, status, data, updated)"
        " VALUES ('p1', 1, 'KZ-UZ', 'turnover', 'total', 'on_track', ?, '2026-12-01')",
        (json.dumps(data, ensure_ascii=False),),
    )
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 21]) == [21]
    (restated,) = conn.execute("SELECT restated FROM promises").fetchone()
    if restatements is None:
        assert restated is None  # read from the data, as before
    else:
        assert json.loads(restated) == restated_cells(data)
        assert len(json.loads(restated)) == restatements


def test_store_current_changes_read_one_index(ledger_db: Path) -> None:
    with api.open_store(ledger_db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM promises")]
        ran: list[str] = []
        store.conn.set_trace_callback(ran.append)
        changes = current_changes(store, ids)
        store.conn.set_trace_callback(None)
        [sql] = ran
        plan = " ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert [h["status"] for h in changes["synthetic-0"]] == ["status-1", "status-2"]
    assert "COVERING INDEX promise_history_current" in plan and "TEMP B-TREE" not in plan
