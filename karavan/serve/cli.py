"""`karavan serve`: the web dashboard and HTTP API over the store (registered by karavan.cli)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from karavan.ingest.errors import NoDatabase

TOKEN_ENV = "KARAVAN_TOKEN"


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn

    from karavan.serve.app import create_app

    if not Path(args.db).exists():
        raise NoDatabase("no database here: run `karavan ingest PATH... --db` first", str(args.db))
    token = os.environ.get(TOKEN_ENV) or None
    app = create_app(
        args.db, token=token, max_bytes=args.max_bytes, budget=args.budget, exports_ahead=args.exports_ahead
    )
    ingest = "on (POST /api/documents with the token)" if token else f"off (set {TOKEN_ENV} to allow it)"
    print(
        f"karavan: serving {args.db} on http://{args.host}:{args.port}/ ; ingest over HTTP {ingest}", file=out
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def register(
    command: Callable[..., argparse.ArgumentParser],
    db_option: Callable[[Any], None],
    budget_option: Callable[[Any], None],
) -> None:
    p = command("serve", cmd_serve, "serve the web dashboard and the HTTP API over the database")
    db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument(
        "--max-body-mb", dest="max_bytes", type=lambda v: int(float(v) * 1_000_000), default=2_000_000,
        metavar="MB", help=f"largest POST body accepted (default: 2); POST needs ${TOKEN_ENV}",
    )  # fmt: skip
    p.add_argument(
        "--no-exports-ahead", dest="exports_ahead", action="store_false",
        help="never write the whole CSV exports to files beside the store (DB.exports/) to send them from "
        "there; every export is then rendered at each request",
    )  # fmt: skip
    budget_option(p)
