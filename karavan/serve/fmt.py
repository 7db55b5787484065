"""Numbers, dates and periods as an analyst reads them, in the page's language (Babel's locale data):
1.4 bn / 1,4 млрд; Nov 12, 2024 / 12 нояб. 2024 г.; Jan–Sep 2024 / янв.–сент. 2024.

Every function takes `t`, the page's translator (karavan.serve.i18n): t("locale") is its Babel locale.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache, lru_cache
from typing import Any

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

SCALES = ((1e9, "bn"), (1e6, "mn"), (1e3, "thousand"))
FORMATTED = 65536  # numbers and dates kept formatted, by locale (Babel takes 50-100 µs for one)
HUGE = 1e15  # from here on a number is written in exponent form (a figure this large is a misreading anyway)


def locale_of(t: Any) -> str:
    return t("locale") if t is not None and t("locale") != "locale" else "en"


def number(value: Any, t: Any, digits: int = 3) -> str:
    """A plain number in the page's locale (12 345,5 in Russian), at most `digits` significant digits."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—" if value is None else str(value)
    rounded = float(f"{value:.{digits}g}")
    if not math.isfinite(rounded) or abs(rounded) >= HUGE:
        return f"{rounded:.{digits}g}"  # 1e+291: past what Babel's decimals hold (its quantize fails), a 500
    return _decimal(rounded, math.copysign(1.0, rounded) < 0, locale_of(t))


@lru_cache(maxsize=FORMATTED)
def _decimal(value: float, negative: bool, locale: str) -> str:
    """format_decimal, remembered (`negative` keeps -0.0, which equals 0.0 as a key, apart)."""
    return format_decimal(value, format="#,##0.###", locale=locale)


def amount(value: Any, t: Any) -> str:
    """1.4e9 -> '1.4 bn' (en) or '1,4 млрд' (ru): scaled, three significant digits."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—" if value is None else str(value)
    for size, word in SCALES:
        if abs(value) >= size:
            return f"{number(value / size, t)} {t(word)}"
    return number(value, t, 4)


def money(value: Any, unit: Any, t: Any) -> str:
    if value is None:
        return "—"
    return f"{amount(value, t)} {unit or ''}".strip()


def date(value: Any, t: Any = None) -> str:
    """'2024-11-12' -> 'Nov 12, 2024' / '12 нояб. 2024 г.'; a year or anything else as it is."""
    if not isinstance(value, str) or len(value) != 10:
        return "" if value is None else str(value)
    return _date(value, locale_of(t))


@lru_cache(maxsize=FORMATTED)
def _date(value: str, locale: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return format_date(day, "medium", locale=locale)


@cache
def _months(locale: str) -> dict[int, str]:
    return dict(get_month_names("abbreviated", context="stand-alone", locale=locale))


def period(value: Any, t: Any = None) -> str:
    """'2022-01/2022-12' -> '2022'; '2024-01/2024-09' -> 'Jan–Sep 2024'; '2023-11/2024-02' -> 'Nov 2023–Feb
    2024'; one month -> 'Sep 2024'; other values as they are."""
    if not isinstance(value, str) or len(value) != 15 or value[7] != "/":
        return "" if value is None else str(value)
    try:
        y0, m0, y1, m1 = int(value[:4]), int(value[5:7]), int(value[8:12]), int(value[13:15])
        months = _months(locale_of(t))
        if (m0, m1) == (1, 12) and y0 == y1:
            return str(y0)
        if (y0, m0) == (y1, m1):
            return f"{months[m0]} {y0}"
        if y0 == y1:
            return f"{months[m0]}–{months[m1]} {y0}"
        return f"{months[m0]} {y0}–{months[m1]} {y1}"
    except (ValueError, KeyError):
        return value


def word(t: Any, group: str, value: Any) -> str:
    """A vocabulary word in the page's language (fact types, flows, products, statuses, roles, kinds): the
    translation `group_value` when strings.toml has it, else the value itself."""
    if value is None or value == "":
        return ""
    key = f"{group}_{value}"
    text = t(key)
    return str(value).replace("_", " ") if text == key else text


def fact_summary(fact: dict[str, Any], t: Any) -> str:
    """One line: what the fact says, type by type, in the page's language."""
    kind = fact.get("type")
    countries = (
        fact.get("countries")
        or fact.get("parties")
        or [c for c in (fact.get("reporter"), fact.get("partner")) if c]
    )
    where = "–".join(countries)
    if kind in ("trade", "target", "export_offer"):
        bits = [word(t, "flow", fact.get("flow")), word(t, "product", fact.get("product")), where]
        bits.append(period(fact.get("period"), t))
        bits.append(money(fact.get("value"), fact.get("unit"), t) if fact.get("value") is not None else "")
        if fact.get("change_pct") is not None:
            bits.append(("+" if fact["change_pct"] > 0 else "") + number(fact["change_pct"], t) + "%")
        if fact.get("factor"):
            bits.append(f"×{number(fact['factor'], t)}")
        if fact.get("positions"):
            bits.append(t("positions", n=fact["positions"]))
        if fact.get("by"):
            bits.append(t("target_by", year=fact["by"]))
        return " ".join(b for b in bits if b)
    if kind == "partner_rank":
        return t("rank_of", partner=fact.get("partner"), rank=fact.get("rank"), reporter=fact.get("reporter"))
    if kind == "share":
        return f"{word(t, 'product', fact.get('product'))} {number(fact.get('pct'), t)}% {where}"
    if kind == "meeting":
        return ", ".join(fact.get("participants") or []) + (
            f" — {fact['place']}" if fact.get("place") else ""
        )
    if kind in ("agreement", "project"):
        return f"{fact.get('name') or ''} {where} {word(t, 'status', fact.get('status'))}".strip()
    return where
