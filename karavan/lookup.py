"""What a user types, read as karavan's names: people in any script and case, country names in any of the
region's languages, country pairs. Serves the CLI's arguments and the dashboard's search alike.

    people_matching("Бектенов", names)      -> ["Olzhas Bektenov"]
    people_matching("japarov", names)       -> ["Akylbek Japarov", "Sadyr Japarov"]   (ambiguous: say so)
    countries_named("Таджикистан")          -> ["TJ"]
    pair_named("kz-tj")                      -> ("KZ", "TJ")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from karavan.annotate.lexicon import fold

WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
PAIR = re.compile(r"^\s*([A-Za-z]{2})\s*[-–/,]\s*([A-Za-z]{2})\s*$")
PREFIX_MIN = 4  # a typed word this long may be the start of a name form ("Bekten")


def person_key(name: str) -> str:
    """The id of a person's page and of `karavan person`: 'Olzhas Bektenov' -> 'olzhas-bektenov'."""
    return "-".join(w.lower() for w in WORD.findall(name))


@cache
def _lexicon_forms() -> dict[str, frozenset[str]]:
    """English name -> every written form of its first and last names (folded), from data/people.toml."""
    from karavan.annotate.people_data import people_data

    return {p.name: p.first | p.last for p in people_data().people}


def lexicon_names() -> list[str]:
    return sorted(_lexicon_forms())


def _forms(name: str) -> set[str]:
    words = {fold(w) for w in WORD.findall(name)}
    return words | {fold(name)} | set(_lexicon_forms().get(name, ()))


def _word_names(word: str, forms: set[str]) -> bool:
    return word in forms or (len(word) >= PREFIX_MIN and any(f.startswith(word) for f in forms))


def people_matching(query: str, names: Iterable[str]) -> list[str]:
    """The names `query` stands for, sorted: its id or English name exactly (one name), else every name
    each of whose typed words is one of its first or last name forms (Russian cases, Kazakh, English
    spellings), or the start of one; case and script do not matter."""
    pool = sorted(set(names))
    wanted = query.strip()
    exact = [n for n in pool if fold(wanted) == fold(n) or person_key(wanted) == person_key(n)]
    if exact:
        return exact[:1]
    words = [fold(w) for w in wanted.split() if w]
    if not words:
        return []
    return [n for n in pool if all(_word_names(w, _forms(n)) for w in words)]


def countries_named(text: str) -> list[str]:
    """ISO codes of the countries `text` names, in any form the country annotator knows (Таджикистан,
    Tájikstan, Tajikistan, Душанбе stands for TJ), in order of appearance, each once."""
    from karavan.annotate.countries import read_countries

    out: list[str] = []
    for m in read_countries(text):
        if m.code != "-" and m.code not in out:
            out.append(m.code)
    return out


def pair_named(text: str) -> tuple[str, str] | None:
    """('KZ', 'TJ') for 'KZ-TJ', 'kz/tj', 'KZ–TJ'; None for anything else."""
    m = PAIR.match(text)
    return (m.group(1).upper(), m.group(2).upper()) if m else None
