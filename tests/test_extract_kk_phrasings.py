"""Kazakh phrasings of the five numeric fact types, in Cyrillic and in Latin script.

Each row: a short text in the style of the Kazakh press, its publication date, and the numeric
facts expected (only the fields named are compared; every numeric fact produced must be expected,
so non-facts are rows with an empty list). Every Cyrillic row is also run in the three Latin
alphabets (2018 acute, 2021 Turkic, 2017 apostrophes) and must give the same facts; hand-written
Latin rows (as the seeds are written) are checked against their Cyrillic twin.
"""

from __future__ import annotations

import pytest

from karavan.annotate.translit import cyrillic_to_latin
from tests.phrasing import check, numeric_facts

PUB = "2024-10-15"
T = "trade"

CASES: list[tuple[str, str | None, list[dict]]] = [
    (
        "Қазақстан мен Өзбекстан арасындағы тауар айналымы 2023 жылы 4,4 млрд долларды құрады, бұл 2022 жылмен салыстырғанда 20%-ға көп.",
        PUB,
        [dict(type=T, pair={"KZ", "UZ"}, period="2023-01/2023-12", value=4.4e9, change_pct=20)],
    ),
    (
        "Тараптар екі ел арасындағы тауар айналымын 2030 жылға қарай 10 млрд долларға жеткізуге келісті. "
        "Бұл туралы Қазақстан мен Өзбекстан президенттері мәлімдеді.",
        PUB,
        [dict(type="target", pair={"KZ", "UZ"}, value=10e9, by="2030")],
    ),
    # --- trade: periods and values ---------------------------------------------------------------
    (
        "Қазақстан мен Өзбекстан арасындағы тауар айналымы 2024 жылдың қаңтар-қыркүйек айларында 3,2 млрд АҚШ долларын құрады.",
        PUB,
        [
            dict(
                type=T,
                flow="turnover",
                pair={"KZ", "UZ"},
                product="total",
                period="2024-01/2024-09",
                value=3.2e9,
                unit="USD",
            )
        ],
    ),
    (
        "2023 жылы Қазақстан мен Қырғызстанның өзара саудасы 10,6 пайызға төмендеп, 1,8 млрд долларды құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2023-01/2023-12", value=1.8e9, change_pct=-10.6)],
    ),
    (
        "2024 жылдың 11 айында Қазақстан мен Тәжікстанның тауар айналымы 1,3 млрд долларға жетті.",
        PUB,
        [dict(type=T, pair={"KZ", "TJ"}, period="2024-01/2024-11", value=1.3e9)],
    ),
    (
        "Осы жылдың екі айында Қазақстан мен Түрікменстан арасындағы тауар айналымы 84,9 млн долларды құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "TM"}, period="2024-01/2024-02", value=84.9e6)],
    ),
    (
        "Былтыр Қазақстан мен Қытайдың сауда көлемі 41 млрд доллардан асты.",
        PUB,
        [dict(type=T, pair={"KZ", "CN"}, period="2023-01/2023-12", value=41e9, bound="gt")],
    ),
    (
        "Өткен жылы Қазақстан мен Ресей арасындағы тауар айналымы шамамен 28 млрд долларды құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "RU"}, period="2023-01/2023-12", value=28e9, approx=True)],
    ),
    (
        "Биыл бірінші тоқсанда Қазақстан мен Қырғызстанның тауар айналымы 400 млн доллардан астам болды.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2024-01/2024-03", value=400e6, bound="gt")],
    ),
    (
        "2024 жылдың бірінші жартыжылдығында Қазақстан мен Өзбекстанның тауар айналымы 2 млрд долларға жуықтады.",
        PUB,
        [dict(type=T, pair={"KZ", "UZ"}, period="2024-01/2024-06", value=2e9)],
    ),
    (
        "Қазақстан мен Әзірбайжан арасындағы тауар айналымы 2023 жылы 18 пайызға өсіп, 410 млн долларға жетті.",
        PUB,
        [dict(type=T, pair={"KZ", "AZ"}, period="2023-01/2023-12", value=410e6, change_pct=18)],
    ),
    (
        "Қаңтар-наурыз айларында Өзбекстан мен Тәжікстанның тауар айналымы 230,5 млн доллар болды.",
        PUB,
        [dict(type=T, pair={"UZ", "TJ"}, period="2024-01/2024-03", value=230.5e6)],
    ),
    (
        "Қазақстан мен Қырғызстан арасындағы тауар айналымы 2022 жылы 2 есеге артып, 1,1 млрд долларға жетті.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2022-01/2022-12", value=1.1e9, change_factor=2)],
    ),
    (
        "Қазақстан мен Тәжікстанның екіжақты саудасы 2024 жылдың 10 айында 6,1%-ға өсті.",
        PUB,
        [dict(type=T, pair={"KZ", "TJ"}, period="2024-01/2024-10", value=None, change_pct=6.1)],
    ),
    (
        "Қазақстан мен Өзбекстанның тауар айналымы 2023 жылы 500 млрд теңгені құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "UZ"}, value=500e9, unit="KZT")],
    ),
    # --- trade: export, import, products ---------------------------------------------------------
    (
        "2024 жылдың 11 айында Қазақстаннан Қырғызстанға астық экспорты 40,4 мың тоннаны құрады.",
        PUB,
        [
            dict(
                type=T,
                flow="export",
                reporter="KZ",
                partner="KG",
                product="grain",
                period="2024-01/2024-11",
                value=40400,
                unit="t",
            )
        ],
    ),
    (
        "Былтыр Қазақстанның Тәжікстанға экспорты 900 млн долларды құрады.",
        PUB,
        [dict(type=T, flow="export", reporter="KZ", partner="TJ", period="2023-01/2023-12", value=900e6)],
    ),
    (
        "Өзбекстаннан Қазақстанға импорт 2023 жылы 1,5 млрд доллар болды.",
        PUB,
        [dict(type=T, flow="import", reporter="KZ", partner="UZ", value=1.5e9)],
    ),
    (
        "Осы жылдың алты айында Қазақстан мен Қырғызстанның АӨК өнімдерінің тауар айналымы 313,6 млн долларды құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, product="agri", period="2024-01/2024-06", value=313.6e6)],
    ),
    (
        "Қазақстан мен Тәжікстан арасындағы ауыл шаруашылығы өнімдерінің саудасы 2023 жылы 5,5 пайызға артып, 310 млн долларға жетті.",
        PUB,
        [
            dict(
                type=T,
                pair={"KZ", "TJ"},
                product="agri",
                period="2023-01/2023-12",
                value=310e6,
                change_pct=5.5,
            )
        ],
    ),
    (
        "2024 жылы Қазақстаннан Өзбекстанға ұн экспорты 53,2 мың тоннаны құрады.",
        PUB,
        [dict(type=T, flow="export", reporter="KZ", partner="UZ", product="flour", value=53200, unit="t")],
    ),
    (
        "Қазақстан мен Ресейдің тауар айналымы 2024 жылы шамамен 27 млрд долларды құрады.",
        PUB,
        [dict(type=T, pair={"KZ", "RU"}, value=27e9, approx=True)],
    ),
    # --- target ----------------------------------------------------------------------------------
    (
        "Қазақстан мен Тәжікстан үкіметтері алдына тауар айналымын 2 есеге – 2 млрд долларға дейін арттыру міндеті қойылды.",
        PUB,
        [dict(type="target", pair={"KZ", "TJ"}, value=2e9, unit="USD", factor=2)],
    ),
    (
        "Қазақстан мен Өзбекстан өзара тауар айналымын 2030 жылға дейін 10 млрд долларға жеткізуді көздейді.",
        PUB,
        [dict(type="target", pair={"KZ", "UZ"}, value=10e9)],
    ),
    (
        "Қазақстан мен Қырғызстан тауар айналымын 3 млрд долларға дейін ұлғайту мақсатын қойды.",
        PUB,
        [dict(type="target", pair={"KZ", "KG"}, value=3e9)],
    ),
    (
        "Қазақстан мен Өзбекстан тауар айналымын екі есеге арттыру міндетін қойды.",
        PUB,
        [dict(type="target", pair={"KZ", "UZ"}, value=None, factor=2)],
    ),
    # --- export offer ----------------------------------------------------------------------------
    (
        "Қазақстанның шамамен құны 190 млн доллар болатын 85 тауар позициясы бойынша Тәжікстанға экспортты арттыруға дайындығы атап өтілді.",
        PUB,
        [dict(type="export_offer", reporter="KZ", partner="TJ", positions=85, value=190e6, approx=True)],
    ),
    (
        "Қазақстан Қырғызстанға 175 тауар позициясы бойынша 203 млн доллардан астам сомаға экспортты ұлғайтуға дайын.",
        PUB,
        [dict(type="export_offer", reporter="KZ", partner="KG", positions=175, value=203e6, bound="gt")],
    ),
    # --- partner rank ----------------------------------------------------------------------------
    (
        "Қазақстан – Тәжікстанның төртінші ірі сауда серіктесі.",
        PUB,
        [dict(type="partner_rank", reporter="TJ", partner="KZ", rank=4)],
    ),
    (
        "Қазақстан Қырғызстанның екінші сауда серіктесі болып табылады.",
        PUB,
        [dict(type="partner_rank", reporter="KG", partner="KZ", rank=2)],
    ),
    (
        "Қытай – Қазақстанның ең ірі сауда серіктесі, екі ел арасындағы ынтымақтастық жыл сайын нығайып келеді.",
        PUB,
        [dict(type="partner_rank", reporter="KZ", partner="CN", rank=1)],
    ),
    ("Өзбекстан Қазақстанның ірі сауда серіктестерінің бірі.", PUB, []),
    # --- share -----------------------------------------------------------------------------------
    (
        "Қазақстан мен Қырғызстанның өзара саудасындағы АӨК үлесі шамамен 20 пайызды құрайды.",
        PUB,
        [dict(type="share", pair={"KZ", "KG"}, product="agri", pct=20, approx=True)],
    ),
    # --- not trade facts -------------------------------------------------------------------------
    ("Қазақстанның халқы 20 миллион адамнан асты.", PUB, []),
    ("Қазақстанның Тәжікстан экономикасына салған инвестициясы 500 млн долларды құрады.", PUB, []),
    ("2024 жылы республикалық бюджет 20 трлн теңгені құрады.", PUB, []),
    ("Қазақстанның ЖІӨ 2023 жылы 5,1 пайызға өсті.", PUB, []),
    ("Жобаның құны 300 млн доллар, оны Қазақстан мен Өзбекстан бірлесіп жүзеге асырады.", PUB, []),
    ("Екі ел арасындағы тауар айналымы туралы мәселе талқыланды.", PUB, []),
]

