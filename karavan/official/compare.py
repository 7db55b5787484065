"""Press trade facts against official figures: a verdict for each, with the cause of every disagreement.

A press fact of a flow, product and period is set beside the same figure in two countries' statistics:

- **official**: the fact's reporter's own data (Kazakhstan's imports from China, for a fact that
  Kazakhstan imported so much from China; for turnover, the reporter's turnover with the partner);
- **mirror**: the partner's data of the same trade (China's exports to Kazakhstan).

On each side the press figure *matches* the current figure exactly (within 0.1 %), or by **rounding**
(the official figure lies in the interval the written figure stands for: `8,2 млрд` is 8.15-8.25 bn,
`почти 1,5 млрд` 1.35-1.5 bn; karavan.reconcile.intervals), or it is an earlier release of that figure,
since revised (**preliminary**). A side it does not match gets a cause when that side's statistics explain
the press figure otherwise: another **period** of the same year (11 months given as the year), another
**flow** (exports given as turnover), another **currency**; when the other side matches, the difference
is the **mirror_gap** the official data itself shows; else it is **unexplained**.

The verdict: `official` when the reporter's data matches, else `mirror` when the partner's does, else
`neither` (with the difference to the nearer figure and the first cause found), else `none`: no official
figure yet for that flow, product and period. A fact without a value, a period or two countries gets no
verdict (None), nor does any fact before official figures are imported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from karavan.official.model import Figure, SideCheck, Verdict
from karavan.official.periods import year_of
from karavan.reconcile.intervals import Interval, stated_interval

EXACT = 0.001  # within 0.1 % is the same figure; wider differences a written figure allows are rounding
FLOWS = ("export", "import", "turnover")

Key = tuple[str, str, str, str, str, str]  # reporter, partner, flow, product, period, unit


def _release_order(f: Figure) -> tuple[Any, ...]:
    return (f.revised, not f.preliminary, f.derived is False, f.source, f.value)


def derived_turnover(figures: Iterable[Figure]) -> list[Figure]:
    """Turnover as exports + imports of one release (source and revision date), where it states none."""
    parts: dict[tuple[Any, ...], dict[str, Figure]] = defaultdict(dict)
    for f in figures:
        parts[(f.source, f.revised, f.reporter, f.partner, f.product, f.period, f.unit)][f.flow] = f
    out = []
    for (source, revised, reporter, partner, product, period, unit), flows in parts.items():
        if "turnover" in flows or not {"export", "import"} <= set(flows):
            continue
        x, m = flows["export"], flows["import"]
        out.append(Figure(source, reporter, partner, "turnover", product, period, x.value + m.value, unit,
                          x.preliminary or m.preliminary, revised, None, True))  # fmt: skip
    return out


class Index:
    """Official figures by what they are of: every release of each, oldest first, and each side's figures
    by year (for the explanations)."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        given = list(figures)
        self.releases: dict[Key, list[Figure]] = defaultdict(list)
        for f in [*given, *derived_turnover(given)]:
            self.releases[f.key].append(f)
        self.by_year: dict[tuple[str, str, str, int], list[Figure]] = defaultdict(list)
        self.countries: set[tuple[str, str]] = set()
        for key, rel in self.releases.items():
            rel.sort(key=_release_order)
            reporter, partner, _, product, period, _ = key
            self.by_year[(reporter, partner, product, year_of(period))].append(rel[-1])
            self.countries.add((reporter, partner))

    def __len__(self) -> int:
        return len(self.releases)

    def current(self, key: Key) -> Figure | None:
        rel = self.releases.get(key)
        return rel[-1] if rel else None

    def year_figures(self, reporter: str, partner: str, product: str, year: int) -> list[Figure]:
        """The current figures one country gives of its trade with a partner in a year, every flow and period."""
        return self.by_year.get((reporter, partner, product, year), [])

    def has_pair(self, a: str, b: str) -> bool:
        return (a, b) in self.countries or (b, a) in self.countries


def pct(press: float, official: float) -> float | None:
    return None if official == 0 else round((press - official) / abs(official) * 100, 2)


def fits(value: float, interval: Interval, official: float) -> str | None:
    """'exact' (within 0.1 %), 'rounding' (inside the written figure's interval) or None."""
    if abs(value - official) <= EXACT * abs(official):
        return "exact"
    if interval.overlaps(Interval.point(official)):
        return "rounding"
    return None


def sides_of(flow: str, reporter: str, partner: str) -> list[tuple[str, str, str, str]]:
    """(role, country, its partner, its flow) of the two statistics that record a press fact's trade."""
    if flow == "export":
        return [("official", reporter, partner, "export"), ("mirror", partner, reporter, "import")]
    if flow == "import":
        return [("official", reporter, partner, "import"), ("mirror", partner, reporter, "export")]
    return [("official", reporter, partner, "turnover"), ("mirror", partner, reporter, "turnover")]


