"""Verdicts of the stored press trade facts, kept in official_verdicts and current.

A verdict depends only on its fact and the official figures, so refreshing is incremental: facts that
have none yet (new since the last refresh) are compared; after an import every verdict is computed
again. A re-ingested document's facts lose theirs with them (ON DELETE CASCADE).

    refresh_verdicts(store)                 # after an ingest, a reconcile or an import
    verdicts_of(store, [fact_id, ...])      # fact id -> Verdict dict
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from karavan.official.compare import Index, compare_fact
from karavan.official.store import basis, read_figures
from karavan.store import Store

BATCH = 2000


def _pair(fact: dict[str, Any]) -> str:
    return "-".join(sorted((str(fact.get("reporter") or ""), str(fact.get("partner") or ""))))


def _rows(index: Index, facts: Iterable[tuple[int, str]], at: int) -> Iterable[tuple[Any, ...]]:
    for fact_id, data in facts:
        fact = {**json.loads(data), "fact_id": fact_id}
        v = compare_fact(fact, index)
        yield (
            fact_id, v.verdict if v else None, v.cause if v else None, v.diff_pct if v else None,
            _pair(fact), at, json.dumps(v.to_dict() if v else None, ensure_ascii=False),
        )  # fmt: skip


def refresh_verdicts(store: Store, full: bool = False) -> dict[str, int]:
    """Compute the verdicts that are missing or stale; returns {"compared": n, verdict: count, ...}."""
    at = basis(store)
    conn = store.conn
    if at == 0:  # no official figures: no verdicts to keep
        conn.execute("DELETE FROM official_verdicts")
        return {"compared": 0}
    stale = conn.execute("SELECT 1 FROM official_verdicts WHERE basis != ? LIMIT 1", (at,)).fetchone()
    index = Index(read_figures(store))
    if full or stale:
        todo = conn.execute("SELECT id, data FROM facts WHERE type = 'trade' ORDER BY id").fetchall()
    else:
        todo = conn.execute(
            "SELECT f.id, f.data FROM facts f LEFT JOIN official_verdicts v ON v.fact_id = f.id"
            " WHERE f.type = 'trade' AND v.fact_id IS NULL ORDER BY f.id"
        ).fetchall()
    counts: Counter[str] = Counter()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if full or stale:
            conn.execute("DELETE FROM official_verdicts")
        for i in range(0, len(todo), BATCH):
            rows = list(_rows(index, todo[i : i + BATCH], at))
            conn.executemany("INSERT OR REPLACE INTO official_verdicts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            counts.update(r[1] or "not comparable" for r in rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"compared": len(todo), **dict(sorted(counts.items()))}


def verdicts_of(store: Store, fact_ids: list[int]) -> dict[int, dict[str, Any]]:
    """fact id -> its verdict (Verdict.to_dict()), for those of `fact_ids` that have one."""
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(fact_ids), 500):
        chunk = [int(x) for x in fact_ids[i : i + 500]]
        marks = ", ".join("?" * len(chunk))
        for fid, data in store.conn.execute(
            f"SELECT fact_id, data FROM official_verdicts WHERE verdict IS NOT NULL AND fact_id IN ({marks})",
            chunk,
        ):
            out[int(fid)] = json.loads(data)
    return out


def verdict_counts(store: Store, pair: str | None = None) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT verdict, count(*) FROM official_verdicts WHERE verdict IS NOT NULL AND (? IS NULL OR pair = ?)"
        " GROUP BY verdict ORDER BY verdict",
        (pair, pair),
    )
    return {v: int(n) for v, n in rows}


def disagreements(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """Facts whose verdict is `neither`, each {fact_id, fact (FACTS.md), verdict}, by pair, period, fact id."""
    # CROSS JOIN keeps the verdicts the outer loop: facts and documents are looked up by key, never scanned
    where, args = ("v.pair = ? AND v.verdict = 'neither'", (pair,)) if pair else ("v.verdict = 'neither'", ())
    rows = store.conn.execute(
        "SELECT v.fact_id, f.data, v.data, d.published FROM official_verdicts v CROSS JOIN facts f"
        f" ON f.id = v.fact_id CROSS JOIN documents d ON d.id = f.doc_id WHERE {where}"
        " ORDER BY v.pair, f.period, v.fact_id",
        args,
    )
    return [
        {"fact_id": int(fid), "fact": {**json.loads(fact), "fact_id": int(fid), "published": pub},
         "verdict": json.loads(verdict)}
        for fid, fact, verdict, pub in rows
    ]  # fmt: skip


VERDICT_FIELDS = ("official_verdict", "official_cause", "official_diff_pct", "official_by", "official_value",
                  "official_period", "official_source")  # fmt: skip


def verdict_fields(v: dict[str, Any] | None) -> dict[str, Any]:
    """A verdict as the facts export's columns: the verdict (official, mirror, neither, none), its cause, the
    difference, and the figure it names: the matching side's, else the nearer one's."""
    if not v:
        return dict.fromkeys(VERDICT_FIELDS)
    sides = v.get("sides") or []
    side = next((s for s in sides if s["matches"]), None) or min(
        (s for s in sides if s.get("diff_pct") is not None), key=lambda s: abs(s["diff_pct"]), default=None
    )
    figure = (side or {}).get("figure") or (side or {}).get("explained_by") or {}
    return {
        "official_verdict": v["verdict"], "official_cause": v["cause"], "official_diff_pct": v["diff_pct"],
        "official_by": side["country"] if side and figure else None, "official_value": figure.get("value"),
        "official_period": figure.get("period"), "official_source": figure.get("source"),
    }  # fmt: skip
