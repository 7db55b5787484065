"""The regular expressions of period phrases, built from the [months] and [periods] lexicon sections.

Two kinds: the phrase grammars (tried at anchors: a digit or a period word) and the context
patterns (searched in the few characters before or after a phrase: "с", "к концу", "по сравнению
с", "жылға дейін", "салыстырғанда"), which say what a phrase is used for: a start ("since"), a
deadline, a comparison base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.annotate.first_letters import first_letter
from karavan.annotate.lexicon import WORD_START, Lexicon, alternation, fold, load_lexicon

SP = r"[ \u00a0\u202f\u2009]+"
YEAR = r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)"
DASH = r"\s*[-–—‒]\s*"
SLASH = r"\s?/\s?"
# the second year of a marketing year: "2021/22", "2021/2022"
YEAR2 = r"(?:\d{2}(?!\d)|" + YEAR + ")"
# one character of the same sentence: no sentence end (a stop before a capital letter; "млн. тонн" is none)
SAME_SENTENCE = r"(?:(?![.!?;]\s+(?-i:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]))[^\n])"


def _alt(words: list[str]) -> str:
    """The lexicon alternation of the words, behind a one-character look-ahead of the letters it can begin
    with: inside a grammar (after a number, after an optional part) the engine otherwise tries every word
    of it at every place, which costs more than the rest of the grammar."""
    source = alternation(words)
    gate = first_letter(re.compile(source, re.IGNORECASE))
    return source if gate is None else f"(?={gate.pattern}){source}"


@dataclass(frozen=True, slots=True)
class PeriodGrammar:
    lex: Lexicon
    # a count: of months ("11 месяцев 2024 года", "осы жылдың екі айында"; the `mw` group) or of years
    # ("пять лет", "five years", "6 жыл ішінде"; "два года назад", a fact's period: `ago`); one grammar for
    # both, since a number is where most anchors are
    counted: re.Pattern[str]
    month_range: re.Pattern[str]
    month_single: re.Pattern[str]
    quarter: re.Pattern[str]
    half: re.Pattern[str]
    # a year before the months (Kazakh), matched on the text before them: "2024 жылдың "
    head: re.Pattern[str]
    year_range: re.Pattern[str]
    year: re.Pattern[str]
    rel_year: re.Pattern[str]
    rel_one_word: re.Pattern[str]
    anchor: re.Pattern[str]
    cur_one_word: re.Pattern[str]  # "биыл": this year
    anchor_after: re.Pattern[str]  # "2023 жылдың сәйкес кезеңімен": the comparison words follow the year
    compact: re.Pattern[str]  # "4M23", "10M2022", "1H2023", "H1 2023", "Q1 2023", "1Q24"
    season: re.Pattern[str]  # "2021/22 МГ", "сезона-2020/21", "прошлого сезона"
    same: re.Pattern[str]  # "аналогичного периода 2023 года", "the same period last year", "same period"
    same_after: re.Pattern[str]  # "2023 жылдың сәйкес кезеңімен", "өткен жылдың сәйкес кезеңі"
    # phrases led by a word: "отчетный период", "осы кезеңде" (this); "годом ранее", "a year earlier"
    # (earlier; with a count: span_count's "ago"); "in the near future" (near); "в ближайшие годы",
    # "in recent years", "в ближайшее десятилетие" (past/future)
    words: re.Pattern[str]
    span_direction: re.Pattern[str]  # before a count of years: "последние", "next", "алдағы"
    year_word: re.Pattern[str]  # a year word alone: "к концу года", "by the end of the year", "жыл соңына"
    # "3-4 июля", "30 қарашада", "2023 жылғы 30 қарашада", "5 June 2023"; "July 3-4", "November 30, 2023"
    date: re.Pattern[str]
    # context patterns, searched in the text just before (…$) or after (^…) a phrase
    since_before: Near
    since_after: Near
    by_before: Near
    by_after: Near
    year_end_before: Near
    year_end_after: Near
    year_start_before: Near
    year_start_after: Near
    compare_before: Near
    compare_after: Near
    same_other: re.Pattern[str]  # the same-period words that always mean another year's period
    # grammar -> the literal words one of which a text must hold for the grammar to match in it (see `skip`)
    required: dict[str, Needles]

    def skip(self, name: str, folded: str) -> bool:
        """True when the grammar `name` cannot match in a text (folded: see lexicon.fold)."""
        needles = self.required.get(name)
        return needles is not None and not needles.found(folded)


def _season(lex: Lexicon, p: str = "") -> str:
    """A marketing year with its season word before or after it ("2021/22 МГ", "сезона-2020/21"), or a
    relative one ("прошлого сезона"). `p` prefixes the group names (the pattern is used twice in one)."""
    sw = _alt(lex.words("periods.season_words"))
    cur = _alt(lex.words("periods.current"))
    prev = _alt(lex.words("periods.previous"))
    nxt = _alt(lex.words("periods.next"))
    return (
        rf"(?:(?P<{p}sy>{YEAR})(?:{SLASH}|{DASH})(?P<{p}sy2>{YEAR2}){SP}?{sw}"
        rf"|{sw}[\s\-–]*(?P<{p}ty>{YEAR}){SLASH}(?P<{p}ty2>{YEAR2})"
        rf"|(?P<{p}sprev>{prev}){SP}{sw}|(?P<{p}scur>{cur}){SP}{sw}|(?P<{p}snext>{nxt}){SP}{sw})"
    )


def _year_tail(lex: Lexicon, link_key: str = "periods.year_link") -> str:
    """What may follow a months/quarter phrase to give its year: 2024 года / текущего года / прошлого года /
    a marketing year."""
    cur = _alt(lex.words("periods.current"))
    prev = _alt(lex.words("periods.previous"))
    nxt = _alt(lex.words("periods.next"))
    yw = _alt(lex.words("periods.year_words"))
    link = _alt(lex.words(link_key))  # "the first half of 2024"
    return (
        rf"(?:{SP}(?:{link}{SP})?(?:{_season(lex)}|(?P<y>{YEAR})(?:{SP}?{yw})?|(?P<cur>{cur}){SP}{yw}"
        rf"|(?P<prev>{prev}){SP}{yw}|(?P<next>{nxt}){SP}{yw}))?"
    )


def _year_head(lex: Lexicon) -> str:
    """A year stated before the months (Kazakh): "2024 жылдың 11 айында", "осы жылдың екі айында",
    "былтырғы 9 айда". Matched backwards from a phrase that has matched (see `head`): tried at every anchor
    as an optional prefix it would cost more than all the rest of the grammar."""
    cur = _alt(lex.words("periods.current"))
    prev = _alt(lex.words("periods.previous"))
    nxt = _alt(lex.words("periods.next"))
    gen = _alt(lex.words("periods.year_genitive"))
    prev_adj = _alt(lex.words("periods.previous_adjective"))
    cur_adj = _alt(lex.words("periods.current_adjective"))
    # a marketing year's words carry its genitive: "2021/22 маркетингтік жылдың қыркүйек-наурыз айларында"
    lead = _alt(lex.words("periods.months_lead"))  # "осы жылдың алғашқы бес айында"
    return (
        rf"(?:{_season(lex, 'h')}|(?:(?P<hy>{YEAR})|(?P<hcur>{cur})|(?P<hprev>{prev})|(?P<hnext>{nxt})){SP}{gen}"
        rf"|(?P<haprev>{prev_adj})|(?P<hacur>{cur_adj})){SP}(?:{lead}{SP})?$"
    )


@dataclass(frozen=True, slots=True)
class Needles:
    """Literal pieces (folded), one of which any text a grammar matches holds."""

    words: tuple[str, ...]
    rx: re.Pattern[str]  # the same as one regular expression: quicker on a short window than a loop

    def found(self, folded: str) -> bool:
        if len(folded) > 200:  # a whole text: the string search of each is quicker
            return any(n in folded for n in self.words)
        return self.rx.search(folded) is not None


def _needles(words: list[str]) -> Needles | None:
    """The Needles of the words' alternation; None when a word is a raw regular expression."""
    out = set()
    for w in words:
        if w.startswith("~"):
            return None
        tokens = [t.rstrip("*") for t in w.split(" ")]
        out.add(fold(max(reversed(tokens), key=len)))  # the longest; of equals the last ("by the end of")
    ordered = tuple(sorted(out, key=lambda n: (-len(n), n)))
    return Needles(ordered, re.compile("|".join(re.escape(n) for n in ordered) or "(?!)"))


