"""Constituents of a sentence: the typed phrases a figure's clause is read from.

Reads the sentence's mentions (amounts, quantities, numbers, percents, factors, periods, countries, blocs)
and the lexicon's word classes (karavan/data/lexicon/*.toml: flow words, pointers to a pair, totality
markers, goal, tense and expectation words, non-fact words, products, ...) into one sorted list of
`Phrase`s. Each country (and pointer) gets its role in a figure from the word before it or from its case
ending: `origin` (из, from, -дан), `dest` (в, to, -ға), `with` (с, with, -мен), `between` (между X и Y,
X мен Y арасындағы), `owner` (X's, of X, -ның), `adj` (казахстанский экспорт, Uzbek goods), `loc` (в
Казахстане), or `plain` (a bare name: a subject or a genitive).

Offsets are view offsets (doc.norm), like the sentence's; `karavan.extract.sentence.make_fact` maps them
back to the original text.

Reads: a `Sentence` (its view text, language and mentions). Sets nothing: returns the phrases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from karavan.annotate.lexicon import Gated, alternation, ending, load_lexicon, word_set
from karavan.annotate.numbers import parse_number
from karavan.annotate.sentence import Sentence, vend, vstart
from karavan.doc import Mention

EMPTY: Mapping[str, Any] = MappingProxyType({})

# Mention kinds read as phrases of the same kind
MENTION_KINDS = (
    "amount",
    "quantity",
    "number",
    "percent",
    "factor",
    "period",
    "country",
    "bloc",
    "subnational",
)


@dataclass(slots=True, frozen=True)
class Phrase:
    """A constituent: `kind` names what it is, `value` its reading, `role` its part in a figure."""

    kind: str
    start: int  # view offsets
    end: int
    value: Any = None
    role: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)


# word classes: (phrase kind, lexicon key, value). Kinds in one competing group keep only the longest of
# overlapping matches (a goal phrase "поставили цель" over the verb "поставили"); scope markers (pointer,
# total), continuations and change words are kept beside whatever they overlap ("взаимная торговля" is a
# flow and a pointer, "при этом" opens a clause and continues the sentence before, "увеличение" is a goal
# and a change).
WORD_CLASSES: tuple[tuple[str, str, Any], ...] = (
    # a verb form before the noun stem it also matches ("экспорттады" is a verb, not "экспорт*")
    ("flow_verb", "flow.export_verb", "export"),
    ("flow_verb", "flow.import_verb", "import"),
    ("flow_verb", "flow.buy_verb", "buy"),
    ("flow", "flow.turnover", "turnover"),
    ("flow", "flow.export", "export"),
    ("flow", "flow.import", "import"),
    ("compare", "compare.before", "before"),
    ("compare", "compare.after", "after"),
    ("goal", "goal.nouns", "noun"),
    ("goal", "goal.verbs", "verb"),
    ("intent", "goal.intent", ""),
    ("future", "tense.future", ""),
    ("present", "tense.present", ""),
    ("expectation", "expectation.words", ""),
    ("nonfact", "trade_blockers.words", ""),
    ("share", "share.words", ""),
    ("conj", "clause.and", "and"),
    ("conj", "clause.or", "or"),
    ("conj", "clause.when", "when"),
    ("respectively", "clause.respectively", ""),
    ("partner_word", "rank.partner", ""),
    ("largest", "rank.largest", ""),
    ("place", "rank.place", ""),
    ("place_verb", "rank.place_verb", ""),
    ("rank_exclude", "rank_exclude.words", ""),
    ("rank_exclude_after", "rank_exclude.after", ""),
    ("positions", "offer.positions", ""),
    ("offer", "offer.verbs", ""),
    ("per_unit", "amount_role.per_unit", ""),
    ("worth", "amount_role.worth", ""),
    ("more_less", "amount_role.more_less", ""),
    ("pointer", "scope.figure", "figure"),
)
SCOPE_CLASSES: tuple[tuple[str, str, Any], ...] = (
    ("pointer", "scope.pair", "pair"),
    ("pointer", "scope.one", "one"),
    ("pointer", "scope.home", "home"),
    ("pointer", "scope.focus", "focus"),
    ("pointer", "scope.group", "group"),
    ("continuation", "context.continuation", ""),
    ("modal", "offer.modal", ""),
    ("change", "change.up", 1),
    ("change", "change.down", -1),
    ("total", "scope.total_strong", "strong"),
    ("total", "scope.total_weak", "weak"),
)


@dataclass(frozen=True, slots=True)
class WordClasses:
    competing: tuple[tuple[str, Gated, Any], ...]
    scope: tuple[tuple[str, Gated, Any], ...]
    products: tuple[tuple[Gated, str], ...]
    ordinals: Gated
    grammar: Grammar
    range_head: frozenset[str]  # the word opening a month range ("from January through May")


@dataclass(frozen=True, slots=True)
class Grammar:
    """The words and endings that give a country its role, per language."""

    before: dict[str, dict[str, frozenset[str]]]  # lang -> role -> the words that may stand before a country
    in_endings: tuple[str, ...]  # Russian: "в" + a country in these endings is a place
    kk_suffix: tuple[tuple[str, re.Pattern[str]], ...]  # role, a Kazakh case ending at the end of a name
    kk_between: re.Pattern[str]  # "арасындағы" after "X мен Y"
    possessive: re.Pattern[str]  # English 's after a name
    hedge_before: tuple[tuple[str, re.Pattern[str]], ...]  # approx/gt/lt words right before an amount
    hedge_after: tuple[tuple[str, re.Pattern[str]], ...]  # Kazakh: "доллардан астам", "долларға жуық"


def _gated(words: list[str]) -> Gated:
    return Gated(alternation(words), re.IGNORECASE)


@cache
def word_classes() -> WordClasses:
    lex = load_lexicon()

    def compile_classes(spec: tuple[tuple[str, str, Any], ...]) -> tuple[tuple[str, Gated, Any], ...]:
        return tuple((kind, _gated(lex.words(key)), value) for kind, key, value in spec if lex.words(key))

    products = tuple(
        (_gated(words), key.split(".", 1)[1])
        for key, words in lex.lists.items()
        if key.startswith("products.")
    )
    ordinals = _gated(list(lex.maps.get("ordinals", {})))
    return WordClasses(
        compile_classes(WORD_CLASSES),
        compile_classes(SCOPE_CLASSES),
        products,
        ordinals,
        _grammar(),
        frozenset(w.lower() for w in lex.words("periods.range_head")),
    )


def _grammar() -> Grammar:
    from karavan.data import load_toml

    before: dict[str, dict[str, frozenset[str]]] = {}
    in_endings: list[str] = []
    for lang in ("ru", "kk", "en"):
        roles = load_toml(f"lexicon/{lang}.toml").get("roles", {})
        before[lang] = {
            role: frozenset(w.lower() for w in roles.get(key, []))
            for role, key in (("origin", "from"), ("dest", "to"), ("with", "with"), ("between", "between"))
        }
        in_endings += roles.get("in_endings", [])
    lex = load_lexicon()

    def suffix(key: str) -> re.Pattern[str]:
        return re.compile("(?:" + "|".join(w.lstrip("~") for w in lex.words(key)) + r")$", re.IGNORECASE)

    kk_suffix = tuple(
        (role, suffix(f"grammar.{key}"))
        for role, key in (
            ("origin", "case_origin"),
            ("dest", "case_dest"),
            ("with", "case_with"),
            ("owner", "case_owner"),
            ("loc", "case_loc"),
        )
        if lex.words(f"grammar.{key}")
    )
    fillers = lex.pattern("fillers.words")
    hedge_before = tuple(
        (name, re.compile(lex.pattern(f"hedges.{name}") + rf"(?:\s+{fillers})*[\s\"«(]*$", re.IGNORECASE))
        for name in ("approx", "gt", "lt")
        if lex.words(f"hedges.{name}")
    )
    hedge_after = tuple(
        (name, re.compile(r"^[\s,]*" + lex.pattern(f"hedges.{name}_after"), re.IGNORECASE))
        for name in ("approx", "gt", "lt")
        if lex.words(f"hedges.{name}_after")
    )
    return Grammar(
        before=before,
        in_endings=tuple(sorted(set(in_endings), key=len, reverse=True)),
        kk_suffix=kk_suffix,
        kk_between=re.compile(r"^\s*" + lex.pattern("grammar.between_after"), re.IGNORECASE),
        possessive=re.compile(r"^['’]s\b"),
        hedge_before=hedge_before,
        hedge_after=hedge_after,
    )


def _word_phrases(s: Sentence, classes: tuple[tuple[str, Gated, Any], ...]) -> list[Phrase]:
    out = []
    for i in s.able(_patterns(classes)):
        kind, rx, value = classes[i]
        for m in s.find(rx):
            out.append(Phrase(kind, s.start + m.start(), s.start + m.end(), value))
    return out


_PATTERNS: dict[int, tuple[object, tuple[Gated, ...]]] = {}


def _patterns(table: tuple[tuple[Any, ...], ...]) -> tuple[Gated, ...]:
    """The expressions of a grammar table (the Gated member of each row), once per table."""
    hit = _PATTERNS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _PATTERNS[id(table)] = (
            table,
            tuple(next(x for x in row if isinstance(x, Gated)) for row in table),
        )
    return hit[1]


def _longest(phrases: list[Phrase]) -> list[Phrase]:
    """Of overlapping phrases keep the longest (the first on a tie)."""
    phrases.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Phrase] = []
    for p in phrases:
        if out and p.start < out[-1].end:
            if (p.end - p.start) > (out[-1].end - out[-1].start):
                out[-1] = p
            continue
        out.append(p)
    return out


def read_phrases(s: Sentence) -> list[Phrase]:
    """All constituents of a sentence, sorted by start."""
    wc = word_classes()
    words = _longest(_word_phrases(s, wc.competing))
    mentions = _mention_phrases(s, wc.grammar)
    # a word phrase inside a number, a period or a country ("в" of "в 2,5 раза") is part of that, but a goal
    # stays a goal ("удвоить" is a factor and a goal verb)
    taken = [(p.start, p.end) for p in mentions if p.kind not in ("country", "bloc", "subnational", "number")]
    words = [
        w
        for w in words
        if w.kind in ("goal", "per_unit") or not any(a <= w.start and w.end <= b for a, b in taken)
    ]
    words = [w for w in words if not _opens_range(s, w, mentions, wc.range_head)]
    products = _longest(
        [
            Phrase("product", s.start + m.start(), s.start + m.end(), wc.products[i][1])
            for i in s.able(_patterns(wc.products))
            for m in s.find(wc.products[i][0])
        ]
    )
    scope = _word_phrases(s, wc.scope)
    # "страны" of "страны Центральной Азии" is part of the bloc's name, not a pointer to a country
    names = [(p.start, p.end) for p in mentions if p.kind in ("country", "bloc", "subnational")]
    scope = [
        w for w in scope if w.kind != "pointer" or not any(a <= w.start and w.end <= b for a, b in names)
    ]
    # a bare number inside another phrase ("2023" of "в 2023 году", "екі" of "екі ел") is that phrase's
    spans = [(p.start, p.end) for p in (*mentions, *words, *scope) if p.kind != "number"]
    mentions = [
        m for m in mentions if m.kind != "number" or not any(a <= m.start and m.end <= b for a, b in spans)
    ]
    out = sorted(
        [*mentions, *words, *products, *_roled_pointers(s, scope, wc.grammar)],
        key=lambda p: (p.start, -p.end),
    )
    return _list_ellipsis(s, out)


def _after_name_dash(s: Sentence, p: Phrase, phrases: list[Phrase]) -> bool:
    """The phrase is a list item's figure: right after a name and a dash ("Turkey - 223.7 million")."""
    for q in phrases:
        if q.kind == "country" and q.end <= p.start:
            if re.fullmatch(r"\s*[-–—:]\s*", s.text[q.end - s.start : p.start - s.start]):
                return True
    return False


