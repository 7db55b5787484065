"""Numbers, money and volume amounts, percents and factors, read from a normalised text.

Readings:
- `amount`: a number with a currency or unit; value in units (1,4 млрд долларов -> 1.4e9), unit (USD, KZT,
  t ...), `decimals` (digits after the decimal mark, for precision), attrs `scaled` (a scale word was read)
  and `compound` (several scales combine: 1 млрд 200 млн -> 1.2e9);
- `quantity`: a scaled number with no currency or unit ("2,9 миллиарда", "910,8 млн"): value in units,
  `scaled`, no unit (a list's rule gives it the unit of the list it stands in);
- `percent`: the number before %, процент, пайыз, percent;
- `factor`: "в 1,5 раза", "в два раза", "вдвое", "2 есеге", "two-fold", "13 times";
- `number`: any other number (positions, ranks, years written as digits or words).
A sign written right before a percent or an amount ("(+5,4%)") is left outside the span and given as the
attr `sign`. The lower end of a pair takes the unit and scale of the upper one, attr `range`: low/high for a
dash ("$10-15 million", "5-7%"), from/to for words ("с 500 до 700 млн долларов", "500 миллионнан 700
миллион долларға").

A number is digits ("1 274,6", "1,274.6", "$2bln", "5-ти") or words composed from the lexicon's number
words ("семьсот пятьдесят", "two hundred", "он бес", "бір жарым"), then scales in falling order
("1 млрд 200 млн"); a singular scale word stands alone ("миллиард долларов", "около миллиона", "a billion").
Number words are read in the language they belong to (Kazakh "он" is ten, Russian "он" is "he").
All offsets returned here are offsets into the text given (the caller maps views).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from karavan.annotate.first_letters import first_letters
from karavan.annotate.lexicon import LANGS, WORD_START, Lexicon, fold, load_lexicon
from karavan.annotate.lexicon import alternation as plain_alternation
from karavan.annotate.windows import anchors
from karavan.annotate.word_trie import trie_alternation as alternation

SPACE = r"[ \u00a0\u202f\u2009]"
# the space between the parts of an amount: a crawler's hard line break may fall there ("$2.203\nbillion")
GAP = rf"{SPACE}*(?:\r?\n{SPACE}*)?"
NOT_AFTER_LETTER = r"(?<![^\W\d_])"  # a word start, or right after a digit: "5,3млн", "$2bln"
# digits with thousands groups and a decimal part; no digit or decimal mark before or after (a date
# "15.03.2024" is no number); space groups are not followed by more digits (a phone number)
DIGITS = (
    r"(?<![\w.,])(?:"
    r"\d{1,3}(?:,\d{3})+\.\d+"  # 1,274.6
    r"|\d{1,3}(?:,\d{3}){2,}"  # 1,400,000
    rf"|\d{{1,3}}(?:{SPACE}\d{{3}})+(?:[.,]\d+)?(?!{SPACE}?\d)"  # 1 274,6
    r"|\d+(?:[.,]\d+)?"
    r")(?![\d]|[.,]\d)"
)
CASE_SUFFIX = r"(?:-[^\W\d_]+)?"  # a Kazakh case ending after a hyphen: mlrd-qa, 8,9%-ǵa
SIGNS = "+-−"
CURRENCY_SIGNS = {"$": "USD", "₸": "KZT", "€": "EUR"}


@dataclass(slots=True, frozen=True)
class Reading:
    start: int
    end: int
    kind: str  # amount, quantity, percent, factor, number
    value: float
    unit: str | None = None
    decimals: int = 0
    attrs: dict = field(default_factory=dict)


def parse_number(raw: str, lang: str | None = None) -> tuple[float, int] | None:
    """Value and number of decimals of a written number: '1 200' -> 1200, '84,9' -> 84.9.

    A single comma before three digits is a thousands separator in English ('422,260'), a decimal comma
    otherwise ('1,274 млн' in Russian is 1.274 million)."""
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


def _loose(source: str) -> str:
    """A lexicon alternation that may also begin right after a digit ("5,3млн", "30%")."""
    return source.replace(WORD_START, NOT_AFTER_LETTER)


@dataclass(frozen=True, slots=True)
class Grammar:
    amount: re.Pattern[str]  # an amount in one plain expression (the bench's reference pass)
    start: re.Pattern[str]  # what a reading can begin with at an anchor: digits, a number or factor word
    digits: re.Pattern[str]
    word: re.Pattern[str]  # one number word
    word_gap: re.Pattern[str]  # between two number words: spaces or a hyphen (twenty-five)
    half: re.Pattern[str]  # "с половиной", "жарым", "and a half" after a number
    digit_suffix: re.Pattern[str]  # "-ти" of "5-ти миллиардов"
    scale: re.Pattern[str]  # a scale word after a number (or standing alone)
    qualifier: re.Pattern[str]  # "U.S." of "86.8 U.S. million dollars"
    post: re.Pattern[str]  # a currency or a unit after the number
    pre_back: re.Pattern[str]  # a currency sign or code right before the number: $1,4 млрд
    percent: re.Pattern[str]  # a percent word after the number
    factor: re.Pattern[str]  # "раз(а)" after the number (with "в" before it)
    factor_bare: re.Pattern[str]  # "есе", "times", "-fold" after the number
    pre_word: re.Pattern[str]  # "в" of "в 1,5 раза", right before the number
    range_from: re.Pattern[str]  # "с", "from" right before the lower end of a pair ("с 500 до 700 млн")
    range_to: re.Pattern[str]  # "до", "to" between the two ends
    range_from_endings: tuple[str, ...]  # a Kazakh ablative ending the lower end: "500 миллионнан"
    factor_word: re.Pattern[str]  # "вдвое", "doubled"
    lex: Lexicon
    word_langs: dict[str, frozenset[str]]  # folded number word -> the languages that list it
    money_only: frozenset[str]  # scales read only with a currency: "$5m"


def _plain_amount(lex: Lexicon) -> re.Pattern[str]:
    """An amount as one plain regular expression of the lexicon's words (one alternative per word), the way
    a plain regex extractor reads money: the reference pass of bench/extract.py, not used for reading."""
    num = rf"(?:{DIGITS}|{plain_alternation(lex.words('number_words'))})"
    scale = plain_alternation(lex.words("scales"))
    cur = plain_alternation(lex.words("currencies"))
    unit = plain_alternation(lex.words("units"))
    return re.compile(
        rf"(?P<num>{num})(?:{SPACE}*(?P<scale>{scale}))?(?:{SPACE}+(?P<num2>{DIGITS}){SPACE}*(?P<scale2>{scale}))?"
        rf"{CASE_SUFFIX}(?:{SPACE}*(?:(?P<cur>{cur}|\$|₸|€)|(?P<unit>{unit})))?{CASE_SUFFIX}",
        re.IGNORECASE,
    )


def _qualifiers(lex: Lexicon) -> list[str]:
    """First words of multi-word currency names that are no currency themselves: "U.S." of "U.S. dollar*"."""
    out = []
    for name in lex.words("currencies"):
        head, _, rest = name.partition(" ")
        if rest and not head.endswith("*") and lex.lookup("currencies", head) is None:
            out.append(head)
    return out


def _word_langs() -> dict[str, frozenset[str]]:
    langs: dict[str, set[str]] = {}
    for lang in LANGS:
        for word in load_lexicon((lang,)).maps.get("number_words", {}):
            langs.setdefault(word, set()).add(lang)
    return {w: frozenset(v) for w, v in langs.items()}


@cache
def grammar() -> Grammar:
    lex = load_lexicon()
    flags = re.IGNORECASE
    words = lex.words("number_words")
    numword = alternation(words)
    big = [w for w in words if (lex.lookup("number_words", w) or 0) >= 1000]  # "миллиард", "a billion"
    scale = _loose(alternation(lex.words("scales") + big))
    cur_post = _loose(alternation(lex.words("currencies")))
    cur_pre = alternation(lex.words("currency_prefix"))
    unit = _loose(alternation(lex.words("units")))
    signs = "|".join(re.escape(s) for s in CURRENCY_SIGNS)
    post = rf"{GAP}(?:(?P<cur>{cur_post}|{signs})|(?P<unit>{unit})){CASE_SUFFIX}"
    pct_words = _loose(alternation(lex.words("percent_words.words")))
    pre = alternation(lex.words("factor.pre"))
    factor_post = alternation(lex.words("factor.post"))
    factor_bare = _loose(alternation(lex.words("factor.post_bare")))  # factor words that need no preposition
    factor_words = alternation(list(lex.maps.get("factor_words", {})))
    num = rf"(?:{DIGITS}|{numword})"
    return Grammar(
        amount=_plain_amount(lex),
        start=re.compile(rf"{num}|{WORD_START}{factor_words}", flags),
        digits=re.compile(DIGITS),
        word=re.compile(numword, flags),
        word_gap=re.compile(rf"{SPACE}*-{SPACE}*|{SPACE}+(?:\r?\n{SPACE}*)?|\r?\n{SPACE}*"),
        half=re.compile(rf"{SPACE}+{alternation(lex.words('number_parts.half'))}", flags),
        digit_suffix=re.compile(alternation(lex.words("number_parts.digit_suffix")) + r"(?!\w)", flags),
        scale=re.compile(rf"{GAP}(?P<s>{scale})", flags),
        qualifier=re.compile(rf"{GAP}(?P<q>{alternation(_qualifiers(lex))})", flags),
        post=re.compile(post, flags),
        pre_back=re.compile(rf"(?P<pre>{cur_pre}|{signs}){SPACE}?$", flags),
        percent=re.compile(rf"(?:{GAP}|{SPACE}*-)(?P<pct>{pct_words}){CASE_SUFFIX}", flags),
        factor=re.compile(rf"{GAP}(?:{factor_post})", flags),
        factor_bare=re.compile(rf"(?:{GAP}|-)(?:{factor_bare})", flags),
        pre_word=re.compile(rf"{pre}{SPACE}+$", flags),
        range_from=re.compile(rf"{alternation(lex.words('number_parts.range_from'))}{SPACE}+$", flags),
        range_to=re.compile(rf"{SPACE}+{alternation(lex.words('number_parts.range_to'))}{SPACE}+", flags),
        range_from_endings=tuple(fold(w) for w in lex.words("number_parts.range_from_endings")),
        factor_word=re.compile(WORD_START + factor_words, flags),
        lex=lex,
        word_langs=_word_langs(),
        money_only=frozenset(fold(w) for w in lex.words("number_parts.money_only_scales")),
    )


def _key(word: str) -> str:
    return " ".join(word.split())  # "он  бір" and "он\nбір" are the entry "он бір"


@dataclass(slots=True)
class _Group:
    """A number before its scale: digits, or number words composed."""

    value: float
    decimals: int
    end: int
    words: bool


VAGUE = _Group(-1.0, 0, 0, True)  # "несколько", "several": a number that is no number


def _word_ok(g: Grammar, word: str, lang: str | None) -> bool:
    if lang is None or lang not in LANGS:
        return True
    langs = g.word_langs.get(fold(_key(word)))
    return langs is None or lang in langs


def _fits(value: float, v: float, last: float) -> bool:
    """A number word that continues a compound: smaller than the last one and than the lowest place taken
    ("семьсот пятьдесят" 750, "он бес" 15, "twenty-five"; not "два три", "сорок-пятьдесят")."""
    if v >= last or value != int(value) or v != int(v):
        return False
    place, n = 1, int(value)
    while n and n % 10 == 0:
        place, n = place * 10, n // 10
    return v < place


def _words(g: Grammar, text: str, pos: int, lang: str | None) -> _Group | None:
    """Number words composed, from pos; a word worth a scale ends the group (the caller reads it)."""
    value: float | None = None
    last = math.inf
    end = i = pos
    while True:
        m = g.word.match(text, i)
        if m is None or not _word_ok(g, m.group(), lang):
            break
        v = g.lex.lookup("number_words", _key(m.group()))
        if v is None or v >= 1000:
            break
        if v < 0:
            return VAGUE if value is None else None
        if value is None:
            value = float(v)
        elif v == 100 and 1 <= value < 10 and value == int(value):
            value *= 100  # "two hundred", "екі жүз"
        elif _fits(value, v, last):
            value += v
        else:
            break
        last, end = v, m.end()
        gap = g.word_gap.match(text, end)
        if gap is None:
            break
        i = gap.end()
    if value is None:
        return None
    half = g.half.match(text, end)
    if half is not None and value == int(value):
        value, end = value + 0.5, half.end()
    return _Group(value, _decimals(value), end, True)


def _decimals(value: float) -> int:
    text = f"{value:.6g}"
    return len(text.split(".", 1)[1]) if "." in text else 0


def _group(g: Grammar, text: str, pos: int, lang: str | None) -> _Group | None:
    d = g.digits.match(text, pos)
    if d is not None:
        nv = parse_number(d.group(), lang)
        return None if nv is None else _Group(nv[0], nv[1], d.end(), False)
    return _words(g, text, pos, lang)


@dataclass(slots=True)
class _Number:
    value: float
    decimals: int
    end: int
    scaled: bool = False
    groups: int = 0
    money_only: bool = False  # the scale is one read only with a currency ("5m")
    first_value: float = 0.0  # the first group before its scale
    first_decimals: int = 0
    first_end: int = 0
    qualifier: str | None = None
    currency: str | None = None  # a currency met between two scales: "1 billion dollar 477 million"
    digits: bool = True


def _scale_at(g: Grammar, text: str, grp: _Group, lang: str | None) -> tuple[float, int, str] | None:
    """The scale after a group: its multiplier, end and text; a digit's case suffix may stand between."""
    at = grp.end
    if not grp.words:
        suffix = g.digit_suffix.match(text, at)
        if suffix is not None:
            at = suffix.end()
    m = g.scale.match(text, at)
    if m is None:
        return None
    word = m.group("s")
    if not _word_ok(g, word, lang) and g.lex.lookup("scales", word) is None:
        return None
    mult = g.lex.lookup("scales", _key(word)) or g.lex.lookup("number_words", _key(word))
    return (float(mult), m.end(), word) if mult else None


