"""The quote filter's index (migration 20, karavan/store/quote_grams.py): the folded quotes as trigrams, kept
as facts are stored, replaced and deleted; its query; and a quote-filtered list read by the walk or from
the index gives the same facts, the exact test's (Python's full case folding)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from karavan.serve.queries import FactFilter, recent_facts
from karavan.store import quote_grams
from karavan.store.db import open_store
from karavan.store.migrations import MIGRATIONS, migrate
from karavan.store.quote_grams import match_expr, register
from tests.test_serve_fact_reads import both_orders
from tests.test_serve_query_plans import full_scans
from tests.test_store_fact_recent import store_doc


@pytest.mark.parametrize(
    ("q", "expr"),
    [
        ("млрд", '"млр" AND "лрд"'),
        ("Товарооборот", '"тов" AND "аро" AND "обо" AND "рот"'),  # covering trigrams, folded
        ("trade", '"tra" AND "ade"'),
        ("STRASSE", '"str" AND "ass" AND "sse"'),
        ("Straße", '"str" AND "ass" AND "sse"'),  # full folding: ß is ss, as the exact test has it
        ('a "b', '"a """ AND " ""b"'),  # FTS5's quote doubled inside a quoted term
        ("aaaaaa", '"aaa"'),  # a trigram once
        ("ТАУ", '"тау"'),
        ("kz", None),  # shorter than a trigram: no index
        ("", None),
    ],
)
def test_store_quote_grams_query_covers_the_folded_text(q: str, expr: str | None) -> None:
    assert match_expr(q) == expr


def _raw(path: Path, upto: int | None = None) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    register(conn)
    migrate(conn, [m for m in MIGRATIONS if upto is None or m[0] <= upto])
    return conn


TRUTH = "SELECT id, quote FROM facts WHERE quote IS NOT NULL"
GRAMS = "SELECT rowid, folded FROM fact_quote_grams"


def _kept(conn: sqlite3.Connection) -> None:
    truth = sorted((i, q.casefold()) for i, q in conn.execute(TRUTH))
    assert sorted(conn.execute(GRAMS).fetchall()) == truth
    assert truth, "the store has quoted facts"