def _list_ellipsis(s: Sentence, phrases: list[Phrase]) -> list[Phrase]:
    """A bare number as a list item after items with a scale and a currency ("Turkey - 223.7 million
    dollars, Uzbekistan - 135.9"): an amount in the scale and unit of the item before it."""
    out: list[Phrase] = []
    last: Phrase | None = None  # the last list item's amount
    for p in phrases:
        if p.kind == "amount" and _after_name_dash(s, p, phrases):
            last = p
        elif p.kind == "number" and last is not None and _after_name_dash(s, p, phrases):
            scale = _scale_of(s, last)
            written = parse_number(s.text[p.start - s.start : p.end - s.start], s.lang)
            if scale and written and not float(p.value).is_integer():
                m = last.attrs["mention"]
                value = round(written[0] * scale, 2)
                mention = Mention(m.start, m.end, "amount", value, dict(m.attrs))
                attrs = {**last.attrs, "mention": mention, "elided": True}
                p = Phrase("amount", p.start, p.end, value, "", MappingProxyType(attrs))
        out.append(p)
    return out


def _scale_of(s: Sentence, amount: Phrase) -> float | None:
    """The multiplier a written amount's scale word gives ("223.7 million dollars": 1e6)."""
    m = re.match(r"[$€₸]?\s*(\d[\d\s.,]*\d|\d)", s.text[amount.start - s.start : amount.end - s.start])
    written = parse_number(m.group(1), s.lang) if m else None
    if not written or not written[0]:
        return None
    scale = float(round(amount.value / written[0]))
    return scale if scale >= 1000 else None


