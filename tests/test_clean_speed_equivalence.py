"""The faster clean helpers give the same values as the plain ones they replaced."""

from __future__ import annotations

import pytest

from karavan.clean import langid, normalise
from karavan.clean.scripts import count_chars

# (text, view text, to_orig): the offset list is shared-slice built, also past its first size
NORMALISED = [
    ("", "", [0]),
    ("Астана", "Астана", [0, 1, 2, 3, 4, 5, 6]),
    ("за\u0301мок", "замок", [0, 1, 3, 4, 5, 6]),
    ("a\u200bb", "ab", [0, 2, 3]),
    ("\u00abДа\u00bb", '"Да"', [0, 1, 2, 3, 4]),
]


@pytest.mark.parametrize(("text", "view", "to_orig"), NORMALISED)
def test_clean_normalise_offsets(text: str, view: str, to_orig: list[int]) -> None:
    result = normalise(text)
    assert (result.text, list(result.to_orig)) == (view, to_orig)


@pytest.mark.parametrize("size", [16383, 16384, 40000])
def test_clean_normalise_long_text_offsets(size: int) -> None:
    text = "ж" * size
    assert normalise(text).to_orig == list(range(size + 1))
    marked = "й\u0301" + "ж" * size  # a stress mark dropped: every later offset shifts by one
    assert normalise(marked).to_orig == [0, *range(2, size + 3)]


def test_clean_normalise_views_do_not_share_offsets() -> None:
    first = normalise("абв")
    first.to_orig[0] = 99
    assert normalise("абв").to_orig == [0, 1, 2, 3]


# (text, characters, how many of the text's characters are among them)
COUNTS = [
    ("Қазақстан және Өзбекстан", "әғқңөұүһіӘҒҚҢӨҰҮҺІ", 4),
    ("Казахстан и Узбекистан", "әғқңөұүһіӘҒҚҢӨҰҮҺІ", 0),
    ("Qazaqstan jáne Ózbekstan", "áǵıńóúýÁǴŃÓÚÝ", 2),
    ("", "әғ", 0),
    ("a-b]c\\d^", "-]\\^", 4),  # characters special inside a regex class
]


@pytest.mark.parametrize(("text", "chars", "expected"), COUNTS)
def test_clean_count_chars(text: str, chars: str, expected: int) -> None:
    assert count_chars(text, chars) == expected


@pytest.mark.parametrize("chars", [langid._C["kk_letters"], langid._L["kk_letters"]])
def test_clean_langid_letters_are_distinct(chars: str) -> None:
    # count_chars counts each character of the text once: a letter listed twice would have counted twice
    assert len(set(chars)) == len(chars)
