"""The karavan command: parses arguments, calls karavan.api and the store, prints.

Every user error is a KaravanError, printed as one line `karavan: error: <file>: <message>`
with exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from karavan import __version__, api
from karavan.doc import Doc, Fact
from karavan.ingest import DEFAULT_MAX_BYTES
from karavan.ingest.errors import KaravanError, NothingRead
from karavan.store import DEFAULT_DB, FACT_FIELDS

WIDTH = 92  # help is rendered at a fixed width so the README reference never depends on the terminal
DIM, FACT, RESET = "\x1b[2m", "\x1b[30;43m", "\x1b[0m"


class Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=WIDTH)


def problem_line(problem: KaravanError) -> str:
    return f"karavan: {'warning' if problem.warning else 'error'}: {problem}"


def print_problem(problem: KaravanError) -> None:
    print(problem_line(problem), file=sys.stderr, flush=True)


# -- ingest / extract ---------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    show = not args.quiet and sys.stderr.isatty() and os.environ.get("CI", "") != "true"
    result = api.ingest_paths(
        args.paths,
        args.db,
        force=args.force,
        show_progress=show,
        report=print_problem,
        max_bytes=args.max_bytes,
        jobs=args.jobs,
    )
    if result.read == 0 and not result.interrupted:
        raise NothingRead(f"nothing could be read ({result.errors} errors above)")
    print(
        f"{args.db}: {result.read} documents read: {result.new} new, {result.unchanged} unchanged, "
        f"{result.replaced} replaced; {result.errors} errors, {result.warnings} warnings",
        file=out,
    )
    types = ", ".join(f"{t} {n}" for t, n in sorted(result.by_type.items())) or "none"
    print(f"facts stored: {result.facts} ({types})", file=out)
    print(
        "languages: " + (", ".join(f"{lang} {n}" for lang, n in result.langs.most_common()) or "none"),
        file=out,
    )
    with api.open_store(args.db) as store:
        print(
            f"database holds {store.count('documents')} documents and {store.count('facts')} facts", file=out
        )
    if result.interrupted:
        print(
            f"karavan: interrupted: {result.stored} documents stored by this run; "
            "run the same command again to resume where it stopped",
            file=sys.stderr,
        )
        return 130
    return 0


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    read = 0
    for doc in api.extract_paths(args.paths, report=print_problem, max_bytes=args.max_bytes, jobs=args.jobs):
        read += 1
        for fact in doc.facts:
            out.write(json.dumps(fact.to_dict(), ensure_ascii=False) + "\n")
    if read == 0:
        raise NothingRead("nothing could be read")
    return 0


# -- docs / facts --------------------------------------------------------------------------


def table(rows: list[dict[str, Any]], columns: list[str], out: TextIO, max_width: int = 60) -> None:
    cells = [[cell(r.get(c), max_width) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(), file=out)
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip(), file=out)


def cell(value: Any, max_width: int) -> str:
    if value is None:
        return "-"
    text = " ".join(str(value).split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def cmd_docs(args: argparse.Namespace, out: TextIO) -> int:
    with api.open_store(args.db, create=False) as store:
        rows = list(store.doc_summaries())
    table(rows, ["id", "lang", "script", "chars", "facts", "published", "source"], out)
    print(f"{len(rows)} documents", file=out)
    return 0


def amount(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    for size, word in ((1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{value / size:.4g} {word}"
    return f"{value:,.6g}".replace(",", " ")


def countries_of(fact: dict[str, Any]) -> str:
    if fact.get("reporter") or fact.get("partner"):
        return f"{fact.get('reporter') or '?'}→{fact.get('partner') or '?'}"
    return ",".join(fact.get("countries") or fact.get("parties") or []) or "-"


def details(fact: dict[str, Any]) -> str:
    """The type-specific fields that are set, in FACTS.md order, money as '1.4 bn USD'."""
    parts: list[str] = []
    for key in FACT_FIELDS:
        value = fact.get(key)
        if value is None or value is False or key in ("reporter", "partner", "countries", "parties", "unit"):
            continue
        if key == "value":
            parts.append(f"{amount(value)} {fact.get('unit') or ''}".strip())
        elif isinstance(value, list):
            parts.append(f"{key}={','.join(map(str, value))}")
        else:
            parts.append(f"{key}={value}")
    return " ".join(parts)


def cmd_facts(args: argparse.Namespace, out: TextIO) -> int:
    with api.open_store(args.db, create=False) as store:
        facts = store.query_facts(
            pair=args.pair, type=args.type, lang=args.lang, doc=args.doc, limit=args.limit, with_id=True
        )
        write_facts(facts, args.format, out)
    return 0


def write_facts(facts: Iterator[dict[str, Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        for f in facts:
            f.pop("fact_id", None)
            out.write(json.dumps(f, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        columns = [
            "fact_id",
            "doc",
            "type",
            *FACT_FIELDS,
            "claimant",
            "quote",
            "start",
            "end",
            "lang",
            "rule",
            "confidence",
        ]
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for f in facts:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for k, v in f.items()
                }
            )
    else:
        rows = [
            {"#": f["fact_id"], "doc": f.get("doc"), "type": f.get("type"), "countries": countries_of(f),
             "details": details(f), "quote": f.get("quote")}
            for f in facts
        ]  # fmt: skip
        table(rows, ["#", "doc", "type", "countries", "details", "quote"], out)
        print(f"{len(rows)} facts", file=out)


# -- show ----------------------------------------------------------------------------------


def render_text(doc: Doc, color: bool) -> str:
    """The text with chrome dimmed and fact spans highlighted (ANSI), or marked {{chrome}} [[fact]]#n."""
    size = len(doc.text)
    chrome = [(s.start, s.end) for s in doc.excluded]
    facts = [(f.start, f.end, n) for n, f in enumerate(doc.facts, 1) if f.end > f.start]
    cuts = sorted({0, size} | {p for s, e, *_ in chrome + facts for p in (s, e) if 0 <= p <= size})
    segments = [
        (a, b, any(s <= a < e for s, e in chrome), any(s <= a < e for s, e, _ in facts))
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    parts: list[str] = []
    for i, (a, b, dim, lit) in enumerate(segments):
        _, _, dim_before, lit_before = segments[i - 1] if i else (0, 0, False, False)
        _, _, dim_after, lit_after = segments[i + 1] if i + 1 < len(segments) else (0, 0, False, False)
        piece = doc.text[a:b]
        if color:
            style = (DIM if dim else "") + (FACT if lit else "")
            parts.append(f"{style}{piece}{RESET}" if style else piece)
        else:
            opening = ("{{" if dim and not dim_before else "") + ("[[" if lit and not lit_before else "")
            closing = ("]]" if lit and not lit_after else "") + ("}}" if dim and not dim_after else "")
            parts.append(opening + piece + closing)
        ending = [str(n) for _, e, n in facts if e == b]
        if ending:
            parts.append("#" + ",".join(ending))
    return "".join(parts)


def fact_line(n: int, fact: Fact) -> str:
    d = fact.to_dict()
    who = f"  said by {fact.claimant}" if fact.claimant else ""
    head = (
        f"#{n} {fact.type} {countries_of(d)} {details(d)}{who}  [{fact.start}:{fact.end} {fact.rule or '-'}]"
    )
    return f"{head}\n    “{' '.join(fact.quote.split())}”"


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    doc = api.get_doc(args.db, args.doc)
    color = not args.no_color and out.isatty() and "NO_COLOR" not in os.environ
    meta = [f"{k}: {v}" for k, v in (("lang", doc.lang), ("script", doc.script), ("published", doc.published),
                                       ("source", doc.source), ("url", doc.url), ("encoding", doc.encoding)) if v]  # fmt: skip
    print(f"{doc.id}  ({len(doc.text)} chars; {'; '.join(meta) or 'no metadata'})", file=out)
    legend = f"{DIM}page chrome{RESET}, {FACT}fact{RESET}#n" if color else "{{page chrome}}, [[fact]]#n"
    print(f"{doc.path or ''}  legend: {legend}".strip(), file=out)
    print("-" * 40, file=out)
    print(render_text(doc, color), file=out)
    print("-" * 40, file=out)
    print(f"{len(doc.facts)} facts" + (":" if doc.facts else ""), file=out)
    for n, fact in enumerate(doc.facts, 1):
        print(fact_line(n, fact), file=out)
    return 0


# -- eval ----------------------------------------------------------------------------------


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from karavan.evaluate import run_eval
    except ModuleNotFoundError as e:
        if e.name != "karavan.evaluate":
            raise
        raise KaravanError(
            "evaluation is not available in this build (karavan/evaluate.py is missing)"
        ) from None
    types = {t.strip() for t in args.types.split(",") if t.strip()} if args.types else None
    return int(run_eval(args.gold, args.docs, args.meta, args.json, args.min_f1, types, out))


# -- parser --------------------------------------------------------------------------------


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {value!r}")
    return int(value)


def max_bytes(value: str) -> int:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {value!r}") from None
    if mb <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return int(mb * 1_000_000)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="karavan",
        formatter_class=Formatter,
        description="Source-cited facts about Central Asia's economic diplomacy from Russian, Kazakh and English news.",
        epilog="Run `karavan COMMAND --help` for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"karavan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, func: Callable[[argparse.Namespace, TextIO], int], help: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, formatter_class=Formatter)
        p.set_defaults(func=func)
        return p

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", default=DEFAULT_DB, metavar="PATH", help=f"SQLite database (default: {DEFAULT_DB})"
        )

    def input_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help=".txt, .html, .jsonl files, folders (recursive), - for stdin",
        )
        p.add_argument(
            "--max-mb", dest="max_bytes", type=max_bytes, default=DEFAULT_MAX_BYTES, metavar="MB",
            help=f"refuse files (and JSONL lines) larger than this (default: {DEFAULT_MAX_BYTES // 1_000_000})",
        )  # fmt: skip
        p.add_argument(
            "--jobs", type=positive, default=1, metavar="N",
            help="run the pipeline in N processes (default: 1)",
        )  # fmt: skip

    p = command("ingest", cmd_ingest, "read documents, run the pipeline, store documents and facts")
    input_options(p)
    db_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true", help="run the pipeline again on unchanged documents too")

    p = command("extract", cmd_extract, "run the pipeline without a database; print FACTS.md JSON lines")
    input_options(p)

    p = command("docs", cmd_docs, "list the stored documents")
    db_option(p)

    p = command("show", cmd_show, "print a document with chrome dimmed and fact spans highlighted")
    p.add_argument("doc", metavar="DOC", help="document id")
    db_option(p)
    p.add_argument(
        "--no-color", action="store_true", help="mark spans as {{chrome}} and [[fact]] instead of colours"
    )

    p = command("facts", cmd_facts, "list stored facts, filtered")
    db_option(p)
    p.add_argument("--pair", metavar="XX-YY", help="two country codes, either order (KZ-TJ)")
    p.add_argument(
        "--type", metavar="TYPE", help="fact type: trade, target, export_offer, partner_rank, share, ..."
    )
    p.add_argument("--lang", metavar="LANG", help="language of the quote: ru, kk, en")
    p.add_argument("--doc", metavar="DOC", help="document id")
    p.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="output format (default: table)"
    )
    p.add_argument("--limit", type=int, metavar="N", help="at most N facts")

    p = command("eval", cmd_eval, "score the pipeline against gold facts (the rules of FACTS.md)")
    p.add_argument("--gold", type=Path, required=True, metavar="FILE", help="gold facts, JSON lines")
    p.add_argument("--docs", type=Path, required=True, metavar="DIR", help="folder of the documents")
    p.add_argument(
        "--meta",
        type=Path,
        metavar="FILE",
        help="meta.jsonl with publication dates (default: DIR/meta.jsonl)",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--min-f1", type=float, metavar="X", help="exit 1 when overall strict F1 is below X")
    p.add_argument("--types", metavar="A,B", help="score only these fact types")
    return parser


def reference_markdown() -> str:
    """The CLI reference as the README shows it: `--help` of karavan and of each command."""
    parser = build_parser()
    blocks = [("karavan --help", parser.format_help())]
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            blocks.append((f"karavan {name} --help", sub.format_help()))
    return "\n".join(f"```text\n$ {cmd}\n{text.rstrip()}\n```\n" for cmd, text in blocks)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, sys.stdout)
    except KaravanError as e:
        print(f"karavan: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `karavan facts | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("karavan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
