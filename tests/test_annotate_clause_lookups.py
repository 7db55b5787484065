"""The clause layer's look-up answers as the plain scan it replaces (square in a long sentence): whether a
punctuation mark lies inside a phrase, asked of spans.SpanGrid."""

from __future__ import annotations

import pytest

from karavan.annotate.spans import SpanGrid


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [(3, 7)],
        [(3, 7), (5, 6)],  # one inside another
        [(10, 12), (0, 4), (2, 11)],  # out of order, overlapping
        [(4, 4), (6, 6)],  # empty spans hold nothing
        [(0, 2), (2, 5), (9, 20), (15, 16)],  # touching
        [(i, i + 2) for i in range(0, 30, 3)],  # many short ones
        [(250, 530), (511, 513), (767, 768)],  # across the grid's cells, and at their edges
    ],
)
def test_annotate_clause_place_inside_a_phrase_as_the_plain_scan(spans: list[tuple[int, int]]) -> None:
    inside = SpanGrid(spans)
    for at in [*range(-1, 25), *range(245, 260), *range(505, 535), *range(760, 775)]:
        assert inside.any(at, at + 1) == any(a <= at < b for a, b in spans), (spans, at)
