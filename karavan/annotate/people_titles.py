"""People the text names by a title and a name, whether or not data/people.toml knows them.

Three word orders (title words: data/roles.toml [titles]):
- title first (Russian, English): «посол Турции в Ташкенте Ахмет Башар Шен», «с заместителем
  премьер-министра Узбекистана Джамшидом Ходжаевым» (the name takes the title's case), "Uzbek Deputy
  Prime Minister Jamshid Khodjaev", "EU Ambassador to Uzbekistan, Charlotte Adrian";
- head last (Kazakh): the title's words, then its head, then the name: «ҚР Сауда және интеграция министрі
  Арман Шаққалиев» (the name's last word may carry a case suffix);
- name first: "Alexei Besprozvannykh, the Deputy Minister of Industry and Trade of Russia",
  «Ержан Салтыбаев, директор института ...», «Қайрат Төребаев ҚР Сауда және интеграция вице-министрі».

A role takes its country from its own phrase: the country named with the title (the first one after a
Russian or English head that is not a posting, «посол Казахстана в Узбекистане»), an adjective or a country
right before the head ("Uzbek Deputy Prime Minister", «туркменский посол»), a Kazakh country before the head.

All offsets are offsets into the text given (the normalised view).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from karavan.annotate.people_data import load_data, place_data
from karavan.annotate.people_names import CASES, english, kazakh_stem, nominative

_TOK = re.compile(r"[\w\u0300-\u036f]+(?:[-'’][\w\u0300-\u036f]+)*|[^\w\s]")
_STOP_PUNCT = frozenset('.;:!?()«»"“”„[]')
_CYR = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_POSTING = frozenset({"в", "во", "при", "to", "in", "at"})
_MAX_TITLE = 16  # tokens between a head and the name it stands before


@dataclass(frozen=True, slots=True)
class Titled:
    start: int  # the whole phrase, title and name
    end: int
    name_start: int
    name_end: int
    name: str  # common English spelling
    native: str  # the name in the nominative, as the text's script writes it
    role: str
    country: str | None
    lang: str  # ru, kk or en: the grammar that found it


@dataclass(frozen=True, slots=True)
class _Grammar:
    ru: dict[str, tuple[str, str]]  # head form -> (role, case)
    ru_breaks: frozenset[str]
    ru_verb_endings: tuple[str, ...]
    kk: dict[str, str]  # head form -> role
    kk_deputy_of: tuple[tuple[str, str], ...]
    en: dict[tuple[str, ...], str]  # head words -> role
    en_longest: int
    en_first: frozenset[str]
    en_title_words: frozenset[str]
    en_links: frozenset[str]
    caps: tuple[str, ...]


@cache
def _grammar() -> _Grammar:
    raw = load_data("roles.toml")["titles"]
    ru: dict[str, tuple[str, str]] = {}
    classes = raw["ru"]["classes"]
    for stem, cls, role in raw["ru"]["heads"]:
        if " " in stem:
            continue
        for case, ending in zip(CASES, classes[cls], strict=True):
            ru.setdefault(stem + ending, (role, case))
        if cls == "a":
            ru.setdefault(stem + raw["ru"]["acc_a"], (role, "gen"))
    en = {tuple(h.split()): role for h, role in raw["en"]["heads"]}
    return _Grammar(
        ru=ru,
        ru_breaks=frozenset(raw["ru"]["breaks"]),
        ru_verb_endings=tuple(sorted(raw["ru"]["verb_endings"], key=len, reverse=True)),
        kk={h: role for h, role in raw["kk"]["heads"]},
        kk_deputy_of=tuple((a, b) for a, b in raw["kk"]["deputy_of"]),
        en=en,
        en_longest=max(len(k) for k in en),
        en_first=frozenset(k[0] for k in en),
        en_title_words=frozenset(raw["en"]["title_words"]),
        en_links=frozenset(raw["en"]["title_links"]),
        caps=tuple(raw["caps"]["stems"]),
    )


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str
    word: bool


class _Text:
    """The tokens of a text and what stands at each: a country (code), a name the lexicon knows, a city."""

    def __init__(
        self, text: str, countries: list[tuple[int, int, str]] | None, blocked: list[tuple[int, int]]
    ) -> None:
        self.text = text
        self.toks = [_Tok(m.start(), m.end(), m.group(), m.group().lower(), m.group()[0].isalnum())
                     for m in _TOK.finditer(text)]  # fmt: skip
        self.country: dict[int, str] = {}
        self.blocked: set[int] = set()
        by_start = {t.start: i for i, t in enumerate(self.toks)}
        ends = sorted((t.start, i) for i, t in enumerate(self.toks))
        if countries is None:  # looked up where a token begins: a country name or adjective of countries.tsv
            countries = _countries_at_tokens(text, self.toks)
        for spans, into in ((countries, "country"), (blocked, "blocked")):
            for span in spans:
                a, b = span[0], span[1]
                i = by_start.get(a)
                if i is None:
                    at = bisect_left(ends, (a, -1))  # the first token starting at or after a
                    if at == len(ends):
                        continue
                    i = ends[at][1]
                while i < len(self.toks) and self.toks[i].start < b:
                    if into == "country":
                        self.country[i] = span[2]  # type: ignore[misc]
                    else:
                        self.blocked.add(i)
                    i += 1

    def gap(self, i: int, j: int) -> str:
        return self.text[self.toks[i].end : self.toks[j].start]

    def line_break(self, i: int, j: int) -> bool:
        return "\n" in self.gap(i, j)


def _countries_at_tokens(text: str, toks: list[_Tok]) -> list[tuple[int, int, str]]:
    places = place_data()
    out: list[tuple[int, int, str]] = []
    end = -1
    for t in toks:
        if not t.word or t.start < end or not places.may_start_country(t.low):
            continue
        m = places.country.match(text, t.start) or places.country_adj.match(text, t.start)
        if m:
            out.append(
                (m.start(), m.end(), m.lastgroup or "")
            )  # the country groups are the only named groups
            end = m.end()
    return out


def _is_name(t: _Tok, i: int, tx: _Text, g: _Grammar) -> bool:
    w = t.text
    if not t.word or not w[:1].isupper() or i in tx.country or i in tx.blocked or len(w) < 2:
        return False
    if w.isupper() or any(ch.isdigit() for ch in w):
        return False
    if _CYR.search(w):
        return not t.low.startswith(g.caps)
    return t.low.rstrip("'’s") not in g.en_title_words and t.low not in g.en_title_words


def _name_run(tx: _Text, i: int, g: _Grammar, limit: int = 4) -> list[int]:
    """Consecutive name tokens from i on, on one line with nothing but spaces between them."""
    run: list[int] = []
    j = i
    while j < len(tx.toks) and len(run) < limit and _is_name(tx.toks[j], j, tx, g):
        if run and (tx.gap(j - 1, j).strip() or tx.line_break(j - 1, j)):
            break
        run.append(j)
        j += 1
    return run


def _country_of(tx: _Text, lo: int, hi: int) -> str | None:
    """The role's own country among the tokens [lo, hi): the first not preceded by a posting word."""
    for k in range(lo, hi):
        code = tx.country.get(k)
        if code and not (k > lo and tx.toks[k - 1].low in _POSTING and tx.country.get(k - 1) != code):
            return code
    return None


