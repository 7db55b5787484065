"""The HTTP API over a store of the five seeds and three hostile documents: every endpoint, filter and error."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import shared
from fastapi.testclient import TestClient

from karavan import api
from karavan.serve import ingest_route
from karavan.serve.app import create_app
from karavan.serve.queries import csv_cell
from tests.serve_store import reconciled_store

ROOT = Path(__file__).resolve().parents[1]
XSS = ROOT / "tests" / "browser" / "xss.jsonl"
SEED_001 = "001_343e52f150faa84a"
TOKEN = "s3cret-token"
LIMIT = 50_000


def build_store(db: Path) -> Path:
    return reconciled_store(db, shared("seeds", "seeds/meta.jsonl"), XSS)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "k.db")


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture()
def writer(tmp_path: Path) -> Iterator[TestClient]:
    """A client of a fresh store with ingest on (token set) and a small body limit."""
    with TestClient(create_app(build_store(tmp_path / "w.db"), token=TOKEN, max_bytes=LIMIT)) as c:
        yield c


def all_facts(client: TestClient, **params: str) -> list[dict]:
    r = client.get("/api/facts", params={**params, "limit": "1000"})
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    return r.json()["facts"]


def error_of(r) -> tuple[int, str]:  # noqa: ANN001
    body = r.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return r.status_code, body["error"]["code"]


# -- /api/facts ----------------------------------------------------------------------------

FILTERS = [
    ({"pair": "KZ-TJ", "type": "trade", "period_from": "2022", "period_to": "2022"}, "value", {1.4e9, 1.5e9}),
    (
        {"pair": "TJ-KZ", "type": "trade", "period_from": "2022-01", "period_to": "2022-12"},
        "value",
        {1.4e9, 1.5e9},
    ),
    ({"pair": "KZ-TJ", "type": "target"}, "value", {2e9}),
    ({"pair": "KG-KZ", "type": "trade", "period_to": "2022"}, "value", {9e8, 1e9}),
    (  # seed 002's total ("за 11 месяцев прошлого года", no date, no comparison base) has no period
        {"pair": "KG-KZ", "type": "trade", "period_from": "2024-11"},
        "product",
        {"agri", "grain", "flour", "industrial"},
    ),
    ({"type": "trade", "product": "agri", "pair": "KZ-TJ"}, "period", {"2024-01/2024-02"}),
    (
        {"type": "trade", "flow": "turnover", "period_from": "2024"},
        "period",
        {"2024-01/2024-02", "2024-01/2024-11"},
    ),
    ({"type": "trade", "flow": "turnover", "period_from": "2024-03"}, "period", {"2024-01/2024-11"}),
    ({"type": "trade", "pair": "KZ-TJ", "period_to": "2021-12"}, "value", {1.1e9}),
    ({"lang": "kk", "type": "target"}, "doc", {"003_7b0e68fd49b5f3de"}),
    ({"doc": SEED_001, "type": "trade"}, "claimant", {"Kassym-Jomart Tokayev", "Emomali Rahmon"}),
    ({"claimant": "emomali rahmon", "type": "trade"}, "value", {1.5e9}),
    ({"q": "1,4 МЛРД"}, "value", {1.4e9}),
    ({"type": "no-such-type"}, "type", set()),
]


@pytest.mark.parametrize(("params", "field", "expected"), FILTERS)
def test_serve_fact_filters(client: TestClient, params: dict, field: str, expected: set) -> None:
    assert {f.get(field) for f in all_facts(client, **params)} == expected


def test_serve_every_fact_has_its_quote_at_its_offsets(client: TestClient, db: Path) -> None:
    with api.open_store(db) as store:
        for f in all_facts(client, doc=SEED_001):
            assert store.get_doc(f["doc"]).text[f["start"] : f["end"]] == f["quote"]


def test_serve_cursor_pages_cover_every_fact_once(client: TestClient) -> None:
    everything = [f["fact_id"] for f in all_facts(client)]
    seen, cursor = [], None
    while True:
        params = {"limit": "4", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/facts", params=params).json()
        assert body["count"] == len(body["facts"]) <= 4
        seen += [f["fact_id"] for f in body["facts"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(set(seen)) == len(seen) > 30


def test_serve_facts_as_csv(client: TestClient) -> None:
    r = client.get("/api/facts", params={"pair": "KZ-TJ", "type": "trade", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {float(row["value"]) for row in rows if row["period"] == "2022-01/2022-12"} == {1.4e9, 1.5e9}
    assert all(row["quote"] and row["doc_title"] and row["cluster_id"] for row in rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@x", "'@x"),
     ("plain", "plain"), (-10.6, -10.6), (["KZ", "TJ"], "KZ;TJ"), (None, None)],
)  # fmt: skip
def test_serve_csv_cells_never_start_a_formula(value: object, expected: object) -> None:
    assert csv_cell(value) == expected


def cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


BAD_FACT_QUERIES = [
    ({"pair": "KZTJ"}, (422, "bad_pair")),
    ({"pair": "KZ-TJ-UZ"}, (422, "bad_pair")),
    ({"period_from": "22"}, (422, "bad_period")),
    ({"period_to": "2022-13"}, (422, "bad_period")),
    ({"cursor": "!!!"}, (422, "bad_cursor")),
    ({"cursor": "eDEy"}, (422, "bad_cursor")),
    ({"cursor": cursor_of("f" + "9" * 20)}, (422, "bad_cursor")),  # 20 digits: past SQLite's integers
    ({"cursor": cursor_of("f9223372036854775808")}, (422, "bad_cursor")),
    ({"cursor": cursor_of("f0")}, (422, "bad_cursor")),
    ({"cursor": cursor_of("f-5")}, (422, "bad_cursor")),
    ({"cursor": cursor_of("f 12")}, (422, "bad_cursor")),
    ({"cursor": cursor_of("f١٢")}, (422, "bad_cursor")),  # Arabic-Indic digits: int() reads them
    ({"limit": "0"}, (422, "invalid_request")),
    ({"limit": "5000"}, (422, "invalid_request")),
    ({"limit": "ten"}, (422, "invalid_request")),
    ({"format": "xml"}, (422, "invalid_request")),
    ({"q": "x" * 201}, (422, "invalid_request")),
]


@pytest.mark.parametrize(("params", "expected"), BAD_FACT_QUERIES)
def test_serve_bad_fact_queries_are_json_errors(client: TestClient, params: dict, expected: tuple) -> None:
    assert error_of(client.get("/api/facts", params=params)) == expected


# -- pairs, series, clusters, discrepancies --------------------------------------------------


def kz_tj(client: TestClient) -> dict:
    return next(p for p in client.get("/api/pairs").json() if p["pair"] == "KZ-TJ")


def test_serve_pairs(client: TestClient) -> None:
    row = kz_tj(client)
    assert row["target"]["value"] == 2e9
    assert row["latest_full_year"]["period"] == "2022-01/2022-12"
    assert row["latest_full_year"]["discrepant"] is True
    assert row["progress_pct"] == pytest.approx(72.5)
    assert row["open_discrepancies"] >= 1


@pytest.mark.parametrize("pair", ["KZ-TJ", "tj-kz"])
def test_serve_series(client: TestClient, pair: str) -> None:
    body = client.get(f"/api/pairs/{pair}/series").json()
    points = {p["period"]: p for p in body["points"]}
    assert points["2022-01/2022-12"]["discrepant"] is True
    assert (points["2022-01/2022-12"]["low"], points["2022-01/2022-12"]["high"]) == (1.4e9, 1.5e9)
    assert points["2021-01/2021-12"]["value"] == 1.1e9
    assert body["target"]["value"] == 2e9


def test_serve_series_of_a_product(client: TestClient) -> None:
    body = client.get("/api/pairs/KZ-TJ/series", params={"product": "agri"}).json()
    assert [(p["period"], p["kind"], p["value"]) for p in body["points"]] == [
        ("2024-01/2024-02", "ytd", 8.49e7)
    ]


def test_serve_cluster_and_its_discrepancy(client: TestClient) -> None:
    (d,) = client.get("/api/discrepancies", params={"pair": "TJ-KZ"}).json()["discrepancies"]
    assert d["period"] == "2022-01/2022-12"
    claimants = {s["claimant"]: s["value"] for s in d["sides"]}
    assert claimants == {"Kassym-Jomart Tokayev": 1.4e9, "Emomali Rahmon": 1.5e9}
    fact = all_facts(client, q="1,4 млрд")[0]
    cluster_id = store_cluster(client, fact["fact_id"])
    cluster = client.get(f"/api/clusters/{cluster_id}").json()
    assert cluster["canonical_value"] == 1.4e9
    assert [e["claimant"] for e in cluster["evidence"]] == ["Kassym-Jomart Tokayev"]
    assert d["id"] in cluster["discrepancies"]


def store_cluster(client: TestClient, fact_id: int) -> str:
    r = client.get(f"/facts/{fact_id}", follow_redirects=False)
    assert r.status_code == 303
    return r.headers["location"].split("/clusters/")[1].split("#")[0].split("?")[0]


def test_serve_discrepancies_of_a_quiet_pair(client: TestClient) -> None:
    assert client.get("/api/discrepancies", params={"pair": "KZ-UZ"}).json()["discrepancies"] == []
    assert len(client.get("/api/discrepancies").json()["discrepancies"]) >= 1


# -- documents and people -------------------------------------------------------------------


def test_serve_document(client: TestClient) -> None:
    body = client.get(f"/api/documents/{SEED_001}").json()
    assert body["published"] == "2023-05-04" and body["source"] == "kapital.kz"
    assert body["text"].startswith("USD")
    assert body["excluded"] and body["excluded"][0]["start"] == 0
    assert any(
        body["text"][f["start"] : f["end"]] == f["quote"] and "1,4 млрд" in f["quote"] for f in body["facts"]
    )


def test_serve_document_with_a_hostile_id(client: TestClient) -> None:
    doc_id = json.loads(XSS.read_text(encoding="utf-8").splitlines()[1])["id"]
    body = client.get("/api/documents/" + quote(doc_id, safe="")).json()
    assert body["id"] == doc_id and len(body["facts"]) == 1


def test_serve_people(client: TestClient) -> None:
    people = client.get("/api/people").json()
    assert isinstance(people, list)
    names = {p["name"]: p["id"] for p in people}
    if "Emomali Rahmon" in names:  # people are read by the reconciliation bridge
        person = client.get(f"/api/people/{names['Emomali Rahmon']}").json()
        assert person["name"] == "Emomali Rahmon" and person["timeline"]


NOT_FOUND = [
    "/api/clusters/nope",
    "/api/documents/no-such-doc",
    "/api/people/nobody-at-all",
    "/api/nothing-here",
    "/facts/999999",
    "/facts/9223372036854775807",
    "/facts/9223372036854775808",  # past SQLite's integers: it was an OverflowError, a 500 and a reset
    "/facts/" + "9" * 40,
    "/facts/0",
    "/facts/-3",
]


@pytest.mark.parametrize("path", NOT_FOUND)
def test_serve_not_found_is_json(client: TestClient, path: str) -> None:
    assert error_of(client.get(path)) == (404, "not_found")


def test_serve_wrong_method_and_bad_series_pair(client: TestClient) -> None:
    assert error_of(client.delete("/api/facts")) == (405, "method_not_allowed")
    assert error_of(client.get("/api/pairs/KAZAKH/series")) == (422, "bad_pair")
    assert error_of(client.get("/api/facts", params={"limit": "-1"}))[0] == 422


def test_serve_a_crash_is_a_json_500(db: Path) -> None:
    app = create_app(db)

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    app.state.handle.read = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/pairs")
        page = c.get("/", headers={"Accept": "text/html"})
    assert error_of(r) == (500, "internal") and "boom" not in r.text
    for crashed in (r, page):
        assert (
            crashed.status_code == 500 and "default-src 'none'" in crashed.headers["content-security-policy"]
        )
        assert crashed.headers["x-content-type-options"] == "nosniff"


# -- POST /api/documents ----------------------------------------------------------------------

NEW_DOC = {
    "id": "new-1",
    "text": "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,5 млрд долларов.",
    "published": "2024-01-10",
    "source": "example.kz",
}


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_serve_ingest_is_off_without_a_token(client: TestClient) -> None:
    assert error_of(client.post("/api/documents", json=NEW_DOC, headers=auth())) == (403, "ingest_disabled")


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": TOKEN}, auth(TOKEN + "x")])
def test_serve_ingest_needs_the_right_token(writer: TestClient, headers: dict) -> None:
    assert error_of(writer.post("/api/documents", json=NEW_DOC, headers=headers)) == (401, "unauthorized")


def test_serve_ingest_json_returns_its_facts_and_updates_the_views(writer: TestClient) -> None:
    r = writer.post("/api/documents", json=NEW_DOC, headers=auth())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["documents"] == ["new-1"] and body["new"] == 1
    assert [(f["type"], f["value"], f["period"]) for f in body["facts"]] == [
        ("trade", 4.5e9, "2023-01/2023-12")
    ]
    pairs = {p["pair"]: p for p in writer.get("/api/pairs").json()}
    assert pairs["KZ-UZ"]["latest_full_year"]["value"] == 4.5e9
    again = writer.post("/api/documents", json=NEW_DOC, headers=auth()).json()
    assert again["unchanged"] == 1


def test_serve_ingest_file_upload(writer: TestClient) -> None:
    text = "Товарооборот между Казахстаном и Туркменистаном в 2022 году составил 500 млн долларов."
    files = {"file": ("../../kz-tm.txt", text.encode("utf-8"), "text/plain")}
    r = writer.post("/api/documents", files=files, headers=auth())
    assert r.status_code == 201, r.text
    assert r.json()["documents"] == ["kz-tm"]
    assert [f["value"] for f in r.json()["facts"]] == [5e8]


JSON = {"Content-Type": "application/json"}
BAD_BODIES = [
    ({"json": {"text": "no id"}}, (422, "E107")),
    ({"json": {"id": "x"}}, (422, "E107")),
    ({"json": {"id": "x", "text": "   "}}, (422, "E102")),
    ({"json": {"id": "x", "text": 5}}, (422, "E106")),
    ({"json": ["not", "an", "object"]}, (422, "E106")),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, (422, "E106")),
    ({"content": b"id=x", "headers": {"Content-Type": "text/plain"}}, (415, "unsupported_media_type")),
    ({"files": {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}}, (422, "E108")),
    ({"files": {"file": ("a.txt", b"", "text/plain")}}, (422, "E102")),
    ({"files": {"file": ("a.txt", b"\x00\x01\x02\x03" * 50, "text/plain")}}, (422, "E103")),
    ({"files": {"other": ("a.txt", b"text", "text/plain")}}, (422, "E108")),
    # hostile records are the record's error (422), never a crash (500)
    ({"content": b'{"id": "a\\ud800", "text": "x"}', "headers": JSON}, (422, "E106")),
    ({"content": b'{"id": "a\\u0000", "text": "x"}', "headers": JSON}, (422, "E106")),
    ({"content": b'{"id": "a", "text": "x", "m": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "headers": JSON},
     (422, "E106")),
    ({"content": b"[" * 20_000 + b"]" * 20_000, "headers": JSON}, (422, "E106")),
    ({"content": b'{"id": ' + b"9" * 5000 + b', "text": "x"}', "headers": JSON}, (422, "E106")),
    ({"content": b'{"id": "a", "text": NaN}', "headers": JSON}, (422, "E106")),
    ({"content": b'{"id": "a", "text": "x', "headers": JSON}, (422, "E106")),
    ({"content": b"\xff\xfe{}", "headers": JSON}, (422, "E106")),
    ({"files": {"file": ("a.jsonl", b'{"id": "\\udfff", "text": "x"}\n', "application/json")}}, (422, "E106")),
    ({"files": {"file": ("a.jsonl", b"[" * 20_000 + b"\n", "application/json")}}, (422, "E106")),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "expected"), BAD_BODIES)
def test_serve_ingest_validates_like_the_cli(writer: TestClient, kwargs: dict, expected: tuple) -> None:
    headers = {**auth(), **kwargs.pop("headers", {})}
    assert error_of(writer.post("/api/documents", headers=headers, **kwargs)) == expected


def test_serve_too_large_by_content_length(writer: TestClient) -> None:
    big = {"id": "big", "text": "x" * (LIMIT + 1)}
    assert error_of(writer.post("/api/documents", json=big, headers=auth())) == (413, "too_large")


def test_serve_too_large_while_streaming_stops_reading(writer: TestClient) -> None:
    sent = []

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked
        for _ in range(100):
            sent.append(1)
            yield b"x" * 10_000

    headers = {**auth(), "Content-Type": "application/json"}
    assert error_of(writer.post("/api/documents", content=chunks(), headers=headers)) == (413, "too_large")


# -- pages, headers, schema -------------------------------------------------------------------


HEADERS_ON = [
    ("GET", "/", 200), ("GET", "/api/pairs", 200), ("GET", "/static/style.css", 200),
    ("GET", "/api/nothing", 404), ("GET", f"/documents/{SEED_001}", 200), ("GET", "/facts/9223372036854775808", 404),
    ("GET", "/api/facts?limit=0", 422), ("DELETE", "/api/facts", 405), ("POST", "/api/documents", 403),
    ("GET", "/static", 307), ("HEAD", "/", 200), ("HEAD", "/api/nothing", 404),
    ("GET", "/api/facts?cursor=" + cursor_of("f" + "9" * 20), 422),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "status"), HEADERS_ON)
def test_serve_security_headers(client: TestClient, method: str, path: str, status: int) -> None:
    r = client.request(method, path, follow_redirects=False)
    assert r.status_code == status
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "location"), [("/static", "/static/"), ("/docs/", "/docs"), ("/api/pairs/", "/api/pairs")]
)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1:8000"])
def test_serve_redirects_are_relative_whatever_the_host_header(
    client: TestClient, path: str, location: str, host: str
) -> None:
    r = client.get(path, headers={"Host": host}, follow_redirects=False)
    assert r.status_code in (301, 302, 303, 307, 308) and r.headers["location"] == location


def test_serve_fact_redirect_is_relative(client: TestClient) -> None:
    fact = all_facts(client, q="1,4 млрд")[0]
    r = client.get(f"/facts/{fact['fact_id']}", headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/clusters/")


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [("/", 200, "text/html"), ("/api/pairs", 200, "application/json"), ("/static/style.css", 200, "text/css"),
     (f"/api/documents/{SEED_001}", 200, "application/json"), ("/api/nothing", 404, "application/json"),
     ("/api/facts?format=csv", 200, "text/csv")],
)  # fmt: skip
def test_serve_head_answers_as_get_without_the_body(
    client: TestClient, path: str, status: int, kind: str
) -> None:
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == status
    assert head.content == b"" and head.headers["content-type"].startswith(kind)
    assert head.headers.get("content-length") == get.headers.get("content-length")


def test_serve_ingest_answer_says_when_its_fact_list_is_cut(
    writer: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_route, "FACTS_LISTED", 1)
    text = " ".join(
        f"Товарооборот между Казахстаном и Узбекистаном в {y} году составил {y - 2015},5 млрд долларов."
        for y in (2021, 2022, 2023)
    )
    body = writer.post("/api/documents", json={"id": "three", "text": text}, headers=auth()).json()
    assert body["facts_total"] == 3 and len(body["facts"]) == 1 and body["facts_cut"] is True
    (rest,) = body["facts_rest"]
    following = writer.get(rest).json()
    assert [f["fact_id"] for f in body["facts"] + following["facts"]] == [
        f["fact_id"] for f in all_facts(writer, doc="three")
    ]
    monkeypatch.setattr(ingest_route, "FACTS_LISTED", 10)
    again = writer.post("/api/documents", json={"id": "three", "text": text + " "}, headers=auth()).json()
    assert again["facts_cut"] is False and again["facts_rest"] == [] and len(again["facts"]) == 3


def test_serve_openapi_and_self_hosted_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/facts", "/api/clusters/{cluster_id}", "/api/pairs", "/api/pairs/{pair}/series",
            "/api/discrepancies", "/api/documents/{doc_id}", "/api/people/{person}", "/api/documents"} <= set(schema["paths"])  # fmt: skip
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/facts" in docs.text
    assert "cdn" not in docs.text.lower() and '<script src="http' not in docs.text


PAGES = [
    ("/", "KZ-TJ"),
    ("/pairs/KZ-TJ", "svg"),
    ("/pairs/tj-kz", "2 bn USD"),
    (f"/documents/{SEED_001}", 'class="chrome"'),
    ("/discrepancies", "Emomali Rahmon"),
    ("/search?q=" + quote("товарооборот"), "<mark>"),
    ("/search", 'type="search"'),
    ("/docs", "GET /api/facts"),
]


@pytest.mark.parametrize(("path", "needle"), PAGES)
def test_serve_pages(client: TestClient, path: str, needle: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert needle in r.text


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}, "", "Обзор"), ({"Accept-Language": "en;q=0.4, ru;q=0.8"}, "", "Обзор"),
     ({"Accept-Language": "ru"}, "?lang=en", "Overview"), ({}, "", "Overview"), ({}, "?lang=ru", "Обзор"),
     ({"Accept-Language": "de-DE"}, "", "Overview")],
)  # fmt: skip
def test_serve_interface_language(client: TestClient, headers: dict, query: str, expected: str) -> None:
    client.cookies.clear()
    assert f"<h1>{expected}</h1>" in client.get("/" + query, headers=headers).text
    client.cookies.clear()


def test_serve_page_errors_are_pages_for_browsers(client: TestClient) -> None:
    r = client.get("/clusters/nope", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert error_of(client.get("/clusters/nope")) == (404, "not_found")


@pytest.mark.parametrize(
    ("text", "q", "match"),
    [
        ("Die Straße ist lang. Товарооборот вырос.", "товарооборот", "Товарооборот"),
        ("ßßßß Экспорт зерна", "экспорт", "Экспорт"),
        ("İstanbul: Экспорт зерна", "зерна", "зерна"),
        ("Der Fluß und die ﬁrma: Trade grew", "trade", "Trade"),
        ("plain text, trade grew", "trade", "trade"),
    ],
)
def test_serve_search_snippet_highlights_the_match_after_lengthening_case_folds(
    tmp_path: Path, text: str, q: str, match: str
) -> None:
    """The snippet marks the word searched for, also after a character whose case fold is longer (ß -> ss):
    the old instr() over folded text marked a place shifted by one character per ß."""
    from karavan.doc import Doc
    from karavan.serve.search import search

    with api.open_store(tmp_path / "k.db") as store:
        store.put(Doc(id="d", text=text))
        (hit,) = search(store, q).docs
    assert [piece for piece, marked in hit["snippet"] if marked] == [match]
    assert "".join(piece for piece, _ in hit["snippet"]) == text
