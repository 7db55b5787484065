"""Periods: years, month ranges, quarters, half-years, "N months", marketing years, relative years, spans.

A period is read into a `PeriodSpec` (which months, which year: explicit or relative) and resolved
later into FACTS.md's "YYYY-MM/YYYY-MM". A spec's `anchor` says what a relative year is relative to:

- "doc": the document's current year ("в прошлом году", "this year", "биыл"), known from the
  publication date or fixed by a comparison base in the text (`к аналогичному периоду 2023 года`
  says the current year is 2024); a relative period is null without either;
- "fact": the period of the fact it is compared with ("the same period last year", "годом ранее",
  "по сравнению с 2023-м"): `resolve_against(spec, fact_period)` resolves it once the extractor
  knows the fact's own period;
- "context": the period the text named just before ("in the reporting period", "осы кезеңде").

From the start of a year to now (`shape` "to_date": "с начала года", "жыл басынан бері") has no period
either. Spans of several years (`shape` "span": "за последние пять лет", "over the next five years",
"с 2019 года") have no single period; a future span gives the `by` year of a target. A deadline
("к 2030 году", "2020 жылға дейін", "by the end of the year") keeps its shape and carries `by`.
Dates ("3-4 июля", "30 қарашада") and phone numbers are not periods.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace

from karavan.annotate.lexicon import fold
from karavan.annotate.period_grammar import PeriodGrammar, grammar
from karavan.annotate.period_spec import NO_PERIOD, SEASON_START, PeriodSpec, mention_attrs, resolve_against
from karavan.annotate.windows import anchors, match_at

__all__ = [
    "PeriodSpec",
    "anchor_year",
    "grammar",
    "mention_attrs",
    "publication_month",
    "read_periods",
    "reference_year",
    "resolve_against",
    "resolve_all",
]

# --- reading ------------------------------------------------------------------------------------------

# (year, rel, season) of a phrase; INVALID for a marketing year whose two years do not follow each other
When = tuple[int | None, int | None, bool]
INVALID: When = (-1, None, False)


def _second_year(first: int, raw: str) -> bool:
    return int(raw) == first + 1 if len(raw) == 4 else int(raw) == (first + 1) % 100


def _when(m: re.Match[str] | dict[str, str | None]) -> When:
    """The year a phrase states: written, relative, or a marketing year; (None, None, False) for none.
    `m`: the phrase's match, or its groups with those of the year before it (see _phrase)."""
    gd = m if isinstance(m, dict) else m.groupdict()
    for p in ("", "h"):  # a marketing year after the months, or before them (Kazakh)
        for first, second in ((p + "sy", p + "sy2"), (p + "ty", p + "ty2")):
            if gd.get(first):
                y = int(gd[first])
                return (y, None, True) if _second_year(y, gd[second]) else INVALID
        for key, rel in ((p + "sprev", -1), (p + "scur", 0), (p + "snext", 1)):
            if gd.get(key):
                return None, rel, True
    if gd.get("y") or gd.get("hy"):
        return int(gd.get("y") or gd["hy"]), None, False
    for keys, rel in (
        (("cur", "hcur", "hacur"), 0),
        (("prev", "hprev", "haprev"), -1),
        (("next", "hnext"), 1),
    ):
        if any(gd.get(k) for k in keys):
            return None, rel, False
    return None, None, False


def _season_months(i1: int, i2: int) -> tuple[int, int, int, int]:
    """Months i1..i2 of a marketing year (1 = its first month) as (m1, m2, y1_off, y2_off)."""
    a, b = SEASON_START - 1 + i1 - 1, SEASON_START - 1 + i2 - 1
    return a % 12 + 1, b % 12 + 1, a // 12, b // 12


def _season_offset(month: int) -> int:
    """How many years after a marketing year's first year a calendar month of it falls."""
    return 0 if month >= SEASON_START else 1


Phrase = tuple[int, int, dict[str, str | None]]  # start, end and groups of a phrase with its year before it