def _number_at(g: Grammar, text: str, pos: int, lang: str | None) -> _Number | None:
    """The number starting at pos with its scales, or None; VAGUE numbers give a _Number of value -1."""
    first = _group(g, text, pos, lang)
    if first is VAGUE:
        return _Number(-1.0, 0, pos)
    if first is None:
        # a scale word standing alone: "миллиард долларов", "около миллиона", "a billion"
        w = g.word.match(text, pos)
        if w is None or not _word_ok(g, w.group(), lang):
            return None
        first = _Group(1.0, 0, pos, True)
        alone = True
    else:
        alone = False
    out = _Number(first.value, first.decimals, first.end, digits=not first.words)
    out.first_value, out.first_decimals, out.first_end = first.value, first.decimals, first.end
    grp = first
    total, last_scale = 0.0, math.inf
    pending_currency = None
    # the total, end and groups read before a currency met between two scales
    before_currency: tuple[float, int, int] | None = None
    while True:
        sc = _scale_at(g, text, grp, lang)
        if sc is None and out.groups == 0 and not grp.words:
            q = g.qualifier.match(text, grp.end)  # "86.813 U.S. million dollars"
            if q is not None:
                sc = _scale_at(g, text, _Group(grp.value, grp.decimals, q.end(), True), lang)
                if sc is not None:
                    out.qualifier = q.group("q")
        if sc is None or sc[0] >= last_scale:
            if out.groups and grp.words and last_scale == 1000 and grp is not first:
                total += grp.value  # "тысяча двести"
                out.end = grp.end
            break
        mult, end, word = sc
        if fold(word) in g.money_only:
            out.money_only = True
        if pending_currency and out.currency is None:
            out.currency = pending_currency
            before_currency = (total, out.end, out.groups)
        total += grp.value * mult
        last_scale = mult
        out.groups += 1
        out.scaled = True
        out.end = end
        # another group with a smaller scale may follow ("1 млрд 200 млн"), also after a currency
        # ("1 billion dollar 477 million"): a whole number below a thousand, on the same line
        at = end
        cur = g.post.match(text, at)
        pending_currency = cur.group("cur") if cur is not None and cur.group("cur") else None
        if pending_currency:
            at = cur.end()  # type: ignore[union-attr]
        gap = _SPACES.match(text, at)
        if gap is None:
            break
        nxt = _group(g, text, gap.end(), lang)
        if nxt is None or nxt is VAGUE or nxt.value != int(nxt.value) or nxt.value >= 1000:
            break
        grp = nxt
    if alone and not out.groups:
        return None
    if before_currency is not None and g.post.match(text, _CASE_SUFFIX.match(text, out.end).end()):
        # "72 млн долларға 616 мың тонна": the currency closed the amount, the tonnes are another one
        total, out.end, out.groups = before_currency
    if out.groups:
        out.value = float(f"{total:.12g}")  # 4,1 * 1e9 is 4.1e9, not 4099999999.9999995
    return out


