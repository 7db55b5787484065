"""The promise ledger (page, API, CSV), a pair's official statistics (API) and the Atom feeds.

/promises             the ledger across pairs          /promises.csv      the same rows as `karavan promises --format csv`
/api/promises         the ledger as JSON (?pair=)      /api/promises/{id} one promise with its history
/api/pairs/{pair}/official   each side's official figures of a flow and product
/feed.atom            new facts, discrepancies and promise status changes; /pairs/{pair}/feed.atom one pair's
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from karavan.export import cite_documents
from karavan.official.discrepancies import official_discrepancies, side_text, with_verdicts
from karavan.official.series import official_series
from karavan.official.store import stamp
from karavan.official.verdicts import verdicts_of
from karavan.promises.cli import STATUS_TEXT
from karavan.promises.store import promise_events, read_promise
from karavan.serve import fmt
from karavan.serve.api_routes import BEFORE_Q, CURSOR_Q, HEAVY_LIMIT_Q, paged_json
from karavan.serve.csv_bodies import PROMISES
from karavan.serve.errors import ApiError, found
from karavan.serve.feeds import Entry, atom, rfc3339
from karavan.serve.i18n import translator
from karavan.serve.json_body import JSONBody
from karavan.serve.lists import discrepancies_capped, promise_page, promise_statements
from karavan.serve.pages import paged_csv, pager, paging_of, path_of, render
from karavan.serve.paging import HEAVY_LIMIT, Paging, list_page
from karavan.serve.queries import norm_pair, pair_known
from karavan.serve.state import StoreHandle
from karavan.store import Store
from karavan.store.db import pair_key

router = APIRouter()
FEED_ENTRIES = 50  # of each kind
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": 'Not found: {"error": {"code", "message"}}'},
    422: {"description": 'Invalid request: {"error": {"code", "message"}}'},
}


def handle(request: Request) -> StoreHandle:
    return request.app.state.handle


@router.get("/promises", response_class=HTMLResponse, include_in_schema=False)
def promises_page(request: Request, pair: str | None = Query(None, max_length=20)) -> HTMLResponse:
    """The ledger a page at a time (?limit=, ?cursor=, ?before=; ?pair=), each promise's statements capped
    (its own page, /promises/{id}, has them all)."""
    key = norm_pair(pair) if pair else None
    page = promise_page(handle(request).store(), paging_of(request, HEAVY_LIMIT), key)
    return render(
        request, "promises.html", cited=(page.rows,), promises=page.rows, pair=key, pg=pager(request, page)
    )


@router.get("/promises/{promise_id}", response_class=HTMLResponse, include_in_schema=False)
def promise_html(request: Request, promise_id: str) -> HTMLResponse:
    """One promise with every statement that declared or restated it (and every source of each), a page
    of statements at a time (?limit=, ?cursor=, ?before=: positions in the promise's own list)."""
    p = found(promise_statements(handle(request).store(), promise_id), "promise", promise_id)
    page = list_page([p["declared"], *p["restatements"]], paging_of(request), "stmt")
    return render(
        request, "promise.html", cited=(page.rows,), promise=p, statements=page.rows, pg=pager(request, page)
    )


@router.get("/promises.csv", include_in_schema=False)
def promises_csv(request: Request, pair: str | None = Query(None, max_length=20)) -> Response:
    """The ledger as `karavan promises --format csv` writes it: every promise streamed a page at a time, or
    with ?limit= one page (the next one's URL in the Link header)."""
    h = handle(request)
    h.refresh()
    return paged_csv(request, h, PROMISES, norm_pair(pair) if pair else None)


@router.get("/api/promises", tags=["api"], responses=ERRORS,
            summary="The promise ledger a page at a time: every declared target, its baseline, growth needed and "
            "since, status and history; its first restatements (n_restatements counts them; /api/promises/{id} "
            "has them all)")  # fmt: skip
def api_promises(
    request: Request,
    pair: str | None = Query(None, max_length=20),
    cursor: str | None = CURSOR_Q,
    before: str | None = BEFORE_Q,
    limit: int = HEAVY_LIMIT_Q,
) -> JSONBody:
    key = norm_pair(pair) if pair else None
    page = promise_page(handle(request).store(), Paging.of(limit, cursor, before), key)
    return paged_json(request, "promises", page)


@router.get(
    "/api/promises/{promise_id}",
    tags=["api"],
    responses=ERRORS,
    summary="One promise with its status history",
)
def api_promise(request: Request, promise_id: str) -> dict[str, Any]:
    h = handle(request)
    h.refresh()
    return found(read_promise(h.store(), promise_id), "promise", promise_id)


@router.get("/api/pairs/{pair}/official", tags=["api"], responses=ERRORS,
            summary="A pair's official statistics of a flow and product: the reporter's own and the partner's mirror")  # fmt: skip
def api_official(
    request: Request,
    pair: str,
    flow: str = Query("turnover", max_length=40),
    product: str = Query("total", max_length=80),
    unit: str = Query("USD", max_length=10),
) -> list[dict[str, Any]]:
    h = handle(request)
    name = norm_pair(pair)
    return h.cached(("official", name, flow, product, unit, stamp(h.store())),
                    lambda: official_series(h.store(), name, flow, product, unit))  # fmt: skip


# -- feeds ---------------------------------------------------------------------------------------------------


def _ingested(store: Store, docs: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    ids = sorted(docs)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        out.update(
            store.conn.execute(
                f"SELECT id, ingested_at FROM documents WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return out


def _money(value: Any, unit: Any, t: Any) -> str:
    return fmt.money(value, unit, t) if value is not None else "—"


def fact_entries(store: Store, base: str, pair: str | None, t: Any) -> list[Entry]:
    if pair:  # the pair's newest facts from its own rows (a rare pair's are not looked for among all facts)
        sql = (
            "SELECT f.id, f.data, d.ingested_at FROM fact_pairs x CROSS JOIN facts f ON f.id = x.fact_id"
            " JOIN documents d ON d.id = f.doc_id WHERE x.pair = ? ORDER BY x.fact_id DESC LIMIT ?"
        )
        rows = store.conn.execute(sql, (pair_key(pair), FEED_ENTRIES)).fetchall()
    else:
        rows = store.conn.execute(
            "SELECT f.id, f.data, d.ingested_at FROM facts f JOIN documents d ON d.id = f.doc_id"
            " ORDER BY f.id DESC LIMIT ?",
            (FEED_ENTRIES,),
        ).fetchall()
    facts = [{"fact_id": r[0], **json.loads(r[1]), "ingested_at": r[2]} for r in rows]
    verdicts = verdicts_of(store, [f["fact_id"] for f in facts])
    titles: dict[str, dict[str, Any]] = {}
    cite_documents(store, {f["doc"] for f in facts}, titles)  # one query for them all
    out = []
    for f in facts:
        doc = titles[f["doc"]]
        v = verdicts.get(f["fact_id"])
        said = side_text({"official": _short(v)}) if v else None
        summary = "\n".join(x for x in (
            f"«{(f.get('quote') or '').strip()}»", f.get("claimant") or "", f"{doc.get('title') or f['doc']}"
            + (f" ({doc.get('published')})" if doc.get("published") else ""),
            f"Official statistics: {said}" if said else "",
        ) if x)  # fmt: skip
        out.append(Entry(
            key=f"fact:{f['doc']}:{f.get('start')}:{f.get('end')}:{f['type']}", kind="fact",
            title=f"{t('type_' + f['type'])}: {fmt.fact_summary(f, t)}", updated=rfc3339(f["ingested_at"]),
            link=f"{base}/facts/{f['fact_id']}", summary=summary,
        ))  # fmt: skip
    return out


def _short(v: dict[str, Any]) -> dict[str, Any]:
    from karavan.official.discrepancies import side_verdict

    return side_verdict(v) or {}


FEED_WALK = 20_000  # member rows of the newest documents read to find the newest discrepancies


def newest_discrepancies(store: Store, pair: str | None, limit: int) -> dict[str, str]:
    """The `limit` press discrepancies (of a pair, 'A-B' sorted) whose evidence was ingested last, id ->
    that time (`updated` of their feed entries: the latest ingest of a document of their sides), newest
    first, then by id: read from the results' side and member tables, no discrepancy decoded. When there
    are more than `limit`, the documents are walked newest ingested first until `limit` are found
    (documents_ingested, at most FEED_WALK member rows); else they are read from their own index."""
    (n,) = store.conn.execute(
        "SELECT count(*) FROM recon_discrepancies WHERE (? IS NULL OR pair = ?)", (pair, pair)
    ).fetchone()
    if n > limit:  # a pair with few discrepancies reads them directly, below
        found: dict[str, str] = {}
        rows = store.conn.execute(
            "SELECT s.discrepancy_id, d.ingested_at FROM documents d INDEXED BY documents_ingested"
            " CROSS JOIN facts f INDEXED BY facts_doc ON f.doc_id = d.id"
            " CROSS JOIN recon_cluster_facts m ON m.fact_id = f.id"
            " CROSS JOIN recon_discrepancy_sides s ON s.cluster_id = m.cluster_id"
            " CROSS JOIN recon_discrepancies x ON x.id = s.discrepancy_id"
            " WHERE d.ingested_at IS NOT NULL AND (? IS NULL OR x.pair = ?) ORDER BY d.ingested_at DESC LIMIT ?",
            (pair, pair, FEED_WALK),
        )
        read, last = 0, ""
        for disc, at in rows:
            read += 1
            if len(found) >= limit and at < last:
                break  # every discrepancy not yet seen was ingested before the `limit` found
            if disc not in found:
                found[disc] = last = at
        else:
            if read == FEED_WALK or len(found) < limit:
                found = {}  # the walk ran out, or some have no ingest time: all read below
        if found:
            return dict(sorted(found.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:limit])
    rows = store.conn.execute(
        "SELECT x.id, max(coalesce(d.ingested_at, '')) AS latest FROM recon_discrepancies x"
        " JOIN recon_discrepancy_sides s ON s.discrepancy_id = x.id"
        " JOIN recon_cluster_facts m ON m.cluster_id = s.cluster_id"
        " LEFT JOIN documents d ON d.id = m.doc"
        " WHERE (? IS NULL OR x.pair = ?) GROUP BY x.id ORDER BY latest DESC, x.id DESC LIMIT ?",
        (pair, pair, limit),
    )
    return {r[0]: r[1] for r in rows}


def discrepancy_entries(h: StoreHandle, base: str, pair: str | None, t: Any) -> list[Entry]:
    """The FEED_ENTRIES newest discrepancies (press and against official statistics), as entries; each side
    quoted by its first source."""
    store = h.store()
    newest = newest_discrepancies(store, pair, FEED_ENTRIES)
    press = with_verdicts(store, discrepancies_capped(store, list(newest), members=1))
    against = official_discrepancies(store, pair)
    docs = {e["doc"] for d in against for s in d["sides"] for e in s.get("evidence") or []}
    when = _ingested(store, docs)
    (imported,) = store.conn.execute("SELECT max(imported_at) FROM official_imports").fetchone()
    out = []
    for d in [*press, *against]:
        if d["id"] in newest and d.get("kind") != "official":
            times = [newest[d["id"]]]
        else:
            times = [when.get(e["doc"]) or "" for s in d["sides"] for e in s.get("evidence") or []]
        if d.get("kind") == "official" and imported:
            times.append(imported)
        values = " vs ".join(_money(s["value"], d.get("unit"), t) for s in d["sides"])
        what = " ".join(x for x in (d.get("flow") or d["type"], d.get("product"), d.get("period")) if x)
        lines = []
        for s in d["sides"]:
            who = (
                s.get("claimant")
                or ", ".join(s.get("claimants") or [])
                or (
                    f"{s['data_of']} statistics"
                    if s.get("official") and "role" in s["official"]
                    else "unattributed"
                )
            )
            quote = (s.get("evidence") or [{}])[0].get("quote")
            lines.append(f"{_money(s['value'], d.get('unit'), t)} — {who}" + (f": «{quote}»" if quote else "")
                         + (f" [{side_text(s)}]" if side_text(s) else ""))  # fmt: skip
        cluster = next((s["cluster_id"] for s in d["sides"] if s.get("cluster_id")), None)
        link = f"{base}/clusters/{cluster}" if cluster else f"{base}/discrepancies#{d['id']}"
        kind = "press against official statistics: " if d.get("kind") == "official" else ""
        out.append(Entry(key=f"discrepancy:{d['id']}", kind="discrepancy",
                         title=f"{d['pair']} {what}: {kind}{values}", updated=rfc3339(max(times, default="")),
                         link=link, summary="\n".join(lines)))  # fmt: skip
    return sorted(out, key=lambda e: (e.updated, e.key), reverse=True)[:FEED_ENTRIES]


def promise_entries(store: Store, base: str, pair: str | None, t: Any) -> list[Entry]:
    out = []
    for e in promise_events(store, pair, FEED_ENTRIES):
        p = e["promise"] or {}
        level = _money(p.get("level"), p.get("unit"), t) if p.get("level") else f"x{p.get('factor')}"
        change = (f"{STATUS_TEXT.get(e['previous'], e['previous'])} → " if e["previous"] else "") + STATUS_TEXT.get(
            e["status"], e["status"])  # fmt: skip
        out.append(Entry(
            key=f"promise:{e['promise_id']}:{e['at']}:{e['status']}:{e['previous'] or ''}", kind="promise",
            title=f"{e['pair']} target {level}{' by ' + p['by'] if p.get('by') else ''}: {change}",
            updated=rfc3339(e["noticed"]), link=f"{base}/promises#promise-{e['promise_id']}",
            summary=f"{e['at']}: {e['reason']}",
        ))  # fmt: skip
    return out


def feed_response(request: Request, pair: str | None) -> Response:
    h = handle(request)
    base = str(request.base_url).rstrip("/")
    t = translator("en")

    def build() -> bytes:
        store = h.store()
        entries = fact_entries(store, base, pair, t) + discrepancy_entries(h, base, pair, t)
        entries += promise_entries(store, base, pair, t)
        page = f"{base}{path_of('pairs', pair)}" if pair else f"{base}/"
        self_url = f"{page}/feed.atom" if pair else f"{base}/feed.atom"
        title = t("feed_pair", pair=pair) if pair else t("feed_all")
        return atom(pair or "all", title, self_url, page, entries)

    body = h.cached(("feed", pair, base, stamp(h.store())), build)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/feed.atom", include_in_schema=False)
def feed(request: Request) -> Response:
    return feed_response(request, None)


@router.get("/pairs/{pair}/feed.atom", include_in_schema=False)
def pair_feed(request: Request, pair: str) -> Response:
    a, b = sorted(norm_pair(pair).split("-"))
    name = f"{a}-{b}"
    store = handle(request).store()
    has_promises = store.conn.execute("SELECT 1 FROM promises WHERE pair = ? LIMIT 1", (name,)).fetchone()
    if not pair_known(store, a, b) and not has_promises:
        raise ApiError(404, "not_found", f"no facts for the pair {name} in this store")
    return feed_response(request, name)
