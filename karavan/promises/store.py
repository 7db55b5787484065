"""The ledger over a store: its inputs read from the facts, the reconciled press series and the official
figures; the promises and their status history written to the `promises` and `promise_history` tables.

    refresh_promises(store)                  # after a reconcile or an import (karavan.official.hook)
    read_promises(store, pair="KZ-TJ")       # the ledger as JSON-ready dicts, history included
    promise_events(store, pair=None)         # status changes, newest noticed first (the Atom feeds)

The history is kept: a change the data no longer gives (a document was removed) stays, marked
`current` 0; a change is `noticed` when karavan first recorded it.

A refresh can be limited to some pairs (`pairs`: those whose facts a reconcile redid): their promises are
computed again and the others kept, each row with `ord`, a sort key of the place it takes in the whole
ledger. The ledger depends on the date too (a deadline year ends): store_meta's `promises` row holds the
day of the last whole refresh (and LEDGER_FORMAT), and a refresh on another day, or of a store an older
karavan wrote, is whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from karavan.official.compare import Index
from karavan.official.periods import is_full_year
from karavan.official.store import now, read_figures
from karavan.promises.ledger import Key, build_ledger, full
from karavan.promises.model import Promise, TargetFact, YearFigure
from karavan.reconcile import DocInfo, doc_years
from karavan.reconcile.keys import json_rows
from karavan.reconcile.order import sort_key
from karavan.store import Store, parse_pair

SYMMETRIC = {"turnover"}
LEDGER_FORMAT = 2
"""Bump when what refresh_promises writes changes: the next refresh is then whole."""


def _target_facts(store: Store, pairs: list[str] | None = None) -> list[TargetFact]:
    """The target facts (of `pairs`, countries sorted and joined by '-', when given), by fact id."""
    if pairs is None:
        rows = store.conn.execute(
            "SELECT f.id, f.doc_id, f.data, d.published FROM facts f JOIN documents d ON d.id = f.doc_id"
            " WHERE f.type = 'target' ORDER BY f.id"
        ).fetchall()
    else:
        rows = []
        for i in range(0, len(pairs), 500):
            chunk = pairs[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows += store.conn.execute(
                "SELECT DISTINCT f.id, f.doc_id, f.data, d.published FROM fact_pairs p"
                " JOIN facts f ON f.id = p.fact_id JOIN documents d ON d.id = f.doc_id"
                f" WHERE p.pair IN ({marks}) AND f.type = 'target'",
                chunk,
            ).fetchall()
        rows.sort(key=lambda r: r[0])
    published = {r[1]: r[3] for r in rows}
    # a target's date is its document's publication date; the year it was written only where it has none
    docs = sorted(d for d, pub in published.items() if not pub)
    periods: list[dict[str, Any]] = []
    for i in range(0, len(docs), 500):
        chunk = docs[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        periods += [
            {"doc": d, "type": "trade", "period": p}
            for d, p in store.conn.execute(
                f"SELECT doc_id, period FROM facts WHERE type = 'trade' AND period IS NOT NULL AND doc_id IN ({marks})",
                chunk,
            )
        ]
    years = doc_years(periods, {d: DocInfo(published=published[d]) for d in docs})
    out = []
    for (fact_id, doc, _, pub), f in zip(rows, json_rows([r[2] for r in rows]), strict=True):
        a, b = f.get("reporter"), f.get("partner")
        flow, unit = f.get("flow") or "turnover", f.get("unit")
        if not a or not b or a == b or not unit:
            continue
        ordered = flow not in SYMMETRIC
        countries = (a, b) if ordered else tuple(sorted((a, b)))
        when = (pub or "")[:10] or (str(years[doc]) if years.get(doc) else "")
        out.append(TargetFact(
            fact_id=int(fact_id), doc=doc, date=when, countries=countries, ordered=ordered, flow=flow,
            product=f.get("product") or "total", unit=unit, value=f.get("value"), factor=f.get("factor"),
            by=str(f["by"])[:4] if f.get("by") else None, reporter=a, claimant=f.get("claimant"), quote=f.get("quote"),
        ))  # fmt: skip
    return out


def _published(store: Store, docs: list[str]) -> dict[str, str]:
    from karavan.reconcile.dupes_store import chunks

    out: dict[str, str] = {}
    for part in chunks(docs):
        marks = ", ".join("?" * len(part))
        sql = f"SELECT id, published FROM documents WHERE id IN ({marks}) AND published IS NOT NULL"
        out.update(store.conn.execute(sql, part).fetchall())
    return out


def _press_figures(store: Store, key: Key) -> list[YearFigure]:
    """The key's series points of full years and years to date, each known from its first source's date."""
    from karavan.reconcile.store_bridge import pick_series

    countries, ordered, flow, product, unit = key
    series = pick_series(store, "-".join(countries), flow, product)
    if series is None or series.get("unit") != unit:
        return []
    points = [
        p
        for p in series["points"]
        if p["value"] is not None and "scale" not in (p.get("flags") or []) and p["kind"] in ("year", "ytd")
    ]
    published = _published(store, sorted({d for p in points for d in p["docs"]}))
    out = []
    for p in points:
        dates = sorted(published[d] for d in p["docs"] if published.get(d))
        year = int(p["period"][8:12])
        known = dates[0] if dates else str(year + 1 if p["kind"] == "year" else year)
        n = p.get("n_sources") or 1
        out.append(
            YearFigure(year, p["value"], p["kind"], f"press, {n} source{'s' if n != 1 else ''}", known, 2)
        )
    return out


def _sides(key: Key, declarer: str | None) -> list[tuple[str, str, str]]:
    """(reporter, partner, flow) of the statistics that measure the promise, the declarer's first."""
    countries, _, flow, _, _ = key
    a, b = countries
    if flow == "export":
        sides = [(a, b, "export"), (b, a, "import")]
    elif flow == "import":
        sides = [(a, b, "import"), (b, a, "export")]
    else:
        sides = [(a, b, "turnover"), (b, a, "turnover")]
    return sorted(sides, key=lambda s: s[0] != declarer)


