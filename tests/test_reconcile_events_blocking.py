"""Event clustering with blocking gives the clusters of comparing every statement with every cluster.

`plain` below is the comparison of each statement with every cluster's every member (what
reconcile/events.py did before it kept an index); random meetings, agreements and projects (shared and
distinct names, places, participants, dates to the day or to the year only) must cluster the same."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from karavan.reconcile.events import MEETING_WINDOW_DAYS, NAME_JACCARD, cluster_events
from karavan.reconcile.keys import Stmt, make_stmt

_WORD = re.compile(r"\w{3,}")


def _words(name):  # noqa: ANN001, ANN202
    return frozenset(_WORD.findall((name or "").lower()))


def _alike(a, b) -> bool:  # noqa: ANN001
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
    t, f = s.subject.type, s.fact
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
    return any(_alike(f.get("name"), m.fact.get("name")) for m in members)


def plain(stmts: list[Stmt]) -> list[list[str]]:
    buckets: dict[str, list[Stmt]] = {}
    for s in stmts:
        buckets.setdefault(s.subject.text, []).append(s)
    out = []
    for key in sorted(buckets):
        groups: list[list[Stmt]] = []
        order = sorted(
            buckets[key], key=lambda s: (s.day is None, s.day or 0, s.year is None, s.year or 0, s.fid)
        )
        for s in order:
            fits = [g for g in groups if _time_ok(s, g) and _content_ok(s, g)]
            if fits and (s.day is not None or len(fits) == 1):
                fits[0].append(s)
            else:
                groups.append([s])
        out += [[m.fid for m in g] for g in groups]
    return out


WORDS = ["agreement", "cooperation", "energy", "transit", "water", "grain", "railway", "customs", "digital",
         "memorandum", "investment", "trade", "logistics", "hub", "plant"]  # fmt: skip
PEOPLE = ["A. One", "B. Two", "C. Three", "D. Four", "E. Five"]
PLACES = ["Astana", "Tashkent", "Dushanbe", None]


def random_stmts(rng: random.Random, n: int) -> list[Stmt]:
    out = []
    for i in range(n):
        t = rng.choice(["meeting", "agreement", "project"])
        fact = {"type": t, "doc": f"d{i}", "countries": rng.choice([["KZ", "UZ"], ["KZ", "TJ"]])}
        if t == "meeting":
            fact["participants"] = rng.sample(PEOPLE, rng.randint(0, 2))
            fact["place"] = rng.choice(PLACES)
        else:
            fact["name"] = " ".join(rng.sample(WORDS, rng.randint(0, 4)))
            fact["place"] = rng.choice(PLACES) if t == "project" else None
        day = date(2024, 1, 1).toordinal() + rng.randint(0, 40) if rng.random() < 0.7 else None
        year = (
            (date.fromordinal(day).year if day else rng.choice([2023, 2024, None]))
            if rng.random() < 0.9
            else None
        )
        out.append(make_stmt(fact, f"g{i % 7}", year, day, f"{i:05d}"))
    return out


@pytest.mark.parametrize("seed", range(25))
def test_reconcile_events_blocking_equals_every_comparison(seed: int) -> None:
    stmts = random_stmts(random.Random(seed), 300)
    assert [[m.fid for m in rc.members] for rc in cluster_events(stmts)] == plain(stmts)
