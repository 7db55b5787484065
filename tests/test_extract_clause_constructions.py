"""Real-press constructions the clause layer reads, in our own words (ru, kk, en).

Each row: a short text, its publication date, and the numeric facts expected (only the fields named are
compared; every numeric fact produced must be expected, so non-facts are rows with an empty list). Rows are
grouped by what they check: a one-country or bloc total beside a pair, list items, comparison bases and
from-to pairs, restated headlines, the non-fact kinds, periods, ranks.
"""

from __future__ import annotations

import pytest

from tests.phrasing import check

PUB = "2024-10-15"
T = "trade"

# fmt: off
TOTALS: list[tuple[str, str | None, list[dict]]] = [
    # a country's own total, a world total: no mutual trade, even beside a pair
    ("Внешнеторговый оборот Узбекистана за январь–июнь 2024 года составил 30 млрд долларов.", PUB, []),
    ("Общий объем экспорта пшеницы из Казахстана во все страны составил 5 млн тонн.", PUB, []),
    ("Tajikistan's foreign trade turnover reached $4 billion in 2023.", PUB, []),
    ("Экспорт Кыргызстана в 2023 году вырос на 10% и составил 3 млрд долларов.", PUB, []),
    ("Товарооборот между Казахстаном и Таджикистаном в 2023 году вырос на 5%. "
     "При этом весь экспорт Казахстана за рубеж составил 78 млрд долларов.",
     PUB, [dict(type=T, flow="turnover", pair={"KZ", "TJ"}, value=None, change_pct=5)]),
    ("In 2023 the total volume of Kyrgyzstan's exports reached $3.3 billion. Exports fell by 4 percent.", PUB, []),
    ("Қазақстанның сыртқы сауда айналымы 2023 жылы 140 млрд долларды құрады.", PUB, []),
    # a change joined to a total is still about that total
    ("По данным статистики, в январе–июне 2024 года внешнеторговый оборот Кыргызстана составил 7 млрд долларов и увеличился на 4%.", PUB, []),
    # a total word with no country of its own after a pair's figure: an exporter's total, its partner unsaid
    ("В 2023 году Казахстан поставил в Афганистан 900 тыс. тонн муки (при общем объеме экспорта муки 2 млн тонн).",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="AF", product="flour", value=9e5)]),
    # ... but "the total volume of trade" right after a pair's export is that pair's turnover
    ("Tajikistan exported goods worth $50 million to Afghanistan in the first half of 2024. The total volume of trade amounted to $53 million.",
     PUB, [dict(type=T, flow="export", reporter="TJ", partner="AF", value=50e6, period="2024-01/2024-06"),
           dict(type=T, flow="turnover", pair={"TJ", "AF"}, value=53e6, period="2024-01/2024-06")]),
    # a sentence about two other countries, with no flow word, is not the trade before it
    ("Kazakhstan's exports of flour to Afghanistan reached $300 million in 2023. The United States froze $7 billion of Afghanistan's reserves.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="AF", value=300e6, period="2023-01/2023-12")]),
    # oblasts listed, then "their" trade with a partner: the oblasts' total, no fact; a region's name
    # standing without its noun («Западно-Казахстанская и Восточно-Казахстанская области») is a region
    ("В первую тройку областей вошли Атырауская, Западно-Казахстанская и Восточно-Казахстанская области, их товарооборот с Китаем составил 3,2 млрд долларов.",
     PUB, []),
    # ... nor the total of one country before it
    ("Өткен жылы Қазақстаннан 800 мың тонна ұн экспортталды. АҚШ Ауғанстанның Америкадағы 7 млрд долларын бұғаттады.",
     PUB, []),
    # one country named alone takes the pair the text speaks of only where it is that pair's side
    ("Казахстан и Афганистан обсудили торговлю. В прошлом году экспорт Казахстана составил 900 млн долларов.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="AF", value=900e6, period="2023-01/2023-12")]),
]

LISTS: list[tuple[str, str | None, list[dict]]] = [
    ("В 2023 году Казахстан экспортировал пшеницу в Узбекистан – 2,1 млн тонн, в Таджикистан – 900 тыс. тонн и в Афганистан – 500 тыс. тонн.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="UZ", product="wheat", value=2.1e6, period="2023-01/2023-12"),
           dict(type=T, flow="export", reporter="KZ", partner="TJ", product="wheat", value=9e5, period="2023-01/2023-12"),
           dict(type=T, flow="export", reporter="KZ", partner="AF", product="wheat", value=5e5, period="2023-01/2023-12")]),
    ("Uzbekistan's main trading partners in 2023 were China ($13.7 billion), Russia ($9.8 billion) and Kazakhstan ($4.4 billion).",
     PUB, [dict(type=T, flow="turnover", pair={"UZ", "CN"}, value=13.7e9, period="2023-01/2023-12"),
           dict(type=T, flow="turnover", pair={"UZ", "RU"}, value=9.8e9, period="2023-01/2023-12"),
           dict(type=T, flow="turnover", pair={"UZ", "KZ"}, value=4.4e9, period="2023-01/2023-12")]),
    ("2023 жылы Қазақстан Өзбекстанға 1,2 млн тонна, Тәжікстанға 800 мың тонна бидай экспорттады.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="UZ", product="wheat", value=1.2e6),
           dict(type=T, flow="export", reporter="KZ", partner="TJ", product="wheat", value=8e5)]),
    ("В 2022 году Казахстан поставил в Таджикистан 700 тыс. тонн муки и 300 тыс. тонн зерна.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="TJ", product="flour", value=7e5),
           dict(type=T, flow="export", reporter="KZ", partner="TJ", product="grain", value=3e5)]),
    ("Kazakhstan's exports to Kyrgyzstan amounted to $1.4 billion, while imports were $600 million.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="KG", value=1.4e9),
           dict(type=T, flow="import", reporter="KZ", partner="KG", value=6e8)]),
    # "respectively": the figures take the names before them in turn, or those of "these countries"
    ("In 2023 Kazakhstan's exports to Uzbekistan and Tajikistan reached $4 billion and $1 billion respectively.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="UZ", value=4e9, period="2023-01/2023-12"),
           dict(type=T, flow="export", reporter="KZ", partner="TJ", value=1e9, period="2023-01/2023-12")]),
    ("Биыл Қазақстан Иран мен Түркия нарығына ұн жеткізе бастады. "
     "Бұл елдерге тиісінше 120 мың тонна (өсім 3 есе) және 80 мың тонна (өсім 2 есе) ұн экспортталды.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="IR", product="flour", value=1.2e5, change_factor=3),
           dict(type=T, flow="export", reporter="KZ", partner="TR", product="flour", value=8e4, change_factor=2)]),
    # "these countries" without "respectively": their sum, no one pair's
    ("Казахстан наращивает поставки муки в Узбекистан и Таджикистан. В эти страны в 2023 году было экспортировано 1,5 млн тонн муки.",
     PUB, []),
    # a member named beside its figure in a bloc's bracket; tonnes are of the commodity the text speaks of
    ("За сезон экспорт пшеницы из Казахстана вырос до 9 млн тонн. Основные покупатели – страны Центральной Азии "
     "(Узбекистан – 3 млн тонн, Таджикистан – 1 млн тонн).",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="UZ", product="wheat", value=3e6),
           dict(type=T, flow="export", reporter="KZ", partner="TJ", product="wheat", value=1e6)]),
    # a bare number after items with a scale and a currency is in that scale and currency
    ("В 2023 году основными поставщиками Кыргызстана были Китай – 1,5 млрд долларов, Россия – 900,2 млн долларов, Казахстан – 350,5.",
     PUB, [dict(type=T, flow="import", reporter="KG", partner="CN", value=1.5e9, period="2023-01/2023-12"),
           dict(type=T, flow="import", reporter="KG", partner="RU", value=900.2e6, period="2023-01/2023-12"),
           dict(type=T, flow="import", reporter="KG", partner="KZ", value=350.5e6, unit="USD", period="2023-01/2023-12")]),
    # the same item in money and in tonnes
    ("Бұл кезеңде Қазақстан Қырғызстанға 40 млн долларға 180 мың тонна ұн экспорттады.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="KG", product="flour", value=40e6, unit="USD"),
           dict(type=T, flow="export", reporter="KZ", partner="KG", product="flour", value=1.8e5, unit="t")]),
]

