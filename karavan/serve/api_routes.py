"""The read-only HTTP API: facts, clusters, pairs, series, discrepancies, documents, people."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from karavan.export import cite
from karavan.official.series import attach_official
from karavan.serve.errors import found
from karavan.serve.json_body import JSONBody
from karavan.serve.lists import discrepancy_page, series_capped, timeline_page
from karavan.serve.paging import DEFAULT_LIMIT, HEAVY_LIMIT, MAX_LIMIT, Page, Paging, link_header
from karavan.serve.queries import FactFilter, document, fact_page, facts_csv, norm_pair
from karavan.serve.state import StoreHandle

router = APIRouter(prefix="/api", tags=["api"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": 'Not found: {"error": {"code", "message"}}'},
    422: {"description": 'Invalid request: {"error": {"code", "message"}}'},
}


def handle(request: Request) -> StoreHandle:
    return request.app.state.handle


@router.get(
    "/facts",
    responses=ERRORS,
    summary="Facts, filtered, in id order, a page at a time; each cited (document title, url, date, source; cluster id; flags)",
)
def list_facts(
    request: Request,
    pair: str | None = Query(None, description="two ISO codes, e.g. KZ-TJ (either order)", max_length=20),
    type: str | None = Query(None, description="trade, target, meeting, ...", max_length=40),
    flow: str | None = Query(None, description="turnover, export, import", max_length=40),
    product: str | None = Query(None, max_length=80),
    period_from: str | None = Query(
        None, description="YYYY or YYYY-MM: periods ending on or after", max_length=20
    ),
    period_to: str | None = Query(
        None, description="YYYY or YYYY-MM: periods starting on or before", max_length=20
    ),
    lang: str | None = Query(None, description="ru, kk, en", max_length=10),
    doc: str | None = Query(None, description="document id", max_length=500),
    claimant: str | None = Query(None, description="who said it (case-insensitive)", max_length=200),
    q: str | None = Query(None, description="text in the quote (case-insensitive)", max_length=200),
    country: str | None = Query(None, description="an ISO code: facts naming that country", max_length=10),
    cursor: str | None = Query(None, description="next_cursor of the previous page", max_length=100),
    limit: int = Query(100, ge=1, le=1000),
    format: Literal["json", "csv"] = Query("json"),
) -> Response:
    flt = FactFilter(pair, type, flow, product, period_from, period_to, lang, doc, claimant, q, country)
    h = handle(request)
    h.refresh()
    store = h.store()
    facts, following = fact_page(store, flt, limit, cursor)
    # each with its document's title, url, date, source (remembered until the store changes); cluster; flags
    facts = list(cite(facts, store, h.cached(("cited-docs",), dict)))
    link = {}
    if following:  # the next page's URL, the request's filters kept (RFC 8288)
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        link = {"Link": f'<{request.url.path}?{urlencode([*params, ("cursor", following)])}>; rel="next"'}
    if format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="facts.csv"', **link}
        if following:
            headers["X-Next-Cursor"] = following
        return Response(facts_csv(facts), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONBody({"facts": facts, "count": len(facts), "next_cursor": following}, headers=link or None)


@router.get("/clusters/{cluster_id}", responses=ERRORS, summary="A fact cluster: every quote stating it")
def get_cluster(request: Request, cluster_id: str) -> dict[str, Any]:
    return found(handle(request).read("read_cluster", cluster_id), "cluster", cluster_id)


@router.get("/pairs", summary="Country pairs: latest full-year turnover, target, progress, sources")
def list_pairs(request: Request) -> list[dict[str, Any]]:
    return handle(request).read("read_pairs")


@router.get(
    "/pairs/{pair}/series",
    responses=ERRORS,
    summary="A pair's trade series and target, each point with the official figures of its period and the first "
    "sources of each of its clusters (n_sources counts them all; /api/clusters/{id} lists them)",
)
def get_series(
    request: Request,
    pair: str,
    flow: str = Query("turnover", max_length=40),
    product: str = Query("total", max_length=80),
) -> dict[str, Any]:
    h = handle(request)
    return attach_official(h.store(), series_capped(h.store(), norm_pair(pair), flow, product))


CURSOR_Q = Query(None, description="next_cursor of the previous answer: the page after it", max_length=400)
BEFORE_Q = Query(None, description="prev_cursor of an answer: the page before it", max_length=400)
LIMIT_Q = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"rows a page (at most {MAX_LIMIT})")
HEAVY_LIMIT_Q = Query(HEAVY_LIMIT, ge=1, le=MAX_LIMIT, description=f"rows a page (at most {MAX_LIMIT})")


def paged_json(request: Request, key: str, page: Page, **head: Any) -> JSONBody:
    """A page as {key: rows, count, total, next_cursor, prev_cursor}, the pages around it in a Link header."""
    link = link_header(request.url.path, list(request.query_params.multi_items()), page)
    body = {**head, key: page.rows, **page.meta()}
    return JSONBody(body, headers={"Link": link} if link else None)


@router.get(
    "/discrepancies",
    responses=ERRORS,
    summary="Figures the sources disagree on (kind press), a page at a time in the store's order; the first page "
    "also has the press figures no official statistics match (kind official)",
)
def list_discrepancies(
    request: Request,
    pair: str | None = Query(None, max_length=20),
    type: str | None = Query(None, max_length=40),
    period_from: str | None = Query(
        None, description="YYYY or YYYY-MM: periods ending on or after", max_length=20
    ),
    period_to: str | None = Query(
        None, description="YYYY or YYYY-MM: periods starting on or before", max_length=20
    ),
    cursor: str | None = CURSOR_Q,
    before: str | None = BEFORE_Q,
    limit: int = HEAVY_LIMIT_Q,
) -> JSONBody:
    key = norm_pair(pair) if pair else None
    page = discrepancy_page(handle(request).store(), Paging.of(limit, cursor, before), key, type, period_from,
                            period_to)  # fmt: skip
    page.rows = page.rows + page.extra["official"]
    return paged_json(request, "discrepancies", page)


@router.get(
    "/documents/{doc_id:path}", responses=ERRORS, summary="A document: text, chrome spans, fact spans"
)
def get_document(request: Request, doc_id: str) -> dict[str, Any]:
    return found(document(handle(request).store(), doc_id), "document", doc_id)


@router.get("/people", summary="People quoted or meeting in the documents")
def list_people(request: Request) -> list[dict[str, Any]]:
    return handle(request).read("read_people")


@router.get("/people/{person}", responses=ERRORS,
            summary="A person's meetings and statements over time, oldest first, a page of the timeline at a time")  # fmt: skip
def get_person(
    request: Request,
    person: str,
    cursor: str | None = CURSOR_Q,
    before: str | None = BEFORE_Q,
    limit: int = LIMIT_Q,
) -> JSONBody:
    from karavan.serve.pages import person_head

    h = handle(request)
    head = found(person_head(h, person), "person", person)
    page = timeline_page(h.store(), head["name"], Paging.of(limit, cursor, before))
    page.total = head["meetings"] + head["statements"]
    return paged_json(request, "timeline", page, **head)
