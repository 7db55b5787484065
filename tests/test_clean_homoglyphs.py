"""Look-alike letters of the other script inside a word are replaced; words in one script are kept."""

from __future__ import annotations

import pytest

from karavan.clean.normalise import _fix_homoglyphs

CASES = [
    ("Прeзидeнт Казахстана", "Президент Казахстана"),  # Latin e inside a Cyrillic word
    ("Tокаев и Mирзиёев, USD и KZT, Kapital.kz", "Токаев и Мирзиёев, USD и KZT, Kapital.kz"),
    ("The Аstana summit, Аlmaty and Tashkent", "The Astana summit, Almaty and Tashkent"),  # Cyrillic А
    ("сo\u0301глашение и Kаzakhstan", "со\u0301глашение и Kazakhstan"),  # a stress mark inside the word
    ("no Cyrillic at all", "no Cyrillic at all"),
    ("только кириллица", "только кириллица"),
    ("", ""),
    # a word is turned to the script most of its letters are in; words wholly in one script are kept
    (
        "Mixed: КаzахstаN, рrоеkt, ЕХРО-2017, АО «KEGOC», Samruk-Қазына",
        "Mixed: KazaxstaN, proekt, ЕХРО-2017, АО «KEGOC», Samruk-Қазына",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_clean_homoglyphs_fixed_words(text: str, expected: str) -> None:
    fixed = _fix_homoglyphs(text)
    assert fixed == expected
    assert len(fixed) == len(text)  # one letter for one: offsets stay