BASES: list[tuple[str, str | None, list[dict]]] = [
    ("Trade between Kazakhstan and Azerbaijan reached $500 million in 2023, up 8% compared to $463 million in 2022.",
     PUB, [dict(type=T, pair={"KZ", "AZ"}, value=500e6, period="2023-01/2023-12", change_pct=8),
           dict(type=T, pair={"KZ", "AZ"}, value=463e6, period="2022-01/2022-12", change_pct=None)]),
    ("Экспорт из Казахстана в Кыргызстан за 9 месяцев 2024 года составил 1,1 млрд долларов по сравнению с 950 млн долларов за аналогичный период 2023 года.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="KG", value=1.1e9, period="2024-01/2024-09"),
           dict(type=T, flow="export", reporter="KZ", partner="KG", value=950e6, period="2023-01/2023-09")]),
    ("Over the past decade trade between Turkmenistan and Iran has grown from $1.2 billion in 2013 to $2.5 billion in 2023.",
     PUB, [dict(type=T, pair={"TM", "IR"}, value=1.2e9, period="2013-01/2013-12"),
           dict(type=T, pair={"TM", "IR"}, value=2.5e9, period="2023-01/2023-12")]),
    # a change joined by "and" completes the figure before it; its bracketed base takes the base's months
    ("Trade between Kyrgyzstan and Kazakhstan reached $1.2 billion in January-September 2024 and grew by 9 percent compared to the corresponding period of 2023 ($1.1 billion).",
     PUB, [dict(type=T, pair={"KG", "KZ"}, value=1.2e9, period="2024-01/2024-09", change_pct=9),
           dict(type=T, pair={"KG", "KZ"}, value=1.1e9, period="2023-01/2023-09", change_pct=None)]),
    ("Экспорт Казахстана в Кыргызстан за январь–сентябрь 2024 года достиг 1,2 млрд долларов и вырос на 9% по сравнению с аналогичным периодом 2023 года (1,1 млрд долларов).",
     None, [dict(type=T, flow="export", reporter="KZ", partner="KG", value=1.2e9, period="2024-01/2024-09", change_pct=9),
            dict(type=T, flow="export", reporter="KZ", partner="KG", value=1.1e9, period="2023-01/2023-09")]),
    # a dated bracket right after a change is the figure it is measured from
    ("Kazakhstan's exports to Afghanistan fell to $210 million in 9M2024, a decline of 12 percent ($238 million in 9M2023).",
     None, [dict(type=T, flow="export", reporter="KZ", partner="AF", value=210e6, period="2024-01/2024-09", change_pct=-12),
            dict(type=T, flow="export", reporter="KZ", partner="AF", value=238e6, period="2023-01/2023-09")]),
    # "the same period of 2023, when imports were ...": the 'when' clause is the base, in the months the text reports
    ("Uzbekistan's exports to Tajikistan totaled $400 million in the first half of 2024. "
     "Uzbekistan's imports from Tajikistan amounted to $90 million, a 5 percent decrease compared to the same period of 2023, when imports were $95 million.",
     None, [dict(type=T, flow="export", reporter="UZ", partner="TJ", value=400e6, period="2024-01/2024-06"),
            dict(type=T, flow="import", reporter="UZ", partner="TJ", value=90e6, period="2024-01/2024-06", change_pct=-5),
            dict(type=T, flow="import", reporter="UZ", partner="TJ", value=95e6, period="2023-01/2023-06")]),
    # growth over several years: a fact of its own, with no value and no period
    ("За последние пять лет товарооборот между Казахстаном и Туркменистаном вырос в три раза.",
     PUB, [dict(type=T, pair={"KZ", "TM"}, value=None, change_factor=3, period=None)]),
]

