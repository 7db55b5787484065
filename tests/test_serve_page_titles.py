"""A page's document headlines are read before it is rendered, all at once (pages.doc_ids, pages.titles): a
page of 100 facts read its documents' headlines one query each. The same headlines either way."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from karavan.serve import state
from karavan.serve.app import create_app
from karavan.serve.pages import doc_ids

ONE_DOCUMENT = "FROM documents WHERE id = "  # export.documents_cited of one (the trace binds its value)


@pytest.mark.parametrize(
    ("shown", "ids"),
    [
        ((), set()),
        (([{"doc": "a"}, {"doc": "b"}, {"doc": "a"}],), {"a", "b"}),  # facts
        (([{"sides": [{"evidence": [{"doc": "a"}, {"doc": "b"}]}]}],), {"a", "b"}),  # discrepancies
        (([{"declared": {"docs": ["a", "b"]}, "restatements": [{"sources": [{"doc": "c"}]}]}],), {"a", "b", "c"}),
        (([{"doc": None, "docs": None}, {"doc": 3, "docs": ["a", 4]}],), {"a"}),  # not ids: left alone
        (([{"doc": "a"}], [{"sources": [{"doc": "b"}]}]), {"a", "b"}),  # several lists of one page
        (([[{"doc": "a"}]],), {"a"}),
        (([{"history": [{"doc": "a"}], "points": [{"sources": [{"doc": "b"}]}]}],), set()),  # not shown rows
    ],
)  # fmt: skip
def test_serve_doc_ids_of_what_a_page_shows(shown: tuple[Any, ...], ids: set[str]) -> None:
    assert doc_ids(*shown) == ids


@pytest.mark.parametrize(
    "path", ["/facts", "/pairs/KZ-UZ", "/facts?language=ru", "/discrepancies", "/promises", "/meetings"]
)
def test_serve_page_reads_its_headlines_at_once(
    tmp_path: Path, examples_db: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    db = tmp_path / "k.db"
    shutil.copy(examples_db, db)
    statements: list[str] = []
    real = state.open_store

    def traced(*args: Any, **kwargs: Any) -> Any:
        store = real(*args, **kwargs)
        store.conn.set_trace_callback(statements.append)
        return store

    monkeypatch.setattr(state, "open_store", traced)
    app = create_app(db, exports_ahead=False)
    with TestClient(app) as client:
        app.state.handle.reconciler.close()
        statements.clear()
        page = client.get(path)
    assert page.status_code == 200 and 'class="doc"' in page.text
    alone = [s for s in statements if ONE_DOCUMENT in s]
    assert not alone, alone
