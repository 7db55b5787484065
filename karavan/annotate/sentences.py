"""Sentences: blocks split at line breaks that end a sentence, then razdel inside each block.

A single line break inside a sentence (seed 002 wraps "Президента Казахстана\\nКасым-Жомарта")
does not end it; a blank line, a line ending in terminal punctuation, or a short
title-like line does.

Speed (same output as plain `razdel.sentenize`, see tests/test_annotate_sentences_shortcut.py):
razdel only ever splits at one of its delimiters followed by whitespace (its `no_space_prefix`
rule joins every other place), so a block without such a place is one sentence and razdel is
skipped; inside the other blocks razdel is only shown those places (`_SENTENIZE`), and its joining
loop runs in offsets (`_OffsetSegmenter`): linear in a block however many places it joins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from razdel.segmenters.sentenize import BULLET_SIZE, DELIMITER, SentSegmenter, SentSplitter

from karavan.annotate.lexicon import load_lexicon

TERMINAL = '.!?…:;»"”'
TITLE_MAX = 90

# razdel's delimiter (. ? ! … ; quotes, closing brackets, smileys) followed by whitespace: the only
# places where razdel can end a sentence.
_SPLIT_AT = DELIMITER + r"(?=\s)"
_SPLIT_PLACE = re.compile(_SPLIT_AT)


class _OffsetSegmenter(SentSegmenter):
    """razdel's sentence segmenter with its joining loop kept in offsets, so it is linear.

    razdel builds each sentence by string concatenation, once a join: a run of 200k joins
    (`" —”“»"` repeated, nested quotes) took seconds and grew with its square. Here a sentence is
    a start offset; the one rule that reads the text since the last split (`list_item`: at most
    BULLET_SIZE characters, else no opinion) is shown that text when it is that short and any
    longer stand-in otherwise. Same spans as `SentSegmenter(...)(text)` (tests compare them).
    """

    def spans(self, text: str) -> list[tuple[int, int]]:
        """[start, stop) of razdel's non-empty sentences (stripped, as razdel's `post` strips them)."""
        parts = self.split(text)
        first = next(parts)
        start, pos = 0, len(first)
        cuts: list[tuple[int, int]] = []
        for split in parts:
            right = next(parts)
            if pos - start <= BULLET_SIZE:
                split.buffer = text[start:pos]
            else:
                split.buffer = text[pos - BULLET_SIZE - 1 : pos]  # too long for a list item: all it checks
            after = pos + len(split.delimiter)
            if not self.join(split):
                cuts.append((start, after))
                start = after
            pos = after + len(right)
        cuts.append((start, pos))
        out = []
        for a, b in cuts:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b))
        return out


# razdel's sentence segmenter, told only about the places above. Exact: its rules at a place look
# at a fixed window of the text around it and at the text since the last split, and leaving out
# the places razdel always joins (no space after them) changes neither.
_SENTENIZE = _OffsetSegmenter(split=SentSplitter(pattern=_SPLIT_AT))


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
        return self.ends_within(sentence, 0, len(sentence))

    def ends_within(self, text: str, start: int, stop: int) -> bool:
        """`ends(text[start:stop])`, reading only its tail (a sentence joined again and again stays linear)."""
        if stop <= start or text[stop - 1].lower() not in self.last_chars:
            return False
        # the search starts `longest` + 1 before the end (the look-behind reads the character before the
        # abbreviation); one more character is kept so that look-behind sees what it saw in the sentence
        lo = max(start, stop - self.longest - 2)
        pos = max(0, stop - start - self.longest - 1) - (lo - start)
        return self.regex.search(text[lo:stop], pos) is not None


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
    return _SENTENIZE.spans(chunk)


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
            if (
                joined
                and abbreviations.ends_within(chunk, *joined[-1])
                and not (
                    _capitalised(chunk[start : start + 2])
                    and _ending_abbreviations().ends_within(chunk, *joined[-1])
                )
            ):
                joined[-1] = (joined[-1][0], stop)
            else:
                joined.append((start, stop))
        for a, b in joined:
            out.extend((bs + x, bs + y) for x, y in _bounded(chunk, a, b))
    return out


# the longest sentence of the seeds, examples/ and realpress has 512 characters; a "sentence" longer than this
# (a page with no full stops, a run of figures) is cut, so the clause layer's work per sentence stays bounded
MAX_SENTENCE = 2000
_CUT = re.compile(r"[\s,;:]")


def _bounded(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """[start, stop) in pieces of at most MAX_SENTENCE characters, each cut after the last space or comma
    before the limit (a text without one is cut at the limit)."""
    out: list[tuple[int, int]] = []
    while stop - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max((m.end() for m in _CUT.finditer(text, limit - 200, limit)), default=limit)
        out.append((start, cut))
        start = cut
    out.append((start, stop))
    return out
