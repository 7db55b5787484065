"""Schema by numbered migrations, round trip of documents and facts, fact queries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from karavan.doc import Doc, Fact, Paragraph, Span
from karavan.errors import KaravanError, UnknownDocument
from karavan.store import MIGRATIONS, migrate, open_store, schema_version
from karavan.store.rows import FACT_FIELDS


def test_store_new_database_is_at_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        assert schema_version(store.conn) == max(v for v, _ in MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"facts_pair", "facts_type", "facts_doc"} <= indexes
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(facts)")}
        assert (
            set(FACT_FIELDS) | {"claimant", "quote", "start", "end", "lang", "rule", "confidence", "data"}
            <= columns
        )


def test_store_a_new_migration_is_one_entry_and_applies_once(tmp_path: Path) -> None:
    open_store(tmp_path / "k.db").close()
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    latest = schema_version(conn)
    more = [*MIGRATIONS, (latest + 1, "CREATE TABLE clusters (id INTEGER PRIMARY KEY, label TEXT);")]
    assert migrate(conn, more) == [latest + 1]
    assert migrate(conn, more) == []
    assert schema_version(conn) == latest + 1
    conn.execute("INSERT INTO clusters (label) VALUES ('x')")


def test_store_a_failing_migration_leaves_the_schema_as_it_was(tmp_path: Path) -> None:
    open_store(tmp_path / "k.db").close()
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    latest = schema_version(conn)
    bad = [*MIGRATIONS, (latest + 1, "CREATE TABLE t1 (x); CREATE TABLE t1 (y);")]
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, bad)
    assert schema_version(conn) == latest
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't1'").fetchone()[0] == 0


def test_store_a_database_from_a_newer_karavan_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(KaravanError, match="made by a newer karavan"):
        open_store(tmp_path / "k.db")


def sample_doc() -> Doc:
    text = "USD 446.49\nКазахстан и Таджикистан: товарооборот 1,4 млрд долларов.\nQazaqstan men Tájikstan."
    doc = Doc(
        "d1",
        text,
        url="https://a.kz/1",
        published="2024-03-01",
        source="a.kz",
        encoding="cp1251",
        meta={"k": [1]},
    )
    doc.excluded = [Span(0, 10, "ticker")]
    doc.articles = [Span(11, len(text), "article")]
    doc.paragraphs = [Paragraph(11, 68, "ru", "Cyrl"), Paragraph(69, len(text), "kk", "Latn")]
    doc.lang, doc.script = "ru", "Cyrl"
    start = text.index("товарооборот")
    doc.facts = [
        Fact("trade", "d1", start, start + 36, text[start : start + 36],
             {"flow": "turnover", "reporter": "KZ", "partner": "TJ", "product": "total", "period": "2023-01/2023-12",
              "value": 1.4e9, "unit": "USD", "approx": False, "bound": None, "change_pct": None, "change_factor": None,
              "extra_field": {"kept": True}}, claimant="Kassym-Jomart Tokayev", lang="ru", rule="trade.ru.1", confidence=0.9),
        Fact("meeting", "d1", 69, len(text), text[69:], {"participants": ["A", "B"], "countries": ["KZ", "TJ"], "place": None},
             lang="kk", rule="meeting.kk"),
        Fact("partner_rank", "d1", 11, 20, text[11:20], {"reporter": "TJ", "partner": "KZ", "rank": 4, "flow": "turnover"}, lang="ru"),
    ]  # fmt: skip
    return doc


def test_store_document_and_facts_round_trip(tmp_path: Path) -> None:
    doc = sample_doc()
    with open_store(tmp_path / "k.db") as store:
        store.put(doc)
        back = store.get_doc("d1")
        row = store.conn.execute("SELECT approx, value, countries, \"by\", n_facts FROM facts JOIN documents d "
                                 "ON d.id = doc_id WHERE type = 'trade'").fetchone()  # fmt: skip
    assert (back.text, back.url, back.published, back.source, back.encoding, back.meta) == (
        doc.text, doc.url, doc.published, doc.source, doc.encoding, doc.meta
    )  # fmt: skip
    assert (back.excluded, back.articles, back.paragraphs, back.lang, back.script) == (
        doc.excluded, doc.articles, doc.paragraphs, doc.lang, doc.script
    )  # fmt: skip
    assert [f.to_dict() for f in back.facts] == [f.to_dict() for f in doc.facts]
    assert tuple(row) == (0, 1.4e9, None, None, 3)


@pytest.mark.parametrize(
    ("filters", "expected_types"),
    [
        ({}, ["partner_rank", "trade", "meeting", "trade"]),
        ({"pair": "KZ-TJ"}, ["partner_rank", "trade", "meeting"]),
        ({"pair": "tj-kz"}, ["partner_rank", "trade", "meeting"]),
        ({"pair": "KZ-UZ"}, ["trade"]),
        ({"type": "trade"}, ["trade", "trade"]),
        ({"lang": "kk"}, ["meeting"]),
        ({"lang": "en"}, ["trade"]),
        ({"doc": "d2"}, ["trade"]),
        ({"limit": 2}, ["partner_rank", "trade"]),
        ({"limit": 2, "offset": 3}, ["trade"]),
        ({"pair": "KZ-TJ", "type": "meeting", "lang": "kk"}, ["meeting"]),
    ],
)
def test_store_query_facts(tmp_path: Path, filters: dict, expected_types: list[str]) -> None:
    other = Doc("d2", "Kazakhstan and Uzbekistan traded 5 bn.", lang="en")
    other.facts = [
        Fact("trade", "d2", 0, 10, other.text[:10], {"flow": "turnover", "reporter": "UZ", "partner": "KZ"})
    ]
    with open_store(tmp_path / "k.db") as store:
        store.put(sample_doc())
        store.put(other)
        assert [f["type"] for f in store.query_facts(**filters)] == expected_types


@pytest.mark.parametrize("pair", ["KZ", "KZ-TJ-UZ", "Kazakhstan-TJ", "K1-TJ"])
def test_store_bad_pair_is_a_clear_error(tmp_path: Path, pair: str) -> None:
    with (
        open_store(tmp_path / "k.db") as store,
        pytest.raises(KaravanError, match="--pair wants two ISO country codes"),
    ):
        list(store.query_facts(pair=pair))


def test_store_unknown_document(tmp_path: Path) -> None:
    with (
        open_store(tmp_path / "k.db") as store,
        pytest.raises(UnknownDocument, match="no document with id 'zz'"),
    ):
        store.get_doc("zz")


@pytest.mark.parametrize("number", [10**30, -(10**19), 2**63, 2**63 - 1, -(2**63)])
def test_store_integers_past_sqlite_are_stored_exactly_in_data(tmp_path: Path, number: int) -> None:
    """A 30-digit figure in a text (the fuzz run found it) made the whole document unstorable."""
    doc = Doc("big", "Казахстан готов поставлять много позиций.")
    doc.facts = [
        Fact("export_offer", "big", 0, 9, "Казахстан", {"reporter": "KZ", "positions": number}, lang="ru")
    ]
    with open_store(tmp_path / "k.db") as store:
        store.put(doc)
        (back,) = store.get_doc("big").facts
        column = store.conn.execute("SELECT positions FROM facts").fetchone()[0]
    assert back.fields["positions"] == number and column == pytest.approx(number)
