"""Server-rendered pages (Jinja2, autoescaped): overview, pair, document, fact/cluster, discrepancies, search."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from karavan.export import cite_documents, documents_cited, spreadsheet_safe
from karavan.ingest.errors import KaravanError
from karavan.lookup import lexicon_names, people_matching
from karavan.official.series import attach_official, official_columns
from karavan.serve import exports_ahead, fmt
from karavan.serve.chart import build_chart
from karavan.serve.csv_bodies import CSV_BATCH, DOCUMENTS, MEETINGS, ListExport, facts_chunks, facts_text
from karavan.serve.errors import ApiError, found
from karavan.serve.i18n import COOKIE, LANGS, request_lang, translator
from karavan.serve.lists import (
    discrepancy_page,
    meeting_page,
    promise_page,
    series_capped,
    timeline_page,
)
from karavan.serve.paging import HEAVY_LIMIT, MAX_LIMIT, Page, Paging, count, decode, encode, page_links
from karavan.serve.queries import (
    FILTER_KEYS,
    PAGE_PARAM,
    FactFilter,
    decode_cursor,
    document,
    document_list,
    encode_cursor,
    fact_options,
    fact_page,
    facts_by_ids,
    get_fact,
    latest_figures,
    month_bound,
    norm_pair,
    pair_known,
    recency_of,
    recent_facts,
    row_id,
)
from karavan.serve.search import search
from karavan.serve.spans import segments
from karavan.serve.state import StoreHandle
from karavan.store import parse_pair
from karavan.store.db import pair_key

router = APIRouter(include_in_schema=False)
ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates are the package's: never looked at again on disk at each render
)


def warm() -> None:
    """Load what the first pages would load lazily: every template compiled, and each interface language's
    strings and Babel locale data (a number, a date and a period formatted in it). serve/heap.py runs this
    before it settles the heap."""
    for name in ENV.list_templates():
        ENV.get_template(name)
    for lang in LANGS:
        t = translator(lang)
        fmt.amount(1.4e9, t)
        fmt.date("2024-11-12", t)
        fmt.period("2024-01/2024-09", t)


# a pair page previews each of its lists, each with a link to the whole list a page at a time
PAIR_FACT_LIMIT = 20  # newest facts (then `next`: /facts?pair=)
PAIR_AGREEMENT_LIMIT = 20  # newest agreements (then `next`: /facts?pair=&type=agreement)
PAIR_MEETING_LIMIT = 10  # newest meetings (then /meetings?pair=)
PAIR_PROMISE_LIMIT = 5  # the ledger's first promises (then /promises?pair=)


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
ENV.filters["amount"] = lambda v, t: fmt.amount(v, t)
ENV.filters["number"] = lambda v, t: fmt.number(v, t)
ENV.filters["period"] = lambda v, t=None: fmt.period(v, t)
ENV.filters["date"] = lambda v, t=None: fmt.date(v, t)
ENV.filters["word"] = lambda v, t, group: fmt.word(t, group, v)
ENV.globals.update(path_of=path_of, safe_url=safe_url)
DOCS_PER_PAGE = 100
FACTS_PER_PAGE = 100


def handle(request: Request) -> StoreHandle:
    return request.app.state.handle


CITING = ("sides", "evidence", "sources", "declared", "restatements")  # fields that hold cited rows


def doc_ids(*shown: Any) -> set[str]:
    """The documents `shown` (lists of rows) cite: each row's `doc` (an id) and `docs` (a list of ids), and
    those of the rows in its CITING fields (a discrepancy's sides' evidence, a promise's statements'
    sources), however nested; no other field is walked (a promise's history, a series' points)."""
    out: set[str] = set()
    stack = list(shown)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            doc, docs = item.get("doc"), item.get("docs")
            if isinstance(doc, str):
                out.add(doc)
            if isinstance(docs, list):
                out.update(d for d in docs if isinstance(d, str))
            stack.extend(v for k in CITING if isinstance(v := item.get(k), dict | list))
    return out


def titles(h: StoreHandle, ahead: set[str] | None = None) -> Callable[[str], str]:
    """doc id -> its headline (else the id), remembered until the store changes; those of `ahead` read at
    once, in one query (a page's rows would read theirs one at a time)."""
    known: dict[str, str] = h.cached(("titles",), dict)
    if ahead and (missing := ahead - known.keys()):
        found: dict[str, dict[str, Any]] = {}
        cite_documents(h.store(), missing, found)
        for doc_id in missing:
            known[doc_id] = found[doc_id].get("title") or doc_id

    def title_of(doc_id: str) -> str:
        if doc_id not in known:
            cited = documents_cited(h.store(), doc_id).get(doc_id) or {}
            known[doc_id] = cited.get("title") or doc_id
        return known[doc_id]

    return title_of


def render_html(request: Request, template: str, cited: tuple[Any, ...] = (), **context: Any) -> str:
    """The page `template` of `context`; the headlines of the documents `cited` (the rows it shows) are read
    before, all at once (doc_ids)."""
    lang, _ = request_lang(request)
    t = translator(lang)
    here = request.url.path
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = {code: here + "?" + urlencode([*params, ("lang", code)]) for code in LANGS}
    return ENV.get_template(template).render(
        t=t, lang=lang, switch=switch, fact_summary=lambda f: fmt.fact_summary(f, t), here=here,
        title_of=titles(handle(request), doc_ids(*cited)), fresh=handle(request).freshness(), **context,
    )  # fmt: skip


def respond(request: Request, html: str, status: int = 200) -> HTMLResponse:
    lang, explicit = request_lang(request)
    response = HTMLResponse(html, status_code=status)
    if explicit:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def render(
    request: Request, template: str, status: int = 200, cited: tuple[Any, ...] = (), **context: Any
) -> HTMLResponse:
    return respond(request, render_html(request, template, cited, **context), status)


def page_key(request: Request) -> tuple[Any, ...]:
    """What a rendered page depends on besides the store's documents: its path, query and interface language,
    and the official figures and promise ledger (which `karavan official import` changes)."""
    from karavan.official.store import stamp

    return (
        "page",
        request.url.path,
        request.url.query,
        request_lang(request)[0],
        stamp(handle(request).store()),
    )


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def fact_filter(request: Request, **fixed: str) -> FactFilter:
    """The fact filter of a page's query string (period_from, period_to, type, product, lang, country, pair);
    an empty field is no filter; `fixed` (the pair of a pair page) wins."""
    values = {
        k: (request.query_params.get(PAGE_PARAM.get(k, k)) or "").strip()[:80] or None for k in FILTER_KEYS
    }
    values.update(fixed)
    flt = FactFilter(**values)
    for bound in (flt.period_from, flt.period_to):
        if bound:
            month_bound(bound, end=False)  # a malformed bound is a 422 naming it
    return flt


def paging_of(request: Request, default: int = 50) -> Paging:
    """The page a request asks for: ?limit= (1 to MAX_LIMIT), ?cursor= (the next page) or ?before= (the
    previous); a bad one is a 400."""
    q = request.query_params
    raw = q.get("limit")
    try:
        limit = int(raw) if raw else None
    except ValueError:
        raise ApiError(
            400, "bad_limit", f"limit is a number from 1 to {MAX_LIMIT}, got {raw[:20]!r}"
        ) from None
    return Paging.of(limit, q.get("cursor"), q.get("before"), default)


def pager(request: Request, page: Page) -> dict[str, Any]:
    """What the `pager` macro shows of a page: the total, the links to the pages around it and to the first."""
    params = [(k, v) for k, v in request.query_params.multi_items()]
    links = page_links(request.url.path, params, page)
    paged = any(k in ("cursor", "before") for k, _ in params)
    kept = [(k, v) for k, v in params if k not in ("cursor", "before")]
    first = request.url.path + ("?" + urlencode(kept) if kept else "") if paged else None
    return {"total": page.total, "capped": page.capped, "next": links.get("next"), "prev": links.get("prev"),
            "first": first, "shown": len(page.rows)}  # fmt: skip


def csv_link(flt: FactFilter) -> str:
    return "/facts.csv?" + urlencode(flt.query())


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    h = handle(request)

    def build() -> str:
        pairs = h.read("read_pairs")
        latest = latest_figures(h.store())
        return render_html(request, "overview.html", pairs=pairs, latest=latest)

    return respond(request, h.cached(page_key(request), build))


@router.get("/pairs/{pair}", response_class=HTMLResponse)
def pair_page(request: Request, pair: str) -> HTMLResponse:
    try:
        a, b = parse_pair(pair)
    except KaravanError:
        raise ApiError(404, "not_found", f"no pair {pair!r}") from None
    name = f"{a}-{b}"
    h = handle(request)
    store = h.store()
    if not pair_known(store, a, b):
        raise ApiError(404, "not_found", f"no facts for the pair {name} in this store")
    flt = fact_filter(request, pair=name)
    return respond(request, h.cached(page_key(request), lambda: _pair_html(request, h, name, a, b, flt)))


def _pair_html(request: Request, h: StoreHandle, name: str, a: str, b: str, flt: FactFilter) -> str:
    lang, _ = request_lang(request)
    t = translator(lang)
    store = h.store()
    series = attach_official(store, series_capped(store, name, "turnover", "total"))
    chart = build_chart(series, t, lambda cid: path_of("clusters", cid), series["official"])
    promises = promise_page(store, Paging(PAIR_PROMISE_LIMIT), name)
    facts, facts_next = recent_with_next(store, flt, PAIR_FACT_LIMIT)
    agreed = FactFilter(pair=name, type="agreement")
    agreements, agreements_next = recent_with_next(store, agreed, PAIR_AGREEMENT_LIMIT)
    # the newest meetings, each with its first source (all a meeting shows here), and how many there are
    meeting_list = meeting_page(store, Paging(PAIR_MEETING_LIMIT), name, sources=1)
    meetings, n_meetings = meeting_list.rows, meeting_list.total
    summary = next((p for p in h.read("read_pairs") if set(p.get("countries") or []) == {a, b}), None)
    key = "-".join(sorted((a, b)))
    latest = latest_figures(store, key).get(key)
    first_sources = [m.get("sources") or [] for m in meetings]
    return render_html(
        request, "pair.html", cited=(facts, agreements, first_sources, promises.rows), pair=name, series=series,
        chart=chart, facts=facts, meetings=meetings,
        agreements=agreements, summary=summary, limit=PAIR_FACT_LIMIT, n_meetings=n_meetings, latest=latest,
        flt=flt, options=fact_options(store), csv=csv_link(flt), action=path_of("pairs", name), fixed=("pair",),
        promises=promises.rows, n_promises=promises.total, facts_next=facts_next, agreements_next=agreements_next,
        meetings_all=f"/meetings?{urlencode({'pair': name})}",
    )  # fmt: skip


def recent_with_next(store: Any, flt: FactFilter, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """The `limit` newest facts of `flt` and the URL of the /facts page after them (None when no more)."""
    facts = recent_facts(store, flt, limit + 1)
    if len(facts) <= limit:
        return facts, None
    cursor = encode(RECENT_TAG, list(recency_of(facts[limit - 1])))
    return facts[:limit], "/facts?" + urlencode([*flt.query(), ("cursor", cursor)])


RECENT_TAG = "recent"
FACTS_COUNT_CAP = 1000  # a fact list counts this far ("more than 1,000")


def fact_count(store: Any, flt: FactFilter) -> tuple[int | None, bool]:
    """How many facts a list of `flt` has, up to FACTS_COUNT_CAP, when its index alone can tell (no filter, a
    pair or a country alone); (None, False) when counting would read facts (the page then says only that
    there are more)."""
    rest = [k for k in FILTER_KEYS if getattr(flt, k) and k not in ("pair", "country")]
    if rest or (flt.pair and flt.country):
        return None, False
    if flt.pair:
        return count(
            store.conn, "fact_pairs x", ["x.pair = ?"], [pair_key(norm_pair(flt.pair))], FACTS_COUNT_CAP
        )
    if flt.country:
        return count(
            store.conn, "fact_countries x", ["x.country = ?"], [flt.country.strip().upper()], FACTS_COUNT_CAP
        )
    return count(
        store.conn, "facts f", ["f.id > 0"], [], FACTS_COUNT_CAP
    )  # a rowid range, stopped at the cap


def recent_cursor(request: Request) -> tuple[str, str, int] | None:
    """The ?cursor= of a newest-first fact list (the last fact of the page before), or None; a 400 if bad."""
    raw = request.query_params.get("cursor")
    if not raw:
        return None
    recency, doc_id, fact_id = decode(RECENT_TAG, raw, 3)
    if not (isinstance(recency, str) and isinstance(doc_id, str) and isinstance(fact_id, int)):
        raise ApiError(400, "bad_cursor", f"the cursor {raw[:40]!r} is not one this list gave out")
    return recency, doc_id, fact_id


@router.get("/facts", response_class=HTMLResponse)
def facts_page(request: Request) -> HTMLResponse:
    h = handle(request)
    flt = fact_filter(request)

    after = recent_cursor(request)

    def build() -> str:
        store = h.store()
        facts = recent_facts(store, flt, FACTS_PER_PAGE + 1, after)
        total, capped = fact_count(store, flt)
        more = len(facts) > FACTS_PER_PAGE
        facts = facts[:FACTS_PER_PAGE]
        page = Page(
            facts, encode(RECENT_TAG, list(recency_of(facts[-1]))) if more else None, None, total, capped
        )
        return render_html(
            request, "facts.html", cited=(facts,), facts=facts, flt=flt, options=fact_options(store),
            csv=csv_link(flt), action="/facts", fixed=(), limit=FACTS_PER_PAGE, pg=pager(request, page),
        )  # fmt: skip

    return respond(request, h.cached(page_key(request), build))


@router.get("/facts.csv")
def facts_csv_download(request: Request) -> Response:
    """Every fact the filter selects, cited (document headline, url, date, source; cluster; flags), as the
    facts export writes it: UTF-8 with a byte-order mark, so that Excel reads it right. Streamed in id order,
    CSV_BATCH facts read at a time (or sent from the file exports_ahead wrote of this very store, for all
    facts or a pair's); with ?limit= (at most MAX_LIMIT) one page of them after ?cursor=, the next page's URL
    in the Link header (rel="next") and its cursor in X-Next-Cursor."""
    from fastapi.responses import StreamingResponse

    h = handle(request)
    h.refresh()
    flt = fact_filter(request)
    headers = {"Content-Disposition": 'attachment; filename="karavan-facts.csv"'}
    cursor = request.query_params.get("cursor") or None
    paged = bool(request.query_params.get("limit"))
    if not paged and not cursor:
        ahead = exports_ahead.response(
            h,
            exports_ahead.facts_file(flt),
            headers,
            request.headers.get("accept-encoding", ""),
            request.headers.get("cache-control", ""),
        )
        if ahead is not None:
            return ahead
    docs = h.cached(("cited-docs",), dict)
    if paged:
        body, following = _facts_csv_page(h, flt, paging_of(request).limit, cursor, docs)
        if following:
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
            headers["Link"] = (
                f'<{request.url.path}?{urlencode([*params, ("cursor", following)])}>; rel="next"'
            )
            headers["X-Next-Cursor"] = following
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    first, following = fact_page(h.store(), flt, CSV_BATCH, cursor)
    return StreamingResponse(
        facts_chunks(h.store, flt, docs, first, following),
        media_type="text/csv; charset=utf-8",
        headers=headers,
    )


def _facts_csv_page(
    h: StoreHandle, flt: FactFilter, limit: int, cursor: str | None, docs: dict[str, dict[str, Any]]
) -> tuple[str | bytes, str | None]:
    """A page of /facts.csv and the next page's cursor: cut from the whole export's file of this very store
    when there is one (exports_ahead.page_of: the same bytes), else rendered."""
    after = decode_cursor(cursor) if cursor else None
    sent = exports_ahead.page_of(h, exports_ahead.facts_file(flt), limit, after)
    if sent is not None:
        body, last = sent
        return body, None if last is None else encode_cursor(last)
    first, following = fact_page(h.store(), flt, limit, cursor)
    return facts_text(h.store(), first, docs, True), following


def csv_download(rows: list[dict[str, Any]], columns: list[str], name: str) -> Response:
    """A table as a CSV download: UTF-8 with a byte-order mark (Excel reads it right), lists '; '-joined,
    a cell that would start a formula quoted ('=...)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = [row.get(c) for c in columns]
        writer.writerow(
            [spreadsheet_safe("; ".join(map(str, v)) if isinstance(v, list) else v) for v in values]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="karavan-{name}.csv"'},
    )


PEOPLE_COLUMNS = ["id", "name", "country", "role", "found_by", "meetings", "statements"]
SERIES_COLUMNS = [
    "period",
    "kind",
    "value",
    "low",
    "high",
    "unit",
    "n_sources",
    "discrepant",
    "flags",
    "cluster_id",
]


@router.get("/documents.csv")
def documents_csv(request: Request) -> Response:
    """Every document newest first, streamed a page at a time; with ?limit= one page (Link: rel="next")."""
    h = handle(request)
    h.refresh()
    return paged_csv(request, h, DOCUMENTS, None)


def people_rows(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for p in people:
        roles = p.get("roles") or []
        live = [r for r in roles if not r.get("to")] or roles
        out.append({**p, "role": live[-1]["role"] if live else None})
    return out


@router.get("/people.csv")
def people_csv(request: Request) -> Response:
    return csv_download(people_rows(handle(request).read("read_people")), PEOPLE_COLUMNS, "people")


@router.get("/meetings.csv")
def meetings_csv(request: Request) -> Response:
    """The meetings as CSV, newest first: every one, streamed a page at a time; with ?limit= one page of
    them, the next page's URL in the Link header (rel="next")."""
    h = handle(request)
    h.refresh()
    return paged_csv(request, h, MEETINGS, request.query_params.get("pair") or None)


def paged_csv(request: Request, h: StoreHandle, export: ListExport, pair: str | None) -> Response:
    """A list as a CSV download (UTF-8 with a byte-order mark): without ?limit= every row, streamed a page
    of MAX_LIMIT at a time (memory stays bounded), or sent from the file exports_ahead wrote of this very
    store; with ?limit= (and ?cursor=) one page, the next one's URL in the Link header. A bad cursor is a
    400 before anything is sent."""
    from fastapi.responses import StreamingResponse

    headers = {"Content-Disposition": f'attachment; filename="karavan-{export.name}.csv"'}
    cursor = request.query_params.get("cursor") or None
    if request.query_params.get("limit"):
        page = export.read(h.store(), paging_of(request), pair)
        links = page_links(request.url.path, list(request.query_params.multi_items()), page)
        if links.get("next"):
            headers["Link"] = f'<{links["next"]}>; rel="next"'
            headers["X-Next-Cursor"] = page.next_cursor or ""
        body = export.header() + export.page_text(page)
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    if cursor is None:
        ahead = exports_ahead.response(
            h,
            exports_ahead.list_file(export.name, pair),
            headers,
            request.headers.get("accept-encoding", ""),
            request.headers.get("cache-control", ""),
        )
        if ahead is not None:
            return ahead
    first = export.read(h.store(), Paging(MAX_LIMIT, cursor), pair)  # a bad cursor fails here
    return StreamingResponse(
        export.chunks(h.store, pair, first), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.get("/pairs/{pair}/series.csv")
def series_csv(request: Request, pair: str) -> Response:
    try:
        a, b = parse_pair(pair)
    except KaravanError:
        raise ApiError(404, "not_found", f"no pair {pair!r}") from None
    h = handle(request)
    series = attach_official(h.store(), series_capped(h.store(), f"{a}-{b}", "turnover", "total"))
    rows = [{**p, "unit": series.get("unit"), **official_columns(p)} for p in series.get("points") or []]
    return csv_download(
        rows, [*SERIES_COLUMNS, "official", "official_by", "mirror", "mirror_by"], f"{a}-{b}-turnover"
    )


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    h = handle(request)

    def build() -> str:
        docs, total = document_list(h.store(), (page - 1) * DOCS_PER_PAGE, DOCS_PER_PAGE)
        pages = max(1, -(-total // DOCS_PER_PAGE))
        return render_html(request, "documents.html", docs=docs, total=total, page=page, pages=pages)

    return respond(request, h.cached(page_key(request), build))


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request) -> HTMLResponse:
    return render(request, "people.html", people=people_rows(handle(request).read("read_people")))


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request) -> HTMLResponse:
    """Meetings newest first, a page at a time (?limit=, ?cursor=, ?before=; ?pair=, ?period_from=,
    ?period_to=)."""
    q = request.query_params
    pair = (q.get("pair") or "").strip() or None
    if pair:
        norm_pair(pair)
    page = meeting_page(handle(request).store(), paging_of(request), pair, q.get("period_from") or None,
                        q.get("period_to") or None)  # fmt: skip
    shown = [(m.get("sources") or [])[:1] for m in page.rows]  # a meeting shows its first source
    return render(request, "meetings.html", cited=(shown,), meetings=page.rows, pg=pager(request, page),
                  pair=pair, csv="/meetings.csv" + (f"?{urlencode({'pair': pair})}" if pair else ""))  # fmt: skip


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
    discrepancies = h.read("read_discrepancies_of", tuple(cluster.get("discrepancies") or []))
    return render(request, "cluster.html", cluster=cluster, discrepancies=discrepancies)


@router.get("/discrepancies", response_class=HTMLResponse)
def discrepancies_page(request: Request) -> HTMLResponse:
    """Discrepancies a page at a time (?limit=, ?cursor=, ?before=; ?pair=, ?type=, ?period_from=,
    ?period_to=); the press-against-official ones after the first page's."""
    q = request.query_params
    pair = (q.get("pair") or "").strip() or None
    if pair:
        norm_pair(pair)
    page = discrepancy_page(handle(request).store(), paging_of(request, HEAVY_LIMIT), pair, q.get("type") or None,
                            q.get("period_from") or None, q.get("period_to") or None)  # fmt: skip
    shown = page.rows + page.extra["official"]
    return render(request, "discrepancies.html", cited=(shown,), discrepancies=shown, pg=pager(request, page))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, q: str = Query("", max_length=200), page: int = Query(1, ge=1)
) -> HTMLResponse:
    """The facts and documents a search finds, a page at a time (?page=, up to search.MAX_PAGE)."""
    q = q.strip()
    h = handle(request)
    found, facts, pg = None, [], None
    if q:
        store = h.store()
        people, pairs = [p["name"] for p in h.read("read_people")], [p["pair"] for p in h.read("read_pairs")]
        found = search(store, q, people, pairs, page)
        facts = facts_by_ids(store, found.fact_ids)
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

        def at(n: int) -> str:
            return "/search?" + urlencode([*kept, *([("page", str(n))] if n > 1 else [])])

        pg = {"total": None, "first": at(1) if found.page > 2 else None,
              "prev": at(found.page - 1) if found.page > 1 else None,
              "next": at(found.page + 1) if found.more else None}  # fmt: skip
    return render(request, "search.html", cited=(facts,), q=q, found=found, facts=facts, pg=pg)


@router.get("/people/{person}", response_class=HTMLResponse)
def person_page(request: Request, person: str) -> HTMLResponse:
    h = handle(request)
    people = h.read("read_people")
    name = people_matching(person, [p["name"] for p in people] + lexicon_names())
    data = found(person_head(h, name[0] if len(name) == 1 else person, people), "person", person)
    page = timeline_page(h.store(), data["name"], paging_of(request))
    page.total = data["meetings"] + data["statements"]
    return render(request, "person.html", cited=(page.rows,), person={**data, "timeline": page.rows},
                  pg=pager(request, page))  # fmt: skip


def person_head(
    h: StoreHandle, person: str, people: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """A person's summary (name, country, roles, how known, counts of meetings and statements) without the
    timeline; None if unknown. One of the store's people is read from `read_people` (its counts are kept;
    `people` when the caller has read it already); a name only the people lexicon knows has no meetings or
    statements, so reading it whole costs nothing."""
    if people is None:
        people = h.read("read_people")
    q = person.strip().lower()
    exact = [p for p in people if q in (p["name"].lower(), p["id"])]
    if exact:  # its name or id: no other name need be matched
        return dict(exact[0])
    names = people_matching(person, [p["name"] for p in people] + lexicon_names())
    if len(names) == 1:
        exact = [p for p in people if p["name"] == names[0]]
    if exact:
        return dict(exact[0])
    full = h.read("read_person", names[0] if len(names) == 1 else person)
    return None if full is None else {k: v for k, v in full.items() if k != "timeline"}


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
