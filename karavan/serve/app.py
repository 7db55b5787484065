"""create_app(db_path, token=None, max_bytes=...): the FastAPI app of `karavan serve`.

    uvicorn.run(create_app("karavan.db", token=os.environ.get("KARAVAN_TOKEN")), host="127.0.0.1")

Read-only unless a token is given. Every asset is served by the app itself (no CDN); every response
carries a strict Content-Security-Policy (no inline script or style) and nosniff, errors and crashes
included; redirects are relative (never built from the Host header); HEAD answers as GET does, without
the body.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from karavan import __version__
from karavan.budget import DEFAULT_BUDGET
from karavan.serve import api_routes, heap, ingest_route, official_pages, pages, sources_page
from karavan.serve.errors import install_error_handlers
from karavan.serve.json_body import JSONBody
from karavan.serve.state import FreshnessHeaders, StoreHandle

DEFAULT_MAX_BYTES = 2_000_000
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


log = logging.getLogger("karavan.serve")
CRASH_BODY = json.dumps({"error": {"code": "internal", "message": "internal server error"}}).encode()


def relative(location: bytes) -> bytes:
    """An absolute redirect target as a path on this server: Starlette builds slash redirects from the
    Host header, which the client chooses (`Host: evil.example` sent browsers to evil.example)."""
    try:
        parts = urlsplit(location.decode("latin-1"))
    except ValueError:
        return b"/"
    if not parts.scheme and not parts.netloc:
        return location
    path = "/" + parts.path.lstrip("/")  # never "//host": a scheme-relative URL leaves the site too
    return (
        path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    ).encode("latin-1")


class SecurityHeaders:
    """The outermost layer of the app: the security headers on every response (errors, static files and
    crashes included), relative redirects, HEAD answered as GET without the body, and a JSON 500 for any
    exception nothing else handled (sent here, inside the headers, instead of by Starlette's outer layer,
    which re-raised it and reset the connection)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, relative(v) if k.lower() == b"location" else v) for k, v in message.get("headers", [])
                ]
                names = {k.lower() for k, _ in headers}
                message["headers"] = [*headers, *((k, v) for k, v in SECURITY_HEADERS if k not in names)]
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except Exception:
            log.exception("internal error on %s", scope.get("path"))
            if started:
                return  # the response is under way: nothing better to send than its end
            await guarded(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(CRASH_BODY)).encode()),
                    ],
                }
            )
            await guarded({"type": "http.response.body", "body": CRASH_BODY})


def create_app(
    db_path: str | Path,
    token: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    budget: float | None = DEFAULT_BUDGET,
    exports_ahead: bool = True,
) -> FastAPI:
    """The app over the store at `db_path`; POST /api/documents works only when `token` is set; the
    pipeline may spend `budget` seconds on a posted document; with `exports_ahead` the whole CSV exports
    are written to files beside the store while it is still, and sent from there (serve/exports_ahead.py)."""
    app = FastAPI(
        title="karavan",
        version=__version__,
        description="Facts about Central Asia's economic diplomacy, each with its source quote.",
        docs_url=None,  # the default docs page loads Swagger UI from a CDN: /docs is our own page instead
        redoc_url=None,
        default_response_class=JSONBody,  # a route's dict or list encoded by orjson (serve/json_body.py)
    )
    app.state.handle = StoreHandle(str(db_path), exports=exports_ahead)
    # the long-lived heap (templates, locale data, libraries) out of the collector's walks
    app.router.on_startup.append(lambda: heap.settle(pages.warm))
    app.router.on_shutdown.append(
        app.state.handle.reconciler.close
    )  # its worker process ends with the server
    app.state.token = token or None
    app.state.max_bytes = max_bytes
    app.state.budget = budget
    install_error_handlers(app, pages.html_error)
    app.include_router(api_routes.router)
    app.include_router(ingest_route.router)
    app.include_router(pages.router)
    app.include_router(sources_page.router)
    app.include_router(official_pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(FreshnessHeaders, handle=app.state.handle)
    return app
