"""export.write_typed_csv (the facts CSV typed and written in one pass, as the server streams it) writes the
same text as write_text of the typed rows, for every kind of cell."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from karavan.export import cite, typed_facts_of, write_text, write_typed_csv
from karavan.store import open_store

ROWS = [
    {},
    {"fact_id": 7, "doc": "d1", "quote": "=SUM(A1)", "value": 1.5, "countries": ["KZ", "UZ"]},
    {"fact_id": "8", "doc_title": "+7 per cent", "claimant": "-minus", "quote": "@x", "value": 2},
    {"fact_id": 9, "quote": "\tTab", "parties": [], "value": None, "doc_url": "\rcr"},
    {"fact_id": 10, "quote": 'Comma, "quoted"\nnew line', "countries": ["Қазақстан", 3]},
    {"fact_id": 11, "official_diff_pct": 3, "doc_published": "2024-01-02", "type": "trade"},
]


@pytest.mark.parametrize("row", ROWS)
def test_export_typed_csv_same_as_typed_rows_written(row: dict[str, Any]) -> None:
    one, two = io.StringIO(), io.StringIO()
    assert write_typed_csv([row], "facts", one) == write_text(typed_facts_of([row]), "facts", "csv", two) == 1
    assert one.getvalue() == two.getvalue()


def test_export_typed_csv_same_for_every_stored_fact(examples_db: Path) -> None:
    with open_store(examples_db) as store:
        rows = list(cite(store.query_facts(with_id=True), store))
    one, two = io.StringIO(), io.StringIO()
    assert write_typed_csv(rows, "facts", one) == write_text(typed_facts_of(rows), "facts", "csv", two) > 10
    assert one.getvalue() == two.getvalue()


# lists that are equal but not written alike ("1", 1, True, 1.0; 0.0 and -0.0), again and again (a cluster's
# flags come with each of its facts): each written as its own row would be
LISTS = [
    ["KZ", "UZ"],
    ["KZ", "UZ"],
    ["1"],
    [1],
    [True],
    [1.0],
    [0.0],
    [-0.0],
    [None],
    [],
    ["Қазақстан", 'a"b'],
]


@pytest.mark.parametrize("column", ["countries", "flags", "participants"])
def test_export_typed_csv_equal_lists_written_as_each_is(column: str) -> None:
    shared = ["scale", "part_exceeds_whole"]
    rows = [{"fact_id": i, column: v} for i, v in enumerate([*LISTS, shared, shared, *LISTS])]
    one, two = io.StringIO(), io.StringIO()
    assert write_typed_csv(rows, "facts", one) == write_text(typed_facts_of(rows), "facts", "csv", two)
    assert one.getvalue() == two.getvalue()
