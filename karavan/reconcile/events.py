"""Meetings, agreements and projects into clusters.

- meeting: same countries (unordered); places equal or one unknown; participant lists
  share a name or one is empty; when both documents are dated to the day, at most
  MEETING_WINDOW_DAYS apart (five sites reporting one visit over a few days are one
  meeting; the same leaders a month later are another); when only years are known,
  the same year.
- agreement: same parties; names alike (word-set Jaccard >= NAME_JACCARD, or one
  name's words contained in the other's). Status changes do not split it.
- project: same countries; same place, or names alike.

Statements are taken in a fixed order (date, then fact id). A statement dated to the
day joins the first compatible cluster; one without a day joins only when exactly one
cluster is compatible, else it starts its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.keys import Stmt

MEETING_WINDOW_DAYS = 3
"""Reports of one meeting are published within this many days of the first report."""

NAME_JACCARD = 0.5
"""Word-set Jaccard at or above which two agreement or project names are the same."""

_WORD = re.compile(r"\w{3,}")


def _words(name: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((name or "").lower()))


def names_alike(a: str | None, b: str | None) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= NAME_JACCARD


def _time_ok(s: Stmt, members: list[Stmt]) -> bool:
    if s.subject.type != "meeting":
        return True
    for m in members:
        if s.day is not None and m.day is not None:
            if abs(s.day - m.day) > MEETING_WINDOW_DAYS:
                return False
        elif s.year is not None and m.year is not None and s.year != m.year:
            return False
    return True


def _content_ok(s: Stmt, members: list[Stmt]) -> bool:
    t = s.subject.type
    f = s.fact
    if t == "meeting":
        places = {m.fact.get("place") for m in members} - {None}
        if f.get("place") and places and f["place"] not in places:
            return False
        people = {p for m in members for p in (m.fact.get("participants") or [])}
        mine = set(f.get("participants") or [])
        return not people or not mine or bool(people & mine)
    if t == "project":
        places = {m.fact.get("place") for m in members} - {None}
        if f.get("place") and f["place"] in places:
            return True
    return any(names_alike(f.get("name"), m.fact.get("name")) for m in members)


def _event_time(members: list[Stmt]) -> str | None:
    days = [m.day for m in members if m.day is not None]
    if days:
        return date.fromordinal(min(days)).isoformat()
    years = [m.year for m in members if m.year is not None]
    return str(min(years)) if years else None


def cluster_events(stmts: list[Stmt]) -> list[RawCluster]:
    """Meetings, agreements and projects into clusters, in deterministic order."""
    buckets: dict[str, list[Stmt]] = defaultdict(list)
    for s in stmts:
        buckets[s.subject.text].append(s)
    out: list[RawCluster] = []
    for key in sorted(buckets):
        groups: list[list[Stmt]] = []
        order = sorted(
            buckets[key],
            key=lambda s: (s.day is None, s.day or 0, s.year is None, s.year or 0, s.fid),
        )
        for s in order:
            fits = [g for g in groups if _time_ok(s, g) and _content_ok(s, g)]
            if fits and (s.day is not None or len(fits) == 1):
                fits[0].append(s)
            else:
                groups.append([s])
        for g in groups:
            out.append(RawCluster(g[0].subject, _event_time(g), g, None))
    return out
