"""Language data for the numeric annotators, loaded from karavan/data/lexicon/*.toml.

Each language file has the same sections (scales, currencies, hedges, trade words,
...). The annotators are language-agnostic: they see the union of all languages'
words, compiled once into regular expressions. In the files a word ending in `*`
matches any inflection (`товарооборот*`), a space matches any run of spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from karavan.data import exists, load_toml

LANGS = ("ru", "kk", "en")

WORD_START = r"(?<![\w])"
WORD_END = r"(?![\w])"
INFLECTION = r"[\w]*"


def word_regex(word: str) -> str:
    """Regex source for one lexicon entry: `*` = any inflection, space = any spaces.

    A leading `~` marks a raw regular expression fragment used as is (for stems
    like `ма[йяе]`).
    """
    if word.startswith("~"):
        return word[1:]
    parts = []
    for token in word.split(" "):
        star = token.endswith("*")
        core = token[:-1] if star else token
        src = re.escape(core)
        if star:
            src += INFLECTION
        parts.append(src)
    body = r"\s+".join(parts)
    last = word.rstrip("*")
    end = "" if (word.endswith("*") or not last[-1:].isalnum()) else WORD_END
    start = WORD_START if word[:1].isalnum() else ""
    return start + body + end


# Literal fragments, one of which occurs (lower-cased) in any text an alternation matches:
# regex source -> needles. Lets a caller skip a regex on a sentence that holds none of them.
NEEDLES: dict[str, tuple[str, ...]] = {}


def _needle(word: str) -> str | None:
    if word.startswith("~"):
        return None
    if any(len(ch.lower()) != 1 for ch in word):
        return None  # "İ" lower-cases to two letters: no literal to look for
    tokens = [t.rstrip("*").lower() for t in word.split(" ")]
    return max(tokens, key=len) or None


def alternation(words: list[str]) -> str:
    """One non-capturing alternation of the words, longest first so that the longest form wins."""
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    if not uniq:
        return "(?!x)x"
    source = "(?:" + "|".join(word_regex(w) for w in uniq) + ")"
    needles = [_needle(w) for w in uniq]
    if all(needles):
        NEEDLES[source] = tuple(sorted({fold(n) for n in needles}))  # type: ignore[arg-type]
        lowered = sorted({w.lower() for w in uniq}, key=lambda w: (-len(w), w))
        FAST_SOURCES[source] = "(?:" + "|".join(word_regex(w).removeprefix(WORD_START) for w in lowered) + ")"
    keys = [_word_key(w) for w in uniq]
    if all(keys):
        WORD_KEYS[source] = frozenset(keys)  # type: ignore[arg-type]
    return source


# regex source -> the first letters (KEY_LETTERS, folded) of every word of the alternation: a text none of
# whose words begins so cannot match it. A set look-up per sentence instead of a search per needle.
WORD_KEYS: dict[str, frozenset[str]] = {}
KEY_LETTERS = 3
_KEY_WORD = re.compile(rf"[^\W\d_]{{{KEY_LETTERS}}}")


def _word_key(word: str) -> str | None:
    """The first letters of an entry that must begin a word of a text it matches (None: cannot tell)."""
    if word.startswith("~"):
        return None
    m = _KEY_WORD.match(word)
    return fold(m.group(0)) if m else None


def word_keys(low: str) -> frozenset[str]:
    """The first letters of every word of a lower-cased text, folded: what WORD_KEYS are checked against."""
    return frozenset(fold_lower(m.group(0)[:KEY_LETTERS]) for m in re.finditer(r"[^\W\d_]+", low))


# regex source -> the same alternation in lower case without the leading word-start look-behind: run on
# lower-cased text it lets the regex engine skip to possible first letters (about 30 times faster);
# the word start is checked on each match instead (see finditer_words).
FAST_SOURCES: dict[str, str] = {}
_IGNORECASE = int(re.IGNORECASE)  # a plain int: RegexFlag arithmetic is slow in a hot loop
_FAST: dict[str, re.Pattern[str]] = {}


def finditer_words(rx: re.Pattern[str], text: str, low: str | None = None) -> list[re.Match[str]]:
    """The matches of a lexicon alternation in text: rx.finditer(text), computed the fast way when it can be.

    Matches found the fast way are matches on the lower-cased text (same offsets).
    """
    source = FAST_SOURCES.get(rx.pattern)
    low = text.lower() if low is None and source is not None else low
    if source is None or low is None or len(low) != len(text) or not rx.flags & _IGNORECASE:
        return list(rx.finditer(text))
    fast = _FAST.get(source)
    if fast is None:
        fast = _FAST[source] = re.compile(source)
    out = []
    for m in fast.finditer(low):
        start = m.start()
        if start and low[start].isalnum() and (low[start - 1].isalnum() or low[start - 1] == "_"):
            continue  # not at a word start
        out.append(m)
    return out


def _case_variants() -> dict[str, str] | None:
    """Letter -> the letters IGNORECASE matches with it although str.lower() keeps them apart (i: ı, s: ſ)."""
    try:
        from re._casefix import _EXTRA_CASES  # the regex engine's own table (CPython 3.11+)
    except ImportError:  # an interpreter without that private module: the same table, from str methods
        return _case_variants_from_str()
    return {chr(k): "".join(map(chr, v)) for k, v in _EXTRA_CASES.items()}


def _case_variants_from_str(last: int = 0xFFFF) -> dict[str, str]:
    """What re._casefix holds, computed: lower-case letters that share their upper case (ı, i: I), each with
    the others, in code point order. The table has no letter outside the BMP; about 50 ms."""
    by_upper: dict[str, list[str]] = {}
    for code in range(last + 1):
        low = chr(code).lower()
        if len(low) == 1:
            group = by_upper.setdefault(low.upper(), [])
            if low not in group:
                group.append(low)
    return {
        low: "".join(sorted(o for o in group if o != low))
        for group in by_upper.values()
        if len(group) > 1
        for low in group
    }


_VARIANTS = _case_variants()
# each letter with IGNORECASE twins -> the smallest of them (ı -> i, ſ -> s): see `fold`
_FOLD = {ord(ch): min(ch + twins) for ch, twins in (_VARIANTS or {}).items()}
_FOLDED = re.compile(
    "[" + re.escape("".join(chr(k) for k, v in _FOLD.items() if chr(k) != v)) + "]" if _FOLD else "(?!)"
)


def fold(text: str) -> str:
    """The text lower-cased, each letter replaced by the one the regex engine's IGNORECASE takes as its twin
    (ı and i, ſ and s): two words an IGNORECASE regex takes as equal have the same fold. A key for tables
    looked up with what such a regex matched, and the text the needle checks look in."""
    return fold_lower(text.lower())


def fold_lower(low: str) -> str:
    """`fold` of a text already lower-cased (the same string when it has no letter to replace)."""
    return low.translate(_FOLD) if _FOLDED.search(low) else low


def may_match(source: str, folded: str) -> bool:
    """False when the folded text (see `fold`) holds none of the needles of the alternation `source`: then
    the alternation (with or without IGNORECASE) cannot match it."""
    needles = NEEDLES.get(source)
    if needles is None:
        return True
    for n in needles:
        if n in folded:
            return True
    return False


class Gated:
    """A compiled regular expression that contains the lexicon alternation `required`: on a text holding none
    of that alternation's needles it answers "no match" at once, without running the expression.

    Lexicon alternations with IGNORECASE and a word-start look-behind cost tens of microseconds per search
    even on a short window; the needle check costs one or two.
    """

    __slots__ = ("rx", "pattern", "flags", "_required")

    def __init__(self, source: str, flags: int = 0, required: str | None = None) -> None:
        self.rx = re.compile(source, flags)
        self.pattern = source
        self.flags = self.rx.flags
        self._required = source if required is None else required

    def _open(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        part = text if pos == 0 and endpos is None else text[pos:endpos]
        return may_match(self._required, fold(part))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self._open(text, pos, endpos):
            return None
        return self.rx.search(text, pos) if endpos is None else self.rx.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self._open(text, pos, endpos):
            return None
        return self.rx.match(text, pos) if endpos is None else self.rx.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        if not self._open(text, pos, endpos):
            return iter(())
        return self.rx.finditer(text, pos) if endpos is None else self.rx.finditer(text, pos, endpos)


_LOOKUPS_MAX = 100_000  # words looked up and their values, kept per lexicon (documents repeat their words)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Merged language data: `lists[section.key]` word lists and `maps[section]` word -> value maps."""

    lists: dict[str, list[str]]
    maps: dict[str, dict[str, Any]]
    _looked_up: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def words(self, key: str) -> list[str]:
        return self.lists.get(key, [])

    def pattern(self, key: str) -> str:
        return alternation(self.words(key))

    def lookup(self, section: str, word: str) -> Any:
        """Value of `word` in a map section, matching `*` entries as prefixes (as IGNORECASE does: see fold)."""
        key = (section, word)
        if key in self._looked_up:
            return self._looked_up[key]
        if len(self._looked_up) >= _LOOKUPS_MAX:
            self._looked_up.clear()
        value = self._looked_up[key] = self._lookup(section, word)
        return value

    def _lookup(self, section: str, word: str) -> Any:
        table = self.maps.get(section, {})
        low = fold(word)  # what an IGNORECASE regex matched: "bıllıon" is the entry "billion"
        hit = table.get(low)
        if hit is not None:
            return hit
        best: tuple[int, Any] | None = None
        for key, value in table.items():
            if key.endswith("*") and low.startswith(key[:-1]) and (best is None or len(key) > best[0]):
                best = (len(key), value)
            elif key.startswith("~") and re.fullmatch(key[1:] + r"\w*", low):
                best = (len(key), value)
        return best[1] if best else None