def _explain(
    index: Index, country: str, partner: str, flow: str, product: str, period: str, unit: str,
    value: float, interval: Interval,
) -> tuple[str, Figure] | None:  # fmt: skip
    """Another period, flow or currency of this side's statistics that the press figure is."""
    same_year = index.year_figures(country, partner, product, year_of(period))
    for f in same_year:  # 11 months given as the year, or the year as 11 months
        if f.flow == flow and f.unit == unit and f.period != period and fits(value, interval, f.value):
            return "period", f
    for f in same_year:
        if f.flow != flow and f.unit == unit and f.period == period and fits(value, interval, f.value):
            return "flow", f
    other_units = [f for f in same_year if f.flow == flow and f.period == period and f.unit != unit]
    for f in other_units:
        if fits(value, interval, f.value):
            return "currency", f
    if other_units and index.current((country, partner, flow, product, period, unit)) is None:
        return "currency", other_units[0]  # only in another currency: not comparable without a rate
    return None


def check_side(
    index: Index, role: str, country: str, partner: str, flow: str, product: str, period: str, unit: str,
    value: float, interval: Interval,
) -> SideCheck:  # fmt: skip
    rel = index.releases.get((country, partner, flow, product, period, unit), [])
    current = rel[-1] if rel else None
    diff = pct(value, current.value) if current else None
    if current is not None:
        how = fits(value, interval, current.value)
        earlier = [(fits(value, interval, r.value), r) for r in rel[:-1] if r.value != current.value]
        if how == "exact":
            return SideCheck(role, country, current, diff, True)
        exact_earlier = [r for h, r in earlier if h == "exact"]
        if exact_earlier:
            return SideCheck(role, country, current, diff, True, "preliminary", exact_earlier[-1])
        if how == "rounding":
            return SideCheck(role, country, current, diff, True, "rounding")
        any_earlier = [r for h, r in earlier if h]
        if any_earlier:
            return SideCheck(role, country, current, diff, True, "preliminary", any_earlier[-1])
    found = _explain(index, country, partner, flow, product, period, unit, value, interval)
    if found:
        return SideCheck(role, country, current, diff, False, found[0], found[1])
    return SideCheck(role, country, current, diff, False, "unexplained" if current else None)


def compare_fact(fact: dict[str, Any], index: Index) -> Verdict | None:
    """The verdict of one FACTS.md trade fact (with `fact_id` when stored), or None when not comparable."""
    value, period, unit = fact.get("value"), fact.get("period"), fact.get("unit")
    reporter, partner, flow, product = (fact.get(k) for k in ("reporter", "partner", "flow", "product"))
    if fact.get("type") != "trade" or value is None or not period or not unit or not product:
        return None
    if not reporter or not partner or reporter == partner or flow not in FLOWS or len(index) == 0:
        return None
    try:
        interval = stated_interval(value, fact.get("quote"), bool(fact.get("approx")), fact.get("bound"))
        year_of(period)
    except (ValueError, ArithmeticError):
        return None
    checks = [
        check_side(index, role, c, p, f, product, period, unit, float(value), interval)
        for role, c, p, f in sides_of(flow, reporter, partner)
    ]
    own, mirror = checks
    gap = pct(mirror.figure.value, own.figure.value) if own.figure and mirror.figure else None
    matched = own if own.matches else mirror if mirror.matches else None
    fact_id = fact.get("fact_id")
    if matched is not None:
        other = mirror if matched is own else own
        if other.figure is not None and not other.matches:
            other.cause, other.explained_by = "mirror_gap", matched.figure
        name = "official" if matched is own else "mirror"
        return Verdict(fact_id, name, matched.cause, matched.diff_pct, checks, gap)
    if any(s.figure or s.cause for s in checks):
        known = [s for s in checks if s.diff_pct is not None]
        nearest = min(known, key=lambda s: abs(s.diff_pct or 0), default=None)
        cause = next((s.cause for s in checks if s.cause and s.cause != "unexplained"), "unexplained")
        return Verdict(fact_id, "neither", cause, nearest.diff_pct if nearest else None, checks, gap)
    return Verdict(fact_id, "none", None, None, checks, gap)


def compare_facts(facts: Iterable[dict[str, Any]], figures: Iterable[Figure]) -> list[Verdict | None]:
    """compare_fact over many facts with one index (the bench's entry point)."""
    index = Index(figures)
    return [compare_fact(f, index) for f in facts]
