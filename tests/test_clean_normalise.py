"""Clean stage: the normalised view and its exact map back to the original text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karavan.clean import clean
from karavan.clean.normalise import TO_LATN, normalise, word_script
from karavan.doc import Doc


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("AО\u0301K óniminiń", "AÓK óniminiń"),  # seed 003: Cyrillic О + combining acute in a Latin word
        ("в два\u00a0раза", "в два раза"),  # NBSP
        ("1\u202f000\u2009000", "1 000 000"),  # narrow NBSP, thin space
        ("Казахстан – четвертый — партнер ‒ ― −5", "Казахстан - четвертый - партнер - - -5"),
        ("«Дорожная карта» „план“ ”x”", '"Дорожная карта" "план" "x"'),
        ("ja\u2019ne o\u2018zaro", "ja'ne o'zaro"),
        ("мoлоко и сахaр", "молоко и сахар"),  # Latin o, a in Cyrillic words
        ("Kazakhstаn", "Kazakhstan"),  # Cyrillic а in a Latin word
        ("ЕАЭС и EAEU", "ЕАЭС и EAEU"),  # single-script words stay as they are
        ("за\u0301мок", "замок"),  # a stress mark on Cyrillic is dropped
        ("и\u0306 е\u0308", "й ё"),  # decomposed Cyrillic letters are composed
        ("Bahri\u0301", "Bahrí"),  # a Latin letter with a combining acute is composed
        ("экс\u00adпорт", "экспорт"),  # soft hyphen
        ("\ufeffТекст\u200b", "Текст"),  # byte order mark, zero-width space
        ("строка\u2028строка", "строка\nстрока"),
    ],
)
def test_clean_normalised_text(original: str, expected: str) -> None:
    assert normalise(original).text == expected


@pytest.mark.parametrize(
    ("original", "view_span", "orig_text"),
    [
        ("AО\u0301K", (0, 3), "AО\u0301K"),
        ("AО\u0301K", (1, 2), "О\u0301"),
        ("xx за\u0301мок yy", (3, 8), "за\u0301мок"),
        ("\ufeffТекст", (0, 5), "Текст"),
        ("а\u00a0б", (1, 2), "\u00a0"),
    ],
)
def test_clean_orig_span_covers_composed_and_dropped_characters(
    original: str, view_span: tuple[int, int], orig_text: str
) -> None:
    view = normalise(original)
    start, end = view.orig_span(*view_span)
    assert original[start:end] == orig_text


@pytest.mark.parametrize(
    ("word", "script"),
    [("AОK", "Latn"), ("мoлоко", "Cyrl"), ("Kazakhstаn", "Latn"), ("Qazaqstаnnyń", "Latn"), ("Жұмqыс", None)],
)
def test_clean_word_script_of_mixed_words(word: str, script: str | None) -> None:
    assert word_script(word) == script


def test_clean_sets_norm_and_keeps_text() -> None:
    text = "Qazaqstan\u00a0– AО\u0301K"
    doc = clean(Doc("t", text))
    assert doc.text == text
    assert doc.norm is not None and doc.norm.text == "Qazaqstan - AÓK"


# Property test: random text with NBSPs, homoglyphs, combining marks, dashes, quotes and invisibles.

PIECES = [
    "Казахстан",
    "товарооборот",
    "Qazaqstan",
    "Tájikstannyń",
    "AО\u0301K",
    "мoлоко",
    "Kazakhstаn",
    "за\u0301мок",
    "и\u0306",
    "a\u0301",
    "ı\u0301",
    "о\u0308\u0301",
    "\u0301",
    " ",
    "\u00a0",
    "\u202f",
    "\u2009",
    "\n",
    "\t",
    "–",
    "—",
    "−",
    "«",
    "»",
    "„",
    "“",
    "’",
    "\u00ad",
    "\u200b",
    "\ufeff",
    "1,4",
    "млрд",
    "$",
    "%",
    ".",
    ",",
    "-",
]
LETTERS = "аоерсхуіАОЕРСКМТХaoepcxyiAOEPCKMTXқәңá\u0301\u0306\u00a0 "
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet=LETTERS, min_size=1, max_size=6)), max_size=40
).map("".join)
_WORDISH = re.compile(r"[^\W\d_]|[\u0300-\u036f]")


def skeleton(s: str) -> str:
    """Text with accents removed and look-alike letters folded to Latin: what no context can change."""
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(TO_LATN)


def word_boundary(view: str, i: int) -> bool:
    before = i > 0 and _WORDISH.match(view, i - 1) is not None
    after = i < len(view) and _WORDISH.match(view, i) is not None
    return not (before and after)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_clean_view_maps_exactly_back_to_original(text: str, data: st.DataObject) -> None:
    view = normalise(text)
    n = len(view.text)
    assert len(view.to_orig) == n + 1
    assert view.to_orig[0] >= 0 and view.to_orig[-1] == len(text)
    assert all(a < b for a, b in zip(view.to_orig, view.to_orig[1:], strict=False))
    for _ in range(5):
        s = data.draw(st.integers(0, n))
        e = data.draw(st.integers(s, n))
        os_, oe = view.orig_span(s, e)
        assert 0 <= os_ <= oe <= len(text)
        again = normalise(text[os_:oe]).text
        assert skeleton(again) == skeleton(view.text[s:e])
        if word_boundary(view.text, s) and word_boundary(view.text, e):
            assert again == view.text[s:e]


@settings(max_examples=100, deadline=None)
@given(texts)
def test_clean_every_word_span_round_trips(text: str) -> None:
    view = normalise(text)
    for m in re.finditer(r"(?:[^\W\d_]|[\u0300-\u036f])+", view.text):
        start, end = view.orig_span(m.start(), m.end())
        assert normalise(text[start:end]).text == m.group()
