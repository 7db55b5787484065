"""Numbers, money and volume amounts, percents and factors, read from a normalised text.

Readings:
- `amount`: value in units (1,4 млрд долларов -> 1.4e9), unit (USD, KZT, t ...),
  `decimals` (digits after the decimal mark, for precision), `compound` when
  two scales combine (1 млрд 200 млн -> 1.2e9);
- `percent`: the number before %, процент, пайыз, percent;
- `factor`: "в 1,5 раза", "в два раза", "вдвое", "2 esege", "two-fold";
- `number`: any other number (positions, ranks written as digits).
All offsets returned here are offsets into the text given (the caller maps views).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from karavan.annotate.lexicon import WORD_START, Lexicon, alternation, load_lexicon
from karavan.annotate.windows import anchors, match_at

SPACE = r"[ \u00a0\u202f\u2009]"
# digits with optional thousands groups and decimal part; no digit or decimal mark before
DIGITS = rf"(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}}){{2,}}(?!\d)|\d{{1,3}}(?:{SPACE}\d{{3}})+(?!\d)|\d+)(?:[.,]\d+)?(?![\d])"
SUFFIX = r"(?:-\w+)?"  # Kazakh case suffix after a hyphen: mlrd-qa, 8,9%-ǵa


@dataclass(slots=True, frozen=True)
class Reading:
    start: int
    end: int
    kind: str  # amount, percent, factor, number
    value: float
    unit: str | None = None
    decimals: int = 0
    attrs: dict = field(default_factory=dict)


def parse_number(raw: str, lang: str | None = None) -> tuple[float, int] | None:
    """Value and number of decimals of a written number: '1 200' -> 1200, '84,9' -> 84.9."""
    s = re.sub(SPACE, "", raw)
    if "," in s and "." in s:
        s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "").replace(",", ".")
    elif s.count(",") > 1:
        s = s.replace(",", "")  # English thousands: 1,400,000
    elif "," in s:
        head, _, tail = s.partition(",")
        if lang == "en" and len(tail) == 3:
            s = head + tail
        else:
            s = head + "." + tail
    try:
        value = float(s)
    except ValueError:
        return None
    decimals = len(s.split(".", 1)[1]) if "." in s else 0
    return value, decimals


@dataclass(frozen=True, slots=True)
class Grammar:
    amount: re.Pattern[str]
    pre_back: re.Pattern[str]  # a currency sign or code right before the number: $1,4 млрд
    percent: re.Pattern[str]
    factor: re.Pattern[str]
    pre_word: re.Pattern[str]  # "в" of "в 1,5 раза", right before the number
    factor_word: re.Pattern[str]
    number: re.Pattern[str]
    lex: Lexicon


@cache
def grammar() -> Grammar:
    lex = load_lexicon()
    numword = alternation(lex.words("number_words"))
    num = rf"(?:{DIGITS}|{numword})"
    scale = alternation(lex.words("scales"))
    cur_post = alternation(lex.words("currencies"))
    cur_pre = alternation(lex.words("currency_prefix")) if lex.words("currency_prefix") else r"(?:\$|US\$)"
    unit = alternation(lex.words("units"))
    pre_back = re.compile(rf"(?P<pre>{cur_pre}|\$|₸|€){SPACE}?$", re.IGNORECASE)
    amount = re.compile(
        rf"(?P<num>{num})"
        rf"(?:{SPACE}*(?P<scale>{scale}))?"
        rf"(?:{SPACE}+(?P<num2>{DIGITS}){SPACE}*(?P<scale2>{scale}))?"
        rf"{SUFFIX}"
        rf"(?:{SPACE}*(?:(?P<cur>{cur_post}|\$|₸|€)|(?P<unit>{unit})))?"
        rf"{SUFFIX}",
        re.IGNORECASE,
    )
    pct_words = alternation(lex.words("percent_words.words"))
    percent = re.compile(rf"(?P<num>{num}){SPACE}*(?P<pct>{pct_words}){SUFFIX}", re.IGNORECASE)
    pre = alternation(lex.words("factor.pre"))
    post = alternation(lex.words("factor.post"))
    post_bare = alternation(lex.words("factor.post_bare"))  # factor words that need no preposition
    factor = re.compile(rf"(?P<num>{num}){SPACE}*(?:(?P<post>{post})|(?P<bare>{post_bare}))", re.IGNORECASE)
    pre_word = re.compile(rf"{pre}{SPACE}+$", re.IGNORECASE)
    factor_words = lex.maps.get("factor_words", {})
    factor_word = re.compile(WORD_START + alternation(list(factor_words)), re.IGNORECASE)
    number = re.compile(rf"(?P<num>{num})", re.IGNORECASE)
    return Grammar(amount, pre_back, percent, factor, pre_word, factor_word, number, lex)


def _num_value(raw: str, lex: Lexicon, lang: str | None) -> tuple[float, int] | None:
    if raw[:1].isdigit():
        return parse_number(raw, lang)
    word = lex.lookup("number_words", raw)
    if word is None or word < 0:
        return None
    return float(word), 0


def read_amounts(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    g = grammar()
    out: list[Reading] = []
    for m in match_at(g.amount, text, anchors(text) if starts is None else starts):
        pre_m = g.pre_back.search(text, max(0, m.start() - 6), m.start())
        pre = pre_m.group("pre") if pre_m else None
        if not (m.group("cur") or pre or m.group("unit")):
            continue  # a bare "1,5 млн" without currency or unit is not money we can type
        nv = _num_value(m.group("num"), g.lex, lang)
        if nv is None:
            continue
        value, decimals = nv
        if m.group("scale"):
            value *= float(g.lex.lookup("scales", m.group("scale").rstrip("-")) or 1)
        if m.group("num2") and m.group("scale2"):
            nv2 = parse_number(m.group("num2"), lang)
            if nv2:
                value += nv2[0] * float(g.lex.lookup("scales", m.group("scale2")) or 1)
        value = float(f"{value:.12g}")  # 4,1 * 1e9 is 4.1e9, not 4099999999.9999995
        unit = None
        cur = m.group("cur") or pre
        if cur:
            unit = g.lex.lookup("currencies", cur) or g.lex.lookup("currency_prefix", cur)
            if unit is None:
                unit = {"$": "USD", "₸": "KZT", "€": "EUR", "US$": "USD"}.get(cur.strip())
        elif m.group("unit"):
            unit = g.lex.lookup("units", m.group("unit"))
        if unit is None:
            continue
        out.append(
            Reading(
                pre_m.start() if pre_m else m.start(),
                m.end(),
                "amount",
                value,
                unit,
                decimals,
                {"compound": bool(m.group("num2")), "scaled": bool(m.group("scale"))},
            )
        )
    return out


def read_percents(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    g = grammar()
    out = []
    for m in match_at(g.percent, text, anchors(text) if starts is None else starts):
        nv = _num_value(m.group("num"), g.lex, lang)
        if nv is not None:
            out.append(Reading(m.start(), m.end(), "percent", nv[0], "%", nv[1]))
    return out


def read_factors(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    g = grammar()
    out = []
    starts = anchors(text) if starts is None else starts
    for m in match_at(g.factor, text, starts):
        pre = g.pre_word.search(text, max(0, m.start() - 6), m.start())
        if m.group("post") and not pre:
            continue
        nv = _num_value(m.group("num"), g.lex, lang)
        if nv is not None:
            out.append(Reading(pre.start() if pre else m.start(), m.end(), "factor", nv[0], None, nv[1]))
    table = g.lex.maps.get("factor_words", {})
    for m in match_at(g.factor_word, text, starts):
        value = g.lex.lookup("factor_words", m.group(0))
        if value is not None and table:
            out.append(Reading(m.start(), m.end(), "factor", float(value)))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """pos lies in one of the sorted, non-overlapping spans."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def read_numbers(
    text: str, taken: list[tuple[int, int]], lang: str | None = None, starts: list[int] | None = None
) -> list[Reading]:
    """Plain numbers outside the spans already read as amounts/percents/factors."""
    g = grammar()
    out = []
    taken = sorted(taken)
    for m in match_at(g.number, text, anchors(text) if starts is None else starts):
        if _inside(m.start(), taken):
            continue
        nv = _num_value(m.group("num"), g.lex, lang)
        if nv is not None:
            out.append(Reading(m.start(), m.end(), "number", nv[0], None, nv[1]))
    return out


def read_all(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    starts = anchors(text) if starts is None else starts
    amounts = read_amounts(text, lang, starts)
    spans = sorted((a.start, a.end) for a in amounts)
    percents = [p for p in read_percents(text, lang, starts) if not _inside(p.start, spans)]
    factors = read_factors(text, lang, starts)
    taken = [(r.start, r.end) for r in (*amounts, *percents, *factors)]
    numbers = read_numbers(text, taken, lang, starts)
    return sorted((*amounts, *percents, *factors, *numbers), key=lambda r: (r.start, -r.end))