def _phrase(m: re.Match[str], text: str, wins: list[int], g: PeriodGrammar, folded: str) -> Phrase:
    """A matched phrase with the year stated before it, if any ("2024 жылдың 11 айында"): tried at the
    anchors of the 60 characters before the phrase, the earliest first, when they hold a word of one."""
    gd = m.groupdict()
    start = m.start()
    if g.skip("head", folded[max(0, start - 60) : start]):
        return start, m.end(), gd
    for a in wins[bisect_left(wins, start - 60) : bisect_left(wins, start)]:
        head = g.head.match(text, a, start)
        if head is not None:
            return a, m.end(), {**{k: v for k, v in head.groupdict().items() if v}, **gd}
    return start, m.end(), gd


def _part(p: Phrase, i1: int, i2: int, shape: str) -> PeriodSpec | None:
    """A part of a year, months i1..i2 of it (of a marketing year when one is given)."""
    start, end, gd = p
    year, rel, season = _when(gd)
    if (year, rel, season) == INVALID:
        return None
    if season:
        m1, m2, o1, o2 = _season_months(i1, i2)
        return PeriodSpec(start, end, m1, m2, year, rel, shape, y1_off=o1, y2_off=o2, season=True)
    implied = year is None and rel is None
    return PeriodSpec(start, end, i1, i2, year, 0 if implied else rel, shape, implied=implied)


def _month_range(p: Phrase, a: int, b: int) -> PeriodSpec | None:
    """A range of named months: within one year, across the new year ("September–March 2023", written
    with the year of its end), or within a marketing year ("за июль-май сезона-2020/21")."""
    s, e, gd = p
    year, rel, season = _when(gd)
    if (year, rel, season) == INVALID:
        return None
    if season:
        o1, o2 = _season_offset(a), _season_offset(b)
        if (o1, a) > (o2, b) or o1 > o2:
            return None
        return PeriodSpec(s, e, a, b, year, rel, "month_range", y1_off=o1, y2_off=o2, season=True)
    if gd.get("ya"):  # "from October 2022 through March 2023"
        ya = int(gd["ya"])  # type: ignore[arg-type]
        gap = (year - ya) if year is not None else int(a > b)
        if gap < 0 or (gap == 0 and a > b) or rel is not None:
            return None
        return PeriodSpec(s, e, a, b, ya, None, "month_range", y2_off=gap)
    if a <= b:
        implied = year is None and rel is None
        return PeriodSpec(s, e, a, b, year, 0 if implied else rel, "month_range", implied=implied)
    # across the new year: the year written is the last month's; none written resolves nothing
    return PeriodSpec(s, e, a, b, year, rel, "month_range", y1_off=-1)


def _month(g: PeriodGrammar, raw: str | None) -> int | None:
    """The number of a month name or abbreviation ("января", "Sept.")."""
    return g.lex.lookup("months", raw.rstrip(".")) if raw else None


def _count(raw: str, g: PeriodGrammar) -> int | None:
    if raw.isdigit():
        return int(raw)
    v = g.lex.lookup("number_words", raw)
    return int(v) if v and v > 0 else (-1 if v == -1 else None)


def _ordinal(raw: str | None, g: PeriodGrammar) -> int | None:
    if not raw:
        return None
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4}
    if raw.upper() in roman:
        return roman[raw.upper()]
    if raw[:1].isdigit():
        return int(raw[0])
    v = g.lex.lookup("ordinals", raw)
    return int(v) if v else None


def _at(g: PeriodGrammar, name: str, text: str, wins: list[int], folded: str) -> Iterator[re.Match[str]]:
    """match_at of the grammar `name`, skipped at once in a text without any of its words."""
    if g.skip(name, folded):
        return iter(())
    return match_at(getattr(g, name), text, wins)


