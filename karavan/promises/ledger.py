"""The ledger, a pure function of target facts, yearly figures and a date.

A promise is one level (or factor) and deadline for one pair, flow, product and unit. Its first
statement is its declaration (who, when, which document); later statements of the same level and deadline
are restatements. A different level or deadline stated later is another promise, and supersedes this one.

Its baseline is the last full-year figure before the year of its declaration; it needs the annual growth
(level / baseline) ^ (1 / (deadline - baseline year)) - 1, and has had the growth (latest / baseline) ^
(1 / (latest year - baseline year)) - 1. Its status, as of a date, from what was known then:

- met: a figure of the declaration's year or later (and not after the deadline) reached the level
  (a January-to-some-month figure that reaches it counts too);
- superseded: another target for the same pair, flow and product was stated after its last statement;
- missed: the deadline year is over and its figure is below the level (or a whole year more has passed);
- no_deadline: stated without a deadline ("no deadline yet"), not met;
- on_track / off_track: the growth since the baseline is at least / below the growth needed;
- awaiting_data: no baseline, or no full-year figure since it.

The history is the status replayed at each date something changed: a statement, a figure becoming known
(its document's publication or the statistics' release), a deadline year ending.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from karavan.promises.model import Promise, Statement, StatusChange, TargetFact, YearFigure

EXACT = 0.005
Key = tuple[tuple[str, ...], bool, str, str, str]  # countries, ordered, flow, product, unit


def full(when: str) -> str:
    """A sortable full date: '2024' is known from 2024-01-01; '' (undated) from the start."""
    if not when:
        return "0000-00-00"
    return when if len(when) >= 10 else f"{when[:4]}-01-01"


def known(when: str, at: str) -> bool:
    return full(when) <= at


def year_of(when: str) -> int | None:
    return int(when[:4]) if when[:4].isdigit() else None


def later(a: str, b: str) -> bool:
    """a was stated strictly after b (a year alone is not later than a day of that year, nor earlier)."""
    ya, yb = year_of(a), year_of(b)
    if ya is None or yb is None:
        return False
    if ya != yb:
        return ya > yb
    return len(a) >= 10 and len(b) >= 10 and a > b


def level_key(value: float | None, factor: float | None) -> str:
    if value:
        return f"{float(f'{value:.3g}'):g}"
    return f"x{factor:g}" if factor else ""


def promise_id(key: Key, level: str, by: str | None) -> str:
    text = json.dumps([list(key[0]), *key[1:], level, by or ""], ensure_ascii=False)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def statements(facts: list[TargetFact]) -> list[Statement]:
    """One statement a date, oldest first (undated first)."""
    by_date: dict[str, list[TargetFact]] = defaultdict(list)
    for f in facts:
        by_date[f.date].append(f)
    out = []
    for when in sorted(by_date, key=lambda d: (full(d), d)):
        fs = sorted(by_date[when], key=lambda f: (f.doc, f.fact_id))
        out.append(Statement(
            date=when, docs=sorted({f.doc for f in fs}), fact_ids=[f.fact_id for f in fs],
            claimants=sorted({f.claimant for f in fs if f.claimant}), quotes=[f.quote or "" for f in fs],
            reporters=sorted({f.reporter for f in fs if f.reporter}),
            sources=[{"doc": f.doc, "quote": f.quote, "claimant": f.claimant, "fact_id": f.fact_id} for f in fs],
        ))  # fmt: skip
    return out


def growth(frm: float, to: float, years: int) -> float | None:
    if frm <= 0 or to <= 0 or years <= 0:
        return None
    return round(((to / frm) ** (1 / years) - 1) * 100, 1)


def money(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    for div, word in ((1e9, "bn"), (1e6, "mn"), (1e3, "thousand")):
        if abs(value) >= div:
            return f"{value / div:.3g} {word} {unit}"
    return f"{value:g} {unit}"


class Stated:
    """The statements of one key's promises, sorted by when they became known, to answer at once: which
    other target of the key was stated after this promise's last statement, by a date (its newest)."""

    def __init__(self, group: list[Promise]) -> None:
        every = [(q, s.date) for q in group for s in q.statements]
        # by date known, and among statements known the same day, in the group's order first
        self.items = sorted(((full(d), -i, d, q) for i, (q, d) in enumerate(every)), key=lambda x: x[:2])
        self.known = [x[0] for x in self.items]
        self.dates = {d for _, d in every}
        self.own: dict[int, list[str] | None] = {}  # a promise's statements' dates known, when in order
        for q in group:
            fulls = [full(s.date) for s in q.statements]
            self.own[id(q)] = fulls if all(a <= b for a, b in zip(fulls, fulls[1:], strict=False)) else None

    def last_known(self, p: Promise, at: str) -> str | None:
        """The date of p's last statement (in its order) known at `at`, None when none is."""
        fulls = self.own.get(id(p))
        if fulls is not None:
            i = bisect_right(fulls, at)
            return p.statements[i - 1].date if i else None
        known_ones = [s for s in p.statements if known(s.date, at)]
        return known_ones[-1].date if known_ones else None

    def newest_after(self, p: Promise, last: str, at: str) -> tuple[str, Promise] | None:
        """The newest statement known at `at`, of a promise other than p, stated after `last` (the first in
        the group's order among the newest)."""
        if year_of(last) is None:
            return None
        floor = full(last)  # known no later than `last`: not stated after it (`later`)
        i = bisect_right(self.known, at)
        while i:
            i -= 1
            known_at, _, d, q = self.items[i]
            if known_at <= floor:
                return None  # every one below is older still
            if q is not p and later(d, last):
                return d, q
        return None


