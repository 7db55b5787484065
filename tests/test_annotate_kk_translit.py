"""Kazakh Latin -> Cyrillic transliteration: the three alphabets, kept names, exact offsets."""

from __future__ import annotations

import pytest

from karavan.annotate.translit import URL, _urls, cyrillic_to_latin, detect_alphabet, latin_to_cyrillic
from karavan.doc import Doc
from karavan.pipeline import process

WORDS = [
    (
        "Qazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi",
        "2018",
        "Қазақстан – Тәжікстанның төртінші ірі сауда серіктесі",
    ),
    (
        "taýar aınalymyn 2 esege – $2 mlrd-qa deıin arttyrý",
        "2018",
        "тауар айналымын 2 есеге – $2 млрд-қа дейін арттыру",
    ),
    (
        "Osy jyldyń eki aıynda 8,9%-ǵa artyp, $84,9 mln-dy qurady",
        "2018",
        "Осы жылдың екі айында 8,9%-ға артып, $84,9 млн-ды құрады",
    ),
    ("saıası, Qunanbaıuly, pozısııasy, Dýshanbe", "2018", "саяси, Құнанбайұлы, позисиясы, Душанбе"),
    ("AÓK óniminiń eksporty", "2018", "АӨК өнімінің експорты"),
    (
        "Qazaqstan men Täjıkstan arasyndağy tauar ainalymy",
        "2021",
        "Қазақстан мен Тәжікстан арасындағы тауар айналымы",
    ),
    (
        "Qazaqstan men Ta'jikstan arasyndag'y tay'ar ai'nalymy",
        "2017",
        "Қазақстан мен Тәжікстан арасындағы тауар айналымы",
    ),
]


@pytest.mark.parametrize("latin,alphabet,cyrillic", WORDS)
def test_annotate_kk_translit_reads_latin_as_cyrillic(latin: str, alphabet: str, cyrillic: str) -> None:
    assert detect_alphabet(latin) == alphabet or alphabet == "2018"
    assert latin_to_cyrillic(latin, alphabet).text == cyrillic


@pytest.mark.parametrize(
    "kept", ["eGOV", "IT", "IRBP", "USD", "«Smart Bridge»", "akorda.kz", "https://gov.kz/ru/news"]
)
def test_annotate_kk_translit_keeps_names_and_urls(kept: str) -> None:
    view = latin_to_cyrillic(f"Qazaqstan {kept} júıesi", "2018")
    assert kept in view.text


def test_annotate_kk_translit_offsets_are_exact() -> None:
    text = "Qazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi, Dýshanbe"
    view = latin_to_cyrillic(text, "2018")
    for word in ("Тәжікстанның", "төртінші", "Душанбе", "серіктесі"):
        i = view.text.index(word)
        s, e = view.orig_span(i, i + len(word))
        assert latin_to_cyrillic(text[s:e], "2018").text == word


@pytest.mark.parametrize("alphabet", ["2017", "2018", "2021"])
def test_annotate_kk_translit_round_trip(alphabet: str) -> None:
    cyr = "Қазақстан мен Өзбекстан арасындағы тауар айналымы 2024 жылдың 11 айында 8,9 пайызға өсті, шешім қабылданды"
    assert latin_to_cyrillic(cyrillic_to_latin(cyr, alphabet), alphabet).text == cyr


def test_annotate_kk_latin_doc_quotes_original_text() -> None:
    text = "Foto: akorda.kz\nQazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi. eGOV júıesi."
    doc = process(Doc("t", text))
    assert "akorda.kz" in doc.norm.text and "eGOV" in doc.norm.text
    assert "Тәжікстанның" in doc.norm.text
    ranks = [f for f in doc.facts if f.type == "partner_rank"]
    assert [f.quote for f in ranks] == ["Qazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi"]


def test_annotate_kk_translit_leaves_other_languages_alone() -> None:
    text = "Товарооборот Казахстана и Таджикистана составил 1,4 млрд долларов (Smart Bridge)."
    doc = process(Doc("t", text))
    assert doc.norm.text == text


@pytest.mark.parametrize(
    "text",
    [
        "see www.Gov.kz, mail a.b@c.kz; https://x.y/z?q=1 end.",
        "Aqorda.kz saıty jáne kazinform.kz/news/123 habarlady",
        "1.5 mlrd. a.b.c.d 2024.12.01",
        "x@y www. http:// a .kz e.g. i.e. U.S.",
        "Tel. 8-701; ádres: info@mfa.kz\nwww.akorda.kz",
        "",
    ],
)
def test_annotate_kk_translit_finds_urls_only_where_they_can_be(text: str) -> None:
    # the URL regex is run only on the non-space runs holding "://", "www.", "@" or ".<letter>"
    assert _urls(text) == [m.span() for m in URL.finditer(text)]
