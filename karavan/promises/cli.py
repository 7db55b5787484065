"""`karavan promises [--pair P]`: the ledger, a table with each promise's status (registered by karavan.cli)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from karavan.cli_checks import country_pair
from karavan.term import amount, say

Command = Callable[..., argparse.ArgumentParser]
STATUS_TEXT = {
    "on_track": "on track", "off_track": "off track", "met": "met", "missed": "missed",
    "no_deadline": "no deadline yet", "superseded": "superseded", "awaiting_data": "awaiting data",
}  # fmt: skip
CSV_COLUMNS = [
    "id", "pair", "flow", "product", "level", "unit", "factor", "by", "status", "reason", "declared", "declared_by",
    "declared_docs", "restated", "restated_docs", "last_stated", "baseline_year", "baseline", "baseline_source",
    "latest_year", "latest", "latest_source", "required_growth_pct", "growth_since_pct", "progress_pct",
    "superseded_by", "history",
]  # fmt: skip


def money(value: float | None, unit: str | None) -> str:
    return "-" if value is None else f"{amount(value)} {unit or ''}".strip()


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x:+g}%"


def promise_row(p: dict[str, Any]) -> dict[str, Any]:
    """A promise as one flat row: what the CSV exports and the table shows."""
    statements = p["restatements"]
    return promise_cells(
        p, [s["date"] for s in statements], sorted({x for s in statements for x in s["docs"]})
    )


def promise_cells(p: dict[str, Any], restated: list[Any], restated_docs: list[Any]) -> dict[str, Any]:
    """promise_row of a promise read without its restatements, given their dates and their documents."""
    b, last, d = p["baseline"] or {}, p["latest"] or {}, p["declared"]
    return {
        "id": p["id"], "pair": p["pair"], "flow": p["flow"], "product": p["product"], "level": p["level"],
        "unit": p["unit"], "factor": p["factor"], "by": p["by"], "status": p["status"], "reason": p["reason"],
        "declared": d["date"] or None, "declared_by": d["claimants"], "declared_docs": d["docs"],
        "restated": restated, "restated_docs": restated_docs, "last_stated": p["last_stated"],
        "baseline_year": b.get("year"), "baseline": b.get("value"), "baseline_source": b.get("source"),
        "latest_year": last.get("year"), "latest": last.get("value"), "latest_source": last.get("source"),
        "required_growth_pct": p["required_growth_pct"], "growth_since_pct": p["growth_since_pct"],
        "progress_pct": p["progress_pct"], "superseded_by": p["superseded_by"],
        "history": [f"{h['at']}: {h['status']}" for h in p.get("history") or [] if h.get("current", True)],
    }  # fmt: skip


def cmd_promises(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.cli_reconcile import emit, open_reconciled
    from karavan.promises.store import compute_ledger, read_promises, refresh_promises

    with open_reconciled(args.db) as store:
        if args.as_of:
            data = [p.to_dict() for p in compute_ledger(store, args.as_of)]
            if args.pair:
                data = [p for p in data if set(p["countries"]) == set(args.pair.split("-"))]
        else:
            refresh_promises(
                store, pairs=[]
            )  # as of today: whole once a day (reconciles keep changed pairs')
            data = read_promises(store, args.pair)
    rows = [promise_row(p) for p in data]
    if args.format == "csv":
        emit(rows, "csv", out, CSV_COLUMNS)
        return 0
    if args.format == "json":
        emit(rows, "json", out, CSV_COLUMNS, data)
        return 0
    shown = []
    for r in rows:
        shown.append({
            "pair": r["pair"], "target": money(r["level"], r["unit"]) if r["level"] else f"x{r['factor']:g}",
            "by": r["by"] or "-", "declared": r["declared"] or "undated",
            "by whom": ", ".join(r["declared_by"]) or "unattributed", "restated": len(r["restated"]),
            "baseline": f"{r['baseline_year']}: {money(r['baseline'], r['unit'])}" if r["baseline_year"] else "-",
            "needs": pct(r["required_growth_pct"]) + ("/yr" if r["required_growth_pct"] is not None else ""),
            "since": pct(r["growth_since_pct"]) + ("/yr" if r["growth_since_pct"] is not None else ""),
            "status": STATUS_TEXT.get(r["status"], r["status"]),
        })  # fmt: skip
    from karavan.term import table

    cols = ["pair", "target", "by", "declared", "by whom", "restated", "baseline", "needs", "since", "status"]
    table(shown, cols, out)
    for p in data:
        if args.pair or len(data) == 1:
            say(
                f"{p['pair']} {money(p['level'], p['unit'])}: {STATUS_TEXT.get(p['status'])} ({p['reason']})",
                out,
            )
            for s in [p["declared"], *p["restatements"]]:
                print(f"    {s['date'] or 'undated'}  {', '.join(s['docs'])}", file=out)
            for h in p.get("history") or []:
                print(f"    {h['at']}: {h['previous'] or '-'} -> {h['status']}  ({h['reason']})", file=out)
    print(f"{len(rows)} promises" + (f" as of {args.as_of}" if args.as_of else ""), file=out)
    return 0


def iso_day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def register(command: Command, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    p = command(
        "promises", cmd_promises, "the promise ledger: every declared target, its baseline and status"
    )
    db_option(p)
    p.add_argument(
        "--pair", type=country_pair, metavar="XX-YY", help="two country codes, either order (KZ-TJ)"
    )
    p.add_argument("--as-of", type=iso_day, metavar="YYYY-MM-DD",
                   help="the statuses as of that day, from what was known then (not stored)")  # fmt: skip
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="output format (default: table)")  # fmt: skip
