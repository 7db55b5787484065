"""Commands over the reconciled store: reconcile, pairs, discrepancies, flags, series, export,
people, person, meetings. Thin: each calls karavan.reconcile.store_bridge (or karavan.export)
and prints a table, JSON or CSV. A command that reads reconciliation results reconciles first
when the store changed since the last run, and says so on stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TextIO

from karavan import api
from karavan.cli_checks import FLOWS, country_pair, one_of, unknown
from karavan.errors import KaravanError
from karavan.export import FORMATS, WHATS, export
from karavan.lookup import lexicon_names, people_matching
from karavan.reconcile import store_bridge as bridge
from karavan.store import Store
from karavan.term import amount, quoted_lines, say, table

Command = Callable[[str, Callable[[argparse.Namespace, TextIO], int], str], argparse.ArgumentParser]


def say_reconciled(ran: dict[str, Any]) -> None:
    print(
        f"karavan: the store was never reconciled: reconciled {ran['facts']} facts into "
        f"{ran['clusters']} clusters in {ran['seconds']:.2f} s",
        file=sys.stderr,
    )


def say_stale(fresh: dict[str, Any]) -> None:
    print(
        f"karavan: showing the reconciliation of {fresh['reconciled']}; {fresh['changed_docs']} documents changed "
        "since (`karavan reconcile` brings it up to date)",
        file=sys.stderr,
    )


def open_reconciled(db: str) -> AbstractContextManager[Store]:
    """The store as its last reconciliation left it (one is run first when there was none, said on stderr);
    a read never waits for a reconciliation, and says on stderr when documents changed since."""
    return api.last_reconciled(db, on_run=say_reconciled, on_stale=say_stale)


def after_ingest(db: str, out: TextIO) -> None:
    """`karavan ingest` reconciles what it changed (incrementally) before it returns."""
    s = api.reconcile(db)
    if s["changed"]:
        print(
            f"reconciled: {s['redone_docs']} documents, {s['redone_blocks']} country sets redone "
            f"({s['kind']}, {s['seconds']:.2f} s): {s['clusters']} clusters, {s['discrepancies']} discrepancies",
            file=out,
        )


def money(value: float | None, unit: str | None) -> str:
    return "-" if value is None else f"{amount(value)} {unit or ''}".strip()


def span(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None or low == high else f"{amount(low)}–{amount(high)}"


def emit(rows: list[dict[str, Any]], fmt: str, out: TextIO, columns: list[str], data: Any = None) -> None:
    """JSON (the API's own dicts), CSV of `rows` (lists as JSON text), or a table of `rows`."""
    if fmt == "json":
        out.write(json.dumps(rows if data is None else data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()}
            )
    else:
        flat = [{k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()} for r in rows]
        table(flat, columns, out)


# -- commands ---------------------------------------------------------------------------------------


def cmd_reconcile(args: argparse.Namespace, out: TextIO) -> int:
    if args.parquet:
        from karavan.cli_spark import cmd_reconcile_parquet

        return cmd_reconcile_parquet(args, out)
    s = api.reconcile(args.db, full=args.full)
    state = "reconciled" if s["changed"] else "unchanged since the last run"
    print(
        f"{args.db}: {state}: {s['facts']} facts from {s['docs']} documents -> {s['clusters']} clusters, "
        f"{s['discrepancies']} discrepancies, {s['changes']} changes, {s['flags']} flags ({s['seconds']:.2f} s)",
        file=out,
    )
    return 0


def cmd_pairs(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        data = bridge.read_pairs(store)
    if args.pair:
        data = [p for p in data if set(p["pair"].split("-")) == set(args.pair.split("-"))]
        if not data:
            print(f"karavan: no pair {args.pair} in the store (see `karavan pairs`)", file=sys.stderr)
    rows = []
    for p in data:
        y, t = p["latest_full_year"] or {}, p["target"] or {}
        rng = p["progress_range"]
        rows.append({
            "pair": p["pair"], "year": (y.get("period") or "")[:4] or None,
            "turnover": money(y.get("value"), y.get("unit")) if y else None,
            "range": span(*(y.get("range") or [None, None])) or None, "unit": y.get("unit"),
            "value": y.get("value"), "target": money(t.get("value"), t.get("unit")) if t else None,
            "target_value": t.get("value"), "by": t.get("by"), "stated": t.get("stated"),
            "progress": f"{p['progress_pct']:g}%" + (f" ({rng[0]:g}–{rng[1]:g})" if rng else "")
            if p["progress_pct"] is not None else None,
            "progress_pct": p["progress_pct"], "sources": p["sources"], "discrepancies": p["open_discrepancies"],
        })  # fmt: skip
    if args.format == "csv":
        cols = ["pair", "year", "value", "unit", "target_value", "by", "stated", "progress_pct", "sources"]
        emit(rows, "csv", out, [*cols, "discrepancies"])
    else:
        cols = ["pair", "year", "turnover", "range", "target", "by", "stated", "progress", "sources"]
        emit(rows, args.format, out, [*cols, "discrepancies"], data)
    return 0


def cmd_discrepancies(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.official.discrepancies import side_text, with_official

    with open_reconciled(args.db) as store:
        data = with_official(store, bridge.read_discrepancies(store, args.pair), args.pair)
    rows = [
        {"id": d["id"], "pair": d["pair"], "type": d["type"], "flow": d["flow"], "product": d["product"],
         "period": d["period"], "side": i, "value": s["value"], "low": s["low"], "high": s["high"],
         "claimant": s["claimant"], "data_of": s["data_of"], "own_data": s["own_data"],
         "docs": sorted({e["doc"] for e in s["evidence"]}), "quote": s["evidence"][0]["quote"] if s["evidence"] else None,
         "kind": d["kind"], "official": side_text(s)}
        for d in data for i, s in enumerate(d["sides"], 1)
    ]  # fmt: skip
    if args.format != "table":
        emit(rows, args.format, out, list(rows[0]) if rows else ["id"], data)
        return 0
    for d in data:
        what = " ".join(x for x in (d["type"], d["flow"], d["product"]) if x)
        kind = (
            f"press against official statistics: {(d['cause'] or '').replace('_', ' ')}; "
            if d["kind"] == "official"
            else ""
        )
        say(f"{d['pair']} {what} {d['period']}  ({kind}spread {d['spread_pct']}%)  [{d['id']}]", out)
        for s in d["sides"]:
            if s.get("official") and d["kind"] == "official" and not s["evidence"]:
                say(f"{money(s['value'], d['unit'])}  {side_text(s)}", out, indent=2)
                continue
            who = s["claimant"] or ", ".join(s["claimants"]) or "unattributed"
            whose = f"; {s['data_of']} data" if s["data_of"] else ""
            own = "; “our data”" if s["own_data"] else ""
            rng = f" [{span(s['low'], s['high'])}]" if span(s["low"], s["high"]) else ""
            say(f"{money(s['value'], d['unit']) if d['measure'] == 'value' else s['value']}{rng}"
                f"  {who}{whose}{own}", out, indent=2)  # fmt: skip
            if s.get("official"):
                say(f"official statistics: {side_text(s)}", out, indent=6)
            for e in s["evidence"]:
                print(f"      {e['doc']} {e['published'] or ''}".rstrip(), file=out)
                for line in quoted_lines(e["quote"], 8, out):
                    print(line, file=out)
    print(f"{len(data)} discrepancies", file=out)
    return 0


def cmd_flags(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        data = bridge.read_flags(store, args.pair)
    emit(data, args.format, out, ["pair", "code", "message", "cluster_id", "fact_ids"])
    if args.format == "table":
        print(f"{len(data)} flags", file=out)
    return 0


def series_of_pair(store: Store, pair: str) -> list[str]:
    """'flow product' of every series the store has for `pair` (either order)."""
    a, b = pair.split("-")
    rows = store.conn.execute(
        "SELECT DISTINCT flow, product FROM recon_series WHERE pair IN (?, ?) ORDER BY flow, product",
        (f"{a}-{b}", f"{b}-{a}"),
    ).fetchall()
    return [f"{flow} {product}" for flow, product in rows]


def cmd_series(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.official.series import attach_official, official_columns

    with open_reconciled(args.db) as store:
        data = attach_official(store, bridge.read_series(store, args.pair, args.flow, args.product))
        known = series_of_pair(store, args.pair)
    if not data["points"] and f"{args.flow} {args.product}" not in known:
        asked = f"{args.flow} {args.product}"
        raise KaravanError(
            unknown(f"series of {args.pair}", asked, known)
            if known
            else f"no series for the pair {args.pair} in the store (see `karavan pairs`)"
        )
    unit = data["unit"]
    rows = [
        {**p, "amount": money(p["value"], unit), "range": span(p["low"], p["high"]) if p["discrepant"] else "",
         "n": p["n_sources"], "flags": ",".join(p["flags"]) or "", "unit": unit,
         "docs": sorted({e["doc"] for e in p["sources"]}), "quote": p["sources"][0]["quote"] if p["sources"] else None,
         **official_columns(p), "statistics": " · ".join(f"{o['country']} {money(o['value'], unit)}" for o in p["official"].values())}
        for p in data["points"]
    ]  # fmt: skip
    if args.format == "csv":
        cols = [
            "period",
            "year",
            "kind",
            "value",
            "low",
            "high",
            "unit",
            "discrepant",
            "flags",
            "n",
            "cluster_id",
        ]
        emit(rows, "csv", out, [*cols, "docs", "quote", "official", "official_by", "mirror", "mirror_by"])
        return 0
    shown = [
        "period",
        "kind",
        "amount",
        "range",
        "n",
        "flags",
        *(["statistics"] if data["official"] else []),
        "quote",
    ]
    emit(rows, args.format, out, shown, data)
    if args.format == "table":
        t = data["target"]
        head = f"{data['pair']} {data['flow']} {data['product']}: {len(rows)} points"
        if t:
            by = f" by {t['by']}" if t["by"] else ""
            pct = f"; progress {data['progress_pct']:g}%" if data["progress_pct"] is not None else ""
            head += f"; target {money(t['value'], t['unit'])}{by} (stated {t['stated']}){pct}"
        say(head, out)
        for side in data["official"]:
            figures = ", ".join(f"{p['period'] if p['kind'] != 'year' else p['year']} {money(p['value'], unit)}"
                                for p in side["points"])  # fmt: skip
            say(f"{side['label']} ({side['flow']}): {figures}", out, indent=2)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        n = export(store, args.what, args.format, out=out, path=args.out)
    if args.out:
        print(f"{args.out}: {n} rows ({args.what}, {args.format})", file=sys.stderr)
    return 0


def current_role(roles: list[dict[str, Any]]) -> str | None:
    live = [r for r in roles if not r["to"]] or roles
    return max(live, key=lambda r: r["from"])["role"] if live else None


def cmd_people(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        data = bridge.read_people(store)
    rows = [{**p, "role": current_role(p["roles"])} for p in data]
    emit(rows, args.format, out, ["id", "name", "country", "role", "meetings", "statements"], data)
    if args.format == "table":
        print(f"{len(rows)} people", file=out)
    return 0


def cmd_person(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        names = [p["name"] for p in bridge.read_people(store)] + lexicon_names()
        matches = people_matching(args.name, names)
        if len(matches) > 1:
            raise KaravanError(
                f"{args.name!r} matches {len(matches)} people: {', '.join(matches)}; give more of the name"
            )
        data = bridge.read_person(store, matches[0] if matches else args.name)
    if data is None:
        raise KaravanError(
            f"no person {args.name!r} in the store or the people lexicon (see `karavan people`)"
        )
    rows = [
        {**t, "what": ("with " + ", ".join(t["with"]) if t["kind"] == "meeting" else
                       f"{t['type']} {t['pair']} {t['period'] or ''} {money(t['value'], t['unit']) if t['value'] is not None else ''}".strip()),
         "docs": t["doc"]}
        for t in data["timeline"]
    ]  # fmt: skip
    if args.format != "table":
        emit(rows, args.format, out, ["date", "kind", "what", "place", "doc", "fact_id", "quote"], data)
        return 0
    roles = (
        ", ".join(f"{r['role']} {r['from']}–{r['to'] or ''}" for r in data["roles"]) or "not in the lexicon"
    )
    say(f"{data['name']} ({data['country'] or '?'}; {roles}): {data['meetings']} meetings, "
        f"{data['statements']} statements", out)  # fmt: skip
    for t in rows:
        place = f" in {t['place']}" if t["place"] else ""
        say(f"{t['date'] or 'undated':<10}  {t['kind']:<9} {t['what']}{place}  [{t['doc']} #{t['fact_id']}]",
            out, hang=12)  # fmt: skip
        for line in quoted_lines(t["quote"], 12, out):
            print(line, file=out)
    return 0


def cmd_meetings(args: argparse.Namespace, out: TextIO) -> int:
    with open_reconciled(args.db) as store:
        data = bridge.read_meetings(store, args.pair)
    rows = [
        {**m, "n": m["n_sources"], "docs": sorted({s["doc"] for s in m["sources"]}),
         "quote": m["sources"][0]["quote"] if m["sources"] else None}
        for m in data
    ]  # fmt: skip
    emit(rows, args.format, out, ["date", "countries", "participants", "place", "n", "docs", "quote"], data)
    if args.format == "table":
        print(f"{len(rows)} meetings", file=out)
    return 0


# -- registration -----------------------------------------------------------------------------------


def register(command: Command, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the reconciliation commands to the karavan parser (called from karavan.cli.build_parser)."""

    def fmt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=("table", "json", "csv"),
            default="table",
            help="output format (default: table)",
        )

    def pair(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--pair", type=country_pair, metavar="XX-YY", help="two country codes, either order (KZ-TJ)"
        )

    p = command("reconcile", cmd_reconcile, "cluster facts across sources; find discrepancies, flags, series")
    db_option(p)
    p.add_argument("--full", action="store_true", help="reconcile even when the store has not changed")
    p.add_argument(
        "--parquet", metavar="OUTPUT",
        help="reconcile the facts of a `karavan spark extract` OUTPUT in place, block by block, into "
        "OUTPUT/reconciled/ (Parquet; no store)",
    )  # fmt: skip
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N",
        help="with --parquet: reconcile the country sets in N processes (default: 1)",
    )  # fmt: skip

    p = command("pairs", cmd_pairs, "country pairs: latest full-year turnover, target, progress, sources")
    db_option(p)
    pair(p)
    fmt(p)

    p = command(
        "discrepancies", cmd_discrepancies, "figures that disagree, side by side with quotes and claimants"
    )
    db_option(p)
    pair(p)
    fmt(p)

    p = command(
        "flags", cmd_flags, "implausible figures (scale slips, parts above wholes, growth mismatches)"
    )
    db_option(p)
    pair(p)
    fmt(p)

    p = command("series", cmd_series, "one pair's values over time, with sources, target and progress")
    p.add_argument(
        "pair", type=country_pair, metavar="XX-YY",
        help="two country codes; exporter first for --flow export/import",
    )  # fmt: skip
    db_option(p)
    p.add_argument(
        "--flow", type=one_of("flow", FLOWS), default="turnover",
        help="turnover, export or import (default: turnover)",
    )  # fmt: skip
    p.add_argument("--product", default="total", help="total, agri, industrial, grain, ... (default: total)")
    fmt(p)

    p = command("export", cmd_export, "write facts, clusters, series or a UN Comtrade layout to a file")
    db_option(p)
    p.add_argument("--what", choices=WHATS, default="facts", help="what to export (default: facts)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv (UTF-8 with a BOM in a file), json (lines), xlsx or parquet (default: csv)",
    )
    p.add_argument(
        "--out", metavar="FILE", help="output file (default: standard output; required for xlsx, parquet)"
    )

    p = command("people", cmd_people, "people who meet or speak in the store")
    db_option(p)
    fmt(p)

    p = command("person", cmd_person, "one person's timeline of meetings and statements, with quotes")
    p.add_argument(
        "name", metavar="NAME", help="id, name or surname (olzhas-bektenov, 'Olzhas Bektenov', Bektenov)"
    )
    db_option(p)
    fmt(p)

    p = command(
        "meetings", cmd_meetings, "meetings (one per meeting however many sites report it), newest first"
    )
    db_option(p)
    pair(p)
    fmt(p)
