"""The official tables of the store: importing a file's figures in one transaction, reading them back.

summary = import_figures(store, figures, path=..., fmt="comtrade", source=..., sha256=..., skipped=...)
figures = read_figures(store, pair="KZ-CN")
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from karavan.official.model import BadOfficialFile, Figure
from karavan.store import Store, parse_pair

COLUMNS = (
    "source",
    "reporter",
    "partner",
    "flow",
    "product",
    "period",
    "value",
    "unit",
    "preliminary",
    "revised",
    "line",
)
UPSERT = (
    f"INSERT INTO official_figures ({', '.join(COLUMNS)}, import_id) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
    " ON CONFLICT (source, reporter, partner, flow, product, period, revised) DO UPDATE SET"
    " value = excluded.value, unit = excluded.unit, preliminary = excluded.preliminary,"
    " import_id = excluded.import_id, line = excluded.line"
)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_unique(figures: list[Figure], path: str) -> None:
    """Two figures of one thing in one release of one file must not disagree."""
    seen: dict[tuple[Any, ...], Figure] = {}
    for f in figures:
        key = (f.source, *f.key[:5], f.revised)
        other = seen.get(key)
        if other is not None and (other.value, other.unit) != (f.value, f.unit):
            raise BadOfficialFile(
                f"{f.reporter}->{f.partner} {f.flow} {f.product} {f.period} given twice: {f.value:g} here,"
                f" {other.value:g} on line {other.line}",
                path,
                f.line,
            )
        seen[key] = f


def import_figures(
    store: Store, figures: list[Figure], *, path: str, fmt: str, source: str, sha256: str,
    rows: int, skipped: Counter[str],
) -> dict[str, Any]:  # fmt: skip
    """Store the figures of one file, all or nothing; returns the import's summary (new, changed, unchanged)."""
    check_unique(figures, path)
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        counts = Counter()
        for f in figures:
            old = conn.execute(
                "SELECT value, unit, preliminary FROM official_figures WHERE source = ? AND reporter = ?"
                " AND partner = ? AND flow = ? AND product = ? AND period = ? AND revised = ?",
                (f.source, f.reporter, f.partner, f.flow, f.product, f.period, f.revised),
            ).fetchone()
            if old is None:
                counts["new"] += 1
            elif (old[0], old[1], bool(old[2])) == (f.value, f.unit, f.preliminary):
                counts["unchanged"] += 1
            else:
                counts["changed"] += 1
        summary = {
            "rows": rows, "figures": len(figures), "new": counts["new"], "changed": counts["changed"],
            "unchanged": counts["unchanged"], "skipped": dict(sorted(skipped.items())),
            "pairs": sorted({"-".join(sorted((f.reporter, f.partner))) for f in figures}),
        }  # fmt: skip
        cur = conn.execute(
            "INSERT INTO official_imports (path, format, source, sha256, imported_at, summary) VALUES (?, ?, ?, ?, ?, ?)",
            (path, fmt, source, sha256, now(), json.dumps(summary, ensure_ascii=False)),
        )
        import_id = cur.lastrowid
        conn.executemany(
            UPSERT,
            [(f.source, f.reporter, f.partner, f.flow, f.product, f.period, f.value, f.unit, int(f.preliminary),
              f.revised, f.line, import_id) for f in figures],
        )  # fmt: skip
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {**summary, "import_id": import_id}


def basis(store: Store) -> int:
    """The latest import's id (0 before any): verdicts computed against an older one are stale."""
    row = store.conn.execute("SELECT max(id) FROM official_imports").fetchone()
    return int(row[0] or 0)


def _figure(row: Any) -> Figure:
    return Figure(
        source=row["source"], reporter=row["reporter"], partner=row["partner"], flow=row["flow"],
        product=row["product"], period=row["period"], value=row["value"], unit=row["unit"],
        preliminary=bool(row["preliminary"]), revised=row["revised"], line=row["line"], id=row["id"],
    )  # fmt: skip


def read_figures(store: Store, pair: str | None = None) -> list[Figure]:
    """Every stored figure (of one pair, either order, when `pair` is given), in a stable order."""
    sql = "SELECT * FROM official_figures"
    args: tuple[str, ...] = ()
    if pair:
        a, b = parse_pair(pair)
        sql += " WHERE (reporter = ? AND partner = ?) OR (reporter = ? AND partner = ?)"
        args = (a, b, b, a)
    sql += " ORDER BY reporter, partner, product, flow, period, revised, source, id"
    return [_figure(r) for r in store.conn.execute(sql, args)]


def imports(store: Store) -> list[dict[str, Any]]:
    return [
        {"id": r[0], "path": r[1], "format": r[2], "source": r[3], "imported_at": r[4], **json.loads(r[5])}
        for r in store.conn.execute(
            "SELECT id, path, format, source, imported_at, summary FROM official_imports ORDER BY id"
        )
    ]


def pairs_of(figures: Iterable[Figure]) -> list[str]:
    return sorted({"-".join(sorted((f.reporter, f.partner))) for f in figures})


STAMP_SQL = (
    "SELECT (SELECT max(id) FROM official_imports), (SELECT max(updated) FROM promises),"
    " (SELECT max(id) FROM promise_history)"
)  # each from an index (promises_updated: migration 12)


def stamp(store: Store) -> tuple[Any, ...]:
    """What changes when figures are imported or the ledger is refreshed: a served page's cache key part."""
    return tuple(store.conn.execute(STAMP_SQL).fetchone())
