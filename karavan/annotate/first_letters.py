"""The letters a regular expression's match can begin with, as a one-character regex.

A grammar tried at an anchor whose first letter it cannot begin with fails anyway;
checking one character class first is several times cheaper than the grammar's own
attempt (IGNORECASE alternations of dozens of words). The set is read from the
pattern's parse tree and is never too small: anything the walk does not know (a
negated class, \\w, a back-reference) gives "any letter" and no check.
"""

from __future__ import annotations

import re
from functools import cache

try:  # the regex engine's own parser (CPython); without it, no check is made
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    sre = sre_parse = None  # type: ignore[assignment]

_WIDE_RANGE = 3000  # a class range wider than this counts as "any letter"


class _Any(Exception):
    """The pattern may begin with any letter."""


def _first(items: list[tuple[object, object]]) -> tuple[set[str], bool]:
    """First letters of a sequence of parsed items, and whether the whole sequence can match empty."""
    letters: set[str] = set()
    for op, av in items:
        first, empty = _first_of(op, av)
        letters |= first
        if not empty:
            return letters, False
    return letters, True


def _first_of(op: object, av: object) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(av)}, False  # type: ignore[arg-type]
    if op is sre.IN:
        out: set[str] = set()
        for o, a in av:  # type: ignore[attr-defined]
            if o is sre.LITERAL:
                out.add(chr(a))
            elif o is sre.RANGE and a[1] - a[0] <= _WIDE_RANGE:
                out.update(chr(c) for c in range(a[0], a[1] + 1))
            elif o is sre.CATEGORY and a is sre.CATEGORY_DIGIT:
                out.add(r"\d")
            else:
                raise _Any
        return out, False
    if op is sre.BRANCH:
        out, empty = set(), False
        for alt in av[1]:  # type: ignore[index]
            first, alt_empty = _first(alt)
            out |= first
            empty = empty or alt_empty
        return out, empty
    if op is sre.SUBPATTERN:
        return _first(av[3])  # type: ignore[index]
    if op is sre.ATOMIC_GROUP:
        return _first(av)  # type: ignore[arg-type]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        first, empty = _first(av[2])  # type: ignore[index]
        return first, empty or av[0] == 0  # type: ignore[index]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero width: the letter comes from what follows
    raise _Any


@cache
def first_letter(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex matching one character that a non-empty match of `rx` can begin with (None: any)."""
    if sre_parse is None:
        return None
    try:
        letters, empty = _first(list(sre_parse.parse(rx.pattern, rx.flags)))
    except _Any:
        return None
    if empty or not letters:
        return None
    digit = r"\d" if r"\d" in letters else ""
    letters.discard(r"\d")
    return re.compile("[" + re.escape("".join(sorted(letters))) + digit + "]", rx.flags)


_KNOWN_MAX = 10_000


class FirstLetters:
    """`first_letter(rx)` answered per character and remembered: a dictionary look-up per anchor instead
    of a regex call (texts use a few hundred distinct characters)."""

    __slots__ = ("gate", "known")

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.gate = first_letter(rx)
        self.known: dict[str, bool] = {}

    def can_begin(self, ch: str) -> bool:
        ok = self.known.get(ch)
        if ok is None:
            if len(self.known) >= _KNOWN_MAX:
                self.known.clear()
            ok = self.known[ch] = self.gate is None or self.gate.match(ch) is not None
        return ok


@cache
def first_letters(rx: re.Pattern[str]) -> FirstLetters:
    return FirstLetters(rx)
