"""Is the database whole? `PRAGMA quick_check` when a store is opened, `PRAGMA integrity_check` on demand.

quick_check reads every page (about 0.5 ms a MB once the file is cached: 0.13 s for 271 MB) and finds
damaged pages and broken b-trees; integrity_check (`karavan check`) also compares every index with its
table (about four times slower). A process checks a file when it first opens it and again only when the
file changed since (its size or modification time): the server's many connections, or a command that
opens the store twice, check once. A store this process opened whole and wrote is remembered whole when
it closes it (`closed_clean`): `karavan ingest`'s reconcile, which opens the store again, does not read
every page again (0.4-0.5 s of a one-document reconcile on a 400 MB store).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_PROBLEMS = 10  # problems quick_check reports at most (the first ones say enough)
COUNTED = (
    "documents",
    "facts",
    "recon_runs",
    "recon_clusters",
    "recon_cluster_facts",
    "recon_discrepancies",
    "recon_flags",
    "recon_series",
)

_lock = threading.Lock()
_checked: dict[
    tuple[int, int], tuple[int, int, tuple[str, ...]]
] = {}  # (dev, ino) -> (size, mtime, problems)


def file_stamp(path: Path) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((device, inode), (size, modification time)) of the main database file, None when it is empty or gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size == 0:
        return None
    return (st.st_dev, st.st_ino), (st.st_size, st.st_mtime_ns)


def problem_lines(rows: list[str]) -> list[str]:
    """quick_check's or integrity_check's rows as one problem a line ([] for "ok"), without the
    "*** in database main ***" headings."""
    if rows == ["ok"]:
        return []
    return [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]


def quick_problems(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA quick_check` finds wrong ([] when the database is whole)."""
    return problem_lines([str(r[0]) for r in conn.execute(f"PRAGMA quick_check({MAX_PROBLEMS})")])


def damage_on_open(conn: sqlite3.Connection, path: Path) -> list[str]:
    """quick_check's problems, checked only when the file changed since this process last checked it.

    A check that SQLite itself cannot run (a page too damaged to read) is a problem too.
    """
    stamp = file_stamp(path)
    if stamp is None:
        return []
    key, now = stamp
    with _lock:
        seen = _checked.get(key)
    if seen is not None and seen[:2] == now:
        return list(seen[2])
    try:
        problems = quick_problems(conn)
    except sqlite3.DatabaseError as e:
        problems = [f"quick_check could not run: {e}"]
    _remember(path, problems, stamp)
    return problems


def closed_clean(path: Path) -> None:
    """This process closed its connection to `path`, which was whole when opened and written only through
    SQLite since: the file as it is now needs no check on the next open (in this process)."""
    _remember(path, [])


def _remember(path: Path, problems: list[str], stamp: Any = None) -> None:
    stamp = stamp or file_stamp(path)
    if stamp is not None:
        with _lock:
            _checked[stamp[0]] = (*stamp[1], tuple(problems))


@dataclass(slots=True)
class Health:
    """What `karavan check` reports."""

    path: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int | None] = field(default_factory=dict)
    pages: int = 0
    page_size: int = 0
    free_pages: int = 0
    schema: int = 0
    journal: str = ""
    wal_bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "ok": self.ok, "problems": self.problems, "counts": self.counts,
            "pages": self.pages, "page_size": self.page_size, "free_pages": self.free_pages,
            "bytes": self.pages * self.page_size, "schema": self.schema, "journal": self.journal,
            "wal_bytes": self.wal_bytes,
        }  # fmt: skip


def _pragma(conn: sqlite3.Connection, name: str) -> Any:
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


def full_check(conn: sqlite3.Connection, path: Path, max_problems: int = 100) -> Health:
    """`PRAGMA integrity_check` and the row counts of the main tables (None for a table it cannot count)."""
    problems: list[str] = []
    try:
        problems = problem_lines(
            [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({int(max_problems)})")]
        )
    except sqlite3.DatabaseError as e:
        problems = [f"integrity_check could not run: {e}"]
    health = Health(str(path), ok=not problems, problems=problems)
    for table in COUNTED:
        try:
            health.counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.DatabaseError:
            health.counts[table] = None
    try:
        health.pages = int(_pragma(conn, "page_count"))
        health.page_size = int(_pragma(conn, "page_size"))
        health.free_pages = int(_pragma(conn, "freelist_count"))
        health.schema = int(_pragma(conn, "user_version"))
        health.journal = str(_pragma(conn, "journal_mode"))
    except sqlite3.DatabaseError as e:
        health.problems.append(f"cannot read the database header: {e}")
        health.ok = False
    wal = Path(f"{path}-wal")
    health.wal_bytes = wal.stat().st_size if wal.exists() else 0
    _remember(path, health.problems)
    return health
