"""Stated values as intervals: what range of true values a sentence of the press allows.

A number is read at the precision it is written with: `1,4 млрд` stands for any value
that rounds to 1.4 bn, i.e. [1.35, 1.45) bn (half a unit of the last written digit,
half-open because 1.45 would be written 1,5). Hedges widen or shift the interval:

- exact               [x - h, x + h)                 h = half a unit of the last digit
- approx  (порядка)   [x - w, x + w]                 w = max(h, APPROX_REL * x)
- lt + approx (почти) [x - min(h', ALMOST_MAX_BELOW * x), x)   h' = max(h, ALMOST_MIN_BELOW * x)
- lt      (менее)     [x * (1 - BOUND_SPAN), x]
- gt      (более)     (x, x * (1 + BOUND_SPAN)]

Two statements are compatible when their intervals overlap. Values are held as
`Decimal` so that 1.4e9 + 0.05e9 meets 1.5e9 - 0.05e9 exactly.

The precision is taken from the quote when the number can be found in it (`1,40 млрд`
has three significant digits, `1,4 млрд` two); else from the value itself (trailing
zeros are not significant). In whole numbers of four digits or more written in full
(`1 400 000 000`), trailing zeros are not significant either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

APPROX_REL = Decimal("0.05")
"""порядка / около / примерно / shamamen: ±5 % of the value (or the written precision if wider)."""

ALMOST_MAX_BELOW = Decimal("0.10")
"""почти X: the value lies below X by at most 10 % of X (caps `почти 2 млрд` at [1.8, 2.0))."""

ALMOST_MIN_BELOW = Decimal("0.005")
"""почти X: at least 0.5 % of X below X is allowed even for finely written numbers."""

BOUND_SPAN = Decimal("0.20")
"""более X / менее X: the value lies within 20 % beyond X (`более 203 млн` is (203, 243.6] mn)."""

SCALES = tuple(Decimal(10) ** k for k in range(0, 13))
"""Multipliers a written number may carry (тыс., млн, млрд, трлн and everything in between)."""

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Interval:
    """A range of values; `lo_open` / `hi_open` say whether the end itself is excluded."""

    lo: Decimal
    hi: Decimal
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def point(cls, x: float | int | Decimal) -> Interval:
        d = to_decimal(x)
        return cls(d, d)

    def overlaps(self, other: Interval) -> bool:
        """True when some value lies in both intervals."""
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, hi_open = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        hi_open = not hi_open
        if lo < hi:
            return True
        return lo == hi and not lo_open and not hi_open

    def intersect(self, other: Interval) -> Interval:
        """The common part (callers check `overlaps` first)."""
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, closed = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo, hi, lo_open, not closed)

    @property
    def width(self) -> Decimal:
        return self.hi - self.lo

    def to_dict(self) -> dict[str, object]:
        return {"lo": float(self.lo), "hi": float(self.hi), "lo_open": self.lo_open, "hi_open": self.hi_open}


def to_decimal(x: float | int | Decimal) -> Decimal:
    """Exact decimal of a number's shortest written form (1.4e9 -> 1400000000)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


def _value_unit(d: Decimal) -> Decimal:
    """Unit of the last significant digit of a value, trailing zeros not significant."""
    if d == 0:
        return Decimal(1)
    exp = d.normalize().as_tuple().exponent
    return Decimal(10) ** int(exp)


def _token_unit(token: str) -> tuple[Decimal, Decimal]:
    """(number, unit of its last significant digit) of a written number like `1,40` or `1 400`."""
    compact = re.sub(r"[ \u00a0\u202f]", "", token).replace(",", ".")
    number = Decimal(compact)
    if "." in compact:
        decimals = len(compact.split(".", 1)[1])
        return number, Decimal(10) ** -decimals
    if number >= 1000:
        return number, _value_unit(number)
    return number, Decimal(1)


def written_unit(value: float | int | Decimal, quote: str | None) -> Decimal:
    """Unit of the last digit the author wrote for `value` (1.4e9 from `1,4 млрд` -> 1e8)."""
    d = to_decimal(value)
    if quote and d != 0:
        for m in _NUMBER.finditer(quote):
            try:
                number, unit = _token_unit(m.group())
            except ArithmeticError:
                continue
            if number == 0:
                continue
            for scale in SCALES:
                if number * scale == abs(d):
                    return unit * scale
    return _value_unit(abs(d))


def stated_interval(
    value: float | int | Decimal,
    quote: str | None = None,
    approx: bool = False,
    bound: str | None = None,
) -> Interval:
    """The interval a stated value stands for, from its precision and hedges (see module doc)."""
    x = to_decimal(value)
    h = written_unit(x, quote) / 2
    ax = abs(x)
    if bound == "gt":
        return Interval(x, x + ax * BOUND_SPAN, lo_open=True)
    if bound == "lt" and approx:
        below = min(max(h, ax * ALMOST_MIN_BELOW), ax * ALMOST_MAX_BELOW)
        return Interval(x - below, x, hi_open=True)
    if bound == "lt":
        return Interval(x - ax * BOUND_SPAN, x)
    if approx:
        w = max(h, ax * APPROX_REL)
        return Interval(x - w, x + w)
    return Interval(x - h, x + h, hi_open=True)


def compatible(a: Interval | None, b: Interval | None) -> bool:
    """Two statements agree when both intervals exist and overlap."""
    return a is not None and b is not None and a.overlaps(b)