Releases = dict[tuple[str, str, str, str, str], list[tuple[str, list[Any]]]]


def _by_measure(index: Index) -> Releases:
    """(reporter, partner, flow, product, unit) -> [(period, releases)] of the index."""
    out: Releases = {}
    for (r, p, fl, prod, period, u), releases in index.releases.items():
        out.setdefault((r, p, fl, prod, u), []).append((period, releases))
    return out


def _official_figures(releases: Releases, key: Key, declarer: str | None) -> list[YearFigure]:
    _, _, _, product, unit = key
    out = []
    for rank, (reporter, partner, flow) in enumerate(_sides(key, declarer)):
        for period, rel in releases.get((reporter, partner, flow, product, unit), []):
            if period[:4] != period[8:12] or period[5:7] != "01":
                continue  # a year, or January to some month of one year
            f = rel[-1]
            out.append(YearFigure(int(period[:4]), f.value, "year" if is_full_year(period) else "ytd",
                                  f"{reporter} statistics ({f.source})", f.revised, rank))  # fmt: skip
    return out


def ledger_inputs(
    store: Store, pairs: list[str] | None = None
) -> tuple[list[TargetFact], dict[Key, list[YearFigure]]]:
    """The targets and the yearly figures of every promise key (of `pairs` only, when given)."""
    targets = [
        t for t in _target_facts(store, pairs) if pairs is None or "-".join(sorted(t.countries)) in pairs
    ]
    if pairs is None:
        figures_of = read_figures(store)
    else:
        figures_of = [f for pair in pairs for f in read_figures(store, pair)]
    releases = _by_measure(Index(figures_of))
    # each key's declarer: the reporter of its earliest target (the first listed among equals)
    declarer: dict[Key, str | None] = {}
    for t in sorted(targets, key=lambda t: t.date):
        declarer.setdefault((t.countries, t.ordered, t.flow, t.product, t.unit), t.reporter)
    figures: dict[Key, list[YearFigure]] = {}
    for key in sorted(declarer):
        figures[key] = _official_figures(releases, key, declarer[key]) + _press_figures(store, key)
    return targets, figures


def compute_ledger(store: Store, today: date | str | None = None) -> list[Promise]:
    """The ledger as of `today` (default: today), not stored."""
    targets, figures = ledger_inputs(store)
    return build_ledger(targets, figures, today or date.today())


def _day(today: date | str | None) -> str:
    if today is None:
        return date.today().isoformat()
    return today if isinstance(today, str) else today.isoformat()


def _mark(day: str) -> int:
    """store_meta holds integers: the day as YYYYMMDD, then the format in two digits."""
    return int(day[:10].replace("-", "")) * 100 + LEDGER_FORMAT