def _calendar_parts(text: str, wins: list[int], g: PeriodGrammar, folded: str) -> list[PeriodSpec]:
    """Counts of months (and of years: _years_counted), month ranges, single months, quarters, half-years,
    compact forms."""
    found: list[PeriodSpec] = []
    for m in match_at(g.counted, text, wins):
        if not m.group("mw"):
            found.extend(_years_counted(m, text, g))
            continue
        n = _count(m.group("n"), g)
        if not n or not 1 <= n <= 12:
            continue
        spec = _part(_phrase(m, text, wins, g, folded), 1, n, "months")
        pa, pb = m.group("pa"), m.group("pb")
        if spec is not None and spec.season and pa and pb:  # "за 5 месяцев 2022/23 МГ (июль-ноябрь)"
            a, b = _month(g, pa), _month(g, pb)
            if a and b:
                spec = replace(spec, m1=a, m2=b, y1_off=_season_offset(a), y2_off=_season_offset(b))
        if spec is not None:
            found.append(spec)
    for m in match_at(g.month_range, text, wins):
        a, b = _month(g, m.group("a")), _month(g, m.group("b"))
        spec = _month_range(_phrase(m, text, wins, g, folded), a, b) if a and b and a != b else None
        if spec is not None:
            found.append(spec)
    for m in match_at(g.month_single, text, wins):
        a = _month(g, m.group("a"))
        start, end, gd = _phrase(m, text, wins, g, folded)
        year, rel, season = _when(gd)
        if not a or (year is None and rel is None) or (year, rel, season) == INVALID:
            continue
        off = _season_offset(a) if season else 0
        found.append(PeriodSpec(start, end, a, a, year, rel, "month", y1_off=off, y2_off=off, season=season))
    for m in match_at(g.quarter, text, wins):
        q = _ordinal(m.group("q"), g)
        spec = (
            _part(_phrase(m, text, wins, g, folded), 3 * q - 2, 3 * q, "quarter")
            if q and 1 <= q <= 4
            else None
        )
        if spec is not None:
            found.append(spec)
    for m in match_at(g.half, text, wins):
        h = _ordinal(m.group("q"), g) or 1
        spec = _part(_phrase(m, text, wins, g, folded), 6 * h - 5, 6 * h, "half") if h in (1, 2) else None
        if spec is not None:
            found.append(spec)
    for m in match_at(g.compact, text, wins):
        spec = _compact(m)
        if spec is not None:
            found.append(spec)
    return found


def _compact(m: re.Match[str]) -> PeriodSpec | None:
    """ "4M23", "10M2022", "9M 2024" (months, year required), "1H2023", "H1 2023", "Q1 2023", "1Q24"."""
    raw = m.group("y") or m.group("y4") or m.group("yy")
    year = None if raw is None else (int(raw) if len(raw) == 4 else 2000 + int(raw))
    implied = year is None
    s, e = m.start(), m.end()
    if m.group("n"):
        n = int(m.group("n"))
        return None if year is None else PeriodSpec(s, e, 1, n, year, None, "months")
    h = m.group("h") or m.group("h2")
    if h:
        return PeriodSpec(
            s, e, 6 * int(h) - 5, 6 * int(h), year, 0 if implied else None, "half", implied=implied
        )
    q = int(m.group("q") or m.group("q2"))
    return PeriodSpec(s, e, 3 * q - 2, 3 * q, year, 0 if implied else None, "quarter", implied=implied)


def _years(text: str, wins: list[int], g: PeriodGrammar, folded: str) -> list[PeriodSpec]:
    """Years, ranges of years, relative years, marketing years."""
    found: list[PeriodSpec] = []
    for m in match_at(g.year_range, text, wins):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 < y2:
            found.append(PeriodSpec(m.start(), m.end(), 1, 12, y1, None, "year_range", y2))
    for m in match_at(g.year, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, int(m.group("y")), None, "year"))
    for m in match_at(g.rel_year, text, wins):
        _, rel, _ = _when(m)
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, rel, "year"))
    for m in match_at(g.rel_one_word, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, -1, "year"))
    for m in match_at(g.cur_one_word, text, wins):
        found.append(PeriodSpec(m.start(), m.end(), 1, 12, None, 0, "year"))
    for m in _at(g, "season", text, wins, folded):
        when = _when(m)
        if when != INVALID:
            year, rel, _ = when
            m1, m2, o1, o2 = _season_months(1, 12)
            found.append(
                PeriodSpec(m.start(), m.end(), m1, m2, year, rel, "season", y1_off=o1, y2_off=o2, season=True)
            )
    for m in _at(g, "year_word", text, wins, folded):
        spec = _year_edge(text, m, g, folded)
        if spec is not None:
            found.append(spec)
    return found


