"""The CLI's enumerated options and names, checked: an unknown value is an error that lists the valid ones
(argparse prints it with the command's usage and exits 2), with the closest valid value when one is close.

    p.add_argument("--type", type=one_of("fact type", FACT_TYPES))
    p.add_argument("--pair", type=country_pair)
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable, Iterable

from karavan.annotate.lexicon import LANGS
from karavan.lookup import pair_named
from karavan.reconcile.countries import country_table

FACT_TYPES = ("trade", "target", "export_offer", "partner_rank", "share", "meeting", "agreement", "project")
FLOWS = ("turnover", "export", "import")
QUOTE_LANGS = LANGS  # ru, kk, en


def unknown(what: str, value: str, valid: Iterable[str]) -> str:
    """ "unknown fact type 'trades' (did you mean 'trade'?): choose one of trade, target, ..."."""
    choices = list(valid)
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {value!r}{hint}: choose one of {', '.join(choices)}"


def one_of(what: str, valid: Iterable[str]) -> Callable[[str], str]:
    """An argparse type: the value in lower case when it is one of `valid`, else an error listing them."""
    choices = tuple(valid)

    def check(value: str) -> str:
        low = value.strip().lower()
        if low not in choices:
            raise argparse.ArgumentTypeError(unknown(what, value, choices))
        return low

    check.__name__ = what.replace(" ", "_")  # argparse names the type in its messages
    return check


def country_code(value: str) -> str:
    """An argparse type: an ISO 3166 alpha-2 code karavan knows (data/countries_iso.tsv), upper case."""
    code = value.strip().upper()
    if code not in country_table():
        raise argparse.ArgumentTypeError(unknown("country code", value, sorted(country_table())))
    return code


def country_pair(value: str) -> str:
    """An argparse type: 'kz-tj' -> 'KZ-TJ', both codes known; an error naming the bad part otherwise."""
    pair = pair_named(value)
    if pair is None:
        raise argparse.ArgumentTypeError(f"a pair is two ISO country codes like KZ-TJ, got {value!r}")
    for code in pair:
        if code not in country_table():
            raise argparse.ArgumentTypeError(
                f"in {value!r}: " + unknown("country code", code, sorted(country_table()))
            )
    return "-".join(pair)


def pairs_with_facts(conn: object) -> list[str]:
    """The pairs the store has facts of, as 'KZ-TJ' (codes sorted): for "nothing for that pair" notes."""
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT DISTINCT reporter, partner FROM facts WHERE reporter IS NOT NULL AND partner IS NOT NULL"
    ).fetchall()
    return sorted({"-".join(sorted((a, b))) for a, b in rows if a != b})
