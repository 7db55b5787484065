"""The clean stage's shortcuts give what the plain code they replace gave."""

from __future__ import annotations

import pytest

from karavan.clean.normalise import (
    _CYR_RE,
    _CYR_RUN,
    _LAT_RE,
    _LAT_RUN,
    TO_CYRL,
    TO_LATN,
    _fix_homoglyphs,
    _touches,
    _word_bounds,
    word_script,
)
from karavan.clean.scripts import script_counts

TEXTS = [
    "Прeзидeнт Казахстана",  # Latin e inside a Cyrillic word
    "Tокаев и Mирзиёев, USD и KZT, Kapital.kz",
    "The Аstana summit, Аlmaty and Tashkent",  # Cyrillic А in Latin words
    "сo\u0301глашение и Kаzakhstan",
    "no Cyrillic at all",
    "только кириллица",
    "",
    "Mixed: КаzахstаN, рrоеkt, ЕХРО-2017, АО «KEGOC», Samruk-Қазына",
]


@pytest.mark.parametrize("text", TEXTS)
def test_clean_homoglyphs_same_as_list_rewrite(text: str) -> None:
    assert _fix_homoglyphs(text) == _plain_fix_homoglyphs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Прeзидeнт", "Президент"), ("Аstana", "Astana"), ("USD и KZT", "USD и KZT"), ("", "")],
)
def test_clean_homoglyphs_fixed_words(text: str, expected: str) -> None:
    assert _fix_homoglyphs(text) == expected


def _plain_fix_homoglyphs(text: str) -> str:
    """_fix_homoglyphs as it was: every fixed word written into list(text)."""
    cyr, lat = script_counts(text)
    if not cyr or not lat:
        return text
    minority, majority = (_LAT_RUN, _CYR_RE) if lat <= cyr else (_CYR_RUN, _LAT_RE)
    chars: list[str] | None = None
    done_until = 0
    for m in minority.finditer(text):
        if m.start() < done_until or not _touches(text, m.start(), m.end(), majority):
            continue
        start, end = _word_bounds(text, m.start())
        done_until = end
        script = word_script(text[start:end])
        if script is None:
            continue
        if chars is None:
            chars = list(text)
        table = TO_LATN if script == "Latn" else TO_CYRL
        chars[start:end] = text[start:end].translate(table)
    return text if chars is None else "".join(chars)