@cache
def word_set(key: str) -> frozenset[str]:
    """The entries of a word list, lower-cased: for the look-up of one word."""
    return frozenset(w.lower() for w in load_lexicon().words(key))


@cache
def ending(key: str) -> re.Pattern[str]:
    """A list of word endings as one case-insensitive pattern matched at the end of a text."""
    words = load_lexicon().words(key)
    src = "|".join(w[1:] if w.startswith("~") else re.escape(w) for w in words) or "(?!x)x"
    return re.compile(f"(?:{src})$", re.IGNORECASE)


@cache
def word_pattern(key: str, template: str = "{}") -> re.Pattern[str]:
    """A word list as one case-insensitive pattern, set in `template` ("{}\\s*$": at the end of a text)."""
    return re.compile(template.format(alternation(load_lexicon().words(key))), re.IGNORECASE)


def _read(lang: str) -> dict[str, Any]:
    name = f"lexicon/{lang}.toml"
    return load_toml(name) if exists(name) else {}


@cache
def load_lexicon(langs: tuple[str, ...] = LANGS) -> Lexicon:
    lists: dict[str, list[str]] = {}
    maps: dict[str, dict[str, Any]] = {}
    for lang in langs:
        data = _read(lang)
        for section, body in data.items():
            if not isinstance(body, dict):
                continue
            if all(isinstance(v, list) for v in body.values()):
                for key, words in body.items():
                    lists.setdefault(f"{section}.{key}", []).extend(str(w) for w in words)
            else:
                table = maps.setdefault(section, {})
                for word, value in body.items():
                    table[fold(word)] = value
                    lists.setdefault(section, []).append(word)
    return Lexicon(lists, maps)
