"""Split a file that holds several articles glued together; conservative: one article unless clear.

    groups = split_articles(lines, guesses)   # lists of article lines, in order

A new article starts at a content line when the evidence is clear:
- closing chrome (comment form, copyright, subscribe block) lies between article body before it
  and a title with body after it;
- a title-like line directly followed by a dateline ("Ташкент, 3 октября. -") or by a date stamp the
  chrome pass took ("03.10.2024 14:20"), after body text that ended a sentence;
- the line before ends with a source signature ("... - Kapital.kz") and a title with body follows;
- the language or script changes, with enough pure text on both sides.
Patterns are data: karavan/data/articles.toml.
"""

from __future__ import annotations

import re
from collections import Counter

from karavan.clean.langid import Guess
from karavan.clean.lines import LONG_LINE, Line, title_like
from karavan.data import load_toml

_DATA = load_toml("articles.toml")
_MONTHS = "|".join(_DATA["months"])
_DATELINE = re.compile(
    "|".join(f"(?:{p.replace('{months}', _MONTHS)})" for p in _DATA["datelines"]), re.IGNORECASE
)
_SIGNATURE = re.compile("|".join(f"(?:{p})" for p in _DATA["signatures"]), re.IGNORECASE)
CLOSING = frozenset(_DATA["closing_kinds"])
DATED = frozenset(_DATA["dateline_kinds"])
LANG_MIN: int = _DATA["lang_min_letters"]
LANG_PURITY: float = _DATA["lang_purity"]
_SENTENCE_END = re.compile(r"[.!?\"')…]$")

Key = tuple[str | None, str | None]


def is_dateline(text: str) -> bool:
    return _DATELINE.match(text) is not None


def split_articles(lines: list[Line], guesses: dict[int, Guess]) -> list[list[Line]]:
    """Article text lines (non-blank, not chrome) grouped by article; `guesses` is keyed by line start."""
    content = [line for line in lines if not line.blank and line.kind is None]
    if not content:
        return []
    closing_before = _closing_before(lines)
    dated = _dated(lines)
    groups: list[list[Line]] = []
    current: list[Line] = []
    body = False  # _has_body(current), kept as lines are added (asked again for each line, it was quadratic)
    for k, line in enumerate(content):
        if current and _starts_article(content, k, body, closing_before, dated):
            groups.append(current)
            current, body = [], False
        current.append(line)
        body = body or _has_body([line])
    groups.append(current)
    out: list[list[Line]] = []
    for group in groups:
        out.extend(_split_by_language(group, guesses))
    return out


def _closing_before(lines: list[Line]) -> set[int]:
    """Starts of content lines that have closing chrome between them and the previous content line."""
    out: set[int] = set()
    closing = False
    for line in lines:
        if line.blank:
            continue
        if line.kind is not None:
            closing = closing or line.kind in CLOSING
        else:
            if closing:
                out.add(line.start)
            closing = False
    return out


def _dated(lines: list[Line]) -> set[int]:
    """Starts of content lines directly followed by a date stamp that is chrome (blank lines between)."""
    out: set[int] = set()
    prev: Line | None = None
    for line in lines:
        if line.blank:
            continue
        if prev is not None and prev.kind is None and line.kind in DATED:
            out.add(prev.start)
        prev = line
    return out


def _has_body(lines: list[Line]) -> bool:
    return any(len(line.text) >= LONG_LINE for line in lines)


def _starts_article(
    content: list[Line], k: int, current_has_body: bool, closing_before: set[int], dated: set[int]
) -> bool:
    if not current_has_body:
        return False
    line = content[k]
    following = content[k : k + 3]
    nxt = content[k + 1] if k + 1 < len(content) else None
    if line.start in closing_before and _has_body(following):
        return True
    if not title_like(line.text) or nxt is None:
        return False
    prev = content[k - 1].text
    if (is_dateline(nxt.text) or line.start in dated) and _SENTENCE_END.search(prev):
        return True
    return _SIGNATURE.fullmatch(prev) is not None and _has_body(following)


def _split_by_language(group: list[Line], guesses: dict[int, Guess]) -> list[list[Line]]:
    """Split once where a long pure run of one language gives way to a long pure run of another."""
    keys = [guesses[line.start].key for line in group]
    weights = [guesses[line.start].letters if keys[i] else 0 for i, line in enumerate(group)]
    total: Counter[Key] = Counter()
    for key, w in zip(keys, weights, strict=True):
        if key:
            total[key] += w
    if len(total) < 2:
        return [group]
    before: Counter[Key] = Counter()
    last_key: Key | None = None
    for k, (key, w) in enumerate(zip(keys, weights, strict=True)):
        if key and last_key and key != last_key and _pure(before, last_key) and _pure(total - before, key):
            cut = k
            while cut > 0 and keys[cut - 1] is None and title_like(group[cut - 1].text):
                cut -= 1  # an undecided title goes with the article it opens
            if cut > 0:
                return [group[:cut], *_split_by_language(group[cut:], guesses)]
        if key:
            before[key] += w
            last_key = key
    return [group]


def _pure(counts: Counter[Key], key: Key) -> bool:
    n = sum(counts.values())
    return n >= LANG_MIN and counts[key] >= LANG_PURITY * n