def _opens_range(s: Sentence, w: Phrase, mentions: list[Phrase], heads: frozenset[str]) -> bool:
    """A comparison word ending in a range's opening word right before a month range ("$547.7 million from
    January through February 2023") is that range's start, not a comparison ("up from $2 billion")."""
    if w.kind != "compare" or not heads:
        return False
    last = s.text[w.start - s.start : w.end - s.start].split()[-1].lower()
    if last not in heads:
        return False
    return any(
        m.kind == "period"
        and 0 <= m.start - w.end <= 2
        and m.attrs["mention"].attrs.get("shape") == "month_range"
        for m in mentions
    )


def _mention_phrases(s: Sentence, g: Grammar) -> list[Phrase]:
    out: list[Phrase] = []
    countries = []
    for m in s.mentions:
        if m.kind not in MENTION_KINDS:
            continue
        vs, ve = vstart(m), vend(m)
        if m.kind in ("country", "bloc", "subnational"):
            countries.append(m)
            continue
        attrs: dict[str, Any] = {"mention": m}
        if m.kind in ("amount", "quantity"):
            attrs["approx"], attrs["bound"] = hedges(s, vs, ve, g)
        if m.kind == "percent":
            before = s.text[max(0, vs - s.start - 3) : vs - s.start]
            sign = re.search(r"([+\-−–])\s*$", before)
            if sign:
                attrs["signed"] = -1 if sign.group(1) != "+" else 1
        out.append(Phrase(m.kind, vs, ve, m.value, "", MappingProxyType(attrs)))
    out += _country_phrases(s, countries, g)
    return out


