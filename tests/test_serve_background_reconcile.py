"""The server never reconciles inside a request: pages and API answers serve the last finished
reconciliation and say how fresh it is; a background thread takes in what changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from karavan.serve import state
from karavan.serve.app import create_app
from karavan.store import open_store


@pytest.fixture
def db(tmp_path: Path, examples_db: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copy(examples_db, path)
    return path


def _redate(db: Path) -> int:
    """Give one KZ-UZ document another source (its clusters' evidence changes); the store's new version."""
    with open_store(db) as s:
        doc = next(d for d in s.iter_docs() if any(f.fields.get("partner") == "UZ" for f in d.facts))
        s.put(replace(doc, source="another-site.example"))
        return s.version()


def test_serve_requests_read_the_last_run_and_the_thread_reconciles(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = state.Reconciler.reconcile

    def spy(self: state.Reconciler) -> dict:
        threads.append(threading.current_thread().name)
        return real(self)

    monkeypatch.setattr(state.Reconciler, "reconcile", spy)
    app = create_app(db)
    handle = app.state.handle
    with TestClient(app) as client:
        first = client.get("/api/pairs")
        assert first.headers["x-karavan-changed-documents"] == "0"
        handle.reconciler.close()  # stopped, so that what follows is seen before it runs
        handle.reconciler.thread.join(5)
        version = _redate(db)
        stale = client.get("/api/pairs")
        assert stale.json() == first.json()
        assert stale.headers["x-karavan-changed-documents"] == "1"
        assert "1 documents changed since" in client.get("/").text
        handle.reconciler.stop.clear()
        assert handle.reconciler.wait_for(version, timeout=30)
        fresh = client.get("/api/pairs")
        assert fresh.headers["x-karavan-changed-documents"] == "0"
        ran = handle.reconciler.last_run
        handle.reconciler.close()
    assert threads and set(threads) == {"karavan-reconcile"}
    assert ran is not None and ran["changed"] and ran["pid"] != os.getpid()  # in the worker process


def test_serve_a_store_never_reconciled_is_reconciled_before_the_first_request(tmp_path: Path) -> None:
    from karavan import api

    db = tmp_path / "new.db"
    api.ingest_paths([Path(__file__).parents[1] / "examples"], db)
    with TestClient(create_app(db)) as client:
        r = client.get("/api/pairs")
        assert r.json() and r.headers["x-karavan-reconciled"] != "never"


ORPHAN = """
import os, sys
from karavan.serve.state import Reconciler
if __name__ == "__main__":
    r = Reconciler(sys.argv[1])
    r.reconcile()
    print(r.last_run["pid"], flush=True)
    os._exit(0) if sys.argv[2] == "killed" else r.close()
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("how", ["killed", "closed"])
def test_serve_reconcile_worker_ends_with_the_server(db: Path, tmp_path: Path, how: str) -> None:
    """The worker process a server starts leaves when the server closes it, and when the server dies."""
    script = tmp_path / "server.py"
    script.write_text(ORPHAN)
    out = subprocess.run(
        [sys.executable, str(script), str(db), how], capture_output=True, text=True, timeout=120
    )
    worker = int(out.stdout.split()[0])
    ends = time.monotonic() + 20
    while _alive(worker) and time.monotonic() < ends:
        time.sleep(0.2)
    assert not _alive(worker)


@pytest.mark.parametrize(
    ("worker", "lower_by"),
    [
        (lambda path: state.Reconciler(path).worker, state.RECONCILE_NICENESS),  # yields to the requests
        (lambda path: state.ExportsWriter(path).worker, 19),  # the lowest priority
    ],
)
def test_serve_background_workers_run_below_the_server(db: Path, worker: Any, lower_by: int) -> None:
    w = worker(str(db))
    try:
        assert w.run(os.nice, 0) == min(19, os.nice(0) + lower_by)  # 19 is the lowest there is
    finally:
        w.close()
