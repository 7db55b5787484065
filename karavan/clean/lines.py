"""Lines of a text with their offsets, and what a headline looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_LINE = 200  # a line at least this long reads as article body, not chrome or a headline

_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(slots=True)
class Line:
    """One line of the normalised view: [start, end) of its text without surrounding spaces."""

    start: int
    end: int
    text: str
    kind: str | None = None  # chrome kind, None for article text
    own: bool = False  # the kind comes from the line's own pattern, not from its neighbours

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    """Every line of `text`, blank ones included, stripped of spaces and carriage returns."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip()) if stripped else 0
        out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def headline_like(s: str) -> bool:
    """A short line of words with no final full stop and no sentence break inside."""
    if not 8 <= len(s) <= 220:
        return False
    if s[-1] in ".;,:" and not s.endswith("..."):
        return False
    if len(_WORD.findall(s)) < 2:
        return False
    return not _SENTENCE_BREAK.search(s)


def title_like(s: str) -> bool:
    """A headline that starts with a capital letter (or a digit or quote) and has three words or more."""
    if not headline_like(s) or len(_WORD.findall(s)) < 3:
        return False
    first = s[0]
    return first.isupper() or first.isdigit() or first in "\"'"
