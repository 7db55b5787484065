"""Loaded language data for people, roles and places (data/people.toml, roles.toml, places.toml).

Everything here is immutable and cached once per process; matching is on folded
forms: lower case, no diacritics, Kazakh Cyrillic letters mapped to their Russian
neighbours (`Тоқаев` -> `токаев`), Kazakh Latin `q` -> `k`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_FOLD = str.maketrans(
    {
        "ё": "е", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ә": "а",
        "ı": "i", "ǵ": "g", "ń": "n", "q": "k", "’": "'",
    }
)  # fmt: skip


def fold(word: str) -> str:
    """Lower case, diacritics removed, Kazakh letters mapped to Russian/Latin neighbours."""
    low = unicodedata.normalize("NFD", word.lower())
    low = "".join(ch for ch in low if not unicodedata.combining(ch))
    # NFD turns й into и + breve: keep й
    return unicodedata.normalize("NFC", low).translate(_FOLD).replace("и\u0306", "й")


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    start: str  # "YYYY-MM"
    end: str  # "" = still in office

    def active(self, ym: str) -> bool:
        return self.start <= ym and (not self.end or ym <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    country: str
    first: frozenset[str]
    last: frozenset[str]
    roles: tuple[Role, ...]
    last_first: bool = False
    surname_alone: bool = True

    def holds(self, role: str, ym: str | None) -> bool:
        return any(r.role == role and (ym is None or r.active(ym)) for r in self.roles)

    def rank(self, ranks: dict[str, int], ym: str | None) -> int:
        live = [ranks.get(r.role, 9) for r in self.roles if ym is None or r.active(ym)]
        return min(live) if live else 99


def _load(name: str) -> dict[str, Any]:
    with resources.files("karavan.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True, slots=True)
class PeopleData:
    people: tuple[Person, ...]
    by_first: dict[str, tuple[Person, ...]]
    by_last: dict[str, tuple[Person, ...]]
    suffixes: tuple[str, ...]
    role_ranks: dict[str, int]
    role_regex: re.Pattern[str]  # named groups are not used: role_of() maps a match back
    role_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    country_only: re.Pattern[str]
    generic_head: re.Pattern[str]
    join: re.Pattern[str]
    link_after: re.Pattern[str]
    link_before: tuple[str, ...]


@cache
def people_data() -> PeopleData:
    raw = _load("people.toml")
    people = []
    by_first: dict[str, list[Person]] = {}
    by_last: dict[str, list[Person]] = {}
    for p in raw["person"]:
        person = Person(
            name=p["name"],
            country=p["country"],
            first=frozenset(fold(x) for x in p["first"]),
            last=frozenset(fold(x) for x in p["last"]),
            roles=tuple(Role(r["role"], r["from"], r.get("to", "")) for r in p["roles"]),
            last_first=p.get("order") == "last_first",
            surname_alone=p.get("surname_alone", True),
        )
        people.append(person)
        for f in person.first:
            by_first.setdefault(f, []).append(person)
        for f in person.last:
            by_last.setdefault(f, []).append(person)
    roles = _load("roles.toml")
    ranks = {k: v.get("rank", 9) for k, v in roles["role"].items()}
    pats = []
    for key, spec in roles["role"].items():
        for pat in spec.get("patterns", []):
            pats.append((key, re.compile(r"(?<!\w)(?:" + pat + r")(?!\w)", re.IGNORECASE)))
    every = "|".join(p.pattern for _, p in pats)
    pres = roles["role"]["president"]
    return PeopleData(
        people=tuple(people),
        by_first={k: tuple(v) for k, v in by_first.items()},
        by_last={k: tuple(v) for k, v in by_last.items()},
        suffixes=tuple(sorted({fold(s) for s in raw["kazakh"]["suffixes"]}, key=len, reverse=True)),
        role_ranks=ranks,
        role_regex=re.compile(every, re.IGNORECASE),
        role_patterns=tuple(pats),
        country_only=re.compile(r"(?<!\w)(?:" + "|".join(pres["country_only"]) + r")(?!\w)", re.IGNORECASE),
        generic_head=re.compile(r"(?<!\w)(?:" + "|".join(pres["generic"]) + r")(?!\w)", re.IGNORECASE),
        join=re.compile("(?:" + "|".join(roles["join"]["patterns"]) + ")", re.IGNORECASE),
        link_after=re.compile("(?:" + "|".join(roles["link"]["after"]) + ")", re.IGNORECASE),
        link_before=tuple(roles["link"]["before"]),
    )


@dataclass(frozen=True, slots=True)
class PlaceData:
    country: re.Pattern[str]  # one group per country: (?P<KZ>...)
    country_adj: re.Pattern[str]
    city: re.Pattern[str]  # one group per city index: c0, c1, ...
    cities: tuple[tuple[str, str], ...]  # (English name, ISO2) by index


def _alt(pats: list[str]) -> str:
    return "|".join(sorted(pats, key=len, reverse=True))


@cache
def place_data() -> PlaceData:
    raw = _load("places.toml")
    names, adjs = [], []
    for code, spec in raw["country"].items():
        alts = [r"(?i:" + _alt(spec["names"]) + ")"]
        if spec.get("exact"):
            alts.append(_alt([re.escape(x) for x in spec["exact"]]))
        names.append(f"(?P<{code}>" + "|".join(alts) + ")")
        adjs.append(f"(?P<{code}>(?i:" + _alt(spec["adj"]) + "))")
    cities = tuple((c["name"], c["country"]) for c in raw["city"])
    city_alts = [f"(?P<c{i}>" + _alt(c["forms"]) + ")" for i, c in enumerate(raw["city"])]
    return PlaceData(
        country=re.compile(r"(?<!\w)(?:" + "|".join(names) + r")(?!\w)"),
        country_adj=re.compile(r"(?<!\w)(?:" + "|".join(adjs) + r")(?!\w)"),
        city=re.compile(r"(?<!\w)(?:" + "|".join(city_alts) + r")(?![\w-])", re.IGNORECASE),
        cities=cities,
    )
