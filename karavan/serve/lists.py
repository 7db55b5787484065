"""The server's long lists as keyset pages read in SQL (karavan/serve/paging.py): discrepancies, meetings,
promises and a person's timeline. Only the rows of a page are decoded; a page counts its list from an index.

Big members of a row are capped: a promise shows its first MEMBERS restatements (and their sources), with
their count; the whole promise stays at /api/promises/{id} and its statements at /promises/{id}.
"""

from __future__ import annotations

import json
from typing import Any

from karavan.official.discrepancies import official_discrepancies, with_verdicts
from karavan.promises.heads import HEAD_MEMBERS, capped
from karavan.reconcile.people_store import meeting_blocks, meeting_dict
from karavan.reconcile.results_store import HEAD_SOURCES
from karavan.serve.paging import Order, Page, Paging, read_page
from karavan.serve.queries import month_bound
from karavan.store import Store, parse_pair

MEMBERS = HEAD_MEMBERS  # restatements of a promise, sources of a statement shown in a list

DISCREPANCIES = Order("disc", (("x.ord", False),))
MEETINGS = Order("meet", (("(c.period IS NULL)", False), ("coalesce(c.period, '')", True), ("c.id", False)))
PROMISES = Order("prom", (("p.ord", False),))
DOCUMENTS = Order("docs", (("(d.published IS NULL)", False), ("d.published", True), ("d.id", False)))
TIMELINE = Order("time", (("(t.date IS NULL)", False), ("coalesce(t.date, '')", False), ("t.kind", False),
                          ("t.fact_id", False)))  # fmt: skip


def pair_block(pair: str | None) -> str | None:
    """'TJ-KZ' -> 'KZ-TJ' (the results' `pair`: codes sorted), None for None."""
    return "-".join(sorted(parse_pair(pair))) if pair else None


def period_where(column: str, period_from: str | None, period_to: str | None) -> tuple[list[str], list[Any]]:
    """Conditions on a 'YYYY-MM/YYYY-MM' column: periods ending on or after `period_from`, starting on or
    before `period_to` (YYYY or YYYY-MM)."""
    where: list[str] = []
    args: list[Any] = []
    if period_from:
        where.append(f"{column} IS NOT NULL AND substr({column}, 9, 7) >= ?")
        args.append(month_bound(period_from, end=False))
    if period_to:
        where.append(f"{column} IS NOT NULL AND substr({column}, 1, 7) <= ?")
        args.append(month_bound(period_to, end=True))
    return where, args


# -- discrepancies ---------------------------------------------------------------------------------------


def discrepancy_page(
    store: Store,
    paging: Paging,
    pair: str | None = None,
    type: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
) -> Page:
    """A page of press discrepancies in the store's order (recon_discrepancies.ord), each side with its
    official verdict; the first page (no cursor) is followed by the press-against-official ones
    (Page.extra["official"]: few, computed from the verdicts)."""
    key = pair_block(pair)
    where, args = period_where("x.period", period_from, period_to)
    if key:
        where.insert(0, "x.pair = ?")
        args.insert(0, key)
    if type:
        where.append("x.type = ?")
        args.append(type)
    page = read_page(store.conn, DISCREPANCIES, "SELECT x.id FROM recon_discrepancies x", where, args, paging)
    (total,) = store.conn.execute(
        f"SELECT count(*) FROM recon_discrepancies x{' WHERE ' + ' AND '.join(where) if where else ''}", args
    ).fetchone()
    first = paging.cursor is None and paging.before is None and not (type or period_from or period_to)
    page.rows = with_verdicts(store, discrepancies_capped(store, [r[0] for r in page.rows]))  # type: ignore[assignment]
    official = official_discrepancies(store, key) if first else []
    page.total = int(total)
    page.extra["official"] = official
    return page


def discrepancies_capped(store: Store, ids: list[str], members: int = MEMBERS) -> list[dict[str, Any]]:
    """The discrepancies of `ids` (a page of them) as read_discrepancies_of gives them, in the order of
    `ids`, but each side with the first `members` sources of its cluster and their count (`n_evidence`):
    the sources are cut in SQL, so a cluster of 600 is not decoded for 5."""
    from karavan.reconcile.store_bridge import side_dict

    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    data = dict(  # their heads: each side is shown by its cluster's first sources, not its every quote
        store.conn.execute(
            f"SELECT id, coalesce(head, data) FROM recon_discrepancies WHERE id IN ({marks})", ids
        ).fetchall()
    )
    rows = [json.loads(data[i]) for i in ids if i in data]
    of_sides = sorted({s["cluster_id"] for d in rows for s in d["sides"]})
    clusters = clusters_capped(store, of_sides, members, fields=())  # a side shows its cluster's sources only
    out = []
    for d in rows:
        sides = []
        for side in d["sides"]:
            c = clusters.get(side["cluster_id"], {"evidence": [], "n_evidence": 0})
            sides.append({**side_dict(side, {"evidence": c["evidence"]}), "n_evidence": c["n_evidence"]})
        out.append({
            "id": d["id"], "type": d["type"], "pair": "-".join(d["countries"]), "flow": d["flow"],
            "product": d["product"], "unit": d["unit"], "measure": d["measure"], "period": d["period"],
            "spread_pct": d["spread_pct"], "sides": sides,
        })  # fmt: skip
    return out


