"""Named agreements: name in the nominative, parties from context, status from the verb."""

import pytest

from karavan.doc import Doc
from karavan.extract.agreement import extract_agreements

CASES = [
    (
        "Казахстан и Таджикистан: подписывается Декларация о союзническом взаимодействии.",
        "Декларация о союзническом взаимодействии",
        "signed",
    ),
    (
        "Казахстан и Таджикистан ведут работу по реализации «Дорожной карты» по увеличению товарооборота на 2023-2024 гг.",
        "Дорожная карта по увеличению товарооборота на 2023-2024 гг.",
        "in_force",
    ),
    (
        "Между Казахстаном и Кыргызстаном реализуется «Дорожная карта по увеличению взаимных поставок сельхозпродукции».",
        "Дорожная карта по увеличению взаимных поставок сельхозпродукции",
        "in_force",
    ),
    (
        "Казахстан и Узбекистан планируют подписать Соглашение о демаркации границы.",
        "Соглашение о демаркации границы",
        "planned",
    ),
    (
        "Казахстан и Узбекистан подписали соглашение о свободной торговле услугами.",
        "Соглашение о свободной торговле услугами",
        "signed",
    ),
    (
        "Казахстан и Китай: будет подписан Меморандум о сотрудничестве в сфере энергетики.",
        "Меморандум о сотрудничестве в сфере энергетики",
        "planned",
    ),
    (
        "Лидеры Казахстана и Кыргызстана подписали Договор о союзнических отношениях, который вступит в силу.",
        "Договор о союзнических отношениях",
        "signed",
    ),
    (
        "Kazakhstan and Uzbekistan signed an Agreement on the demarcation of the border.",
        "Agreement on the demarcation of the border",
        "signed",
    ),
]


@pytest.mark.parametrize(("text", "name", "status"), CASES)
def test_agreement_status(text: str, name: str, status: str) -> None:
    facts = extract_agreements(Doc(id="t", text=text))
    assert [(f.fields["name"], f.fields["status"]) for f in facts] == [(name, status)]
    assert len(facts[0].fields["parties"]) == 2
    assert facts[0].quote == text[facts[0].start : facts[0].end]


NOT_AGREEMENTS = [
    "Имеется солидная договорно-правовая база, которая насчитывает более 100 договоров в различных сферах.",
    "Сегодня этот список пополнится новыми важными соглашениями.",
    "Стороны обсудили соглашение.",
]


@pytest.mark.parametrize("text", NOT_AGREEMENTS)
def test_generic_phrases_are_not_agreements(text: str) -> None:
    assert extract_agreements(Doc(id="t", text="Казахстан и Таджикистан. " + text)) == []
