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


def _clusters_of(store: Store, name: str, kind: str) -> list[dict[str, Any]]:
    """The clusters `name` meets in (kind 'meeting') or speaks in ('statement'), in the order of clusters
    (recon_people, written with each block)."""
    return [
        json.loads(d)
        for (d,) in store.conn.execute(
            "SELECT c.data FROM recon_people p JOIN recon_clusters c ON c.id = p.cluster_id"
            " WHERE p.name = ? AND p.kind = ? ORDER BY p.ord",
            (name, kind),
        )
    ]


def _counts(store: Store) -> dict[str, dict[str, int]]:
    """name -> {"meeting": clusters met in, "statement": clusters spoken in}."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"meeting": 0, "statement": 0})
    for name, kind, n in store.conn.execute(
        "SELECT name, kind, count(*) FROM recon_people GROUP BY name, kind"
    ):
        out[name][kind] = int(n)
    return out


def _summary(name: str, p: Person | None, n_meetings: int, n_statements: int) -> dict[str, Any]:
    return {
        "id": person_id(name),
        "name": name,
        "country": p.country if p else None,
        "roles": _roles(p),
        # how karavan knows the name: from data/people.toml, or read from a title and a name in the text
        "found_by": "lexicon" if p is not None else "pattern",
        "meetings": n_meetings,
        "statements": n_statements,
    }


def read_people(store: Store) -> list[dict[str, Any]]:
    """Everyone who meets or speaks in the store, most active first (then by name)."""
    counts = _counts(store)
    lexicon = _lexicon()
    rows = [_summary(n, lexicon.get(n), c["meeting"], c["statement"]) for n, c in sorted(counts.items())]
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


def _doc_dates(store: Store, docs: list[str]) -> dict[str, str]:
    out = {}
    for i in range(0, len(docs), 500):
        part = docs[i : i + 500]
        marks = ",".join("?" * len(part))
        for doc, published, year in store.conn.execute(
            f"SELECT doc, published, year FROM recon_docs WHERE doc IN ({marks})", part
        ):
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
    lexicon = _lexicon()
    known = [r[0] for r in store.conn.execute("SELECT DISTINCT name FROM recon_people")]
    name = _resolve(person, sorted(set(known) | set(lexicon)))
    if name is None:
        return None
    meetings = _clusters_of(store, name, "meeting")
    statements = []
    for c in _clusters_of(store, name, "statement"):
        first = next((e for e in c["evidence"] if e.get("claimant") == name), None)
        if first is not None:
            statements.append((c, first))
    dates = _doc_dates(store, sorted({e["doc"] for _, e in statements}))
    timeline = [_entry("meeting", c["period"], c, c["evidence"][0], name) for c in meetings]
    timeline += [_entry("statement", e.get("published") or dates.get(e["doc"]), c, e, name)
                 for c, e in statements]  # fmt: skip
    timeline.sort(key=lambda t: (t["date"] is None, t["date"] or "", t["kind"], t["fact_id"]))
    head = _summary(name, lexicon.get(name), len(meetings), len(statements))
    return {**head, "timeline": timeline}


# -- meetings -------------------------------------------------------------------------------------


def meeting_blocks(store: Store, pair: str) -> list[str]:
    """The blocks whose meetings name both countries of `pair` (a cluster's block, recon_clusters.pair, is its
    countries joined by '-'): the blocks are read off the meetings' index, skipping from one to the next (55
    on the 100k bench store, 0.04 ms), where testing each meeting's block with LIKE read all of them (6,872)."""
    want = set(parse_pair(pair))
    blocks = store.conn.execute(
        "SELECT DISTINCT pair FROM recon_clusters INDEXED BY recon_clusters_type WHERE type = 'meeting'"
    )
    return [b for (b,) in blocks if want <= set(b.split("-"))]


def _meeting_blocks(store: Store, pair: str | None) -> tuple[str, list[str]]:
    """The condition on recon_clusters (meetings, of the blocks naming both countries of `pair`) and its
    arguments."""
    if not pair:
        return "type = 'meeting'", []
    blocks = meeting_blocks(store, pair)
    return f"type = 'meeting' AND pair IN ({', '.join('?' * len(blocks))})", blocks


def read_meetings(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """Meeting clusters (one per meeting however many sites report it), newest first (undated last, then in
    id order). Pages list them a page at a time (serve/lists.meeting_page)."""
    where, args = _meeting_blocks(store, pair)
    rows = store.conn.execute(
        f"SELECT data FROM recon_clusters INDEXED BY recon_clusters_type WHERE {where}"
        " ORDER BY period IS NULL, period DESC, id",
        args,
    )
    return [meeting_dict(json.loads(d)) for (d,) in rows]


def meeting_dict(c: dict[str, Any], sources: int | None = None) -> dict[str, Any]:
    """A meeting cluster (its stored data) as readers list it, with its first `sources` sources (all when
    None) and how many it has."""
    evidence = c["evidence"] if sources is None else c["evidence"][:sources]
    return {
        "cluster_id": c["id"],
        "participants": c["attrs"].get("participants", []),
        "countries": c["countries"],
        "place": (c["attrs"].get("places") or [None])[0],
        "places": c["attrs"].get("places", []),
        "date": c["period"],
        "n_sources": c["n_sources"],
        "sources": [source_dict(e) for e in evidence],
    }
