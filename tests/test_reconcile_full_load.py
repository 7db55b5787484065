"""A full run writes the near-duplicate buckets whole, in their key order (dupes_store.load_staged): the
schema stays as its migrations made it (an ingest beside the run must not see it change:
tests/test_store_serve_beside_cli.py), also when the run fails, and the next run in the same connection
writes the same rows (that they equal those written chunk by chunk, the incremental tests compare)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import recon_dump

from karavan.reconcile import dupes_store
from karavan.reconcile import store_bridge as bridge
from karavan.store import open_store


def _schema(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'recon_lsh' ORDER BY name"
        ).fetchall()


@pytest.mark.parametrize("runs", [["full"], ["full", "full"], ["incremental", "full"]])
def test_reconcile_full_load_keeps_the_schema(
    seeds_ingested_db: Path, tmp_path: Path, runs: list[str]
) -> None:
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_ingested_db, db)
    with open_store(db):
        pass  # migrated
    before = _schema(db)
    with open_store(db) as s:
        for kind in runs:
            bridge.reconcile_store(s, full=kind == "full")
        (staged,) = s.conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()
    assert _schema(db) == before
    assert any(name == "recon_lsh_doc" for name, _ in before)
    assert staged == 0


def _drop_stage_then_load(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE {dupes_store.STAGE}")
    dupes_store.load_staged(conn)  # no rows to read: fails


def _fail(*args: object) -> set[str]:
    raise RuntimeError("stopped after the buckets were loaded")


@pytest.mark.parametrize(
    ("where", "replacement"),
    [("load_staged", _drop_stage_then_load), ("redo_edges", _fail)],
)
def test_reconcile_full_load_failure_keeps_the_schema(
    seeds_ingested_db: Path,
    seeds_reconciled_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    replacement: object,
) -> None:
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_ingested_db, db)
    with open_store(db) as s:
        before = _schema(db)
        monkeypatch.setattr(f"karavan.reconcile.incremental.{where}", replacement)
        with pytest.raises((RuntimeError, sqlite3.OperationalError)):
            bridge.reconcile_store(s, full=True)
        assert _schema(db) == before
        monkeypatch.undo()
        assert bridge.reconcile_store(s, full=True)["kind"] == "full"  # the same connection: staged again
    assert recon_dump(db) == recon_dump(seeds_reconciled_db)  # a first run is a full one


@pytest.mark.parametrize(("setting", "value"), [("OFF", 0), ("ON", 1), ("FAST", 2)])
def test_reconcile_full_clear_restores_secure_delete(
    seeds_ingested_db: Path, tmp_path: Path, setting: str, value: int
) -> None:
    db = tmp_path / "seeds.db"
    shutil.copy(seeds_ingested_db, db)
    with open_store(db) as s:
        s.conn.execute(f"PRAGMA secure_delete = {setting}")
        assert bridge.reconcile_store(s, full=True)["kind"] == "full"
        (after,) = s.conn.execute("PRAGMA secure_delete").fetchone()
    assert after == value
