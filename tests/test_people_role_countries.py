"""Role phrases take their country from countries.tsv, the same forms the country annotator reads."""

import pytest

from karavan.doc import Doc
from karavan.pipeline import process

CASES = [
    # (text, (person or None, country, role) of each person mention)
    ("Президент Монголии прибыл в Астану.", [(None, "MN", "president")]),
    ("Премьер-министр Пакистана посетил Ташкент.", [(None, "PK", "pm")]),
    (
        "Túrkimenstan Prezıdenti Serdar Berdimuhamedov Astanaǵa keldi.",
        [("Serdar Berdimuhamedov", "TM", "president")],
    ),
    ("Президент Кыргызской Республики Садыр Жапаров", [("Sadyr Japarov", "KG", "president")]),
    ("Президент Астаны", []),  # a capital is no country's president
]


@pytest.mark.parametrize(("text", "people"), CASES)
def test_people_role_country_from_the_country_list(text: str, people: list[tuple]) -> None:
    doc = process(Doc(id="t", text=text, published="2024-06-01"))
    found = [
        (m.value, m.attrs.get("country"), m.attrs.get("role")) for m in doc.mentions if m.kind == "person"
    ]
    assert found == people
