"""Discrepancies (same thing, same time, values that cannot both be true) and changes over time.

A discrepancy is two or more clusters of one subject and one time slot: by
construction their intervals do not overlap. Each side shows its quotes, claimants,
whose data it is (the reporters of its facts) and whether a quote presents the
figure as the speaker's own statistics ("по нашим данным").

A change is the same subject stated in two different years with values that do not
overlap (Kazakhstan 2nd among Tajikistan's partners in 2023, 4th in 2024). Only facts
dated by their document (ranks, targets, offers, shares) give changes; trade
figures carry their own periods and form series instead. When a year has several
clusters, the one with most sources (then smallest id) speaks for it.
"""

from __future__ import annotations

from collections import defaultdict

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.keys import EVENT_TYPES, PERIODIC_TYPES, short_id
from karavan.reconcile.model import Change, Cluster, Discrepancy, Side


def _side(c: Cluster, rc: RawCluster) -> Side:
    return Side(
        cluster_id=c.id,
        value=c.value,
        interval=c.interval,
        quotes=[e.quote for e in c.evidence],
        claimants=sorted({e.claimant for e in c.evidence if e.claimant}),
        data_of=sorted({m.fact["reporter"] for m in rc.members if m.fact.get("reporter")}),
        own_data=any(m.own_data for m in rc.members),
        docs=c.docs,
        n_sources=c.n_sources,
    )


def find_discrepancies(pairs: list[tuple[Cluster, RawCluster]]) -> list[Discrepancy]:
    slots: dict[tuple[str, str], list[tuple[Cluster, RawCluster]]] = defaultdict(list)
    for c, rc in pairs:
        if rc.time is None or rc.subject.type in EVENT_TYPES or c.value is None:
            continue
        slots[(rc.subject.text, rc.time)].append((c, rc))
    out: list[Discrepancy] = []
    for (subject_text, time), group in sorted(slots.items()):
        if len(group) < 2:
            continue
        group.sort(key=lambda p: (p[0].value, p[0].id))
        c0 = group[0][0]
        values = [c.value for c, _ in group if c.value is not None]
        lo, hi = min(values), max(values)
        out.append(
            Discrepancy(
                id=short_id("discrepancy", subject_text, time),
                type=c0.type,
                countries=c0.countries,
                flow=c0.flow,
                product=c0.product,
                unit=c0.unit,
                measure=c0.measure,
                period=time,
                sides=[_side(c, rc) for c, rc in group],
                spread_pct=round((hi - lo) / abs(lo) * 100, 3) if lo else None,
            )
        )
    return out


def find_changes(pairs: list[tuple[Cluster, RawCluster]]) -> list[Change]:
    by_subject: dict[str, dict[str, list[tuple[Cluster, RawCluster]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for c, rc in pairs:
        t = rc.subject.type
        if rc.time is None or t in EVENT_TYPES or t in PERIODIC_TYPES or c.value is None:
            continue
        by_subject[rc.subject.text][rc.time].append((c, rc))
    out: list[Change] = []
    for subject_text in sorted(by_subject):
        years = by_subject[subject_text]
        mains = [min(years[t], key=lambda p: (-p[0].n_sources, p[0].id)) for t in sorted(years)]
        for (a, ra), (b, rb) in zip(mains, mains[1:], strict=False):
            if ra.common is not None and rb.common is not None and ra.common.overlaps(rb.common):
                continue
            out.append(
                Change(
                    id=short_id("change", subject_text, ra.time, rb.time),
                    type=a.type,
                    countries=a.countries,
                    flow=a.flow,
                    product=a.product,
                    measure=a.measure,
                    from_period=ra.time,
                    to_period=rb.time,
                    from_value=a.value,
                    to_value=b.value,
                    from_cluster=a.id,
                    to_cluster=b.id,
                )
            )
    return out