# a change after a comma is the figure's own change; a difference stands right after its figure
DIFFERENCES: list[tuple[str, str | None, list[dict]]] = [
    ("In 2021, trade turnover between Uzbekistan and Kazakhstan reached $4.1 billion, up 23.5% year on year.",
     PUB, [dict(type=T, flow="turnover", pair={"UZ", "KZ"}, value=4.1e9, period="2021-01/2021-12", change_pct=23.5)]),
    ("Kyrgyzstan's exports to Uzbekistan totalled $280 million in 2023, down 6% from 2022.",
     PUB, [dict(type=T, flow="export", reporter="KG", partner="UZ", value=280e6, period="2023-01/2023-12", change_pct=-6)]),
    ("В 2023 году товарооборот Казахстана с Турцией составил 6,4 млрд долларов, больше на 3%, чем годом ранее.",
     PUB, [dict(type=T, flow="turnover", pair={"KZ", "TR"}, value=6.4e9, period="2023-01/2023-12", change_pct=3)]),
    ("В 2023 году экспорт Казахстана в Турцию был на 450 млн долларов больше, чем годом ранее.", PUB, []),
    ("Kazakhstan exported $450 million more to Turkey in 2023 than in 2022.", PUB, []),
]

RESTATED: list[tuple[str, str | None, list[dict]]] = [
    ("Товарооборот Казахстана и Узбекистана достиг 4,4 млрд долларов\n\n"
     "По итогам 2023 года товарооборот между Казахстаном и Узбекистаном вырос на 20% и достиг 4,4 млрд долларов.",
     PUB, [dict(type=T, pair={"KZ", "UZ"}, value=4.4e9, period="2023-01/2023-12", change_pct=20)]),
    ("Kazakhstan and Kyrgyzstan aim for $3 billion in trade\n\n"
     "The two presidents agreed to increase trade between Kazakhstan and Kyrgyzstan to $3 billion.",
     PUB, [dict(type="target", pair={"KZ", "KG"}, value=3e9)]),
]

