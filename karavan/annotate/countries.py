"""Countries in every case and form, from karavan/data/countries.tsv.

Kinds of form: `name` (a proper-noun stem with any inflection, first letter as
written), `exact` (an abbreviation as a whole token: РК, ҚР, USA), `adj` (an
adjective stem, any case: казахстанско-таджикский gives KZ and TJ), `capital`
(a capital standing for its government: Душанбе).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.data import read_text


@dataclass(slots=True, frozen=True)
class CountryMatch:
    start: int
    end: int
    code: str
    form: str  # name, exact, adj, capital


WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Form:
    code: str
    kind: str  # name, exact, adj, capital
    tokens: tuple[str, ...]  # lower-case words of the form


@dataclass(frozen=True, slots=True)
class CountryGrammar:
    by_key: dict[str, list[Form]]  # first three letters of the first word -> forms, longest first


def _entries() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in read_text("countries.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, lang, form = line.split("\t")
        rows.append((code.strip(), kind.strip(), lang.strip(), form.strip()))
    return rows


def _key(word: str) -> str:
    return word[:3].lower()


@cache
def grammar() -> CountryGrammar:
    by_key: dict[str, list[Form]] = {}
    seen = set()
    for code, kind, _lang, form in _entries():
        if (kind, form) in seen:
            continue
        seen.add((kind, form))
        words = tuple(form.split(" "))
        by_key.setdefault(_key(words[0]), []).append(Form(code, kind, words))
    for forms in by_key.values():
        forms.sort(key=lambda f: (-len(f.tokens), -sum(map(len, f.tokens))))
    return CountryGrammar(by_key)


def _word_matches(form: Form, i: int, word: str) -> bool:
    tok = form.tokens[i]
    if form.kind == "exact":
        return word == tok
    if form.kind in ("name", "capital") and i == 0 and word[:1] != tok[:1]:
        return False  # a proper noun keeps its capital letter: Инди(я) but not индивидуальный
    return word.lower().startswith(tok.lower())


def read_countries(text: str) -> list[CountryMatch]:
    """Country forms as whole words (any inflection after the stem), longest form first."""
    g = grammar()
    words = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
    out: list[CountryMatch] = []
    i = 0
    while i < len(words):
        start, end, word = words[i]
        hit = None
        for form in g.by_key.get(_key(word), ()):
            n = len(form.tokens)
            if i + n > len(words):
                continue
            if all(_word_matches(form, k, words[i + k][2]) for k in range(n)):
                hit = (form, n)
                break
        if hit:
            form, n = hit
            out.append(CountryMatch(start, words[i + n - 1][1], form.code, form.kind))
            i += n
        else:
            i += 1
    return out
