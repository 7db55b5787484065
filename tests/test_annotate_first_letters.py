"""First letters of a grammar: a cheap check before trying it, never rejecting where the grammar matches."""

import re
from dataclasses import fields

import pytest

from karavan.annotate.first_letters import FirstLetters, first_letter
from karavan.annotate.numbers import grammar as number_grammar
from karavan.annotate.periods import grammar as period_grammar

CASES = [
    # (pattern, flags, letters it may begin with, letters it may not)
    (r"(?<!\w)(?:млрд|млн)\w*", re.I, "мМ", "тк1"),
    (r"(?:19[89]\d|20[0-4]\d)", 0, "12", "3а"),
    (r"\d+(?:[.,]\d+)?", 0, "0٣9", "a "),  # \d is any decimal digit
    (r"(?:в\s+)?(?P<n>\d+)\s*раза", re.I, "вВ7", "р"),  # an optional part: its letters or the next ones
    (r"I{1,3}V?|IV", re.I, "Ii", "V"),
    (r"[a-f]x|[^\s]y", 0, None, None),  # a negated class: any letter
    (r"\w+", 0, None, None),
    (r"(?:ab)?", 0, None, None),  # may match empty: no check
]


@pytest.mark.parametrize(("pattern", "flags", "yes", "no"), CASES)
def test_annotate_first_letter_of_a_pattern(
    pattern: str, flags: int, yes: str | None, no: str | None
) -> None:
    gate = first_letter(re.compile(pattern, flags))
    letters = FirstLetters(re.compile(pattern, flags))  # the same answer, remembered per character
    if yes is None:
        assert gate is None
        assert all(letters.can_begin(ch) for ch in "aZ9 -")
        return
    assert all(letters.can_begin(ch) for ch in yes)
    assert not any(letters.can_begin(ch) for ch in no)
    assert gate is not None
    assert all(gate.match(ch) for ch in yes)
    assert not any(gate.match(ch) for ch in no)


TEXTS = [
    "За 11 месяцев 2024 года товарооборот составил 1,4 млрд долларов, в 1,5 раза больше.",
    "В январе–марте текущего года, во II квартале и в первом полугодии прошлого года",
    "2024 жылдың 11 айында екі есе өсті; биыл былтырғыдан 8,9%-ға артық",
    "In the first half of 2024, trade reached $1.4 billion, up 20 percent, two-fold",
    "ДВА МИЛЛИАРДА ДОЛЛАРОВ, Полтора процента, ТРЕТИЙ КВАРТАЛ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_annotate_first_letter_never_rejects_a_grammar_match(text: str) -> None:
    grammars = [getattr(g, f.name) for g in (number_grammar(), period_grammar()) for f in fields(g)]
    for rx in (g for g in grammars if isinstance(g, re.Pattern)):
        gate = first_letter(rx)
        for pos in range(len(text)):
            m = rx.match(text, pos)
            if m and m.end() > pos:
                assert gate is None or gate.match(text, pos), (rx.pattern[:60], text[pos:])
