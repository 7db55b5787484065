"""The API between the store, the CLI and the web app (see notes/bridge_api.md and the README).

Every function takes a karavan.store Store and returns plain JSON-ready dicts and lists in a
deterministic order. `reconcile_store` writes the recon_* tables (results_store.py); the
read_* functions only read them: call `ensure_reconciled` first when the store may have
changed (the CLI does, and says so on stderr).

Conventions: `pair` arguments are two ISO codes in either order ("KZ-TJ" or "TJ-KZ"); a
returned `pair` is the cluster's countries joined by "-" (sorted for turnover and other
symmetric facts, reporter first for exports and imports). A source is
{"doc", "quote", "claimant", "published", "lang", "start", "end", "fact_id"}.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from karavan.gc_pause import gc_paused
from karavan.reconcile import incremental
from karavan.reconcile.people_store import read_meetings, read_people, read_person
from karavan.reconcile.results_store import dumps, pair_of, source_dict
from karavan.store import Store, parse_pair

__all__ = [
    "cluster_of_fact",
    "ensure_reconciled",
    "freshness",
    "is_stale",
    "read_cluster",
    "read_discrepancies",
    "read_discrepancies_of",
    "read_flags",
    "read_meetings",
    "read_pairs",
    "read_people",
    "read_person",
    "read_series",
    "reconcile_store",
    "source_dict",
]


# -- running ------------------------------------------------------------------------------------


def is_stale(store: Store) -> bool:
    """True when the store's documents or facts changed since the last run (or it never ran): one row read."""
    return bool(incremental.freshness(store.conn)["stale"])


def freshness(store: Store) -> dict[str, Any]:
    """How fresh the last finished run is (incremental.freshness): when it finished and how many documents
    changed since."""
    return incremental.freshness(store.conn)


def reconcile_store(
    store: Store, full: bool = False, progress: incremental.Progress | None = None
) -> dict[str, Any]:
    """Reconcile what changed in the store since the last run (everything with `full`), writing the recon_*
    tables; at once when nothing changed.

    Returns {"clusters", "discrepancies", "flags", "changes", "series", "facts", "docs", "changed",
    "seconds"} (and, when it ran, "kind", "redone_docs", "redone_blocks")."""
    store.check_writable("reconciling")  # a read-only or damaged store is read as its last run left it
    redone: set[str] = set()

    def after_block(conn: Any, block: str) -> None:
        write_pair_row(conn, block)
        redone.add(block)

    with incremental.one_run_at_a_time(store.path):  # another process's run of this store goes first
        summary = incremental.run(store.conn, full=full, progress=progress, after_block=after_block)
        if summary.get("changed"):
            from karavan.official.hook import refresh_all  # verdicts against official figures, the ledger

            # a promise is of one pair: only the pairs whose block was redone can have changed
            pairs = None if summary.get("kind") == "full" else {b for b in redone if b.count("-") == 1}
            with incremental.page_cache(store.conn), gc_paused():  # many small objects, no cycles
                refresh_all(store, pairs=pairs)
    return summary


def ensure_reconciled(store: Store) -> dict[str, Any] | None:
    """Reconcile when the store changed since the last run; the summary when it ran, else None (also for a
    store that cannot be written: it is read as its last run left it)."""
    if not store.writable or not is_stale(store):
        return None
    return reconcile_store(store)


# -- small readers --------------------------------------------------------------------------------


