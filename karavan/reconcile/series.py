"""Series per country pair, flow, product and unit; progress of the latest full year to the latest target.

A point is one period of one series. A period with one cluster takes its canonical
value; a period with several (a discrepancy) takes the median of the sides'
canonical values, is marked `discrepant` and keeps the sides' range, so progress
can be shown as a value and a range (1.4 vs almost 1.5 bn -> 1.45 bn, 70-75 % of 2 bn).

Progress: the latest target is the target cluster stated last (by the year its
documents were written; undated targets rank below dated ones, then the most
sources); the latest full-year value is the latest "YYYY-01/YYYY-12" point not
flagged `scale`. Progress = value / target * 100.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from karavan.reconcile.grouping import RawCluster
from karavan.reconcile.keys import period_months, short_id
from karavan.reconcile.model import Cluster, Progress, Series, SeriesPoint

SeriesKey = tuple[tuple[str, ...], bool, str, str, str]


def period_kind(period: str) -> str:
    """ "year" for a full calendar year, "ytd" from January within one year, else "partial"."""
    m = period_months(period)
    if m is None:
        return "partial"
    s, e = m
    if s % 12 == 0 and e == s + 11:
        return "year"
    if s % 12 == 0 and e // 12 == s // 12:
        return "ytd"
    return "partial"


def _point(period: str, clusters: list[Cluster]) -> SeriesPoint:
    clusters = sorted(clusters, key=lambda c: (c.value, c.id))
    values = [c.value for c in clusters if c.value is not None]
    docs = sorted({d for c in clusters for d in c.docs})
    groups = {e.source_group for c in clusters for e in c.evidence}
    return SeriesPoint(
        period=period,
        kind=period_kind(period),
        value=statistics.median(values) if values else None,
        clusters=[c.id for c in clusters],
        docs=docs,
        n_sources=len(groups),
        discrepant=len(clusters) > 1,
        value_range=[min(values), max(values)] if len(clusters) > 1 and values else None,
        flags=sorted({f for c in clusters for f in c.flags}),
    )


def build_series(pairs: list[tuple[Cluster, RawCluster]]) -> list[Series]:
    grouped: dict[SeriesKey, dict[str, list[Cluster]]] = defaultdict(lambda: defaultdict(list))
    for c, rc in pairs:
        if c.type == "trade" and c.measure == "value" and c.period:
            grouped[rc.subject.series_key()][c.period].append(c)
    out: list[Series] = []
    for key in sorted(grouped):
        countries, ordered, flow, product, unit = key
        periods = grouped[key]
        out.append(
            Series(
                id=short_id("series", *key),
                countries=list(countries),
                ordered=ordered,
                flow=flow or None,
                product=product or None,
                unit=unit or None,
                points=[
                    _point(p, periods[p])
                    for p in sorted(periods, key=lambda p: (period_months(p) or (0, 0), p))
                ],
            )
        )
    return out


def build_progress(pairs: list[tuple[Cluster, RawCluster]], series: list[Series]) -> list[Progress]:
    targets: dict[SeriesKey, list[Cluster]] = defaultdict(list)
    for c, rc in pairs:
        if c.type == "target" and c.measure == "value" and c.value:
            targets[rc.subject.series_key()].append(c)
    by_key: dict[SeriesKey, Series] = {
        (tuple(s.countries), s.ordered, s.flow or "", s.product or "", s.unit or ""): s for s in series
    }
    out: list[Progress] = []
    for key in sorted(set(by_key) | set(targets)):
        countries, ordered, flow, product, unit = key
        tgt = max(
            targets.get(key, []),
            key=lambda c: (c.period is not None, c.period or "", c.n_sources, c.id),
            default=None,
        )
        s = by_key.get(key)
        years = [p for p in (s.points if s else []) if p.kind == "year" and "scale" not in p.flags]
        point = years[-1] if years else None
        pct = pct_range = None
        if tgt is not None and point is not None and point.value is not None and tgt.value:
            pct = round(point.value / tgt.value * 100, 2)
            if point.value_range:
                pct_range = [round(v / tgt.value * 100, 2) for v in point.value_range]
        out.append(
            Progress(
                series_id=short_id("series", *key),
                countries=list(countries),
                flow=flow or None,
                product=product or None,
                unit=unit or None,
                target=tgt.value if tgt else None,
                target_by=(tgt.attrs.get("by") or None) if tgt else None,
                target_stated=tgt.period if tgt else None,
                target_cluster=tgt.id if tgt else None,
                target_docs=tgt.docs if tgt else [],
                year=point.period[:4] if point else None,
                value=point.value if point else None,
                value_clusters=point.clusters if point else [],
                value_docs=point.docs if point else [],
                discrepant=point.discrepant if point else False,
                pct=pct,
                pct_range=pct_range,
            )
        )
    return out
