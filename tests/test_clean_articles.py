"""Clean stage: a file holding several articles glued together is split; one article unless the evidence is clear."""

from __future__ import annotations

import pytest
from conftest import shared

from karavan.clean import clean
from karavan.clean.articles import is_dateline
from karavan.doc import Doc

BODY_RU = (
    "Стороны обсудили вопросы торгово-экономического сотрудничества, транзита и энергетики. "
    "По итогам девяти месяцев товарооборот составил 2,3 млрд долларов, увеличившись на 12,4%. "
    "Президенты поручили правительствам довести этот показатель до 5 млрд долларов к 2030 году."
)
BODY_RU2 = (
    "Отдельное внимание уделено совместным проектам в машиностроении и переработке сельхозпродукции. "
    "Казахстан готов нарастить экспорт по 120 товарным позициям на сумму около 300 млн долларов. "
    "Деловой совет двух стран проведет очередное заседание в начале следующего года в Алматы."
)
BODY_KK2 = (
    "Кездесуде машина жасау және ауыл шаруашылығы өнімдерін өңдеу жобаларына ерекше назар аударылды. "
    "Қазақстан 120 тауар позициясы бойынша шамамен 300 млн долларлық экспортты арттыруға дайын. "
    "Екі елдің іскерлік кеңесі келесі жылдың басында Алматыда кезекті отырысын өткізеді."
)
BODY_KK = (
    "Тараптар сауда-экономикалық ынтымақтастық, транзит және энергетика мәселелерін талқылады. "
    "Тоғыз айдың қорытындысы бойынша тауар айналымы 2,3 млрд долларды құрады және 12,4%-ға өсті. "
    "Президенттер үкіметтерге бұл көрсеткішті 2030 жылға дейін 5 млрд долларға жеткізуді тапсырды."
)
TITLE_1 = "Казахстан и Узбекистан нарастят взаимную торговлю"
TITLE_2 = "Кыргызстан и Таджикистан подписали соглашение о транзите"


def articles(text: str) -> list[str]:
    doc = clean(Doc("t", text))
    return [text[a.start : a.end] for a in doc.articles]


@pytest.mark.parametrize(
    ("text", "expected_starts"),
    [
        # one article with its chrome: stays one
        (f"{TITLE_1}\n\n1662\n\n{BODY_RU}\n\n{BODY_RU2}\n\nЧитайте также:\n{TITLE_2}\n", [TITLE_1]),
        # a subheading inside an article is not a new article
        (f"{TITLE_1}\n\n{BODY_RU}\n\nПерспективы сотрудничества в энергетике\n\n{BODY_RU2}", [TITLE_1]),
        # a new title followed by a dateline, glued without a separator
        (f"{TITLE_1}\n\n{BODY_RU}\n{TITLE_2}\nБишкек, 14 октября. - {BODY_RU2}", [TITLE_1, TITLE_2]),
        # closing chrome (comment form, copyright) between two articles
        (
            f"{TITLE_1}\n\n{BODY_RU}\n\nКомментарии\nВойти\nВсе права защищены.\n\n{TITLE_2}\n\n{BODY_RU2}",
            [TITLE_1, TITLE_2],
        ),
        # the source signature that ends an article
        (f"{TITLE_1}\n\n{BODY_RU} - Kapital.kz\n\n{TITLE_2}\n\n{BODY_RU2}", [TITLE_1, TITLE_2]),
        # a change of language: a Russian article, then a Kazakh one
        (f"{TITLE_1}\n\n{BODY_RU}\n\n{BODY_RU2}\n\n{BODY_KK}\n\n{BODY_KK2}", [TITLE_1, BODY_KK[:30]]),
        # a photo credit of the previous article at the top is chrome, not an article
        (f"Фото: Акорда\n{TITLE_1}\n\n{BODY_RU}", [TITLE_1]),
    ],
)
def test_clean_article_split(text: str, expected_starts: list[str]) -> None:
    got = articles(text)
    assert len(got) == len(expected_starts)
    for article, start in zip(got, expected_starts, strict=True):
        assert article.startswith(start)


def test_clean_whole_text_of_chrome_is_one_article() -> None:
    text = "USD\n446.49₸\n-0.910"
    doc = clean(Doc("t", text))
    assert [(a.start, a.end) for a in doc.articles] == [(0, len(text))]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_clean_each_seed_is_one_article(seed: str) -> None:
    path = next(shared("seeds").glob(f"{seed}_*.txt"))
    text = path.read_text(encoding="utf-8")
    doc = clean(Doc(path.stem, text))
    assert len(doc.articles) == 1
    if seed == "003":
        assert text[doc.articles[0].start :].startswith("Oljas Bektenovti")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Бишкек, 14 октября. - Президенты встретились", True),
        ("АСТАНА, 3 октября 2024 г. - KAZINFORM", True),
        ("03.10.2024 14:20", True),
        ("Tashkent, October 3, 2024", True),
        ("Астана, 12 қазан. Президенттер", True),
        ("3 октября в Ташкенте состоялись переговоры", False),
        ("Стороны обсудили торговлю", False),
    ],
)
def test_clean_dateline(line: str, expected: bool) -> None:
    assert is_dateline(line) is expected