_SPACES = re.compile(rf"{SPACE}+")


def _unit(g: Grammar, cur: str, qualifier: str | None) -> str | None:
    if qualifier:
        unit = g.lex.lookup("currencies", f"{qualifier} {_key(cur)}")
        if unit is not None:
            return unit
    unit = g.lex.lookup("currencies", _key(cur)) or g.lex.lookup("currency_prefix", cur)
    return unit if unit is not None else CURRENCY_SIGNS.get(cur.strip())


def _sign(text: str, start: int) -> str | None:
    """A + or - written right before the number (not the dash of a range "3-4")."""
    if start and text[start - 1] in SIGNS and (start < 2 or not text[start - 2].isalnum()):
        return "-" if text[start - 1] in "-−" else "+"
    return None


def _read_at(g: Grammar, text: str, pos: int, lang: str | None) -> tuple[list[Reading], int] | None:
    """The readings that start at the anchor pos (two for a range), and where they end (None: nothing
    starts there)."""
    hit = _read_one(g, text, pos, lang)
    if hit is None or hit[0] is None:
        return None if hit is None else ([], hit[1])
    low, end = hit
    pair = _pair(g, text, low, lang)
    return (pair, pair[1].end) if pair is not None else ([low], end)


def _connector(g: Grammar, text: str, low: Reading) -> tuple[int, tuple[str, str]] | None:
    """Where the upper end of a pair starts after its lower end, and the names of the two ends: a dash
    ("3-4 млрд": low, high), words ("с 500 до 700 млн", "from 5 to 7 billion", "between 3 and 5": from, to),
    a Kazakh ablative ending on the lower end ("500 миллионнан 700 миллион долларға": from, to)."""
    dash = _RANGE_DASH.match(text, low.end)
    if dash is not None:
        return dash.end(), ("low", "high")
    to = g.range_to.match(text, low.end)
    if to is not None and g.range_from.search(text[max(0, low.start - 16) : low.start]):
        return to.end(), ("from", "to")
    if low.kind == "quantity" and fold(text[low.start : low.end]).endswith(g.range_from_endings):
        gap = _SPACES.match(text, low.end)
        if gap is not None:
            return gap.end(), ("from", "to")
    return None


