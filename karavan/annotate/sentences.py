"""Sentences: blocks split at line breaks that end a sentence, then razdel inside each block.

A single line break inside a sentence (seed 002 wraps "Президента Казахстана\\nКасым-Жомарта")
does not end it; a blank line, a line ending in terminal punctuation, or a short
title-like line does.

Speed (same output as plain `razdel.sentenize`, see tests/test_annotate_sentences_shortcut.py):
razdel only ever splits at one of its delimiters followed by whitespace (its `no_space_prefix`
rule joins every other place), so a block without such a place is one sentence and razdel is
skipped; inside the other blocks razdel is only shown those places (`_SENTENIZE`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from razdel.segmenters.sentenize import DELIMITER, SentSegmenter, SentSplitter

from karavan.annotate.lexicon import load_lexicon

TERMINAL = '.!?…:;»"”'
TITLE_MAX = 90

# razdel's delimiter (. ? ! … ; quotes, closing brackets, smileys) followed by whitespace: the only
# places where razdel can end a sentence.
_SPLIT_AT = DELIMITER + r"(?=\s)"
_SPLIT_PLACE = re.compile(_SPLIT_AT)
# razdel's sentence segmenter, told only about the places above. Exact: its rules at a place look
# at a fixed window of the text around it and at the text since the last split, and leaving out
# the places razdel always joins (no space after them) changes neither.
_SENTENIZE = SentSegmenter(split=SentSplitter(pattern=_SPLIT_AT))


def _blocks(text: str) -> list[tuple[int, int]]:
    """[start, end) of each run of lines that may hold one sentence across its line breaks."""
    blocks: list[tuple[int, int]] = []
    start = None
    end = 0  # end of the last non-blank line, trailing spaces included
    pos = 0
    for body in text.split("\n"):
        line_start = pos
        pos += len(body) + 1
        stripped = body.strip()
        if not stripped:
            if start is not None:
                blocks.append((start, end))
                start = None
            continue
        if start is None:
            start = line_start
        end = line_start + len(body)
        if stripped[-1] in TERMINAL or len(stripped) <= TITLE_MAX:
            blocks.append((start, end))
            start = None
    if start is not None:
        blocks.append((start, end))
    return blocks


@dataclass(frozen=True, slots=True)
class _Abbreviations:
    """Abbreviations that do not end a sentence (долл., млрд., тыс.), to test a sentence's end."""

    regex: re.Pattern[str]  # one of them at the end of a text, not glued to a word before it
    last_chars: frozenset[str]  # their last characters (a full stop), lower-cased: a cheap pre-check
    longest: int

    def ends(self, sentence: str) -> bool:
        """Whether `sentence` ends with one of the abbreviations.

        Only its tail can match (the regex ends in `$`), so the search starts there instead of
        trying every position of a long sentence.
        """
        if not sentence or sentence[-1].lower() not in self.last_chars:
            return False
        # +1: the look-behind reads the character before the abbreviation
        return self.regex.search(sentence, max(0, len(sentence) - self.longest - 1)) is not None


@cache
def _abbreviations(key: str = "abbreviations.words") -> _Abbreviations:
    words = sorted(set(load_lexicon().words(key)), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words) or "(?!x)x"
    return _Abbreviations(
        regex=re.compile(rf"(?<![\w])(?:{alt})$", re.IGNORECASE),
        last_chars=frozenset(w[-1].lower() for w in words),
        longest=max((len(w) for w in words), default=0),
    )


def _capitalised(head: str) -> bool:
    """A word opening in a capital and going on in small letters ("По", not the acronym "США")."""
    return len(head) == 2 and head[0].isupper() and head[1].islower()


def _ending_abbreviations() -> _Abbreviations:
    """Abbreviations that end a sentence when a capital follows them (a figure's unit: "млрд.")."""
    return _abbreviations("abbreviations.may_end")


def _razdel_spans(chunk: str) -> list[tuple[int, int]]:
    """razdel's sentence spans of `chunk`, empty ones dropped."""
    if not _SPLIT_PLACE.search(chunk):
        # one sentence: razdel strips it (no sentence when nothing is left)
        start = len(chunk) - len(chunk.lstrip())
        end = len(chunk.rstrip())
        return [(start, end)] if start < end else []
    return [(s.start, s.stop) for s in _SENTENIZE(chunk) if s.text.strip()]


def split_sentences(text: str, skip: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of the text; a split after an abbreviation is undone.

    Blocks lying wholly inside one of the sorted `skip` spans (page chrome) are not split.
    """
    out: list[tuple[int, int]] = []
    abbreviations = _abbreviations()
    skip = skip or []
    for bs, be in _blocks(text):
        i = bisect_right(skip, (bs, len(text) + 1)) - 1
        if i >= 0 and skip[i][0] <= bs and be <= skip[i][1]:
            continue
        chunk = text[bs:be]
        joined: list[tuple[int, int]] = []
        for start, stop in _razdel_spans(chunk):
            before = chunk[joined[-1][0] : joined[-1][1]] if joined else ""
            if (
                joined
                and abbreviations.ends(before)
                and not (_capitalised(chunk[start : start + 2]) and _ending_abbreviations().ends(before))
            ):
                joined[-1] = (joined[-1][0], stop)
            else:
                joined.append((start, stop))
        out.extend((bs + a, bs + b) for a, b in joined)
    return out
