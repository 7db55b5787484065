"""Country forms: every case of a name, adjectives and compounds, epithets and capitals, blocs and regions
as their own kinds, and the words that only begin like one."""

from collections import defaultdict

import pytest

import karavan.annotate.countries as countries
from karavan.annotate.countries import country_entries, read_countries, read_places
from karavan.doc import Doc
from karavan.pipeline import process

CASES = [
    ("Товарооборот между Казахстаном и Таджикистаном", ["KZ", "TJ"]),
    ("Индия и Грузия подписали меморандум", ["IN", "GE"]),
    ("экспорт индийского риса", ["IN"]),
    ("в Грузию и из Индии", ["GE", "IN"]),
    # a capital letter at the start of a sentence does not make a country of these
    ("Индивидуальный предприниматель из Казахстана", ["KZ"]),
    ("Индикативный план развития торговли", []),
    ("ИНДИВИДУАЛЬНЫЕ ПРЕДПРИНИМАТЕЛИ", []),
    ("Грузить зерно будут в Актау", []),
    ("Грузили вагоны для Узбекистана", ["UZ"]),
    ("Indiana farmers export to China", ["CN"]),
]


def codes(text: str) -> list[str]:
    return [c.code for c in read_countries(text)]


@pytest.mark.parametrize(("text", "codes_"), CASES)
def test_annotate_country_forms(text: str, codes_: list[str]) -> None:
    assert codes(text) == codes_


PARTNERS = [
    # Russian: stems that take every case ending
    (
        "Экспорт во Францию и Италию вырос, поставки из Великобритании и Швеции сократились",
        ["FR", "IT", "GB", "SE"],
    ),
    ("Торговля с Тунисом, Нигерией и Пакистаном", ["TN", "NG", "PK"]),
    ("Венгрией и Румынией подписан протокол", ["HU", "RO"]),
    ("поставки в Саудовскую Аравию и Объединённые Арабские Эмираты", ["SA", "AE"]),
    ("в Южную Корею, из Южной Кореи и с Республикой Корея", ["KR", "KR", "KR"]),
    ("в Соединённые Штаты, Соединенных Штатов и США", ["US", "US", "US"]),
    ("о Кубе, на Кубу и с Кубой", ["CU", "CU", "CU"]),
    ("в Чаде, в Мали и в Того", ["TD", "ML", "TG"]),
    ("Евросоюз, Европейский союз и ЕС", ["EU", "EU", "EU"]),
    ("с Египтом и в Египет", ["EG", "EG"]),
    ("с Нидерландами, Бельгией, Швейцарией и Австрией", ["NL", "BE", "CH", "AT"]),
    ("Бразилией, Аргентиной, Канадой и Мексикой", ["BR", "AR", "CA", "MX"]),
    ("Австралией и Новой Зеландией", ["AU", "NZ"]),
    ("с Индонезией, Малайзией и Вьетнамом", ["ID", "MY", "VN"]),
    ("Кот-д'Ивуар и Буркина-Фасо", ["CI", "BF"]),
    ("с Данией и Литвой", ["DK", "LT"]),
    # Kazakh in Cyrillic: the whole name, then its endings
    ("Италияға, Швецияға және Тунисқа экспорт", ["IT", "SE", "TN"]),
    ("Нигериямен және Пәкістанмен сауда", ["NG", "PK"]),
    ("Түркия мен Венгрия арасындағы тауар айналымы", ["TR", "HU"]),
    ("Ұлыбританиядан импорт", ["GB"]),
    ("Оңтүстік Кореяның инвестициясы мен Корея Республикасымен келісім", ["KR", "KR"]),
    ("Біріккен Араб Әмірліктеріне және БАӘ-ге", ["AE", "AE"]),
    ("Еуроодақ пен Еуропалық Одақ", ["EU", "EU"]),
    ("Жапония, Үндістан және Мысыр", ["JP", "IN", "EG"]),
    ("Әзербайжан мен Әзірбайжан", ["AZ", "AZ"]),
    ("Данияға экспорт", ["DK"]),
    # English
    ("exports to the UK, Britain and Great Britain", ["GB", "GB", "GB"]),
    ("South Korea, Korea and the Republic of Korea", ["KR", "KR", "KR"]),
    ("the UAE and the Emirates", ["AE", "AE"]),
    ("the US, the U.S. and the United States", ["US", "US", "US"]),
    ("trade with Sweden, Tunisia, Nigeria, Pakistan and Hungary", ["SE", "TN", "NG", "PK", "HU"]),
    ("the EU and the European Union", ["EU", "EU"]),
    ("Italy's exports to France", ["IT", "FR"]),
    ("North Korea and South Korea", ["KP", "KR"]),
    ("Peru, Mali and Chad", ["PE", "ML", "TD"]),
]