NON_FACTS: list[tuple[str, str | None, list[dict]]] = [
    # absolute changes
    ("Товарооборот между Казахстаном и Кыргызстаном за год увеличился на 150 млн долларов.", PUB, []),
    ("In 2023 trade between Kazakhstan and China rose to $31.5 billion (+$2.8 billion).",
     PUB, [dict(type=T, pair={"KZ", "CN"}, value=31.5e9, period="2023-01/2023-12")]),
    ("Қазақстанның Өзбекстанға ұн экспорты 50 мың тоннаға қысқарды.", PUB, []),
    # balances, prices, forecasts by observers, a rank among one product's buyers
    ("Сальдо торговли Казахстана с Кыргызстаном составило 1,2 млрд долларов.", PUB, []),
    ("Средняя цена пшеницы, поставленной из Казахстана в Узбекистан, составила 250 долларов за тонну.", PUB, []),
    ("Аналитики ожидают, что товарооборот между Казахстаном и Китаем достигнет 50 млрд долларов.", PUB, []),
    ("Economists expect trade between Uzbekistan and Russia to reach $12 billion next year.", PUB, []),
    ("Афганистан остается крупнейшим покупателем казахстанской муки.", PUB, []),
    ("Казахстан входит в пятерку крупнейших торговых партнеров Узбекистана.", PUB, []),
    ("Kazakhstan is one of the largest trading partners of Tajikistan.", PUB, []),
    # a bracketed conversion into another currency is the same figure, not a second fact
    ("Экспорт Казахстана в Узбекистан в 2023 году составил 1,5 трлн тенге (3,3 млрд долларов).",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="UZ", value=1.5e12, unit="KZT")]),
    # deals and investments signed beside a pair
    ("На бизнес-форуме Казахстан и Турция подписали контракты на 800 млн долларов.", PUB, []),
]

