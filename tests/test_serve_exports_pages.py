"""A page of /facts.csv (?limit=, ?cursor=) cut from the whole export's file written ahead
(serve/exports_ahead.Pages, page_of): the same bytes and the same next-page links as the page rendered live,
for every cursor and size; from the file of the store as it is only, else rendered live; a pages file that is
missing or damaged leaves the page to be rendered."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan.serve import exports_ahead
from karavan.serve.app import create_app
from karavan.serve.queries import encode_cursor
from karavan.store import open_store

FILES = [  # the facts exports written ahead (their filter as a query)
    {},
    {"pair": "KZ-UZ"},
    {"pair": "uz-kz"},
    {"pair": "KZ-UZ", "period_from": "2024", "period_to": "2024"},
]
LIMITS = [1, 2, 7, 500]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples_db: Path) -> Iterator[Path]:
    """examples/ with its exports written ahead, a flush point every 3 rows (several in a small store)."""
    path = tmp_path_factory.mktemp("pages") / "k.db"
    shutil.copy(examples_db, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(exports_ahead, "FLUSH_ROWS", 3)
        with open_store(path) as store:
            stamp = exports_ahead.data_stamp(store)
        assert not exports_ahead.write_all(str(path), stamp)["stopped"]
    yield path


@pytest.fixture(scope="module")
def clients(db: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """(live, ahead): the same store served without and with the exports written ahead."""
    live_app, ahead_app = create_app(db, exports_ahead=False), create_app(db)
    with TestClient(live_app) as live, TestClient(ahead_app) as ahead:
        live_app.state.handle.reconciler.close()
        ahead_app.state.handle.reconciler.close()
        yield live, ahead


def cursors(db: Path) -> list[str | None]:
    """No cursor, a cursor before the first fact, at each fact of the export, between and past them."""
    with open_store(db) as store:
        ids = [i for (i,) in store.conn.execute("SELECT id FROM facts ORDER BY id")]
    assert ids
    return [None, *(encode_cursor(i) for i in sorted({1, *ids, *(i + 1 for i in ids), ids[-1] + 100}))]


def same_page(live: TestClient, ahead: TestClient, params: dict[str, str]) -> bytes:
    a, b = live.get("/facts.csv", params=params), ahead.get("/facts.csv", params=params)
    assert a.status_code == b.status_code == 200
    assert b.content == a.content
    for header in ("link", "x-next-cursor", "content-type", "content-disposition"):
        assert b.headers.get(header) == a.headers.get(header), header
    return b.content


@pytest.mark.parametrize("limit", LIMITS)
@pytest.mark.parametrize("query", FILES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_serve_facts_csv_page_from_its_file_is_the_live_page(
    db: Path, clients: tuple[TestClient, TestClient], query: dict[str, str], limit: int
) -> None:
    live, ahead = clients
    assert exports_ahead.facts_file(_flt(query)) is not None
    rows = 0
    for cursor in cursors(db):
        params = {**query, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        rows += same_page(live, ahead, params).count(b"\n") - 1
    assert rows > 0


def test_serve_facts_csv_pages_followed_give_the_whole_export(clients: tuple[TestClient, TestClient]) -> None:
    """Followed by X-Next-Cursor, pages from the file are the whole export's rows, each once."""
    _, ahead = clients
    whole = ahead.get("/facts.csv", params={"pair": "KZ-UZ"}).content
    header, *rows = whole.split(b"\n", 1)
    got = b""
    cursor = None
    while True:
        r = ahead.get(
            "/facts.csv", params={"pair": "KZ-UZ", "limit": "2", **({"cursor": cursor} if cursor else {})}
        )
        page_header, body = r.content.split(b"\n", 1)
        assert page_header == header
        got += body
        cursor = r.headers.get("x-next-cursor")
        if not cursor:
            break
    assert got == rows[0]


def test_serve_facts_csv_page_is_cut_from_the_file(db: Path, clients: tuple[TestClient, TestClient]) -> None:
    """The page is read from the file: a file changed by hand shows (so nothing rendered it)."""
    _, ahead = clients
    with open_store(db) as store:
        here = exports_ahead.folder_of(db) / exports_ahead.data_stamp(store)
    with pytest.MonkeyPatch.context() as mp:
        calls: list[object] = []
        real = exports_ahead.Pages.page
        mp.setattr(exports_ahead.Pages, "page", lambda self, *a: calls.append(a) or real(self, *a))
        ahead.get("/facts.csv", params={"pair": "KZ-UZ", "limit": "2"})
    assert calls and (here / "facts.pair-KZ-UZ.csv.pages").exists()


