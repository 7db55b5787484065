"""Implausible figures: flagged with a code and a message, never removed.

- `scale`: a trade value about 1,000 times off the rest of its series (other periods,
  annualised, and the pair's targets): "4,3 миллиона" for a year in which four months
  of the next were 1,4 billion. "About" is SCALE_LOG_TOLERANCE around a factor 10^3.
- `part_exceeds_whole`: a part above its whole for the same pair and period, with no
  overlap of the intervals: a year-to-date figure above the full year (or a longer
  stretch of the same year), a product (agri, industrial, a commodity) above the total,
  an export or import above the turnover.
- `growth_mismatch`: a stated growth (change_pct or change_factor) that the stated
  values of this period and the same period a year before cannot give, allowing
  GROWTH_TOLERANCE_PP percentage points beyond both intervals.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from decimal import Decimal

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.intervals import Interval
from karavan.reconcile.keys import period_months
from karavan.reconcile.model import Cluster, Flag

SCALE_FACTOR_LOG = 3.0
"""log10 of the slip being looked for: thousands for millions, millions for billions."""

SCALE_LOG_TOLERANCE = 0.5
"""A value is flagged when log10(rest / value) is within 3 ± 0.5 (a factor ~316 to ~3,162)."""

GROWTH_TOLERANCE_PP = Decimal(3)
"""Percentage points by which a stated growth may miss the growth its two values imply."""

Point = tuple[Cluster, RawCluster, tuple[int, int]]


def _median_without(logs: list[float], x: float) -> float | None:
    n = len(logs) - 1
    if n < 1:
        return None
    i = bisect_left(logs, x)

    def at(k: int) -> float:
        return logs[k if k < i else k + 1]

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def _fmt(v: float | None) -> str:
    if v is None:
        return "?"
    for div, word in ((1e9, "bn"), (1e6, "mn"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:g} {word}"
    return f"{v:g}"


def _scale(series: dict[tuple, list[Point]], targets: dict[tuple, list[float]]) -> list[Flag]:
    out: list[Flag] = []
    for key in sorted(series, key=str):
        pts = [p for p in series[key] if p[0].value and p[0].value > 0]
        annual = [math.log10(c.value * 12 / (m[1] - m[0] + 1)) for c, _, m in pts]
        logs = sorted(annual + [math.log10(t) for t in targets.get(key, []) if t > 0])
        for (c, _rc, _), x in zip(pts, annual, strict=True):
            med = _median_without(logs, x)
            if med is None:
                continue
            diff = med - x
            if abs(abs(diff) - SCALE_FACTOR_LOG) > SCALE_LOG_TOLERANCE:
                continue
            way = "smaller" if diff > 0 else "larger"
            guess = (
                "thousands or millions written for millions or billions"
                if diff > 0
                else "billions or millions written for millions or thousands"
            )
            out.append(
                Flag(
                    code="scale",
                    message=f"{_fmt(c.value)} for {c.period} is about {10 ** abs(diff):,.0f} times {way} than the "
                    f"rest of its series (annualised, with targets): likely {guess}",
                    cluster_id=c.id,
                    fact_ids=c.fact_ids,
                    related=sorted(o.id for o, _, _ in pts if o is not c),
                    details={"log10_ratio": round(diff, 3)},
                )
            )
    return out


def _above(part: RawCluster, whole: RawCluster) -> bool:
    a, b = part.common, whole.common
    return a is not None and b is not None and not a.overlaps(b) and a.lo >= b.hi


def _part_flag(part: Cluster, whole: Cluster, what: str, others: int) -> Flag:
    also = f" (and {others} other reading{'s' if others > 1 else ''} of it)" if others else ""
    return Flag(
        code="part_exceeds_whole",
        message=f"{what}: {_fmt(part.value)} ({part.period}) is above {_fmt(whole.value)} ({whole.period}){also}",
        cluster_id=part.id,
        fact_ids=part.fact_ids,
        related=[whole.id],
        details={"part": part.value, "whole": whole.value},
    )


class _Wholes:
    """The clusters of one whole (a series' period, or a longer stretch of a year), sorted by the upper end
    of their interval, so that the ones a part lies above are found by bisection, not one by one: a part
    above several readings of its whole is flagged once, against the highest it is above (the others are
    the whole's discrepancy), and the work is a sort and a search a part, not a comparison a pair."""

    def __init__(self, points: list[Point]) -> None:
        self.items = sorted(
            ((rc.common.hi, c.id, c, rc) for c, rc, _ in points if rc.common is not None), key=lambda x: x[:2]
        )
        self.his = [x[0] for x in self.items]

    def above(self, part: RawCluster) -> tuple[Cluster, int] | None:
        """The highest whole cluster the part lies above, and how many others it lies above too."""
        if part.common is None:
            return None
        i = bisect_right(self.his, part.common.lo)  # the wholes ending at or below the part's lower end
        best: Cluster | None = None
        n = i
        for j in range(i - 1, -1, -1):  # only those ending just at its lower end can touch it
            _, _, c, rc = self.items[j]
            if _above(part, rc):
                best = best or c
                if self.his[j] < part.common.lo:
                    break
            else:
                n -= 1
        return (best, n - 1) if best is not None else None


def _parts(series: dict[tuple, list[Point]]) -> list[Flag]:
    out: list[Flag] = []
    by_period: dict[tuple, list[Point]] = defaultdict(list)
    for key, pts in series.items():
        for p in pts:
            by_period[(key, p[0].period)].append(p)
    wholes: dict[tuple, _Wholes] = {}

    def of(k: tuple) -> _Wholes:
        if k not in wholes:
            wholes[k] = _Wholes(by_period.get(k, []))
        return wholes[k]

    for key in sorted(series, key=str):
        countries, ordered, flow, product, unit = key
        stretches: dict[int, dict[tuple[int, int], str]] = defaultdict(dict)  # year -> months -> period
        for c, _, m in series[key]:
            stretches[m[0] // 12][m] = c.period or ""
        for c, rc, (s, e) in series[key]:
            for (s2, e2), period in sorted(
                stretches[s // 12].items()
            ):  # a shorter stretch inside a longer one
                if s2 <= s and e <= e2 and (s2, e2) != (s, e):
                    hit = of((key, period)).above(rc)
                    if hit:
                        out.append(_part_flag(c, hit[0], "part of a period above the longer period", hit[1]))
            if product not in ("total", ""):
                hit = of(((countries, ordered, flow, "total", unit), c.period)).above(rc)
                if hit:
                    out.append(_part_flag(c, hit[0], f"{product} above the total", hit[1]))
            if flow in ("export", "import"):
                hit = of(((tuple(sorted(countries)), False, "turnover", product, unit), c.period)).above(rc)
                if hit:
                    out.append(_part_flag(c, hit[0], f"{flow} above the turnover", hit[1]))
    return out


def _implied(now: Interval, prev: Interval, as_pct: bool) -> Interval | None:
    if prev.lo <= 0 or now.lo < 0:
        return None
    lo, hi = now.lo / prev.hi, now.hi / prev.lo
    if as_pct:
        return Interval((lo - 1) * 100 - GROWTH_TOLERANCE_PP, (hi - 1) * 100 + GROWTH_TOLERANCE_PP)
    tol = GROWTH_TOLERANCE_PP / 100
    return Interval(lo - tol, hi + tol)


def _growth(series: dict[tuple, list[Point]]) -> list[Flag]:
    out: list[Flag] = []
    for key in sorted(series, key=str):
        by_months: dict[tuple[int, int], list[tuple[Cluster, RawCluster]]] = defaultdict(list)
        for c, rc, m in series[key]:
            by_months[m].append((c, rc))
        for c, rc, (s, e) in series[key]:
            prevs = by_months.get((s - 12, e - 12), [])
            if not prevs or rc.common is None:
                continue
            implied_as: dict[bool, list[Interval]] = {}  # the same for every member: worked out once
            for m in rc.members:
                for name, x, stated in m.changes:  # change_pct, change_factor (keys.prepare)
                    as_pct = name == "change_pct"
                    implied = implied_as.get(as_pct)
                    if implied is None:
                        implied = implied_as[as_pct] = [
                            i
                            for i in (
                                _implied(rc.common, p.common, as_pct)
                                for _, p in prevs
                                if p.common is not None
                            )
                            if i is not None
                        ]
                    if implied and not any(stated.overlaps(i) for i in implied):
                        out.append(
                            Flag(
                                code="growth_mismatch",
                                message=f"stated {name} {x:g} for {c.period} does not follow from "
                                f"{_fmt(c.value)} against {_fmt(prevs[0][0].value)} a year before "
                                f"(implied {float(implied[0].lo):.1f}..{float(implied[0].hi):.1f} "
                                f"with {GROWTH_TOLERANCE_PP} {'pp' if as_pct else '%'} tolerance)",
                                cluster_id=c.id,
                                fact_ids=[m.fid],
                                related=sorted(p.id for p, _ in prevs),
                                details={name: x},
                            )
                        )
    return out


def find_flags(pairs: list[tuple[Cluster, RawCluster]]) -> list[Flag]:
    """All flags, sorted by cluster, code and message; also written to each cluster's `flags`."""
    series: dict[tuple, list[Point]] = defaultdict(list)
    targets: dict[tuple, list[float]] = defaultdict(list)
    for c, rc in pairs:
        if c.measure != "value" or c.value is None:
            continue
        if c.type == "trade" and c.period:
            months = period_months(c.period)
            if months is not None and months[1] >= months[0]:
                series[rc.subject.series_key()].append((c, rc, months))
        elif c.type == "target":
            targets[rc.subject.series_key()].append(c.value)
    flags = _scale(series, targets) + _parts(series) + _growth(series)
    flags.sort(key=lambda f: (f.cluster_id, f.code, f.message))
    by_id = {c.id: c for c, _ in pairs}
    for f in flags:
        codes = by_id[f.cluster_id].flags
        if f.code not in codes:
            codes.append(f.code)
    for c, _ in pairs:
        c.flags.sort()
    return flags