def hedges(s: Sentence, vs: int, ve: int, g: Grammar) -> tuple[bool, str | None]:
    """approx and bound of an amount from the words right before it (or after it: Kazakh астам, жуық)."""
    before = s.text[max(0, vs - s.start - 40) : vs - s.start]
    after = s.text[ve - s.start : ve - s.start + 20]
    found = {name for name, rx in g.hedge_before if rx.search(before)}
    found |= {name for name, rx in g.hedge_after if rx.search(after)}
    bound = "gt" if "gt" in found else ("lt" if "lt" in found else None)
    return "approx" in found, bound


def _role_before(s: Sentence, vs: int, lang: str, g: Grammar) -> str:
    """The role a preposition right before a name gives it (the word just before, or two words: "из РК")."""
    before = s.text[max(0, vs - s.start - 30) : vs - s.start]
    m = re.search(r"(\w+)\W*$", before)
    if not m or before[m.end() :].strip() not in ("", "the", "The"):
        return ""
    word = m.group(1).lower()
    if word == "the":  # "to the EU", "from the Republic of ..."
        m2 = re.search(r"(\w+)\s+the\s*$", before, re.IGNORECASE)
        word = m2.group(1).lower() if m2 else word
    for role, words in g.before.get(lang, {}).items():
        if word in words:
            return role
    return ""


