"""People and meetings from the reconciled store: who met whom (meeting clusters) and who said what (claimants).

A person is a name as facts write it (FACTS.md: the common English spelling), joined to the
people lexicon (karavan/data/people.toml) for country and roles; names the lexicon does not
know are listed too, with no country. Counts are of clusters, not facts: a meeting reported
by five sites is one meeting, a figure repeated by five sites one statement.
The id is the name in lower case with non-letters as '-': "olzhas-bektenov".
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from karavan.annotate.people_data import Person, people_data
from karavan.reconcile.results_store import source_dict
from karavan.store import parse_pair

if TYPE_CHECKING:
    from karavan.store import Store

_NON_WORD = re.compile(r"[\W_]+")


def person_id(name: str) -> str:
    return _NON_WORD.sub("-", name.lower()).strip("-")


def _roles(p: Person | None) -> list[dict[str, str | None]]:
    if p is None:
        return []
    return [
        {"role": r.role, "from": r.start, "to": r.end or None} for r in sorted(p.roles, key=lambda r: r.start)
    ]


def _lexicon() -> dict[str, Person]:
    return {p.name: p for p in people_data().people}


def _index(store: Store) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[tuple[dict, dict]]]]:
    """name -> meeting clusters; name -> (cluster, its first evidence the name claims) of other clusters."""
    meetings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    statements: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for (data,) in store.conn.execute("SELECT data FROM recon_clusters ORDER BY ord"):
        c = json.loads(data)
        if c["type"] == "meeting":
            for name in c["attrs"].get("participants", []):
                meetings[name].append(c)
        firsts: dict[str, dict[str, Any]] = {}
        for e in c["evidence"]:
            if e.get("claimant"):
                firsts.setdefault(e["claimant"], e)
        if c["type"] != "meeting":
            for name, e in firsts.items():
                statements[name].append((c, e))
    return meetings, statements


def _summary(name: str, p: Person | None, n_meetings: int, n_statements: int) -> dict[str, Any]:
    return {
        "id": person_id(name),
        "name": name,
        "country": p.country if p else None,
        "roles": _roles(p),
        "meetings": n_meetings,
        "statements": n_statements,
    }


def read_people(store: Store) -> list[dict[str, Any]]:
    """Everyone who meets or speaks in the store, most active first (then by name)."""
    meetings, statements = _index(store)
    lexicon = _lexicon()
    names = sorted(set(meetings) | set(statements))
    rows = [_summary(n, lexicon.get(n), len(meetings[n]), len(statements[n])) for n in names]
    rows.sort(key=lambda r: (-(r["meetings"] + r["statements"]), r["name"]))
    return rows


def _resolve(query: str, names: list[str]) -> str | None:
    """A name from an id, a name (case-insensitive), or a unique surname or part of a name."""
    q = query.strip().lower()
    for n in names:
        if q in (n.lower(), person_id(n)):
            return n
    hits = [n for n in names if q in n.lower() or person_id(q) in person_id(n)]
    return hits[0] if len(hits) == 1 else None


def _doc_dates(store: Store) -> dict[str, str]:
    out = {}
    for doc, published, year in store.conn.execute("SELECT doc, published, year FROM recon_docs"):
        if published or year:
            out[doc] = published or str(year)
    return out


def _entry(kind: str, date: str | None, c: dict, e: dict, name: str) -> dict[str, Any]:
    others = [p for p in c["attrs"].get("participants", []) if p != name] if kind == "meeting" else []
    return {
        "date": date,
        "kind": kind,
        "fact_id": int(e["fact_id"]),
        "doc": e["doc"],
        "quote": e["quote"],
        "start": e.get("start"),
        "end": e.get("end"),
        "with": others,
        "place": (c["attrs"].get("places") or [None])[0],
        "cluster_id": c["id"],
        "type": c["type"],
        "pair": "-".join(c["countries"]),
        "period": c["period"],
        "value": c["value"],
        "unit": c["unit"],
        "n_sources": c["n_sources"],
        "docs": sorted({ev["doc"] for ev in c["evidence"]}),
    }


def read_person(store: Store, person: str) -> dict[str, Any] | None:
    """One person's timeline of meetings and statements, with quotes, oldest first; None if unknown."""
    meetings, statements = _index(store)
    lexicon = _lexicon()
    name = _resolve(person, sorted(set(meetings) | set(statements) | set(lexicon)))
    if name is None:
        return None
    dates = _doc_dates(store)
    timeline = [_entry("meeting", c["period"], c, c["evidence"][0], name) for c in meetings.get(name, [])]
    timeline += [_entry("statement", e.get("published") or dates.get(e["doc"]), c, e, name)
                 for c, e in statements.get(name, [])]  # fmt: skip
    timeline.sort(key=lambda t: (t["date"] is None, t["date"] or "", t["kind"], t["fact_id"]))
    head = _summary(name, lexicon.get(name), len(meetings.get(name, [])), len(statements.get(name, [])))
    return {**head, "timeline": timeline}


# -- meetings -------------------------------------------------------------------------------------


def read_meetings(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """Meeting clusters (one per meeting however many sites report it), newest first."""
    want = set(parse_pair(pair)) if pair else set()
    rows = [
        c
        for c in [
            json.loads(d)
            for (d,) in store.conn.execute(
                "SELECT data FROM recon_clusters WHERE type = 'meeting' ORDER BY id"
            )
        ]
        if want <= set(c["countries"])
    ]
    rows.sort(key=lambda c: c["period"] or "", reverse=True)  # stable: ties keep id order
    rows.sort(key=lambda c: c["period"] is None)
    return [
        {
            "cluster_id": c["id"],
            "participants": c["attrs"].get("participants", []),
            "countries": c["countries"],
            "place": (c["attrs"].get("places") or [None])[0],
            "places": c["attrs"].get("places", []),
            "date": c["period"],
            "n_sources": c["n_sources"],
            "sources": [source_dict(e) for e in c["evidence"]],
        }
        for c in rows
    ]