class KnownFigures:
    """A key's yearly figures by the date they became known: for any date, the best figure of each year
    and kind known by then (the lowest rank, then the earliest known; the first listed among equals)."""

    def __init__(self, figures: list[YearFigure]) -> None:
        order = sorted(range(len(figures)), key=lambda i: full(figures[i].known_from))
        self.dates = [full(figures[i].known_from) for i in order]
        self.known: list[dict[tuple[int, str], YearFigure]] = [{}]  # after the first k figures
        best: dict[tuple[int, str], YearFigure] = {}
        for i in order:
            f = figures[i]
            k = (f.year, f.kind)
            if k not in best or (f.rank, f.known_from) < (best[k].rank, best[k].known_from):
                best = {**best, k: f}
            self.known.append(best)

        self._views: dict[int, FiguresAt] = {}

    def index(self, at: str) -> int:
        """How many figures are known at `at`: two dates with the same index see the same figures."""
        return bisect_right(self.dates, at)

    def best(self, at: str) -> FiguresAt:
        """The best figures known at `at` (read only; one view for every date between two figures)."""
        i = self.index(at)
        view = self._views.get(i)
        if view is None:
            view = self._views[i] = FiguresAt(self.known[i])
        return view


class FiguresAt:
    """The best figure of each year and kind known at some date: `by_key` (year, kind) -> figure; `years`
    the full-year ones by year; `ordered` all of them by year, the full year first."""

    __slots__ = ("by_key", "ordered", "years")

    def __init__(self, by_key: dict[tuple[int, str], YearFigure]) -> None:
        self.by_key = by_key
        self.years = sorted((f for (_y, kind), f in by_key.items() if kind == "year"), key=lambda f: f.year)
        self.ordered = sorted(by_key.values(), key=lambda f: (f.year, f.kind != "year"))


class KeyData:
    """What every evaluation of one key's promises reads: their statements and the key's figures, each
    sorted once by the date it became known."""

    def __init__(self, group: list[Promise], figures: list[YearFigure]) -> None:
        self.stated = Stated(group)
        self.figures = KnownFigures(figures)
        # each promise's level as stated (None for a factor target): what a promise superseded by it says,
        # whatever level an evaluation worked out for the other one before or after it
        self.stated_level = {q.id: q.level for q in group}
        dates = self.stated.dates | {f.known_from for f in figures}  # where a status can change
        self.dates = sorted(dates, key=lambda d: (full(d), d))
        self.timeline = [(full(d), d) for d in self.dates]  # the same order, each date with its full date


