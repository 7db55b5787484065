"""`karavan official import|figures|verdicts` (registered by karavan.cli)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from karavan.cli_checks import country_pair
from karavan.official.importer import FORMATS
from karavan.term import amount

Command = Callable[..., argparse.ArgumentParser]


def money(value: float | None, unit: str | None) -> str:
    return "-" if value is None else f"{amount(value)} {unit or ''}".strip()


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from karavan import api
    from karavan.official.importer import import_file

    with api.open_store(args.db) as store:
        s = import_file(
            store, args.file, args.format, args.mapping, args.source, args.revised, args.preliminary
        )
    skipped = sum(s["skipped"].values())
    print(
        f"{args.file}: {s['rows']} rows read: {s['figures']} figures stored ({s['new']} new, {s['changed']} changed, "
        f"{s['unchanged']} unchanged); {skipped} rows skipped",
        file=out,
    )
    for reason, n in s["skipped"].items():
        print(f"  skipped {n}: {reason}", file=out)
    v = s["refreshed"]["verdicts"]
    counts = ", ".join(f"{k} {n}" for k, n in v.items() if k != "compared") or "none"
    print(f"press trade facts compared: {v['compared']} ({counts})", file=out)
    p = s["refreshed"]["promises"]
    print(f"promises: {p['promises']} ({p['changes']} status changes recorded)", file=out)
    return 0


def cmd_figures(args: argparse.Namespace, out: TextIO) -> int:
    from karavan import api
    from karavan.cli_reconcile import emit
    from karavan.official.store import COLUMNS, read_figures

    with api.open_store(args.db, create=False) as store:
        figures = [f.to_dict() for f in read_figures(store, args.pair)]
    rows = [{**f, "amount": money(f["value"], f["unit"]), "data_of": f["reporter"],
             "trade": f"{f['reporter']}->{f['partner']}" if f["flow"] != "turnover" else f"{f['reporter']}-{f['partner']}"}
            for f in figures]  # fmt: skip
    cols = ["data_of", "trade", "flow", "product", "period", "amount", "preliminary", "revised", "source"]
    if args.format == "csv":
        cols = [*(c for c in COLUMNS if c not in ("source", "line")), "source"]
    emit(rows, args.format, out, cols, figures)
    if args.format == "table":
        print(f"{len(rows)} official figures", file=out)
    return 0


def verdict_text(v: dict[str, Any] | None) -> str:
    """`matches KZ data (rounding)`, `CN mirror`, `neither: -41.2% (period)`, `no official figure yet`."""
    if not v:
        return "-"
    side = next((s for s in v["sides"] if s["matches"]), None)
    cause = f" ({v['cause'].replace('_', ' ')})" if v["cause"] else ""
    if v["verdict"] in ("official", "mirror") and side:
        return f"{v['verdict']}: {side['country']} data{cause}"
    if v["verdict"] == "neither":
        diff = f" {v['diff_pct']:+g}%" if v["diff_pct"] is not None else ""
        return f"neither:{diff}{cause}"
    return "no official figure yet"


def cmd_verdicts(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.cli_reconcile import emit, open_reconciled
    from karavan.official.verdicts import verdicts_of

    with open_reconciled(args.db) as store:
        facts = list(store.query_facts(pair=args.pair, type="trade", with_id=True))
        verdicts = verdicts_of(store, [f["fact_id"] for f in facts])
    rows = []
    for f in facts:
        v = verdicts.get(f["fact_id"])
        if v is None:
            continue
        own, mirror = (next((s for s in v["sides"] if s["role"] == r), {}) for r in ("official", "mirror"))
        rows.append({
            "fact_id": f["fact_id"], "doc": f["doc"], "trade": f"{f['reporter']}-{f['partner']}", "flow": f["flow"],
            "product": f["product"], "period": f["period"], "press": money(f["value"], f["unit"]),
            "value": f["value"], "unit": f["unit"], "verdict": v["verdict"], "cause": v["cause"],
            "diff_pct": v["diff_pct"], "says": verdict_text(v),
            "official": money((own.get("figure") or {}).get("value"), f["unit"]) if own.get("figure") else "-",
            "mirror": money((mirror.get("figure") or {}).get("value"), f["unit"]) if mirror.get("figure") else "-",
            "official_value": (own.get("figure") or {}).get("value"), "mirror_value": (mirror.get("figure") or {}).get("value"),
        })  # fmt: skip
    if args.format == "csv":
        cols = ["fact_id", "doc", "trade", "flow", "product", "period", "value", "unit", "verdict", "cause",
                "diff_pct", "official_value", "mirror_value"]  # fmt: skip
    else:
        cols = ["trade", "flow", "product", "period", "press", "official", "mirror", "says", "doc"]
    emit(rows, args.format, out, cols, [{"fact_id": r["fact_id"], **verdicts[r["fact_id"]]} for r in rows])
    if args.format == "table":
        print(f"{len(rows)} press trade facts with a verdict", file=out)
        if not rows:
            print("karavan: no verdicts: import official figures first (karavan official import FILE)",
                  file=sys.stderr)  # fmt: skip
    return 0


def register(command: Command, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """`karavan official ...`: its own subcommands."""
    p = command(
        "official",
        lambda a, o: _usage(p),
        "official trade statistics: import them, list them, press against them",
    )
    sub = p.add_subparsers(dest="official_command", metavar="SUBCOMMAND")

    def subcommand(
        name: str, func: Callable[[argparse.Namespace, TextIO], int], text: str
    ) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=text, description=text, formatter_class=p.formatter_class)
        q.set_defaults(func=func, command_parser=q)
        db_option(q)
        return q

    def fmt(q: argparse.ArgumentParser) -> None:
        q.add_argument("--format", choices=("table", "json", "csv"), default="table",
                       help="output format (default: table)")  # fmt: skip

    q = subcommand(
        "import", cmd_import, "store the figures of a UN Comtrade CSV or a national statistics table"
    )
    q.add_argument("file", metavar="FILE", help="the CSV file")
    q.add_argument("--format", choices=FORMATS, required=True,
                   help="comtrade (UN Comtrade's CSV layout) or csv (a national table read through --mapping)")  # fmt: skip
    q.add_argument("--mapping", metavar="TOML", help="for --format csv: which columns are what (see README)")
    q.add_argument("--source", help="whose figures (default: 'UN Comtrade', or the mapping's source)")
    q.add_argument("--revised", metavar="YYYY-MM-DD",
                   help="the release's revision date (default: the mapping's or the file's, else the day the file was written)")  # fmt: skip
    q.add_argument("--preliminary", action="store_true", help="mark every figure of the file preliminary")

    q = subcommand("figures", cmd_figures, "list the stored official figures")
    q.add_argument(
        "--pair", type=country_pair, metavar="XX-YY", help="two country codes, either order (KZ-CN)"
    )
    fmt(q)

    q = subcommand(
        "verdicts", cmd_verdicts, "each press trade figure against the official and mirror statistics"
    )
    q.add_argument(
        "--pair", type=country_pair, metavar="XX-YY", help="two country codes, either order (KZ-CN)"
    )
    fmt(q)


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2