@pytest.mark.parametrize(("text", "codes_"), PARTNERS)
def test_annotate_trade_partners_in_every_case(text: str, codes_: list[str]) -> None:
    assert codes(text) == codes_


KAZAKH_LATIN = [
    # read through the Cyrillic transliteration of the clean stage's view
    ("Qazaqstan men Italııa arasyndaǵy saýda aınalymy ósti.", ["KZ", "IT"]),
    ("Túrkııa men Ulybrıtanııaǵa eksport artty.", ["TR", "GB"]),
    ("Germanııa, Frantsııa jáne Shvetsııa kompanııalary keldi.", ["DE", "FR", "SE"]),
    ("Qytaı men Koreıa arasyndaǵy baılanys nyǵaıdy.", ["CN", "KR"]),
    ("Iran men Pákistanǵa júk jiberildi.", ["IR", "PK"]),
    ("Reseı, Ózbekstan, Qyrǵyzstan jáne Tájikstan kelisti.", ["RU", "UZ", "KG", "TJ"]),
    ("AQSH pen BAÁ ınvestorlary, Eýroodaq elderi keldi.", ["US", "AE", "EU"]),
    ("Ispanııa men Iordanııa jáne Iraq arasynda kelisim jasaldy.", ["ES", "JO", "IQ"]),
]


def annotated(text: str, kind: str) -> list[str]:
    doc = process(Doc(id="t", text=text), until="annotate")
    return [str(m.value) for m in doc.mentions_of(kind)]


@pytest.mark.parametrize(("text", "codes_"), KAZAKH_LATIN)
def test_annotate_kazakh_latin_partners(text: str, codes_: list[str]) -> None:
    assert annotated(text, "country") == codes_


ADJECTIVES = [
    ("туркмено-иранский и ирано-туркменский форум", ["TM", "IR", "IR", "TM"]),
    ("казахско-китайский и кыргызско-узбекский", ["KZ", "CN", "KG", "UZ"]),
    ("таджикско-кыргызские переговоры", ["TJ", "KG"]),
    ("казахстанско-кыргызстанскую границу", ["KZ", "KG"]),
    ("узбекский лидер встретил турецкого лидера", ["UZ", "TR"]),
    ("рост эмиратских инвестиций", ["AE"]),
    ("корейская компания и немецкие инвесторы", ["KR", "DE"]),
    ("американо-китайские и российско-германские отношения", ["US", "CN", "RU", "DE"]),
    ("узбеки и казахи", ["UZ", "KZ"]),
    ("қазақ-қытай және өзбек-тәжік шекарасы", ["KZ", "CN", "UZ", "TJ"]),
    ("қытайлық инвесторлар мен түрік компаниялары", ["CN", "TR"]),
    ("ресейлік және италиялық серіктестер", ["RU", "IT"]),
    ("Tajik-Uzbek, Kyrgyz-Uzbek and Uzbek-Azerbaijani talks", ["TJ", "UZ", "KG", "UZ", "UZ", "AZ"]),
    ("Uzbek goods, Chinese imports and Tajik products", ["UZ", "CN", "TJ"]),
    ("Sino-Kazakh ties and Emirati investors", ["CN", "KZ", "AE"]),
    ("South Korean firms", ["KR"]),
]


@pytest.mark.parametrize(("text", "codes_"), ADJECTIVES)
def test_annotate_adjectives_demonyms_and_compounds(text: str, codes_: list[str]) -> None:
    assert codes(text) == codes_


