"""The forms numbers, amounts, quantities, percents and factors take in press text, as the annotate stage
reads them: each case is a sentence and the one numeric reading it holds (kind, original span, value, unit)."""

from __future__ import annotations

import pytest

from karavan.doc import Doc
from karavan.pipeline import process

NUMERIC = ("amount", "quantity", "percent", "factor", "number")


def readings(text: str) -> list[tuple[str, str, float, str | None]]:
    doc = process(Doc("t", text, published="2024-10-15"), until="annotate")
    return [
        (m.kind, text[m.start : m.end], m.value, m.attrs.get("unit"))
        for m in doc.mentions
        if m.kind in NUMERIC
    ]


def only(text: str) -> tuple[str, str, float, str | None]:
    found = readings(text)
    assert len(found) == 1, found
    return found[0]


def check(text: str, kind: str, span: str, value: float, unit: str | None) -> None:
    got = only(text)
    assert got[:2] == (kind, span)
    assert got[2] == pytest.approx(value)
    assert got[3] == unit


# (sentence, kind, span as written, value, unit)
SEPARATORS = [
    (
        "Imports from Russia rose to $1,274.6 million last year.",
        "amount",
        "$1,274.6 million",
        1.2746e9,
        "USD",
    ),
    ("The country shipped 422,260 tons of wheat to its neighbours.", "amount", "422,260 tons", 422260, "t"),
    ("Turnover stood at $676.540 million in the spring.", "amount", "$676.540 million", 6.7654e8, "USD"),
    ("Exports rose to 84.9 million dollars in May.", "amount", "84.9 million dollars", 84.9e6, "USD"),
    (
        "Товарооборот вырос до 1 274,6 млн долларов по итогам года.",
        "amount",
        "1 274,6 млн долларов",
        1.2746e9,
        "USD",
    ),
    ("Объем инвестиций составил 4 700 млн тенге за полгода.", "amount", "4 700 млн тенге", 4.7e9, "KZT"),
    ("Экспорт пшеницы составил 84,9 тыс. тонн за сезон.", "amount", "84,9 тыс. тонн", 84900, "t"),
    ("Поставки достигли 2 042 тонн за месяц.", "amount", "2 042 тонн", 2042, "t"),
    ("Тауар айналымы 84,9 млн долларға жетті.", "amount", "84,9 млн долларға", 84.9e6, "USD"),
    ("Экспорт составил 422,260 тонн зерна.", "amount", "422,260 тонн", 422.26, "t"),  # a decimal comma
]


@pytest.mark.parametrize("text,kind,span,value,unit", SEPARATORS)
def test_annotate_thousands_separators_and_decimal_marks(
    text: str, kind: str, span: str, value: float, unit: str
) -> None:
    check(text, kind, span, value, unit)


