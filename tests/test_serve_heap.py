"""The server settles its long-lived heap once at start-up (serve/heap.py): warm-ups run, then gc.freeze."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan.serve import heap, pages
from karavan.serve.app import create_app
from karavan.store import open_store


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """heap as in a new process, its gc calls recorded (the test process's own heap is left as it is)."""
    calls: list[str] = []
    monkeypatch.setattr(heap, "_settled", False)
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    return calls


@pytest.mark.parametrize(
    ("settles", "expected"),
    [
        (1, ["warm", "collect", "freeze"]),  # warm-ups first, then one collection, then the freeze
        (3, ["warm", "collect", "freeze"]),  # later calls do nothing
    ],
)
def test_serve_heap_settles_once(fresh: list[str], settles: int, expected: list[str]) -> None:
    done = [heap.settle(lambda: fresh.append("warm")) for _ in range(settles)]
    assert done == [True] + [False] * (settles - 1)
    assert fresh == expected


def test_serve_heap_settled_at_startup(fresh: list[str], tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    open_store(db).close()
    app = create_app(db, exports_ahead=False)
    assert fresh == []  # nothing before the server starts
    with TestClient(app):
        assert fresh == ["collect", "freeze"]
        app.state.handle.reconciler.close()


def test_serve_heap_warm_compiles_every_template() -> None:
    pages.warm()
    cached = {key[1] for key in pages.ENV.cache}  # jinja keys its cache by (loader, name)
    assert set(pages.ENV.list_templates()) <= cached
