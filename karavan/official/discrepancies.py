"""Official statistics on the discrepancies page and in `karavan discrepancies`.

`with_official(store, discrepancies, pair)` takes store_bridge.read_discrepancies' list (figures of the
press that disagree with each other), marks each of them `kind` "press" and gives each side the verdict of
its facts against the official statistics (`official`: which country's data it matches, or by how much it
misses), and appends one discrepancy of `kind` "official" for each press figure that matches neither side's
statistics: the press side, then the reporter's and the partner's official figures, each in the shape of a
press side (value, low, high, data_of, evidence), with `official` saying what the figure is.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from karavan.official.verdicts import disagreements, verdicts_of
from karavan.reconcile.intervals import stated_interval
from karavan.store import Store, parse_pair


def side_verdict(v: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a press side's verdict says, in short: {verdict, cause, diff_pct, country, value, source, period}."""
    if not v:
        return None
    sides = v.get("sides") or []
    side = next((s for s in sides if s["matches"]), None) or min(
        (s for s in sides if s.get("diff_pct") is not None), key=lambda s: abs(s["diff_pct"]), default=None
    )
    figure = (side or {}).get("figure") or (side or {}).get("explained_by") or {}
    return {
        "verdict": v["verdict"], "cause": v["cause"], "diff_pct": v["diff_pct"], "gap_pct": v.get("gap_pct"),
        "country": side["country"] if side else None, "value": figure.get("value"),
        "source": figure.get("source"), "period": figure.get("period"), "revised": figure.get("revised"),
    }  # fmt: skip


def _official_side(check: dict[str, Any], unit: str | None) -> dict[str, Any] | None:
    figure = check.get("figure") or check.get("explained_by")
    if not figure:
        return None
    return {
        "value": figure["value"], "low": figure["value"], "high": figure["value"], "claimant": None, "claimants": [],
        "data_of": check["country"], "own_data": False, "cluster_id": None, "n_sources": 1, "evidence": [],
        "official": {
            "role": check["role"], "source": figure["source"], "revised": figure["revised"],
            "preliminary": figure["preliminary"], "derived": figure.get("derived", False), "flow": figure["flow"],
            "period": figure["period"], "unit": figure["unit"], "cause": check.get("cause"),
            "diff_pct": check.get("diff_pct"), "same_period": check.get("figure") is not None,
            "explains": _explains(check),
        },
    }  # fmt: skip


def _explains(check: dict[str, Any]) -> dict[str, Any] | None:
    """The other figure of this side's statistics that the press figure is (another period, flow, currency)."""
    other, figure = check.get("explained_by"), check.get("figure")
    if not other or other == figure or check.get("cause") == "mirror_gap":
        return None
    return {k: other[k] for k in ("value", "unit", "period", "flow", "source", "revised", "preliminary")}


def _evidence(f: dict[str, Any]) -> dict[str, Any]:
    keys = ("doc", "quote", "claimant", "published", "lang", "start", "end", "fact_id")
    return {k: f.get(k) for k in keys}


def official_discrepancies(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """One discrepancy a press figure (one value of one thing, however many documents state it) that
    matches neither side's official statistics."""
    key = "-".join(sorted(parse_pair(pair))) if pair else None
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for d in disagreements(store, key):
        f = d["fact"]
        groups[
            (f["reporter"], f["partner"], f["flow"], f["product"], f["period"], f["unit"], f["value"])
        ].append(d)
    out = []
    for (reporter, partner, flow, product, period, unit, value), items in sorted(groups.items(), key=str):
        first = items[0]
        f, v = first["fact"], first["verdict"]
        iv = stated_interval(value, f.get("quote"), bool(f.get("approx")), f.get("bound"))
        claimants = sorted({d["fact"]["claimant"] for d in items if d["fact"].get("claimant")})
        press = {
            "value": value, "low": float(iv.lo), "high": float(iv.hi), "claimant": claimants[0] if len(claimants) == 1 else None,
            "claimants": claimants, "data_of": reporter, "own_data": False, "cluster_id": None,
            "n_sources": len({d["fact"]["doc"] for d in items}), "evidence": [_evidence(d["fact"]) for d in items],
            "official": None,
        }  # fmt: skip
        sides = [press, *filter(None, (_official_side(s, unit) for s in v["sides"]))]
        ident = hashlib.sha1(
            repr((reporter, partner, flow, product, period, unit, value)).encode()
        ).hexdigest()[:16]
        countries = [reporter, partner] if flow != "turnover" else sorted((reporter, partner))
        diff = v["diff_pct"]
        out.append({
            "id": f"official-{ident}", "kind": "official", "type": "trade", "pair": "-".join(countries),
            "flow": flow, "product": product, "unit": unit, "measure": "value", "period": period,
            "spread_pct": abs(diff) if diff is not None else None, "cause": v["cause"], "gap_pct": v.get("gap_pct"),
            "fact_ids": [d["fact_id"] for d in items], "sides": sides,
        })  # fmt: skip
    return out


def with_official(
    store: Store, discrepancies: list[dict[str, Any]], pair: str | None = None
) -> list[dict[str, Any]]:
    """The press discrepancies, each side with its verdict, then the press-against-official ones."""
    return with_verdicts(store, discrepancies) + official_discrepancies(store, pair)


def with_verdicts(store: Store, discrepancies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The press discrepancies (kind "press"), each side with the verdict of its first source that has one."""
    ids = [e["fact_id"] for d in discrepancies for s in d["sides"] for e in s.get("evidence") or []]
    verdicts = verdicts_of(store, [int(i) for i in ids if i is not None])
    out = []
    for d in discrepancies:
        sides = []
        for s in d["sides"]:
            found = [
                verdicts[int(e["fact_id"])] for e in s.get("evidence") or [] if int(e["fact_id"]) in verdicts
            ]
            sides.append({**s, "official": side_verdict(found[0]) if found else None})
        out.append({**d, "kind": d.get("kind", "press"), "sides": sides})
    return out


def _money(value: float | None, unit: str | None) -> str:
    from karavan.term import amount

    return "-" if value is None else f"{amount(value)} {unit or ''}".strip()


def side_text(side: dict[str, Any]) -> str | None:
    """One line of what the official statistics say of a discrepancy's side (None when they say nothing):
    `matches KZ data (rounding)`, `KZ statistics (UN Comtrade, 2025-03-01): 8.24 bn USD; mirror gap`."""
    o = side.get("official")
    if not o:
        return None
    if "role" in o:  # an official figure itself
        what = (
            f"{o['period']}, {o['flow']}"
            + (", preliminary" if o["preliminary"] else "")
            + (", exports + imports" if o["derived"] else "")
        )
        cause = f"; {o['cause'].replace('_', ' ')}" if o.get("cause") else ""
        if o.get("explains"):
            x = o["explains"]
            cause += f": {_money(x['value'], x['unit'])} for {x['period']} ({x['flow']}, {x['source']})"
        return f"{side['data_of']} statistics ({o['source']}, {o['revised']}; {what}){cause}"
    cause = f" ({o['cause'].replace('_', ' ')})" if o.get("cause") else ""
    if o["verdict"] in ("official", "mirror"):
        return f"matches {o['country']} data{cause}" + (" (mirror)" if o["verdict"] == "mirror" else "")
    if o["verdict"] == "neither":
        diff = f" by {o['diff_pct']:+g}%" if o.get("diff_pct") is not None else ""
        return f"matches neither side's data{diff}{cause}"
    return "no official figure yet"
