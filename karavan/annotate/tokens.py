"""The word tokens of a text, indexed by their first letters.

Annotators that start from closed word lists (the anchors of numbers and periods,
country names) only need the few words that begin like an entry of their list.
One pass over the text, shared by all of them, files every token under its first
three letters (lower case); each annotator then visits only its own keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"\d+|\w+")  # a run of digits, else a run of word characters
KEY = 3


@dataclass(frozen=True, slots=True)
class TokenIndex:
    low: str  # the text lower-cased, same offsets
    digits: list[int]  # starts of the digit tokens
    by_key: dict[str, list[int]]  # first KEY letters of a word token (lower case) -> its starts, in order

    def token_at(self, start: int) -> str:
        """The (lower-case) token starting at `start`."""
        return TOKEN.match(self.low, start).group(0)  # type: ignore[union-attr]

    def starts(self, keys: dict[str, object] | set[str]) -> list[int]:
        """Starts of the word tokens filed under any of `keys`, in text order."""
        found = [self.by_key[k] for k in self.by_key.keys() & keys]
        if len(found) == 1:
            return found[0]
        return sorted(p for starts in found for p in starts)


def lower_same_length(text: str) -> str:
    """text.lower() with the same offsets: a letter whose lower case is longer (İ) keeps its first letter."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower()[:1] or c for c in text)
    return low


def index_tokens(text: str, keys: frozenset[str] | None = None) -> TokenIndex:
    """The text's tokens; word tokens filed only under `keys` when given (the ones the caller will ask for:
    filing every word costs a list per distinct beginning)."""
    low = lower_same_length(text)
    digits: list[int] = []
    by_key: dict[str, list[int]] = {}
    for m in TOKEN.finditer(low):
        tok = m.group(0)
        if tok[0].isdigit():
            digits.append(m.start())
        else:
            key = tok[:KEY]
            if keys is not None and key not in keys:
                continue
            if key in by_key:
                by_key[key].append(m.start())
            else:
                by_key[key] = [m.start()]
    return TokenIndex(low, digits, by_key)
