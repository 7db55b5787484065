"""Words in a quote that the fact fields do not carry: own-data claims and hedges on a percentage.

The word lists live in karavan/data/reconcile.toml.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources

from karavan.reconcile.intervals import to_decimal

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WINDOW_BEFORE = 40
_WINDOW_AFTER = 25


@cache
def _config() -> dict:
    text = resources.files("karavan").joinpath("data/reconcile.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


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
    for m in _NUMBER.finditer(q):
        if Decimal(m.group().replace(",", ".")) != target:
            continue
        before = q[max(0, m.start() - _WINDOW_BEFORE) : m.start()].rstrip(" -–+$")
        skip = _config()["change_hedge"]["skip"]
        while (last := re.search(r"(\w+)$", before)) and last.group(1) in skip:
            before = before[: last.start()].rstrip()
        after = q[m.end() : m.end() + _WINDOW_AFTER]
        after_words = re.findall(r"\w+", after)[:3]
        approx, bound = False, None
        for kind in ("gt", "lt", "approx"):
            words = _config()["change_hedge"][kind]
            hit_before = any(re.search(r"(?:^|\W)" + re.escape(w) + r"$", before) for w in words["before"])
            hit_after = any(w in after_words for w in words["after"])
            if hit_before or hit_after:
                if kind == "approx":
                    approx = True
                elif bound is None:
                    bound = kind
        return approx, bound
    return False, None
