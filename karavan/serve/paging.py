"""Keyset (cursor) pages of a list read in SQL: a page is the `limit` rows after (or before) a cursor in a
stable order, read from an index, so that the millionth row costs what the first does.

    order = Order("d", (("x.ord", False), ("x.id", False)))
    page = read_page(conn, order, "SELECT x.data FROM recon_discrepancies x", ["x.pair = ?"], ["KZ-TJ"],
                     Paging.of(limit=50, cursor=None, before=None))
    page.rows, page.next_cursor, page.prev_cursor

A cursor is the sort key of the last (or first) row shown, base64url JSON tagged with its list's name: a
row deleted between two pages moves nothing (the next page starts after the key, not after a position), and
a cursor of another list, or one this server never gave, is a 400 `bad_cursor`. The order's keys must end
with a unique column; a key that may be NULL comes after an `x IS NULL` key (NULL then equals NULL and
is passed by the next key).
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from karavan.serve.errors import ApiError

DEFAULT_LIMIT = 50
HEAVY_LIMIT = 25  # the default page of a list whose rows carry sources (discrepancies, promises)
MAX_LIMIT = 500
COUNT_CAP = 10_000  # a count that would read more rows than this says "more than 10,000"


@dataclass(frozen=True, slots=True)
class Order:
    """The name of a list (cursors carry it) and its sort keys: (SQL expression, descending)."""

    tag: str
    keys: tuple[tuple[str, bool], ...]

    def by(self, backward: bool = False) -> str:
        return ", ".join(f"{expr} {'DESC' if desc != backward else 'ASC'}" for expr, desc in self.keys)

    def seek(self, values: list[Any], backward: bool = False) -> tuple[str, list[Any]]:
        """The condition of the rows after `values` in this order (before them with `backward`)."""
        ors, args = [], []
        for i, (expr, desc) in enumerate(self.keys):
            op = "<" if desc != backward else ">"
            ands = [f"{e} IS ?" for e, _ in self.keys[:i]] + [f"{expr} {op} ?"]  # IS: NULL equals NULL
            ors.append("(" + " AND ".join(ands) + ")")
            args += [*values[:i], values[i]]
        return "(" + " OR ".join(ors) + ")", args


def encode(tag: str, values: list[Any] | tuple[Any, ...]) -> str:
    raw = json.dumps([tag, *values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(tag: str, cursor: str, n: int) -> list[Any]:
    """The key values of a cursor of list `tag` with `n` keys; a 400 `bad_cursor` for anything else."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raw = None
    ok = (
        isinstance(raw, list)
        and len(raw) == n + 1
        and raw[0] == tag
        and all(v is None or (isinstance(v, str | int | float) and not isinstance(v, bool)) for v in raw[1:])
    )
    if not ok:
        raise ApiError(400, "bad_cursor", f"the cursor {cursor[:40]!r} is not one this list gave out")
    return list(raw[1:])  # type: ignore[index]


@dataclass(frozen=True, slots=True)
class Paging:
    """What a request asks of a list: `limit` rows after `cursor`, or before `before` (not both)."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    before: str | None = None

    @classmethod
    def of(
        cls, limit: int | None, cursor: str | None, before: str | None, default: int = DEFAULT_LIMIT
    ) -> Paging:
        if limit is None:
            limit = default
        if not 1 <= limit <= MAX_LIMIT:
            raise ApiError(400, "bad_limit", f"limit is 1 to {MAX_LIMIT}, got {limit}")
        if cursor and before:
            raise ApiError(
                400, "bad_cursor", "give cursor (the next page) or before (the previous), not both"
            )
        return cls(limit, cursor or None, before or None)


@dataclass(slots=True)
class Page:
    """A page of rows (without their key columns), the cursors of the pages around it, and the total."""

    rows: list[tuple[Any, ...]]
    next_cursor: str | None
    prev_cursor: str | None
    total: int | None = None  # None: not counted
    capped: bool = False  # total is COUNT_CAP and there are more
    extra: dict[str, Any] = field(default_factory=dict)

    def meta(self) -> dict[str, Any]:
        """The page's fields of an API answer."""
        return {
            "count": len(self.rows), "total": self.total, "total_is_lower_bound": self.capped,
            "next_cursor": self.next_cursor, "prev_cursor": self.prev_cursor,
        }  # fmt: skip