def _country_phrases(s: Sentence, countries: list, g: Grammar) -> list[Phrase]:
    out: list[Phrase] = []
    lang = s.lang or "ru"
    for m in countries:
        vs, ve = vstart(m), vend(m)
        word = s.text[vs - s.start : ve - s.start]
        form = m.attrs.get("form", "")
        role = _role_before(s, vs, lang, g)
        if role == "dest" and lang == "ru" and form != "exact" and word.lower().endswith(g.in_endings):
            role = "loc"  # "в Казахстане": a place
        if not role and lang == "kk":
            ending = case_ending(m.value, word)  # "Өзбекстан" has none: its "-тан" is the name's own
            role = next((r for r, rx in g.kk_suffix if ending and rx.search(ending)), "")
        if not role and lang == "en" and g.possessive.match(s.text[ve - s.start : ve - s.start + 3]):
            role = "owner"
        if (
            not role
            and lang == "en"
            and form != "adj"  # "the import of Tajik products": an adjective on the goods
            and re.search(r"\bof\s+(?:the\s+)?$", s.text[max(0, vs - s.start - 8) : vs - s.start])
        ):
            role = "owner"
        if not role and form == "adj":
            role = "adj"
        out.append(
            Phrase(m.kind, vs, ve, m.value, role or "plain", MappingProxyType({"form": form, "mention": m}))
        )
    return _coordinated_roles(s, out, g)


@cache
def _forms_of() -> dict[str, tuple[str, ...]]:
    """Country code -> its written forms, lower case, longest first (karavan/data/countries.tsv)."""
    from karavan.annotate.countries import country_entries

    forms: dict[str, set[str]] = {}
    for code, kind, _lang, form in country_entries():
        if kind in ("name", "adj", "capital", "exact"):
            forms.setdefault(code, set()).add(form.lower())
    return {code: tuple(sorted(v, key=len, reverse=True)) for code, v in forms.items()}


def case_ending(code: str, word: str) -> str:
    """What follows the country's written form in the word: its case ending ("Тәжікстанға" -> "ға")."""
    low = word.lower()
    for form in _forms_of().get(code, ()):
        if low.startswith(form):
            return low[len(form) :].lstrip("-")
    return ""


def _coordinated_roles(s: Sentence, countries: list[Phrase], g: Grammar) -> list[Phrase]:
    """A name coordinated with the one before it takes its role ("между Казахстаном и Узбекистаном",
    "в Россию и Китай"); Kazakh "X мен Y арасындағы" makes both `between`."""
    out = list(countries)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        gap = s.text[prev.end - s.start : cur.start - s.start]
        if not _coordinated(gap):
            continue
        if cur.role in ("plain", "") and prev.role in ("between", "origin", "dest", "with"):
            out[i] = _with_role(cur, prev.role)
        tail = s.text[cur.end - s.start : cur.end - s.start + 30]
        if ending("grammar.case_with").search(gap.rstrip()) and g.kk_between.match(tail):
            out[i - 1], out[i] = _with_role(prev, "between"), _with_role(out[i], "between")
    return out


def _coordinated(gap: str) -> bool:
    """The text between two names joins them: nothing, a comma, a conjunction, an article."""
    words = word_set("coordination.words")
    return all(w.lower() in words for w in re.findall(r"\w+|[^\w\s]", gap)) and len(gap) < 12


def _with_role(p: Phrase, role: str) -> Phrase:
    return Phrase(p.kind, p.start, p.end, p.value, role, p.attrs)


def _roled_pointers(s: Sentence, scope: list[Phrase], g: Grammar) -> list[Phrase]:
    """Pointers to a country take a role like a name ("в эту страну" dest, "бұл елге" dest)."""
    out = []
    lang = s.lang or "ru"
    for p in scope:
        if p.kind != "pointer" or p.value == "pair":
            out.append(p)
            continue
        text = s.text[p.start - s.start : p.end - s.start]
        role = _role_before(s, p.start, lang, g)
        if not role and lang == "kk":
            role = next((r for r, rx in g.kk_suffix if rx.search(text)), "")
        if not role and lang == "en" and text.endswith(("'s", "’s")):
            role = "owner"
        out.append(_with_role(p, role or "plain"))
    return out


def vspan(p: Phrase) -> tuple[int, int]:
    return p.start, p.end


__all__ = ["Phrase", "read_phrases", "hedges", "vspan", "Sentence", "vstart", "vend"]
