"""A country named in an official table, as an ISO 3166 alpha-2 code.

Accepted: the alpha-2 code (`KZ`), alpha-3 (`KAZ`, Comtrade's reporterISO), the UN M49 or Comtrade number
(`398`), or a name in any form karavan's country annotator reads (`Казахстан`, `Qazaqstan`, `China`). A
name that does not name exactly one country (a total row, `СНГ`, `Всего`) is None.
"""

from __future__ import annotations

from functools import cache

from karavan.lookup import countries_named
from karavan.reconcile.countries import country_table


@cache
def _codes() -> dict[str, str]:
    out: dict[str, str] = {}
    for iso2, c in country_table().items():
        out[iso2.upper()] = iso2
        out[c.iso3.upper()] = iso2
        for number in (c.m49, c.comtrade):
            if number is not None:
                out[str(number)] = iso2
    return out


def country_code(value: str, aliases: dict[str, str] | None = None) -> str | None:
    """The alpha-2 code `value` stands for, or None."""
    text = " ".join(str(value).split())
    if not text:
        return None
    if aliases and text in aliases:
        return aliases[text]
    key = text.upper().lstrip("0") if text.isdigit() else text.upper()
    if key in _codes():
        return _codes()[key]
    named = countries_named(text)
    return named[0] if len(named) == 1 else None