EPITHETS_AND_CAPITALS = [
    ("Поднебесная нарастила закупки", [("CN", "name")]),
    ("поставки в Поднебесную", [("CN", "name")]),
    ("Туманный Альбион", [("GB", "name")]),
    ("Страна восходящего солнца", [("JP", "name")]),
    ("the Land of the Rising Sun", [("JP", "name")]),
    ("Астана и Ташкент договорились", [("KZ", "capital"), ("UZ", "capital")]),
    ("Тегеран и Будапешт", [("IR", "capital"), ("HU", "capital")]),
    ("в Кремле и в Акорде", [("RU", "capital"), ("KZ", "capital")]),
    ("Мәскеу мен Бейжің", [("RU", "capital"), ("CN", "capital")]),
    ("Ankara and Brussels", [("TR", "capital"), ("EU", "capital")]),
    ("Москва", [("RU", "capital")]),
    ("в Риме и в Вене", [("IT", "capital"), ("AT", "capital")]),
]


@pytest.mark.parametrize(("text", "found"), EPITHETS_AND_CAPITALS)
def test_annotate_epithets_and_capitals(text: str, found: list[tuple[str, str]]) -> None:
    assert [(c.code, c.form) for c in read_countries(text)] == found


BLOCS_AND_REGIONS = [
    ("страны ЕАЭС", [("@EAEU", "bloc")]),
    ("ЕАЭО елдері", [("@EAEU", "bloc")]),
    ("the EAEU and the Eurasian Economic Union", [("@EAEU", "bloc"), ("@EAEU", "bloc")]),
    ("Евразийского экономического союза", [("@EAEU", "bloc")]),
    ("СНГ, CIS и ТМД", [("@CIS", "bloc")] * 3),
    ("ШОС и SCO", [("@SCO", "bloc")] * 2),
    ("ОТГ и Организации тюркских государств", [("@OTS", "bloc")] * 2),
    ("OTS and Түркі мемлекеттерінің ұйымы", [("@OTS", "bloc")] * 2),
    (
        "ASEAN, БРИКС, BRICS и ОДКБ",
        [("@ASEAN", "bloc"), ("@BRICS", "bloc"), ("@BRICS", "bloc"), ("@CSTO", "bloc")],
    ),
    ("Центральная Азия и Central Asia", [("@CA", "bloc")] * 2),
    ("Орталық Азия елдерімен", [("@CA", "bloc")]),
    ("экспорт в страны Центральной Азии", [("@CA", "bloc")]),
    ("the five Central Asian countries", [("@CA", "bloc")]),
    ("на Ближнем Востоке и в Персидском заливе", [("@MIDEAST", "bloc"), ("@GULF", "bloc")]),
    ("the Middle East and the Persian Gulf", [("@MIDEAST", "bloc"), ("@GULF", "bloc")]),
    ("экспорт в Европу и Europe", [("@EUROPE", "bloc")] * 2),
    ("Европа и Евросоюз", [("@EUROPE", "bloc"), ("EU", "country")]),
    ("поставки во все страны", [("@WORLD", "bloc")]),
    ("крупнейший в мире экспортёр", [("@WORLD", "bloc")]),
    ("third in the world", [("@WORLD", "bloc")]),
    ("вывоз за рубеж", [("@WORLD", "bloc")]),
    ("Алматинская область", [("KZ-19", "subnational")]),
    ("Батыс Қазақстан облысы", [("KZ-27", "subnational")]),
    ("в Восточно-Казахстанской области", [("KZ-63", "subnational")]),
    ("приграничные регионы", [("??-?", "subnational")]),
    ("Синьцзян и Или-Казахский автономный округ", [("CN-XJ", "subnational")] * 2),
    ("Самарканд и Согдийская область", [("UZ-SA", "subnational"), ("TJ-SU", "subnational")]),
    ("Osh region and Оренбургской области", [("KG-O", "subnational"), ("RU-ORE", "subnational")]),
]


@pytest.mark.parametrize(("text", "found"), BLOCS_AND_REGIONS)
def test_annotate_blocs_and_regions_are_their_own_kinds(text: str, found: list[tuple[str, str]]) -> None:
    assert [(c.code, c.kind) for c in read_places(text)] == found
    assert codes(text) == [code for code, kind in found if kind == "country"]


def test_annotate_emits_bloc_and_subnational_mentions() -> None:
    text = (
        "Экспорт Алматинской области в страны ЕАЭС и Китай вырос.\n\n"
        "Almaty oblysy men Ortalyq Azııa elderi arasyndaǵy saýda ósti."
    )
    assert annotated(text, "country") == ["CN"]
    assert annotated(text, "bloc") == ["@EAEU", "@CA"]
    assert annotated(text, "subnational") == ["KZ-19", "KZ-19"]


