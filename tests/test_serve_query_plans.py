"""Every query the server runs has an indexed plan: no full scan of facts or documents.

Each page and API endpoint is requested (with the filters a user sets) while every connection the
server opens records the statements it runs, bound values included; each recorded SELECT is then
explained (EXPLAIN QUERY PLAN) and may not SCAN the facts or documents table. An index scan is allowed
only where the index gives the order the query asks for and a LIMIT stops it early (the newest facts or
documents, a page of them)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan.serve import state
from karavan.serve.app import create_app
from karavan.serve.paging import encode
from karavan.serve.queries import encode_cursor

ENDPOINTS = [
    "/",
    "/pairs/KZ-UZ",
    "/pairs/KZ-UZ?type=trade&period_from=2021&period_to=2023",
    "/pairs/UZ-KZ?language=ru&product=total",
    "/facts",
    "/facts?type=meeting&country=TJ",
    "/facts?type=agreement&language=ru",  # a type with few facts: read from fact_recent_type
    "/facts?claimant=Tokayev&q=товарооборот",
    "/facts.csv?pair=KZ-UZ",
    "/documents",
    "/documents?page=2",
    "/documents.csv",
    "/discrepancies",
    "/people",
    "/people.csv",
    "/meetings",
    "/meetings.csv",
    "/search?q=KZ-TJ",
    "/search?q=Таджикистан",
    "/search?q=товарооборот",
    "/pairs/KZ-UZ/series.csv",
    "/api/facts",
    "/api/facts?pair=RU-TM",
    "/api/facts?pair=KZ-UZ&type=trade&limit=5",
    "/api/facts?country=UZ&flow=turnover",
    "/api/facts?lang=kk&format=csv",
    "/api/pairs",
    "/api/pairs/KZ-UZ/series",
    "/api/pairs/KZ-UZ/series?flow=export&product=total",
    "/api/discrepancies",
    "/api/discrepancies?pair=KZ-UZ",
    "/api/people",
    "/promises",
    "/promises.csv",
    "/api/promises",
    "/api/promises?pair=KZ-UZ",
    "/api/pairs/KZ-UZ/official",
    "/feed.atom",
    "/pairs/KZ-UZ/feed.atom",
    # pages of the keyset lists (karavan/serve/paging.py): a later page, the one before, filters, exports
    "/meetings?limit=2",
    "/meetings?limit=2&pair=KZ-UZ&period_from=2020&period_to=2025",
    "/meetings.csv?limit=2",
    "/discrepancies?limit=1&type=trade&period_from=2020",
    "/api/discrepancies?limit=1&pair=KZ-TJ",
    "/promises?limit=2",
    "/promises?pair=KZ-UZ&limit=1",
    "/promises.csv?limit=2",
    "/api/promises?limit=2",
    "/documents.csv?limit=3",
    "/facts.csv?pair=KZ-UZ&limit=3",
    "/facts.csv?type=trade&period_from=2021&period_to=2023",
    "/api/pairs/KZ-UZ/series?flow=turnover",
    # a period, language or type alone (fact_recent, migration 10), a later page of them by the cursor
    "/facts?period_from=2021&period_to=2022",
    "/facts?language=kk",
    "/facts?type=trade&language=en&period_from=2020",
    "/facts?cursor=" + encode("recent", ["2023-05-01", "zz", 10**6]),
    "/facts?period_to=2022&cursor=" + encode("recent", ["2023-05-01", "zz", 10**6]),
    "/facts?language=ru&cursor=" + encode("recent", ["2023-05-01", "zz", 10**6]),
    "/api/facts?period_from=2022&limit=3",
    "/api/facts?lang=ru&type=trade&cursor=" + encode_cursor(3),
    "/facts.csv?language=en&period_to=2023",
]
NEXT_PAGES = ["/api/promises?limit=2", "/api/discrepancies?limit=1", "/api/people/{person}?limit=2"]
ALIAS = re.compile(
    r"\b(facts|documents)\b(?:\s+(?:AS\s+)?(?!WHERE|JOIN|ON|ORDER|LIMIT|GROUP|INDEXED)(\w+))?", re.I
)
SCAN = re.compile(r"^SCAN (\w+)( USING (?:COVERING )?INDEX (\w+))?")
ORDERED_INDEXES = {"documents_recent", "documents_recent_desc", "documents_ingested"}


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory, examples_db: Path) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("plans") / "k.db"
    shutil.copy(examples_db, db)
    statements: list[str] = []
    real = state.open_store

    def traced_open(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        store = real(*args, **kwargs)
        store.conn.set_trace_callback(statements.append)
        return store

    mp = pytest.MonkeyPatch()
    mp.setattr(state, "open_store", traced_open)
    try:
        app = create_app(db)
        with TestClient(app) as client:
            app.state.handle.reconciler.close()
            pairs = client.get("/api/pairs").json()
            cluster = next(p["latest_full_year"]["cluster_id"] for p in pairs if p["latest_full_year"])
            doc = client.get("/api/facts?limit=1").json()["facts"][0]
            person = client.get("/api/people").json()[0]["id"]
            more = [f"/clusters/{cluster}", f"/api/clusters/{cluster}", f"/documents/{doc['doc']}",
                    f"/api/documents/{doc['doc']}", f"/facts/{doc['fact_id']}", f"/people/{person}",
                    f"/api/people/{person}"]  # fmt: skip
            for path in ENDPOINTS + more:
                r = client.get(path)
                assert r.status_code == 200, (path, r.status_code)
            for path in NEXT_PAGES:  # the page after the first, and the one before that
                body = client.get(path.replace("{person}", person)).json()
                if body["next_cursor"]:
                    later = client.get(
                        path.replace("{person}", person), params={"cursor": body["next_cursor"]}
                    )
                    back = later.json()["prev_cursor"]
                    assert (
                        client.get(path.replace("{person}", person), params={"before": back}).status_code
                        == 200
                    )
            first = client.get("/meetings.csv?limit=2")
            assert client.get(first.headers["link"].split(">")[0].lstrip("<")).status_code == 200
            promise = client.get("/api/promises?limit=1").json()["promises"][0]["id"]
            assert client.get(f"/promises/{promise}").status_code == 200
    finally:
        mp.undo()
    return db, statements


def _tables(sql: str) -> dict[str, str]:
    """alias (or name) -> facts / documents, as the statement names them."""
    out = {}
    for m in ALIAS.finditer(sql):
        out[m.group(1).lower()] = m.group(1).lower()
        if m.group(2):
            out[m.group(2)] = m.group(1).lower()
    return out


def full_scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    bad = []
    limited = re.search(r"\bLIMIT\b", sql, re.I) is not None
    for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
        m = SCAN.match(row[3])
        if not m:
            continue
        table = _tables(sql).get(m.group(1))
        if table is None:
            continue
        if m.group(3) in ORDERED_INDEXES and limited:
            continue
        if (
            m.group(2) is None
            and table == "facts"
            and limited
            and re.search(rf"ORDER BY {m.group(1)}\.id\b", sql)
        ):
            continue  # the facts in id order, a page of them: the table's own order, stopped by LIMIT
        bad.append(row[3])
    return bad


def test_serve_every_query_is_indexed(traced: tuple[Path, list[str]]) -> None:
    db, statements = traced
    selects = sorted({s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))})
    assert len(selects) > 40
    conn = sqlite3.connect(db)
    conn.create_function("kv_fold", 1, lambda s: s, deterministic=True)
    found = {sql: scans for sql in selects if (scans := full_scans(conn, sql))}
    assert not found, "\n".join(f"{sql}\n    -> {scans}" for sql, scans in found.items())


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT id FROM facts WHERE data LIKE '%x%'", ["SCAN facts"]),
        ("SELECT f.id FROM facts f WHERE f.id = 3", []),
        ("SELECT id FROM documents ORDER BY published IS NULL, published DESC, id LIMIT 5", []),
        ("SELECT count(*) FROM documents", ["SCAN documents USING COVERING INDEX documents_recent"]),
    ],
)
def test_serve_plan_check_tells_a_scan(examples_db: Path, sql: str, expected: list[str]) -> None:
    conn = sqlite3.connect(examples_db)
    found = full_scans(conn, sql)
    assert [f.split(" USING")[0] for f in found] == [e.split(" USING")[0] for e in expected]
