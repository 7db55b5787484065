"""Long lists come a page at a time (karavan/serve/paging.py): every row reachable by following `next`,
in the order of the whole list, filters kept, a row deleted between two pages skipping nothing, and a
cursor the list never gave refused with a 400."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from karavan.serve.app import create_app
from karavan.serve.paging import Order, Paging, decode, encode, list_page


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples_db: Path) -> Path:
    db = tmp_path_factory.mktemp("paging") / "k.db"
    shutil.copy(examples_db, db)
    return db


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        c.app.state.handle.reconciler.close()  # type: ignore[attr-defined]
        yield c


def person(client: TestClient) -> str:
    return client.get("/api/people").json()[0]["id"]


def csv_ids(column: str) -> Callable[[Any], list[str]]:
    def read(r: Any) -> list[str]:
        return [row[column] for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))]

    return read


def json_ids(key: str, field: str) -> Callable[[Any], list[str]]:
    return lambda r: [str(x[field]) for x in r.json()[key]]


def next_of(r: Any) -> str | None:
    """The next page's URL: the Link header's rel="next" (relative)."""
    m = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
    return m.group(1) if m else None


# (the list's URL, its filters, how to read a page's row ids)
LISTS = [
    ("/api/promises", {}, json_ids("promises", "id")),
    ("/api/promises", {"pair": "UZ-KZ"}, json_ids("promises", "id")),
    ("/api/discrepancies", {}, json_ids("discrepancies", "id")),
    ("/api/people/{person}", {}, json_ids("timeline", "cluster_id")),
    ("/meetings.csv", {}, csv_ids("cluster_id")),
    ("/meetings.csv", {"pair": "KZ-UZ"}, csv_ids("cluster_id")),
    ("/promises.csv", {}, csv_ids("id")),
    ("/documents.csv", {}, csv_ids("id")),
    ("/facts.csv", {}, csv_ids("fact_id")),
    ("/facts.csv", {"type": "meeting"}, csv_ids("fact_id")),
    ("/api/facts", {"type": "meeting"}, json_ids("facts", "fact_id")),
]


@pytest.mark.parametrize(("path", "filters", "ids"), LISTS)
def test_serve_paging_walks_the_whole_list(
    client: TestClient, path: str, filters: dict[str, str], ids: Callable[[Any], list[str]]
) -> None:
    path = path.replace("{person}", person(client))
    whole = ids(client.get(path, params={**filters, "limit": 500}))
    assert len(whole) >= 1
    seen: list[str] = []
    url: str | None = path
    params: dict[str, Any] | None = {**filters, "limit": 2}
    pages = 0
    while url:
        r = client.get(url, params=params)
        assert r.status_code == 200, (url, r.text[:200])
        got = ids(r)
        assert len(got) <= 2
        seen += got
        url, params = next_of(r), None
        if url:
            assert all(f"{k}={v}" in url for k, v in filters.items())  # the filters kept
        pages += 1
        assert pages <= len(whole) + 1
    assert seen == whole  # every row once, in the order of the whole list
    if path.endswith(".csv"):  # without ?limit= the export streams every row
        assert ids(client.get(path, params=filters)) == whole


@pytest.mark.parametrize("path", ["/api/promises", "/api/people/{person}"])
def test_serve_paging_goes_back(client: TestClient, path: str) -> None:
    path = path.replace("{person}", person(client))
    key = "promises" if "promises" in path else "timeline"
    first = client.get(path, params={"limit": 2}).json()
    assert first["prev_cursor"] is None and first["next_cursor"]
    second = client.get(path, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    back = client.get(path, params={"limit": 2, "before": second["prev_cursor"]}).json()
    assert back[key] == first[key] and back["prev_cursor"] is None
    assert first["total"] == second["total"] >= len(first[key]) + len(second[key])


def test_serve_paging_a_row_deleted_between_pages(tmp_path: Path, examples_db: Path) -> None:
    db = tmp_path / "k.db"
    shutil.copy(examples_db, db)
    with TestClient(create_app(db)) as c:
        c.app.state.handle.reconciler.close()  # type: ignore[attr-defined]
        whole = [p["id"] for p in c.get("/api/promises", params={"limit": 500}).json()["promises"]]
        first = c.get("/api/promises", params={"limit": 2}).json()
        with sqlite3.connect(db) as conn:  # the next page's first row goes before it is asked for
            conn.execute("DELETE FROM promises WHERE id = ?", (whole[2],))
        second = c.get("/api/promises", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["id"] for p in second["promises"]] == whole[3:5]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/promises", {"cursor": "not-a-cursor"}, 400, "bad_cursor"),
        (
            "/api/promises",
            {"cursor": encode("meet", [0, "2024-01-01", "x"])},
            400,
            "bad_cursor",
        ),  # another list's
        ("/api/promises", {"cursor": encode("prom", [1, 2])}, 400, "bad_cursor"),  # too many keys
        ("/api/discrepancies", {"cursor": "e30"}, 400, "bad_cursor"),
        (
            "/api/promises",
            {"cursor": encode("prom", ["a"]), "before": encode("prom", ["b"])},
            400,
            "bad_cursor",
        ),
        ("/meetings.csv", {"cursor": "garbage!"}, 400, "bad_cursor"),
        ("/meetings.csv", {"limit": "0"}, 400, "bad_limit"),
        ("/documents.csv", {"limit": "100000"}, 400, "bad_limit"),
        ("/api/promises", {"limit": "501"}, 422, "invalid_request"),
    ],
)
def test_serve_paging_refuses_a_bad_cursor(
    client: TestClient, path: str, params: dict[str, str], status: int, code: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "path",
    ["/meetings?cursor=garbage", "/discrepancies?cursor=x", "/promises?limit=abc", "/people/x?before=%%"],
)
def test_serve_paging_a_page_with_a_bad_cursor_is_a_400_page(client: TestClient, path: str) -> None:
    r = client.get(path.replace("/people/x", f"/people/{person(client)}"), headers={"Accept": "text/html"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("lang", "words"), [("en", ("in all", "next")), ("ru", ("всего", "далее"))])
def test_serve_paging_pages_link_the_next_page(client: TestClient, lang: str, words: tuple[str, str]) -> None:
    for path in ("/meetings", "/promises", f"/people/{person(client)}"):
        html = client.get(path, params={"limit": 2, "lang": lang}).text
        assert all(w in html for w in words), path
        assert 'rel="next"' in html and "cursor=" in html


@pytest.mark.parametrize(
    ("values", "backward", "sql"),
    [
        ([3], False, "((a > ?))"),
        ([3, "x"], True, "((a > ?) OR (a IS ? AND b < ?))"),
    ],
)
def test_serve_paging_seek_condition(values: list[Any], backward: bool, sql: str) -> None:
    order = Order("t", (("a", True), ("b", False))[: len(values)])
    cond, args = order.seek(values, backward=not backward if len(values) == 1 else backward)
    assert cond.replace("<", "?").replace(">", "?") == sql.replace("<", "?").replace(">", "?")
    assert len(args) == sum(range(1, len(values) + 1))


@pytest.mark.parametrize(("n", "limit"), [(0, 3), (1, 3), (7, 3), (9, 3)])
def test_serve_paging_a_list_in_memory(n: int, limit: int) -> None:
    items = list(range(n))
    seen, cursor = [], None
    while True:
        page = list_page(items, Paging(limit, cursor), "stmt")
        seen += page.rows
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == items
    assert decode("stmt", encode("stmt", [5]), 1) == [5]


@pytest.mark.parametrize(
    "query", [{}, {"type": "meeting"}, {"pair": "KZ-UZ"}, {"country": "KZ", "language": "ru"}]
)
def test_serve_paging_fact_pages_newest_first(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, query: dict[str, str]
) -> None:
    from karavan.serve import pages

    whole = re.findall(r'href="/facts/(\d+)"', client.get("/facts", params=query).text)
    monkeypatch.setattr(pages, "FACTS_PER_PAGE", 3)
    seen: list[str] = []
    url: str | None = "/facts?" + "&".join(f"{k}={v}" for k, v in query.items())
    while url:
        html = client.get(url).text
        seen += re.findall(r'href="/facts/(\d+)"', html)
        m = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = m.group(1).replace("&amp;", "&") if m else None
        assert not url or all(f"{k}={v}" in url for k, v in query.items())
    assert seen == whole and len(whole) >= 1
