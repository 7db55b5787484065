"""A period as read (`PeriodSpec`): which months of which year, relative to what; its resolution into
FACTS.md's "YYYY-MM/YYYY-MM", alone or against the period of the fact it is compared with
(`resolve_against`), and the attrs a period Mention carries (`mention_attrs`). See periods.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

SEASON_START = 7  # the grain marketing year of the region's press ("2021/22 МГ") runs July to June
# shapes with no single period: several years ("span"), and from the start of a year to now with no end
# month ("to_date": "с начала года", "за прошедший период этого года"; FACTS.md: period null)
NO_PERIOD = ("span", "to_date")


@dataclass(slots=True, frozen=True)
class PeriodSpec:
    start: int
    end: int
    m1: int  # first month
    m2: int  # last month
    year: int | None = None  # explicit year (of a marketing year: its first year)
    rel: int | None = None  # relative year: 0 = the anchor's year, -1 = the year before
    # year, months, quarter, half, month, month_range, year_range, season, same, span, to_date
    shape: str = "year"
    year2: int | None = None  # last year of a range of years
    implied: bool = False  # a part of a year with no year written ("за первое полугодие"): the current one
    anchor: str = "doc"  # doc, fact or context: what `rel` (or the months) is taken from (see periods.py)
    months: str = "own"  # own: m1..m2; fact: the months of the fact (or context) it stands for
    y1_off: int = 0  # year of the first month = base year + y1_off ("September–March 2023": -1)
    y2_off: int = 0  # year of the last month = base year + y2_off (a marketing year: +1)
    season: bool = False  # the base year is a marketing year's first year
    compare: bool = False  # a comparison base ("по сравнению с", "compared to", "салыстырғанда")
    by: int | None = None  # a deadline's written year ("к 2030 году")
    deadline: bool = False  # a deadline ("к 2030 году", "by the end of the year", "жылға дейін")
    years: int | None = None  # a span's length in years ("за последние пять лет": 5)
    direction: str | None = None  # a span's direction: past, next, since

    def base_year(self, ref_year: int | None, ref_month: int | None = None) -> int | None:
        """The year the months count from: the written one, else the anchor's year moved by `rel`."""
        if self.year is not None:
            return self.year
        if self.rel is None or ref_year is None:
            return None
        if self.season:  # the current marketing year began in July of this year or of the last one
            if ref_month is None:
                return None
            return (ref_year if ref_month >= SEASON_START else ref_year - 1) + self.rel
        return ref_year + self.rel

    def resolve(self, ref_year: int | None, ref_month: int | None = None) -> str | None:
        """The period as "YYYY-MM/YYYY-MM" given the document's current year; None for a span, for a
        period of a fact or of the context (see resolve_against, resolve_all), or when nothing resolves it."""
        if self.shape in NO_PERIOD or self.anchor != "doc" or self.months != "own":
            return None
        year = self.base_year(ref_year, ref_month)
        if year is None:
            return None
        if self.year2 is not None:
            return f"{year:04d}-01/{self.year2:04d}-12"
        return _interval(year + self.y1_off, self.m1, year + self.y2_off, self.m2)

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, object]) -> PeriodSpec:
        """The spec a period Mention's attrs describe (see mention_attrs)."""
        known = {k: attrs[k] for k in _ATTR_FIELDS if k in attrs}
        return cls(0, 0, **known)  # type: ignore[arg-type]


_ATTR_FIELDS = (
    "m1",
    "m2",
    "year",
    "rel",
    "shape",
    "year2",
    "implied",
    "anchor",
    "months",
    "y1_off",
    "y2_off",
    "season",
    "compare",
    "by",
    "deadline",
    "years",
    "direction",
)


def _interval(y1: int, m1: int, y2: int, m2: int) -> str:
    return f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}"


INTERVAL = re.compile(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})")


def resolve_against(
    spec: PeriodSpec | Mapping[str, object],
    fact_period: str | None,
    ref_year: int | None = None,
    ref_month: int | None = None,
) -> str | None:
    """The period of a spec anchored on a fact, given the fact's own resolved period.

    "the same period last year" against "2023-01/2023-11" is "2022-01/2022-11"; "same period in 2022"
    against "2023-01/2023-02" is "2022-01/2022-02"; "в предыдущем сезоне" against "2021-07/2022-06" is
    "2020-07/2021-06". A spec that is not anchored on a fact resolves as it does alone (`ref_year`).
    `spec` may be a period Mention's attrs.
    """
    if not isinstance(spec, PeriodSpec):
        spec = PeriodSpec.from_attrs(spec)
    if spec.anchor != "fact":
        return spec.resolve(ref_year, ref_month)
    m = INTERVAL.fullmatch(fact_period or "")
    if spec.shape in NO_PERIOD or m is None:
        return None
    fy1, fm1, fy2, fm2 = (int(x) for x in m.groups())
    own = (fy1 if fm1 >= SEASON_START else fy1 - 1) if spec.season else fy2
    if spec.year is not None:
        delta, base = spec.year - own, spec.year
    else:
        delta = spec.rel or 0
        base = own + delta
    if spec.months == "fact":
        return _interval(fy1 + delta, fm1, fy2 + delta, fm2)
    if spec.year2 is not None:
        return f"{base:04d}-01/{spec.year2:04d}-12"
    return _interval(base + spec.y1_off, spec.m1, base + spec.y2_off, spec.m2)


def mention_attrs(spec: PeriodSpec, ref_year: int | None, ref_month: int | None = None) -> dict[str, object]:
    """What a period Mention carries: the spec's pieces (enough for PeriodSpec.from_attrs and
    resolve_against), `offset` (the year offset from its anchor) and `by`, a deadline's or a future
    span's year where it resolves ("over the next five years" in 2023: 2028)."""
    attrs: dict[str, object] = {k: getattr(spec, k) for k in _ATTR_FIELDS}
    attrs["offset"] = spec.rel
    by = spec.by
    if by is None and spec.deadline:
        by = spec.base_year(ref_year, ref_month)
    if (
        by is None
        and spec.shape == "span"
        and spec.direction == "next"
        and spec.years
        and ref_year is not None
    ):
        by = ref_year + spec.years
    attrs["by"] = by
    return attrs