LEADING = re.compile(r"[\s(«\"]*")


def _folded(text: str, folded: str, lo: int, hi: int) -> str:
    """fold(text[lo:hi]), taken from the folded text when folding kept the offsets."""
    return folded[lo:hi] if len(folded) == len(text) else fold(text[lo:hi])


def _year_edge(text: str, m: re.Match[str], g: PeriodGrammar, folded: str) -> PeriodSpec | None:
    """A year word alone at the end or start of the current year: "к концу года", "by the end of the year",
    "жыл соңына дейін" (a deadline); "с начала года", "жыл басынан бері" (a span since its start)."""
    lo, hi = max(0, m.start() - 40), m.end() + 30
    before, after = text[lo : m.start()], text[m.end() : hi]
    fb, fa = _folded(text, folded, lo, m.start()), _folded(text, folded, m.end(), hi)
    for rx_before, rx_after, deadline in (
        (g.year_end_before, g.year_end_after, True),
        (g.year_start_before, g.year_start_after, False),
    ):
        b = rx_before.search(before, fb)
        a = None if b else rx_after.match(after, fa)
        if not (a or b):
            continue
        start = (
            m.start() - len(before) + b.start() + len(LEADING.match(b.group(0)).group(0)) if b else m.start()
        )
        end = m.end() + a.end() if a else m.end()
        if not deadline:
            return PeriodSpec(start, end, 1, 12, None, 0, "to_date", direction="since")
        return PeriodSpec(start, end, 1, 12, None, 0, "year", deadline=True)
    return None


def _relative_to_others(text: str, wins: list[int], g: PeriodGrammar, folded: str) -> list[PeriodSpec]:
    """Periods that stand for another one: a fact's ("the same period last year", "годом ранее") or the
    one just named ("in the reporting period")."""
    found: list[PeriodSpec] = []
    for name in ("same", "same_after"):
        for m in _at(g, name, text, wins, folded):
            year, rel, season = _when(m)
            if (year, rel, season) == INVALID:
                continue
            if year is None and rel is None:  # no year: "аналогичный период" is another year's, "same period"
                other = g.same_other.match(m.group("sp") or "")  # may be the one just named (see _in_context)
                anchor, rel = ("fact", -1) if other else ("context", 0)
            else:
                anchor = "fact"
            found.append(
                PeriodSpec(
                    m.start(), m.end(), 1, 12, year, rel, "same", anchor=anchor, months="fact", season=season
                )
            )
    return found


def _led_by_words(text: str, wins: list[int], g: PeriodGrammar, folded: str) -> list[PeriodSpec]:
    """ "отчетный период" (the one just named), "годом ранее" (the fact's, a year back), "in the near future",
    "в ближайшие годы", "in recent years" (spans)."""
    found: list[PeriodSpec] = []
    for m in _at(g, "words", text, wins, folded):
        s, e = m.start(), m.end()
        if m.group("this"):
            found.append(PeriodSpec(s, e, 1, 12, None, 0, "same", anchor="context", months="fact"))
        elif m.group("earlier"):  # with a count: see _spans
            found.append(PeriodSpec(s, e, 1, 12, None, -1, "same", anchor="fact", months="fact"))
        elif m.group("near"):
            found.append(PeriodSpec(s, e, 1, 12, shape="span", direction="next"))
        else:
            years = 10 if m.group("dec") else None
            direction = "next" if m.group("future") else "past"
            found.append(PeriodSpec(s, e, 1, 12, shape="span", years=years, direction=direction))
    return found


