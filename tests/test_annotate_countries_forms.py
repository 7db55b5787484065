"""Country forms: every case of a name, and the words that only begin like one."""

import pytest

from karavan.annotate.countries import read_countries
from karavan.doc import Doc
from karavan.pipeline import process

CASES = [
    ("Товарооборот между Казахстаном и Таджикистаном", ["KZ", "TJ"]),
    ("Индия и Грузия подписали меморандум", ["IN", "GE"]),
    ("экспорт индийского риса", ["IN"]),
    ("в Грузию и из Индии", ["GE", "IN"]),
    # a capital letter at the start of a sentence does not make a country of these
    ("Индивидуальный предприниматель из Казахстана", ["KZ"]),
    ("Индикативный план развития торговли", []),
    ("ИНДИВИДУАЛЬНЫЕ ПРЕДПРИНИМАТЕЛИ", []),
    ("Грузить зерно будут в Актау", []),
    ("Грузили вагоны для Узбекистана", ["UZ"]),
    ("Indiana farmers export to China", ["CN"]),
]


@pytest.mark.parametrize(("text", "codes"), CASES)
def test_annotate_country_forms(text: str, codes: list[str]) -> None:
    assert [c.code for c in read_countries(text)] == codes


def test_annotate_a_word_like_a_country_does_not_make_the_pair() -> None:
    # "Индивидуальные" must not become India and pair itself with Kazakhstan
    text = (
        "Индивидуальные предприниматели Казахстана нарастили экспорт в Кыргызстан. "
        "Экспорт составил 1,2 млрд долларов за 2024 год."
    )
    facts = [f for f in process(Doc(id="t", text=text)).facts if f.type == "trade"]
    assert [(f.fields["reporter"], f.fields["partner"]) for f in facts] == [("KZ", "KG")]
