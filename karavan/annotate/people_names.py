"""A name as the text writes it, turned into its nominative and its common English spelling.

- Russian: a name in apposition to a title takes the title's case («с министром Мадиной Абылкасымовой»);
  `nominative` undoes the case by the ending tables of data/people.toml [russian] (surname, patronymic,
  first name), the gender the surname shows choosing the first name's ending.
- Kazakh: a case or possessive suffix stands on the last word only («Арман Шаққалиевпен»): `kazakh_stem`.
- `english`: Cyrillic by the Wikipedia romanisation of the maintained iuliia library (Kazakh letters read as
  their Russian neighbours first), Latin as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import iuliia

from karavan.annotate.people_data import load_data

CASES = ("nom", "gen", "dat", "ins", "pre")
_VOWELS = frozenset("аеёиоуыэюяaeiouy")
_KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# endings a Kazakh surname keeps under its suffix: the suffix is stripped only when such a stem remains
_KK_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ина|ына|ұлы|улы|қызы|кызы|uly|qyzy|ов|зода|заде|ski|ский)$", re.I
)


@dataclass(frozen=True, slots=True)
class _Rule:
    ending: str
    nominative: str
    gender: str
    after_consonant: bool

    def fits(self, word: str) -> bool:
        low = word.lower()
        if not low.endswith(self.ending) or len(low) - len(self.ending) < 2:
            return False
        return not self.after_consonant or low[-len(self.ending) - 1] not in _VOWELS

    def apply(self, word: str) -> str:
        return word[: len(word) - len(self.ending)] + self.nominative


@cache
def _rules() -> dict[str, dict[str, tuple[_Rule, ...]]]:
    raw = load_data("people.toml")["russian"]
    out: dict[str, dict[str, tuple[_Rule, ...]]] = {}
    for part, by_case in raw.items():
        out[part] = {}
        for case, rows in by_case.items():
            rules = [_Rule(e.lstrip("C"), n, g, e.startswith("C")) for e, n, g in rows]
            out[part][case] = tuple(sorted(rules, key=lambda r: -len(r.ending)))
    return out


def _apply(part: str, case: str, word: str, gender: str | None) -> tuple[str, str | None]:
    for rule in _rules()[part].get(case, ()):
        if (gender is None or rule.gender == gender) and rule.fits(word):
            return rule.apply(word), rule.gender
    return word, None


@lru_cache(maxsize=1 << 12)
def nominative(words: tuple[str, ...], case: str) -> tuple[str, ...]:
    """The words of a Russian name (first [patronymic] surname) in the nominative; `case` is one of CASES."""
    if case == "nom" or not words or not all(_CYRILLIC.search(w) for w in words):
        return words
    *firsts, last = words
    surname, gender = _apply("surname", case, last, None) if firsts else (last, None)
    out = []
    for i, w in enumerate(firsts):
        part = "patronymic" if i and _apply("patronymic", case, w, gender)[1] else "first"
        word, g = _apply(part, case, w, gender)
        gender = gender or g
        out.append(word)
    if firsts and surname == last and gender is not None:  # the surname did not decline: try it again
        surname, _ = _apply("surname", case, last, gender)
    return (*out, surname)


@cache
def _kazakh_suffixes() -> tuple[str, ...]:
    return tuple(sorted(load_data("people.toml")["kazakh"]["suffixes"], key=len, reverse=True))


def kazakh_stem(word: str) -> str:
    """A Kazakh surname without its case or possessive suffix («Шаққалиевпен» -> «Шаққалиев»)."""
    low = word.lower()
    for suf in _kazakh_suffixes():
        if low.endswith(suf) and len(low) - len(suf) >= 3:
            stem = word[: len(word) - len(suf)].rstrip("-'’")
            # a stem that ends as surnames do, or a long suffix after a consonant («Ганның»)
            if _KK_SURNAME.search(stem) or (len(suf) >= 3 and stem[-1:].lower() not in _VOWELS):
                return stem
    return word


# й after a vowel other than и/ы and before no vowel is written i, as English news spells these names
# (Кайрат -> Kairat, Айдарбек -> Aidarbek, Михайлов -> Mikhailov, Сергей -> Sergei), not y
_SHORT_I = re.compile(r"(?<=[аеёоуэюяАЕЁОУЭЮЯ])й(?![аеёиоуыэюяАЕЁИОУЫЭЮЯ])")


@lru_cache(maxsize=1 << 12)
def english(words: tuple[str, ...]) -> str:
    """The common English spelling of a name: Cyrillic romanised (iuliia, Wikipedia scheme, with й after a
    vowel as i), Latin kept."""
    out = []
    for w in words:
        if _CYRILLIC.search(w):
            w = iuliia.WIKIPEDIA.translate(_SHORT_I.sub("и", w.translate(_KK_TO_RU)))
        out.append(w)
    return " ".join(out)