def _load(store: Store, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return [json.loads(r[0]) for r in store.conn.execute(sql, args)]


def _clusters(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for c in _load(store, f"SELECT data FROM recon_clusters WHERE id IN ({marks})", tuple(chunk)):
            out[c["id"]] = c
    return out


def _pair_key(pair: str | None) -> str | None:
    return pair_of(parse_pair(pair)) if pair else None


def _main_cluster(clusters: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The cluster with most sources (then the smallest id)."""
    return min(clusters, key=lambda c: (-c["n_sources"], c["id"]), default=None)


def _bounds(interval: dict[str, Any] | None, value: float | None) -> tuple[float | None, float | None]:
    if interval is None:
        return value, value
    return interval["lo"], interval["hi"]


def _target(progress: dict[str, Any] | None) -> dict[str, Any] | None:
    if not progress or progress.get("target") is None:
        return None
    return {
        "value": progress["target"],
        "unit": progress["unit"],
        "by": progress["target_by"],
        "cluster_id": progress["target_cluster"],
        "stated": progress["target_stated"],
        "docs": progress["target_docs"],
    }


def _prefer_usd(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return min(rows, key=lambda r: (r.get("unit") != "USD", r.get("unit") or ""), default=None)


# -- pairs and series -------------------------------------------------------------------------------


def _latest_full_year(store: Store, progress: dict[str, Any]) -> dict[str, Any] | None:
    if not progress.get("year") or progress.get("value") is None:
        return None
    period = f"{progress['year']}-01/{progress['year']}-12"
    [series] = _load(store, "SELECT data FROM recon_series WHERE id = ?", (progress["series_id"],)) or [None]
    point = next((p for p in (series or {}).get("points", []) if p["period"] == period), None)
    clusters = _clusters(store, progress["value_clusters"])
    main = _main_cluster(list(clusters.values()))
    return {
        "period": period,
        "value": progress["value"],
        "unit": progress["unit"],
        "cluster_id": main["id"] if main else None,
        "cluster_ids": progress["value_clusters"],
        "discrepant": progress["discrepant"],
        "range": point["value_range"] if point else None,
        "sources": point["n_sources"] if point else (main["n_sources"] if main else 0),
    }


class _On:
    """A connection as the readers here take it (they read `.conn` only)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


def _pair_row(store: Store, pair: str) -> dict[str, Any]:
    rows = _load(
        store,
        "SELECT data FROM recon_progress WHERE pair = ? AND flow = 'turnover' AND product = 'total' ORDER BY ord",
        (pair,),
    )
    prog = _prefer_usd(rows)
    (n_sources,) = store.conn.execute(  # the members' documents first: a group is looked up once a document
        "SELECT count(DISTINCT d.source_group) FROM (SELECT DISTINCT m.doc FROM recon_clusters c"
        " JOIN recon_cluster_facts m ON m.cluster_id = c.id WHERE c.pair = ?) x JOIN recon_docs d ON d.doc = x.doc",
        (pair,),
    ).fetchone()
    (n_disc,) = store.conn.execute(
        "SELECT count(*) FROM recon_discrepancies WHERE pair = ?", (pair,)
    ).fetchone()
    return {
        "pair": pair,
        "countries": pair.split("-"),
        "latest_full_year": _latest_full_year(store, prog) if prog else None,
        "target": _target(prog),
        "progress_pct": prog["pct"] if prog else None,
        "progress_range": prog["pct_range"] if prog else None,
        "sources": int(n_sources),
        "open_discrepancies": int(n_disc),
    }


def _end(point: dict[str, Any]) -> tuple[str, str]:
    return point["period"][8:], point["period"][:7]


def latest_figures_of(store: Store, block: str) -> dict[str, dict[str, Any]]:
    """pair ('KZ-TJ', codes sorted) -> its latest total turnover point, and for each direction its latest
    export and import point ({from, to, product, ...point}: of total trade when the store has it, else of the
    product stated last); each point with period, kind (year, ytd, partial), value, unit, n_sources. From
    the reconciled series of one block."""
    out: dict[str, dict[str, Any]] = {}
    flows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for (data,) in store.conn.execute("SELECT data FROM recon_series WHERE pair = ? ORDER BY ord", (block,)):
        series = json.loads(data)
        points = [p for p in series.get("points") or [] if p.get("value") is not None and p.get("period")]
        if not points:
            continue
        countries = series["countries"]
        pair = "-".join(sorted(countries))
        last = {**max(points, key=_end), "unit": series.get("unit"), "from": countries[0], "to": countries[-1],
                "product": series.get("product")}  # fmt: skip
        entry = out.setdefault(pair, {"turnover": None, "export": [], "import": []})
        if series["flow"] == "turnover" and series.get("product") == "total":
            if entry["turnover"] is None or _end(last) > _end(entry["turnover"]):
                entry["turnover"] = last
        elif series["flow"] in ("export", "import"):
            key = (pair, series["flow"], countries[0], countries[-1])
            known = flows.get(key)
            rank = (last["product"] == "total", _end(last))
            if known is None or rank > (known["product"] == "total", _end(known)):
                flows[key] = last
    for (pair, flow, _, _), point in sorted(flows.items()):
        out[pair][flow].append(point)
    return out


def write_pair_row(conn: sqlite3.Connection, block: str) -> None:
    """After a block's results are written (same transaction): its pair row and latest figures."""
    store = _On(conn)
    (has,) = conn.execute(
        "SELECT count(*) FROM recon_clusters WHERE pair = ? AND type IN ('trade', 'target')", (block,)
    ).fetchone()
    row = _pair_row(store, block) if has and block.count("-") == 1 else None  # type: ignore[arg-type]
    latest = latest_figures_of(store, block)  # type: ignore[arg-type]
    if row is not None or latest:
        conn.execute(
            "INSERT OR REPLACE INTO recon_pairs VALUES (?, ?, ?)",
            (block, dumps(row) if row is not None else None, dumps(latest) if latest else None),
        )


def read_pairs(store: Store) -> list[dict[str, Any]]:
    """One row per unordered country pair with trade figures or targets (see notes/bridge_api.md)."""
    return _load(store, "SELECT data FROM recon_pairs WHERE data IS NOT NULL ORDER BY pair")


def latest_figures(store: Store) -> dict[str, dict[str, Any]]:
    """latest_figures_of every block, as one dict (the blocks' pairs never collide)."""
    out: dict[str, dict[str, Any]] = {}
    for (data,) in store.conn.execute(
        "SELECT latest FROM recon_pairs WHERE latest IS NOT NULL ORDER BY pair"
    ):
        out.update(json.loads(data))
    return dict(sorted(out.items()))


def _point(p: dict[str, Any], clusters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    members = [clusters[c] for c in p["clusters"] if c in clusters]
    main = _main_cluster(members)
    if p["value_range"]:
        low, high = p["value_range"]
    elif main:
        low, high = _bounds(main.get("interval"), main.get("value"))
    else:
        low = high = p["value"]
    return {
        "period": p["period"],
        "year": int(p["period"][:4]),
        "kind": p["kind"],
        "value": p["value"],
        "low": low,
        "high": high,
        "discrepant": p["discrepant"],
        "flags": p["flags"],
        "cluster_id": main["id"] if main else None,
        "cluster_ids": p["clusters"],
        "n_sources": p["n_sources"],
        "sources": [source_dict(e) for c in members for e in c["evidence"]],
    }


def pick_series(
    store: Store, pair: str, flow: str = "turnover", product: str = "total"
) -> dict[str, Any] | None:
    """The stored series (Series.to_dict) of one pair, flow and product: in US dollars when there is one."""
    a, b = parse_pair(pair)
    candidates = [
        s
        for s in _load(
            store,
            "SELECT data FROM recon_series WHERE pair = ? AND flow = ? AND product = ? ORDER BY ord",
            (pair_of([a, b]), flow, product),
        )
        if not s["ordered"] or s["countries"] == [a, b]
    ]
    return _prefer_usd(candidates)


ClusterReader = Callable[[Store, list[str]], dict[str, dict[str, Any]]]


def read_series(
    store: Store,
    pair: str,
    flow: str = "turnover",
    product: str = "total",
    read_clusters: ClusterReader | None = None,
) -> dict[str, Any]:
    """Values of one pair, flow and product over time, with sources, target and progress; the points'
    clusters read by `read_clusters` (ids -> stored cluster data; all their sources by default)."""
    a, b = parse_pair(pair)
    series = pick_series(store, pair, flow, product)
    progress = None
    if series is not None:
        found = _load(store, "SELECT data FROM recon_progress WHERE series_id = ?", (series["id"],))
        progress = found[0] if found else None
    points = series["points"] if series else []
    clusters = (read_clusters or _clusters)(store, sorted({c for p in points for c in p["clusters"]}))
    ordered = flow not in ("turnover", "")
    return {
        "pair": "-".join(series["countries"])
        if series
        else ("-".join((a, b)) if ordered else pair_of([a, b])),
        "flow": flow,
        "product": product,
        "unit": series["unit"] if series else None,
        "series_id": series["id"] if series else None,
        "points": [_point(p, clusters) for p in points],
        "target": _target(progress),
        "progress_pct": progress["pct"] if progress else None,
    }


# -- discrepancies, flags, clusters -----------------------------------------------------------------


def side_dict(side: dict[str, Any], cluster: dict[str, Any] | None) -> dict[str, Any]:
    """A discrepancy side (stored) as readers show it, with the sources of its cluster (stored data)."""
    low, high = _bounds(side.get("interval"), side.get("value"))
    return {
        "value": side["value"],
        "low": low,
        "high": high,
        "claimant": side["claimants"][0] if len(side["claimants"]) == 1 else None,
        "claimants": side["claimants"],
        "data_of": side["data_of"][0] if len(side["data_of"]) == 1 else None,
        "own_data": side["own_data"],
        "cluster_id": side["cluster_id"],
        "n_sources": side["n_sources"],
        "evidence": [source_dict(e) for e in (cluster or {}).get("evidence", [])],
    }


def read_discrepancies(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """Statements of one thing for one period that cannot both be true, side by side."""
    key = _pair_key(pair)
    rows = _load(
        store,
        "SELECT data FROM recon_discrepancies WHERE (? IS NULL OR pair = ?) ORDER BY ord",
        (key, key),
    )
    return _discrepancies(store, rows)


def read_discrepancies_of(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The discrepancies of `ids` (as read_discrepancies gives them), in the store's order."""
    ids = list(ids)
    rows: list[tuple[str, str]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows += [
            (r[0], r[1])
            for r in store.conn.execute(
                f"SELECT ord, data FROM recon_discrepancies WHERE id IN ({marks})", chunk
            )
        ]
    return _discrepancies(store, [json.loads(data) for _, data in sorted(rows)])


def _discrepancies(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clusters = _clusters(store, sorted({s["cluster_id"] for d in rows for s in d["sides"]}))
    return [
        {
            "id": d["id"],
            "type": d["type"],
            "pair": "-".join(d["countries"]),
            "flow": d["flow"],
            "product": d["product"],
            "unit": d["unit"],
            "measure": d["measure"],
            "period": d["period"],
            "spread_pct": d["spread_pct"],
            "sides": [side_dict(s, clusters.get(s["cluster_id"])) for s in d["sides"]],
        }
        for d in rows
    ]


def _flag(f: dict[str, Any], pair: str) -> dict[str, Any]:
    return {
        "cluster_id": f["cluster_id"],
        "fact_ids": [int(x) for x in f["fact_ids"]],
        "code": f["code"],
        "message": f["message"],
        "pair": pair,
        "related": f["related"],
        "details": f["details"],
    }


def read_flags(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """Implausible figures: {"cluster_id", "fact_ids", "code", "message"} (and "pair", "related", "details")."""
    key = _pair_key(pair)
    rows = store.conn.execute(
        "SELECT pair, data FROM recon_flags WHERE (? IS NULL OR pair = ?) ORDER BY ord", (key, key)
    )
    return [_flag(json.loads(data), p) for p, data in rows]


def read_cluster(store: Store, cluster_id: str) -> dict[str, Any] | None:
    """One cluster with its evidence, the discrepancies it is a side of, its flags and changes."""
    c = _clusters(store, [cluster_id]).get(cluster_id)
    if c is None:
        return None
    pair = pair_of(c["countries"])
    discrepancies = [
        r[0]
        for r in store.conn.execute(
            "SELECT d.id FROM recon_discrepancy_sides s JOIN recon_discrepancies d ON d.id = s.discrepancy_id"
            " WHERE s.cluster_id = ? ORDER BY d.ord",
            (cluster_id,),
        )
    ]
    flags = [
        _flag(json.loads(data), pair)
        for (data,) in store.conn.execute(
            "SELECT data FROM recon_flags WHERE cluster_id = ? ORDER BY ord", (cluster_id,)
        )
    ]
    low, high = _bounds(c.get("interval"), c.get("value"))
    changes = _load(
        store,
        "SELECT data FROM recon_changes WHERE from_cluster = ? OR to_cluster = ? ORDER BY ord",
        (cluster_id, cluster_id),
    )
    return {
        "id": c["id"],
        "type": c["type"],
        "pair": "-".join(c["countries"]),
        "countries": c["countries"],
        "flow": c["flow"],
        "product": c["product"],
        "measure": c["measure"],
        "period": c["period"],
        "canonical_value": c["value"],
        "low": low,
        "high": high,
        "unit": c["unit"],
        "n_sources": c["n_sources"],
        "attrs": c["attrs"],
        "evidence": [source_dict(e) for e in c["evidence"]],
        "discrepancies": discrepancies,
        "flags": flags,
        "changes": changes,
    }


def cluster_of_fact(store: Store, fact_id: int) -> str | None:
    row = store.conn.execute(
        "SELECT cluster_id FROM recon_cluster_facts WHERE fact_id = ?", (int(fact_id),)
    ).fetchone()
    return row[0] if row else None