def _years_counted(m: re.Match[str], text: str, g: PeriodGrammar) -> list[PeriodSpec]:
    """A count of years: a span ("за последние пять лет", "over the next five years", "6 жыл ішінде"), or
    the fact's period years back ("два года назад", "бір жыл бұрын")."""
    n = _count(m.group("n"), g)
    if n is None or n == 0:
        return []
    years = None if n < 0 else n * (10 if m.group("dec") else 1)
    if m.group("ago"):
        if not years:
            return []
        return [PeriodSpec(m.start(), m.end(), 1, 12, None, -years, "same", anchor="fact", months="fact")]
    lead = g.span_direction.search(text, max(0, m.start() - 30), m.start()) if m.start() else None
    direction = "next" if lead and lead.group("future") else "past"
    start = lead.start() if lead else m.start()
    return [PeriodSpec(start, m.end(), 1, 12, shape="span", years=years, direction=direction)]


def _dates(text: str, wins: list[int], g: PeriodGrammar) -> list[PeriodSpec]:
    """Days of a month ("3-4 июля", "30 қарашада", "November 30, 2023"): not periods. Read so that the
    month and year inside them are not read as one."""
    found: list[PeriodSpec] = []
    for m in match_at(g.date, text, wins):
        if _month(g, m.group("a") or m.group("a2")):
            found.append(PeriodSpec(m.start(), m.end(), 1, 12, shape="date"))
    return found


DIGIT = re.compile(r"\d")
PHONE = re.compile(r"(?:\+\d|\(\d{3,4}\)|(?<!\d)8[\s-]?\(?\d{3})[\d\s\-()]{6,}\d")


def _in_phone_number(text: str, spec: PeriodSpec) -> bool:
    """A year inside a phone number ("+7 (727) 2021 2022", "8-800-2020-2021")."""
    if not DIGIT.search(text[max(0, spec.start - 3) : spec.start] + text[spec.end : spec.end + 3]):
        return False
    lo, hi = max(0, spec.start - 20), min(len(text), spec.end + 20)
    return any(m.start() <= spec.start and spec.end <= m.end() for m in PHONE.finditer(text, lo, hi))


def read_periods(text: str, starts: list[int] | None = None) -> list[PeriodSpec]:
    """All period expressions of the text, longest first where they overlap, each marked by what its
    neighbours say it is used for (a start, a deadline, a comparison base)."""
    g = grammar()
    wins = anchors(text) if starts is None else starts
    folded = fold(text)
    found = [
        *_calendar_parts(text, wins, g, folded),
        *_years(text, wins, g, folded),
        *_relative_to_others(text, wins, g, folded),
        *_led_by_words(text, wins, g, folded),
        *_dates(text, wins, g),
    ]
    kept = [s for s in _longest(found) if s.shape != "date"]
    kept = [s for s in kept if s.shape not in ("year", "year_range") or not _in_phone_number(text, s)]
    return _in_context(text, kept, g, folded)


def _longest(specs: list[PeriodSpec]) -> list[PeriodSpec]:
    specs.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[PeriodSpec] = []
    for s in specs:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def _in_context(text: str, specs: list[PeriodSpec], g: PeriodGrammar, folded: str) -> list[PeriodSpec]:
    """Each spec as the words around it use it: a start ("с 2019 года", "2019 жылдан бері"), a deadline
    ("к 2030 году", "2020 жылға дейін"), or a comparison base ("по сравнению с 2023-м", "2016 жылмен
    салыстырғанда"), the first period after a comparison word (or right before a Kazakh one)."""
    out: list[PeriodSpec] = []
    for i, s in enumerate(specs):
        lo = max(specs[i - 1].end if i else 0, s.start - 60)
        hi = min(specs[i + 1].start if i + 1 < len(specs) else len(text), s.end + 40)
        before, after = text[lo : s.start], text[s.end : hi]
        fb, fa = _folded(text, folded, lo, s.start), _folded(text, folded, s.end, hi)
        if s.shape in (*NO_PERIOD, "year_range") or s.deadline:
            out.append(s)
            continue
        compared = bool(g.compare_before.search(before, fb) or g.compare_after.match(after, fa))
        if compared:
            out.append(_compared(s))
            continue
        if s.shape not in ("year", "month"):
            out.append(s)
            continue
        # from the start of a year to now: "с начала 2023 года", "за прошедший период этого года"
        if g.year_start_before.search(before, fb) or g.year_start_after.match(after, fa):
            s = replace(s, shape="to_date", direction="since")
        # a start: "с 2019 года", "с января 2023 года", "since 2019", "2019 жылдан бері"
        elif g.since_before.search(before, fb) or g.since_after.match(after, fa):
            s = replace(s, shape="span", direction="since")
        elif s.shape == "year" and (g.by_before.search(before, fb) or g.by_after.match(after, fa)):
            s = replace(s, deadline=True, by=s.year)
        out.append(s)
    return out


