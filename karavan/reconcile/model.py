"""What reconciliation returns: clusters, discrepancies, changes, flags, series and progress.

Every class has `to_dict()` giving plain JSON-ready data; ids are hashes of the
cluster key, so the same corpus always gives the same ids in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from karavan.plain import as_plain


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What reconciliation needs to know about a document.

    `published` ISO date; `source` site; `text_hash` equal for identical texts;
    `minhash` a signature from `karavan.reconcile.neardup.minhash_signature` (reposts);
    `year_hint` the latest year the document's text speaks of, when the caller knows it.
    """

    published: str | None = None
    source: str | None = None
    lang: str | None = None
    text_hash: str | None = None
    minhash: tuple[int, ...] | None = None
    year_hint: int | None = None


@dataclass(slots=True)
class Evidence:
    """One fact behind a cluster: where it is, who said it, and which source group it counts for."""

    fact_id: str
    doc: str
    quote: str
    lang: str | None
    claimant: str | None
    published: str | None
    start: int | None
    end: int | None
    source_group: str
    value: float | None = None
    joined_by: str = "key"  # "key": same period/date; "value": undated, joined by a unique compatible value

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # every field a plain value: nothing to copy


@dataclass(slots=True)
class Cluster:
    """Facts that state the same thing; `value` is the canonical value (see clusters.canonical)."""

    id: str
    type: str
    countries: list[str]
    ordered: bool
    flow: str | None
    product: str | None
    unit: str | None
    measure: str | None  # value, change_pct, change_factor, factor, rank, pct, or None for events
    period: str | None  # trade: "YYYY-MM/YYYY-MM"; other types: the year it was stated "YYYY"
    value: float | None
    interval: dict[str, Any] | None
    n_sources: int
    n_facts: int
    evidence: list[Evidence]
    attrs: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def fact_ids(self) -> list[str]:
        return [e.fact_id for e in self.evidence]

    @property
    def docs(self) -> list[str]:
        return sorted({e.doc for e in self.evidence})

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__ if k != "evidence"}
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(slots=True)
class Side:
    """One side of a discrepancy: a cluster's value, its quotes, who says it and whose data it is."""

    cluster_id: str
    value: float | None
    interval: dict[str, Any] | None
    quotes: list[str]
    claimants: list[str]
    data_of: list[str]  # reporter countries of the facts on this side
    own_data: bool  # a quote says "по нашим данным"
    docs: list[str]
    n_sources: int

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Discrepancy:
    """Statements of the same thing for the same period whose intervals do not overlap."""

    id: str
    type: str
    countries: list[str]
    flow: str | None
    product: str | None
    unit: str | None
    measure: str | None
    period: str | None
    sides: list[Side]
    spread_pct: float | None  # (max - min) / min of the sides' values, in percent

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__ if k != "sides"}
        out["sides"] = [s.to_dict() for s in self.sides]
        return out


@dataclass(slots=True)
class Change:
    """The same figure stated at two dates with different values: a change over time."""

    id: str
    type: str
    countries: list[str]
    flow: str | None
    product: str | None
    measure: str | None
    from_period: str | None
    to_period: str | None
    from_value: float | None
    to_value: float | None
    from_cluster: str
    to_cluster: str

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Flag:
    """An implausible figure: `code` (scale, part_exceeds_whole, growth_mismatch) and a message."""

    code: str
    message: str
    cluster_id: str
    fact_ids: list[str]
    related: list[str] = field(default_factory=list)  # the clusters it was compared with
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class SeriesPoint:
    """One period of a series: full year (`kind` "year") or part of a year ("ytd" from January, "partial")."""

    period: str
    kind: str
    value: float | None
    clusters: list[str]
    docs: list[str]
    n_sources: int
    discrepant: bool = False
    value_range: list[float] | None = None  # the sides' values when discrepant
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Series:
    """Trade values over time for a country pair (unordered for turnover), flow, product and unit."""

    id: str
    countries: list[str]
    ordered: bool
    flow: str | None
    product: str | None
    unit: str | None
    points: list[SeriesPoint]

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Progress:
    """Latest full-year value against the latest target, as a percentage, with the sources of both."""

    series_id: str
    countries: list[str]
    flow: str | None
    product: str | None
    unit: str | None
    target: float | None
    target_by: str | None
    target_stated: str | None
    target_cluster: str | None
    target_docs: list[str]
    year: str | None
    value: float | None
    value_clusters: list[str]
    value_docs: list[str]
    discrepant: bool
    pct: float | None
    pct_range: list[float] | None

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Reconciliation:
    """Everything `reconcile` finds, in deterministic order."""

    clusters: list[Cluster]
    discrepancies: list[Discrepancy]
    changes: list[Change]
    flags: list[Flag]
    series: list[Series]
    progress: list[Progress]
    doc_groups: dict[str, str]  # doc -> representative of its near-duplicate group
    fact_cluster: dict[str, str]  # fact id -> cluster id

    def cluster(self, cluster_id: str) -> Cluster:
        for c in self.clusters:
            if c.id == cluster_id:
                return c
        raise KeyError(cluster_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "clusters": [c.to_dict() for c in self.clusters],
            "discrepancies": [d.to_dict() for d in self.discrepancies],
            "changes": [c.to_dict() for c in self.changes],
            "flags": [f.to_dict() for f in self.flags],
            "series": [s.to_dict() for s in self.series],
            "progress": [p.to_dict() for p in self.progress],
            "doc_groups": dict(sorted(self.doc_groups.items())),
            "fact_cluster": dict(sorted(self.fact_cluster.items())),
        }
