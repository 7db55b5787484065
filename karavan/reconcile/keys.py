"""From a FACTS.md dict to a statement: its id, subject key, time slot and value interval.

The subject says *what* a fact is about: type, countries (sorted for turnover, share,
meeting and other symmetric facts; ordered reporter->partner otherwise), flow,
product, unit, the measure compared (value, change_pct, rank, ...) and type extras
(a target's `by`, an offer's `positions`). The time slot says *when*: a trade fact's
period, or for facts that carry no period (ranks, targets, offers, shares) the year
the document was written (see core.doc_years). Keys hold strings only ("" for
missing) so they sort without None comparisons.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from karavan.reconcile.hedges import change_hedge, own_data
from karavan.reconcile.intervals import Interval, stated_interval

SYMMETRIC_FLOWS = frozenset({"turnover"})
SYMMETRIC_TYPES = frozenset({"share", "meeting", "agreement", "project"})
EVENT_TYPES = frozenset({"meeting", "agreement", "project"})
PERIODIC_TYPES = frozenset({"trade"})


@dataclass(frozen=True, slots=True)
class Subject:
    type: str
    countries: tuple[str, ...]
    ordered: bool
    flow: str
    product: str
    unit: str
    measure: str
    extra: tuple[tuple[str, str], ...] = ()
    text: str = ""  # the key as JSON: a sortable, hashable name for the subject

    @classmethod
    def make(
        cls,
        type_: str,
        countries: tuple[str, ...],
        ordered: bool,
        flow: str,
        product: str,
        unit: str,
        measure: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Subject:
        return _subject(cls, type_, countries, ordered, flow, product, unit, measure, extra)

    def series_key(self) -> tuple[tuple[str, ...], bool, str, str, str]:
        return (self.countries, self.ordered, self.flow, self.product, self.unit)


@lru_cache(maxsize=1 << 16)
def _subject(cls: type[Subject], *key: Any) -> Subject:
    """One Subject for each key (they are frozen): a block states the same few subjects thousands of times."""
    type_, countries, ordered, flow, product, unit, measure, extra = key
    text = json.dumps([type_, countries, ordered, flow, product, unit, measure, extra], ensure_ascii=False)
    return cls(type_, countries, ordered, flow, product, unit, measure, extra, text)


EVENT_KEYS = (
    "type", "countries", "parties", "reporter", "partner", "flow", "product", "unit", "by", "positions",
    "period", "doc", "rank", "pct", "value", "change_pct", "change_factor", "factor",  # make_stmt
    "place", "participants", "name",  # events.cluster_events
)  # fmt: skip
"""What clustering reads of an event fact: the keys make_stmt reads (subject, measure, time, document) and
those events.py compares (place, participants, name). Building a cluster reads the rest (quotes, claimants,
statuses: clusters.build_clusters), only for the clusters a run builds again."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a statement reads of its fact, worked out once a fact (and kept with its filing in the store,
    recon_fact_blocks.prep, so that a block redone reads it back instead of scanning quotes again): of its
    quote, and for an event, the few keys its clustering reads (`event`: so that a block redone clusters its
    events without decoding their facts, and decodes only the members of the clusters it builds again)."""

    interval: Interval | None  # of the number the fact states (interval_of)
    own_data: bool  # the quote presents the figure as the speaker's own statistics (hedges.own_data)
    changes: tuple[tuple[str, float, Interval], ...] = ()  # stated growths: change_pct, change_factor
    event: dict[str, Any] | None = None  # an event fact's EVENT_KEYS that it has (not None)


@dataclass(slots=True)
class Stmt:
    """One fact prepared for clustering."""

    fid: str
    fact: dict[str, Any]
    subject: Subject
    time: str | None
    interval: Interval | None
    number: float | None
    doc: str
    group: str
    year: int | None
    day: int | None
    own_data: bool = False
    changes: tuple[tuple[str, float, Interval], ...] = ()
    light: bool = False  # `fact` holds only an event's EVENT_KEYS (Prepared.event): enough to cluster it


def fact_id(fact: dict[str, Any]) -> str:
    """The fact's own `id` when the store gave one, else a hash of its JSON (stable across runs)."""
    if fact.get("id") is not None:
        return str(fact["id"])
    blob = json.dumps(fact, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def short_id(*parts: object) -> str:
    """16 hex digits of the SHA-1 of `parts` as JSON: the id of a cluster, discrepancy, change or series."""
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _s(x: Any) -> str:
    return "" if x is None else str(x)


def countries_of(fact: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The fact's countries and whether their order means something."""
    t = fact.get("type", "")
    listed = fact.get("countries") or fact.get("parties")
    if listed:
        return tuple(sorted({_s(c) for c in listed})), False
    pair = (_s(fact.get("reporter")), _s(fact.get("partner")))
    if t in SYMMETRIC_TYPES or fact.get("flow") in SYMMETRIC_FLOWS:
        return tuple(sorted(pair)), False
    return pair, True


def measure_of(fact: dict[str, Any]) -> tuple[str, float | None]:
    """Which number a fact states and its value (a trade fact without value compares its change)."""
    t = fact.get("type")
    if t == "partner_rank":
        return "rank", fact.get("rank")
    if t == "share":
        return "pct", fact.get("pct")
    for name in ("value", "change_pct", "change_factor", "factor"):
        if fact.get(name) is not None:
            return name, fact[name]
    return "", None


def interval_of(fact: dict[str, Any], measure: str, number: float | None) -> Interval | None:
    """The interval the fact's number stands for (see intervals.stated_interval)."""
    if number is None:
        return None
    quote = fact.get("quote")
    if measure == "rank":
        return Interval.point(number)
    if measure == "value":
        return stated_interval(number, quote, bool(fact.get("approx")), fact.get("bound"))
    if measure == "change_pct":
        approx, bound = change_hedge(quote, number)
        return stated_interval(number, quote, approx, bound)
    if measure == "pct":
        return stated_interval(number, quote, bool(fact.get("approx")), None)
    return stated_interval(number, quote)


def prepare(fact: dict[str, Any]) -> Prepared:
    """The fact's interval, own-data mark and stated growths as intervals (see Prepared)."""
    measure, number = measure_of(fact)
    quote = fact.get("quote")
    changes = []
    for name in ("change_pct", "change_factor"):
        x = fact.get(name)
        if x is None:
            continue
        approx, bound = change_hedge(quote, x) if name == "change_pct" else (False, None)
        changes.append((name, x, stated_interval(x, quote, approx, bound)))
    event = None
    if fact.get("type") in EVENT_TYPES:
        event = {k: fact[k] for k in EVENT_KEYS if fact.get(k) is not None}
    return Prepared(interval_of(fact, measure, number), own_data(quote), tuple(changes), event)


def interval_parts(i: Interval | None) -> list[Any] | None:
    """An interval as plain values (its ends as exact decimal strings), for the store: interval_from reads it."""
    return None if i is None else [str(i.lo), str(i.hi), i.lo_open, i.hi_open]


def interval_from(x: list[Any] | tuple[Any, ...] | None) -> Interval | None:
    return None if x is None else _interval(x[0], x[1], x[2], x[3])


@lru_cache(maxsize=1 << 14)
def _interval(lo: str, hi: str, lo_open: bool, hi_open: bool) -> Interval:
    """One Interval (frozen) for each stored interval: a block's facts state the same few numbers many times."""
    return Interval(Decimal(lo), Decimal(hi), lo_open, hi_open)


def prep_dumps(p: Prepared) -> str:
    """Prepared as compact JSON (decimals as their exact strings)."""
    out = [interval_parts(p.interval), p.own_data, [[n, x, interval_parts(i)] for n, x, i in p.changes]]
    if p.event is not None:
        out.append(p.event)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def prep_of(decoded: list[Any]) -> Prepared:
    """Prepared from its JSON (prep_dumps) once decoded: a block's are decoded together (json_rows)."""
    iv, own, changes, *event = decoded
    return Prepared(
        interval_from(iv),
        own,
        tuple((n, x, interval_from(i)) for n, x, i in changes),
        event[0] if event else None,
    )


def json_rows(texts: list[str | None]) -> list[Any]:
    """Many JSON texts (None for SQL's NULL) decoded in one call: as one array, so that the decoder's fixed
    cost is paid once rather than once a text (a block's 26,575 filings and 15,395 facts: 0.20 -> 0.10 s)."""
    return json.loads("[" + ",".join("null" if t is None else t for t in texts) + "]") if texts else []


def subject_of(fact: dict[str, Any], measure: str) -> Subject:
    countries, ordered = countries_of(fact)
    t = _s(fact.get("type"))
    extra: list[tuple[str, str]] = []
    if t == "target":
        extra.append(("by", _s(fact.get("by"))))
    if t == "export_offer":
        extra.append(("positions", _s(fact.get("positions"))))
    unit = _s(fact.get("unit")) if measure == "value" else ""
    return Subject.make(
        t, countries, ordered, _s(fact.get("flow")), _s(fact.get("product")), unit, measure, tuple(extra)
    )


def make_stmt(
    fact: dict[str, Any],
    group: str,
    year: int | None,
    day: int | None,
    fid: str | None = None,
    prepared: Prepared | None = None,
) -> Stmt:
    """`prepared`: prepare(fact) when the caller kept it."""
    measure, number = measure_of(fact)
    prep = prepared if prepared is not None else prepare(fact)
    subject = subject_of(fact, measure)
    if subject.type in PERIODIC_TYPES:
        time = fact.get("period") or None
    elif subject.type in EVENT_TYPES:
        time = None  # events are dated by `day` / `year` in events.py
    else:
        time = str(year) if year is not None else None
    return Stmt(
        fid=fid or fact_id(fact),
        fact=fact,
        subject=subject,
        time=time,
        interval=prep.interval,
        number=None if number is None else float(number),
        doc=_s(fact.get("doc")),
        group=group,
        year=year,
        day=day,
        own_data=prep.own_data,
        changes=prep.changes,
    )


@lru_cache(maxsize=4096)
def period_months(period: str) -> tuple[int, int] | None:
    """("2024-01/2024-11") -> (months since year 0 of start, of end), or None if unreadable."""
    try:
        a, b = period.split("/")
        ya, ma = (int(x) for x in a.split("-"))
        yb, mb = (int(x) for x in b.split("-"))
    except ValueError:
        return None
    return ya * 12 + ma - 1, yb * 12 + mb - 1


def _listed(raw: Any) -> list[str]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [_s(c) for c in raw] if isinstance(raw, list) else []


def block_of_columns(reporter: Any, partner: Any, countries: Any, parties: Any) -> str:
    """The block of a fact from its columns (lists as JSON or lists): its countries as `countries_of` reads
    them (the listed countries, else the parties, else reporter and partner), distinct, sorted and joined by
    '-' ("KZ-TJ", "KZ", "" for none). Every comparison reconciliation makes is between facts of one block:
    a subject holds its countries, and a flag or a series compares only subjects of one country set."""
    listed = _listed(countries) or _listed(parties)
    names = listed if listed else [_s(reporter), _s(partner)]
    return "-".join(sorted({c for c in names if c}))


def block_of(fact: dict[str, Any]) -> str:
    return block_of_columns(
        fact.get("reporter"), fact.get("partner"), fact.get("countries"), fact.get("parties")
    )