@pytest.mark.parametrize("damage", ["missing", "cut short", "not a pages file", "file cut short"])
def test_serve_facts_csv_page_without_good_pages_is_rendered(tmp_path: Path, db: Path, damage: str) -> None:
    copy = tmp_path / "k.db"
    shutil.copy(db, copy)
    shutil.copytree(exports_ahead.folder_of(db), exports_ahead.folder_of(copy))
    with open_store(copy) as store:
        here = exports_ahead.folder_of(copy) / exports_ahead.data_stamp(store)
    pages, packed = here / "facts.pair-KZ-UZ.csv.pages", here / "facts.pair-KZ-UZ.csv.gz"
    if damage == "missing":
        pages.unlink()
    elif damage == "cut short":
        pages.write_bytes(pages.read_bytes()[:-9])
    elif damage == "not a pages file":
        pages.write_bytes(b"garbage" * 10)
    else:
        packed.write_bytes(packed.read_bytes()[:40])
    live_app, ahead_app = create_app(copy, exports_ahead=False), create_app(copy)
    with TestClient(live_app) as live, TestClient(ahead_app) as ahead:
        live_app.state.handle.reconciler.close()
        ahead_app.state.handle.reconciler.close()
        for cursor in (None, encode_cursor(1)):
            same_page(live, ahead, {"pair": "KZ-UZ", "limit": "3", **({"cursor": cursor} if cursor else {})})


def test_serve_facts_csv_page_of_a_changed_store_is_rendered(tmp_path: Path, db: Path) -> None:
    """The store changed since the file was written: the page is the store's as it is, never the file's."""
    copy = tmp_path / "k.db"
    shutil.copy(db, copy)
    shutil.copytree(exports_ahead.folder_of(db), exports_ahead.folder_of(copy))
    with open_store(copy) as store:
        store.conn.execute(
            "UPDATE documents SET source = 'changed.example' WHERE id IN (SELECT doc_id FROM facts)"
        )
        store.conn.execute("UPDATE store_meta SET value = value + 1 WHERE key = 'version'")
        store.conn.commit()
    app = create_app(copy)
    with TestClient(app) as ahead:
        app.state.handle.reconciler.close()
        page = ahead.get("/facts.csv", params={"pair": "KZ-UZ", "limit": "5"}).content
    assert b"changed.example" in page


def _flt(query: dict[str, str]) -> object:
    from karavan.serve.queries import FactFilter

    return FactFilter(
        pair=query.get("pair"), period_from=query.get("period_from"), period_to=query.get("period_to")
    )


@pytest.mark.parametrize(
    "params",
    [
        {"pair": "KZ-UZ", "limit": "501"},  # more than a page holds
        {"pair": "KZ-UZ", "limit": "0"},
        {"pair": "KZ-UZ", "limit": "5", "cursor": "not-a-cursor"},
        {"pair": "KZ-UZ", "limit": "5", "cursor": encode_cursor(2**63)},  # no row id
    ],
)
def test_serve_facts_csv_page_bad_request_answered_as_live(
    clients: tuple[TestClient, TestClient], params: dict[str, str]
) -> None:
    live, ahead = clients
    a, b = live.get("/facts.csv", params=params), ahead.get("/facts.csv", params=params)
    assert a.status_code == b.status_code >= 400
    assert a.json() == b.json()


def test_serve_exports_ahead_links_a_pair_with_its_pages_or_writes_it(tmp_path: Path, db: Path) -> None:
    """The next stamp links an unchanged pair's file only with its pages: a pair written without them (by a
    karavan that kept none) is written again, with them."""
    from tests.test_serve_exports_ahead import _redate, written

    copy = tmp_path / "k.db"
    shutil.copy(db, copy)
    first = written(copy)
    old = exports_ahead.folder_of(copy) / str(first["stamp"])
    kept = sorted(p.name for p in old.glob("facts.pair-*.csv.pages"))
    assert len(kept) > 2
    without = old / next(k for k in kept if "KZ-UZ" not in k)  # a pair _redate leaves as it was
    without.unlink()  # as a folder of LAYOUT 2 had it
    _redate(copy)
    second = written(copy)
    here = exports_ahead.folder_of(copy) / str(second["stamp"])
    name = without.name.removesuffix(exports_ahead.PAGES)
    assert name in second["written"] and name not in second["linked"]
    assert second["linked"]  # the others, with their pages
    for pages in kept:
        assert (here / pages).exists() and (here / pages.replace(".pages", ".gz")).exists()