def _pair(g: Grammar, text: str, low: Reading, lang: str | None) -> list[Reading] | None:
    """A lower end that takes its unit (and its scale, if it has none) from the upper end after it:
    "$10-15 million", "3–4 млрд долларов", "5-7%", "вырос с 500 млн до 700 млн долларов"; None when the two
    numbers make no such pair ("3-4 июля", "с 2020 до 2023 года")."""
    scaled = bool(low.attrs.get("scaled"))
    if low.kind not in ("number", "quantity") and not (
        low.kind == "amount" and not scaled and text[low.end - 1].isdigit()  # "$10" of "$10-15 million"
    ):
        return None
    found = _connector(g, text, low)
    if found is None:
        return None
    at, (low_name, high_name) = found
    sign = _SIGN_BEFORE.match(text, at)  # "from $5 to $7 million": the upper end's reading starts at its sign
    number_at = sign.end() if sign else at
    hit = _read_one(g, text, number_at, lang)
    if hit is None or hit[0] is None:
        return None
    high = hit[0]
    if high.start != at or high.attrs.get("compound") or high.kind not in ("amount", "quantity", "percent"):
        return None
    if high.kind == "percent":
        if low.kind != "number":
            return None
        kind, unit, value, attrs = "percent", "%", low.value, dict(high.attrs)
    else:
        bare = _group(g, text, number_at, lang)
        if bare is None or bare is VAGUE or bare.value <= 0:
            return None
        if low_name == "low" and not 0 < low.value < bare.value:
            return None  # a range rises: "2023–5 млрд" is no range
        value = low.value if scaled else float(f"{low.value * high.value / bare.value:.12g}")
        unit = high.unit or low.unit
        kind = "amount" if unit else "quantity"
        attrs = {**high.attrs, "compound": False}
        if high.kind == "quantity" and unit:  # "$10-15 million": the currency sign is the pair's
            high = Reading(high.start, high.end, "amount", high.value, unit, high.decimals, high.attrs)
    lower = Reading(low.start, low.end, kind, value, unit, low.decimals, {**attrs, "range": low_name})
    upper = Reading(
        high.start,
        high.end,
        high.kind,
        high.value,
        high.unit,
        high.decimals,
        {**high.attrs, "range": high_name},
    )
    return [lower, upper]


