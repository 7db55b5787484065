"""Named agreements: name in the nominative, parties from context, status from the verb."""

import pytest

from karavan.annotate.translit import cyrillic_to_latin
from karavan.doc import Doc
from karavan.extract.agreement import extract_agreements
from karavan.pipeline import process

CASES = [
    (
        "Казахстан и Таджикистан: подписывается Декларация о союзническом взаимодействии.",
        "Декларация о союзническом взаимодействии",
        "signed",
    ),
    (
        "Казахстан и Таджикистан ведут работу по реализации «Дорожной карты» по увеличению товарооборота на 2023-2024 гг.",
        "Дорожная карта по увеличению товарооборота на 2023-2024 гг.",
        "in_force",
    ),
    (
        "Между Казахстаном и Кыргызстаном реализуется «Дорожная карта по увеличению взаимных поставок сельхозпродукции».",
        "Дорожная карта по увеличению взаимных поставок сельхозпродукции",
        "in_force",
    ),
    (
        "Казахстан и Узбекистан планируют подписать Соглашение о демаркации границы.",
        "Соглашение о демаркации границы",
        "planned",
    ),
    (
        "Казахстан и Узбекистан подписали соглашение о свободной торговле услугами.",
        "Соглашение о свободной торговле услугами",
        "signed",
    ),
    (
        "Казахстан и Китай: будет подписан Меморандум о сотрудничестве в сфере энергетики.",
        "Меморандум о сотрудничестве в сфере энергетики",
        "planned",
    ),
    (
        "Лидеры Казахстана и Кыргызстана подписали Договор о союзнических отношениях, который вступит в силу.",
        "Договор о союзнических отношениях",
        "signed",
    ),
    (
        "Kazakhstan and Uzbekistan signed an Agreement on the demarcation of the border.",
        "Agreement on the demarcation of the border",
        "signed",
    ),
]


@pytest.mark.parametrize(("text", "name", "status"), CASES)
def test_extract_agreement_status(text: str, name: str, status: str) -> None:
    facts = extract_agreements(Doc(id="t", text=text))
    assert [(f.fields["name"], f.fields["status"]) for f in facts] == [(name, status)]
    assert len(facts[0].fields["parties"]) == 2
    assert facts[0].quote == text[facts[0].start : facts[0].end]


NOT_AGREEMENTS = [
    "Имеется солидная договорно-правовая база, которая насчитывает более 100 договоров в различных сферах.",
    "Сегодня этот список пополнится новыми важными соглашениями.",
    "Стороны обсудили соглашение.",
]


@pytest.mark.parametrize("text", NOT_AGREEMENTS)
def test_extract_generic_phrases_are_not_agreements(text: str) -> None:
    assert extract_agreements(Doc(id="t", text="Казахстан и Таджикистан. " + text)) == []


MORE_CASES = [
    # (text, name, status, parties)
    (
        "Узбекистан и Таджикистан: по итогам визита подписана Программа экономического сотрудничества на 2025–2027 годы, а также соглашения в энергетике.",
        "Программа экономического сотрудничества на 2025–2027 годы",
        "signed",
        ["TJ", "UZ"],
    ),
    (
        "Казахстан и Узбекистан: президенты подписали Соглашение о создании Международного центра промышленной кооперации «Центральная Азия».",
        "Соглашение о создании Международного центра промышленной кооперации «Центральная Азия»",
        "signed",
        ["KZ", "UZ"],
    ),
    (
        "Казахстан и Кыргызстан: в ходе визита планируется подписание Меморандума о сотрудничестве в области цифровизации.",
        "Меморандум о сотрудничестве в области цифровизации",
        "planned",
        ["KG", "KZ"],
    ),
    (
        "Казахстан и Китай: Стратегия экономического партнерства на 2024–2030 годы будет подписана в ноябре.",
        "Стратегия экономического партнерства на 2024–2030 годы",
        "planned",
        ["CN", "KZ"],
    ),
    (
        "Между Россией и Казахстаном действует Договор о добрососедстве и союзничестве в XXI веке.",
        "Договор о добрососедстве и союзничестве в XXI веке",
        "in_force",
        ["KZ", "RU"],
    ),
    (
        "Казахстан и Таджикистан: стороны подписали План мероприятий по развитию торговли на 2025 год.",
        "План мероприятий по развитию торговли на 2025 год",
        "signed",
        ["KZ", "TJ"],
    ),
    (
        "Туркменистан и Узбекистан: Соглашение о стратегическом партнерстве вступило в силу.",
        "Соглашение о стратегическом партнерстве",
        "in_force",
        ["TM", "UZ"],
    ),
    (
        "Казахстан и Кыргызстан: Межправительственное соглашение о режиме государственной границы подписано в Бишкеке.",
        "Межправительственное соглашение о режиме государственной границы",
        "signed",
        ["KG", "KZ"],
    ),
    (
        "Kazakhstan and Tajikistan signed a roadmap on increasing trade turnover to 2 billion dollars.",
        "Roadmap on increasing trade turnover to 2 billion dollars",
        "signed",
        ["KZ", "TJ"],
    ),
    (
        "Kazakhstan and China will sign a memorandum of understanding on green energy.",
        "Memorandum of understanding on green energy",
        "planned",
        ["CN", "KZ"],
    ),
    (
        "Kazakhstan and Uzbekistan are implementing the Programme for economic cooperation for 2022–2026.",
        "Programme for economic cooperation for 2022–2026",
        "in_force",
        ["KZ", "UZ"],
    ),
]


