"""A full run stopped after it emptied the results (incremental._clear) leaves a mark (store_meta's
recon_cleared): the store reads as stale and the next run is full, whatever the last finished run's row
says; the finished run takes the mark away, and its results are those of an uninterrupted full run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import recon_dump

from karavan.reconcile import incremental
from karavan.reconcile import store_bridge as bridge
from karavan.store import open_store


def _stop(*args: object) -> None:
    raise KeyboardInterrupt  # the user's Ctrl-C, or the process killed, between two of the run's steps


@pytest.mark.parametrize("where", ["_regroup", "reconcile_blocks"])
def test_reconcile_full_run_stopped_after_clearing_runs_full_again(
    seeds_ingested_db: Path,
    seeds_reconciled_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    db = tmp_path / "stopped.db"
    shutil.copy(seeds_ingested_db, db)
    with open_store(db) as s:
        bridge.reconcile_store(s)  # a finished run: its row matches the store
        with monkeypatch.context() as m:
            m.setattr(incremental, where, _stop)
            with pytest.raises(KeyboardInterrupt):
                bridge.reconcile_store(s, full=True)
        assert incremental.freshness(s.conn)["stale"]
        p = incremental.plan(s.conn, False)
        assert p is not None and p.full
        summary = bridge.reconcile_store(s)
        assert summary["kind"] == "full"
        assert not incremental._cleared(s.conn)
        assert not incremental.freshness(s.conn)["stale"]
        assert incremental.plan(s.conn, False) is None
    assert recon_dump(db) == recon_dump(seeds_reconciled_db)  # a first run is a full one