_RANGE_DASH = re.compile("[-–—]")
_SIGN_BEFORE = re.compile(rf"[{''.join(CURRENCY_SIGNS)}]{SPACE}?")


def _read_one(g: Grammar, text: str, pos: int, lang: str | None) -> tuple[Reading | None, int] | None:
    """The reading that starts at the anchor pos, and where it ends (None: nothing starts there)."""
    fw = g.factor_word.match(text, pos)
    if fw is not None:
        value = g.lex.lookup("factor_words", _key(fw.group(0)))
        if value is not None:
            return Reading(pos, fw.end(), "factor", float(value)), fw.end()
    n = _number_at(g, text, pos, lang)
    if n is None:
        return None
    if n.value < 0:
        return None, pos + 1  # "несколько миллиардов": no number
    start = pos
    after = _CASE_SUFFIX.match(text, n.end).end() if n.scaled else n.end  # "млрд-қа"
    tail = text[max(0, pos - 8) : pos]
    pre = g.pre_back.search(tail)
    unit = _unit(g, pre.group("pre"), None) if pre is not None else None
    post = g.post.match(text, after)
    if post is not None and post.group("cur"):
        unit = _unit(g, post.group("cur"), n.qualifier) or unit
    elif post is not None:
        unit = g.lex.lookup("units", _key(post.group("unit")))
    elif n.currency:
        unit = _unit(g, n.currency, None)
    if unit is not None:
        if pre is not None:
            start = pos - len(tail) + pre.start()
        attrs: dict = {"compound": n.groups > 1, "scaled": n.scaled}
        sign = _sign(text, start)
        if sign:
            attrs["sign"] = sign
        end = post.end() if post is not None else after
        return Reading(start, end, "amount", n.value, unit, n.decimals, attrs), end
    if n.money_only:  # "5 m" is five metres, not five million: the number alone
        n = _Number(n.first_value, n.first_decimals, n.first_end, digits=n.digits)
    if n.scaled:
        return Reading(
            start, after, "quantity", n.value, None, n.decimals, {"compound": n.groups > 1, "scaled": True}
        ), after
    end = n.end
    pct = g.percent.match(text, end)
    if pct is not None:
        sign = _sign(text, start)
        return Reading(
            start, pct.end(), "percent", n.value, "%", n.decimals, {"sign": sign} if sign else {}
        ), pct.end()
    factor = g.factor.match(text, end)
    if factor is not None:
        before = g.pre_word.search(text[max(0, pos - 6) : pos])
        if before is not None or (n.digits and n.decimals):  # "в 2 раза"; "2,5 раза" needs no "в"
            fstart = pos - min(pos, 6) + before.start() if before is not None else pos
            return Reading(fstart, factor.end(), "factor", n.value, None, n.decimals), factor.end()
    bare = g.factor_bare.match(text, end)
    if bare is not None:
        return Reading(start, bare.end(), "factor", n.value, None, n.decimals), bare.end()
    return Reading(start, end, "number", n.value, None, n.decimals), end