GLUED_AND_PREFIXED = [
    ("Trade with the partner hit $2bln last year.", "amount", "$2bln", 2e9, "USD"),
    ("Bilateral trade reached $3bln in the period.", "amount", "$3bln", 3e9, "USD"),
    ("Exports were valued at $241.5mn in the quarter.", "amount", "$241.5mn", 241.5e6, "USD"),
    ("The partner ranked first at $3.7bn in the year.", "amount", "$3.7bn", 3.7e9, "USD"),
    ("Экспорт угля вырос до 5,3млн тонн в прошлом году.", "amount", "5,3млн тонн", 5.3e6, "t"),
    ("Бюджет программы составил 10млрд тенге.", "amount", "10млрд тенге", 10e9, "KZT"),
    (
        "Mutual trade reached USD 612.4 million, officials said.",
        "amount",
        "USD 612.4 million",
        612.4e6,
        "USD",
    ),
    ("The sides aim to raise trade to USD 2 billion.", "amount", "USD 2 billion", 2e9, "USD"),
    ("Investment reached $ 317 million over the year.", "amount", "$ 317 million", 317e6, "USD"),
    (
        "Trade was valued at 172.406 million U.S. dollars.",
        "amount",
        "172.406 million U.S. dollars",
        172.406e6,
        "USD",
    ),
    (
        "Exports were estimated at 77.512 U.S. million dollars.",
        "amount",
        "77.512 U.S. million dollars",
        77.512e6,
        "USD",
    ),
    ("Imports reached 12 million US dollars in March.", "amount", "12 million US dollars", 12e6, "USD"),
    ("Объем торговли составил 3,5 млрд долларов США.", "amount", "3,5 млрд долларов США", 3.5e9, "USD"),
    ("Товарооборот составил 1,4 млрд долл. за год.", "amount", "1,4 млрд долл.", 1.4e9, "USD"),
    ("Инвестиции достигли 7 млн долл. США.", "amount", "7 млн долл. США", 7e6, "USD"),
    ("Тауар айналымы 45 млн АҚШ долларын құрады.", "amount", "45 млн АҚШ долларын", 45e6, "USD"),
    ("Imports from the partner were $2.203\nbillion.", "amount", "$2.203\nbillion", 2.203e9, "USD"),
    (
        "Экспорт составил 19 млрд в американской валюте.",
        "amount",
        "19 млрд в американской валюте",
        19e9,
        "USD",
    ),
]


@pytest.mark.parametrize("text,kind,span,value,unit", GLUED_AND_PREFIXED)
def test_annotate_glued_scales_and_currency_codes(
    text: str, kind: str, span: str, value: float, unit: str
) -> None:
    check(text, kind, span, value, unit)


NUMBER_WORDS = [
    # Russian, in every case
    (
        "Мы должны поставить планку на миллиард долларов товарооборота.",
        "amount",
        "миллиард долларов",
        1e9,
        "USD",
    ),
    ("Банк выделит полмиллиарда долларов на проекты.", "amount", "полмиллиарда долларов", 5e8, "USD"),
    (
        "Стороны обсудили кредит на полтора миллиарда долларов.",
        "amount",
        "полтора миллиарда долларов",
        1.5e9,
        "USD",
    ),
    (
        "Речь идет о сумме свыше полутора миллиарда рублей.",
        "amount",
        "полутора миллиарда рублей",
        1.5e9,
        "RUB",
    ),
    ("Объем достиг порядка семисот миллионов долларов.", "amount", "семисот миллионов долларов", 7e8, "USD"),
    ("Стороны подписали контракты на двух млрд долларов.", "amount", "двух млрд долларов", 2e9, "USD"),
    (
        "Кредит в размере одного миллиарда долларов одобрен.",
        "amount",
        "одного миллиарда долларов",
        1e9,
        "USD",
    ),
    ("Планируется поставка десяти миллионов тонн зерна.", "amount", "десяти миллионов тонн", 1e7, "t"),
    ("Еще около миллиона тонн муки продано соседям.", "amount", "миллиона тонн", 1e6, "t"),
    (
        "Товарооборот достиг двух с половиной миллиардов долларов.",
        "amount",
        "двух с половиной миллиардов долларов",
        2.5e9,
        "USD",
    ),
    ("В проекте участвуют двести тридцать пять компаний.", "number", "двести тридцать пять", 235, None),
    ("На выставку приехали представители двухсот компаний.", "number", "двухсот", 200, None),
    ("Соглашение охватывает свыше трехсот позиций.", "number", "трехсот", 300, None),
    ("В списке около пятисот наименований.", "number", "пятисот", 500, None),
    ("Делегации из сорока стран прибыли на форум.", "number", "сорока", 40, None),
    ("Доля выросла на девяноста предприятиях.", "number", "девяноста", 90, None),
    ("Компания отгрузила семьсот пятьдесят вагонов.", "number", "семьсот пятьдесят", 750, None),
    ("Достиг 5-ти миллиардов долларов товарооборот.", "amount", "5-ти миллиардов долларов", 5e9, "USD"),
    ("Объем превысил 2-х млрд долларов.", "amount", "2-х млрд долларов", 2e9, "USD"),
    # English
    ("Trade could reach a billion dollars soon.", "amount", "a billion dollars", 1e9, "USD"),
    ("Trade grew three percent over the year.", "percent", "three percent", 3, "%"),
    ("The sides signed seven documents.", "number", "seven", 7, None),
    ("The list covers twelve products.", "number", "twelve", 12, None),
    ("Exports include a hundred items.", "number", "a hundred", 100, None),
    ("Exports reached twenty-five million tons.", "amount", "twenty-five million tons", 25e6, "t"),
    ("The firm employs two hundred fifty engineers.", "number", "two hundred fifty", 250, None),
    (
        "Trade reached one and a half billion dollars.",
        "amount",
        "one and a half billion dollars",
        1.5e9,
        "USD",
    ),
    # Kazakh
    ("Тауар айналымы екі миллиард долларға жетті.", "amount", "екі миллиард долларға", 2e9, "USD"),
    ("Экспорт жүз миллион долларға өсті.", "amount", "жүз миллион долларға", 1e8, "USD"),
    ("Инвестиция бір жарым миллиард доллар болды.", "amount", "бір жарым миллиард доллар", 1.5e9, "USD"),
    ("Келісімге он бес компания қол қойды.", "number", "он бес", 15, None),
    ("Көрмеге жетпіс компания қатысты.", "number", "жетпіс", 70, None),
    ("Тауар айналымы екі жүз миллион долларға жетті.", "amount", "екі жүз миллион долларға", 2e8, "USD"),
]


