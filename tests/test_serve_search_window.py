"""A word search ranks (bm25) the newest RANK_WINDOW of its matches (serve/search.py): the same results as
ranking every match when fewer match, the best of the newest ones when more do, read without scoring the
older ones."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pytest

from karavan.serve import search

# (rowid, quote): rowid is the stored order; the short quotes rank best (bm25 favours a short match)
QUOTES = [
    (1, "товарооборот"),
    (2, "товарооборот вырос"),
    (3, "товарооборот между странами вырос на двадцать процентов"),
    (4, "товарооборот достиг двух миллиардов долларов за прошлый год"),
    (5, "соглашение о торговле"),
    (6, "товарооборот составил"),
    (7, "стороны обсудили товарооборот и новые проекты в энергетике и логистике"),
]


@dataclass
class FakeStore:
    conn: sqlite3.Connection


@pytest.fixture()
def store() -> FakeStore:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE facts_fts USING fts5(quote)")
    conn.executemany("INSERT INTO facts_fts(rowid, quote) VALUES (?, ?)", QUOTES)
    return FakeStore(conn)


def ranked(store: FakeStore, query: str, among: list[int] | None = None) -> list[int]:
    """bm25's order over every match, or over the matches `among`."""
    rows = store.conn.execute(
        "SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rank", (query,)
    ).fetchall()
    return [r for (r,) in rows if among is None or r in among]


CASES = [
    # window, query, the matches it ranks (None: all)
    (2000, '"товарооборот"*', None),
    (6, '"товарооборот"*', None),  # as many as match
    (3, '"товарооборот"*', [4, 6, 7]),  # the newest three
    (1, '"товарооборот"*', [7]),
    (3, '"соглашен"*', None),  # one match
    (3, '"нефть"*', []),  # none
]


@pytest.mark.parametrize(("window", "query", "among"), CASES)
def test_serve_search_ranks_the_newest_matches(
    store: FakeStore, monkeypatch: pytest.MonkeyPatch, window: int, query: str, among: list[int] | None
) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", window)
    got = search._fts(store, "facts_fts", query, 10)  # type: ignore[arg-type]
    assert got == ranked(store, query, among)
    assert search._fts(store, "facts_fts", query, 2) == got[:2]  # type: ignore[arg-type]


@pytest.mark.parametrize(("window", "start"), [(1, 7), (3, 4), (6, 1), (7, 0), (2000, 0)])
def test_serve_search_window_start(
    store: FakeStore, monkeypatch: pytest.MonkeyPatch, window: int, start: int
) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", window)
    assert search.window_start(store, "facts_fts", '"товарооборот"*') == start  # type: ignore[arg-type]