class Evaluation:
    """One promise's status as of a date, with the figures that decide it."""

    def __init__(self, p: Promise, key: KeyData, at: str) -> None:
        self.status = "awaiting_data"
        self.reason = ""
        self.baseline: YearFigure | None = None
        self.latest: YearFigure | None = None
        self.level: float | None = p.level
        self.required: float | None = None
        self.since: float | None = None
        self.superseded_by: str | None = None
        now_year = int(at[:4])
        last_known = key.stated.last_known(p, at)
        first_year = year_of(p.declared.date)
        best = key.figures.best(at)
        years = best.years
        before = [f for f in years if first_year is None or f.year < first_year]
        self.baseline = before[-1] if before else None
        if self.level is None and p.factor and self.baseline:
            self.level = p.factor * self.baseline.value
        after = [f for f in years if self.baseline and f.year > self.baseline.year]
        self.latest = years[-1] if years else None
        unit, by = p.unit, int(p.by) if p.by and p.by.isdigit() else None
        if self.baseline and after:
            self.since = growth(self.baseline.value, after[-1].value, after[-1].year - self.baseline.year)
        if self.baseline and self.level and by and by > self.baseline.year:
            self.required = growth(self.baseline.value, self.level, by - self.baseline.year)
        last = last_known if last_known is not None else p.declared.date
        newer = key.stated.newest_after(p, last, at)
        reached = [
            f for f in best.ordered
            if self.level and f.value >= self.level * (1 - EXACT) and (first_year is None or f.year >= first_year)
            and (by is None or f.year <= by)
        ]  # fmt: skip
        deadline_figure = best.by_key.get((by, "year")) if by else None
        if reached:
            f = reached[0]
            self.status = "met"
            self.reason = f"{f.year}{'' if f.kind == 'year' else ' (part of the year)'}: {money(f.value, unit)} ({f.source}) reached the level"
        elif newer:
            when, q = newer
            self.status, self.superseded_by = "superseded", q.id
            level = key.stated_level.get(q.id)
            self.reason = f"superseded by a newer target: {money(level, unit) if level else f'x{q.factor:g}'}" + (
                f" by {q.by}" if q.by else " (no deadline)") + f", stated {when}"  # fmt: skip
        elif by and now_year > by and (deadline_figure is not None or now_year > by + 1):
            self.status = "missed"
            self.reason = (
                f"{by} ended below the level: {money(deadline_figure.value, unit)} ({deadline_figure.source})"
                if deadline_figure else f"no figure reached the level by {by}"
            )  # fmt: skip
        elif by is None:
            self.status = "no_deadline"
            self.reason = "no deadline" + self._since_text(unit)
        elif self.baseline is None or self.level is None:
            self.status = "awaiting_data"
            self.reason = (
                f"no full-year figure before {first_year} to measure from" if first_year else "undated"
            )
        elif self.since is None or self.required is None:
            self.status = "awaiting_data"
            self.reason = f"no full-year figure since the baseline ({self.baseline.year}) yet"
        else:
            self.status = "on_track" if self.since >= self.required else "off_track"
            self.reason = (
                f"{after[-1].year}: {money(after[-1].value, unit)}, {self.since:+g}%/yr since {self.baseline.year}"
                f" against {self.required:+g}%/yr needed"
            )

    def _since_text(self, unit: str) -> str:
        if self.baseline is None:
            return ""
        if self.since is None:
            return f"; baseline {self.baseline.year}: {money(self.baseline.value, unit)} ({self.baseline.source})"
        last = self.latest
        assert last is not None
        return f"; {last.year}: {money(last.value, unit)}, {self.since:+g}%/yr since {self.baseline.year}"


