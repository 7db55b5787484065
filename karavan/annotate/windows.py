"""Anchors: the only places of a text where a number or period reading can start.

Every amount, percent, factor or period contains an anchor: a digit or a word
of a closed class (number words, month names, ordinals, "прошлый", "текущий",
"полугодие"). Finding anchors is one cheap pass (digits, and a dictionary look-up
per word); the expensive grammars are then tried only there (`match_at`), with
the same results as a run over the whole text.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.annotate.first_letters import first_letters
from karavan.annotate.lexicon import load_lexicon
from karavan.annotate.tokens import KEY, TokenIndex, index_tokens


@cache
def anchor_stems() -> dict[str, tuple[str, ...]]:
    """First letters -> stems of anchor words (lower case, inflection allowed after the stem)."""
    lex = load_lexicon()
    words: list[str] = []
    for section in ("number_words", "months", "ordinals", "factor_words"):
        words.extend(lex.maps.get(section, {}).keys())
    for key in (
        "periods.current",
        "periods.previous",
        "periods.previous_one_word",
        "periods.half_words",
        "periods.quarter_words",
        "periods.month_words",
        "periods.year_words",
        "periods.same_period",
        "periods.same_period_other",
        "periods.this_period",
        "periods.next",
        "periods.span_past",
        "periods.span_future",
        "periods.near_future",
        "periods.compact_anchors",
        "periods.season_words",
    ):
        words.extend(lex.words(key))
    stems: dict[str, set[str]] = {}
    for w in words:
        w = w.lower().lstrip("~").split(" ")[0]
        prefix = w.endswith("*") or bool(re.search(r"[\[(]", w))
        w = re.split(r"[*\[(.]", w)[0]
        if w:
            # "=" marks a whole word, "+" a stem that any inflection may follow
            stems.setdefault(w[:KEY], set()).add(("+" if prefix else "=") + w)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in stems.items()}


def anchor_keys() -> frozenset[str]:
    """The token keys (first letters) `anchors` asks a token index for."""
    return frozenset(anchor_stems()) | ROMAN


def _is_anchor(low: str, cands: tuple[str, ...]) -> bool:
    for c in cands:
        if c[0] == "=" and low == c[1:]:
            return True
        if c[0] == "+" and low.startswith(c[1:]):
            return True
    return False


ROMAN = frozenset({"i", "ii", "iii", "iv"})


def anchors(text: str, tokens: TokenIndex | None = None) -> list[int]:
    """Start offsets of every anchor token: where a number or period reading can begin.

    `tokens`: the text's token index when the caller has it (annotate shares one between annotators).
    """
    tokens = index_tokens(text) if tokens is None else tokens
    stems = anchor_stems()
    out = list(tokens.digits)
    for key in tokens.by_key.keys() & (stems.keys() | ROMAN):
        cands = stems.get(key, ())
        for pos in tokens.by_key[key]:
            low = tokens.token_at(pos)
            if (cands and _is_anchor(low, cands)) or low in ROMAN:
                out.append(pos)
    out.sort()
    return out


def match_at(rx: re.Pattern[str], text: str, starts: list[int]):
    """rx.match at each start offset, skipping starts inside the previous match (and those whose letter
    the grammar cannot begin with: see first_letters)."""
    first = first_letters(rx)
    known = first.known
    end = -1
    for pos in starts:
        if pos < end:
            continue
        ch = text[pos]
        ok = known.get(ch)
        if ok is None:
            ok = first.can_begin(ch)
        if not ok:
            continue
        m = rx.match(text, pos)
        if m is not None and m.end() > m.start():
            end = m.end()
            yield m