def _country_right_before(tx: _Text, head: int, back: int = 3) -> str | None:
    for k in range(head - 1, max(-1, head - 1 - back), -1):
        t = tx.toks[k]
        if not t.word:
            return None
        if k in tx.country:
            return tx.country[k]
    return None


def _native(tx: _Text, run: list[int], case: str | None, kazakh: bool) -> tuple[str, ...]:
    words = [tx.toks[k].text for k in run]
    words[-1] = re.sub(r"['’]s$", "", words[-1])
    if kazakh:
        words[-1] = kazakh_stem(words[-1])
    if case:
        return nominative(tuple(words), case)
    return tuple(words)


def _make(tx: _Text, a: int, run: list[int], role: str, country: str | None, case: str | None,
          lang: str, kazakh: bool = False, b: int | None = None) -> Titled | None:  # fmt: skip
    if not 2 <= len(run) <= 4:
        return None
    if len(run) == 4:
        run = run[1:]
    native = _native(tx, run, case, kazakh)
    start = min(tx.toks[a].start, tx.toks[run[0]].start)
    end = max(tx.toks[b if b is not None else run[-1]].end, tx.toks[run[-1]].end)
    return Titled(start, end, tx.toks[run[0]].start, tx.toks[run[-1]].end, english(native), " ".join(native),
                  role, country, lang)  # fmt: skip


