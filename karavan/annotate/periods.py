"""Periods: years, month ranges, quarters, half-years, "N months", relative years.

A period is read into a `PeriodSpec` (which months, which year: explicit or
relative to the document's current year) and resolved later into FACTS.md's
"YYYY-MM/YYYY-MM" once the document's reference year is known:
the publication date, or an anchor in the text (`к аналогичному периоду 2023
года` says the current year is 2024), or an explicit period of the same shape
elsewhere in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.annotate.lexicon import WORD_START, Lexicon, alternation, load_lexicon
from karavan.annotate.windows import anchors, match_at

SP = r"[ \u00a0\u202f\u2009]+"
YEAR = r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)"
DASH = r"\s*[-–—‒]\s*"


@dataclass(slots=True, frozen=True)
class PeriodSpec:
    start: int
    end: int
    m1: int  # first month
    m2: int  # last month
    year: int | None = None  # explicit year
    rel: int | None = None  # 0 = current year, -1 = previous year
    shape: str = "year"  # year, months, quarter, half, month_range, year_range
    year2: int | None = None  # last year of a range of years
    implied: bool = False  # a part of a year with no year written ("за первое полугодие"): the current one

    def resolve(self, ref_year: int | None) -> str | None:
        year = self.year
        if year is None and self.rel is not None and ref_year is not None:
            year = ref_year + self.rel
        if year is None:
            return None
        if self.year2 is not None:
            return f"{year:04d}-01/{self.year2:04d}-12"
        return f"{year:04d}-{self.m1:02d}/{year:04d}-{self.m2:02d}"


@dataclass(frozen=True, slots=True)
class PeriodGrammar:
    lex: Lexicon
    months_n: re.Pattern[str]
    month_range: re.Pattern[str]
    month_single: re.Pattern[str]
    quarter: re.Pattern[str]
    half: re.Pattern[str]
    year_range: re.Pattern[str]
    year: re.Pattern[str]
    rel_year: re.Pattern[str]
    rel_one_word: re.Pattern[str]
    anchor: re.Pattern[str]
    cur_one_word: re.Pattern[str]  # "биыл": this year
    anchor_after: re.Pattern[str]  # "2023 жылдың сәйкес кезеңімен": the comparison words follow the year


def _year_tail(lex: Lexicon) -> str:
    """What may follow a months/quarter phrase to give its year: 2024 года / текущего года / прошлого года."""
    cur = alternation(lex.words("periods.current"))
    prev = alternation(lex.words("periods.previous"))
    yw = alternation(lex.words("periods.year_words"))
    link = alternation(lex.words("periods.year_link"))  # "the first half of 2024"
    return (
        rf"(?:{SP}(?:{link}{SP})?(?:(?P<y>{YEAR})(?:{SP}?{yw})?|(?P<cur>{cur}){SP}{yw}"
        rf"|(?P<prev>{prev}){SP}{yw}))?"
    )


def _year_head(lex: Lexicon) -> str:
    """A year stated before the months (Kazakh): "2024 жылдың 11 айында", "осы жылдың екі айында"."""
    cur = alternation(lex.words("periods.current"))
    prev = alternation(lex.words("periods.previous"))
    gen = alternation(lex.words("periods.year_genitive"))
    return rf"(?:(?:(?P<hy>{YEAR})|(?P<hcur>{cur})|(?P<hprev>{prev})){SP}{gen}{SP})?"


@cache
def grammar() -> PeriodGrammar:
    lex = load_lexicon()
    num = alternation(lex.words("number_words"))
    months_w = alternation(lex.words("periods.month_words"))
    quarter_w = alternation(lex.words("periods.quarter_words"))
    half_w = alternation(lex.words("periods.half_words"))
    yw = alternation(lex.words("periods.year_words"))
    month_names = "|".join(k[1:] if k.startswith("~") else k.rstrip("*") for k in lex.maps.get("months", {}))
    month = rf"{WORD_START}(?:{month_names})\w*"
    ordinal = alternation([w for w in lex.words("ordinals")])
    tail = _year_tail(lex)
    head = _year_head(lex)
    prev = alternation(lex.words("periods.previous"))
    cur = alternation(lex.words("periods.current"))
    flags = re.IGNORECASE
    return PeriodGrammar(
        lex=lex,
        months_n=re.compile(rf"{head}(?P<n>\d{{1,2}}|{num}){SP}(?:{ordinal}{SP})?{months_w}{tail}", flags),
        month_range=re.compile(rf"{head}(?P<a>{month}){DASH}(?P<b>{month}){tail}", flags),
        month_single=re.compile(rf"{head}(?P<a>{month}){tail}", flags),
        quarter=re.compile(
            rf"{head}(?P<q>{ordinal}|I{{1,3}}V?|IV|[1-4](?:-?(?:й|м|ом|го))?){SP}{quarter_w}{tail}", flags
        ),
        half=re.compile(rf"{head}(?:(?P<q>{ordinal}){SP})?{half_w}{tail}", flags),
        year_range=re.compile(rf"(?P<y1>{YEAR}){DASH}(?P<y2>{YEAR})(?:{SP}?{yw})?", flags),
        year=re.compile(rf"(?P<y>{YEAR})(?P<yw>{SP}?{yw})?", flags),
        rel_year=re.compile(rf"(?:(?P<prev>{prev})|(?P<cur>{cur})){SP}{yw}", flags),
        rel_one_word=re.compile(alternation(lex.words("periods.previous_one_word")), flags),
        anchor=re.compile(
            alternation(lex.words("periods.same_period")) + rf"[^.;]{{0,20}}?(?P<y>{YEAR})", flags
        ),
        cur_one_word=re.compile(alternation(lex.words("periods.current_one_word")), flags),
        anchor_after=re.compile(
            rf"(?P<y>{YEAR})[^.;]{{0,20}}?" + alternation(lex.words("periods.same_period_after")), flags
        ),
    )


def _implied(m: re.Match[str]) -> bool:
    """No year is written with this part of a year: it is taken as the current one."""
    return _year_of(m, partial=False) == (None, None)


def _year_of(m: re.Match[str], partial: bool = True) -> tuple[int | None, int | None]:
    """Explicit year or relative year of a period phrase; a part of a year with no year is the current one."""
    gd = m.groupdict()
    if gd.get("y") or gd.get("hy"):
        return int(gd.get("y") or gd["hy"]), None
    if gd.get("cur") or gd.get("hcur"):
        return None, 0
    if gd.get("prev") or gd.get("hprev"):
        return None, -1
    return (None, 0) if partial else (None, None)


def _count(raw: str, lex: Lexicon) -> int | None:
    if raw.isdigit():
        return int(raw)
    v = lex.lookup("number_words", raw)
    return int(v) if v and v > 0 else None


def _ordinal(raw: str | None, lex: Lexicon) -> int | None:
    if not raw:
        return None
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4}
    if raw.upper() in roman:
        return roman[raw.upper()]
    if raw[:1].isdigit():
        return int(raw[0])
    v = lex.lookup("ordinals", raw)
    return int(v) if v else None


def read_periods(text: str, starts: list[int] | None = None) -> list[PeriodSpec]:
    """All period expressions of the text, longest first where they overlap."""
    g = grammar()
    wins = anchors(text) if starts is None else starts
    found: list[PeriodSpec] = []
    for m in match_at(g.months_n, text, wins):
        n = _count(m.group("n"), g.lex)
        if n and 1 <= n <= 12:
            y, rel = _year_of(m)
            found.append(PeriodSpec(m.start(), m.end(), 1, n, y, rel, "months", implied=_implied(m)))
    for m in match_at(g.month_range, text, wins):
        a, b = g.lex.lookup("months", m.group("a")), g.lex.lookup("months", m.group("b"))
        if a and b and a <= b:
            y, rel = _year_of(m)
            found.append(PeriodSpec(m.start(), m.end(), a, b, y, rel, "month_range", implied=_implied(m)))
    for m in match_at(g.month_single, text, wins):
        a = g.lex.lookup("months", m.group("a"))
        y, rel = _year_of(m, partial=False)
        if a and (y or rel is not None):
            found.append(PeriodSpec(m.start(), m.end(), a, a, y, rel, "month"))
    for m in match_at(g.quarter, text, wins):
        q = _ordinal(m.group("q"), g.lex)
        if q and 1 <= q <= 4:
            y, rel = _year_of(m)
            found.append(
                PeriodSpec(m.start(), m.end(), 3 * q - 2, 3 * q, y, rel, "quarter", implied=_implied(m))
            )
    for m in match_at(g.half, text, wins):
        h = _ordinal(m.group("q"), g.lex) or 1
        if h in (1, 2):
            y, rel = _year_of(m)
            found.append(
                PeriodSpec(m.start(), m.end(), 6 * h - 5, 6 * h, y, rel, "half", implied=_implied(m))
            )
    for m in match_at(g.year_range, text, wins):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 < y2:
            found.append(PeriodSpec(m.start(), m.end(), 1, 12, y1, None, "year_range", y2))
    for m in match_at(g.year, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, int(m.group("y")), None, "year"))
    for m in match_at(g.rel_year, text, wins):
        y, rel = _year_of(m, partial=False)
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, rel, "year"))
    for m in match_at(g.rel_one_word, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, -1, "year"))
    for m in match_at(g.cur_one_word, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, 0, "year"))
    return _longest(found)


def _longest(specs: list[PeriodSpec]) -> list[PeriodSpec]:
    specs.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[PeriodSpec] = []
    for s in specs:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def anchor_year(text: str, starts: list[int] | None = None) -> int | None:
    """The current year implied by a comparison with "the same period of YYYY": YYYY + 1."""
    g = grammar()
    starts = anchors(text) if starts is None else starts
    years = [int(m.group("y")) + 1 for rx in (g.anchor, g.anchor_after) for m in match_at(rx, text, starts)]
    return max(years) if years else None


def reference_year(
    published: str | None, text: str, specs: list[PeriodSpec], starts: list[int] | None = None
) -> int | None:
    if published and re.match(r"\d{4}", published):
        return int(published[:4])
    return anchor_year(text, starts)


def publication_month(published: str | None) -> int | None:
    """The month of an ISO publication date ("2025-03-10" -> 3), None without one."""
    m = re.match(r"\d{4}-(\d{2})", published or "")
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 12 else None


def resolve_all(
    specs: list[PeriodSpec], ref_year: int | None, ref_month: int | None = None
) -> dict[int, str | None]:
    """Resolved period of each spec (by start offset).

    A part of a year with no year written is the current year's, unless it ends after the month of
    publication (`ref_month`): "за первое полугодие" in a March article is last year's half-year, which
    has ended, not this year's, which has not.

    Without a reference year, a relative period takes the year of an explicit
    period of the same shape and months in the same document ("за 11 месяцев
    прошлого года" ... "за 11 месяцев 2024 года").
    """
    out: dict[int, str | None] = {}
    for s in specs:
        ended = not (s.implied and ref_year is not None and ref_month is not None and s.m2 > ref_month)
        value = s.resolve(ref_year if ended else ref_year - 1)  # type: ignore[operator]
        if value is None and s.rel is not None:
            twins = {
                t.year
                for t in specs
                if t.year and t.shape == s.shape and (t.m1, t.m2) == (s.m1, s.m2) and s.shape != "year"
            }
            if len(twins) == 1:
                value = PeriodSpec(s.start, s.end, s.m1, s.m2, twins.pop(), None, s.shape).resolve(None)
        out[s.start] = value
    return out
