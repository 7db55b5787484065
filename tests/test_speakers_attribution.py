"""Speech attribution: quotes closed by a verb and a person or role, "X отметил, что", pronouns."""

import pytest

from karavan.annotate.people import find_people
from karavan.annotate.speakers import find_speech
from karavan.doc import Doc

CASES = [
    # (text, published, a phrase inside the speech, expected speaker or None)
    (
        "Bilateral trade reached $3.1 billion in January–September 2024, up 8.5% year on year, Bektenov said.",
        "2024-11-12",
        "$3.1 billion",
        "Olzhas Bektenov",
    ),
    (
        "Trade between the two countries grew 20% last year, Uzbek President Shavkat Mirziyoyev noted.",
        "2024-11-12",
        "20%",
        "Shavkat Mirziyoyev",
    ),
    (
        "Trade between the two countries grew 20% last year, analysts said.",
        "2024-11-12",
        "20%",
        None,
    ),
    (
        "«Объем взаимной торговли составил 1,4 млрд долларов», - сказал глава государства Касым-Жомарт Токаев.",
        "2023-05-04",
        "1,4 млрд",
        "Kassym-Jomart Tokayev",
    ),
    (
        "Касым-Жомарт Токаев выступил. «Торговля выросла на 20%», - сказал глава государства.",
        "2023-05-04",
        "20%",
        "Kassym-Jomart Tokayev",
    ),
    (
        "«В прошлом году товарооборот достиг почти 1,5 млрд долларов», - отметил глава Таджикистана.",
        "2023-05-04",
        "1,5 млрд",
        None,  # a bare title: never the office holder it might mean
    ),
    (
        "Благодаря совместным мерам товарооборот вырос в 1,5 раза. Убежден, что ресурсы имеются, – подчеркнул премьер-министр РК.",
        "2022-06-16",
        "1,5 раза",
        None,
    ),
    (
        "Стороны отметили, что объем взаимной торговли увеличился на 33 процента.",
        "2022-06-16",
        "33 процента",
        None,
    ),
    (
        "Премьер-министр Олжас Бектенов отметил, что товарооборот достиг 1,6 млрд долларов.",
        "2025-01-10",
        "1,6 млрд",
        "Olzhas Bektenov",
    ),
    (
        "Касым-Жомарт Токаев прибыл. Работу дополняет Деловой совет, отметил он.",
        "2023-05-04",
        "Деловой совет",
        "Kassym-Jomart Tokayev",
    ),
    (
        "Касым-Жомарт Токаев прибыл. Их работу, по его словам, дополняет Деловой совет.",
        "2023-05-04",
        "Деловой совет",
        "Kassym-Jomart Tokayev",
    ),
    (
        "Oljas Bektenov eskertkishtiń ashylýynyń mańyzdylyǵyn atap ótti.",
        "2024-03-01",
        "eskertkish",
        "Olzhas Bektenov",
    ),
    ("Trade reached $1.6 billion, said Prime Minister Olzhas Bektenov.", "2025-01-10", "1.6 billion", None),
    ("Olzhas Bektenov said that trade reached $1.6 billion.", "2025-01-10", "1.6 billion", "Olzhas Bektenov"),
]


@pytest.mark.parametrize(("text", "published", "inside", "speaker"), CASES)
def test_speakers_speech_attribution(text: str, published: str, inside: str, speaker: str | None) -> None:
    doc = Doc(id="t", text=text, published=published)
    pos = text.index(inside)
    speech = find_speech(doc, find_people(doc))
    covering = [m.value for m in speech if m.start <= pos < m.end]
    assert (covering[0] if covering else None) == speaker
