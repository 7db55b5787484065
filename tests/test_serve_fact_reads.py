"""The pages' fact reads: a pair page's meetings as the first of the whole list, and a type, language or
period filter without a pair (fact_recent) the same facts, in the same order, as every fact sorted."""

from __future__ import annotations

from pathlib import Path

import pytest

from karavan.serve.queries import FactFilter, recent_facts
from karavan.store import open_store


@pytest.mark.parametrize("pair", [None, "KZ-UZ", "UZ-KZ", "KZ-TJ", "TM-UZ", "KZ-AF"])
@pytest.mark.parametrize("limit", [1, 2, 500])
def test_serve_meetings_first_ones_and_count_as_the_whole_list(
    examples_db: Path, pair: str | None, limit: int
) -> None:
    """The pair page's meetings (meeting_page, each with its first source): the first `limit` of the whole
    list, in its order, and its length."""
    from karavan.reconcile.people_store import read_meetings
    from karavan.serve.lists import meeting_page
    from karavan.serve.paging import Paging

    with open_store(examples_db) as store:
        every = read_meetings(store, pair)
        page = meeting_page(store, Paging(limit), pair, sources=1)
    first = [{**m, "sources": m["sources"][:1]} for m in every[:limit]]
    assert page.rows == first
    assert page.total == len(every)
    dated = [m["date"] for m in every if m["date"] is not None]
    assert dated == sorted(dated, reverse=True)  # newest first, the undated after
    assert [m["date"] for m in every[len(dated) :]] == [None] * (len(every) - len(dated))
    if pair is None:
        assert len(every) >= 2  # the examples have meetings: the comparison compares something


NARROW_FILTERS = [
    {},
    {"period_from": "2023"},
    {"period_from": "2021", "period_to": "2022"},
    {"period_to": "2020-06"},
    {"lang": "ru"},
    {"lang": "kk", "period_from": "2022"},
    {"type": "trade", "lang": "en"},
    {"type": "meeting", "period_from": "2020", "period_to": "2030"},
    {"type": "trade", "q": "товарооборот", "period_from": "2019"},
    {"lang": "xx"},
    {"type": "trade"},
    {"type": "meeting"},
    {"type": "agreement", "lang": "ru"},
    {"type": "target", "period_from": "2020"},
    {"type": "trade", "q": "товарооборот"},
    {"type": "no-such-type"},
]


def _listed(store: object, flt: FactFilter) -> list[tuple[str, str, int]]:
    """Every fact of a type/language/period filter, newest first, worked out in Python from all facts."""
    from karavan.serve.queries import month_bound

    out = []
    rows = store.conn.execute(  # type: ignore[attr-defined]
        "SELECT f.id, f.doc_id, d.published, f.type, coalesce(f.lang, d.lang), f.period, f.quote"
        " FROM facts f JOIN documents d ON d.id = f.doc_id"
    )
    for fid, doc, published, ftype, lang, period, quote in rows:
        if (flt.type and ftype != flt.type) or (flt.lang and lang != flt.lang):
            continue
        if flt.q and flt.q.casefold() not in (quote or "").casefold():
            continue
        if flt.period_from and not (period and period[8:15] >= month_bound(flt.period_from, end=False)):
            continue
        if flt.period_to and not (period and period[:7] <= month_bound(flt.period_to, end=True)):
            continue
        out.append((published or "", doc, fid))
    return sorted(out, reverse=True)


def both_orders(store: object, flt: FactFilter, newest: int, by_id: int) -> tuple[list[dict], list[int]]:
    """Every fact of `flt` as the lists page them: newest first `newest` at a time through the cursor
    (recency_of of a page's last fact), and the ids in id order `by_id` at a time (fact_page's cursor)."""
    from karavan.serve.queries import fact_page, recency_of

    facts: list[dict] = []
    after = None
    while True:
        page = recent_facts(store, flt, newest, after)  # type: ignore[arg-type]
        facts += page
        if len(page) < newest:
            break
        after = recency_of(page[-1])
    ids: list[int] = []
    cursor = None
    while True:
        rows, cursor = fact_page(store, flt, by_id, cursor)  # type: ignore[arg-type]
        ids += [f["fact_id"] for f in rows]
        if cursor is None:
            return facts, ids


@pytest.mark.parametrize("fields", NARROW_FILTERS)
def test_serve_filters_without_a_pair_read_in_the_lists_order(
    examples_db: Path, fields: dict[str, str]
) -> None:
    """A period, language or type filter without a pair or country (fact_recent, migration 10): the newest
    facts page by page through the cursor, and the API's id order, the same as every fact sorted."""
    from karavan.serve.queries import recency_of

    with open_store(examples_db) as store:
        flt = FactFilter(**fields)
        expected = _listed(store, flt)
        newest, by_id = both_orders(store, flt, 3, 4)
        pages = [recency_of(f) for f in newest]
    assert pages == expected
    assert by_id == sorted(fid for _, _, fid in expected)
    if not fields:
        assert len(expected) > 10  # the examples have facts: the comparison compares something


PAIR_FILTERS = [
    {"pair": "KZ-UZ", "lang": "ru"},
    {"pair": "UZ-KZ", "type": "trade", "lang": "en"},
    {"pair": "KZ-TJ", "type": "meeting"},
    {"pair": "KZ-UZ", "lang": "xx"},
    {"country": "KZ", "type": "agreement"},
    {"country": "UZ", "lang": "ru", "period_to": "2025"},
    {"country": "TJ", "type": "trade", "q": "товарооборот"},
    {"pair": "KZ-UZ", "country": "UZ", "type": "trade"},
]


@pytest.mark.parametrize("down", ["the pair's or country's rows", "the type's or language's rows", "shorter"])
@pytest.mark.parametrize("fields", PAIR_FILTERS)
def test_serve_pair_and_country_lists_test_type_and_language_on_the_narrow_rows(
    examples_db: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str], down: str
) -> None:
    """A pair's or a country's list with a type or language filter tests them on each fact's fact_recent row
    (queries.keyed), or is read down the type's or language's rows with each probed among the pair's or
    country's (queries.probed; newest first, when that list is the shorter: down_narrow): newest first
    through the cursor, and in id order, the facts the filters mean, whichever way is read."""
    from karavan.serve import queries
    from karavan.serve.queries import recency_of
    from karavan.store.db import pair_key

    if down != "shorter":
        monkeypatch.setattr(queries, "down_narrow", lambda store, flt: down.startswith("the type"))
    with open_store(examples_db) as store:
        flt = FactFilter(**fields)
        ids: set[int] | None = None
        for table, column, value in (
            ("fact_pairs", "pair", flt.pair),
            ("fact_countries", "country", flt.country),
        ):
            if value:
                key = pair_key(value) if column == "pair" else value
                found = {
                    r[0]
                    for r in store.conn.execute(f"SELECT fact_id FROM {table} WHERE {column} = ?", (key,))
                }
                ids = found if ids is None else ids & found
        assert ids, f"examples/ has facts of {fields}"
        expected = [row for row in _listed(store, flt) if row[2] in ids]
        newest, by_id = both_orders(store, flt, 3, 4)
        pages = [recency_of(f) for f in newest]
    assert pages == expected
    assert by_id == sorted(fid for _, _, fid in expected)
