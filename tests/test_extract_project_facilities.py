"""Concrete joint plants, railways, stations, hubs and ventures are projects; plural and vague phrases are not."""

import pytest

from karavan.doc import Doc
from karavan.extract.project import extract_projects
from karavan.pipeline import process


def _projects(text: str) -> list:
    """Through the pipeline: Kazakh Latin is read through its Cyrillic view."""
    return [f for f in process(Doc(id="t", text=text)).facts if f.type == "project"]


PAIR = "Казахстан и Кыргызстан расширяют сотрудничество. "
PAIR_KK = "Қазақстан мен Қырғызстан ынтымақтастықты кеңейтуде. "
PAIR_EN = "Kazakhstan and Kyrgyzstan expand cooperation. "

CASES = [
    # (prefix, text, name, place)
    (
        PAIR,
        "Одним из проектов является строительство ферросплавного завода в Таш-Кумыре.",
        "ferroalloy plant",
        "Tash-Kumyr",
    ),
    (PAIR, "Обсуждено строительство ГЭС Камбарата-1.", "Kambarata-1 hydropower plant", None),
    (
        PAIR,
        "Стороны договорились о запуске совместного завода по производству тракторов в Бишкеке.",
        "tractor plant",
        "Bishkek",
    ),
    (PAIR, "Начато строительство цементного завода в Оше.", "cement plant", "Osh"),
    (
        PAIR,
        "Стороны условились ускорить строительство совместной железной дороги Дарбаза – Мактаарал.",
        "Darbaza–Maktaaral railway",
        None,
    ),
    (
        PAIR,
        "Стороны обсудили строительство оптово-распределительного центра в Бишкеке.",
        "wholesale distribution centre",
        "Bishkek",
    ),
    (
        PAIR,
        "Особое внимание уделено совместному строительству Яванской ГЭС на реке Зеравшан.",
        "Yavan hydropower plant on the Zeravshan river",
        None,
    ),
    (
        PAIR,
        "Обсуждено участие сторон в строительстве Камбаратинской ГЭС-1.",
        "Kambarata-1 hydropower plant",
        None,
    ),
    (
        PAIR,
        "Премьеры обсудили создание совместного предприятия по производству сельхозтехники в Бишкеке.",
        "agricultural machinery joint venture",
        "Bishkek",
    ),
    (PAIR, "Запланирован запуск нового логистического хаба в Алматы.", "logistics hub", "Almaty"),
    (
        PAIR,
        "Продолжается реализация проекта по строительству торгово-логистического центра на границе.",
        "trade and logistics centre",
        None,
    ),
    (PAIR, "Стороны рассмотрели возведение солнечной электростанции в Оше.", "solar power plant", "Osh"),
    (PAIR, "Обсуждено создание индустриального парка в Шымкенте.", "industrial park", "Shymkent"),
    (PAIR, "Казахстанская сторона предложила открытие сахарного завода.", "sugar plant", None),
    (
        PAIR_KK,
        "Тараптар Бішкекте жаңа логистикалық орталық салу мәселесін талқылады.",
        "logistics centre",
        "Bishkek",
    ),
    (PAIR_KK, "Ферроқорытпа зауытын салу жоспарлануда.", "ferroalloy plant", None),
    (
        PAIR_KK,
        "Шекарада сауда-логистикалық хабы құру туралы уағдаластық бар.",
        "trade and logistics hub",
        None,
    ),
    (
        "Qazaqstan men Qyrǵyzstan yntymaqtastyqty keńeıtýde. ",
        "Taraptar Bishkekte jańa logıstıkalyq ortalyq salý máselesin talqylady.",
        "logistics centre",
        "Bishkek",
    ),
    (PAIR_EN, "The sides discussed the construction of a cement plant in Osh.", "cement plant", "Osh"),
    (
        PAIR_EN,
        "They agreed on the construction of the Kambarata-1 hydropower plant.",
        "Kambarata-1 hydropower plant",
        None,
    ),
    (
        PAIR_EN,
        "The leaders welcomed the launch of a joint venture to produce agricultural machinery in Bishkek.",
        "agricultural machinery joint venture",
        "Bishkek",
    ),
    (PAIR_EN, "Both sides support building a logistics hub in Almaty.", "logistics hub", "Almaty"),
    # a project noun before a facility in the genitive, or before a coded name alone
    (PAIR, "Стороны обсудили проект объездной дороги БКАД.", "BKAD bypass road", None),
    (PAIR, "Энергетики завершают работы в рамках проекта TransGreen-2.", "TransGreen-2 project", None),
    (PAIR, "Энергетики завершают работы в рамках проекта TAPI.", "TAPI project", None),
    # a company's project by what it makes
    (
        PAIR,
        "Одобрен проект компании Agro Steppe по переработке подсолнечника.",
        "Agro Steppe sunflower project",
        None,
    ),
    # a project's name in quotes joined to the facility phrase after it
    (
        PAIR,
        "Подписан совместный проект «Алтын Дан» и Zhongtai по строительству мукомольного комбината в Оше.",
        "Altyn Dan flour plant",
        "Osh",
    ),
    (
        PAIR,
        "Компании договорились о расширении угольного месторождения Кара-Кече.",
        "Kara-Keche coal deposit",
        None,
    ),
    # routes: spaced dashes, or unspaced between places the text names
    (
        PAIR,
        "Правительства ускорят строительство автодороги Бишкек — Нарын — Торугарт.",
        "Bishkek–Naryn–Torugart road",
        None,
    ),
    (PAIR, "Планируется открытие авиасообщения по маршруту Алматы–Ош.", "Almaty–Osh air route", None),
    # a count of facilities; a facility in quotes; a region between the action and the facility
    (
        PAIR,
        "Обсуждено участие сторон в реализации проектов двух ГЭС на Нарыне.",
        "two hydropower plants",
        None,
    ),
    (
        PAIR,
        "Таможенные службы запускают «зеленый коридор» для плодоовощной продукции.",
        "green corridor",
        None,
    ),
    (PAIR, "Рассмотрено создание в Чуйской области предприятия по выпуску стекла.", "glass enterprise", None),
    # English: a facility before a passive action; laying a line
    (PAIR_EN, "Two trade houses have been opened in Bishkek and Almaty.", "trade house", "Bishkek"),
    (
        PAIR_EN,
        "The sides discussed the laying of a fibre optic line across the border.",
        "fibre-optic line",
        None,
    ),
    # Kazakh: a project noun after a name (its case ending off)
    (PAIR_KK, "Тараптар Ыстықкөлді сақтау жобасын қолдады.", "Ystyqkol project", None),
]