@pytest.mark.parametrize("text,kind,span,value,unit", NUMBER_WORDS)
def test_annotate_numbers_written_as_words(
    text: str, kind: str, span: str, value: float, unit: str | None
) -> None:
    check(text, kind, span, value, unit)


KAZAKH_LATIN = [
    (
        "Qazaqstan men Qytaı arasyndaǵy taýar aınalymy 745,2 mıllıon dollarǵa jetti.",
        "745,2 mıllıon dollarǵa",
        745.2e6,
    ),
    ("Eksport 2 mlrd dollar boldy, bul byltyrǵydan kóp.", "2 mlrd dollar", 2e9),
    ("Taýar aınalymy 1,5 mıllıard dollarǵa jetti dep habarlady.", "1,5 mıllıard dollarǵa", 1.5e9),
]


@pytest.mark.parametrize("text,span,value", KAZAKH_LATIN)
def test_annotate_kazakh_latin_amounts_through_the_transliteration(
    text: str, span: str, value: float
) -> None:
    check(text, "amount", span, value, "USD")


def test_annotate_kazakh_latin_amounts_in_a_mixed_paragraph() -> None:
    text = "Trade reached $2bln in May. Taýar aınalymy 1,5 mıllıard dollarǵa jetti, al eksport 745,2 mıllıon."
    found = [r for r in readings(text) if r[0] in ("amount", "quantity")]
    assert [(k, s, u) for k, s, _, u in found] == [
        ("amount", "$2bln", "USD"),
        ("amount", "1,5 mıllıard dollarǵa", "USD"),
        ("quantity", "745,2 mıllıon", None),
    ]
    assert [v for _, _, v, _ in found] == [pytest.approx(2e9), pytest.approx(1.5e9), pytest.approx(745.2e6)]


COMPOUNDS = [
    ("Объем составил 1 млрд 200 млн долларов.", "1 млрд 200 млн долларов", 1.2e9, "USD"),
    ("Экспорт достиг 24 млрд 300 млн евро.", "24 млрд 300 млн евро", 24.3e9, "EUR"),
    (
        "Товарооборот составил 1 миллиард 86 миллионов долларов США.",
        "1 миллиард 86 миллионов долларов США",
        1.086e9,
        "USD",
    ),
    ("Экспорт 2 млн 492 мың тонна болды.", "2 млн 492 мың тонна", 2.492e6, "t"),
    (
        "Imports were 1 billion dollar 477 million 4 thousand.",
        "1 billion dollar 477 million 4 thousand",
        1.477004e9,
        "USD",
    ),
]