PERIODS: list[tuple[str, str | None, list[dict]]] = [
    # present tense, a year not over: no period
    ("Стороны обсудили торговлю Казахстана и Туркменистана. В настоящее время товарооборот между странами составляет 800 млн долларов.",
     PUB, [dict(type=T, pair={"KZ", "TM"}, value=800e6, period=None)]),
    # the comparison year is never the fact's
    ("Товарооборот между Казахстаном и Грузией вырос на 12% по сравнению с 2022 годом.",
     PUB, [dict(type=T, pair={"KZ", "GE"}, value=None, change_pct=12, period=None)]),
    ("Экспорт из Узбекистана в Казахстан в первом полугодии 2024 года вырос на 15% к аналогичному периоду 2023 года.",
     PUB, [dict(type=T, flow="export", reporter="UZ", partner="KZ", change_pct=15, period="2024-01/2024-06")]),
    # "from" opening a month range is no comparison ("up from $100 million" is)
    ("Exports from Kazakhstan to Georgia reached $120 million from January through May 2024, up from $100 million.",
     PUB, [dict(type=T, flow="export", reporter="KZ", partner="GE", value=120e6, period="2024-01/2024-05"),
           dict(type=T, flow="export", reporter="KZ", partner="GE", value=100e6, period=None)]),
    ("Товарооборот между Казахстаном и Грузией с января по май 2024 года составил 120 млн долларов.",
     None, [dict(type=T, pair={"KZ", "GE"}, value=120e6, period="2024-01/2024-05")]),
    # a period the text states but cannot resolve (no date) is not replaced by an older one it stated before
    ("Trade between Kazakhstan and Mongolia peaked in 2019 at $1 billion. "
     "In January-June of this year trade between the two countries grew by 20 percent to $80 million. "
     "Kazakhstan's exports to Mongolia made up $60 million.",
     None, [dict(type=T, pair={"KZ", "MN"}, value=1e9, period="2019-01/2019-12"),
            dict(type=T, pair={"KZ", "MN"}, value=80e6, period=None, change_pct=20),
            dict(type=T, flow="export", reporter="KZ", partner="MN", value=60e6, period=None)]),
    # a period stated in an apposition to a name stays there; the name's predicate is of the text's period
    ("In the first quarter of 2024 Kyrgyzstan's trade with China reached $3 billion. "
     "Russia, Kyrgyzstan's main partner in 2023 ($4 billion), came second at $1.1 billion, followed by Kazakhstan at $0.5 billion.",
     None, [dict(type=T, pair={"KG", "CN"}, value=3e9, period="2024-01/2024-03"),
            dict(type=T, pair={"KG", "RU"}, value=4e9, period="2023-01/2023-12"),
            dict(type=T, pair={"KG", "RU"}, value=1.1e9, period="2024-01/2024-03"),
            dict(type=T, pair={"KG", "KZ"}, value=0.5e9, period="2024-01/2024-03"),
            dict(type="partner_rank", reporter="KG", partner="RU", rank=2)]),
]

RANKS: list[tuple[str, str | None, list[dict]]] = [
    ("Казахстан стал одним из крупнейших торговых партнеров Узбекистана после Китая и России.",
     PUB, [dict(type="partner_rank", reporter="UZ", partner="KZ", rank=3)]),
    ("Первую строчку среди торговых партнеров Кыргызстана занимает Китай.",
     PUB, [dict(type="partner_rank", reporter="KG", partner="CN", rank=1)]),
    ("Russia comes in second among Kazakhstan's trading partners.",
     PUB, [dict(type="partner_rank", reporter="KZ", partner="RU", rank=2)]),
    ("Қытай Қазақстанның жетекші сауда серіктесі болып қала береді.",
     PUB, [dict(type="partner_rank", reporter="KZ", partner="CN", rank=1)]),
    # a verb of placing before an ordinal states a place; without an ordinal it is no rank
    ("Among Tajikistan's trading partners Russia ranked third after China and Kazakhstan.",
     PUB, [dict(type="partner_rank", reporter="TJ", partner="RU", rank=3)]),
    ("Trade between Tajikistan and Russia came to $1.6 billion last year.",
     PUB, [dict(type=T, pair={"TJ", "RU"}, value=1.6e9, period="2023-01/2023-12")]),
]
# fmt: on

CASES = TOTALS + LISTS + BASES + DIFFERENCES + RESTATED + NON_FACTS + PERIODS + RANKS


@pytest.mark.parametrize("text,published,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_extract_clause_construction(text: str, published: str | None, expected: list[dict]) -> None:
    check(text, published, expected)


def test_extract_restated_headline_keeps_its_span_as_a_mention() -> None:
    text, published, _ = RESTATED[0]
    (fact,) = check(text, published, RESTATED[0][2])
    assert fact["mentions"] == [{"start": 0, "end": text.index("\n") if "\n" in text else len(text)}]