def clusters_capped(
    store: Store, ids: list[str], members: int, fields: tuple[str, ...] | None = None
) -> dict[str, dict[str, Any]]:
    """The clusters of `ids`, each with its first `members` sources only (`n_evidence`: all of them), the
    rest cut in SQL before decoding (json_remove, and one json_extract of every path wanted). Up to
    HEAD_SOURCES they are cut from the clusters' heads (results_store.cluster_head: the data with its first
    sources only; NULL when the data is no longer), not from data that may hold thousands. The count is the
    cluster's n_facts (clusters.py: its members, one source each). With `fields`, each cluster holds only
    those of its fields (None where it has none) beside its sources: one json_extract, the rest of the
    cluster (its attributes, a kilobyte or more) neither copied by SQLite nor decoded."""
    source = "coalesce(c.head, c.data)" if members <= HEAD_SOURCES else "c.data"
    evidence_paths = [f"'$.evidence[{i}]'" for i in range(max(members, 1))]
    if fields is None:
        paths = ", ".join(evidence_paths if members > 1 else [*evidence_paths, "'$.evidence[1]'"])
        select = f"json_remove({source}, '$.evidence'), json_extract({source}, {paths})"  # 2+: an array
    else:
        wanted = ", ".join(["'$.n_facts'", *(f"'$.{f}'" for f in fields), *evidence_paths])
        select = f"NULL, json_extract({source}, {wanted})"
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for cid, data, extracted in store.conn.execute(
            f"SELECT c.id, {select} FROM recon_clusters c WHERE c.id IN ({marks})", chunk
        ):
            values = json.loads(extracted)
            if fields is None:
                cluster = json.loads(data)
                n, first = cluster.get("n_facts"), values
            else:
                cluster = dict(zip(fields, values[1 : 1 + len(fields)], strict=True))
                n, first = values[0], values[1 + len(fields) :]
            if n is None:  # not written by clusters.py: counted
                (n,) = store.conn.execute(
                    "SELECT json_array_length(data, '$.evidence') FROM recon_clusters WHERE id = ?", (cid,)
                ).fetchone()
            evidence = [e for e in first if e is not None][:members]
            out[cid] = {**cluster, "evidence": evidence, "n_evidence": n}
    return out


POINT_FIELDS = ("id", "n_sources", "interval", "value")
"""What a series' point reads of its clusters besides their sources (store_bridge._point)."""


def series_capped(store: Store, pair: str, flow: str = "turnover", product: str = "total",
                  members: int = MEMBERS) -> dict[str, Any]:  # fmt: skip
    """store_bridge.read_series, each point with the first `members` sources of each of its clusters
    (`n_sources` counts them all; /api/clusters/{id} lists them): a big pair's series has thousands."""
    from karavan.reconcile.store_bridge import read_series

    return read_series(
        store, pair, flow, product, lambda s, ids: clusters_capped(s, ids, members, fields=POINT_FIELDS)
    )


# -- meetings --------------------------------------------------------------------------------------------


def meeting_page(
    store: Store,
    paging: Paging,
    pair: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    sources: int | None = MEMBERS,
) -> Page:
    """A page of meetings (one a meeting however many sites report it), newest first, undated last; each
    with its first `sources` sources (all with None) and their count (`n_sources`)."""
    page = meeting_ids(store, paging, pair, period_from, period_to)
    clusters = clusters_in_order(store, [r[0] for r in page.rows], sources)
    page.rows = [meeting_dict(c, sources) for c in clusters]  # type: ignore[misc]
    return page


def meeting_ids(
    store: Store,
    paging: Paging,
    pair: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
) -> Page:
    """meeting_page's page with its rows the (cluster id,) of each meeting, undecoded, and its total."""
    where, args = ["c.type = 'meeting'"], []
    if pair:  # the blocks naming both countries
        blocks = meeting_blocks(store, pair)
        where.append(f"c.pair IN ({', '.join('?' * len(blocks))})")
        args += blocks
    if period_from:  # a meeting's period is its day (or month): compared as a prefix
        where.append("c.period IS NOT NULL AND substr(c.period, 1, 7) >= ?")
        args.append(month_bound(period_from, end=False))
    if period_to:
        where.append("c.period IS NOT NULL AND substr(c.period, 1, 7) <= ?")
        args.append(month_bound(period_to, end=True))
    page = read_page(
        store.conn,
        MEETINGS,
        "SELECT c.id FROM recon_clusters c INDEXED BY recon_clusters_recent",
        where,
        args,
        paging,
    )
    (total,) = store.conn.execute(  # a range of the (type, pair) index a block
        f"SELECT count(*) FROM recon_clusters c INDEXED BY recon_clusters_type WHERE {' AND '.join(where)}",
        args,
    ).fetchone()
    page.total = int(total)
    return page


