"""reconcile(facts, docs): the corpus-level stage, a pure function of its inputs.

Steps: documents into near-duplicate groups (one group = one independent source);
each document dated; facts into statements; numeric statements and events into
clusters; then discrepancies, changes over time, flags, series and progress.
The result does not depend on the order of `facts` or `docs`.

Dating a document (for facts that carry no period of their own, such as ranks and
targets): the year of its publication date; failing that, the later of the caller's
`year_hint` and the latest year among the periods of the document's own trade facts
(seed 000 mentions only 2023, but its facts are resolved to 2024); failing that,
undated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from karavan.reconcile.blocks import merge, reconcile_block
from karavan.reconcile.keys import Stmt, block_of, fact_id, make_stmt, period_months
from karavan.reconcile.model import DocInfo, Reconciliation
from karavan.reconcile.neardup import groups_from_signatures


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def doc_years(facts: list[dict[str, Any]], docs: Mapping[str, DocInfo]) -> dict[str, int | None]:
    """doc -> the year it was written, as far as we can tell (see module doc)."""
    latest: dict[str, int] = {}
    for f in facts:
        months = period_months(f["period"]) if f.get("type") == "trade" and f.get("period") else None
        if months is not None:
            d = str(f.get("doc"))
            latest[d] = max(latest.get(d, 0), months[1] // 12)
    out: dict[str, int | None] = {}
    for d in sorted({str(f.get("doc")) for f in facts} | set(docs)):
        info = docs.get(d)
        day = _day(info.published if info else None)
        if day is not None:
            out[d] = date.fromordinal(day).year
            continue
        hints = [y for y in (info.year_hint if info else None, latest.get(d)) if y]
        out[d] = max(hints) if hints else None
    return out


def reconcile(facts: Iterable[dict[str, Any]], docs: Mapping[str, DocInfo] | None = None) -> Reconciliation:
    """Cluster, compare, flag and chart a corpus of FACTS.md facts (see the package doc).

    Documents are grouped and dated over the whole corpus; facts are then reconciled a block (country set)
    at a time (blocks.py), and the blocks merged into the order of one run."""
    docs = dict(docs or {})
    unique: dict[str, dict[str, Any]] = {}
    for f in facts:
        unique.setdefault(fact_id(f), f)  # the same JSON twice is one fact
    fids = sorted(unique)
    rows = [unique[k] for k in fids]
    doc_ids = sorted({str(f.get("doc")) for f in rows} | set(docs))
    groups = groups_from_signatures(
        {d: docs[d].text_hash if d in docs else None for d in doc_ids},
        {d: docs[d].minhash if d in docs else None for d in doc_ids},
    )
    years = doc_years(rows, docs)
    by_block: dict[str, list[Stmt]] = defaultdict(list)
    for fid, f in zip(fids, rows, strict=True):
        d = str(f.get("doc"))
        info = docs.get(d)
        by_block[block_of(f)].append(
            make_stmt(f, groups.get(d, d), years.get(d), _day(info.published if info else None), fid)
        )
    result = merge([reconcile_block(b, by_block[b], docs) for b in sorted(by_block)])
    return Reconciliation(
        clusters=result.clusters,
        discrepancies=[d for _, d in result.discrepancies],
        changes=[c for _, c in result.changes],
        flags=[f for _, f in result.flags],
        series=[s for _, s in result.series],
        progress=[p for _, p in result.progress],
        doc_groups=groups,
        fact_cluster={fid: c.id for c, _ in result.pairs for fid in c.fact_ids},
    )
