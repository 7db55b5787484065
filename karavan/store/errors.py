"""SQLite's errors as karavan errors that say what happened to the store and what to do.

    try:
        conn.execute(...)
    except sqlite3.Error as e:
        raise store_error(e, path, "storing document 'a-17'") from e

Every write karavan makes is one transaction, so a failure leaves the store as it was before that
transaction: the messages say so, and that running the same command again goes on where it stopped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from karavan.errors import (
    KaravanError,
    NotADatabase,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
)

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def primary_code(e: sqlite3.Error) -> int:
    return int(getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF


def store_error(e: sqlite3.Error, path: str | None, doing: str | None = None) -> KaravanError:
    """The karavan error for an SQLite error met while `doing` something (a phrase: "storing document 'x'")."""
    code = primary_code(e)
    what = f"{doing}: " if doing else ""
    said = f"{e}"
    if code == SQLITE_FULL:
        return StoreFull(
            f"{what}the disk is full ({said}); the store keeps everything stored before this: "
            "free some space (or give a --db on another disk) and run the same command again to go on",
            path,
        )
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return StoreReadOnly(
            f"{what}the database is read-only ({said}): reading it works; to write, make the file and its "
            "folder writable (or copy it to a writable place)",
            path,
        )
    if code == SQLITE_CORRUPT:
        return StoreCorrupt(
            f"{what}the database is damaged ({said}); karavan will not write into it: `karavan check --db` "
            "lists the damage; restore a backup, or ingest the documents again into a new --db",
            path,
        )
    if code == SQLITE_NOTADB:
        return NotADatabase(
            "not an SQLite database, or a damaged one (left untouched); give another --db", path
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreBusy(
            f"{what}the database stayed locked by another process ({said}); nothing was changed: "
            "wait for the other command to finish and run this one again",
            path,
        )
    if code == SQLITE_CANTOPEN:
        return StoreError(
            f"{what}cannot open the database file ({said}): check that its folder exists and is writable",
            path,
        )
    if code == SQLITE_IOERR:
        return StoreError(
            f"{what}the disk failed to read or write ({said}); the store keeps everything stored before "
            "this: check the disk, then `karavan check --db`, and run the same command again",
            path,
        )
    if code == SQLITE_NOMEM:
        return StoreError(f"{what}SQLite ran out of memory ({said})", path)
    return StoreError(f"{what}SQLite failed: {said}", path)


@contextmanager
def translated(path: str | None, doing: str | None = None) -> Iterator[None]:
    """Raise SQLite's errors inside the block as karavan errors (see `store_error`)."""
    try:
        yield
    except sqlite3.Error as e:
        raise store_error(e, path, doing) from e


__all__ = ["StoreError", "primary_code", "store_error", "translated"]
