"""Visits, talks, receptions and calls phrased in many ways -> participants, countries, place."""

import pytest

from karavan.doc import Doc
from karavan.extract.meeting import extract_meetings

CASES = [
    # (text, published, participants (set), countries, place)
    (
        "Премьер-министр РК Олжас Бектенов провел переговоры с премьер-министром Таджикистана Кохиром Расулзодой.",
        "2024-05-01",
        {"Olzhas Bektenov", "Kokhir Rasulzoda"},
        ["KZ", "TJ"],
        None,
    ),
    (
        "Касым-Жомарт Токаев встретился с Шавкатом Мирзиёевым в Ташкенте.",
        "2023-12-01",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        "Tashkent",
    ),
    (
        "Президент Таджикистана Эмомали Рахмон принял премьер-министра Казахстана Олжаса Бектенова.",
        "2024-03-15",
        {"Emomali Rahmon", "Olzhas Bektenov"},
        ["KZ", "TJ"],
        None,
    ),
    (
        "В ходе встречи с Садыром Жапаровым Касым-Жомарт Токаев обсудил водные вопросы.",
        "2024-01-01",
        {"Sadyr Japarov", "Kassym-Jomart Tokayev"},
        ["KG", "KZ"],
        None,
    ),
    (
        "В Бишкеке состоялась встреча Алихана Смаилова и Акылбека Жапарова.",
        "2023-06-01",
        {"Alikhan Smailov", "Akylbek Japarov"},
        ["KG", "KZ"],
        "Bishkek",
    ),
    (
        "Состоялся телефонный разговор Касым-Жомарта Токаева с Владимиром Путиным.",
        "2024-02-01",
        {"Kassym-Jomart Tokayev", "Vladimir Putin"},
        ["KZ", "RU"],
        None,
    ),
    (
        "Касым-Жомарт Токаев провел телефонный разговор с президентом Азербайджана Ильхамом Алиевым.",
        "2024-02-01",
        {"Kassym-Jomart Tokayev", "Ilham Aliyev"},
        ["AZ", "KZ"],
        None,
    ),
    (
        "Президенты Казахстана и Узбекистана провели переговоры в узком составе.",
        "2024-02-01",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        None,
    ),
    (
        "Глава государства Касым-Жомарт Токаев принял министра иностранных дел Китая Ван И.",
        "2024-02-01",
        {"Kassym-Jomart Tokayev", "Wang Yi"},
        ["CN", "KZ"],
        None,
    ),
    (
        "Сердар Бердымухамедов посетил Астану с государственным визитом и провел переговоры с Касым-Жомартом Токаевым.",
        "2024-02-01",
        {"Serdar Berdimuhamedov", "Kassym-Jomart Tokayev"},
        ["KZ", "TM"],
        "Astana",
    ),
    (
        "Олжас Бектенов и Абдулла Арипов провели переговоры в расширенном составе в Туркестане.",
        "2024-05-01",
        {"Olzhas Bektenov", "Abdulla Aripov"},
        ["KZ", "UZ"],
        "Turkistan",
    ),
    (
        "Олжас Бектенов провел встречу с вице-премьером России Алексеем Оверчуком.",
        "2024-05-01",
        {"Olzhas Bektenov", "Alexey Overchuk"},
        ["KZ", "RU"],
        None,
    ),
    (
        "Касым-Жомарт Тоқаев Шавкат Мирзиёевпен кездесті.",
        "2024-05-01",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        None,
    ),
    (
        "Qasym-Jomart Toqaev Emomalı Rahmonmen kezdesti.",
        "2024-05-01",
        {"Kassym-Jomart Tokayev", "Emomali Rahmon"},
        ["KZ", "TJ"],
        None,
    ),
    (
        "Oljas Bektenovti Qyrǵyzstan Mınıstrler Kabınetiniń Tóraǵasy Adylbek Qasymalıev qabyldady.",
        "2025-01-20",
        {"Olzhas Bektenov", "Adylbek Kasymaliev"},
        ["KG", "KZ"],
        None,
    ),
    (
        "Премьер-министрі Олжас Бектенов Тәжікстан Президенті Эмомали Рахмонмен кездесті.",
        "2024-05-01",
        {"Olzhas Bektenov", "Emomali Rahmon"},
        ["KZ", "TJ"],
        None,
    ),
    (
        "President Kassym-Jomart Tokayev met with Uzbek President Shavkat Mirziyoyev in Samarkand.",
        "2024-05-01",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        "Samarkand",
    ),
    (
        "Kazakh Prime Minister Olzhas Bektenov held talks with Kyrgyz Prime Minister Adylbek Kasymaliev.",
        "2025-02-01",
        {"Olzhas Bektenov", "Adylbek Kasymaliev"},
        ["KG", "KZ"],
        None,
    ),
    (
        "Tajik President Emomali Rahmon received Kazakhstan's Foreign Minister Murat Nurtleu in Dushanbe.",
        "2024-05-01",
        {"Emomali Rahmon", "Murat Nurtleu"},
        ["KZ", "TJ"],
        "Dushanbe",
    ),
    (
        "Vladimir Putin had a phone call with Kassym-Jomart Tokayev.",
        "2024-05-01",
        {"Vladimir Putin", "Kassym-Jomart Tokayev"},
        ["KZ", "RU"],
        None,
    ),
    (
        "На полях саммита Мурат Нуртлеу встретился с главой МИД Кыргызстана Жээнбеком Кулубаевым.",
        "2024-05-01",
        {"Murat Nurtleu", "Jeenbek Kulubaev"},
        ["KG", "KZ"],
        None,
    ),
    (
        "Лидеры обсудили повестку. Президент России Владимир Путин принял в Москве президента Кыргызстана.",
        "2024-05-01",
        {"Vladimir Putin", "Sadyr Japarov"},
        ["KG", "RU"],
        "Moscow",
    ),
]


@pytest.mark.parametrize(("text", "published", "people", "countries", "place"), CASES)
def test_extract_meeting_phrasings(
    text: str, published: str, people: set[str], countries: list[str], place: str | None
) -> None:
    doc = Doc(id="t", text=text, published=published)
    facts = extract_meetings(doc)
    assert len(facts) == 1
    f = facts[0]
    assert set(f.fields["participants"]) == people
    assert f.fields["countries"] == countries
    assert f.fields["place"] == place
    assert f.quote == text[f.start : f.end]


NOT_MEETINGS = [
    "Касым-Жомарт Токаев подписал закон о бюджете.",
    "Товарооборот Казахстана и Таджикистана вырос на 8%.",
    "Президенты двух стран провели переговоры.",
    "Олжас Бектенов провел встречу с журналистами.",
]


@pytest.mark.parametrize("text", NOT_MEETINGS)
def test_extract_not_meetings(text: str) -> None:
    assert extract_meetings(Doc(id="t", text=text, published="2024-05-01")) == []


def test_extract_same_pair_is_one_meeting_with_format_and_event() -> None:
    text = (
        "Премьер Олжас Бектенов провел переговоры в Душанбе. По прибытии Олжаса Бектенова принял "
        "президент Таджикистана Эмомали Рахмон. Переговоры прошли в расширенном составе."
    )
    facts = extract_meetings(Doc(id="t", text=text, published="2024-03-15"))
    assert len(facts) == 1
    assert facts[0].quote.startswith("По прибытии")
    assert facts[0].fields["place"] == "Dushanbe"
