"""Which sentence a meeting is quoted from (the first body sentence naming both sides), and more
phrasings in Russian, Kazakh (both scripts) and English, through the pipeline."""

import pytest

from karavan.doc import Doc
from karavan.pipeline import process


def _meetings(text: str, published: str = "2024-06-14") -> list:
    return [f for f in process(Doc(id="t", text=text, published=published)).facts if f.type == "meeting"]


CASES = [
    # (text, participants, countries, place, quote starts with)
    (
        "Мишустин и Бектенов встретились в Москве\nМосква, 5 сентября. - Председатель Правительства России "
        "Михаил Мишустин и Премьер-министр Казахстана Олжас Бектенов провели переговоры в Москве. "
        "Главы правительств обсудили транзит.",
        {"Mikhail Mishustin", "Olzhas Bektenov"},
        ["KZ", "RU"],
        "Moscow",
        "Председатель Правительства России",
    ),
    (
        "Toqaev pen Berdimuhamedov Ashgabatta kelissózder júrgizdi\n\nMemleket basshysy Qasym-Jomart Toqaev "
        "Ashgabatta Túrkimenstan Prezıdenti Serdar Berdimuhamedovpen kezdesti. Taraptar saýda salasyn talqylady.",
        {"Kassym-Jomart Tokayev", "Serdar Berdimuhamedov"},
        ["KZ", "TM"],
        "Ashgabat",
        "Memleket basshysy",
    ),
    (
        "Президент Узбекистана Шавкат Мирзиёев прибыл в Душанбе с государственным визитом.\n\nПрезидент "
        "Узбекистана Шавкат Мирзиёев прибыл в Душанбе с государственным визитом. В Куполе дворца его встретил "
        "Президент Таджикистана Эмомали Рахмон, после чего лидеры провели переговоры.",
        {"Shavkat Mirziyoyev", "Emomali Rahmon"},
        ["TJ", "UZ"],
        "Dushanbe",
        "В Куполе дворца",
    ),
    (
        "Қазақстан Премьер-Министрі Олжас Бектенов Астанада Қытай Мемлекеттік кеңесінің Премьері Ли Цянмен кездесті.",
        {"Olzhas Bektenov", "Li Qiang"},
        ["CN", "KZ"],
        "Astana",
        "Қазақстан Премьер-Министрі",
    ),
    (
        "Мемлекет басшысы Қасым-Жомарт Тоқаев Ресей Үкіметінің Төрағасы Михаил Мишустинді қабылдады.",
        {"Kassym-Jomart Tokayev", "Mikhail Mishustin"},
        ["KZ", "RU"],
        None,
        "Мемлекет басшысы",
    ),
    (
        "Qazaqstan Premer-Mınıstri Oljas Bektenov Máskeýde Mıhaıl Mıshýstınmen kelissózder júrgizdi.",
        {"Olzhas Bektenov", "Mikhail Mishustin"},
        ["KZ", "RU"],
        "Moscow",
        "Qazaqstan Premer-Mınıstri",
    ),
    (
        "Президент Казахстана Касым-Жомарт Токаев встретил в аэропорту Президента Узбекистана Шавката Мирзиёева.",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        None,
        "Президент Казахстана",
    ),
    (
        "Kazakh President Kassym-Jomart Tokayev held talks with his Uzbek counterpart Shavkat Mirziyoyev in Tashkent.",
        {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"},
        ["KZ", "UZ"],
        "Tashkent",
        "Kazakh President",
    ),
    (
        "Tajik President Emomali Rahmon met with Kyrgyz President Sadyr Japarov in Dushanbe on Monday.",
        {"Emomali Rahmon", "Sadyr Japarov"},
        ["KG", "TJ"],
        "Dushanbe",
        "Tajik President",
    ),
    (
        "Шавкат Мирзиёев и Сердар Бердымухамедов провели телефонный разговор.",
        {"Shavkat Mirziyoyev", "Serdar Berdimuhamedov"},
        ["TM", "UZ"],
        None,
        "Шавкат Мирзиёев",
    ),
]


@pytest.mark.parametrize(("text", "people", "countries", "place", "quote"), CASES)
def test_extract_meeting_quote_and_sides(
    text: str, people: set[str], countries: list[str], place: str | None, quote: str
) -> None:
    facts = _meetings(text)
    assert len(facts) == 1
    f = facts[0]
    assert set(f.fields["participants"]) == people
    assert f.fields["countries"] == countries
    assert f.fields["place"] == place
    assert f.quote.startswith(quote)
    assert f.quote == text[f.start : f.end]


NOT_MEETINGS = [
    "Токаев и Мирзиёев обсудили рост взаимной торговли.",
    "Тараптар сауда саласындағы ынтымақтастықты талқылады.",
    "The ministry met its export target.",
    "Президент Казахстана провел встречу с жителями Туркестана.",
]


@pytest.mark.parametrize("text", NOT_MEETINGS)
def test_extract_not_meetings(text: str) -> None:
    assert _meetings(text) == []