@pytest.mark.parametrize("text,span,value,unit", COMPOUNDS)
def test_annotate_compound_amounts(text: str, span: str, value: float, unit: str) -> None:
    doc = process(Doc("t", text), until="annotate")
    (m,) = [m for m in doc.mentions if m.kind == "amount"]
    assert (text[m.start : m.end], m.attrs["unit"], m.attrs["compound"]) == (span, unit, True)
    assert m.value == pytest.approx(value, rel=1e-12)


def test_annotate_a_currency_closes_an_amount_before_a_volume() -> None:
    """ "$72 млн за 616 тыс. тонн": a sum and a volume side by side are two amounts, not one compound."""
    found = readings("Бұл елге 72 млн долларға 616 мың тонна бидай сатылды.")
    assert [(k, s, u) for k, s, _, u in found] == [
        ("amount", "72 млн долларға", "USD"),
        ("amount", "616 мың тонна", "t"),
    ]


FACTORS = [
    ("Trade grew 2.4-fold over the period.", "2.4-fold", 2.4),
    ("The sides saw a 2,4-fold increase in trade.", "2,4-fold", 2.4),
    ("Exports showed a two-fold rise.", "two-fold", 2),
    ("Trade grew almost 13 times since then.", "13 times", 13),
    ("Imports increased four times in a decade.", "four times", 4),
    ("Товарооборот вырос в 1,7 раза.", "в 1,7 раза", 1.7),
    ("Экспорт увеличился в два раза.", "в два раза", 2),
    ("Импорт вырос вдвое.", "вдвое", 2),
    ("Поставки сократились втрое.", "втрое", 3),
    ("Производство выросло в сто раз.", "в сто раз", 100),
    ("Объем вырос в 17 раз.", "в 17 раз", 17),
    ("Видим темпы порядка 2,5 раза роста.", "2,5 раза", 2.5),
    ("Тауар айналымы 100 есе өсті.", "100 есе", 100),
    ("Экспорт үш есе артты.", "үш есе", 3),
    ("Импорт 18 есе өсті.", "18 есе", 18),
]


@pytest.mark.parametrize("text,span,value", FACTORS)
def test_annotate_factors(text: str, span: str, value: float) -> None:
    check(text, "factor", span, value, None)


QUANTITIES = [
    ("- Россия - 2,9 миллиарда;", "2,9 миллиарда", 2.9e9),
    ("- Казахстан - 910,8 млн;", "910,8 млн", 910.8e6),
    ("Қазақстан 800 миллионға дейін тауарды өсіру мүмкіндігі бар.", "800 миллионға", 800e6),
    ("- Таджикистан - 338 миллионов.", "338 миллионов", 338e6),
    ("- Uzbekistan - 1.2 billion;", "1.2 billion", 1.2e9),
    ("Объем составил 1 млрд 200 млн по итогам года.", "1 млрд 200 млн", 1.2e9),
]


@pytest.mark.parametrize("text,span,value", QUANTITIES)
def test_annotate_scaled_numbers_without_a_unit_are_quantities(text: str, span: str, value: float) -> None:
    check(text, "quantity", span, value, None)
    doc = process(Doc("t", text), until="annotate")
    assert [m.attrs["scaled"] for m in doc.mentions if m.kind == "quantity"] == [True]


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("- Uzbekistan - 135.9;", "135.9", 135.9),
        ("Стороны подписали 12 документов.", "12", 12),
        ("The wall is 5 m high.", "5", 5),  # metres: "m" is a million only with a currency
        ("Компания выпустила 20k единиц.", "20", 20),
    ],
)
def test_annotate_unscaled_numbers_stay_numbers(text: str, span: str, value: float) -> None:
    check(text, "number", span, value, None)


