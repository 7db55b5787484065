"""Is the database whole? `PRAGMA quick_check` when a store is opened, `PRAGMA integrity_check` on demand.

quick_check reads every page (about 0.5 ms a MB once the file is cached: 0.13 s for 271 MB) and finds
damaged pages and broken b-trees; integrity_check (`karavan check`) also compares every index with its
table (about four times slower). A process checks a file when it first opens it and again only when the
file changed since (its size or modification time): the server's many connections, or a command that
opens the store twice, check once. A store this process opened whole and wrote is remembered whole when
it closes it (`closed_clean`): `karavan ingest`'s reconcile, which opens the store again, does not read
every page again (0.4-0.5 s of a one-document reconcile on a 400 MB store).

The next process is told too: `closed_clean`, and a check that finds the file whole, leave `<store>.checked`
beside it, the size and modification time of the database and of its write-ahead log as they were, and a
process that opens the store and finds both as written there checks nothing either (a check that finds
damage removes it). Every `karavan` command opens the
store afresh, and quick_check grows with the file (0.45 s at 400 MB, seconds at a million facts): a
command after a clean one does not pay it. Any write since (by any process), a crash before the close or
a file copied in changes a stamp, and the file is checked as before.
"""

from __future__ import annotations

import json
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
    """quick_check's problems, checked only when the file may have changed since it was last known whole:
    by this process, or by the process that left `<path>.checked` (module doc).

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
    stamps = _stamps(path)
    if stamps is not None and _marked(path) == stamps:
        _remember(path, [], stamp)
        return []
    try:
        problems = quick_problems(conn)
    except sqlite3.DatabaseError as e:
        problems = [f"quick_check could not run: {e}"]
    _remember(path, problems, stamp)
    _mark(path, stamps if not problems else None)  # the stamps from before the check: a write during it shows
    return problems


def closed_clean(path: Path) -> None:
    """This process closed its connection to `path`, which was whole when opened and written only through
    SQLite since: the file as it is now needs no check on the next open, in this process or another
    (`<path>.checked`: module doc). A marker that cannot be written is left out (the next process checks)."""
    _remember(path, [])
    _mark(path, _stamps(path))


def _mark(path: Path, stamps: dict[str, Any] | None) -> None:
    """`<path>.checked` holding `stamps`, or none (None: the file is not known whole). Best effort: a folder
    that cannot be written keeps no marker, and the next process checks."""
    marker = checked_marker(path)
    try:
        if stamps is None:
            marker.unlink(missing_ok=True)
            return
        tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(stamps), encoding="utf-8")
        os.replace(tmp, marker)  # whole or not at all
    except OSError:
        pass


def checked_marker(path: Path) -> Path:
    return path.with_name(path.name + ".checked")


def _stamps(path: Path) -> dict[str, Any] | None:
    """The database's and its write-ahead log's (device, inode, size, modification time) as JSON-ready lists."""
    main = file_stamp(path)
    if main is None:
        return None
    wal = file_stamp(path.with_name(path.name + "-wal"))
    return {"db": [*main[0], *main[1]], "wal": [*wal[0], *wal[1]] if wal is not None else None}


def _marked(path: Path) -> Any:
    """What `<path>.checked` holds (None when there is none or it cannot be read)."""
    try:
        return json.loads(checked_marker(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
