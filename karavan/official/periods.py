"""Periods of official tables as karavan periods ("YYYY-MM/YYYY-MM").

Read: `2021` (a year), `202103` and `2021-03` (a month), `2024-01/2024-11`, and a table's own words,
`январь-ноябрь 2024`, `Jan–Nov 2024`, `қаңтар-қараша 2024`, `ноябрь 2024` (month words in
karavan/data/official.toml). Anything else is None: the reader names the line.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.data import load_toml

_ISO_RANGE = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:год|года|г\.?|жыл|jyl|year))?$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")
_WORDS = re.compile(
    r"^(?P<a>[^\W\d_]+)\.?(?:\s*[-–—]\s*(?P<b>[^\W\d_]+)\.?)?\s+(?P<year>\d{4})(?:\s*(?:года?|г\.?|ж\.?|jyl|year))?$"
)


@cache
def _month_stems() -> list[tuple[str, int]]:
    stems = load_toml("official.toml")["months"]["stems"]
    return sorted(
        ((s.casefold(), i + 1) for i, row in enumerate(stems) for s in row), key=lambda x: -len(x[0])
    )


def month_number(word: str) -> int | None:
    low = word.casefold()
    return next((n for stem, n in _month_stems() if low.startswith(stem)), None)


def span(year_a: int, month_a: int, year_b: int, month_b: int) -> str | None:
    if not (1 <= month_a <= 12 and 1 <= month_b <= 12) or (year_b, month_b) < (year_a, month_a):
        return None
    return f"{year_a:04d}-{month_a:02d}/{year_b:04d}-{month_b:02d}"


def parse_period(text: str) -> str | None:
    """The karavan period a table's period cell stands for, or None when it cannot be read."""
    s = " ".join(str(text).split())
    if m := _ISO_RANGE.match(s):
        return span(int(m[1]), int(m[2]), int(m[3]), int(m[4]))
    if m := _YEAR.match(s):
        return span(int(m[1]), 1, int(m[1]), 12)
    if m := _MONTH.match(s):
        return span(int(m[1]), int(m[2]), int(m[1]), int(m[2]))
    if m := _WORDS.match(s):
        first = month_number(m["a"])
        last = month_number(m["b"]) if m["b"] else first
        if first is None or last is None:
            return None
        year = int(m["year"])
        return span(year, first, year, last)
    return None


def year_of(period: str) -> int:
    return int(period[8:12])


def is_full_year(period: str) -> bool:
    return period[5:7] == "01" and period[13:15] == "12" and period[:4] == period[8:12]
