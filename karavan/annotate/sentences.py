"""Sentences: blocks split at line breaks that end a sentence, then razdel inside each block.

A single line break inside a sentence (seed 002 wraps "Президента Казахстана\\nКасым-Жомарта")
does not end it; a blank line, a line ending in terminal punctuation, or a short
title-like line does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from razdel import sentenize

from karavan.annotate.lexicon import load_lexicon

TERMINAL = ".!?…:;»\"”"
TITLE_MAX = 90


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    start = None
    pos = 0
    for line in re.finditer(r"[^\n]*(?:\n|$)", text):
        s, e = line.start(), line.end()
        if s == e and s >= len(text):
            break
        body = line.group(0).rstrip("\n")
        stripped = body.strip()
        if not stripped:
            if start is not None:
                blocks.append((start, pos))
                start = None
            continue
        if start is None:
            start = s
        pos = s + len(body)
        ends = stripped[-1] in TERMINAL or len(stripped) <= TITLE_MAX
        if ends:
            blocks.append((start, pos))
            start = None
    if start is not None:
        blocks.append((start, pos))
    return blocks


@cache
def _abbreviation_end() -> re.Pattern[str]:
    """An abbreviation that does not end a sentence (долл., млрд., тыс.), at the end of a text."""
    words = load_lexicon().words("abbreviations.words")
    alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!x)x"
    return re.compile(rf"(?<![\w])(?:{alt})$", re.IGNORECASE)


def split_sentences(text: str, skip: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of the text; a split after an abbreviation is undone.

    Blocks lying wholly inside one of the sorted `skip` spans (page chrome) are not split.
    """
    out: list[tuple[int, int]] = []
    abbrev = _abbreviation_end()
    skip = skip or []
    for bs, be in _blocks(text):
        i = bisect_right(skip, (bs, len(text) + 1)) - 1
        if i >= 0 and skip[i][0] <= bs and be <= skip[i][1]:
            continue
        chunk = text[bs:be]
        joined: list[tuple[int, int]] = []
        for s in sentenize(chunk):
            if not s.text.strip():
                continue
            if joined and abbrev.search(chunk[joined[-1][0]:joined[-1][1]]):
                joined[-1] = (joined[-1][0], s.stop)
            else:
                joined.append((s.start, s.stop))
        out.extend((bs + a, bs + b) for a, b in joined)
    return out
