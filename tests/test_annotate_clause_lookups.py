"""The clause layer's look-ups answer as the plain scans they replace (square in a long sentence): whether a
punctuation mark lies inside a phrase."""

from __future__ import annotations

import pytest

from karavan.annotate.clauses import _Spans


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
    ],
)
def test_annotate_clause_spans_hold_as_the_plain_scan(spans: list[tuple[int, int]]) -> None:
    inside = _Spans(spans)
    for at in range(-1, 25):
        assert inside.hold(at) == any(a <= at < b for a, b in spans), (spans, at)