def clusters_in_order(store: Store, ids: list[str], sources: int | None = None) -> list[dict[str, Any]]:
    """The clusters of `ids` (at most a page of them), decoded, in the order of `ids`; with `sources` up to
    HEAD_SOURCES, their heads (their first sources only: results_store.cluster_head)."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    column = "coalesce(head, data)" if sources is not None and sources <= HEAD_SOURCES else "data"
    data = dict(
        store.conn.execute(f"SELECT id, {column} FROM recon_clusters WHERE id IN ({marks})", ids).fetchall()
    )
    return [json.loads(data[i]) for i in ids if i in data]


# -- promises --------------------------------------------------------------------------------------------


def restated(p: dict[str, Any], n: int | None, first: str | None) -> dict[str, Any]:
    """A promise read without its restatements, given back the first of them and their count."""
    if n is not None:
        p["restatements"] = json.loads(first or "[]")
        p["n_restatements"] = n
    return p


ALL_ROWS = 1 << 62  # a row_number() no list reaches: every change of a promise


def histories(store: Store, ids: list[str], members: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The kept status history of each promise of `ids` (as promises.store gives it: current first, then by
    date); with `members`, only the latest `members` changes of each, in that order (`history_counts`
    says how many there are)."""
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ", ".join("?" * len(ids))
    rows = store.conn.execute(
        "SELECT promise_id, at, status, previous, reason, noticed, current FROM (SELECT *, row_number() OVER"
        " (PARTITION BY promise_id ORDER BY current DESC, at DESC, id DESC) AS latest FROM promise_history"
        f" WHERE promise_id IN ({marks})) WHERE latest <= ? ORDER BY promise_id, current DESC, at, id",
        [*ids, ALL_ROWS if members is None else members],
    )
    for pid, at, status, previous, reason, noticed, current in rows:
        out[pid].append({"at": at, "status": status, "previous": previous, "reason": reason, "noticed": noticed,
                         "current": bool(current)})  # fmt: skip
    return out


