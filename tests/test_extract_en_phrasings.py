"""English phrasings of the five numeric fact types, written in the style of the press.

Each row: a short text, its publication date, and the numeric facts expected (only the fields
named are compared; every numeric fact produced must be expected, so non-facts are rows with an
empty list). English numbers: decimal point, comma thousands.
"""

from __future__ import annotations

import pytest

from tests.phrasing import check

PUB = "2024-10-15"
T = "trade"

CASES: list[tuple[str, str | None, list[dict]]] = [
    # --- trade: values, periods, changes ---------------------------------------------------------
    (
        "Trade turnover between Kazakhstan and Uzbekistan reached $3.2bn in January–September 2024, up 15% year on year.",
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
                change_pct=15,
            )
        ],
    ),
    (
        "Bilateral trade turnover between Kazakhstan and Tajikistan amounted to $1.4 billion last year.",
        PUB,
        [dict(type=T, pair={"KZ", "TJ"}, period="2023-01/2023-12", value=1.4e9)],
    ),
    (
        "In 2023, trade between Kyrgyzstan and Tajikistan fell 12.4% to $85 million.",
        PUB,
        [dict(type=T, pair={"KG", "TJ"}, period="2023-01/2023-12", value=85e6, change_pct=-12.4)],
    ),
    (
        "Trade between the two countries grew by 8.9% to USD 850 million in the first half of 2024, Kazakhstan and Kyrgyzstan said.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2024-01/2024-06", value=850e6, change_pct=8.9)],
    ),
    (
        "Mutual trade between Kazakhstan and China exceeded $41 billion in 2023.",
        PUB,
        [dict(type=T, pair={"KZ", "CN"}, period="2023-01/2023-12", value=41e9, bound="gt")],
    ),
    (
        "Kazakhstan's trade with Russia totalled nearly $28 billion last year.",
        PUB,
        [dict(type=T, pair={"KZ", "RU"}, period="2023-01/2023-12", value=28e9, approx=True, bound="lt")],
    ),
    (
        "Trade between Kazakhstan and Azerbaijan stood at about $410 million in the first nine months of 2024.",
        PUB,
        [dict(type=T, pair={"KZ", "AZ"}, period="2024-01/2024-09", value=410e6, approx=True)],
    ),
    (
        "Turnover between Uzbekistan and Turkmenistan was around $1.2bn in the first quarter of 2024.",
        PUB,
        [dict(type=T, pair={"UZ", "TM"}, period="2024-01/2024-03", value=1.2e9, approx=True)],
    ),
    (
        "Trade between Kazakhstan and Kyrgyzstan reached KZT 120 billion in 2022.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2022-01/2022-12", value=120e9, unit="KZT")],
    ),
    (
        "Trade between Kazakhstan and Uzbekistan doubled to $4 billion in 2022.",
        PUB,
        [dict(type=T, pair={"KZ", "UZ"}, value=4e9, change_factor=2)],
    ),
    (
        "In January-November 2024, trade turnover between Kazakhstan and Kyrgyzstan rose to more than $1.6 billion.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, period="2024-01/2024-11", value=1.6e9, bound="gt")],
    ),
    (
        "Trade between Tajikistan and Uzbekistan increased 1.5 times to $500 million in 2023.",
        PUB,
        [dict(type=T, pair={"TJ", "UZ"}, value=500e6, change_factor=1.5)],
    ),
    (
        "This year trade between Kazakhstan and Turkmenistan has grown by 20% compared with 2023.",
        PUB,
        # a year not over: FACTS.md gives a year-to-date figure with no end month no period
        [dict(type=T, pair={"KZ", "TM"}, period=None, value=None, change_pct=20)],
    ),
    # --- trade: export, import, products ---------------------------------------------------------
    (
        "Exports from Kazakhstan to Tajikistan rose 10% to $900 million in 2023.",
        PUB,
        [
            dict(
                type=T,
                flow="export",
                reporter="KZ",
                partner="TJ",
                period="2023-01/2023-12",
                value=900e6,
                change_pct=10,
            )
        ],
    ),
    (
        "In 2024, Kazakhstan's wheat exports to Uzbekistan reached 1,400,000 tonnes.",
        PUB,
        [dict(type=T, flow="export", reporter="KZ", partner="UZ", product="wheat", value=1.4e6, unit="t")],
    ),
    (
        "Kazakhstan exported 40,400 tonnes of grain to Kyrgyzstan in January–November 2024.",
        PUB,
        [
            dict(
                type=T,
                flow="export",
                reporter="KZ",
                partner="KG",
                period="2024-01/2024-11",
                value=40400,
                unit="t",
            )
        ],
    ),
    (
        "Imports from China to Kyrgyzstan amounted to $2.5 billion in 2023.",
        PUB,
        [dict(type=T, flow="import", reporter="KG", partner="CN", value=2.5e9)],
    ),
    (
        "Agricultural trade between Kazakhstan and Tajikistan reached $84.9 million in the first two months of 2024.",
        PUB,
        [dict(type=T, pair={"KZ", "TJ"}, product="agri", period="2024-01/2024-02", value=84.9e6)],
    ),
    (
        "Trade in industrial goods between Kazakhstan and Kyrgyzstan amounted to $985.5 million in 2024.",
        PUB,
        [dict(type=T, pair={"KZ", "KG"}, product="industrial", value=985.5e6)],
    ),
    (
        "Kazakhstan's electricity exports to Kyrgyzstan were worth $120 million last year.",
        PUB,
        [dict(type=T, flow="export", reporter="KZ", partner="KG", product="electricity", value=120e6)],
    ),
    # --- target ----------------------------------------------------------------------------------
    (
        "Kazakhstan and Uzbekistan agreed to increase trade to $10 billion by 2030.",
        PUB,
        [dict(type="target", pair={"KZ", "UZ"}, value=10e9, by="2030")],
    ),
    (
        "The leaders of Kazakhstan and Tajikistan set the goal to double trade turnover to $2 billion.",
        PUB,
        [dict(type="target", pair={"KZ", "TJ"}, value=2e9, factor=2)],
    ),
    (
        "Kyrgyzstan and Kazakhstan plan to bring bilateral trade to $3 billion.",
        PUB,
        [dict(type="target", pair={"KG", "KZ"}, value=3e9)],
    ),
    # --- export offer ----------------------------------------------------------------------------
    (
        "Kazakhstan offered to export 120 items worth $300 million to Tajikistan.",
        PUB,
        [dict(type="export_offer", reporter="KZ", partner="TJ", positions=120, value=300e6)],
    ),
    (
        "Kazakhstan is ready to increase exports to Kyrgyzstan of 175 product items worth more than $203 million.",
        PUB,
        [dict(type="export_offer", reporter="KZ", partner="KG", positions=175, value=203e6, bound="gt")],
    ),
    # --- partner rank ----------------------------------------------------------------------------
    (
        "Kazakhstan is the fourth-largest trading partner of Tajikistan.",
        PUB,
        [dict(type="partner_rank", reporter="TJ", partner="KZ", rank=4)],
    ),
    (
        "Kazakhstan is Tajikistan's second largest trading partner.",
        PUB,
        [dict(type="partner_rank", reporter="TJ", partner="KZ", rank=2)],
    ),
    (
        "China is Kazakhstan's largest trading partner.",
        PUB,
        [dict(type="partner_rank", reporter="KZ", partner="CN", rank=1)],
    ),
    (
        # "n's" once read as the 2017 Kazakh apostrophe letter: the sentence was taken for Kazakh
        "China remains Kazakhstan's largest trading partner.",
        PUB,
        [dict(type="partner_rank", reporter="KZ", partner="CN", rank=1)],
    ),
    (
        "Kazakhstan is Uzbekistan's 4th largest trading partner.",
        PUB,
        [dict(type="partner_rank", reporter="UZ", partner="KZ", rank=4)],
    ),
    ("Uzbekistan is one of Kazakhstan's largest trading partners.", PUB, []),
    # --- share -----------------------------------------------------------------------------------
    (
        "Agricultural products account for about 20% of mutual trade between Kazakhstan and Kyrgyzstan.",
        PUB,
        [dict(type="share", pair={"KZ", "KG"}, product="agri", pct=20, approx=True)],
    ),
    # --- not trade facts -------------------------------------------------------------------------
    ("Kazakhstan's population exceeded 20 million people in 2024.", PUB, []),
    ("Kazakhstan's investment in Tajikistan's economy reached $500 million.", PUB, []),
    ("The 2024 budget of Kazakhstan amounts to KZT 20 trillion.", PUB, []),
    ("Kazakhstan's GDP grew 5.1% in 2023.", PUB, []),
    ("The project, worth $300 million, will be implemented by Kazakhstan and Uzbekistan.", PUB, []),
    ("The ministers discussed trade and transit between the two countries.", PUB, []),
]


@pytest.mark.parametrize("text,published,expected", CASES, ids=[c[0][:50] for c in CASES])
def test_extract_en_phrasing(text: str, published: str | None, expected: list[dict]) -> None:
    check(text, published, expected, lang="en")


def test_extract_en_phrasings_table_is_large() -> None:
    assert len(CASES) >= 30
