"""The ledger, official series and feeds over HTTP: the API endpoints and CSV, and Atom feeds overall and per
pair that feedparser reads back with no bozo flag, with new facts, discrepancies and promise status changes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from official_support import doc_with, import_fixtures, store_docs, trade

from karavan import api
from karavan.serve.app import create_app
from karavan.serve.feeds import Entry, atom

Y21, Y24 = "2021-01/2021-12", "2024-01/2024-12"
DOCS = [
    doc_with("kz-2021", "Kazakhstan imported goods worth $8.2 billion from China in 2021.",
             [trade("KZ", "CN", "import", Y21, 8.2e9, "imported goods worth $8.2 billion from China in 2021")],
             "2022-02-10"),
    doc_with("quoting-cn", "Chinese goods worth $14 billion entered Kazakhstan in 2021.",
             [trade("KZ", "CN", "import", Y21, 14e9, "Chinese goods worth $14 billion entered Kazakhstan in 2021")],
             "2022-03-01"),
    doc_with("kg-2024", "Kyrgyzstan's trade with China reached $5.1 billion in 2024 \x0b(preliminary).",
             [trade("KG", "CN", "turnover", Y24, 5.1e9, "Kyrgyzstan's trade with China reached $5.1 billion in 2024")],
             "2025-01-20"),
    doc_with("target", "The sides agreed to raise trade to $35 billion by 2030.",
             [{"type": "target", "flow": "turnover", "reporter": "KZ", "partner": "CN", "product": "total",
               "value": 35e9, "unit": "USD", "factor": None, "by": "2030", "claimant": "Kassym-Jomart Tokayev",
               "quote": "raise trade to $35 billion by 2030"}], "2022-09-14"),
]  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = store_docs(tmp_path_factory.mktemp("official-serve") / "k.db", DOCS)
    api.reconcile(db)
    import_fixtures(db)
    yield TestClient(create_app(db))


@pytest.mark.parametrize(
    "path", ["/feed.atom", "/pairs/KZ-CN/feed.atom", "/pairs/cn-kz/feed.atom", "/pairs/KG-CN/feed.atom"]
)
def test_serve_feed_validates_with_feedparser(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("karavan") and feed.feed.updated_parsed
    links = {link["rel"]: link["href"] for link in feed.feed.links}
    canonical = {"/pairs/KZ-CN/feed.atom": "/pairs/CN-KZ/feed.atom", "/pairs/cn-kz/feed.atom": "/pairs/CN-KZ/feed.atom",
                 "/pairs/KG-CN/feed.atom": "/pairs/CN-KG/feed.atom"}  # fmt: skip
    assert links["self"] == "http://testserver" + canonical.get(path, path)  # the pair's codes sorted
    assert all(
        e.id.startswith("urn:uuid:") and e.updated_parsed and e.link.startswith("http") for e in feed.entries
    )
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_serve_feed_has_facts_discrepancies_and_promise_changes(client: TestClient) -> None:
    entries = feedparser.parse(client.get("/pairs/KZ-CN/feed.atom").content).entries
    kinds = {e.tags[0]["term"] for e in entries}
    assert kinds == {"fact", "discrepancy", "promise"}
    titles = [e.title for e in entries]
    assert any("8.2 bn USD vs 14 bn USD" in t for t in titles)  # the two press figures
    assert any(
        "target 35 bn USD by 2030: awaiting data → met" in t for t in titles
    )  # China's 2024 customs figure
    mirror = next(e for e in entries if e.tags[0]["term"] == "fact" and "14 bn" in e.title)
    assert "matches CN data" in mirror.summary
    assert entries == sorted(entries, key=lambda e: e.updated_parsed, reverse=True)


def test_serve_feed_of_a_pair_keeps_to_it_and_an_unknown_pair_is_404(client: TestClient) -> None:
    entries = feedparser.parse(client.get("/pairs/KG-CN/feed.atom").content).entries
    assert entries and all("KG" in e.title or "CN-KG" in e.title or "KG-CN" in e.title for e in entries)
    assert any("press against official statistics" in e.title for e in entries)
    assert client.get("/pairs/KZ-TM/feed.atom").status_code == 404
    assert client.get("/pairs/KZ/feed.atom").status_code == 422


def test_serve_feed_ids_are_stable_and_text_is_clean() -> None:
    entry = Entry(
        "fact:d:1:2:trade", "fact", "a \x0b title", "2024-01-02T00:00:00Z", "http://x/facts/1", "q\x01"
    )
    one, two = (
        atom("all", "t", "http://x/feed.atom", "http://x/", [entry]),
        atom("all", "t", "http://x/feed.atom", "http://x/", [entry]),
    )
    assert one == two
    parsed = feedparser.parse(one)
    assert parsed.bozo == 0 and parsed.entries[0].title == "a  title"
    assert parsed.feed.updated == "2024-01-02T00:00:00Z"


def test_serve_promises_api_and_csv(client: TestClient) -> None:
    [p] = client.get("/api/promises", params={"pair": "CN-KZ"}).json()["promises"]
    assert (p["pair"], p["level"], p["by"], p["status"]) == ("CN-KZ", 35e9, "2030", "met")
    assert [h["status"] for h in p["history"] if h["current"]] == ["awaiting_data", "met"]
    one = client.get(f"/api/promises/{p['id']}").json()
    assert one["declared"]["claimants"] == ["Kassym-Jomart Tokayev"]
    assert client.get("/api/promises/nope").status_code == 404
    assert client.get("/api/promises", params={"pair": "KZ-TM"}).json()["promises"] == []
    r = client.get("/promises.csv")
    assert (
        r.content.startswith(b"\xef\xbb\xbf")
        and 'filename="karavan-promises.csv"' in r.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(x["pair"], x["status"], x["declared_by"]) for x in rows] == [
        ("CN-KZ", "met", "Kassym-Jomart Tokayev")
    ]


def test_serve_promise_history_in_its_csv_row_and_on_its_page(client: TestClient) -> None:
    """Every current change of a promise's status: in its CSV row (as `karavan promises --format csv`
    writes it) and on its own page; a list shows its latest ones."""
    [p] = client.get("/api/promises", params={"pair": "CN-KZ"}).json()["promises"]
    changes = [h for h in p["history"] if h["current"]]
    assert len(changes) == 2
    [row] = list(csv.DictReader(io.StringIO(client.get("/promises.csv").content.decode("utf-8-sig"))))
    assert row["history"] == "; ".join(f"{h['at']}: {h['status']}" for h in changes)
    page = client.get(f"/promises/{p['id']}").text
    assert all(h["at"] in page for h in changes)


def test_serve_official_series_api(client: TestClient) -> None:
    sides = client.get("/api/pairs/KZ-CN/official", params={"flow": "import"}).json()
    assert [(s["role"], s["country"], s["flow"]) for s in sides] == [
        ("official", "KZ", "import"),
        ("mirror", "CN", "export"),
    ]
    assert [p["value"] for p in sides[0]["points"]] == [8.24e9, 11.0e9]
    series = client.get("/api/pairs/KZ-CN/series", params={"flow": "import"}).json()
    [point] = series["points"]
    assert (
        point["official"]["official"]["value"] == 8.24e9 and point["official"]["mirror"]["value"] == 13.98e9
    )


def test_serve_discrepancies_api_has_press_and_official_kinds(client: TestClient) -> None:
    found = client.get("/api/discrepancies", params={"pair": "KG-CN"}).json()["discrepancies"]
    assert [d["kind"] for d in found] == ["official"]
    [d] = found
    assert d["cause"] == "period"
    assert [s["data_of"] for s in d["sides"]] == ["KG", "KG", "CN"]
    assert d["sides"][1]["official"]["explains"]["period"] == "2024-01/2024-11"
    press = client.get("/api/discrepancies", params={"pair": "KZ-CN"}).json()["discrepancies"]
    sides = {s["value"]: s["official"] for s in press[0]["sides"]}
    assert (sides[8.2e9]["verdict"], sides[14e9]["verdict"], sides[14e9]["country"]) == (
        "official",
        "mirror",
        "CN",
    )


@pytest.mark.parametrize(("path", "text"), [
    ("/promises", "Promise ledger"), ("/promises?lang=ru", "Реестр обещаний"), ("/pairs/CN-KZ?lang=en", "CN statistics"),
    ("/discrepancies?lang=en", "Press against official statistics"), ("/pairs/KZ-CN/series.csv", "official_by"),
])  # fmt: skip
def test_serve_official_pages(client: TestClient, path: str, text: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and text in r.content.decode("utf-8-sig")


def test_serve_pages_follow_an_official_import(tmp_path: Path) -> None:
    db = store_docs(tmp_path / "k.db", DOCS[:2])
    api.reconcile(db)
    c = TestClient(create_app(db))
    assert "matches CN data" not in c.get("/discrepancies").text
    import_fixtures(db, ["comtrade_kz_cn_tj.csv"])  # by another process, while the server runs
    assert "matches CN data" in c.get("/discrepancies").text


@pytest.mark.parametrize(("cap", "path"), [(1, "/feed.atom"), (0, "/pairs/KZ-CN/feed.atom")])
def test_serve_feed_keeps_the_newest_entries_of_each_kind(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, cap: int, path: str
) -> None:
    """FEED_ENTRIES of each kind, discrepancies too (press and against official statistics together): the
    newest ones, as the whole list orders them (by time, then id)."""
    from karavan.serve import official_pages

    def of_kind(kind: str) -> list[tuple[str, str]]:
        client.app.state.handle.cache.clear()  # type: ignore[attr-defined]
        entries = feedparser.parse(client.get(path).content).entries
        return [(e.updated, e.id) for e in entries if e.tags[0]["term"] == kind]

    monkeypatch.setattr(official_pages, "FEED_ENTRIES", 10_000)
    every = of_kind("discrepancy")
    assert len(every) > cap
    monkeypatch.setattr(official_pages, "FEED_ENTRIES", cap)
    assert of_kind("discrepancy") == sorted(every, reverse=True)[:cap]
    assert all(len(of_kind(kind)) <= cap for kind in ("fact", "promise"))
