"""Words in a quote that the fact fields do not carry: own-data claims and hedges on a percentage.

The word lists live in karavan/data/reconcile.toml.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from karavan.data import load_toml
from karavan.reconcile.intervals import to_decimal

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WINDOW_BEFORE = 40
_WINDOW_AFTER = 25


@cache
def _config() -> dict:
    return load_toml("reconcile.toml")


@cache
def _hedge_words() -> tuple[frozenset[str], dict[str, tuple[re.Pattern[str] | None, frozenset[str]]]]:
    """The skip words, and for each hedge kind the words just before a number (one pattern) and just after it."""
    table = _config()["change_hedge"]
    kinds = {}
    for kind in ("gt", "lt", "approx"):
        words = table[kind]
        before = "|".join(re.escape(w) for w in words["before"])
        kinds[kind] = (re.compile(rf"(?:^|\W)(?:{before})$") if before else None, frozenset(words["after"]))
    return frozenset(table["skip"]), kinds


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).lower()


def own_data(quote: str | None) -> bool:
    """True when the quote presents the figure as the speaker's own statistics ("по нашим данным")."""
    if not quote:
        return False
    q = _norm(quote)
    return any(p in q for p in _config()["own_data"]["phrases"])


def change_hedge(quote: str | None, pct: float | None) -> tuple[bool, str | None]:
    """(approx, bound) of the percentage `pct` as written in `quote` ("более 20%" -> (False, "gt")).

    Looks at the words just before the number and, for Kazakh postpositions, just after it.
    """
    if not quote or pct is None:
        return False, None
    target = abs(to_decimal(pct))
    q = _norm(quote)
    skip, kinds = _hedge_words()
    for m in _NUMBER.finditer(q):
        if Decimal(m.group().replace(",", ".")) != target:
            continue
        before = q[max(0, m.start() - _WINDOW_BEFORE) : m.start()].rstrip(" -–+$")
        while (last := re.search(r"(\w+)$", before)) and last.group(1) in skip:
            before = before[: last.start()].rstrip()
        after = q[m.end() : m.end() + _WINDOW_AFTER]
        after_words = re.findall(r"\w+", after)[:3]
        approx, bound = False, None
        for kind, (before_words, after_set) in kinds.items():
            hit_before = before_words is not None and before_words.search(before) is not None
            hit_after = any(w in after_set for w in after_words)
            if hit_before or hit_after:
                if kind == "approx":
                    approx = True
                elif bound is None:
                    bound = kind
        return approx, bound
    return False, None
