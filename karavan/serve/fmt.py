"""Numbers and periods as an analyst reads them: 1.4 bn, 84.9 mn, 2022, Jan-Feb 2024."""

from __future__ import annotations

from typing import Any


def amount(value: Any, t: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—" if value is None else str(value)
    for size, word in ((1e9, "bn"), (1e6, "mn"), (1e3, "thousand")):
        if abs(value) >= size:
            text = f"{value / size:.3g} {t(word)}"
            break
    else:
        text = f"{value:.4g}"
    return text.replace(".", ",") if t("bn") != "bn" else text


def money(value: Any, unit: Any, t: Any) -> str:
    if value is None:
        return "—"
    return f"{amount(value, t)} {unit or ''}".strip()


def period(value: Any) -> str:
    """'2022-01/2022-12' -> '2022'; '2024-01/2024-02' -> '2024-01…2024-02'; other values as they are."""
    if not isinstance(value, str) or len(value) != 15 or value[7] != "/":
        return "" if value is None else str(value)
    start, end = value[:7], value[8:]
    if start.endswith("-01") and end.endswith("-12") and start[:4] == end[:4]:
        return start[:4]
    return f"{start}…{end}"


def fact_summary(fact: dict[str, Any], t: Any) -> str:
    """One line: what the fact says, type by type."""
    kind = fact.get("type")
    countries = (
        fact.get("countries")
        or fact.get("parties")
        or [c for c in (fact.get("reporter"), fact.get("partner")) if c]
    )
    where = "–".join(countries)
    if kind in ("trade", "target", "export_offer"):
        bits = [fact.get("flow") or "", fact.get("product") or "", where, period(fact.get("period"))]
        bits.append(money(fact.get("value"), fact.get("unit"), t) if fact.get("value") is not None else "")
        if fact.get("change_pct") is not None:
            bits.append(f"{fact['change_pct']:+g}%")
        if fact.get("factor"):
            bits.append(f"×{fact['factor']:g}")
        if fact.get("by"):
            bits.append(t("target_by", year=fact["by"]))
        return " ".join(b for b in bits if b)
    if kind == "partner_rank":
        return f"{fact.get('partner')} #{fact.get('rank')} ({fact.get('reporter')})"
    if kind == "share":
        return f"{fact.get('product')} {fact.get('pct')}% {where}"
    if kind == "meeting":
        return ", ".join(fact.get("participants") or []) + (
            f" — {fact['place']}" if fact.get("place") else ""
        )
    if kind in ("agreement", "project"):
        return f"{fact.get('name') or ''} {where} {fact.get('status') or ''}".strip()
    return where
