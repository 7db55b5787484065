"""Countries, blocs and regions in every case and form, from karavan/data/countries.tsv.

What a row names follows from its code: an ISO 3166-1 code (or EU) a country, an ISO 3166-2 code
(KZ-19, or KZ-? / ??-? for a unit the table does not name) a region or city standing for its
administration, `@NAME` a bloc, continent or the world (@EAEU, @CA, @WORLD). `read_places` gives all
three (CountryMatch.kind "country", "subnational", "bloc"); `read_countries` the countries only.

How a form matches, by its kind: `name` (a stem of every word, any inflection after it, a capital
first letter as written), `exact` (whole words as written: РК, ҚР, USA), `adj` and `demonym` (stems
in either case: казахстанско-таджикский gives KZ and TJ; "ирано-" the first part of a compound),
`capital` (a capital standing for its government: Душанбе, as `name`), `not` (a word that only begins
like a form: Индивидуальный is not Инди(я); nothing is found there), `personal` (an English name that
is also a person's: Chad Wolf is no country). A word written `Куб|а|ы|е|у|ой` takes only those whole
words (Куба, Кубы, ...: not Кубань, кубометр).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice, product

from karavan.annotate.tokens import KEY, TokenIndex, index_tokens
from karavan.data import read_text


@dataclass(slots=True, frozen=True)
class CountryMatch:
    start: int
    end: int
    code: str  # ISO 3166-1 (KZ, EU), ISO 3166-2 (KZ-19, KZ-?, ??-?) or @BLOC
    form: str  # name, exact, adj, capital, demonym
    kind: str = "country"  # country, subnational, bloc


WORD = re.compile(r"\w+")
# a word of a form: a stem, its spellings (Куб|а|ы), the first part of a compound (ирано-)
FORM_WORD = re.compile(r"\w+(?:\|\w*)*-?")
MATCHED = ("name", "exact", "adj", "demonym", "capital", "not")  # the kinds that are forms to find
KINDS = (*MATCHED, "personal")  # every kind a row may have


@dataclass(frozen=True, slots=True)
class Word:
    stem: str  # lower case
    whole: frozenset[str] | None  # the only words it takes (lower case); None: any word the stem begins
    compound: bool  # the first part of a compound: a hyphen follows (ирано-туркменский)
    capital: str  # the first letter the word must have ("" when either case will do)


@dataclass(frozen=True, slots=True)
class Form:
    code: str
    kind: str  # name, exact, adj, demonym, capital, not
    words: tuple[Word, ...]
    size: int  # letters, for longest-first order
    exact: tuple[str, ...] = ()  # the words as written (kind exact)
    place: str = "country"  # what it names: country, subnational, bloc (place_kind of its code)


@dataclass(frozen=True, slots=True)
class CountryGrammar:
    by_key: dict[str, list[Form]]  # first three letters of the first word -> forms, longest first
    most_words: dict[str, int]  # key -> the number of words of its longest form
    personal: frozenset[str]  # names that are also people's (lower case)


def place_kind(code: str) -> str:
    """country, subnational or bloc, by the shape of a countries.tsv code (none for `-`)."""
    if code.startswith("@"):
        return "bloc"
    if "-" in code.strip("-"):
        return "subnational"
    return "country" if code != "-" else "none"


@cache
def _rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for n, line in enumerate(read_text("countries.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 4 or not all(parts):
            raise ValueError(
                f"karavan/data/countries.tsv line {n}: want code, kind, lang, form separated by tabs"
            )
        if parts[1] not in KINDS:
            raise ValueError(f"karavan/data/countries.tsv line {n}: unknown kind {parts[1]!r}")
        rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


def _spellings(word: str) -> list[str]:
    stem, *endings = word.split("|")
    return [stem + e for e in endings] if endings else [stem]


@cache
def country_entries() -> list[tuple[str, str, str, str]]:
    """The country rows of data/countries.tsv: (code, kind, lang, form); read by this annotator and by the
    people's role phrases. Blocs, regions and `personal` rows are left out; a form whose words list their
    spellings (Куб|а|ы) is given once per spelling, as whole words (`exact`)."""
    out = []
    for code, kind, lang, form in _rows():
        if kind == "personal" or place_kind(code) not in ("country", "none"):
            continue
        if "|" not in form:
            out.append((code, kind, lang, form))
            continue
        words = [_spellings(w) if "|" in w else [w] for w in form.split(" ")]
        whole = all("|" in w for w in form.split(" "))
        out += [(code, "exact" if whole else kind, lang, " ".join(ws)) for ws in product(*words)]
    return out


@cache
def english_name(code: str) -> str | None:
    """A country's English name: its first English `name` row in data/countries.tsv ("Kazakhstan")."""
    return next(
        (form for c, kind, lang, form in _rows() if c == code and kind == "name" and lang == "en"), None
    )


