"""A promise's head (promises.head, promises/heads.promise_head): the promise as the lists show it, its first
HEAD_MEMBERS restatements and each shown statement's first HEAD_MEMBERS sources, with their counts. Written
by the ledger's refresh, filled by migration 18 for older stores, read by the lists (serve/lists.promise_page)
and the feeds (promises/store.promise_events); a NULL head is read from the data as before."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from karavan import api
from karavan.promises.heads import HEAD_MEMBERS, capped, promise_head
from karavan.promises.store import promise_events, refresh_promises
from karavan.serve.lists import promise_page, restated
from karavan.serve.paging import Paging
from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import register


def statement(i: int, sources: int) -> dict[str, Any]:
    return {"date": f"2024-0{1 + i % 9}-01", "docs": [f"d{i}"], "quotes": ["«до 2 млрд»"],
            "sources": [{"doc": f"d{i}-{j}", "quote": "«довести до 2 млрд»"} for j in range(sources)]}  # fmt: skip


def promise(restatements: int | None, sources: int, declared: bool = True) -> dict[str, Any]:
    """A stored promise's dict in Promise.to_dict's key order; `restatements` None: the key is missing."""
    p: dict[str, Any] = {"id": "p1", "pair": "KZ-TJ", "level": 2e9, "by": None,
                         "declared": statement(0, sources) if declared else None}  # fmt: skip
    if restatements is not None:
        p["restatements"] = [statement(i + 1, sources + i) for i in range(restatements)]
    p |= {
        "status": "no_deadline",
        "history": [{"at": "2024-01-01", "status": "no_deadline"}],
        "last_stated": "2024",
    }
    return p


def listed_before(data: dict[str, Any]) -> dict[str, Any]:
    """What promise_page made of the data before heads: restatements and history cut in SQL, then capped."""
    rest = data.get("restatements")
    cut = {k: json.loads(json.dumps(v)) for k, v in data.items() if k not in ("restatements", "history")}
    first = json.dumps(rest[:HEAD_MEMBERS]) if rest is not None else None
    return capped(restated(cut, len(rest) if rest is not None else None, first), HEAD_MEMBERS)


CASES = [
    # restatements, sources of each statement, a declaration
    (0, 0, True),
    (1, 2, True),
    (HEAD_MEMBERS, HEAD_MEMBERS, True),
    (HEAD_MEMBERS + 1, 5, True),
    (40, 12, True),
    (5, 1, False),
    (None, 4, True),
]


@pytest.mark.parametrize(("restatements", "sources", "declared"), CASES)
def test_promises_head_is_what_the_lists_cut(restatements: int | None, sources: int, declared: bool) -> None:
    data = promise(restatements, sources, declared)
    kept = json.dumps(data)
    head = promise_head(data)
    assert json.dumps(head) == json.dumps(listed_before(data))  # the same values, keys in the same order
    assert json.dumps(data) == kept  # the data is not changed
    assert "history" not in head


@pytest.mark.parametrize(("restatements", "sources", "declared"), [c for c in CASES if c[0] is not None])
def test_store_migration_18_fills_promise_heads(restatements: int, sources: int, declared: bool) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register(conn)  # kv_fold: migration 20's quote index
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 17])
    data = promise(restatements, sources, declared)
    conn.execute(
        "INSERT INTO promises (id, ord, pair, flow, product, status, data, updated)"
        " VALUES ('p1', 1, 'KZ-TJ', 'turnover', 'total', 'no_deadline', ?, '2026-12-01')",
        (json.dumps(data, ensure_ascii=False),),
    )
    assert migrate(conn, [m for m in MIGRATIONS if m[0] <= 18]) == [18]
    (head,) = conn.execute("SELECT head FROM promises").fetchone()
    assert json.dumps(json.loads(head)) == json.dumps(promise_head(data))


def test_store_migration_18_leaves_a_promise_without_restatements_to_its_data() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register(conn)  # kv_fold: migration 20's quote index
    migrate(conn, [m for m in MIGRATIONS if m[0] <= 17])
    conn.execute(
        "INSERT INTO promises (id, ord, pair, flow, product, status, data, updated)"
        " VALUES ('p1', 1, 'KZ-TJ', 'turnover', 'total', 'no_deadline', ?, '2026-12-01')",
        (json.dumps(promise(None, 2)),),
    )
    migrate(conn)
    assert conn.execute("SELECT head FROM promises").fetchone() == (None,)


@pytest.fixture()
def ledger_db(tmp_path: Path, seeds_reconciled_db: Path) -> Path:
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_reconciled_db, db)
    with api.open_store(db) as store:
        refresh_promises(store, "2026-12-01")
    return db


def test_promises_refresh_writes_each_head(ledger_db: Path) -> None:
    with api.open_store(ledger_db) as store:
        rows = store.conn.execute("SELECT data, head FROM promises").fetchall()
    assert rows  # the seeds' KZ-TJ target, among others
    for data, head in rows:
        assert json.dumps(json.loads(head)) == json.dumps(promise_head(json.loads(data)))


@pytest.mark.parametrize(
    ("pair", "members"), [(None, HEAD_MEMBERS), ("KZ-TJ", HEAD_MEMBERS), (None, 1), (None, None)]
)
def test_serve_promise_page_from_heads_is_from_data(
    ledger_db: Path, pair: str | None, members: int | None
) -> None:
    with api.open_store(ledger_db) as store:
        from_heads = promise_page(store, Paging(50), pair, members)
        events = promise_events(store, pair)
        store.conn.execute("UPDATE promises SET head = NULL")
        store.conn.commit()
        from_data = promise_page(store, Paging(50), pair, members)
        assert from_heads.rows
        assert json.dumps(from_heads.rows) == json.dumps(from_data.rows)
        assert (from_heads.total, from_heads.next_cursor) == (from_data.total, from_data.next_cursor)
        for e, before in zip(events, promise_events(store, pair), strict=True):
            assert {k: e["promise"][k] for k in ("level", "unit", "factor", "by")} == {
                k: before["promise"][k] for k in ("level", "unit", "factor", "by")
            }