# The seeds' way of writing: Latin (2018 acute) with its Cyrillic twin.
LATIN_TWINS: list[tuple[str, str]] = [
    (
        "Qazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi.",
        "Қазақстан – Тәжікстанның төртінші ірі сауда серіктесі.",
    ),
    (
        "Osy jyldyń eki aıynda Qazaqstan men Tájikstannyń AО́K óniminiń taýar aınalymy 2023 jyldyń sáıkes "
        "kezeńimen salystyrǵanda 8,9%-ǵa artyp, $84,9 mln-dy qurady.",
        "Осы жылдың екі айында Қазақстан мен Тәжікстанның АӨК өнімінің тауар айналымы 2023 жылдың сәйкес "
        "кезеңімен салыстырғанда 8,9%-ға артып, $84,9 млн-ды құрады.",
    ),
    (
        "Qazaqstan men Tájikstan úkimetteri taýar aınalymyn 2 esege – $2 mlrd-qa deıin arttyrý mindetin qoıdy.",
        "Қазақстан мен Тәжікстан үкіметтері тауар айналымын 2 есеге – $2 млрд-қа дейін арттыру міндетін қойды.",
    ),
    (
        "Qazaqstannyń shamamen quny $190 mln bolatyn 85 taýar pozısııasy boıynsha Tájikstanǵa eksportty arttyrýǵa daıyndyǵy atap ótildi.",
        "Қазақстанның шамамен құны $190 млн болатын 85 тауар позициясы бойынша Тәжікстанға экспортты арттыруға дайындығы атап өтілді.",
    ),
    (
        "Byltyr Qazaqstannan Qyrǵyzstanǵa astyq eksporty 40,4 myń tonnany qurady.",
        "Былтыр Қазақстаннан Қырғызстанға астық экспорты 40,4 мың тоннаны құрады.",
    ),
]


