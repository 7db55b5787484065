"""English and Kazakh amounts, percents, factors and periods as the annotate stage reads them."""

from __future__ import annotations

import pytest

from karavan.doc import Doc
from karavan.pipeline import process

AMOUNTS = [
    ("Trade reached $1.2bn.", 1.2e9, "USD"),
    ("Trade reached $1.2 billion.", 1.2e9, "USD"),
    ("Trade reached USD 850 million.", 850e6, "USD"),
    ("Trade reached KZT 120 billion.", 120e9, "KZT"),
    ("Exports reached 1,400 tonnes of flour.", 1400, "t"),
    ("Exports reached 1,400,000 tonnes of grain.", 1.4e6, "t"),
    ("Тауар айналымы 190 млн долларға жетті.", 190e6, "USD"),
    ("Тауар айналымы бір миллион АҚШ долларын құрады.", 1e6, "USD"),
    ("Тауар айналымы 500 млрд теңге болды.", 500e9, "KZT"),
    ("Taýar aınalymy $84,9 mln-dy qurady.", 84.9e6, "USD"),
    ("Taýar aınalymy $2 mlrd-qa jetti.", 2e9, "USD"),
]


def mentions(text: str, kind: str, published: str | None = "2024-10-15") -> list:
    doc = process(Doc("t", text, published=published), until="annotate")
    return [m for m in doc.mentions if m.kind == kind]


@pytest.mark.parametrize("text,value,unit", AMOUNTS)
def test_annotate_en_kk_amounts(text: str, value: float, unit: str) -> None:
    found = mentions(text, "amount")
    assert [(m.value, m.attrs["unit"]) for m in found] == [(pytest.approx(value), unit)]


PERIODS = [
    ("Trade grew in January–September 2024.", "2024-01/2024-09"),
    ("Trade grew in the first half of 2024.", "2024-01/2024-06"),
    ("Trade grew in the first nine months of 2023.", "2023-01/2023-09"),
    ("Trade grew last year.", "2023-01/2023-12"),
    ("Тауар айналымы 2024 жылдың 11 айында өсті.", "2024-01/2024-11"),
    ("Тауар айналымы осы жылдың екі айында өсті.", "2024-01/2024-02"),
    ("Тауар айналымы былтыр өсті.", "2023-01/2023-12"),
    ("Тауар айналымы өткен жылы өсті.", "2023-01/2023-12"),
    ("Тауар айналымы қаңтар-наурыз айларында өсті.", "2024-01/2024-03"),
    ("Тауар айналымы бірінші тоқсанда өсті.", "2024-01/2024-03"),
    ("Тауар айналымы 2024 жылдың бірінші жартыжылдығында өсті.", "2024-01/2024-06"),
]


@pytest.mark.parametrize("text,period", PERIODS)
def test_annotate_en_kk_periods(text: str, period: str) -> None:
    assert [m.value for m in mentions(text, "period")] == [period]


def test_annotate_kk_same_period_anchors_the_year() -> None:
    text = "Осы жылдың екі айында тауар айналымы 2023 жылдың сәйкес кезеңімен салыстырғанда 8,9%-ға артты."
    values = [m.value for m in mentions(text, "period", published=None)]
    assert values[0] == "2024-01/2024-02"


@pytest.mark.parametrize(
    "text,value",
    [
        ("Тауар айналымы 2 есеге артты.", 2.0),
        ("Тауар айналымы екі есе өсті.", 2.0),
        ("Trade doubled.", 2.0),
        ("Trade increased 1.5 times.", 1.5),
        ("Trade grew threefold.", 3.0),
    ],
)
def test_annotate_en_kk_factors(text: str, value: float) -> None:
    assert [m.value for m in mentions(text, "factor")] == [value]


@pytest.mark.parametrize(
    "text,value",
    [
        ("Trade fell 12.4% in 2024.", 12.4),
        ("Trade grew 15 percent.", 15.0),
        ("Тауар айналымы 8,9 пайызға өсті.", 8.9),
        ("Taýar aınalymy 8,9%-ǵa artty.", 8.9),
    ],
)
def test_annotate_en_kk_percents(text: str, value: float) -> None:
    assert [m.value for m in mentions(text, "percent")] == [value]