@pytest.mark.parametrize(("text", "name", "status", "parties"), MORE_CASES)
def test_extract_more_agreements(text: str, name: str, status: str, parties: list[str]) -> None:
    facts = extract_agreements(Doc(id="t", text=text))
    assert [(f.fields["name"], f.fields["status"]) for f in facts] == [(name, status)]
    assert facts[0].fields["parties"] == parties
    assert facts[0].quote == text[facts[0].start : facts[0].end]


KK_CASES = [
    # Kazakh (through the pipeline: Latin is read as Cyrillic): (text, name, status, parties)
    (
        "Қазақстан мен Қытай арасында «Хоргос – Шығыс қақпасы» аймағында логистикалық орталық салу туралы келісімге қол қойылды.",
        "«Хоргос – Шығыс қақпасы» аймағында логистикалық орталық салу туралы келісім",
        "signed",
        ["CN", "KZ"],
    ),
    (
        "Kelissózder qorytyndysy boıynsha Qazaqstan – Túrkimenstan shekarasynda saýda-logıstıkalyq haby qurý týraly kelisimge qol qoıyldy.",
        "Qazaqstan – Túrkimenstan shekarasynda saýda-logıstıkalyq haby qurý týraly kelisim",
        "signed",
        ["KZ", "TM"],
    ),
    (
        "Қазақстан мен Өзбекстан. Сапар барысында су ресурстарын бірлесіп басқару туралы келісімге қол қою жоспарлануда.",
        "су ресурстарын бірлесіп басқару туралы келісім",
        "planned",
        ["KZ", "UZ"],
    ),
    (
        "Қазақстан мен Тәжікстан. Тараптар тауар айналымын арттыру жөніндегі жол картасын іске асыруда.",
        "тауар айналымын арттыру жөніндегі жол картасы",
        "in_force",
        ["KZ", "TJ"],
    ),
    (
        "Қазақстан мен Қырғызстан. Кездесу қорытындысы бойынша цифрлық сауда туралы меморандумға қол қойылды.",
        "цифрлық сауда туралы меморандум",
        "signed",
        ["KG", "KZ"],
    ),
]


@pytest.mark.parametrize(("text", "name", "status", "parties"), KK_CASES)
def test_extract_kazakh_agreements(text: str, name: str, status: str, parties: list[str]) -> None:
    facts = [f for f in process(Doc(id="t", text=text)).facts if f.type == "agreement"]
    assert [(f.fields["name"], f.fields["status"]) for f in facts] == [(name, status)]
    assert facts[0].fields["parties"] == parties
    assert facts[0].quote == text[facts[0].start : facts[0].end]


MORE_NOT_AGREEMENTS = [
    "Программа визита включает посещение завода.",
    "Стороны подписали ряд документов.",
    "Были подписаны соглашения в энергетике и транспорте.",
    "Тараптар келісімге келді.",
    "Кездесу қорытындысы бойынша келісімге қол қойылды.",
    "The sides signed several agreements.",
    "Программа была подписана.",
]


@pytest.mark.parametrize("text", MORE_NOT_AGREEMENTS)
def test_extract_more_generic_phrases_are_not_agreements(text: str) -> None:
    doc_text = "Казахстан и Таджикистан. " + text
    assert [f for f in process(Doc(id="t", text=doc_text)).facts if f.type == "agreement"] == []


@pytest.mark.parametrize("alphabet", ["2017", "2018", "2021"])
@pytest.mark.parametrize(("text", "name", "status", "parties"), [c for c in KK_CASES if c[0][0] == "Қ"])
def test_extract_kazakh_agreements_in_every_latin_alphabet(
    alphabet: str, text: str, name: str, status: str, parties: list[str]
) -> None:
    # 2021's dotless ı is the same letter as i for an IGNORECASE regex but not for a dict of forms
    latin = cyrillic_to_latin(text, alphabet)
    facts = [f for f in process(Doc(id="t", text=latin)).facts if f.type == "agreement"]
    assert [(f.fields["name"], f.fields["status"], f.fields["parties"]) for f in facts] == [
        (cyrillic_to_latin(name, alphabet), status, parties)
    ]


@pytest.mark.parametrize("alphabet", ["2017", "2018", "2021"])
@pytest.mark.parametrize("text", [t for t in MORE_NOT_AGREEMENTS if t[0] in "ТК"])
def test_extract_kazakh_latin_generic_phrases_are_not_agreements(alphabet: str, text: str) -> None:
    latin = cyrillic_to_latin(text, alphabet)
    assert [f for f in process(Doc(id="t", text=latin)).facts if f.type == "agreement"] == []
