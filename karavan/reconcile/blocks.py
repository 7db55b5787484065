"""Reconciliation one block at a time: the statements of one country set, and how blocks merge.

A block is a fact's country set (keys.block_of: "KZ-TJ", "KZ-RU-UZ", "KZ"). Everything reconcile compares
lies inside one block: clusters are of one subject (its countries included), discrepancies and changes of
one subject, series and progress of one series key, and flags compare series of one country set (a part
against its whole, an export against the turnover). What crosses blocks is decided before: which
documents are reposts of one another (near-duplicate groups) and the year each document was written.

So a corpus is reconciled as the union of its blocks, each result carrying `order` (order.sort_key of
the tuple a whole-corpus run sorts it by): `merge` gives exactly the lists of one run over everything,
and a store keeps each block's rows apart and redoes only the blocks a change reaches
(karavan/reconcile/incremental.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from karavan.reconcile.clusters import build_clusters, event_cluster_id
from karavan.reconcile.conflicts import find_changes, find_discrepancies
from karavan.reconcile.events import cluster_events
from karavan.reconcile.grouping import RawCluster, cluster_numeric
from karavan.reconcile.keys import EVENT_TYPES, Stmt
from karavan.reconcile.model import Change, Cluster, Discrepancy, DocInfo, Flag, Progress, Series
from karavan.reconcile.order import sort_key
from karavan.reconcile.plausibility import find_flags
from karavan.reconcile.series import build_progress, build_series


@dataclass(slots=True)
class BlockResult:
    """One block's results, each list in the order of a whole-corpus run, with each item's sort key."""

    block: str
    pairs: list[tuple[Cluster, RawCluster]] = field(default_factory=list)
    discrepancies: list[tuple[str, Discrepancy]] = field(default_factory=list)
    changes: list[tuple[str, Change]] = field(default_factory=list)
    flags: list[tuple[str, Flag]] = field(default_factory=list)
    series: list[tuple[str, Series]] = field(default_factory=list)
    progress: list[tuple[str, Progress]] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)  # event clusters kept as stored, not built (`keep`)

    @property
    def clusters(self) -> list[Cluster]:
        return [c for c, _ in self.pairs]


def _series_key(
    countries: list[str], ordered: bool, flow: str | None, product: str | None, unit: str | None
) -> str:
    return sort_key(tuple(countries), ordered, flow or "", product or "", unit or "")


def _flag_keys(flags: list[Flag]) -> list[tuple[str, Flag]]:
    """Each flag with its sort key: cluster, code and message, then its number among equal ones (flags come
    sorted by those three), so a flag's place depends on its own key alone."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in flags:
        key = (f.cluster_id, f.code, f.message)
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append((sort_key(*key, n), f))
    return out


Keep = Callable[[str, RawCluster], bool]
"""Whether an event cluster (its id, its members) is the one stored: then it is not built again."""
Decode = Callable[[list[str]], dict[str, dict[str, Any]]]
"""Fact ids -> their facts decoded (for the members of light statements a cluster built needs)."""


def reconcile_block(
    block: str,
    stmts: list[Stmt],
    docs: dict[str, DocInfo],
    keep: Keep | None = None,
    decode: Decode | None = None,
) -> BlockResult:
    """Cluster, compare, flag and chart the statements of one block (all of them, whatever their order).

    `keep`: event clusters it accepts are not built (their ids go to `kept`): nothing else in a block reads
    an event cluster, so a run that redoes a block for one document builds only the events that document
    reaches. `decode`: the facts of light statements (keys.Stmt.light), for the members of the event
    clusters built."""
    numeric = [s for s in stmts if s.subject.type not in EVENT_TYPES]
    events = cluster_events([s for s in stmts if s.subject.type in EVENT_TYPES])
    kept: set[str] = set()
    if keep is not None:
        built = []
        for rc in events:
            cid = event_cluster_id(rc)
            if keep(cid, rc):
                kept.add(cid)
            else:
                built.append(rc)
        events = built
    light = [m for rc in events for m in rc.members if m.light]
    if light:
        if decode is None:
            raise ValueError(f"block {block}: light statements to build and no decode")
        full = decode([m.fid for m in light])
        for m in light:
            m.fact, m.light = full[m.fid], False
    pairs = build_clusters(cluster_numeric(numeric) + events, docs)
    raw = {c.id: rc for c, rc in pairs}
    flags = find_flags(pairs)
    series = build_series(pairs)
    progress = build_progress(pairs, series)
    by_series = {s.id: s for s in series}
    by_cluster = {c.id: c for c, _ in pairs}

    def ordered(p: Progress) -> bool:
        s = by_series.get(p.series_id)
        if s is not None:
            return s.ordered
        return by_cluster[p.target_cluster].ordered if p.target_cluster else False

    return BlockResult(
        block=block,
        pairs=pairs,
        discrepancies=[
            (sort_key(raw[d.sides[0].cluster_id].subject.text, d.period), d)
            for d in find_discrepancies(pairs)
        ],
        changes=[(sort_key(raw[c.from_cluster].subject.text, c.from_period), c) for c in find_changes(pairs)],
        flags=_flag_keys(flags),
        series=[(_series_key(s.countries, s.ordered, s.flow, s.product, s.unit), s) for s in series],
        progress=[(_series_key(p.countries, ordered(p), p.flow, p.product, p.unit), p) for p in progress],
        kept=kept,
    )


def merge(results: list[BlockResult]) -> BlockResult:
    """The blocks' results as one run over all of them gives them (each list sorted by its keys)."""
    out = BlockResult(block="*")
    for r in results:
        out.pairs += r.pairs
        out.discrepancies += r.discrepancies
        out.changes += r.changes
        out.flags += r.flags
        out.series += r.series
        out.progress += r.progress
    out.pairs.sort(key=lambda p: p[1].order)
    for items in (out.discrepancies, out.changes, out.flags, out.series, out.progress):
        items.sort(key=lambda x: x[0])
    return out
