"""A lexicon list as a trie regex matches exactly what the list's plain alternation matches."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from karavan.annotate.lexicon import alternation, load_lexicon
from karavan.annotate.word_trie import trie_alternation

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PHRASES = [
    "Товарооборот составил 1,4 млрд долларов США, в 1,5 раза больше; двухсот, двух, двумстам, тонн, т.",
    "Тауар айналымы он бір, он бес, екі жүз миллион АҚШ долларына жетті, 8,9 пайыздық тармаққа өсті.",
    "Trade reached a billion U.S. dollars, 5 million US dollars, 2.4-fold, 3 per cent, 4 percentage points.",
    "ДВА МИЛЛИАРДА ДОЛЛАРОВ, Полтора процента, в американской валюте, долл. США, руб., тыс. тонн",
]


@cache
def corpus() -> str:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(EXAMPLES.glob("*.txt"))]
    return "\n".join([*PHRASES, *texts])


def lists() -> list[str]:
    return sorted(load_lexicon().lists)


@pytest.mark.parametrize("key", lists())
def test_annotate_word_trie_matches_the_plain_alternation(key: str) -> None:
    words = load_lexicon().words(key)
    plain = re.compile(alternation(words), re.IGNORECASE)
    trie = re.compile(trie_alternation(words), re.IGNORECASE)
    text = corpus()
    for m in re.finditer(r"\w+|[^\w\s]", text):
        a, b = plain.match(text, m.start()), trie.match(text, m.start())
        assert (a and a.span()) == (b and b.span()), (key, text[m.start() : m.start() + 30])


@pytest.mark.parametrize(
    "words,text,span",
    [
        (["три", "триста", "тридцать"], "триста тонн", (0, 6)),
        (["он", "он бір"], "он  бір", (0, 7)),  # a space in an entry is any run of spaces
        (["доллар*", "долларов США"], "долларов США", (0, 12)),
        (["тыс.", "тыс"], "тыс. тонн", (0, 4)),
        (["млн"], "млнх", None),  # a word ends at a word end
        (["%", "п.п.", "п. п."], "п. п. за год", (0, 5)),
        (["raw", "~m(?![\\w])"], "m high", (0, 1)),  # a raw fragment is kept as written
    ],
)
def test_annotate_word_trie_prefers_the_longest_word(
    words: list[str], text: str, span: tuple[int, int] | None
) -> None:
    m = re.compile(trie_alternation(words), re.IGNORECASE).match(text)
    assert (m.span() if m else None) == span
