"""The search (serve/search.py). A word search ranks (bm25) the newest RANK_WINDOW of its matches: the same
results as ranking every match when fewer match, the best of the newest ones when more do, read without
scoring the older ones. The search page shows its results a page at a time (?page=)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from karavan.serve import search
from karavan.serve.app import create_app

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


# -- a page at a time (?page=) --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_client(examples_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(examples_db)) as c:
        yield c


def shown(html: str) -> tuple[list[str], list[str], dict[str, str]]:
    """The facts, the documents and the page links (rel: href) a search page shows."""
    facts = re.findall(r'<a href="/facts/(\d+)">', html)
    docs = re.findall(r'<li><a href="/documents/([^"]+)">', html)
    links = {
        rel: href.replace("&amp;", "&") for href, rel in re.findall(r'<a href="([^"]+)" rel="(\w+)">', html)
    }
    return facts, docs, links


@pytest.mark.parametrize(
    ("q", "facts_a_page", "docs_a_page"),
    [("товарооборот", 2, 1), ("Tajikistan", 3, 2), ("KZ-UZ", 1, 1), ("Бектенов", 2, 1)],
)
def test_serve_search_pages_give_what_one_page_gives(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch, q: str, facts_a_page: int, docs_a_page: int
) -> None:
    """Followed by their `next` links, the pages show every fact and document one long page shows, each
    once, in the same order, and the last page has no `next`."""
    monkeypatch.setattr(search, "MAX_PAGE", 1000)
    all_facts, all_docs, links = shown(app_client.get("/search", params={"q": q}).text)
    assert all_facts and "next" not in links
    monkeypatch.setattr(search, "FACT_LIMIT", facts_a_page)
    monkeypatch.setattr(search, "DOC_LIMIT", docs_a_page)
    facts: list[str] = []
    docs: list[str] = []
    url: str | None = "/search?" + urlencode({"q": q})
    pages = 0
    while url:
        page_facts, page_docs, links = shown(app_client.get(url).text)
        assert len(page_facts) <= facts_a_page and len(page_docs) <= docs_a_page
        facts += page_facts
        docs += page_docs
        pages += 1
        if pages > 1:
            assert "prev" in links
        url = links.get("next")
    assert pages > 1
    assert (sorted(facts), docs) == (sorted(all_facts), all_docs)  # a page's facts are by date, not rank
    assert len(set(facts)) == len(facts)


def test_serve_search_stops_at_its_last_page(app_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "FACT_LIMIT", 1)
    monkeypatch.setattr(search, "DOC_LIMIT", 1)
    monkeypatch.setattr(search, "MAX_PAGE", 2)
    _, _, links = shown(app_client.get("/search", params={"q": "товарооборот", "page": 2}).text)
    assert "next" not in links and "prev" in links
    beyond = app_client.get("/search", params={"q": "товарооборот", "page": 50})
    assert beyond.status_code == 200 and shown(beyond.text)[2].keys() == {"prev"}  # shown as page 2
    assert app_client.get("/search", params={"q": "товарооборот", "page": 0}).status_code == 422
