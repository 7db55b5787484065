"""Countries in every case and form, from karavan/data/countries.tsv.

Kinds of form: `name` (a proper-noun stem with any inflection, first letter as
written), `exact` (an abbreviation as a whole token: РК, ҚР, USA), `adj` (an
adjective stem, any case: казахстанско-таджикский gives KZ and TJ), `capital`
(a capital standing for its government: Душанбе), `not` (a word that only begins like a
name: Индивидуальный is not Инди(я); nothing is found there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice

from karavan.annotate.tokens import KEY, TokenIndex, index_tokens
from karavan.data import read_text


@dataclass(slots=True, frozen=True)
class CountryMatch:
    start: int
    end: int
    code: str
    form: str  # name, exact, adj, capital, demonym


WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Form:
    code: str
    kind: str  # name, exact, adj, capital
    tokens: tuple[str, ...]  # the words of the form, as written in countries.tsv
    low: tuple[str, ...]  # the same, lower-cased


@dataclass(frozen=True, slots=True)
class CountryGrammar:
    by_key: dict[str, list[Form]]  # first three letters of the first word -> forms, longest first
    most_words: dict[str, int]  # key -> the number of words of its longest form


@cache
def country_entries() -> list[tuple[str, str, str, str]]:
    """The rows of data/countries.tsv: (code, kind, lang, form); read by this annotator and by the people's
    role phrases."""
    rows = []
    for line in read_text("countries.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, lang, form = line.split("\t")
        rows.append((code.strip(), kind.strip(), lang.strip(), form.strip()))
    return rows


def _key(word: str) -> str:
    return word[:KEY].lower()


@cache
def grammar() -> CountryGrammar:
    by_key: dict[str, list[Form]] = {}
    seen = set()
    for code, kind, _lang, form in country_entries():
        if (kind, form) in seen:
            continue
        seen.add((kind, form))
        words = tuple(form.split(" "))
        by_key.setdefault(_key(words[0]), []).append(Form(code, kind, words, tuple(w.lower() for w in words)))
    for forms in by_key.values():
        forms.sort(key=lambda f: (-len(f.tokens), -sum(map(len, f.tokens))))
    most_words = {k: max(len(f.tokens) for f in forms) for k, forms in by_key.items()}
    return CountryGrammar(by_key, most_words)


def country_keys() -> frozenset[str]:
    """The token keys (first letters) `read_countries` asks a token index for."""
    return frozenset(grammar().by_key)


def _word_matches(form: Form, i: int, word: str, low: str) -> bool:
    """The i-th word of the form matches this word of the text (`low`: the word lower-cased)."""
    if form.kind == "exact":
        return word == form.tokens[i]
    if form.kind in ("name", "capital") and i == 0 and word[:1] != form.tokens[0][:1]:
        return False  # a proper noun keeps its capital letter: Инди(я) but not индивидуальный
    return low.startswith(form.low[i])


def read_countries(text: str, tokens: TokenIndex | None = None) -> list[CountryMatch]:
    """Country forms as whole words (any inflection after the stem), longest form first.

    Only the words filed under a form's key in the token index are looked at (`tokens`: the text's
    index when the caller has it).
    """
    g = grammar()
    tokens = index_tokens(text) if tokens is None else tokens
    low = tokens.low
    out: list[CountryMatch] = []
    taken = 0  # the end of the last match: words before it are part of it
    for at in tokens.starts(g.by_key):
        if at < taken or (at and _is_word_char(low[at - 1])):
            continue  # inside the last match, or letters right after digits ("2024Казахстан"): not a word start
        key = tokens.token_at(at)[:KEY]
        spans = [(m.start(), m.end()) for m in islice(WORD.finditer(low, at), g.most_words[key])]
        for form in g.by_key[key]:
            n = len(form.tokens)
            if n <= len(spans) and all(
                _word_matches(form, k, text[a:b], low[a:b]) for k, (a, b) in enumerate(spans[:n])
            ):
                if form.kind != "not":  # a word that only begins like a country's name
                    out.append(CountryMatch(at, spans[n - 1][1], form.code, form.kind))
                taken = spans[n - 1][1]
                break
    return out


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
