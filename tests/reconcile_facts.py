"""A FACTS.md trade fact as the reconcile tests write it (one builder for every reconcile test table)."""

from __future__ import annotations

from typing import Any


def trade_fact(
    doc: str,
    period: str | None,
    value: float | None,
    quote: str,
    approx: bool = False,
    bound: str | None = None,
    pair: tuple[str, str] = ("KZ", "TJ"),
    flow: str = "turnover",
    product: str = "total",
    **extra: Any,
) -> dict[str, Any]:
    """A USD trade fact; `extra` adds fields such as change_pct or change_factor."""
    return {
        "doc": doc,
        "type": "trade",
        "flow": flow,
        "reporter": pair[0],
        "partner": pair[1],
        "product": product,
        "period": period,
        "value": value,
        "unit": "USD",
        "approx": approx,
        "bound": bound,
        "quote": quote,
        **extra,
    }