def comparable(facts: list[dict]) -> list[dict]:
    drop = {"quote", "start", "end", "confidence"}
    return sorted(({k: v for k, v in f.items() if k not in drop} for f in facts), key=repr)


@pytest.mark.parametrize("text,published,expected", CASES, ids=[c[0][:50] for c in CASES])
def test_extract_kk_cyrillic_phrasing(text: str, published: str | None, expected: list[dict]) -> None:
    check(text, published, expected, lang="kk")


@pytest.mark.parametrize("alphabet", ["2018", "2021", "2017"])
@pytest.mark.parametrize("text,published,expected", CASES, ids=[c[0][:50] for c in CASES])
def test_extract_kk_latin_rendering_gives_same_facts(
    alphabet: str, text: str, published: str | None, expected: list[dict]
) -> None:
    latin = cyrillic_to_latin(text, alphabet)
    assert latin != text
    got = check(latin, published, expected)
    assert comparable(got) == comparable(numeric_facts(text, published))


@pytest.mark.parametrize("latin,cyrillic", LATIN_TWINS, ids=[t[0][:50] for t in LATIN_TWINS])
def test_extract_kk_latin_and_cyrillic_twins_agree(latin: str, cyrillic: str) -> None:
    got_lat = numeric_facts(latin, None)
    got_cyr = numeric_facts(cyrillic, None)
    assert got_lat, "no fact from the Latin rendering"
    assert comparable(got_lat) == comparable(got_cyr)
    for f in got_lat:
        assert latin[f["start"] : f["end"]] == f["quote"]


def test_extract_kk_phrasings_table_is_large() -> None:
    assert len(CASES) + len(LATIN_TWINS) >= 40