PERCENTS = [
    ("Товарооборот вырос на 29,8 процента.", "29,8 процента", 29.8),
    ("Тауар айналымы 8,6 пайызға өсті.", "8,6 пайызға", 8.6),
    ("Экспорт 30,4%-ға артты.", "30,4%-ға", 30.4),
    ("Импорт 55 процентке өсті.", "55 процентке", 55),
    ("Доля составила 95,2%.", "95,2%", 95.2),
    ("Trade fell 14.6% last year.", "14.6%", 14.6),
    ("Trade posted a 7.5-percent rise.", "7.5-percent", 7.5),
    ("Exports grew 3 per cent.", "3 per cent", 3),
    ("Доля выросла на 0,5 п.п.", "0,5 п.п.", 0.5),
    ("Imports grew 2.1 percentage points.", "2.1 percentage points", 2.1),
    ("Үлес 1,2 пайыздық тармаққа өсті.", "1,2 пайыздық тармаққа", 1.2),
]


@pytest.mark.parametrize("text,span,value", PERCENTS)
def test_annotate_percent_forms(text: str, span: str, value: float) -> None:
    check(text, "percent", span, value, "%")


@pytest.mark.parametrize(
    "text,span,sign",
    [
        ("Экспорт вырос до 3 млрд (+5,4%) за год.", "5,4%", "+"),
        ("Импорт упал до 1 млрд (-2,1%) за год.", "2,1%", "-"),
        ("Импорт за 2022-2023 годы: 4%.", "4%", None),
    ],
)
def test_annotate_signed_percents_keep_the_sign_visible(text: str, span: str, sign: str | None) -> None:
    doc = process(Doc("t", text), until="annotate")
    (m,) = [m for m in doc.mentions if m.kind == "percent"]
    assert text[m.start : m.end] == span
    assert m.attrs.get("sign") == sign
    if sign:
        assert (
            text[m.start - 1] in "+-"
        )  # the sign stays in the text before the span, as the extractor reads it


@pytest.mark.parametrize(
    "text",
    [
        "Звоните по телефону 8 800 555 35 35 в рабочие дни.",
        "Тел.: +7 (727) 123-45-67, факс 123-45-68.",
        "В 2023 году товарооборот вырос.",
        "На 24-м заседании комиссии стороны договорились.",
        "Форум пройдет 3-4 июля в Астане.",
        "Соглашение подписано 15.03.2024 в Ташкенте.",
        "Речь идет о миллиардах долларов инвестиций.",
        "Проект оценивается в несколько миллиардов долларов.",
        "Trade grew by billions of dollars.",
        "Он сказал, что стороны договорились.",
        "The two-way trade grew.",
    ],
)
def test_annotate_what_is_no_amount_stays_out(text: str) -> None:
    assert not [r for r in readings(text) if r[0] in ("amount", "quantity", "percent", "factor")]


@pytest.mark.parametrize(
    "text,span,value,unit",
    [
        ("Бір тоннасын 430 долларға сатып алған.", "430 долларға", 430, "USD"),  # a unit price is an amount
        ("Курс составил 87,39 тенге за рубль.", "87,39 тенге", 87.39, "KZT"),
    ],
)
def test_annotate_prices_are_amounts_for_the_extractor_to_judge(
    text: str, span: str, value: float, unit: str
) -> None:
    found = [r for r in readings(text) if r[0] == "amount" and r[3] == unit]
    assert [(s, v) for _, s, v, _ in found] == [(span, pytest.approx(value))]


