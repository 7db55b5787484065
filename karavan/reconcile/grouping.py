"""Numeric facts into clusters: same subject, same time slot, a common value.

Within one subject and time slot, statements are swept in order of their
interval's lower end; a statement joins the open cluster while it overlaps the
intersection of the cluster's intervals, else it opens a new cluster. So every
cluster has a value all its statements allow, and two clusters of one slot never
overlap: they are a discrepancy.

Statements without a time slot (a trade fact whose period nothing resolved, a rank
in an undated document) join a dated cluster of their subject only when exactly one
such cluster is compatible with them; otherwise they cluster among themselves with
no time. Work is a sort per bucket plus, for undated statements, a scan of their
bucket's clusters: no pairwise comparison across buckets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from karavan.reconcile.intervals import Interval
from karavan.reconcile.keys import Stmt, Subject


@dataclass(slots=True)
class RawCluster:
    subject: Subject
    time: str | None
    members: list[Stmt]
    common: Interval | None
    by_value: set[str] = field(default_factory=set)
    order: str = ""  # its place among all clusters (order.sort_key), set by clusters.build_clusters
    repeated: bool = False  # another cluster of its block has the same key (clusters.build_clusters)


def _order(s: Stmt) -> tuple:
    iv = s.interval
    if iv is None:
        return (0, 0, False, False, s.fid)
    return (1, iv.lo, iv.lo_open, iv.hi, s.fid)


def _fits(s: Stmt, common: Interval | None) -> bool:
    if s.interval is None or common is None:
        return s.interval is None and common is None
    return s.interval.overlaps(common)


def sweep(subject: Subject, time: str | None, stmts: list[Stmt]) -> list[RawCluster]:
    """Cluster one slot's statements by a common value (see module doc)."""
    out: list[RawCluster] = []
    current: RawCluster | None = None
    for s in sorted(stmts, key=_order):
        if current is not None and _fits(s, current.common):
            current.members.append(s)
            if s.interval is not None and current.common is not None:
                current.common = current.common.intersect(s.interval)
            continue
        current = RawCluster(subject, time, [s], s.interval)
        out.append(current)
    return out


def cluster_numeric(stmts: list[Stmt]) -> list[RawCluster]:
    """All numeric statements into clusters, bucket by bucket, in deterministic order."""
    buckets: dict[str, list[Stmt]] = defaultdict(list)
    subjects: dict[str, Subject] = {}
    for s in stmts:
        key = s.subject.text
        buckets[key].append(s)
        subjects[key] = s.subject
    out: list[RawCluster] = []
    for key in sorted(buckets):
        subject = subjects[key]
        slots: dict[str, list[Stmt]] = defaultdict(list)
        undated: list[Stmt] = []
        for s in buckets[key]:
            (slots[s.time] if s.time is not None else undated).append(s)
        dated: list[RawCluster] = []
        for time in sorted(slots):
            dated.extend(sweep(subject, time, slots[time]))
        left: list[Stmt] = []
        joins: list[tuple[Stmt, RawCluster]] = []
        for s in sorted(undated, key=lambda x: x.fid):
            fits = [c for c in dated if _fits(s, c.common)]
            if len(fits) == 1:
                joins.append((s, fits[0]))
            else:
                left.append(s)
        for s, c in joins:  # after all matching, so no join depends on another
            c.members.append(s)
            c.by_value.add(s.fid)
        out.extend(dated)
        out.extend(sweep(subject, None, left))
    return out