def _key(word: str) -> str:
    return word[:KEY].lower()


def _word(text: str, kind: str, first: bool, row: str) -> Word:
    compound = text.endswith("-")
    text = text.rstrip("-")
    whole = frozenset(s.lower() for s in _spellings(text)) if "|" in text or compound else None
    stem = text.split("|")[0]
    if first and whole is None and kind != "exact" and len(stem) < KEY:
        raise ValueError(
            f"karavan/data/countries.tsv: {row!r}: a stem needs {KEY} letters (write its words: X|a|b)"
        )
    capital = stem[:1] if first and kind in ("name", "capital") and stem[:1].isupper() else ""
    return Word(stem.lower(), whole, compound, capital)


def _keys(w: Word) -> set[str]:
    return {_key(s) for s in w.whole} if w.whole is not None else {_key(w.stem)}


@cache
def grammar() -> CountryGrammar:
    by_key: dict[str, list[Form]] = {}
    seen = set()
    personal = set()
    for code, kind, lang, form in _rows():
        if kind == "personal":
            personal.add(form.lower())
            continue
        if (kind, form) in seen:
            continue
        seen.add((kind, form))
        texts = form.split(" ")
        if not all(FORM_WORD.fullmatch(t) for t in texts):
            raise ValueError(
                f"karavan/data/countries.tsv: {code} {kind} {lang} {form!r}: words are letters only"
            )
        words = tuple(_word(t, kind, i == 0, form) for i, t in enumerate(texts))
        exact = tuple(texts) if kind == "exact" else ()
        f = Form(code, kind, words, sum(len(w.stem) for w in words), exact, place_kind(code))
        for k in _keys(words[0]) if kind != "exact" else {_key(texts[0])}:
            by_key.setdefault(k, []).append(f)
    for forms in by_key.values():
        forms.sort(key=lambda f: (-len(f.words), -f.size))
    most_words = {k: max(len(f.words) for f in forms) for k, forms in by_key.items()}
    return CountryGrammar(by_key, most_words, frozenset(personal))


def country_keys() -> frozenset[str]:
    """The token keys (first letters) `read_countries` asks a token index for."""
    return frozenset(grammar().by_key)


def _word_matches(form: Form, i: int, word: str, low: str, after: str) -> bool:
    """The i-th word of the form matches this word of the text (`low`: the word lower-cased; `after`: the
    character that follows it)."""
    if form.kind == "exact":
        return word == form.exact[i]
    w = form.words[i]
    if w.capital and word[:1] != w.capital:
        return False  # a proper noun keeps its capital letter: Инди(я) but not индивидуальный
    if w.compound and after != "-":
        return False
    return low in w.whole if w.whole is not None else low.startswith(w.stem)


def read_places(text: str, tokens: TokenIndex | None = None) -> list[CountryMatch]:
    """Countries, regions and blocs as whole words (any inflection after a stem), longest form first.

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
        first = WORD.match(low, at)
        e = first.end()  # type: ignore[union-attr]
        word, word_low, after = text[at:e], low[at:e], text[e : e + 1]
        key = word_low[:KEY]
        spans: list[tuple[int, int]] | None = (
            None  # the words from `at` on, built for a form of several words
        )
        for form in g.by_key[key]:
            if not _word_matches(form, 0, word, word_low, after):
                continue  # most forms filed under a key fail on the first word: looked at without the next words
            n = len(form.words)
            end = e
            if n > 1:
                if spans is None:
                    spans = [(m.start(), m.end()) for m in islice(WORD.finditer(low, at), g.most_words[key])]
                if n > len(spans) or not all(
                    _word_matches(form, k, text[a:b], low[a:b], text[b : b + 1])
                    for k, (a, b) in enumerate(spans[1:n], 1)
                ):
                    continue
                end = spans[n - 1][1]
            taken = end
            if form.kind == "not":  # a word that only begins like a country's name
                break
            if n == 1 and word_low in g.personal and _next_to_a_name(text, at, end):
                break  # Chad Wolf, Michael Jordan: a person
            out.append(CountryMatch(at, end, form.code, form.kind, form.place))
            break
    return out


def read_countries(text: str, tokens: TokenIndex | None = None) -> list[CountryMatch]:
    """The countries of `read_places` (no blocs or regions)."""
    return [m for m in read_places(text, tokens) if m.kind == "country"]


_NAME_AFTER = re.compile(r" [A-Z][a-z]")  # Chad Wolf
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+ $")  # Michael Jordan
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"«“(])\s*$")


def _next_to_a_name(text: str, start: int, end: int) -> bool:
    """A capitalised word right after the word, or right before it and not itself the first of a sentence."""
    if _NAME_AFTER.match(text, end):
        return True
    before = _NAME_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and not _SENTENCE_START.search(text, max(0, before.start() - 5), before.start())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
