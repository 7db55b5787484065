"""ISO 3166 alpha-2 -> alpha-3, UN M49 and UN Comtrade codes (karavan/data/countries_iso.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from karavan.data import read_text


@dataclass(frozen=True, slots=True)
class CountryCodes:
    iso2: str
    iso3: str
    m49: int | None
    comtrade: int | None
    name: str


@cache
def country_table() -> dict[str, CountryCodes]:
    text = read_text("countries_iso.tsv")
    out: dict[str, CountryCodes] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso2, iso3, m49, comtrade, name = line.split("\t")
        out[iso2] = CountryCodes(
            iso2, iso3, int(m49) if m49 else None, int(comtrade) if comtrade else None, name
        )
    return out


def codes(iso2: str) -> CountryCodes | None:
    """The codes of a country, or None when it is not in the table."""
    return country_table().get(iso2.upper())