_CASE_SUFFIX = re.compile(CASE_SUFFIX)


def scan(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    """Every reading of the text, tried at its anchors, in text order; readings do not overlap."""
    g = grammar()
    gate = first_letters(g.start)
    known = gate.known
    out: list[Reading] = []
    end = -1
    for pos in anchors(text) if starts is None else starts:
        if pos < end:
            continue
        ch = text[pos]
        ok = known.get(ch)
        if ok is None:
            ok = gate.can_begin(ch)
        if not ok:
            continue
        hit = _read_at(g, text, pos, lang)
        if hit is None:
            continue
        found, end = hit
        out.extend(found)
    return out


def read_amounts(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    return [r for r in scan(text, lang, starts) if r.kind == "amount"]


def read_quantities(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    return [r for r in scan(text, lang, starts) if r.kind == "quantity"]


def read_percents(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    return [r for r in scan(text, lang, starts) if r.kind == "percent"]


def read_factors(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    return [r for r in scan(text, lang, starts) if r.kind == "factor"]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """pos lies in one of the sorted, non-overlapping spans."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def read_numbers(
    text: str, taken: list[tuple[int, int]], lang: str | None = None, starts: list[int] | None = None
) -> list[Reading]:
    """Plain numbers outside the spans already taken (by amounts, percents, factors)."""
    taken = sorted(taken)
    return [r for r in scan(text, lang, starts) if r.kind == "number" and not _inside(r.start, taken)]


def read_all(text: str, lang: str | None = None, starts: list[int] | None = None) -> list[Reading]:
    return sorted(scan(text, lang, starts), key=lambda r: (r.start, -r.end))
