"""Concrete joint plants and stations are projects; plural and vague phrases are not."""

import pytest

from karavan.doc import Doc
from karavan.extract.project import extract_projects

PAIR = "Казахстан и Кыргызстан расширяют сотрудничество. "

CASES = [
    (
        "Одним из проектов является строительство ферросплавного завода в Таш-Кумыре.",
        "ferroalloy plant",
        "Tash-Kumyr",
    ),
    ("Обсуждено строительство ГЭС Камбарата-1.", "Камбарата-1 HPP", None),
    (
        "Стороны договорились о запуске совместного завода по производству тракторов в Бишкеке.",
        "tractor plant",
        "Bishkek",
    ),
    ("Начато строительство цементного завода в Оше.", "cement plant", "Osh"),
]


@pytest.mark.parametrize(("text", "name", "place"), CASES)
def test_projects(text: str, name: str, place: str | None) -> None:
    facts = extract_projects(Doc(id="t", text=PAIR + text))
    assert [(f.fields["name"], f.fields["place"]) for f in facts] == [(name, place)]
    assert facts[0].fields["countries"] == ["KG", "KZ"]


NOT_PROJECTS = [
    "Перспективным видится создание совместных проектов по мукомольному производству.",
    "Рассмотрена возможность совместного освоения месторождений.",
    "Обсуждено создание совместных предприятий в сфере промышленности.",
    "Актюбинский завод готов сотрудничать в части поставок.",
]


@pytest.mark.parametrize("text", NOT_PROJECTS)
def test_vague_phrases_are_not_projects(text: str) -> None:
    assert extract_projects(Doc(id="t", text=PAIR + text)) == []
