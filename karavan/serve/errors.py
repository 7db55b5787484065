"""Every error the server returns is JSON {"error": {"code", "message"}} (pages get the same as HTML)."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from karavan.errors import NotADatabase, StoreBusy, StoreError, StoreFull
from karavan.ingest.errors import KaravanError
from karavan.serve.json_body import JSONBody
from karavan.store.errors import store_error

log = logging.getLogger("karavan.serve")
T = TypeVar("T")

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
    500: "internal", 503: "unavailable", 507: "insufficient_storage",
}  # fmt: skip


def status_of(exc: KaravanError) -> int:
    """422 for what was sent; 503 (or 507, disk full) when the store failed: the request was not at fault."""
    if isinstance(exc, StoreFull):
        return 507
    if isinstance(exc, StoreError | NotADatabase):
        return 503
    return 422


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def found(value: T | None, what: str, ident: object) -> T:
    """`value`, or a 404 "no <what> <ident>" when the store has nothing there."""
    if value is None:
        raise ApiError(404, "not_found", f"no {what} {ident!r}")
    return value


def error_json(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONBody:
    return JSONBody(
        {"error": {"code": code, "message": message, **extra}}, status_code=status, headers=headers
    )


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI, html_error: Any) -> None:
    """`html_error(request, status, message)` renders the page form of an error for browsers."""

    def respond(
        request: Request,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> Response:
        if wants_html(request):
            return html_error(request, status, message)
        return error_json(status, code, message, headers, **extra)

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(KaravanError)
    async def on_karavan_error(request: Request, exc: KaravanError) -> Response:
        status = status_of(exc)
        if status != 422:
            log.error("store failed on %s: %s", request.url.path, exc)
        headers = {"Retry-After": "5"} if isinstance(exc, StoreBusy) else None
        return respond(request, status, exc.code, exc.message, headers)

    @app.exception_handler(sqlite3.Error)
    async def on_sqlite_error(request: Request, exc: sqlite3.Error) -> Response:
        return await on_karavan_error(request, store_error(exc, request.app.state.handle.path))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return respond(request, exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        message = "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems) or "invalid request"
        return respond(request, 422, "invalid_request", message, details=problems)

    # Any other exception is answered by karavan.serve.app.SecurityHeaders, the outermost layer: a handler
    # for Exception here would run outside it (Starlette's ServerErrorMiddleware), without the headers.
