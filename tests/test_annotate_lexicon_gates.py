"""Needle gates: a lexicon regex is skipped on a text holding none of its words, never when it would match.

Every case compares the gated answer with the plain regular expression's, on texts where the regex
engine's IGNORECASE sees letters str.lower() keeps apart (ı and i, ſ and s, archaic Cyrillic ᲀ and в).
"""

import re

import pytest

from karavan.annotate.lexicon import Gated, alternation, finditer_words, fold, load_lexicon, may_match

WORDS = ["товарооборот*", "объем торговли", "export*", "kelisim*", "доля", "мың"]

TEXTS = [
    "Товарооборот вырос",  # stem, capital letter
    "ТОВАРООБОРОТА",
    "объем   торговли достиг",  # several spaces inside a two-word entry
    "объём торговли",  # ё is another letter: no match, and the gate says so
    "Exports grew",
    "EXPORTS",
    "kelısımge qol qoıyldy",  # 2021 Kazakh Latin: IGNORECASE takes ı for i
    "KELISIM",
    "eſport",  # long s
    "ᲀ",  # a text with an archaic letter only
    "долями",  # доля is a whole word: no match
    "доля рынка",
    "бір мың тонна",
    "ничего нужного",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_annotate_gated_search_agrees_with_the_regex(text: str) -> None:
    source = alternation(WORDS)
    plain = re.compile(source, re.IGNORECASE)
    gated = Gated(source, re.IGNORECASE)
    assert bool(gated.search(text)) == bool(plain.search(text))
    assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]
    if plain.search(text):
        assert may_match(source, fold(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Объем торговли", True),
        ("kelısım", True),  # folded: ı is i
        ("КЕЛIСIМ", False),  # Latin I inside Cyrillic letters: no stem of the list
        ("торговый оборот", False),
    ],
)
def test_annotate_needles_tell_where_a_list_cannot_match(text: str, expected: bool) -> None:
    assert may_match(alternation(WORDS), fold(text)) is expected


@pytest.mark.parametrize(
    ("word", "text"),
    [("ı", "I"), ("i", "ı"), ("s", "ſ"), ("в", "ᲀ"), ("KELISIM", "kelısım")],
)
def test_annotate_fold_makes_ignorecase_twins_equal(word: str, text: str) -> None:
    assert re.fullmatch(re.escape(word), text, re.IGNORECASE)
    assert fold(word) == fold(text)


def test_annotate_gated_window_regex_keeps_its_context() -> None:
    # a gated regex with context around the list: the gate looks for the list's words only
    source = alternation(["около", "порядка"])
    tail = Gated(source + r"\s*$", re.IGNORECASE, source)
    assert tail.search("составил порядка ") is not None
    assert tail.search("порядка 5 процентов и ") is None
    assert tail.search("составил ") is None
    plain = re.compile(source + r"\s*$", re.IGNORECASE)
    assert [m.span() for m in finditer_words(tail, "около около")] == [
        m.span() for m in plain.finditer("около около")
    ]


@pytest.mark.parametrize(
    ("section", "word", "value"),
    [
        ("scales", "млрд", 1e9),
        ("scales", "BILLION", 1e9),
        ("scales", "bıllıon", 1e9),
        ("scales", "бильон", None),
    ],
)
def test_annotate_lookup_takes_what_ignorecase_matched(section: str, word: str, value: float | None) -> None:
    # a word an IGNORECASE lexicon regex matched is found in the lexicon's tables (ı is i there too)
    assert load_lexicon().lookup(section, word) == value
