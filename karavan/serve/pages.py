"""Server-rendered pages (Jinja2, autoescaped): overview, pair, document, fact/cluster, discrepancies, search."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from karavan.ingest.errors import KaravanError
from karavan.serve import fmt
from karavan.serve.chart import build_chart
from karavan.serve.errors import ApiError, found
from karavan.serve.i18n import COOKIE, request_lang, translator
from karavan.serve.queries import FactFilter, document, get_fact, recent_facts, row_id, search_documents
from karavan.serve.spans import segments
from karavan.serve.state import StoreHandle
from karavan.store import parse_pair

router = APIRouter(include_in_schema=False)
ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
PAIR_FACT_LIMIT = 100
PAIR_MEETING_LIMIT = 30


def safe_url(url: Any) -> str | None:
    """An http(s) URL a page may link to; anything else (javascript:, data:, ...) is shown as text only."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def path_of(kind: str, ident: Any) -> str:
    return f"/{kind}/{quote(str(ident), safe='')}"


ENV.filters["money"] = lambda v, unit, t: fmt.money(v, unit, t)
ENV.filters["period"] = fmt.period
ENV.globals.update(path_of=path_of, safe_url=safe_url)


def handle(request: Request) -> StoreHandle:
    return request.app.state.handle


def render_html(request: Request, template: str, **context: Any) -> str:
    lang, _ = request_lang(request)
    t = translator(lang)
    here = request.url.path
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = {code: here + "?" + urlencode([*params, ("lang", code)]) for code in ("en", "ru")}
    return ENV.get_template(template).render(
        t=t, lang=lang, switch=switch, fact_summary=lambda f: fmt.fact_summary(f, t), here=here, **context
    )


def respond(request: Request, html: str, status: int = 200) -> HTMLResponse:
    lang, explicit = request_lang(request)
    response = HTMLResponse(html, status_code=status)
    if explicit:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return respond(request, render_html(request, template, **context), status)


def page_key(request: Request) -> tuple[str, ...]:
    """What a rendered page depends on besides the store: its path, query and interface language."""
    return ("page", request.url.path, request.url.query, request_lang(request)[0])


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    h = handle(request)
    html = h.cached(
        page_key(request), lambda: render_html(request, "overview.html", pairs=h.read("read_pairs"))
    )
    return respond(request, html)


@router.get("/pairs/{pair}", response_class=HTMLResponse)
def pair_page(request: Request, pair: str) -> HTMLResponse:
    try:
        a, b = parse_pair(pair)
    except KaravanError:
        raise ApiError(404, "not_found", f"no pair {pair!r}") from None
    name = f"{a}-{b}"
    h = handle(request)
    return respond(request, h.cached(page_key(request), lambda: _pair_html(request, h, name, a, b)))


def _pair_html(request: Request, h: StoreHandle, name: str, a: str, b: str) -> str:
    lang, _ = request_lang(request)
    t = translator(lang)
    series = h.read("read_series", name, "turnover", "total")
    chart = build_chart(series, t, lambda cid: path_of("clusters", cid))
    store = h.store()
    facts = recent_facts(store, FactFilter(pair=name), PAIR_FACT_LIMIT)
    agreements = recent_facts(store, FactFilter(pair=name, type="agreement"), PAIR_FACT_LIMIT)
    meetings = h.read("read_meetings", name)
    n_meetings = len(meetings)
    meetings = meetings[:PAIR_MEETING_LIMIT]
    summary = next((p for p in h.read("read_pairs") if set(p.get("countries") or []) == {a, b}), None)
    return render_html(
        request, "pair.html", pair=name, series=series, chart=chart, facts=facts, meetings=meetings,
        agreements=agreements, summary=summary, limit=PAIR_FACT_LIMIT, n_meetings=n_meetings,
    )  # fmt: skip


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    doc = found(document(handle(request).store(), doc_id), "document", doc_id)
    parts = segments(doc["text"], doc["excluded"], doc["facts"])
    return render(request, "document.html", doc=doc, parts=parts)


@router.get("/facts/{fact_id}", response_class=HTMLResponse)
def fact_page_html(request: Request, fact_id: int) -> Response:
    h = handle(request)
    fact = found(get_fact(h.store(), fact_id) if row_id(fact_id) else None, "fact", fact_id)
    cluster_id = h.read("cluster_of_fact", fact_id)
    if cluster_id:
        lang = request.query_params.get("lang")
        suffix = f"?{urlencode({'lang': lang})}" if lang else ""
        return RedirectResponse(f"{path_of('clusters', cluster_id)}{suffix}#fact-{fact_id}", status_code=303)
    return render(request, "fact.html", fact=fact)


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: str) -> HTMLResponse:
    h = handle(request)
    cluster = found(h.read("read_cluster", cluster_id), "cluster", cluster_id)
    ids = set(cluster.get("discrepancies") or [])
    discrepancies = [d for d in h.read("read_discrepancies", None) if d.get("id") in ids]
    return render(request, "cluster.html", cluster=cluster, discrepancies=discrepancies)


@router.get("/discrepancies", response_class=HTMLResponse)
def discrepancies_page(request: Request) -> HTMLResponse:
    return render(
        request, "discrepancies.html", discrepancies=handle(request).read("read_discrepancies", None)
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
    q = q.strip()
    facts, docs = [], []
    if q:
        store = handle(request).store()
        facts = recent_facts(store, FactFilter(q=q), 100)
        docs = search_documents(store, q)
    return render(request, "search.html", q=q, facts=facts, docs=docs)


@router.get("/people/{person}", response_class=HTMLResponse)
def person_page(request: Request, person: str) -> HTMLResponse:
    return render(
        request, "person.html", person=found(handle(request).read("read_person", person), "person", person)
    )


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """A self-hosted list of the API's endpoints, from the OpenAPI schema (no CDN, no script)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            params = [
                (p.get("name"), p.get("in"), p.get("description") or "") for p in op.get("parameters", [])
            ]
            endpoints.append(
                {"method": method.upper(), "path": path, "summary": op.get("summary") or "", "params": params}
            )
    return render(request, "docs.html", endpoints=endpoints, title=schema.get("info", {}).get("title", ""))