NOT_COUNTRIES = [
    # words that only begin like a country's stem, short names among ordinary words, people's names
    ("туристы из Турции", ["TR"]),
    ("Ирина Иванова", []),
    ("любимое чадо", []),
    ("малый и средний бизнес", []),
    ("Кроме того, того же года", []),
    ("Того же мнения придерживаются эксперты", []),
    ("10 млрд кубометров газа", []),
    ("Кубань и Кубанская область", []),
    ("Осложнения на границе", []),
    ("Лесоторговые компании", []),
    ("закон Бернулли", []),
    ("Сан-Франциско", []),
    ("Данияр Ахметов", []),
    ("тараптар тәжікелесті", []),
    ("сауда айналымы", []),
    ("Азиз Каримов", []),
    ("рубеж в 1 млрд долларов", []),
    ("мировоззрение", []),
    ("a woman from Oman", ["OM"]),
    ("Chad Wolf said", []),
    ("he met Michael Jordan in Jordan", ["JO"]),
    ("Jordan Peterson", []),
    ("Frances and Hollande", []),
    ("the World Bank and the Indian Ocean", []),
    ("New Mexico", []),
    ("turkey and chile peppers", []),
]


@pytest.mark.parametrize(("text", "codes_"), NOT_COUNTRIES)
def test_annotate_words_that_only_look_like_a_country(text: str, codes_: list[str]) -> None:
    assert [c.code for c in read_places(text)] == codes_


def test_annotate_country_table_names_every_state_in_three_languages() -> None:
    langs: dict[str, set[str]] = defaultdict(set)
    for code, kind, lang, _form in country_entries():
        if kind in ("name", "exact") and code != "-":
            langs[code].add(lang)
    assert len(langs) >= 197  # the UN members, observers, Kosovo, Taiwan and the EU
    assert [code for code, ls in langs.items() if ls != {"ru", "kk", "en"}] == []


def test_annotate_country_table_gives_each_form_one_place() -> None:
    places: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, kind, _lang, form in countries._rows():
        if kind not in ("not", "personal"):
            places[(kind == "exact" and "exact" or "stem", form.lower())].add(code)
    assert {form: codes_ for form, codes_ in places.items() if len(codes_) > 1} == {}


def test_annotate_country_entries_keep_the_kinds_role_phrases_read() -> None:
    rows = country_entries()
    assert {kind for _c, kind, _l, _f in rows} <= {"name", "exact", "adj", "demonym", "capital", "not"}
    assert all(not code.startswith("@") and "-" not in code.strip("-") for code, _k, _l, _f in rows)
    assert all("|" not in form for _c, _k, _l, form in rows)
    assert ("CU", "exact", "ru", "Кубой") in rows  # listed spellings become whole words


BAD_ROWS = [
    ("KZ\tname\tru\n", "line 1: want code, kind, lang, form"),
    ("KZ\tnoun\tru\tКазахстан\n", "line 1: unknown kind 'noun'"),
    ("TD\tname\tru\tЧа\n", "a stem needs 3 letters"),
    ("US\tname\ten\tPeople's Republic\n", "words are letters only"),
]


@pytest.mark.parametrize(("table", "message"), BAD_ROWS)
def test_annotate_country_table_rejects_bad_rows(monkeypatch, table: str, message: str) -> None:
    monkeypatch.setattr(countries, "read_text", lambda name: table)
    for fn in (countries._rows, countries.grammar):
        fn.cache_clear()
    try:
        with pytest.raises(ValueError, match="countries.tsv") as err:
            countries.grammar()
        assert message in str(err.value)
    finally:
        monkeypatch.undo()
        for fn in (countries._rows, countries.grammar):
            fn.cache_clear()


def test_annotate_a_word_like_a_country_does_not_make_the_pair() -> None:
    # "Индивидуальные" must not become India and pair itself with Kazakhstan
    text = (
        "Индивидуальные предприниматели Казахстана нарастили экспорт в Кыргызстан. "
        "Экспорт составил 1,2 млрд долларов за 2024 год."
    )
    facts = [f for f in process(Doc(id="t", text=text)).facts if f.type == "trade"]
    assert [(f.fields["reporter"], f.fields["partner"]) for f in facts] == [("KZ", "KG")]
