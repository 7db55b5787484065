""" "The head of state" with no head named before it stands for the head of state of the country the site
speaks from (annotate/site.py, data/sites.toml): a president's own press service writes "Глава государства"
/ "Мемлекет басшысы" for its president, and the meeting and agreement of the text then have both sides."""

from __future__ import annotations

import pytest

from karavan.annotate.site import host_country, site_country
from karavan.doc import Doc
from karavan.pipeline import process


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("https://www.akorda.kz/ru/news/1", "KZ"),
        ("akorda.kz", "KZ"),
        ("http://president.uz:8080/uz/lists/view/1", "UZ"),
        ("https://uz.sputniknews.ru/20250310/x.html", "UZ"),
        ("kz.example.media", "KZ"),
        ("en.trend.az", "AZ"),
        ("md.sputniknews.ru", "MD"),  # an edition's label that is no top-level domain of ours
        ("ru.sputnik.md", None),  # ".md" is not read as a country: many sites that are not Moldovan use it
        ("https://timesca.com/news", None),
        ("localhost", None),
        ("", None),
    ],
)
def test_annotate_site_country_of_an_address(address: str, country: str | None) -> None:
    assert host_country(address) == country


def test_annotate_site_country_url_first_then_source() -> None:
    assert site_country(Doc(id="d", text="", url="https://president.tj/x", source="kremlin.ru")) == "TJ"
    assert site_country(Doc(id="d", text="", url="https://example.org/x", source="kremlin.ru")) == "RU"
    assert site_country(Doc(id="d", text="", source="a site")) is None


CASES = [
    # (site, text, meeting countries, agreement parties); our own phrasings
    (
        "president.uz",
        "Глава государства провёл встречу с Президентом Кыргызстана. Подписано соглашение о сотрудничестве "
        "в области транспорта.",
        ["KG", "UZ"],
        ["KG", "UZ"],
    ),
    (
        "akorda.kz",
        "Мемлекет басшысы Тәжікстан Президентімен келіссөз жүргізді. Энергетика саласындағы ынтымақтастық "
        "туралы меморандумға қол қойылды.",
        ["KZ", "TJ"],
        ["KZ", "TJ"],
    ),
    (
        "akorda.kz",
        "Memleket basshysy Tájikstan Prezıdentimen kelissóz júrgizdi. Energetıka salasyndaǵy yntymaqtastyq "
        "týraly memorandýmǵa qol qoıyldy.",
        ["KZ", "TJ"],
        ["KZ", "TJ"],
    ),
    (
        "kremlin.ru",
        "Глава государства провёл переговоры с Президентом Казахстана в Кремле. Подписан меморандум о "
        "сотрудничестве в сфере энергетики.",
        ["KZ", "RU"],
        ["KZ", "RU"],
    ),
]


def _events(site: str, text: str) -> tuple[list[list[str]], list[list[str]]]:
    doc = process(Doc(id="t", text=text, published="2025-03-10", source=site, url=f"https://{site}/news/1"))
    meetings = [f.fields.get("countries") for f in doc.facts if f.type == "meeting"]
    agreements = [f.fields.get("parties") for f in doc.facts if f.type == "agreement"]
    return meetings, agreements


@pytest.mark.parametrize(("site", "text", "meeting", "parties"), CASES)
def test_annotate_site_head_of_state_gives_both_sides(
    site: str, text: str, meeting: list[str], parties: list[str]
) -> None:
    assert _events(site, text) == ([meeting], [parties])


def test_annotate_site_head_of_state_named_before_comes_first() -> None:
    """A head of state the text names before "глава государства" is the one it stands for, whatever the site."""
    text = (
        "Президент Узбекистана Шавкат Мирзиёев прибыл в Бишкек. Глава государства провёл переговоры с "
        "Президентом Кыргызстана. Подписано соглашение о сотрудничестве в области транспорта."
    )
    doc = process(Doc(id="t", text=text, published="2025-03-10", source="akorda.kz"))
    heads = [m for m in doc.mentions if m.kind == "person" and text[m.start : m.end].startswith("Глава")]
    assert [(m.value, m.attrs["country"]) for m in heads] == [("Shavkat Mirziyoyev", "UZ")]


def test_annotate_site_head_of_state_without_a_site_country_stays_unknown() -> None:
    text = "Глава государства провёл встречу с Президентом Кыргызстана. Подписано соглашение о транспорте."
    doc = process(Doc(id="t", text=text, published="2025-03-10", source="example.com"))
    heads = [m for m in doc.mentions if m.kind == "person" and text[m.start : m.end].startswith("Глава")]
    assert heads == []
