"""Agreements in the forms real press uses: ratified treaties, counts of signed documents, English purpose
and field complements, a joint statement, a roadmap being drafted, a status the sentence before gives, a
third country said in passing, a side named only by its leader; and their negatives."""

import pytest

from karavan.annotate.translit import cyrillic_to_latin
from karavan.doc import Doc
from karavan.pipeline import process


def _agreements(text: str) -> list:
    return [f for f in process(Doc(id="t", text=text, published="2024-06-14")).facts if f.type == "agreement"]


CASES = [
    # (text, name, status, parties)
    (  # ratified: in force, the complement 'между X и Y' keeps both sides
        "Мажилис ратифицировал Соглашение между Казахстаном и Узбекистаном о международном центре промышленной "
        "кооперации.",
        "Соглашение между Казахстаном и Узбекистаном о международном центре промышленной кооперации",
        "in_force",
        ["KZ", "UZ"],
    ),
    (
        "The parliament of Kyrgyzstan ratified the treaty on the border with Tajikistan.",
        "Treaty on the border with Tajikistan",
        "in_force",
        ["KG", "TJ"],
    ),
    (  # a count of signed documents is one fact; a Kazakh case ending is dropped, a Russian genitive kept
        "Қазақстан мен Түркия арасында 8 құжатқа қол қойылды.",
        "8 құжат",
        "signed",
        ["KZ", "TR"],
    ),
    ("Казахстан и Кыргызстан подписали 12 документов.", "12 документов", "signed", ["KG", "KZ"]),
    (
        "Kazakhstan and Turkey signed 15 cooperation documents during the visit.",
        "15 cooperation documents",
        "signed",
        ["KZ", "TR"],
    ),
    (  # English purpose and field complements
        "Kazakhstan and Azerbaijan inked an agreement to expand transit through the Caspian.",
        "Agreement to expand transit through the Caspian",
        "signed",
        ["AZ", "KZ"],
    ),
    (
        "Tajikistan and Iran reached agreements in various areas including energy and transport.",
        "Agreements in various areas including energy and transport",
        "signed",
        ["IR", "TJ"],
    ),
    (  # a joint statement signed is a document; the name stops before the next predicate
        "Kazakhstan and Azerbaijan signed a joint statement on allied relations and agreed to create a council.",
        "Joint statement on allied relations",
        "signed",
        ["AZ", "KZ"],
    ),
    (  # approved
        "Kazakhstan and Uzbekistan approved the cooperation program for 2025-2027.",
        "Programme for 2025-2027",
        "signed",
        ["KZ", "UZ"],
    ),
    (  # a roadmap being drafted: planned
        "Қазақстан мен Қырғызстан «жол картасы» әзірленеді.",
        "Жол картасы",
        "planned",
        ["KG", "KZ"],
    ),
    (  # the legal base of the relations: in force, though 'signed' follows
        "Uzbekistan and Kyrgyzstan have a solid legal base, including the treaty on strategic partnership "
        "signed in 2017.",
        "Treaty on strategic partnership",
        "in_force",
        ["KG", "UZ"],
    ),
    (  # a named document without a status of its own takes the sentence before's, when it signs documents
        "Қазақстан мен Өзбекстан президенттері маңызды құжатқа қол қойды. Стратегиялық әріптестік туралы шарт "
        "екі елдің байланысын нығайтады.",
        "Стратегиялық әріптестік туралы шарт",
        "signed",
        ["KZ", "UZ"],
    ),
    (
        "Основополагающими документами отношений Казахстана и Таджикистана являются:\n"
        "- Договор о дружбе и сотрудничестве",
        "Договор о дружбе и сотрудничестве",
        "in_force",
        ["KZ", "TJ"],
    ),
    (  # a third country said in passing: the document's pair are the parties
        "Казахстан и Туркменистан. Туркменистан, граничащий с Афганистаном, подписал с Казахстаном "
        "Соглашение о демаркации границы.",
        "Соглашение о демаркации границы",
        "signed",
        ["KZ", "TM"],
    ),
    (  # one side named only by its leader: the document's people give it
        "Шавкат Мирзиёев встретился с Премьер-министром Кыргызстана Адылбеком Касымалиевым. Подписана "
        "дорожная карта по развитию торговли.",
        "Дорожная карта по развитию торговли",
        "signed",
        ["KG", "UZ"],
    ),
    (
        "Kassym-Jomart Tokayev held talks with the President of Mongolia. A memorandum on transport "
        "cooperation was signed.",
        "Memorandum on transport cooperation",
        "signed",
        ["KZ", "MN"],
    ),
    (
        "Қасым-Жомарт Тоқаев Тәжікстан Президенті Эмомали Рахмонмен келіссөздер жүргізді. Көлік саласындағы "
        "ынтымақтастық туралы меморандумға қол қойылды.",
        "Көлік саласындағы ынтымақтастық туралы меморандум",
        "signed",
        ["KZ", "TJ"],
    ),
]


@pytest.mark.parametrize(("text", "name", "status", "parties"), CASES)
def test_extract_agreement_forms(text: str, name: str, status: str, parties: list[str]) -> None:
    facts = _agreements(text)
    assert [(f.fields["name"], f.fields["status"], f.fields["parties"]) for f in facts] == [
        (name, status, parties)
    ]
    assert facts[0].quote == text[facts[0].start : facts[0].end]


def test_extract_agreement_counted_in_kazakh_latin() -> None:
    text = cyrillic_to_latin("Қазақстан мен Түркия арасында 8 құжатқа қол қойылды.", "2021")
    facts = _agreements(text)
    assert [(f.fields["name"], f.fields["parties"]) for f in facts] == [
        (cyrillic_to_latin("8 құжат", "2021"), ["KZ", "TR"])
    ]


NOT_AGREEMENTS = [
    # a count that is not exact, documents without a count, a value
    "В ходе визита Казахстана и Узбекистана было подписано более 30 документов.",
    "Kazakhstan and Kyrgyzstan signed several MoUs.",
    "Kazakhstan and Uzbekistan signed documents worth 5 billion dollars.",
    # a complement naming the occasion, not the document
    "Казахстан и Узбекистан подписали документы по итогам переговоров.",
    # a count of years, a sum
    "Казахстан и Узбекистан 30 лет назад подписали договоры.",
    "Kazakhstan and Turkey signed deals for 2 billion agreements-worth of goods.",
]


@pytest.mark.parametrize("text", NOT_AGREEMENTS)
def test_extract_agreement_not_forms(text: str) -> None:
    assert _agreements(text) == []


SUMMIT_DECLARATION = (
    "Бүгін Астанада «Орталық Азия + Жапония» саммиті өтті. «Орталық Азия + Жапония» саммитінің қорытынды "
    "декларациясы қабылданды."
)


@pytest.mark.parametrize("alphabet", [None, "2017", "2018", "2021"])
def test_extract_agreement_of_a_summit_in_kazakh(alphabet: str | None) -> None:
    # an event's own document (the event in the genitive before the head), its parties the format's group
    text = SUMMIT_DECLARATION if alphabet is None else cyrillic_to_latin(SUMMIT_DECLARATION, alphabet)
    facts = _agreements(text)
    assert [(f.fields["status"], f.fields["parties"]) for f in facts] == [
        ("signed", ["JP", "KG", "KZ", "TJ", "TM", "UZ"])
    ]
    assert facts[0].fields["name"].startswith(text[text.index("«", 10) : text.index("«", 10) + 8])


def test_extract_agreement_genitive_of_no_event_is_none() -> None:
    assert _agreements("Қазақстан мен Қытай. Тараптардың келісіміне қол қойылды.") == []
