"""Official statistics beside a pair's press series: the same flow and product as each side records it.

    series = attach_official(store, read_series(store, "KZ-TJ"))
    series["official"]            # [{role, country, flow, label, points: [{period, kind, value, ...}]}]
    series["points"][0]["official"]   # {"official": {...}, "mirror": {...}}: the figures of that period

For turnover the sides are the pair's two countries in order (their turnover with each other); for
exports from A to B, A's exports (`official`) and B's imports from A (`mirror`).
"""

from __future__ import annotations

from typing import Any

from karavan.official.compare import Index, sides_of
from karavan.official.periods import is_full_year
from karavan.official.store import read_figures
from karavan.store import Store, parse_pair


def official_series(
    store: Store, pair: str, flow: str = "turnover", product: str = "total", unit: str = "USD"
) -> list[dict[str, Any]]:
    """Each side's current figures of full years and of January to a month, oldest first (sides without
    any are left out)."""
    a, b = parse_pair(pair)
    index = Index(read_figures(store, pair))
    out = []
    for role, country, partner, side_flow in sides_of(flow, a, b):
        points = []
        for (r, p, fl, prod, period, u), releases in index.releases.items():
            if (r, p, fl, prod, u) != (country, partner, side_flow, product, unit):
                continue
            if period[:4] != period[8:12] or period[5:7] != "01":
                continue
            f = releases[-1]
            points.append({
                "period": period, "year": int(period[:4]), "kind": "year" if is_full_year(period) else "ytd",
                "value": f.value, "source": f.source, "revised": f.revised, "preliminary": f.preliminary,
                "derived": f.derived, "releases": len(releases),
            })  # fmt: skip
        if points:
            points.sort(key=lambda x: x["period"])
            out.append({"role": role, "country": country, "partner": partner, "flow": side_flow,
                        "label": f"{country} statistics", "points": points})  # fmt: skip
    return out


def attach_official(store: Store, series: dict[str, Any]) -> dict[str, Any]:
    """A read_series dict with the official sides (`official`) and, on each press point, the official
    figures of its period (`official`: {role: {country, value, source, revised, preliminary}})."""
    sides = official_series(
        store, series["pair"], series["flow"], series["product"], series.get("unit") or "USD"
    )
    by_period = {(s["role"], p["period"]): {"country": s["country"], **p} for s in sides for p in s["points"]}
    points = [
        {**p, "official": {role: by_period[(role, p["period"])] for role in ("official", "mirror")
                           if (role, p["period"]) in by_period}}
        for p in series.get("points") or []
    ]  # fmt: skip
    return {**series, "points": points, "official": sides}


def official_columns(point: dict[str, Any]) -> dict[str, Any]:
    """A series point's official figures as four export columns: official, official_by, mirror, mirror_by."""
    o = point.get("official") or {}
    own, mirror = o.get("official") or {}, o.get("mirror") or {}
    return {"official": own.get("value"), "official_by": own.get("country"), "mirror": mirror.get("value"),
            "mirror_by": mirror.get("country")}  # fmt: skip
