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

Blocking (same clusters as comparing each statement with every cluster, tests/
test_reconcile_events_blocking.py): a meeting dated to the day looks only at clusters started within
the window before it (statements come in day order); a meeting without a day only at clusters with no
participants or one of its own; an agreement or project only at clusters holding a name that shares
the right word with its own (_NameIndex) or, for a project, its place. What a check reads of a cluster
(places, people, days, years, names) is kept as members join.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from datetime import date
from functools import lru_cache

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.keys import Stmt

MEETING_WINDOW_DAYS = 3
"""Reports of one meeting are published within this many days of the first report."""

NAME_JACCARD = 0.5
"""Word-set Jaccard at or above which two agreement or project names are the same."""

_WORD = re.compile(r"\w{3,}")


@lru_cache(maxsize=1 << 14)
def _words(name: str | None) -> frozenset[str]:
    """A name's words of three letters or more, lower-cased (a block names the same few agreements often)."""
    return frozenset(_WORD.findall((name or "").lower()))


def names_alike(a: str | None, b: str | None) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= NAME_JACCARD


class _Group:
    """A cluster being built, with what the checks read of its members kept as they join."""

    __slots__ = ("index", "members", "places", "people", "min_day", "years", "undated_years", "names")

    def __init__(self, index: int) -> None:
        self.index = index
        self.members: list[Stmt] = []
        self.places: set[object] = set()  # members' places (None left out)
        self.people: set[str] = set()
        self.min_day: int | None = None  # of members dated to the day
        self.years: set[int] = set()  # of every member with a year
        self.undated_years: set[int] = set()  # of members with a year and no day
        self.names: set[frozenset[str]] = set()  # members' name words

    def add(self, s: Stmt) -> None:
        self.members.append(s)
        f = s.fact
        if f.get("place") is not None:
            self.places.add(f["place"])
        self.people.update(f.get("participants") or [])
        if s.day is not None:
            self.min_day = s.day if self.min_day is None else min(self.min_day, s.day)
        if s.year is not None:
            self.years.add(s.year)
            if s.day is None:
                self.undated_years.add(s.year)
        self.names.add(_words(f.get("name")))


def _time_ok(s: Stmt, g: _Group) -> bool:
    """Every member within MEETING_WINDOW_DAYS of s when both are dated to the day, else of s's year
    when both have one. Statements come in day order (those with a day first), so a member dated to the
    day is never after s."""
    if s.subject.type != "meeting":
        return True
    if s.day is not None:
        if g.min_day is not None and s.day - g.min_day > MEETING_WINDOW_DAYS:
            return False
        return s.year is None or g.undated_years <= {s.year}
    return s.year is None or g.years <= {s.year}


def _words_alike(wa: frozenset[str], wb: frozenset[str]) -> bool:
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= NAME_JACCARD


def _content_ok(s: Stmt, g: _Group) -> bool:
    t = s.subject.type
    f = s.fact
    if t == "meeting":
        if f.get("place") and g.places and f["place"] not in g.places:
            return False
        mine = set(f.get("participants") or [])
        return not g.people or not mine or bool(g.people & mine)
    if t == "project" and f.get("place") and f["place"] in g.places:
        return True
    mine_words = _words(f.get("name"))
    return any(_words_alike(mine_words, w) for w in g.names)


