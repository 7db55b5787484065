"""as_plain gives what dataclasses.asdict gives, for the result classes reconcile, the ledger and the
official comparison write (a nested one included), and copies containers rather than sharing them; a
block's stored JSON decoded together gives what each text decoded alone gives."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import pytest

from karavan.plain import as_plain
from karavan.promises.model import StatusChange, YearFigure
from karavan.reconcile.keys import json_rows, prep_dumps, prep_of, prepare
from karavan.reconcile.model import Evidence, Flag, Series, SeriesPoint, Side


class Span(NamedTuple):
    start: int
    end: int


@dataclass(slots=True)
class Holder:
    items: list[Any]
    by_name: dict[str, Any] = field(default_factory=dict)
    pair: tuple[str, str] = ("KZ", "TJ")
    span: Span = Span(0, 4)
    tags: frozenset[str] = frozenset({"a"})
    amount: Decimal = Decimal("1.40")


EVIDENCE = Evidence(
    "7", "doc-1", "товарооборот составил 1,4 млрд", "ru", None, "2024-05-01", 10, 40, "g1", 1.4e9
)
POINT = SeriesPoint("2023-01/2023-12", "year", 1.4e9, ["c1"], ["doc-1"], 1, value_range=[1.3e9, 1.5e9])
CASES: list[tuple[str, Any]] = [
    ("evidence", EVIDENCE),
    ("side", Side("c1", 2e9, {"lo": 1.95e9, "hi": 2.05e9}, ["q"], [], ["KZ"], False, ["d"], 1)),
    ("flag with details", Flag("scale", "a thousand times off", "c1", ["7"], ["c2"], {"ratio": 1000.0})),
    ("series of points", Series("s1", ["KZ", "TJ"], False, "turnover", "total", "USD", [POINT, POINT])),
    ("ledger figure", YearFigure(2023, 1.4e9, "year", "press, 2 sources", "2024-02-01", 2)),
    ("status change", StatusChange("2024", "on_track", None, "declared")),
    ("nested containers", Holder([EVIDENCE, [1, (2, 3)], {"k": POINT}], {"x": [Decimal("2")]})),
]  # fmt: skip


@pytest.mark.parametrize("name,value", CASES, ids=[c[0] for c in CASES])
def test_reconcile_as_plain_equals_asdict(name: str, value: Any) -> None:
    plain = as_plain(value)
    assert plain == asdict(value)
    assert list(plain) == list(asdict(value))  # the fields in their order: the JSON the store holds


def test_reconcile_as_plain_copies_containers() -> None:
    value = Holder([[1]], {"x": [2]})
    plain = as_plain(value)
    plain["items"][0].append(9)
    plain["by_name"]["x"].append(9)
    assert value.items == [[1]] and value.by_name == {"x": [2]}


@pytest.mark.parametrize("name,value", CASES[:-1], ids=[c[0] for c in CASES[:-1]])
def test_reconcile_to_dict_equals_asdict(name: str, value: Any) -> None:
    """What the store holds of each result is asdict's, fields in order."""
    assert value.to_dict() == asdict(value)
    assert list(value.to_dict()) == list(asdict(value))


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ['{"quote": "товарооборот 1,4 млрд"}', None, "[1, 2.5, null]"],
        ['"Қазақстан"', '{"a": {"b": [true, false]}}', None, None],
    ],
)
def test_reconcile_json_rows_decodes_each_text_as_json_loads(texts: list[str | None]) -> None:
    assert json_rows(texts) == [None if t is None else json.loads(t) for t in texts]


@pytest.mark.parametrize(
    "fact",
    [
        {"type": "trade", "flow": "turnover", "value": 1.4e9, "quote": "товарооборот составил 1,4 млрд долларов"},
        {"type": "trade", "flow": "export", "value": 2e8, "change_pct": 12.5, "quote": "экспорт вырос на 12,5%",
         "approx": True},
        {"type": "meeting", "countries": ["KZ", "TJ"], "place": "Dushanbe", "quote": "встреча в Душанбе"},
    ],
)  # fmt: skip
def test_reconcile_prepared_reads_back_as_it_was_worked_out(fact: dict[str, Any]) -> None:
    p = prepare(fact)
    [decoded] = json_rows([prep_dumps(p)])
    assert prep_of(decoded) == p
