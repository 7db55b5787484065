"""A lexicon word list as one regular expression with shared beginnings written once (a trie).

`lexicon.alternation(words)` writes one alternative per word; Python's regex engine then tries
every word at every position it is asked about, so a list of a few hundred number words in all
their case forms costs a few hundred comparisons per attempt. `trie_alternation(words)` matches
what `alternation(words)` matches, with the same entry syntax (`*` = any inflection, a space =
any spaces, `~` = a raw fragment, a word start and end around letters), but branches letter by
letter: "двух", "двухсот", "двумстам" share "дв". At each branch longer continuations are tried
first, as `alternation` tries longer words first.
"""

from __future__ import annotations

import re

from karavan.annotate.lexicon import WORD_END, WORD_START, alternation

_SPACE, _STAR = "\x00space", "\x00star"  # the units of a word besides its letters


class _Node:
    __slots__ = ("children", "end", "longest")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end: str | None = None  # the word-end check of a word ending here ("" when none)
        self.longest = 0  # the longest continuation below this node, in units


def _units(word: str) -> list[str]:
    units: list[str] = []
    for i, token in enumerate(word.split(" ")):
        if i:
            units.append(_SPACE)
        star = token.endswith("*")
        units.extend(token[:-1] if star else token)
        if star:
            units.append(_STAR)
    return units


def _end(word: str) -> str:
    last = word.rstrip("*")
    return "" if (word.endswith("*") or not last[-1:].isalnum()) else WORD_END


def _insert(root: _Node, word: str) -> None:
    units = _units(word)
    node = root
    for k, unit in enumerate(units):
        node.longest = max(node.longest, len(units) - k)
        node = node.children.setdefault(unit, _Node())
    if node.end is None or len(_end(word)) < len(node.end):
        node.end = _end(word)


def _emit(node: _Node) -> str:
    alts = []
    for unit, child in sorted(node.children.items(), key=lambda kv: (-kv[1].longest, kv[0])):
        head = r"\s+" if unit == _SPACE else r"\w*" if unit == _STAR else re.escape(unit)
        alts.append(head + _emit(child))
    if node.end is not None:
        alts.append(node.end)
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def trie_alternation(words: list[str]) -> str:
    """One non-capturing group matching what `alternation(words)` matches, built as a trie."""
    plain = sorted({w for w in words if w and not w.startswith("~")})
    raw = [w for w in words if w.startswith("~")]
    if not plain:
        return alternation(raw)
    parts = []
    for at_word_start in (True, False):
        root = _Node()
        for w in plain:
            if w[:1].isalnum() == at_word_start:
                _insert(root, w)
        if root.children:
            parts.append((WORD_START if at_word_start else "") + _emit(root))
    if raw:
        parts.append(alternation(raw))
    return "(?:" + "|".join(parts) + ")"