class _NameIndex:
    """Groups that may hold a name alike to a statement's (prefix filtering, exact): alike names share a
    word, and which one can be told from a fixed order of words, rarest first. A name W alike to S is
    found by S's rarest word when S is inside W, by W's rarest word when W is inside S, and by a word of
    both prefixes (the first |X| - ceil(NAME_JACCARD |X|) + 1 words of each) when their Jaccard is at
    least NAME_JACCARD."""

    def __init__(self, stmts: list[Stmt]) -> None:
        counts: dict[str, int] = defaultdict(int)
        for s in stmts:
            for w in _words(s.fact.get("name")):
                counts[w] += 1
        self.rank = {w: (n, w) for w, n in counts.items()}
        self.every: dict[str, set[int]] = defaultdict(set)
        self.rarest: dict[str, set[int]] = defaultdict(set)
        self.prefix: dict[str, set[int]] = defaultdict(set)
        self._ordered: dict[frozenset[str], list[str]] = {}  # a block names the same agreements often

    def _order(self, words: frozenset[str]) -> list[str]:
        ordered = self._ordered.get(words)
        if ordered is None:
            ordered = self._ordered[words] = sorted(words, key=lambda w: self.rank.get(w, (0, w)))
        return ordered

    def _prefix(self, ordered: list[str]) -> list[str]:
        return ordered[: len(ordered) - math.ceil(NAME_JACCARD * len(ordered)) + 1]

    def add(self, words: frozenset[str], group: int) -> None:
        if not words:
            return
        ordered = self._order(words)
        for w in ordered:
            self.every[w].add(group)
        self.rarest[ordered[0]].add(group)
        for w in self._prefix(ordered):
            self.prefix[w].add(group)

    def candidates(self, words: frozenset[str]) -> set[int]:
        if not words:
            return set()
        ordered = self._order(words)
        out = set(self.every.get(ordered[0], ()))
        for w in ordered:
            out |= self.rarest.get(w, set())
        for w in self._prefix(ordered):
            out |= self.prefix.get(w, set())
        return out


def _event_time(members: list[Stmt]) -> str | None:
    days = [m.day for m in members if m.day is not None]
    if days:
        return date.fromordinal(min(days)).isoformat()
    years = [m.year for m in members if m.year is not None]
    return str(min(years)) if years else None


def _cluster_bucket(stmts: list[Stmt]) -> list[_Group]:
    """One subject's statements into groups (see module doc); each statement is checked only against the
    groups its date window, places, people or name words allow."""
    order = sorted(stmts, key=lambda s: (s.day is None, s.day or 0, s.year is None, s.year or 0, s.fid))
    groups: list[_Group] = []
    names = _NameIndex(order)
    starts: list[int] = []  # meetings dated to the day: each group's first day, in group order
    by_place: dict[object, set[int]] = defaultdict(set)
    by_person: dict[str, set[int]] = defaultdict(set)
    no_people: set[int] = set()
    for s in order:
        f = s.fact
        t = s.subject.type
        if t == "meeting" and s.day is not None:  # the groups started within the window, in group order
            cands: list[int] | set[int] = range(bisect_left(starts, s.day - MEETING_WINDOW_DAYS), len(starts))
        elif t == "meeting":
            mine = f.get("participants") or []
            cands = (
                set(range(len(groups)))
                if not mine
                else no_people.union(*(by_person.get(p, ()) for p in mine))
            )
        else:
            cands = names.candidates(_words(f.get("name")))
            if t == "project" and f.get("place"):
                cands |= by_place.get(f["place"], set())
        first: _Group | None = None
        n_fits = 0
        for i in sorted(cands):
            g = groups[i]
            if _time_ok(s, g) and _content_ok(s, g):
                n_fits += 1
                first = first or g
                if s.day is not None or n_fits > 1:
                    break
        if first is not None and (s.day is not None or n_fits == 1):
            g = first
            if not g.people and f.get("participants"):
                no_people.discard(g.index)
        else:
            g = _Group(len(groups))
            groups.append(g)
            if t == "meeting" and s.day is not None:
                starts.append(s.day)
            if not f.get("participants"):
                no_people.add(g.index)
        g.add(s)
        names.add(_words(f.get("name")), g.index)
        if f.get("place") is not None:
            by_place[f["place"]].add(g.index)
        for p in f.get("participants") or []:
            by_person[p].add(g.index)
    return groups


def cluster_events(stmts: list[Stmt]) -> list[RawCluster]:
    """Meetings, agreements and projects into clusters, in deterministic order."""
    buckets: dict[str, list[Stmt]] = defaultdict(list)
    for s in stmts:
        buckets[s.subject.text].append(s)
    out: list[RawCluster] = []
    for key in sorted(buckets):
        for g in _cluster_bucket(buckets[key]):
            out.append(RawCluster(g.members[0].subject, _event_time(g.members), g.members, None))
    return out
