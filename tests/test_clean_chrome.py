"""Clean stage: page chrome as excluded spans. Every chrome line of seeds 000 and 001 is excluded, no article line is."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import shared

from karavan.clean import clean
from karavan.clean.chrome import line_kind
from karavan.doc import Doc

FORM = "form"  # comments or login: the comment and registration form at the end of a page

# (line number from 1, expected kind or None for article text); blank lines are left out.
SEED_000 = [
    (1, None),  # the title, first occurrence
    (3, "counter"),  # 1662
    (5, None),  # the lead: "Премьер Олжас Бектенов провел ..."
    (7, "repeated_title"),
    (9, None),
    (11, None),
    (13, None),
    (15, None),
    (17, None),
    (19, None),
    (21, None),
    (23, None),
    (25, None),
    (27, None),
    (29, "related"),  # Читайте по теме:
    (31, "related"),  # its headline, with "2,8 млн долларов" that is not a fact of this article
    (33, "share"),  # Telegram
    (34, "subscribe"),
    (35, "subscribe"),
    (36, "subscribe"),
    (37, "subscribe"),
]

SEED_001 = [
    *[(n, "ticker") for n in range(1, 15)],  # USD / 446.49₸ / -0.910 ...
    (16, None),  # title
    (18, None),  # subtitle
    *[(n, "share") for n in range(20, 25)],
    (25, "photo_credit"),
    (27, "photo_credit"),
    (29, None),
    (31, None),
    (33, "repeated_title"),  # "Якорные ... 2075932 - Kapital.kz"
    (35, None),
    (37, None),
    (39, None),
    (41, None),
    (43, None),
    (45, "repeated_title"),
    (47, None),
    (49, None),
    (51, None),
    (53, "related"),
    (55, "copyright"),
    (57, "related"),
    (59, "subscribe"),
    (60, "nav"),
    (61, "comments"),
    *[(n, FORM) for n in range(62, 90)],
]


@cache
def cleaned(name: str) -> Doc:
    path = next(shared("seeds").glob(f"{name}_*.txt"))
    return clean(Doc(path.stem, path.read_text(encoding="utf-8")))


def line_span(text: str, number: int) -> tuple[int, int]:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: number - 1])
    return start, start + len(lines[number - 1].rstrip())


def kind_at(doc: Doc, start: int, end: int) -> str | None:
    for span in doc.excluded:
        if span.start <= start and end <= span.end:
            return span.label
    return None


@pytest.mark.parametrize(
    ("seed", "number", "expected"),
    [("000", n, k) for n, k in SEED_000] + [("001", n, k) for n, k in SEED_001],
)
def test_clean_seed_line_is_chrome_exactly_when_expected(
    seed: str, number: int, expected: str | None
) -> None:
    doc = cleaned(seed)
    start, end = line_span(doc.text, number)
    assert doc.is_excluded(start, end) is (expected is not None), doc.text[start:end]
    got = kind_at(doc, start, end)
    if expected == FORM:
        assert got in {"comments", "login"}
    else:
        assert got == expected


@pytest.mark.parametrize("seed", ["000", "001"])
def test_clean_table_covers_every_non_blank_line(seed: str) -> None:
    table = {"000": SEED_000, "001": SEED_001}[seed]
    text = cleaned(seed).text
    non_blank = [i + 1 for i, line in enumerate(text.split("\n")) if line.strip()]
    assert [n for n, _ in table] == non_blank


@pytest.mark.parametrize("seed", ["002", "003", "004"])
def test_clean_no_article_sentence_is_excluded(seed: str) -> None:
    doc = cleaned(seed)
    body = [s for s in doc.excluded if s.label != "photo_credit"]
    assert body == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("USD", "ticker"),
        ("446.49₸", "ticker"),
        ("-0.910", "ticker"),
        ("EUR 475.38 -2.17", "ticker"),
        ("$87.39", "ticker"),
        ("1662", "counter"),
        ("Просмотров: 2 415", "counter"),
        ("Көрілім саны: 540", "counter"),
        ("Share Share Tweet", "share"),
        ("Поделиться", "share"),
        ("Бөлісу", "share"),
        ("WhatsApp Telegram Facebook", "share"),
        ("Фото: Акорда", "photo_credit"),
        ("Foto: akorda.kz", "photo_credit"),
        ("Фото из открытых источников", "photo_credit"),
        ("Сурет: Ақорда баспасөз қызметі", "photo_credit"),
        ("Photo: gov.kz", "photo_credit"),
        ("Читайте также", "related"),
        ("Читайте также: Узбекистан и Казахстан подписали соглашения на 1,5 млрд долларов", "related"),
        ("Читайте по теме:", "related"),
        ("Вам может быть интересно", "related"),
        ("Похожие новости", "related"),
        ("Тақырыпқа қатысты", "related"),
        ("Оқи отырыңыз:", "related"),
        ("Taqyrypqa qatysty:", "related"),
        ("Read also: Kazakhstan and China sign 20 deals", "related"),
        ("Комментарии (0)", "comments"),
        ("Пікірлер", "comments"),
        ("Авторизуйтесь, чтобы отправить комментарий", "comments"),
        ("Вход", "login"),
        ("Регистрация", "login"),
        ("Введите код доступа из SMS-сообщения", "login"),
        ("Пароль должен содержать не менее 6 символов.", "login"),
        ("© 2024 Kapital.kz. Все права защищены", "copyright"),
        ("Барлық құқықтар қорғалған. Материалдарды пайдаланған кезде сілтеме міндетті.", "copyright"),
        ("Подпишитесь на наш Telegram-канал", "subscribe"),
        ("Telegram арнамызға жазылыңыз", "subscribe"),
        ("Подписаться", "subscribe"),
        ("Жазылу", "subscribe"),
        ("Subscribe to our newsletter", "subscribe"),
        ("Спасибо за обращение!", "login"),
        ("Вверх", "nav"),
        ("Главная / Новости / Экономика", "nav"),
        ("Теги: Казахстан, Узбекистан, торговля", "nav"),
        ("Якорные проекты Казахстана и Таджикистана 2075932 - Kapital.kz", "caption"),
    ],
)
def test_clean_line_kind_of_chrome_lines(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Премьер Олжас Бектенов провел межправительственные переговоры в Душанбе.",
        "Президенты двух стран провели переговоры в расширенном составе",
        "Товарооборот за январь-сентябрь 2024 года составил 2,3 млрд долларов.",
        "Упрощена регистрация совместных предприятий в приграничных районах.",
        "Стороны подписали 12 соглашений.",
        "2024 жылдың қаңтар-қыркүйегінде тауар айналымы 1,2 млрд долларды құрады.",
        "Qazaqstan - Tájikstannyń tórtinshi iri saýda seriktesi.",
        "Trade between Kazakhstan and Uzbekistan reached $4.4 billion in 2024.",
        # words a subscribe or comment form also uses, in article sentences
        "Подписка на облигации Казахстана завершилась 3 октября.",
        "Узбекистан готов подписаться под соглашением о свободной торговле.",
        "Келісімнің мәтіні екі тілде жазылуы тиіс.",
        "Kelisimniń mátini eki tilde jazylýy tıis.",
        "Kazakhstan will subscribe to the charter of the new bank.",
        "Министр поблагодарил коллег за обращение к теме транзита.",
        "В министерстве отказались оставлять комментарии по поводу экспорта.",
    ],
)
def test_clean_article_lines_are_not_chrome(line: str) -> None:
    assert line_kind(line) is None


def test_clean_related_block_stops_at_article_body() -> None:
    text = (
        "Заголовок статьи о торговле Казахстана и Кыргызстана\n\n"
        + "Первый абзац статьи. " * 12
        + "\n\nЧитайте также:\n\nКыргызстан и Узбекистан нарастят товарооборот до 5 млрд долларов\n\n"
        + "Второй абзац статьи продолжает текст. " * 8
    )
    doc = clean(Doc("t", text))
    related = [s for s in doc.excluded if s.label == "related"]
    assert len(related) == 1
    assert text[related[0].start : related[0].end].endswith("до 5 млрд долларов")
    second = text.index("Второй абзац")
    assert not doc.is_excluded(second, second + 40)
