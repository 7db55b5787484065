"""Sort keys as strings: the order of a tuple of strings, numbers and booleans, kept by plain string comparison.

Reconciliation sorts its results (clusters by subject, period and value; flags by cluster, code and
message; ...). Computed a country set at a time and stored, they must still read back in the order one run
over the whole corpus gives, across country sets: so each result carries `sort_key(...)` of the tuple it
was sorted by, and readers ORDER BY that string (SQLite compares TEXT as UTF-8 bytes, which is code point
order, as Python compares str).

Encoding: parts joined by \\x00 (below every character a part holds), so a shorter part sorts first as in
a tuple; a nested tuple's parts joined by \\x01; a float as 16 hex digits of its IEEE bits, flipped so that
they sort as the numbers do (-inf first, None as -inf); an int as 16 hex digits after an offset; a bool
as 0 or 1.
"""

from __future__ import annotations

import struct
from typing import Any

_OFFSET = 1 << 63


def _float(x: float) -> str:
    (bits,) = struct.unpack(">Q", struct.pack(">d", x))
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | (1 << 63)
    return f"{bits:016x}"


def _part(x: Any, sep: str) -> str:
    if x is None:
        return _float(float("-inf"))
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, int):
        return f"{x + _OFFSET:016x}"
    if isinstance(x, float):
        return _float(x)
    if isinstance(x, tuple | list):
        if sep != "\x00":
            raise ValueError("sort keys nest one level only")
        return "\x01".join(_part(y, "\x01") for y in x)
    return str(x)


def sort_key(*parts: Any) -> str:
    """A string that sorts as the tuple `parts` does (strings, ints, floats, bools, None as -inf)."""
    return "\x00".join(_part(p, "\x00") for p in parts)
