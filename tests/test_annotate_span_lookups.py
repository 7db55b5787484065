"""The span look-ups that replace scans of every span (karavan/annotate/spans.py) answer as the scans do."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from karavan.annotate.spans import CELL, ByStart, SpanGrid

SPANS = [(0, 5), (10, 10), (CELL - 3, CELL), (CELL * 2 - 1, CELL * 4), (700, 705)]


@pytest.mark.parametrize(
    ("a", "b", "overlaps", "covered"),
    [
        (0, 5, True, True),  # itself
        (5, 10, False, False),  # between two spans, touching both
        (10, 10, False, True),  # an empty span inside an empty one
        (9, 11, True, False),  # around an empty span: it lies inside
        (CELL, CELL, False, True),  # empty, at the end of a span ending on a cell boundary
        (CELL - 1, CELL + 1, True, False),  # across a cell boundary
        (CELL * 3, CELL * 3 + 9, True, True),  # inside a span of three cells, in its middle cell
        (CELL * 4, CELL * 5, False, False),  # right after it
        (702, 703, True, True),
        (CELL * 4 + 100, CELL * 8, False, False),
    ],
)
def test_annotate_span_grid_answers(a: int, b: int, overlaps: bool, covered: bool) -> None:
    grid = SpanGrid(SPANS)
    assert grid.any(a, b) == overlaps == any(s < b and a < e for s, e in SPANS)
    assert grid.covers(a, b) == covered == any(s <= a and b <= e for s, e in SPANS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_annotate_span_grid_equals_the_scan(seed: int) -> None:
    """Random spans of every length, added at once and one by one, near and across cell boundaries."""
    rnd = random.Random(seed)
    for _ in range(300):
        spans = []
        for _ in range(rnd.randint(0, 30)):
            a = rnd.randint(0, 5 * CELL)
            spans.append((a, a + rnd.choice([0, 1, 3, 10, CELL, 2 * CELL + 1])))
        grid = SpanGrid(spans[: len(spans) // 2])
        for s in spans[len(spans) // 2 :]:
            grid.add(*s)
        for _ in range(40):
            a = rnd.choice([rnd.randint(0, 6 * CELL), CELL, 2 * CELL - 1, 3 * CELL + 1])
            b = a + rnd.choice([0, 0, 1, 2, 50, CELL + 7])
            assert grid.any(a, b) == any(s < b and a < e for s, e in spans)
            assert grid.covers(a, b) == any(s <= a and b <= e for s, e in spans)


@pytest.mark.parametrize(
    ("starts", "lo", "hi"),
    [
        ([5, 1, 3, 3, 9], 3, 6),  # unsorted, with equal starts: their own order kept
        ([5, 1, 3, 3, 9], 0, 100),
        ([5, 1, 3, 3, 9], 4, 4),
        ([], 0, 10),
        ([2, 2, 2], 2, 3),
    ],
)
def test_annotate_by_start_keeps_the_items_order(starts: list[int], lo: int, hi: int) -> None:
    items = [SimpleNamespace(start=s, n=i) for i, s in enumerate(starts)]
    assert ByStart(items).between(lo, hi) == [x for x in items if lo <= x.start < hi]