def group_promises(targets: Iterable[TargetFact]) -> dict[Key, list[Promise]]:
    """Target facts into promises: one per pair, flow, product, unit, level and deadline."""
    parts: dict[tuple[Key, str, str | None], list[TargetFact]] = defaultdict(list)
    for t in targets:
        lk = level_key(t.value, t.factor)
        if not lk:
            continue
        parts[((t.countries, t.ordered, t.flow, t.product, t.unit), lk, t.by or None)].append(t)
    out: dict[Key, list[Promise]] = defaultdict(list)
    for (key, lk, by), facts in parts.items():
        stmts = statements(facts)
        value = next((f.value for f in facts if f.value), None)
        factor = next((f.factor for f in facts if f.factor), None)
        out[key].append(Promise(
            id=promise_id(key, lk, by), pair="-".join(key[0]), countries=list(key[0]), ordered=key[1],
            flow=key[2], product=key[3], unit=key[4], level=value, factor=factor, by=by,
            declared=stmts[0], restatements=stmts[1:],
        ))  # fmt: skip
    return out


def replay(p: Promise, key: KeyData, today: str) -> list[StatusChange]:
    """The status at each date something changed, up to `today`: the changes only.

    The status of p at a date depends on the year, the figures known and whether another target was stated
    after p's last statement (which one, and when, is only in the reason): two dates with the same inputs
    have the same status, so only the dates where they change are evaluated. Whether another target was
    stated after can only turn true as dates go on while p's last statement stays the same (more statements
    are known, none forgotten), so once true it is not looked for again until p is restated."""
    timeline = key.timeline
    if p.by and p.by.isdigit():
        ends = {str(int(p.by) + 1), str(int(p.by) + 2)} - set(key.dates)
        timeline = sorted([*timeline, *((full(d), d) for d in ends)])
    changes: list[StatusChange] = []
    seen: tuple[object, ...] | None = None
    stated, figures = key.stated, key.figures
    own, mine = stated.own.get(id(p)), p.statements  # p's statements' full dates, when in order
    k = 0  # how many of them are known (with `own`)
    last_seen: object = None
    newer = False
    for at, when in timeline[bisect_left(timeline, (full(p.declared.date), "")) :]:
        if at > today:
            break  # the timeline is in order
        if own is not None:
            while k < len(own) and own[k] <= at:
                k += 1
            last = mine[k - 1].date if k else None
        else:
            last = stated.last_known(p, at)
        if not (newer and last == last_seen):
            newer = stated.newest_after(p, last if last is not None else p.declared.date, at) is not None
            last_seen = last
        inputs = (at[:4], figures.index(at), newer)
        if inputs == seen:
            continue  # the same status as at the last date evaluated (its reason is that date's)
        seen = inputs
        e = Evaluation(p, key, at)
        previous = changes[-1].status if changes else None
        if e.status != previous:
            reason = e.reason
            if previous is None:
                who = ", ".join(p.declared.claimants) or "unattributed"
                reason = f"declared by {who} in {', '.join(p.declared.docs)}; {reason}"
            changes.append(StatusChange(when or "undated", e.status, previous, reason))
    return changes


def build_ledger(
    targets: Iterable[TargetFact], figures: dict[Key, list[YearFigure]], today: date | str
) -> list[Promise]:
    """Every promise stated by `today`, by pair, flow, product and declaration date, with its status then."""
    at = today if isinstance(today, str) else today.isoformat()
    out: list[Promise] = []
    stated = [t for t in targets if known(t.date, at)]  # what was stated by then
    for key, group in sorted(group_promises(stated).items()):
        data = KeyData(group, figures.get(key, []))
        for p in group:
            e = Evaluation(p, data, at)
            p.baseline, p.latest, p.level = e.baseline, e.latest, e.level
            p.required_growth_pct, p.growth_since_pct = e.required, e.since
            p.status, p.reason, p.superseded_by = e.status, e.reason, e.superseded_by
            p.progress_pct = round(e.latest.value / e.level * 100, 1) if e.latest and e.level else None
            p.history = replay(p, data, at)
        out.extend(sorted(group, key=lambda q: (full(q.declared.date), q.id)))
    return out