def read_page(
    conn: sqlite3.Connection,
    order: Order,
    select: str,
    where: list[str],
    args: list[Any],
    paging: Paging,
    select_args: tuple[Any, ...] = (),
) -> Page:
    """The page `paging` asks of `select` (SELECT columns FROM source, no WHERE; its own parameters
    `select_args`) under `where`, in `order`."""
    backward = paging.before is not None
    cursor = paging.before or paging.cursor
    conds, values = list(where), list(args)
    if cursor:
        cond, more = order.seek(decode(order.tag, cursor, len(order.keys)), backward)
        conds.append(cond)
        values += more
    keys = ", ".join(expr for expr, _ in order.keys)
    sql = (
        f"{select.replace('SELECT ', f'SELECT {keys}, ', 1)}{' WHERE ' + ' AND '.join(conds) if conds else ''}"
        f" ORDER BY {order.by(backward)} LIMIT ?"
    )
    got = conn.execute(sql, (*select_args, *values, paging.limit + 1)).fetchall()
    more = len(got) > paging.limit
    got = got[: paging.limit]
    if backward:
        got.reverse()
    n = len(order.keys)
    first = encode(order.tag, list(got[0][:n])) if got else None
    last = encode(order.tag, list(got[-1][:n])) if got else None
    rows = [tuple(r[n:]) for r in got]
    if backward:
        return Page(rows, next_cursor=last, prev_cursor=first if more else None)
    return Page(rows, next_cursor=last if more else None, prev_cursor=first if cursor and got else None)


def count(
    conn: sqlite3.Connection, source: str, where: list[str], args: list[Any], cap: int = COUNT_CAP
) -> tuple[int, bool]:
    """(how many rows `source` has under `where`, whether there are more than `cap`): at most cap + 1 read."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source}{' WHERE ' + ' AND '.join(where) if where else ''} LIMIT ?)"
    (n,) = conn.execute(sql, (*args, cap + 1)).fetchone()
    return (cap, True) if n > cap else (int(n), False)


def link_header(path: str, params: list[tuple[str, str]], page: Page) -> str | None:
    """An RFC 8288 Link header of the next and previous pages (relative URLs), or None."""
    links = [f'<{url}>; rel="{rel}"' for rel, url in page_links(path, params, page).items()]
    return ", ".join(links) or None


def page_links(path: str, params: list[tuple[str, str]], page: Page) -> dict[str, str]:
    """{"next": url, "prev": url} of the pages around `page`: the request's other parameters kept."""
    kept = [(k, v) for k, v in params if k not in ("cursor", "before")]
    out = {}
    if page.next_cursor:
        out["next"] = f"{path}?{urlencode([*kept, ('cursor', page.next_cursor)])}"
    if page.prev_cursor:
        out["prev"] = f"{path}?{urlencode([*kept, ('before', page.prev_cursor)])}"
    return out


def list_page(items: list[Any], paging: Paging, tag: str) -> Page:
    """A page of a list already in memory (a promise's statements): the cursors hold positions in it."""
    n = len(items)
    if paging.before:
        (end,) = decode(tag, paging.before, 1)
        end = max(0, min(int(end), n))
        start = max(0, end - paging.limit)
    else:
        start = int(decode(tag, paging.cursor, 1)[0]) if paging.cursor else 0
        start = max(0, min(start, n))
        end = min(n, start + paging.limit)
    return Page(
        list(items[start:end]),
        next_cursor=encode(tag, [end]) if end < n else None,
        prev_cursor=encode(tag, [start]) if start > 0 else None,
        total=n,
    )
