"""A document's text cut into segments for display: page chrome greyed, fact spans linked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Segment:
    text: str
    chrome: bool
    fact_id: int | None  # the innermost fact covering the segment
    fact_type: str | None = None


def segments(text: str, excluded: list[dict[str, Any]], facts: list[dict[str, Any]]) -> list[Segment]:
    """Cut `text` at every chrome and fact boundary; each piece knows whether it is chrome and its fact."""
    n = len(text)

    def clamp(v: Any) -> int:
        return max(0, min(n, int(v))) if isinstance(v, int) else 0

    chrome = [(clamp(s.get("start")), clamp(s.get("end"))) for s in excluded]
    spans = [
        (clamp(f.get("start")), clamp(f.get("end")), f)
        for f in facts
        if isinstance(f.get("start"), int) and isinstance(f.get("end"), int) and f["end"] > f["start"]
    ]
    cuts = sorted({0, n, *(c for s in chrome for c in s), *(c for s, e, _ in spans for c in (s, e))})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        covering = [(e - s, f) for s, e, f in spans if s <= a and b <= e]
        inner = min(covering, key=lambda c: (c[0], c[1]["fact_id"]))[1] if covering else None
        out.append(
            Segment(
                text=text[a:b],
                chrome=any(s <= a and b <= e for s, e in chrome),
                fact_id=inner["fact_id"] if inner else None,
                fact_type=inner.get("type") if inner else None,
            )
        )
    return out
