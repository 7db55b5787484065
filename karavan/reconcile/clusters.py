"""Raw clusters into `Cluster`s: canonical value, evidence, independent sources, ids.

Canonical value: among the numbers the cluster's statements write, the one stated
by the most independent sources; ties go to the most precise statement (the
narrowest interval), then to an unhedged one (no approx, no bound), then to the
smaller number. Independent sources are near-duplicate groups of documents: a
repost counts once; two facts of one document count once.

The id is a hash of the cluster key (subject, time slot, canonical value; for
events the subject and the first fact id), so it stays while the cluster's
reading stays.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.keys import EVENT_TYPES, Stmt, short_id
from karavan.reconcile.model import Cluster, DocInfo, Evidence
from karavan.reconcile.order import sort_key


def canonical(members: list[Stmt]) -> float | None:
    """The canonical number of a cluster's statements (see module doc)."""
    by_number: dict[float, list[Stmt]] = defaultdict(list)
    for m in members:
        if m.number is not None:
            by_number[m.number].append(m)
    if not by_number:
        return None

    def score(item: tuple[float, list[Stmt]]) -> tuple:
        number, stmts = item
        sources = len({s.group for s in stmts})
        width = min(s.interval.width for s in stmts if s.interval is not None)
        unhedged = any(not s.fact.get("approx") and not s.fact.get("bound") for s in stmts)
        return (-sources, width, not unhedged, number)

    return min(by_number.items(), key=score)[0]


def _evidence(s: Stmt, docs: dict[str, DocInfo], by_value: set[str]) -> Evidence:
    f = s.fact
    info = docs.get(s.doc)
    return Evidence(
        fact_id=s.fid,
        doc=s.doc,
        quote=f.get("quote") or "",
        lang=f.get("lang") or (info.lang if info else None),
        claimant=f.get("claimant"),
        published=info.published if info else None,
        start=f.get("start"),
        end=f.get("end"),
        source_group=s.group,
        value=s.number,
        joined_by="value" if s.fid in by_value else "key",
    )


def _attrs(members: list[Stmt]) -> dict[str, Any]:
    t = members[0].subject.type
    facts = [m.fact for m in members]
    out: dict[str, Any] = {}
    if t == "meeting":
        out["participants"] = sorted({p for f in facts for p in (f.get("participants") or [])})
        out["places"] = sorted({f["place"] for f in facts if f.get("place")})
    elif t in ("agreement", "project"):
        out["names"] = sorted({f["name"] for f in facts if f.get("name")})
        out["places"] = sorted({f["place"] for f in facts if f.get("place")})
        if t == "agreement":
            out["statuses"] = sorted({f["status"] for f in facts if f.get("status")})
    for name in ("by", "positions", "reporters"):
        if name == "reporters":
            reps = sorted({f["reporter"] for f in facts if f.get("reporter")})
            if reps:
                out["reporters"] = reps
        else:
            vals = sorted({str(f[name]) for f in facts if f.get(name) is not None})
            if vals:
                out[name] = vals[0] if len(vals) == 1 else vals
    out["claimants"] = sorted({f["claimant"] for f in facts if f.get("claimant")})
    changes = sorted({f["change_pct"] for f in facts if f.get("change_pct") is not None})
    if changes and members[0].subject.measure == "value":
        out["change_pct"] = changes
    return out


def event_cluster_id(rc: RawCluster) -> str:
    """An event cluster's id: its subject and its first fact (unique in its block: never repeated)."""
    return short_id(rc.subject.text, min(m.fid for m in rc.members))


def build_clusters(raw: list[RawCluster], docs: dict[str, DocInfo]) -> list[tuple[Cluster, RawCluster]]:
    """Clusters with ids, canonical values and evidence, sorted by subject, period, value, id."""
    built: list[tuple[tuple, Cluster, RawCluster]] = []
    for rc in raw:
        subj = rc.subject
        members = sorted(
            rc.members,
            key=lambda s: (
                docs[s.doc].published or "" if s.doc in docs else "",
                s.doc,
                s.fact.get("start") or 0,
                s.fid,
            ),
        )
        value = canonical(members)
        cluster = Cluster(
            id=event_cluster_id(rc) if subj.type in EVENT_TYPES else short_id(subj.text, rc.time, value),
            type=subj.type,
            countries=list(subj.countries),
            ordered=subj.ordered,
            flow=subj.flow or None,
            product=subj.product or None,
            unit=subj.unit or None,
            measure=subj.measure or None,
            period=rc.time,
            value=value,
            interval=rc.common.to_dict() if rc.common is not None else None,
            n_sources=len({m.group for m in members}),
            n_facts=len(members),
            evidence=[_evidence(m, docs, rc.by_value) for m in members],
            attrs=_attrs(members),
        )
        order = (subj.text, rc.time or "", value if value is not None else float("-inf"), cluster.id)
        built.append((order, cluster, rc))
    built.sort(key=lambda x: x[0])
    seen: dict[str, int] = {}
    bases = []
    for order, c, rc in built:  # a repeated key (rare) gets a numbered id, in sorted order
        base = c.id
        bases.append(base)
        n = seen.get(base, 0)
        seen[base] = n + 1
        if n:
            c.id = short_id(base, n)
        # a repeated key sorts as built: its number comes last, so a cluster's place depends on its own key
        # alone (a block redone in part keeps the places of the clusters it does not build again)
        rc.order = sort_key(*order, n)
    for (_, _c, rc), base in zip(built, bases, strict=True):
        rc.repeated = seen[base] > 1
    return [(c, rc) for _, c, rc in built]
