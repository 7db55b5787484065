"""A figure past what Babel's decimals hold (1e300, inf) is written in exponent form: the pages that show it
answer 200, never a 500 (found by scripts/fuzz.py: a stored fact of 1e300 broke /search)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan import api
from karavan.doc import Doc, Fact
from karavan.serve.app import create_app
from karavan.serve.fmt import amount, number


def ru(word: str) -> str:
    return "ru" if word == "locale" else word


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.4e9, "1,4 bn"),
        (999e12, "999 000 bn"),
        (1e30, "1e+21 bn"),
        (1e300, "1e+291 bn"),
        (-1e300, "-1e+291 bn"),
        (float("inf"), "inf bn"),
        (float("nan"), "nan"),
        (2.0**70, "1 180 000 000 000 bn"),
    ],
)
def test_serve_amount_of_a_huge_figure(value: float, shown: str) -> None:
    assert amount(value, ru).replace("\u00a0", " ") == shown  # Babel groups with a no-break space


@pytest.mark.parametrize("value", [1e300, 1e16, float("inf")])
def test_serve_number_never_raises(value: float) -> None:
    assert number(value, ru)


@pytest.mark.parametrize(
    "path",
    ["/search?q=KZ-TJ", "/search?q=1e999", "/pairs/KZ-TJ", "/facts", "/", "/documents/d", "/api/facts"],
)
def test_serve_pages_with_a_huge_figure_answer(tmp_path: Path, path: str) -> None:
    db = tmp_path / "k.db"
    text = "Товарооборот Казахстана и Таджикистана составил 1e300 долларов."
    fields = {"reporter": "KZ", "partner": "TJ", "flow": "turnover", "value": 1e300, "unit": "USD"}
    fact = Fact(type="trade", doc="d", start=48, end=53, quote=text[48:53], fields=fields)
    with api.open_store(db) as store:
        store.put(Doc(id="d", text=text, facts=[fact]))
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