@pytest.mark.parametrize(
    "text,numbers",
    [
        ("В 2023 году на 24-м заседании, 3-4 июля.", [2023, 24, 3, 4]),
        ("Звоните 8 800 555 35 35.", [8, 800, 555, 35, 35]),
    ],
)
def test_annotate_years_ordinals_ranges_and_phones_are_plain_numbers(text: str, numbers: list[float]) -> None:
    assert [(k, v) for k, _, v, _ in readings(text)] == [("number", n) for n in numbers]


@pytest.mark.parametrize(
    "text,low,high",
    [
        (
            "The project will cost $10-15 million.",
            ("amount", "$10", 10e6, "USD"),
            ("amount", "15 million", 15e6, "USD"),
        ),
        (
            "Инвестиции составят 3–4 млрд долларов.",
            ("amount", "3", 3e9, "USD"),
            ("amount", "4 млрд долларов", 4e9, "USD"),
        ),
        ("Рост составит 5-7% в год.", ("percent", "5", 5, "%"), ("percent", "7%", 7, "%")),
        ("Экспорт 2-3 млн тонна болады.", ("amount", "2", 2e6, "t"), ("amount", "3 млн тонна", 3e6, "t")),
        # words or a Kazakh ablative join the two ends: from, to
        (
            "Товарооборот вырос с 500 млн до 700 млн долларов.",
            ("amount", "500 млн", 5e8, "USD"),
            ("amount", "700 млн долларов", 7e8, "USD"),
        ),
        (
            "Объем снизился с 7 до 5 млрд долларов.",
            ("amount", "7", 7e9, "USD"),
            ("amount", "5 млрд долларов", 5e9, "USD"),
        ),
        ("Рост составит от 3 до 5% в год.", ("percent", "3", 3, "%"), ("percent", "5%", 5, "%")),
        (
            "Trade rose from $5 to $7 million.",
            ("amount", "$5", 5e6, "USD"),
            ("amount", "$7 million", 7e6, "USD"),
        ),
        (
            "Trade may reach between 3 and 5 billion dollars.",
            ("amount", "3", 3e9, "USD"),
            ("amount", "5 billion dollars", 5e9, "USD"),
        ),
        (
            "Тауар айналымы 500 миллионнан 700 миллион долларға дейін өсті.",
            ("amount", "500 миллионнан", 5e8, "USD"),
            ("amount", "700 миллион долларға", 7e8, "USD"),
        ),
    ],
)
def test_annotate_a_range_gives_both_ends_the_scale_and_unit(text: str, low: tuple, high: tuple) -> None:
    doc = process(Doc("t", text), until="annotate")
    found = [m for m in doc.mentions if m.kind in NUMERIC]
    names = ("low", "high") if "-" in text or "–" in text else ("from", "to")
    assert [(m.kind, text[m.start : m.end], m.attrs.get("unit"), m.attrs.get("range")) for m in found] == [
        (low[0], low[1], low[3], names[0]),
        (high[0], high[1], high[3], names[1]),
    ]
    assert [m.value for m in found] == [pytest.approx(low[2]), pytest.approx(high[2])]


@pytest.mark.parametrize(
    "text",
    [
        "Форум пройдет 3-4 июля.",
        "В 2023–2024 годах стороны договорились.",
        "Россия 2023–5 млрд по плану.",
        "Программа действует с 2020 до 2023 года.",
        "Trade grew from 2020 to 2023.",
    ],
)
def test_annotate_dates_and_years_make_no_range(text: str) -> None:
    doc = process(Doc("t", text), until="annotate")
    assert not [m for m in doc.mentions if m.attrs.get("range")]


def test_annotate_the_t_of_that_is_is_no_tonne() -> None:
    found = readings("Импорт составил 10 тыс. т.е. вдвое больше, а экспорт 5 т зерна.")
    assert [(k, s, u) for k, s, _, u in found] == [
        ("quantity", "10 тыс.", None),
        ("factor", "вдвое", None),
        ("amount", "5 т", "t"),
    ]