@dataclass(frozen=True, slots=True)
class Near:
    """A context pattern with the words one of which it needs: a window holding none of them is answered at
    once (a search ending in `$` is tried at every character of the window)."""

    rx: re.Pattern[str]
    needles: Needles | None

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        if self.needles is not None and not self.needles.found(folded):
            return None
        return self.rx.search(text)

    def match(self, text: str, folded: str) -> re.Match[str] | None:
        if self.needles is not None and not self.needles.found(folded):
            return None
        return self.rx.match(text)


def _before(lex: Lexicon, key: str, article: bool = False) -> Near:
    """Words of `key` ending the text just before a phrase (and an article after them: "by the end of the")."""
    words = lex.words(key)
    tail = rf"(?:\s+{_alt(lex.words('periods.article'))})?" if article else ""
    return Near(re.compile(r"(?:^|[\s(«\"])" + _alt(words) + tail + r"\s*$", re.IGNORECASE), _needles(words))


def _after(lex: Lexicon, key: str, words: int = 0) -> Near:
    """Words of `key` starting the text just after a phrase (after up to `words` other words)."""
    skip = r"(?:[^\s.,;:!?]+\s+){0," + str(words) + "}" if words else ""
    found = lex.words(key)
    return Near(re.compile(r"^[\s,]*" + skip + _alt(found), re.IGNORECASE), _needles(found))