def current_changes(store: Store, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """What a promise's CSV row lists of its history (promise_cells): each current change's date and status,
    by date, as `histories` orders them; read from one index (migration 21), no window over the changes no
    longer given (a big pair's promise has hundreds)."""
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ", ".join("?" * len(ids))
    rows = store.conn.execute(
        f"SELECT promise_id, at, status FROM promise_history WHERE promise_id IN ({marks}) AND current = 1"
        " ORDER BY promise_id, at, id",  # promise_history_current (migration 21)
        ids,
    )
    for pid, at, status in rows:
        out[pid].append({"at": at, "status": status})
    return out


def history_counts(store: Store, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(
        store.conn.execute(
            f"SELECT promise_id, count(*) FROM promise_history WHERE promise_id IN ({marks}) GROUP BY promise_id",
            ids,
        ).fetchall()
    )


def promise_page(
    store: Store, paging: Paging, pair: str | None = None, members: int | None = MEMBERS
) -> Page:
    """A page of the promise ledger in its order (of one pair, either order, when given), each promise with
    its status history and its statements capped (`capped`)."""
    key = pair_block(pair)
    where, args = (["p.pair = ?"], [key]) if key else ([], [])
    if members is None:
        page = read_page(
            store.conn, PROMISES, "SELECT p.id, p.data, NULL, NULL, 0 FROM promises p", where, args, paging
        )
    else:  # a list's form read from the head (promises/heads.py); else the restatements cut in SQL: a
        # promise restated 600 times is not decoded for 3
        head = "p.head" if members == HEAD_MEMBERS else "NULL"
        page = read_page(
            store.conn, PROMISES,
            f"SELECT p.id, coalesce({head}, json_remove(p.data, '$.restatements', '$.history')),"
            f" CASE WHEN {head} IS NULL THEN json_array_length(p.data, '$.restatements') END,"
            f" CASE WHEN {head} IS NULL THEN (SELECT json_group_array(json(r.value)) FROM (SELECT value"
            f" FROM json_each(p.data, '$.restatements') LIMIT ?) AS r) END, {head} IS NOT NULL FROM promises p",
            where, args, paging, select_args=(members,),
        )  # fmt: skip
    (total,) = store.conn.execute(
        f"SELECT count(*) FROM promises p{' WHERE p.pair = ?' if key else ''}", args
    ).fetchone()
    ids = [r[0] for r in page.rows]
    history = histories(store, ids, members and 2 * members)
    counts = history_counts(store, ids) if members is not None else {}
    page.rows = [  # type: ignore[misc]
        {**(json.loads(data) if is_head else capped(restated(json.loads(data), n, first), members)),
         "history": history[pid], "n_history": counts.get(pid, len(history[pid]))}
        for pid, data, n, first, is_head in page.rows
    ]  # fmt: skip
    page.total = int(total)
    return page


def promise_statements(store: Store, promise_id: str) -> dict[str, Any] | None:
    """A promise (its history included) with every statement, for its own page; None if unknown."""
    row = store.conn.execute("SELECT data FROM promises WHERE id = ?", (promise_id,)).fetchone()
    if row is None:
        return None
    return {**capped(json.loads(row[0]), None), "history": histories(store, [promise_id])[promise_id]}


# -- a person's timeline ---------------------------------------------------------------------------------

# one row a cluster the person meets in or speaks in: its date (a meeting's period; a statement's date of
# publication, of the first of its sources the person claims), kind, and the fact of that source
TIMELINE_ROWS = """(
    SELECT 'meeting' AS kind, p.cluster_id AS cluster_id, p.period AS date,
        (SELECT m.fact_id FROM recon_cluster_facts m WHERE m.cluster_id = p.cluster_id ORDER BY m.ord LIMIT 1)
        AS fact_id
    FROM recon_people p WHERE p.name = ? AND p.kind = 'meeting'
    UNION ALL
    SELECT 'statement', s.cluster_id, coalesce(d.published, r.published, CAST(r.year AS TEXT)), s.fact_id
    FROM (SELECT p.cluster_id, (SELECT m.fact_id FROM recon_cluster_facts m CROSS JOIN facts f ON f.id = m.fact_id
            WHERE m.cluster_id = p.cluster_id AND f.claimant = ? ORDER BY m.ord LIMIT 1) AS fact_id
          FROM recon_people p WHERE p.name = ? AND p.kind = 'statement') AS s
    CROSS JOIN facts f ON f.id = s.fact_id LEFT JOIN documents d ON d.id = f.doc_id
    LEFT JOIN recon_docs r ON r.doc = f.doc_id
) AS t"""


def timeline_page(store: Store, name: str, paging: Paging) -> Page:
    """A page of `name`'s meetings and statements, oldest first (undated last), each with its quote."""
    page = read_page(
        store.conn,
        TIMELINE,
        f"SELECT t.kind, t.cluster_id, t.date, t.fact_id FROM {TIMELINE_ROWS}",
        [],
        [],
        paging,
        select_args=(name, name, name),
    )
    clusters = {c["id"]: c for c in clusters_in_order(store, sorted({r[1] for r in page.rows}))}
    out = []
    for kind, cluster_id, date, fact_id in page.rows:
        c = clusters[cluster_id]
        e = next((e for e in c["evidence"] if int(e["fact_id"]) == fact_id), c["evidence"][0])
        others = [p for p in c["attrs"].get("participants", []) if p != name] if kind == "meeting" else []
        out.append({
            "date": date, "kind": kind, "fact_id": int(e["fact_id"]), "doc": e["doc"], "quote": e["quote"],
            "start": e.get("start"), "end": e.get("end"), "with": others,
            "place": (c["attrs"].get("places") or [None])[0], "cluster_id": c["id"], "type": c["type"],
            "pair": "-".join(c["countries"]), "period": c["period"], "value": c["value"], "unit": c["unit"],
            "n_sources": c["n_sources"], "docs": sorted({ev["doc"] for ev in c["evidence"]}),
        })  # fmt: skip
    page.rows = out  # type: ignore[assignment]
    return page


# -- documents -------------------------------------------------------------------------------------------


def documents_page_of(store: Store, paging: Paging) -> Page:
    """A page of documents newest first (undated last), with their headline (documents_recent's order)."""
    from karavan.headline import HEAD_CHARS, headline

    page = read_page(
        store.conn, DOCUMENTS,
        "SELECT d.id, d.published, d.source, d.lang, d.n_facts, d.url, substr(d.text, 1, ?), d.excluded, d.meta"
        " FROM documents d INDEXED BY documents_recent", [], [], paging, select_args=(HEAD_CHARS,),
    )  # fmt: skip
    page.rows = [  # type: ignore[misc]
        {"id": r[0], "published": r[1], "source": r[2], "lang": r[3], "facts": r[4], "url": r[5],
         "title": headline(r[6], r[7], r[8])}
        for r in page.rows
    ]  # fmt: skip
    return page
