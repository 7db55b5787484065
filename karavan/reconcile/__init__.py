"""Reconciliation: one fact across sources and languages, discrepancies, implausible figures,
series and progress to targets. Corpus-level; a pure function of facts and document info.

    from karavan.reconcile import DocInfo, reconcile
    result = reconcile(facts, {"doc-id": DocInfo(published="2023-05-04")})
    result.clusters, result.discrepancies, result.changes, result.flags, result.series, result.progress
"""

from karavan.reconcile.core import doc_years, reconcile
from karavan.reconcile.intervals import Interval, compatible, stated_interval
from karavan.reconcile.model import (
    Change,
    Cluster,
    Discrepancy,
    DocInfo,
    Evidence,
    Flag,
    Progress,
    Reconciliation,
    Series,
    SeriesPoint,
    Side,
)
from karavan.reconcile.neardup import minhash_signature, near_duplicate_groups, shingles

__all__ = [
    "Change",
    "Cluster",
    "Discrepancy",
    "DocInfo",
    "Evidence",
    "Flag",
    "Interval",
    "Progress",
    "Reconciliation",
    "Series",
    "SeriesPoint",
    "Side",
    "compatible",
    "doc_years",
    "minhash_signature",
    "near_duplicate_groups",
    "reconcile",
    "shingles",
    "stated_interval",
]
