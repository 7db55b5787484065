"""The sentence splitter stays exactly razdel (with our abbreviation joins) while running in linear time:
random texts made of what razdel's rules look at (delimiters, quotes, dashes, bullets, abbreviations,
spaces) split the same way as plain razdel.sentenize and as the abbreviation check over whole sentences."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from razdel import sentenize

from karavan.annotate.sentences import _abbreviations, _razdel_spans

PIECES = [
    " ", "  ", "\n", ".", "!", "?", "…", ";", ":", "«", "»", "“", "”", "„", '"', "'", "(", ")", "[", "]",
    "—", "–", "-", ":)", ";-)", "1", "2.", "a)", "б", "IV", "Т", "т.д.", "т.е.", "млрд.", "долл.", "г.",
    "Слово", "слово", "ещё", "Word", "word", "К.-Ж.", "5.3", ",", "§",
]  # fmt: skip


def plain(chunk: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in sentenize(chunk) if s.text.strip()]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=60))
def test_annotate_offset_segmenter_same_as_razdel(pieces: list[str]) -> None:
    chunk = "".join(pieces)
    assert _razdel_spans(chunk) == plain(chunk)


@pytest.mark.parametrize("seed", range(20))
def test_annotate_offset_segmenter_same_as_razdel_on_long_runs(seed: int) -> None:
    rng = random.Random(seed)
    chunk = "".join(rng.choice(PIECES) for _ in range(3000))
    assert _razdel_spans(chunk) == plain(chunk)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 200), st.integers(0, 200))
def test_annotate_abbreviation_check_on_a_span_same_as_on_its_slice(
    pieces: list[str], a: int, b: int
) -> None:
    text = "".join(pieces)
    start, stop = sorted((min(a, len(text)), min(b, len(text))))
    ab = _abbreviations()
    sentence = text[start:stop]  # the check as it was: the regex over the sliced sentence's tail
    before = bool(sentence) and sentence[-1].lower() in ab.last_chars
    before = before and ab.regex.search(sentence, max(0, len(sentence) - ab.longest - 1)) is not None
    assert ab.ends_within(text, start, stop) == before