def first(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT min(id) FROM facts WHERE quote IS NOT NULL").fetchone()[0])


CHANGES: list[tuple[str, Callable[[sqlite3.Connection], object]]] = [
    ("another document", lambda c: store_doc(c, "en_kz_uz_astana.txt")),
    ("a fact's quote changed", lambda c: c.execute("UPDATE facts SET quote = 'ТОВАРООБОРОТ Вырос' WHERE id = ?", (first(c),))),
    ("a fact's quote removed", lambda c: c.execute("UPDATE facts SET quote = NULL WHERE id = ?", (first(c),))),
    ("a fact deleted", lambda c: c.execute("DELETE FROM facts WHERE id = ?", (first(c),))),
    ("a document deleted", lambda c: c.execute("DELETE FROM documents WHERE id = (SELECT doc_id FROM facts LIMIT 1)")),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[w for w, _ in CHANGES])
def test_store_quote_grams_filled_then_kept(tmp_path: Path, what: str, change: Callable[..., object]) -> None:
    conn = _raw(tmp_path / "k.db", upto=19)
    conn.execute("PRAGMA foreign_keys = ON")
    store_doc(conn, "ru_kz_kg_cp1251.txt")  # facts before the migration
    store_doc(conn, "kk_cyrl_kz_cn.txt")
    assert migrate(conn)[0] == 20  # then any later one
    _kept(conn)
    change(conn)
    _kept(conn)


def test_store_quote_grams_deleted_without_the_fold(tmp_path: Path) -> None:
    """A document deleted from a plain SQLite shell (no kv_fold) takes its facts out of the index too."""
    db = tmp_path / "k.db"
    conn = _raw(db)
    doc = store_doc(conn, "ru_kz_kg_cp1251.txt")
    conn.close()
    shell = sqlite3.connect(db, isolation_level=None)
    shell.execute("PRAGMA foreign_keys = ON")
    shell.execute("DELETE FROM documents WHERE id = ?", (doc,))
    assert shell.execute(GRAMS).fetchall() == []


def _listed(store, flt: FactFilter) -> list[int]:  # noqa: ANN001
    """Every fact `flt` selects but its quote filter, tested in Python: the filter's meaning."""
    every = recent_facts(store, replace(flt, q=None), 100_000)
    needle = (flt.q or "").casefold()
    return [f["fact_id"] for f in every if needle in (f.get("quote") or "").casefold()]


FILTERS = [
    FactFilter(q="товарооборот"),
    FactFilter(q="ТОВАРООБОРОТ", lang="en"),  # a word of another language: none
    FactFilter(q="млрд", pair="KZ-UZ"),
    FactFilter(q="trade", country="KZ"),
    FactFilter(q="billion", type="trade"),
    FactFilter(q="тауар", lang="kk"),
    FactFilter(q="долл", pair="KZ-TJ", period_from="2023"),
    FactFilter(q="zzzq"),  # no trigram of it anywhere
    FactFilter(q="ru"),  # shorter than a trigram: the walk alone
]


@pytest.fixture(scope="module")
def examples_copy(tmp_path_factory: pytest.TempPathFactory, examples_db: Path) -> Path:
    db = tmp_path_factory.mktemp("grams") / "k.db"
    shutil.copy(examples_db, db)
    return db


@pytest.mark.parametrize(
    "flt", FILTERS, ids=lambda f: f"{f.q}-{f.pair or f.country or f.lang or f.type or ''}"
)
@pytest.mark.parametrize("walked", [True, False], ids=["walk", "index"])
def test_serve_quote_filter_reads_the_same_facts_by_walk_and_index(
    examples_copy: Path, monkeypatch: pytest.MonkeyPatch, flt: FactFilter, walked: bool
) -> None:
    """The walk never done in its time: every list of a quote filter with a trigram is read from the index
    (on a large store: those the walk does not finish quickly); or the walk alone. Both the newest-first
    pages (through their cursor) and the id-ordered pages give the facts the filter means; the index's
    reads are indexed."""
    if not walked:
        monkeypatch.setattr(quote_grams, "within", lambda conn, seconds, run: (False, None))
    with open_store(examples_copy) as store:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        expected = _listed(store, flt)
        newest, by_id = both_orders(store, flt, 2, 2)
        store.conn.set_trace_callback(None)
        assert [f["fact_id"] for f in newest] == expected
        assert by_id == sorted(expected)
        if flt.q in ("товарооборот", "млрд", "trade"):
            assert expected, f"examples/ has quotes with {flt.q!r}"
        read_index = [s for s in statements if s.startswith("SELECT") and "fact_quote_grams MATCH" in s]
        assert bool(read_index) == (not walked and match_expr(flt.q or "") is not None)
        scans = {s: found for s in read_index if (found := full_scans(store.conn, s))}
        assert not scans, scans


def test_store_quote_walk_is_interrupted_past_its_time(examples_copy: Path) -> None:
    """within: a read past its time gives (False, None) and leaves the connection usable; a read within it
    its rows; an error that is not the interrupt is raised."""
    with open_store(examples_copy) as store:
        conn = store.conn
        heavy = "SELECT count(*) FROM facts a, facts b, facts c"
        assert quote_grams.within(conn, 0.001, lambda: conn.execute(heavy).fetchall()) == (False, None)
        done, rows = quote_grams.within(conn, 60, lambda: conn.execute("SELECT 1").fetchall())
        assert done and [tuple(r) for r in rows] == [(1,)]
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            quote_grams.within(conn, 60, lambda: conn.execute("SELECT * FROM nowhere").fetchall())
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
