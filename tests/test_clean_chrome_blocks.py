"""Clean stage: read-also blocks, forms, notices, stamps and credits of real crawls are chrome; article text never is.

Every line here is written for this test (kinds of lines, not sentences of a page).
"""

from __future__ import annotations

import pytest

from karavan.clean import clean
from karavan.clean.chrome import line_kind
from karavan.doc import Doc

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
