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


@pytest.mark.parametrize("fields", NARROW_FILTERS)
def test_serve_filters_without_a_pair_read_in_the_lists_order(
    examples_db: Path, fields: dict[str, str]
) -> None:
    """A period, language or type filter without a pair or country (fact_recent, migration 10): the newest
    facts page by page through the cursor, and the API's id order, the same as every fact sorted."""
    from karavan.serve.queries import fact_page, recency_of

    with open_store(examples_db) as store:
        store.conn.create_function("kv_fold", 1, lambda s: None if s is None else s.casefold())
        flt = FactFilter(**fields)
        expected = _listed(store, flt)
        pages: list[tuple[str, str, int]] = []
        after = None
        while True:
            page = recent_facts(store, flt, 3, after)
            pages += [recency_of(f) for f in page]
            if len(page) < 3:
                break
            after = recency_of(page[-1])
        by_id, cursor = [], None
        while True:
            facts, cursor = fact_page(store, flt, 4, cursor)
            by_id += [f["fact_id"] for f in facts]
            if cursor is None:
                break
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


@pytest.mark.parametrize("fields", PAIR_FILTERS)
def test_serve_pair_and_country_lists_test_type_and_language_on_the_narrow_rows(
    examples_db: Path, fields: dict[str, str]
) -> None:
    """A pair's or a country's list with a type or language filter tests them on each fact's fact_recent row
    (queries.beside_recent): newest first through the cursor, and in id order, the facts the filters mean."""
    from karavan.serve.queries import fact_page, recency_of

    with open_store(examples_db) as store:
        flt = FactFilter(**fields)
        ids: set[int] | None = None
        for table, column, value in (
            ("fact_pairs", "pair", flt.pair),
            ("fact_countries", "country", flt.country),
        ):
            if value:
                key = "-".join(sorted(value.split("-"))) if column == "pair" else value
                found = {
                    r[0]
                    for r in store.conn.execute(f"SELECT fact_id FROM {table} WHERE {column} = ?", (key,))
                }
                ids = found if ids is None else ids & found
        assert ids, f"examples/ has facts of {fields}"
        expected = [row for row in _listed(store, flt) if row[2] in ids]
        pages: list[tuple[str, str, int]] = []
        after = None
        while True:
            page = recent_facts(store, flt, 3, after)
            pages += [recency_of(f) for f in page]
            if len(page) < 3:
                break
            after = recency_of(page[-1])
        by_id, cursor = [], None
        while True:
            facts, cursor = fact_page(store, flt, 4, cursor)
            by_id += [f["fact_id"] for f in facts]
            if cursor is None:
                break
    assert pages == expected
    assert by_id == sorted(fid for _, _, fid in expected)
