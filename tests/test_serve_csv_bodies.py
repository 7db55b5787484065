"""The meetings and promises CSVs' rows, read with their big members cut in SQL (serve/csv_bodies.py), are
the rows the lists' pages give when decoded whole (meeting_page with every source, promise_page with every
restatement), page after page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from karavan.promises.cli import promise_row
from karavan.serve import csv_bodies
from karavan.serve.lists import meeting_page, promise_page
from karavan.serve.paging import Page, Paging
from karavan.store import Store, open_store


def meetings_decoded(store: Store, paging: Paging, pair: str | None) -> Page:
    page = meeting_page(store, paging, pair, sources=None)
    page.rows = [  # type: ignore[misc]
        {
            **m,
            "docs": sorted({s["doc"] for s in m["sources"]}),
            "quote": (m["sources"] or [{}])[0].get("quote"),
        }
        for m in page.rows  # type: ignore[attr-defined]
    ]
    return page


def promises_decoded(store: Store, paging: Paging, pair: str | None) -> Page:
    page = promise_page(store, paging, pair, members=None)
    page.rows = [promise_row(p) for p in page.rows]  # type: ignore[arg-type, misc]
    return page


CASES = [
    (csv_bodies.MEETINGS, meetings_decoded, None),
    (csv_bodies.MEETINGS, meetings_decoded, "KZ-UZ"),
    (csv_bodies.MEETINGS, meetings_decoded, "UZ-KZ"),
    (csv_bodies.PROMISES, promises_decoded, None),
    (csv_bodies.PROMISES, promises_decoded, "UZ-KZ"),
]


@pytest.mark.parametrize(("export", "decoded", "pair"), CASES)
def test_serve_csv_rows_same_as_decoded_lists(
    examples_db: Path, export: csv_bodies.ListExport, decoded: Any, pair: str | None
) -> None:
    with open_store(examples_db) as store:
        cursor, pages, n = None, 0, 0
        while True:
            got, want = export.read(store, Paging(3, cursor), pair), decoded(store, Paging(3, cursor), pair)
            assert export.page_text(got) == export.page_text(want)
            assert [r.get(c) for r in got.rows for c in export.columns] == [  # type: ignore[attr-defined]
                r.get(c)
                for r in want.rows
                for c in export.columns  # type: ignore[attr-defined]
            ]
            assert got.next_cursor == want.next_cursor
            pages, n, cursor = pages + 1, n + len(got.rows), got.next_cursor
            if not cursor:
                break
    assert n >= 1 and (pair is not None or pages > 1)