def refresh_promises(
    store: Store, today: date | str | None = None, pairs: Iterable[str] | None = None
) -> dict[str, int]:
    """Compute the ledger and store it with the status history; {"promises": n, "changes": newly recorded,
    "pairs": pairs refreshed (0: all)}. With `pairs` (countries sorted and joined by '-'), only their
    promises are computed again, when the last whole refresh was today's (module doc); else all are."""
    day = _day(today)
    conn = store.conn
    mark = conn.execute("SELECT value FROM store_meta WHERE key = 'promises'").fetchone()
    only = (
        sorted(set(pairs)) if pairs is not None and mark is not None and int(mark[0]) == _mark(day) else None
    )
    if only == []:
        return {"promises": 0, "changes": 0, "pairs": 0}
    targets, figures = ledger_inputs(store, only)
    ledger = build_ledger(targets, figures, day)
    stamp = now()
    where, args = (
        ("", ()) if only is None else (f" WHERE pair IN ({', '.join('?' * len(only))})", tuple(only))
    )
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM promises" + where, args)
        conn.executemany(
            "INSERT INTO promises (id, ord, pair, flow, product, status, data, head, restated, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p.id, _order(p), "-".join(sorted(p.countries)), p.flow, p.product, p.status,
              *p.stored_json(), stamp) for p in ledger],
        )  # fmt: skip
        conn.execute("UPDATE promise_history SET current = 0" + where, args)
        conn.executemany(
            "INSERT INTO promise_history (promise_id, pair, at, status, previous, reason, noticed, current)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (promise_id, at, status, previous)"
            " DO UPDATE SET current = 1, reason = excluded.reason",
            [(p.id, "-".join(sorted(p.countries)), h.at, h.status, h.previous or "", h.reason, stamp)
             for p in ledger for h in p.history],
        )  # fmt: skip
        (new,) = conn.execute("SELECT count(*) FROM promise_history WHERE noticed = ?", (stamp,)).fetchone()
        if only is None:
            conn.execute(
                "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('promises', ?)", (_mark(day),)
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"promises": len(ledger), "changes": int(new), "pairs": len(only or [])}


def _order(p: Promise) -> str:
    """The promise's place in the whole ledger (build_ledger's order), as a string that sorts so."""
    return sort_key(tuple(p.countries), p.ordered, p.flow, p.product, p.unit, full(p.declared.date), p.id)


def _history(store: Store, ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for pid in ids:
        out[pid] = [
            {
                "at": r[0],
                "status": r[1],
                "previous": r[2],
                "reason": r[3],
                "noticed": r[4],
                "current": bool(r[5]),
            }
            for r in store.conn.execute(
                "SELECT at, status, previous, reason, noticed, current FROM promise_history WHERE promise_id = ?"
                " ORDER BY current DESC, at, id",
                (pid,),
            )
        ]
    return out


def read_promises(store: Store, pair: str | None = None) -> list[dict[str, Any]]:
    """The stored ledger (of one pair, either order), each promise with its kept status history."""
    key = "-".join(sorted(parse_pair(pair))) if pair else None
    rows = [
        json.loads(r[0])
        for r in store.conn.execute(
            "SELECT data FROM promises WHERE (? IS NULL OR pair = ?) ORDER BY ord", (key, key)
        )
    ]
    history = _history(store, [p["id"] for p in rows])
    for p in rows:
        p["history"] = history.get(p["id"], [])
    return rows


def read_promise(store: Store, promise_id: str) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT data FROM promises WHERE id = ?", (promise_id,)).fetchone()
    if row is None:
        return None
    p = json.loads(row[0])
    p["history"] = _history(store, [promise_id])[promise_id]
    return p


def promise_events(store: Store, pair: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Recorded status changes, newest noticed first, with their promise's summary (its head, the list
    form: promises/heads.py)."""
    key = "-".join(sorted(parse_pair(pair))) if pair else None
    # the changes first, their promises after: sorting every change with its promise's JSON (hundreds of
    # kilobytes for a big pair's) took seconds
    where = "h.current = 1" + (" AND h.pair = ?" if key else "")
    rows = store.conn.execute(
        "SELECT h.id, h.promise_id, h.pair, h.at, h.status, h.previous, h.reason, h.noticed, coalesce(p.head, p.data) FROM"
        f" (SELECT * FROM promise_history h WHERE {where} ORDER BY h.noticed DESC, h.id DESC LIMIT ?) h"
        " LEFT JOIN promises p ON p.id = h.promise_id ORDER BY h.noticed DESC, h.id DESC",
        (*([key] if key else []), limit),
    )
    promises: dict[str, Any] = {}  # a promise's JSON decoded once, however many of its changes are listed

    def promise(promise_id: str, data: str | None) -> Any:
        if promise_id not in promises:
            promises[promise_id] = json.loads(data) if data else None
        return promises[promise_id]

    return [
        {"id": r[0], "promise_id": r[1], "pair": r[2], "at": r[3], "status": r[4], "previous": r[5] or None,
         "reason": r[6], "noticed": r[7], "promise": promise(r[1], r[8])}
        for r in rows
    ]  # fmt: skip