def _ru_title_first(tx: _Text, i: int, g: _Grammar) -> Titled | None:
    role, case = g.ru[tx.toks[i].low]
    j = i + 1
    if role == "deputy" and j < len(tx.toks) and tx.toks[j].low in g.ru:
        role = "deputy_" + g.ru[tx.toks[j].low][0]
    while j < len(tx.toks) and j - i <= _MAX_TITLE:
        t = tx.toks[j]
        if not t.word:
            if t.text in _STOP_PUNCT:
                return None
            j += 1
            continue
        if j in tx.blocked:
            # a name the lexicon knows: the person the title names, unless another name follows it in the
            # title («директор института при Фонде Нурсултана Назарбаева Ержан Салтыбаев»: an institution's)
            k = j
            while k < len(tx.toks) and k in tx.blocked:
                k += 1
            if len(_name_run(tx, k, g)) < 2 or tx.line_break(k - 1, k):
                return None
            j = k
            continue
        if t.low in _POSTING and j + 1 < len(tx.toks) and tx.toks[j + 1].word:
            j += (
                2  # a posting's place is the title's («посол Турции в Ташкенте»), never the name's first word
            )
            continue
        run = _name_run(tx, j, g)
        if run:
            if len(run) == 1:
                return None
            country = _country_of(tx, i + 1, j) or _country_right_before(tx, i)
            return _make(tx, i, run, role, country, case, "ru")
        if t.low in g.ru_breaks or (t.low.endswith(g.ru_verb_endings) and not t.low[:1].isupper() and
                                    t.low not in g.ru and t.low.endswith(("л", "ла", "ли", "лся", "лась", "лись"))):  # fmt: skip
            return None
        if t.word and t.text[:1].isupper() and not _CYR.search(t.text):
            return None  # a Latin word: an institution's name, not a Russian title
        j += 1
    return None


def _kk_head_last(tx: _Text, i: int, g: _Grammar) -> Titled | None:
    role = g.kk[tx.toks[i].low]
    if role == "deputy" and i > 0:
        prev = tx.toks[i - 1].low
        role = next(("deputy_" + r for stem, r in g.kk_deputy_of if prev.startswith(stem)), role)
    run = _name_run(tx, i + 1, g, 3) if i + 1 < len(tx.toks) and not tx.gap(i, i + 1).strip() else []
    if len(run) < 2:
        return None
    # the title's country: the last one before the head, back to punctuation or another name
    country = None
    a = i
    for k in range(i - 1, max(-1, i - 9), -1):
        t = tx.toks[k]
        if not t.word or k in tx.blocked:
            break
        a = k
        if k in tx.country:
            country = tx.country[k]
            break
    return _make(tx, a, run, role, country, None, "kk", kazakh=True)


def _en_head_at(tx: _Text, i: int, g: _Grammar) -> tuple[str, int] | None:
    """The longest English head starting at token i: (role, index of its last token)."""
    for n in range(g.en_longest, 0, -1):
        if i + n > len(tx.toks):
            continue
        words = tuple(tx.toks[k].low for k in range(i, i + n))
        if words in g.en:
            return g.en[words], i + n - 1
    return None


