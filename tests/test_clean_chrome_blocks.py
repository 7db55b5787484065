"""Clean stage: read-also blocks, forms, notices, stamps and credits of real crawls are chrome; article text never is.

Every line here is written for this test (kinds of lines, not sentences of a page).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from karavan.clean import clean
from karavan.clean.chrome import line_kind
from karavan.doc import Doc
from karavan.pipeline import process

REALPRESS = Path(__file__).resolve().parents[2] / "shared" / "realpress"
# trap kinds of realpress/traps.jsonl that are page chrome
CHROME_TRAPS = {
    "page_chrome",
    "view_counter",
    "photo_caption",
    "read_also",
    "comment_form",
    "currency_ticker",
}

BODY_EN = (
    "Kazakhstan and Kyrgyzstan discussed transit, energy and the supply of farm produce at the talks. "
    "The ministers agreed to simplify border checks for lorries and to open two new crossing points. "
    "Both governments will report on the road map at the next session of the commission in spring."
)
BODY_RU = (
    "Стороны обсудили транзит, энергетику и поставки сельхозпродукции на переговорах в столице. "
    "Министры договорились упростить проверки грузовиков на границе и открыть два новых пункта пропуска. "
    "Правительства отчитаются о дорожной карте на следующем заседании комиссии весной."
)
BODY_KK = (
    "Тараптар келіссөздерде транзит, энергетика және ауыл шаруашылығы өнімдерін жеткізу мәселелерін талқылады. "
    "Министрлер шекарадағы жүк көліктерін тексеруді жеңілдетуге және екі жаңа өткізу бекетін ашуға келісті. "
    "Үкіметтер жол картасы бойынша комиссияның келесі отырысында көктемде есеп береді."
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # read-also and related headers, alone or with their headline
        ("More related articles", "related"),
        ("Related Articles", "related"),
        ("Related", "related"),
        ("Read more", "related"),
        ("Also read: Uzbekistan opens a trade house in Almaty", "related"),
        ("You may also like", "related"),
        ("Popular", "related"),
        ("Most read", "related"),
        ("Тағы оқыңыз", "related"),
        ("Тағы оқыңыз: Қазақстан мен Қытай 15 келісімге қол қойды", "related"),
        ("Сондай-ақ оқыңыз:", "related"),
        ("Оқи отырыңыз", "related"),
        ("Ұқсас жаңалықтар", "related"),
        ("Көп оқылғандар", "related"),
        ("Tagy oqyńyz", "related"),
        ("Taǵy oqyńyz:", "related"),
        ("Tağy oqyñyz", "related"),
        ("Sondaı-aq oqyńyz", "related"),
        ("Uqsas jańalyqtar", "related"),
        ("Читайте также", "related"),
        ("Новости по теме", "related"),
        ("Сейчас читают", "related"),
        ("Лента новостей", "related"),
        ("Другие новости", "related"),
        ("Популярное", "related"),
        ("Самое читаемое", "related"),
        # comment and reply forms
        ("ОСТАВЬТЕ ОТВЕТ", "comments"),
        ("Leave a reply", "comments"),
        ("Leave a Comment", "comments"),
        ("Добавить комментарий", "comments"),
        ("Оцените статью", "comments"),
        ("Rate this article: 4.5/5", "comments"),
        ("Пікір қалдыру", "comments"),
        ("Pikir qaldyrý", "comments"),
        ("3 комментария", "comments"),
        ("Your email address will not be published. Required fields are marked *", "comments"),
        ("Ваш адрес email не будет опубликован. Обязательные поля помечены *", "comments"),
        ("Пожалуйста, введите ваш комментарий!", "login"),
        ("пожалуйста, введите ваше имя здесь", "login"),
        ("Please enter your e-mail address", "login"),
        ("Атыңызды енгізіңіз", "login"),
        ("Имя*", "login"),
        ("Ваше имя*", "login"),
        ("Website", "login"),
        ("Post Comment", "login"),
        ("Нет аккаунта? Зарегистрироваться", "login"),
        ("Don't have an account? Sign up", "login"),
        ("Получить код ещё раз (30 сек)", "login"),
        ("Спасибо за ваш отзыв!", "login"),
        ("Share post:", "share"),
        ("Поделитесь:", "share"),
        ("Бөлісіңіз", "share"),
        ("Dismiss", "nav"),
        ("Закрыть", "nav"),
        ("Подробнее", "nav"),
        ("ҚАЗ | РУС | ENG", "nav"),
        ("We use cookies to improve the site. By staying here you accept them.", "nav"),
        # notices the site's software prints into the page
        ("Notice: Undefined index: lang in /home/site/public_html/header.php on line 77", "notice"),
        (
            "Warning: Cannot modify header information - headers already sent by (output started at x.php:3)",
            "notice",
        ),
        ("Deprecated: Function each() is deprecated in /srv/www/lib/menu.php on line 12", "notice"),
        ("Notice: Undefined variable: title", "notice"),
        # update stamps, dates, clocks, read times, bylines with counters
        ("(Last Updated On: March 3, 2023)", "date"),
        ("Updated: 14:05, 2 June 2024", "date"),
        ("Обновлено: 12.05.2023, 09:40", "date"),
        ("Жаңартылды: 03.11.2024 18:20", "date"),
        ("Published: 10 May 2021", "date"),
        ("Date:", "date"),
        ("Дата:", "date"),
        ("Вторник, 4 Марта 2025", "date"),
        ("Среда, 12 июня 2024 г.", "date"),
        ("Сәрсенбі, 17 сәуір 2024", "date"),
        ("Friday, October 11, 2024", "date"),
        ("12 Шілде, 14:05:33", "date"),
        ("5 Августа, 09:30 1024", "date"),
        ("22 Мамыр, 2019 NEWS", "date"),
        ("08.04.2021", "date"),
        ("2024-05-17 10:45", "date"),
        ("Экономика | 09:12 / 15.03.2022", "date"),
        ("Бишкек, 10:05 | 4 апреля", "date"),
        ("2 hours ago Staff Reporter 3", "date"),
        ("3 дня назад", "date"),
        ("5 сағат бұрын", "date"),
        ("Вчера, 18:40", "date"),
        ("1 минут чтения", "date"),
        ("4 минуты чтения", "date"),
        ("2 min read", "date"),
        ("5 мин. оқу", "date"),
        ("Время чтения: 3 мин", "date"),
        ("Шымкент +28°", "weather"),
        ("-7 °C", "weather"),
        # credits and picture lines
        ("Фото: пресс-служба акимата", "photo_credit"),
        ("Сурет: Үкімет баспасөз қызметі", "photo_credit"),
        ("Photo by Aidos Nurlanov", "photo_credit"),
        ("Image: Reuters", "photo_credit"),
        ("Фото из открытых источников", "photo_credit"),
        ("ашық дереккөзі", "photo_credit"),
        ("Almaty skyline at night. Getty Images", "photo_credit"),
        ("tashkent_forum_2023.jpg", "markup"),
        ("td_module_flex", "markup"),
        ('<div class="banner"></div>', "markup"),
        ('[caption id="attachment_12" align="alignnone"]', "markup"),
        ("Подписаться", "subscribe"),
        # list marks in front of chrome
        ("• EUR 497.12", "ticker"),
        ("▪ 4 минуты чтения", "date"),
    ],
)
def test_clean_chrome_kind_of_line(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        # sentences with the words a read-also header or a form uses
        "Kazakhstan will export more wheat to Afghanistan this season.",
        "Trade related to energy rose by a fifth in the first half.",
        "Read more about the programme on the ministry's website, the spokesman said, adding details later.",
        "Popular demand for Kazakh flour grew in Central Asia.",
        "Стороны также обсудили поставки зерна и муки.",
        "Читатели также интересовались ценами на бензин в приграничных районах.",
        "Министр предложил оставить ответ на этот вопрос до следующего заседания.",
        "Оқушылар кітапты көбірек оқыңыз деген үндеуге қолдау білдірді.",
        "Сондай-ақ тараптар көлік-логистика саласындағы ынтымақтастықты талқылады.",
        "Sondaı-aq taraptar kólik-logıstıka salasyndaǵy yntymaqtastyqty talqylady.",
        "Тағы бір маңызды мәселе - су ресурстарын бірлесіп пайдалану.",
        "Лента новостей агентства пополнилась сообщением о переговорах.",
        # sentences that start with a date, and datelines that open an article
        "19 января 2026 года президенты подписали декларацию о стратегическом партнерстве.",
        "3 октября в Ташкенте состоялись переговоры глав правительств.",
        "On March 3, 2023, the two countries signed a memorandum on transit.",
        "2024 жылғы 5 наурызда Астанада бизнес-форум өтті.",
        "АСТАНА. KAZINFORM - Президенты двух стран провели переговоры.",
        "ASTANA. KAZINFORM - Eki el prezıdentteri kelissóz júrgizdi.",
        "Бишкек, 14 октября. - Стороны обсудили торговлю.",
        "Бишкек, 14 октября",
        "Updated figures show that trade grew by 12% in May.",
        "Warning signs for the tenge grew in March, analysts said.",
        # short one-line news leads and titles
        "Токаев прибыл в Ташкент",
        "Kazakhstan, Uzbekistan sign 12 deals",
        "Товарооборот вырос до 5 млрд долларов",
        "Қазақстан мен Өзбекстан 10 келісімге қол қойды",
        "Kazakh wheat exports up 20%",
        "Almaty hosts Central Asia trade forum",
        "Enter Kazakhstan: a new transit corridor opens",
        "Спасибо за поддержку, сказал министр, обращаясь к делегации соседней страны.",
    ],
)
def test_clean_chrome_article_line_is_not_chrome(line: str) -> None:
    assert line_kind(line) is None


def is_chrome(text: str, part: str) -> bool:
    doc = clean(Doc("t", text))
    start = text.index(part)
    return doc.is_excluded(start, start + len(part))


# (page, lines that must be chrome, lines that must stay article text)
BLOCKS = [
    # English: headline + teaser pairs to the end of the page, the teasers ending in "... more"
    (
        "Kazakhstan and Kyrgyzstan agree on new border crossings\n\n"
        f"{BODY_EN}\n\nMore related articles\n\n"
        "Tajikistan plans $2.5bn hydropower plant with foreign lenders\n\n"
        "The government has asked three development banks to finance the dam, which would add 1,200 MW "
        "to the country's grid and allow power exports to the south within a decade, officials ... more\n\n"
        "Uzbekistan cuts import duties on 300 goods\n\n"
        "The decree lowers tariffs on machinery, medicines and some foodstuffs from next month, and the "
        "ministry expects imports from China and Russia to grow by a tenth as a result ... more\n",
        ["Tajikistan plans $2.5bn", "add 1,200 MW", "Uzbekistan cuts import duties", "grow by a tenth"],
        ["Kazakhstan and Kyrgyzstan agree", BODY_EN[:60]],
    ),
    # Russian: teasers ending in "... Подробнее", a time stamp between the items
    (
        f"Казахстан и Кыргызстан откроют новые пункты пропуска\n\n{BODY_RU}\n\nЧитайте также:\n\n"
        "Узбекистан снизил пошлины на 300 товаров\n\n10:45\n\n"
        "Постановление снижает тарифы на оборудование и лекарства со следующего месяца, и министерство "
        "ожидает роста импорта на 10% уже в первом полугодии следующего года ... Подробнее\n\n"
        "Таджикистан построит ГЭС за 2,5 млрд долларов\n",
        ["Узбекистан снизил пошлины", "ожидает роста импорта на 10%", "ГЭС за 2,5 млрд долларов"],
        [BODY_RU[:60]],
    ),
    # Kazakh: the block ends where the article's text resumes
    (
        f"Қазақстан мен Қырғызстан жаңа өткізу бекеттерін ашады\n\n{BODY_KK}\n\nТағы оқыңыз\n\n"
        "Өзбекстан 300 тауарға баж салығын төмендетті\n\n"
        f"{BODY_KK.replace('Тараптар', 'Сонымен қатар тараптар')}\n",
        ["Өзбекстан 300 тауарға"],
        ["Сонымен қатар тараптар", "Қазақстан мен Қырғызстан жаңа"],
    ),
    # Kazakh Latin header, then a short headline list to the end of the page
    (
        "Qazaqstan men Qyrǵyzstan jańa ótkizý beketterin ashady\n\n"
        "Taraptar kelissózderde tranzıt, energetıka jáne aýyl sharýashylyǵy ónimderin jetkizý máselelerin "
        "talqylady. Mınıstrler shekaradaǵy júk kólikterin tekserýdi jeńildetýge kelisti.\n\n"
        "Tagy oqyńyz\n\nÓzbekstan 300 taýarǵa baj salyǵyn tómendetti\n",
        ["Ózbekstan 300", "Tagy oqyńyz"],
        ["Taraptar kelissózderde"],
    ),
    # a hard-wrapped paragraph after the header is article text, not a list of headlines
    (
        f"Казахстан и Кыргызстан откроют новые пункты пропуска\n\n{BODY_RU}\n\nЧитайте также:\n\n"
        "Узбекистан снизил пошлины на 300 товаров\n\nПо словам министра, в этом году\n"
        "товарооборот двух стран вырастет\nдо пяти миллиардов долларов\n",
        ["Узбекистан снизил пошлины"],
        ["По словам министра", "товарооборот двух стран вырастет", "до пяти миллиардов"],
    ),
    # above the article: a header's last headline before the text is the article's title
    (
        f"Популярное\n\nУзбекистан снизил пошлины на 300 товаров\n\n"
        f"Казахстан и Кыргызстан откроют новые пункты пропуска\n\n{BODY_RU}\n",
        ["Популярное", "Узбекистан снизил пошлины"],
        ["Казахстан и Кыргызстан откроют", BODY_RU[:60]],
    ),
    # a comment form at the end of the page, with its short lines and a site name
    (
        f"Kazakhstan and Kyrgyzstan agree on new border crossings\n\n{BODY_EN}\n\nLeave a reply\n\n"
        "Please enter your comment!\nPlease enter your name here\nTimes Desk\nShare post:\n",
        ["Leave a reply", "Please enter your comment!", "Times Desk", "Share post:"],
        [BODY_EN[:60]],
    ),
    # a weather widget: the city beside the temperature
    (
        f"• USD 471.20\n• EUR 505.10\n\n12 Сәуір, 08:15:02\nШымкент\n+21°\n\n"
        f"Қазақстан мен Қырғызстан жаңа өткізу бекеттерін ашады\n\n{BODY_KK}\n",
        ["USD 471.20", "12 Сәуір, 08:15:02", "Шымкент", "+21°"],
        ["Қазақстан мен Қырғызстан жаңа", BODY_KK[:60]],
    ),
    # a picture's credit with its caption, then the caption again with the outlet's name
    (
        "Товарооборот двух стран вырос на треть\n\n"
        "© Агентство / Иван ПетровПрезиденты на встрече в Ташкенте в среду\n"
        "Президенты на встрече в Ташкенте в среду - Агентство Узбекистан\n"
        f"{BODY_RU}\n",
        ["© Агентство", "Президенты на встрече в Ташкенте в среду - Агентство"],
        ["Товарооборот двух стран", BODY_RU[:60]],
    ),
    # notices of the site's software above the title, an update stamp below it
    (
        "Notice: Undefined offset: 3 in /srv/site/wp-content/plugins/counter/counter.php on line 91\n"
        "Kazakhstan and Kyrgyzstan agree on new border crossings\n\n"
        f"(Last Updated On: May 4, 2023)\n\n{BODY_EN}\n",
        ["Notice: Undefined offset: 3", "(Last Updated On: May 4, 2023)"],
        ["Kazakhstan and Kyrgyzstan agree", BODY_EN[:60]],
    ),
]


@pytest.mark.parametrize(("text", "chrome", "article"), BLOCKS)
def test_clean_chrome_block(text: str, chrome: list[str], article: list[str]) -> None:
    for part in chrome:
        assert is_chrome(text, part), part
    for part in article:
        assert not is_chrome(text, part), part


def test_clean_chrome_figure_in_related_block_is_no_fact() -> None:
    text = BLOCKS[0][0]
    doc = process(Doc("t", text))
    block = text.index("More related articles")
    assert [f.quote for f in doc.facts if f.start >= block] == []
    assert not [m for m in doc.mentions if m.kind == "amount" and m.start >= block]


@pytest.mark.parametrize(
    "stamp",
    ["03.10.2024 14:20", "14 октября 2024, 10:15", "October 3, 2024", "Среда, 5 июня 2024"],
)
def test_clean_chrome_date_stamp_after_a_title_still_starts_an_article(stamp: str) -> None:
    title_2 = "Кыргызстан и Таджикистан подписали соглашение о транзите"
    body_2 = BODY_RU.replace("Стороны обсудили", "Делегации рассмотрели")
    text = f"Казахстан и Кыргызстан откроют новые пункты пропуска\n\n{BODY_RU}\n{title_2}\n{stamp}\n{body_2}"
    doc = clean(Doc("t", text))
    assert is_chrome(text, stamp)
    assert [text[a.start : a.start + len(title_2)] for a in doc.articles][1:] == [title_2]


def _realpress() -> tuple[dict[str, Doc], list[dict], list[dict]]:
    docs = {}
    for row in (REALPRESS / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(row)
        docs[d["id"]] = clean(Doc(d["id"], d["text"]))
    traps = [json.loads(r) for r in (REALPRESS / "traps.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [json.loads(r) for r in (REALPRESS / "gold.facts.jsonl").read_text(encoding="utf-8").splitlines()]
    return docs, traps, gold


@pytest.mark.skipif(not REALPRESS.is_dir(), reason="needs ../shared/realpress")
def test_clean_chrome_realpress_traps_are_chrome_and_gold_is_not() -> None:
    docs, traps, gold = _realpress()
    chrome_traps = [t for t in traps if t["kind"] in CHROME_TRAPS or t["kind"].startswith("chrome")]
    taken = [t for t in chrome_traps if docs[t["doc"]].is_excluded(t["start"], t["end"])]
    assert len(taken) >= 0.9 * len(chrome_traps), [t["quote"] for t in chrome_traps if t not in taken]
    inside = [
        g["quote"]
        for g in gold
        if any(sp.start < g["end"] and g["start"] < sp.end for sp in docs[g["doc"]].excluded)
    ]
    assert inside == []