def _required(lex: Lexicon) -> dict[str, Needles]:
    """The grammars a text can skip when it holds none of their words (a season word, "same period", …):
    those whose words are rare enough for the look to cost less than the grammar."""
    keys = {
        "season": ["periods.season_words"],
        "same": ["periods.same_period"],
        "same_after": ["periods.same_period_after"],
        "head": [
            "periods.year_genitive",
            "periods.previous_adjective",
            "periods.current_adjective",
            "periods.season_words",
        ],
    }
    out = {}
    for name, lists in keys.items():
        needles = _needles([w for k in lists for w in lex.words(k)])
        if needles is not None:
            out[name] = needles
    return out


@cache
def grammar() -> PeriodGrammar:
    lex = load_lexicon()
    num = _alt(lex.words("number_words"))
    months_w = _alt(lex.words("periods.month_words"))
    quarter_w = _alt(lex.words("periods.quarter_words"))
    half_w = _alt(lex.words("periods.half_words"))
    yw = _alt(lex.words("periods.year_words"))
    month_names = "|".join(k[1:] if k.startswith("~") else k.rstrip("*") for k in lex.maps.get("months", {}))
    gate = first_letter(re.compile(f"(?:{month_names})", re.IGNORECASE))
    month_names = f"(?={gate.pattern})(?:{month_names})" if gate else f"(?:{month_names})"
    month = rf"{WORD_START}{month_names}\w*(?:\.(?=\s*[-–—\d]))?"  # "Jan.-Oct. 2023"
    ordinal = _alt(list(lex.words("ordinals")))
    tail = _year_tail(lex)
    prev = _alt(lex.words("periods.previous"))
    cur = _alt(lex.words("periods.current"))
    nxt = _alt(lex.words("periods.next"))
    gen = _alt(lex.words("periods.year_genitive"))
    link = _alt(lex.words("periods.range_link"))
    conn = rf"(?:{DASH}|{SP}{link}{SP})"
    range_tail = _alt(lex.words("periods.range_tail"))
    suffix = _alt(lex.words("periods.year_suffix"))
    same = _alt(lex.words("periods.same_period"))
    span_years = _alt(lex.words("periods.span_years"))
    not_years = _alt(lex.words("periods.span_years_not"))
    plural = _alt(lex.words("periods.span_years_plural"))
    decades = _alt(lex.words("periods.span_decades"))
    past = _alt(lex.words("periods.span_past"))
    future = _alt(lex.words("periods.span_future"))
    span_tail = _alt(lex.words("periods.span_tail"))
    earlier = _alt(lex.words("periods.earlier"))
    day_suffix = _alt(lex.words("periods.day_suffix"))
    cm = _alt(lex.words("periods.compact_months"))
    ch = _alt(lex.words("periods.compact_halves"))
    cq = _alt(lex.words("periods.compact_quarters"))
    count = rf"(?P<n>(?<![\d.,])\d{{1,3}}(?![\d.,]\d)|{num})"
    day = r"(?<![\d.,:])(?:[12]\d|3[01]|0?[1-9])(?![\d.,:]\d)"
    compare = _alt(lex.words("periods.compare_before"))
    figure = _alt(lex.words("periods.compare_figure"))  # "против 1,1 млн тонн в предыдущем сезоне"
    flags = re.IGNORECASE
    return PeriodGrammar(
        lex=lex,
        counted=re.compile(
            rf"{count}{SP}(?:(?:{ordinal}{SP})?(?P<mw>{months_w}){tail}"
            rf"(?:\s*\(\s*(?P<pa>{month}){conn}(?P<pb>{month})\s*\))?"
            rf"|(?:(?P<dec>{decades})|(?!{not_years}){span_years})(?:{SP}{span_tail})?(?:{SP}(?P<ago>{earlier}))?)",
            flags,
        ),
        month_range=re.compile(
            rf"(?P<a>{month})(?:{SP}(?P<ya>{YEAR}))?{conn}(?P<b>{month}){tail}"
            rf"(?:{SP}(?:{months_w}|{range_tail}))?",
            flags,
        ),
        month_single=re.compile(rf"(?P<a>{month}){tail}", flags),
        quarter=re.compile(
            rf"(?P<q>{ordinal}|I{{1,3}}V?|IV|[1-4](?:-?(?:й|м|ом|го))?){SP}{quarter_w}{tail}", flags
        ),
        half=re.compile(rf"(?:(?P<q>{ordinal}){SP})?{half_w}{tail}", flags),
        head=re.compile(_year_head(lex), flags),
        year_range=re.compile(
            rf"(?P<y1>{YEAR})(?:{SP}?{yw})?(?:{DASH}|{SP}{link}{SP})(?P<y2>{YEAR})(?:{SP}?{yw})?", flags
        ),
        year=re.compile(rf"(?P<y>{YEAR})(?:-{suffix})?(?P<yw>{SP}?{yw})?", flags),
        rel_year=re.compile(rf"(?:(?P<prev>{prev})|(?P<cur>{cur})|(?P<next>{nxt})){SP}{yw}", flags),
        rel_one_word=re.compile(_alt(lex.words("periods.previous_one_word")), flags),
        anchor=re.compile(same + rf"[^.;]{{0,20}}?(?P<y>{YEAR})(?!{SLASH}\d)", flags),
        cur_one_word=re.compile(_alt(lex.words("periods.current_one_word")), flags),
        anchor_after=re.compile(
            rf"(?P<y>{YEAR})(?!{SLASH}\d)[^.;]{{0,20}}?" + _alt(lex.words("periods.same_period_after")),
            flags,
        ),
        compact=re.compile(
            rf"(?<![\w$€£.,])(?:(?P<n>1[0-2]|[1-9]){cm}|(?P<h>[12]){ch}|{ch}(?P<h2>[12])|(?P<q>[1-4]){cq}"
            rf"|{cq}(?P<q2>[1-4]))(?:(?P<y>{YEAR})|[ \u00a0](?P<y4>{YEAR})|['’]?(?P<yy>[0-4]\d(?!\d)))?(?!\w)"
        ),
        season=re.compile(_season(lex), flags),
        same=re.compile(rf"(?P<sp>{same}){_year_tail(lex, 'periods.same_period_link')}", flags),
        same_after=re.compile(
            rf"(?:{_season(lex)}|(?P<y>{YEAR})|(?P<prev>{prev})|(?P<cur>{cur}))(?:{SP}?(?:{gen}|{yw}))?{SP}"
            + _alt(lex.words("periods.same_period_after")),
            flags,
        ),
        words=re.compile(
            rf"(?P<this>{_alt(lex.words('periods.this_period'))})|(?P<earlier>{yw}{SP}{earlier})"
            rf"|(?P<near>{_alt(lex.words('periods.near_future'))})"
            rf"|(?:(?P<past>{past})|(?P<future>{future})){SP}(?:(?P<dec>{decades})|{plural})",
            flags,
        ),
        span_direction=re.compile(rf"(?:(?P<past>{past})|(?P<future>{future})){SP}$", flags),
        year_word=re.compile(yw, flags),
        date=re.compile(
            rf"(?:(?:{YEAR}){SP}{gen}{SP})?{day}(?:{DASH}{day})?(?:-?{day_suffix})?{SP}(?P<a>{month})"
            rf"(?:{SP}{YEAR}(?:{SP}?{yw})?)?"
            rf"|(?P<a2>{month}){SP}{day}(?:{day_suffix})?(?:{DASH}{day})?(?![\d.,:]?\d)(?:,?{SP}{YEAR})?",
            flags,
        ),
        since_before=_before(lex, "periods.since_before"),
        since_after=_after(lex, "periods.since_after"),
        by_before=_before(lex, "periods.by_before"),
        by_after=_after(lex, "periods.by_after"),
        year_end_before=_before(lex, "periods.year_end_before", article=True),
        year_end_after=_after(lex, "periods.year_end_after"),
        year_start_before=_before(lex, "periods.year_start_before", article=True),
        year_start_after=_after(lex, "periods.year_start_after"),
        # the comparison word, then up to 50 characters of the same sentence ("compared to $298.4 million
        # from January through October 2022"): the first period after it is the base
        compare_before=Near(
            re.compile(
                rf"(?:^|[\s(])(?:{compare}{SAME_SENTENCE}{{0,50}}"
                rf"|{figure}{SAME_SENTENCE}{{0,30}}\d{SAME_SENTENCE}{{0,40}})$",
                flags,
            ),
            _needles(lex.words("periods.compare_before") + lex.words("periods.compare_figure")),
        ),
        compare_after=_after(lex, "periods.compare_after", words=1),
        same_other=re.compile(_alt(lex.words("periods.same_period_other")), flags),
        required=_required(lex),
    )