def _compared(s: PeriodSpec) -> PeriodSpec:
    """A comparison base: relative to the fact it is compared with when its year is relative or it is a
    bare year ("compared with last year", "по сравнению с 2023-м": the fact's months of that year)."""
    if s.anchor == "context":  # "compared to the same period": the same months a year back
        return replace(s, anchor="fact", rel=-1, compare=True)
    if s.anchor == "fact":
        return replace(s, compare=True)
    if s.year is None and s.rel is not None:
        months = "fact" if s.shape == "year" else "own"
        return replace(s, anchor="fact", months=months, implied=False, compare=True)
    if s.shape == "year" and s.year is not None:
        return replace(s, anchor="fact", months="fact", compare=True)
    return replace(s, compare=True)


# --- the document's current year ---------------------------------------------------------------------------


def anchor_year(text: str, starts: list[int] | None = None) -> int | None:
    """The current year implied by a comparison with "the same period of YYYY": YYYY + 1."""
    g = grammar()
    starts = anchors(text) if starts is None else starts
    years = [int(m.group("y")) + 1 for rx in (g.anchor, g.anchor_after) for m in match_at(rx, text, starts)]
    return max(years) if years else None


def _compared_with(specs: list[PeriodSpec], i: int, text: str) -> PeriodSpec | None:
    """The period a comparison base at specs[i] is compared with: the nearest one stated before it (within
    a few sentences) that is neither a base, a span nor a deadline."""
    base = specs[i]
    for t in reversed(specs[:i]):
        if base.start - t.end > 400:
            return None
        if t.anchor == "doc" and not (t.compare or t.deadline) and t.shape not in (*NO_PERIOD, "same"):
            return t
    return None


def _text_anchor(text: str, specs: list[PeriodSpec]) -> int | None:
    """The current year a comparison base in the text fixes: the period compared with "the same period of
    2023" or with a bare "2016 жылмен салыстырғанда" is the year after the base. When that period is
    relative ("Былтыр ... 2016 жылмен салыстырғанда": last year is 2017) the current year follows from it;
    a period with a year of its own says nothing of the current one, except that FACTS.md reads "the same
    period of 2023" as a statement about 2024."""
    years: list[int] = []
    for i, s in enumerate(specs):
        same = s.shape == "same" and s.anchor == "fact" and s.months == "fact"
        bare = s.compare and s.anchor == "fact" and s.shape == "year" and s.months == "fact"
        if not (same or bare) or s.year is None or s.season:
            continue
        t = _compared_with(specs, i, text)
        if t is not None and t.year is None and t.rel is not None and not t.season:
            years.append(s.year + 1 - t.rel)
        elif t is None or same:
            years.append(s.year + 1)
    return max(years) if years else None


def reference_year(
    published: str | None, text: str, specs: list[PeriodSpec], starts: list[int] | None = None
) -> int | None:
    """The document's current year: its publication date, else a comparison base in its text."""
    if published and re.match(r"\d{4}", published):
        return int(published[:4])
    found = _text_anchor(text, specs)
    return found if found is not None else anchor_year(text, starts)


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

    A relative period without a reference year is None. A period anchored on the context ("in the
    reporting period") is the last period the text stated before it; one anchored on a fact is None
    here (see resolve_against).
    """
    out: dict[int, str | None] = {}
    last: str | None = None
    for s in specs:
        if s.anchor == "context":
            out[s.start] = last
            continue
        ended = not (s.implied and ref_year is not None and ref_month is not None and s.m2 > ref_month)
        value = s.resolve(ref_year if ended else ref_year - 1, ref_month)  # type: ignore[operator]
        out[s.start] = value
        if value is not None and not (s.compare or s.deadline):
            last = value
    return out
