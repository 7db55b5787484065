"""create_app(db_path, token=None, max_bytes=...): the FastAPI app of `karavan serve`.

    uvicorn.run(create_app("karavan.db", token=os.environ.get("KARAVAN_TOKEN")), host="127.0.0.1")

Read-only unless a token is given. Every asset is served by the app itself (no CDN); every response
carries a strict Content-Security-Policy (no inline script or style) and nosniff.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from karavan import __version__
from karavan.serve import api_routes, ingest_route, official_pages, pages, sources_page
from karavan.serve.errors import install_error_handlers
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


class SecurityHeaders:
    """Adds the security headers to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db_path: str | Path, token: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    """The app over the store at `db_path`; POST /api/documents works only when `token` is set."""
    app = FastAPI(
        title="karavan",
        version=__version__,
        description="Facts about Central Asia's economic diplomacy, each with its source quote.",
        docs_url=None,  # the default docs page loads Swagger UI from a CDN: /docs is our own page instead
        redoc_url=None,
    )
    app.state.handle = StoreHandle(str(db_path))
    app.state.token = token or None
    app.state.max_bytes = max_bytes
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
