"""Spans asked about by where they lie, where any() over every span, asked for each token, name or sentence
of a document, grows with its square.

- SpanGrid: half-open spans filed under the 256-character cells they touch; does [a, b) overlap one, or
  lie inside one? Spans may be added between questions.
- ByStart: items with a `start`; those starting in [lo, hi), in their own order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

CELL = 256


class SpanGrid:
    """Half-open spans (start, end); every answer is the plain any() over all of them."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.cells: dict[int, list[tuple[int, int]]] = {}
        for a, b in spans:
            self.add(a, b)

    @staticmethod
    def _cells(a: int, b: int) -> range:
        # the cells of the positions in [a, b); an empty span's is the cell of a
        return range(a // CELL, (max(a, b - 1)) // CELL + 1)

    def add(self, a: int, b: int) -> None:
        for k in self._cells(a, b):
            self.cells.setdefault(k, []).append((a, b))

    def any(self, a: int, b: int) -> bool:
        """As any(s < b and a < e for s, e in spans): two overlapping spans share a position, so a cell."""
        cells = self.cells
        return any(s < b and a < e for k in self._cells(a, b) for s, e in cells.get(k, ()))

    def covers(self, a: int, b: int) -> bool:
        """As any(s <= a and b <= e for s, e in spans): a span holding [a, b) holds position a, so its cell
        (an empty [a, a) also lies in a span ending at a: the cell of a - 1)."""
        cells = {a // CELL, (a - 1) // CELL} if a == b and a > 0 else {a // CELL}
        return any(s <= a and b <= e for k in cells for s, e in self.cells.get(k, ()))


class ByStart:
    """Items with a `start`, asked for those starting in [lo, hi), in their own order."""

    def __init__(self, items: Sequence[Any]) -> None:
        self.items = items
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        self.order = order
        self.starts = [items[i].start for i in order]

    def between(self, lo: int, hi: int) -> list[Any]:
        """As [x for x in items if lo <= x.start < hi]."""
        found = self.order[bisect_left(self.starts, lo) : bisect_left(self.starts, hi)]
        return [self.items[i] for i in sorted(found)]
