"""`karavan check`: the full integrity check of the store, with its counts (registered by karavan.cli)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from karavan.store.db import open_store
from karavan.store.errors import translated
from karavan.store.health import full_check


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """0 when the store is whole, 1 when it is damaged (each problem listed, at most --max-problems)."""
    with open_store(args.db, create=False) as store, translated(args.db, "checking the database"):
        health = full_check(store.conn, Path(args.db), args.max_problems)
        readonly = store.readonly
    if args.json:
        out.write(json.dumps({**health.to_dict(), "readonly": readonly}, ensure_ascii=False, indent=2) + "\n")
        return 0 if health.ok else 1
    counts = ", ".join(f"{n if n is not None else '?'} {table}" for table, n in health.counts.items())
    size = health.pages * health.page_size
    print(f"{args.db}: {'ok' if health.ok else 'DAMAGED'} (PRAGMA integrity_check)", file=out)
    print(f"  rows: {counts}", file=out)
    print(
        f"  file: {size / 1e6:.1f} MB in {health.pages} pages of {health.page_size} bytes, "
        f"{health.free_pages} free; -wal {health.wal_bytes / 1e6:.1f} MB; journal {health.journal}; "
        f"schema {health.schema}{'; read-only' if readonly else ''}",
        file=out,
    )
    for problem in health.problems:
        print(f"  problem: {problem}", file=out)
    if not health.ok:
        print(
            "  karavan will not write into this store: restore a backup, or ingest the documents again into "
            "a new --db (`sqlite3 DB .recover` may save what can still be read)",
            file=out,
        )
    return 0 if health.ok else 1


def register(command: Callable[..., argparse.ArgumentParser], db_option: Callable[[Any], None]) -> None:
    p = command("check", cmd_check, "check the database whole (PRAGMA integrity_check) and count its rows")
    db_option(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--max-problems", type=int, default=100, metavar="N", help="list at most N problems (default: 100)"
    )
