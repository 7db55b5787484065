"""`karavan watch SOURCES.toml` (registered by karavan.cli)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import Any, TextIO


def cmd_watch(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.watch.config import load_sources
    from karavan.watch.runner import Watcher, add_log_file

    sources = load_sources(args.sources)
    handler: logging.Handler | None = add_log_file(args.log) if args.log else None
    try:
        return Watcher(sources, args.db, out=out, quiet=args.quiet).run(once=args.once)
    finally:
        if handler is not None:
            logging.getLogger("karavan.watch").removeHandler(handler)
            handler.close()


def register(command: Callable[..., argparse.ArgumentParser], db_option: Callable[[Any], None]) -> None:
    p = command(
        "watch",
        cmd_watch,
        "follow feeds, sitemaps and listing pages; fetch, ingest and reconcile what is new",
    )
    p.add_argument(
        "sources", metavar="SOURCES.toml", help="the sources to follow (see examples/SOURCES.toml)"
    )
    db_option(p)
    p.add_argument(
        "--once", action="store_true", help="one round over the sources that are due, then exit (cron)"
    )
    p.add_argument("--log", metavar="FILE", help="append every request and event to FILE, with times")
    p.add_argument("--quiet", action="store_true", help="print only errors and the summary of each round")
