"""Sentences: blocks split at line breaks that end a sentence, then razdel inside each block.

A single line break inside a sentence (seed 002 wraps "Президента Казахстана\\nКасым-Жомарта")
does not end it; a blank line, a line ending in terminal punctuation, or a short
title-like line does.
"""

from __future__ import annotations

import re

from razdel import sentenize

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


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of the text."""
    out: list[tuple[int, int]] = []
    for bs, be in _blocks(text):
        chunk = text[bs:be]
        for s in sentenize(chunk):
            if s.text.strip():
                out.append((bs + s.start, bs + s.stop))
    return out