@pytest.mark.parametrize(("prefix", "text", "name", "place"), CASES)
def test_extract_projects(prefix: str, text: str, name: str, place: str | None) -> None:
    doc_text = prefix + text
    facts = _projects(doc_text)
    assert [(f.fields["name"], f.fields["place"]) for f in facts] == [(name, place)]
    assert facts[0].fields["countries"] == ["KG", "KZ"]
    assert facts[0].quote == doc_text[facts[0].start : facts[0].end]


def test_extract_countries_named_in_the_clause_join_the_pair() -> None:
    text = (
        "Кыргызстан и Узбекистан развивают сотрудничество. Кыргызстан и Узбекистан подписали протокол. "
        "Отдельно обсуждено участие Узбекистана в строительстве Камбаратинской ГЭС-1 вместе с Казахстаном."
    )
    facts = extract_projects(Doc(id="t", text=text))
    assert [f.fields["countries"] for f in facts] == [["KG", "KZ", "UZ"]]


def test_extract_a_destination_country_is_not_a_party() -> None:
    text = PAIR + "Обсуждено строительство цементного завода в Оше для поставок в Китай."
    facts = extract_projects(Doc(id="t", text=text))
    assert [f.fields["countries"] for f in facts] == [["KG", "KZ"]]


MANY = [
    # (text after PAIR, [(name, place, countries)]): every project of a sentence, each with its own countries
    (
        "Стороны работают над расширением транзитного сотрудничества, в том числе железнодорожной линии "
        "Балыкчы – Кочкор и логистического центра в порту Актау.",
        [("Balykchy–Kochkor railway", None, ["KG", "KZ"]), ("logistics centre", "Aktau", ["KG", "KZ"])],
    ),
    (
        "Обсуждено строительство железной дороги Казахстан – Кыргызстан – Узбекистан.",
        [("Kazakhstan–Kyrgyzstan–Uzbekistan railway", None, ["KG", "KZ", "UZ"])],
    ),
    (
        "Обсуждено строительство железной дороги Казахстан – Кыргызстан – Узбекистан и терминала в порту Актау.",
        [
            ("Kazakhstan–Kyrgyzstan–Uzbekistan railway", None, ["KG", "KZ", "UZ"]),
            ("terminal", "Aktau", ["KG", "KZ"]),
        ],
    ),
    (
        "Қазақстан Өзбекстанмен бірлескен жобаға қатысады.",
        [("joint project with Ozbekstan", None, ["KG", "KZ", "UZ"])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), MANY)
def test_extract_projects_of_a_sentence(text: str, expected: list) -> None:
    facts = _projects(PAIR + text)
    assert [(f.fields["name"], f.fields["place"], f.fields["countries"]) for f in facts] == expected


def test_extract_a_project_is_quoted_at_its_fullest_statement() -> None:
    text = (
        PAIR
        + "Начато строительство цементного завода. Начато строительство цементного завода в Оше рядом с трассой."
    )
    facts = _projects(text)
    assert [(f.fields["name"], f.quote) for f in facts] == [
        ("cement plant", "строительство цементного завода в Оше")
    ]


NOT_PROJECTS = [
    "Перспективным видится создание совместных проектов по мукомольному производству.",
    "Рассмотрена возможность совместного освоения месторождений.",
    "Обсуждено создание совместных предприятий в сфере промышленности.",
    "Актюбинский завод готов сотрудничать в части поставок.",
    "Число совместных предприятий за последние три года удвоилось.",
    "Стороны подписали Соглашение о создании Международного центра промышленной кооперации.",
    "Обсуждено строительство новых заводов и фабрик.",
    "Обсуждено строительство малых ГЭС.",
    "Стороны обсудили создание совместного предприятия.",
    "Обсуждено строительство завода.",
    "Казахстан и Кыргызстан открыли новый этап сотрудничества.",
    "Тараптар Орталық Азия елдерімен ынтымақтастықты талқылады.",
    "The sides discussed building trust and opening new markets.",
    "They agreed on the construction of a new plant.",
    "Обсуждён запуск производства.",
    "Обсуждено открытие нового пункта пропуска.",
    # a project noun before a document, a person, a bloc, a plural; a plain name in quotes alone
    "Стороны обсудили проект соглашения о свободной торговле.",
    "Инициатива Президента получила поддержку.",
    "Проекты ЕАЭС обсуждены на встрече.",
    "Реализация совместных проектов продолжится.",
    "Стороны обсудили проект «Цифровой Шелковый путь».",
    "Обсуждено открытие «Дома Казахстана» в Бишкеке.",
    # a route in a sentence with no action: an existing line
    "Грузы доставляются по железной дороге Алматы – Бишкек.",
    # no facility after the action
    "Стороны обсудили расширение торгового сотрудничества.",
    "The sides discussed the passing of the new customs code.",
    "Trade houses are important for exporters.",
    # Kazakh: a project noun after a pronoun opening the sentence, or after a country's genitive
    "Бұл жобаны екі ел бірге іске асырады.",
    "Қазақстан мен Қытайдың бірлескен жобасы талқыланды.",
]


@pytest.mark.parametrize("text", NOT_PROJECTS)
def test_extract_vague_phrases_are_not_projects(text: str) -> None:
    assert extract_projects(Doc(id="t", text=PAIR + text)) == []
