"""The pages' fact reads give the same facts whichever index they are read from: a type with few facts is
read from facts_type and sorted, any other walks documents newest first; both orders are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from karavan.serve import queries
from karavan.serve.queries import FactFilter, recent_facts
from karavan.store import open_store

FILTERS = [
    {"type": "trade"},
    {"type": "meeting"},
    {"type": "agreement", "lang": "ru"},
    {"type": "target", "period_from": "2020"},
    {"type": "trade", "q": "товарооборот"},
    {"type": "no-such-type"},
]


@pytest.mark.parametrize("limit", [1, 3, 1000])
@pytest.mark.parametrize("fields", FILTERS)
def test_serve_recent_facts_same_from_either_index(
    examples_db: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str], limit: int
) -> None:
    with open_store(examples_db) as store:
        store.conn.create_function("kv_fold", 1, lambda s: None if s is None else s.casefold())
        flt = FactFilter(**fields)
        monkeypatch.setattr(queries, "FEW_OF_TYPE", -1)  # never: by document recency
        walked = recent_facts(store, flt, limit)
        monkeypatch.setattr(queries, "FEW_OF_TYPE", 10**9)  # always: from the type's index
        indexed = recent_facts(store, flt, limit)
    assert indexed == walked
    if fields["type"] == "trade" and limit == 1000:
        assert len(walked) > 3  # the examples have trade facts: the comparison compares something


@pytest.mark.parametrize("pair", [None, "KZ-UZ", "UZ-KZ", "KZ-TJ", "TM-UZ", "KZ-AF"])
@pytest.mark.parametrize("limit", [None, 0, 1, 2, 1000])
def test_serve_meetings_first_ones_and_count_as_the_whole_list(
    examples_db: Path, pair: str | None, limit
) -> None:
    """The pair page's meetings: the first `limit` of the whole list, in its order, and its length."""
    from karavan.reconcile.people_store import count_meetings, read_meetings

    with open_store(examples_db) as store:
        every = read_meetings(store, pair)
        assert read_meetings(store, pair, limit) == (every if limit is None else every[:limit])
        assert count_meetings(store, pair) == len(every)
    dated = [m["date"] for m in every if m["date"] is not None]
    assert dated == sorted(dated, reverse=True)  # newest first, the undated after
    assert [m["date"] for m in every[len(dated) :]] == [None] * (len(every) - len(dated))
    if pair is None:
        assert len(every) >= 2  # the examples have meetings: the comparison compares something