def _en_title_first(tx: _Text, i: int, last: int, role: str, g: _Grammar) -> Titled | None:
    a = i
    while a > 0 and tx.toks[a - 1].word and (tx.toks[a - 1].low in g.en_title_words or a - 1 in tx.country):
        if tx.gap(a - 1, a).strip():
            break
        a -= 1
    country_before = next((tx.country[k] for k in range(a, i) if k in tx.country), None)
    j = last + 1
    while j < len(tx.toks) and j - last <= _MAX_TITLE:
        t = tx.toks[j]
        if not t.word:
            if t.text != "," and t.text not in "-–—":
                return None
            j += 1
            continue
        if j in tx.blocked:
            return None
        run = _name_run(tx, j, g)
        if run:
            country = country_before or _country_of(tx, last + 1, j)
            return _make(tx, a, run, role, country, None, "en")
        if role == "deputy" and (head := _en_head_at(tx, j, g)) and head[0] != "deputy":
            role = "deputy_" + head[0]  # "Deputy Foreign Minister"
        if t.low in g.en_links or t.low in g.en_title_words or j in tx.country:
            j += 1
            continue
        return None
    return None


def _name_first(tx: _Text, i: int, g: _Grammar) -> Titled | None:
    """A name, a comma (or nothing, at a line's end), then a title with a head: "X, the Deputy Minister"."""
    run = _name_run(tx, i, g, 3)
    if len(run) < 2:
        return None
    j = run[-1] + 1
    comma = j < len(tx.toks) and tx.toks[j].text == ","
    if comma:
        j += 1
    if j < len(tx.toks) and tx.toks[j].low == "the":
        j += 1
    for k in range(j, min(len(tx.toks), j + 10)):
        t = tx.toks[k]
        if not t.word:
            if t.text in _STOP_PUNCT or t.text == ",":
                if t.text == ":" or t.text == ",":
                    pass
                break
            continue
        en = _en_head_at(tx, k, g)
        if en and (comma or k == j):
            country = _country_of(tx, j, min(len(tx.toks), en[1] + 8)) or _country_of(tx, j, k + 1)
            return _make(tx, i, run, en[0], country, None, "en", b=en[1])
        if t.low in g.ru and g.ru[t.low][1] == "nom" and comma:
            end = _title_end(tx, k)
            return _make(tx, i, run, g.ru[t.low][0], _country_of(tx, k, end), None, "ru", b=k)
        if t.low in g.kk and (comma or _line_ends_at(tx, k)):
            country = next((tx.country[m] for m in range(j, k) if m in tx.country), None)
            return _make(tx, i, run, g.kk[t.low], country, None, "kk", kazakh=True, b=k)
    return None


def _title_end(tx: _Text, k: int) -> int:
    for m in range(k, min(len(tx.toks), k + 12)):
        if not tx.toks[m].word and tx.toks[m].text in _STOP_PUNCT:
            return m
    return min(len(tx.toks), k + 12)


def _line_ends_at(tx: _Text, k: int) -> bool:
    return k + 1 >= len(tx.toks) or tx.line_break(k, k + 1) or tx.toks[k + 1].text == ":"


def find_titled(
    text: str, countries: list[tuple[int, int, str]], known: list[tuple[int, int]]
) -> list[Titled]:
    """Titled names in `text`. `countries`: (start, end, code) of its country mentions; `known`: spans of the
    names the lexicon found (a title before one of them names that person: nothing new is found there).
    `countries` None: looked up at the tokens with the people's own country forms (data/countries.tsv)."""
    g = _grammar()
    tx = _Text(text, countries, known)
    out: list[Titled] = []
    taken = -1
    heads = [i for i, t in enumerate(tx.toks) if t.low in g.ru or t.low in g.kk or t.low in g.en_first]
    if not heads:
        return out
    near = set()  # tokens a head follows within a few words: where a name-first title can begin
    for h in heads:
        near.update(range(max(0, h - 14), h))
    for i, t in enumerate(tx.toks):
        if not t.word or t.start < taken:
            continue
        found = None
        if t.low in g.ru:
            found = _ru_title_first(tx, i, g)
        if found is None and t.low in g.kk:
            found = _kk_head_last(tx, i, g)
        if found is None and i in near and t.text[:1].isupper() and not t.low.startswith(g.caps):
            found = _name_first(tx, i, g)
        if found is None and t.low in g.en_first:
            head = _en_head_at(tx, i, g)
            if head:
                found = _en_title_first(tx, i, head[1], head[0], g)
        if found is not None:
            out.append(found)
            taken = found.end
    return out
