"""The karavan command: parses arguments, calls karavan.api and the store, prints.

Every user error is a KaravanError, printed as one line `karavan: error: <file>: <message>`
with exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from karavan import __version__, api, cli_reconcile, cli_spark
from karavan.budget import DEFAULT_BUDGET
from karavan.cli_checks import FACT_TYPES, QUOTE_LANGS, country_pair, one_of, pairs_with_facts
from karavan.errors import KaravanError, NothingRead
from karavan.ingest import DEFAULT_MAX_BYTES
from karavan.official import cli as official_cli
from karavan.promises import cli as promises_cli
from karavan.serve import cli as serve_cli
from karavan.store import DEFAULT_DB
from karavan.store import cli as store_cli
from karavan.store.errors import store_error
from karavan.term import DIM, FACT, RESET, fact_line, render_text, table, write_facts
from karavan.watch import cli as watch_cli
from karavan.watch.urls import is_url

DB_ENV = "KARAVAN_DB"  # the database when --db is not given
WIDTH = 92  # help is rendered at a fixed width so the README reference never depends on the terminal


class Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=WIDTH)

    def add_argument(self, action: argparse.Action) -> None:
        """Measure a subcommand's name at its own indent, as Python 3.13 does (3.11 and 3.12 measure it two
        columns short), so that the help, and the README reference made from it, is the same on every
        supported Python."""
        if action.help is not argparse.SUPPRESS:
            lengths = [len(self._format_action_invocation(action)) + self._current_indent]
            for sub in self._iter_indented_subactions(action):
                lengths.append(len(self._format_action_invocation(sub)) + self._current_indent)
            self._action_max_length = max(self._action_max_length, *lengths)
        super().add_argument(action)


def problem_line(problem: KaravanError) -> str:
    return f"karavan: {'warning' if problem.warning else 'error'}: {problem}"


def print_problem(problem: KaravanError) -> None:
    print(problem_line(problem), file=sys.stderr, flush=True)


# -- ingest / extract ---------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    show = not args.quiet and sys.stderr.isatty() and os.environ.get("CI", "") != "true"
    urls = [p for p in args.paths if is_url(p)]  # fetched by karavan.watch; everything else is a path
    paths = [p for p in args.paths if not is_url(p)]
    result = api.IngestReport()
    if paths or not urls:
        result = api.ingest_paths(
            paths,
            args.db,
            force=args.force,
            show_progress=show,
            report=print_problem,
            max_bytes=args.max_bytes,
            jobs=args.jobs,
            budget=args.budget,
        )
    if urls and not result.interrupted and result.failed is None:
        from karavan.watch.ingest import URL_SETTINGS, ingest_urls

        settings = dataclasses.replace(URL_SETTINGS, max_bytes=args.max_bytes)
        ingest_urls(urls, args.db, result, print_problem, args.force, settings, show_progress=show)
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
    if result.failed is not None:  # the store failed (reported above); what was stored before it stays
        print(f"karavan: stopped: {result.stored} documents stored by this run", file=sys.stderr)
        return 1
    if not args.no_reconcile and not result.interrupted:
        cli_reconcile.after_ingest(args.db, out)
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
    docs = api.extract_paths(
        args.paths, report=print_problem, max_bytes=args.max_bytes, jobs=args.jobs, budget=args.budget
    )
    for doc in docs:
        read += 1
        for fact in doc.facts:
            out.write(json.dumps(fact.to_dict(), ensure_ascii=False) + "\n")
    if read == 0:
        raise NothingRead("nothing could be read")
    return 0


# -- docs / facts --------------------------------------------------------------------------


def cmd_docs(args: argparse.Namespace, out: TextIO) -> int:
    with api.open_store(args.db, create=False) as store:
        rows = list(store.doc_summaries())
    table(rows, ["id", "lang", "script", "chars", "facts", "published", "source"], out)
    print(f"{len(rows)} documents", file=out)
    return 0


def cmd_facts(args: argparse.Namespace, out: TextIO) -> int:
    filters = {"pair": args.pair, "type": args.type, "lang": args.lang, "doc": args.doc, "limit": args.limit}
    if args.format == "csv":  # the facts export's columns: each fact cited (document, cluster, flags)
        from karavan.export import typed_facts, write_text

        with cli_reconcile.open_reconciled(args.db) as store:
            n = write_text(typed_facts(store, **filters), "facts", "csv", out)
            known = pairs_with_facts(store.conn)
        if n == 0 and args.pair and args.pair not in known:
            say_nothing_for(args.pair, known)
        return 0
    with api.open_store(args.db, create=False) as store:
        n = write_facts(store.query_facts(**filters, with_id=True), args.format, out)
        if n == 0 and args.pair and args.pair not in pairs_with_facts(store.conn):
            say_nothing_for(args.pair, pairs_with_facts(store.conn))
    return 0


def say_nothing_for(pair: str, known: list[str]) -> None:
    """The note, on stderr, that a pair asked for has no facts at all in the store."""
    print(f"karavan: no facts for the pair {pair} in the store; pairs with facts: {', '.join(known) or 'none'}",
          file=sys.stderr)  # fmt: skip


# -- show ----------------------------------------------------------------------------------


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
    from karavan.evaluate import run_eval  # loaded only for this command

    types = {t.strip() for t in args.types.split(",") if t.strip()} if args.types else None
    return int(run_eval(args.gold, args.docs, args.meta, args.json, args.min_f1, types, out, args.explain))


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


def seconds(value: str) -> float | None:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if n < 0 or n != n:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return n or None


def budget_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--budget", type=seconds, default=DEFAULT_BUDGET, metavar="S",
        help=f"seconds the pipeline may spend on one document; one that runs out is kept without facts, "
        f"with a warning (default: {DEFAULT_BUDGET:g}; 0: no limit)",
    )  # fmt: skip


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
        p.set_defaults(func=func, command_parser=p)
        return p

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", metavar="PATH", help=f"SQLite database (default: ${DB_ENV}, else {DEFAULT_DB})"
        )

    def input_options(p: argparse.ArgumentParser, urls: bool = False) -> None:
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help=".txt, .html, .jsonl files, folders (recursive), - for stdin"
            + (", http(s) URLs (fetched)" if urls else ""),
        )
        p.add_argument(
            "--max-mb", dest="max_bytes", type=max_bytes, default=DEFAULT_MAX_BYTES, metavar="MB",
            help=f"refuse files (and JSONL lines) larger than this (default: {DEFAULT_MAX_BYTES // 1_000_000})",
        )  # fmt: skip
        p.add_argument(
            "--jobs", type=positive, default=1, metavar="N",
            help="run the pipeline in N processes (default: 1)",
        )  # fmt: skip
        budget_option(p)

    p = command("ingest", cmd_ingest, "read documents, run the pipeline, store documents and facts")
    input_options(p, urls=True)
    db_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true", help="run the pipeline again on unchanged documents too")
    p.add_argument(
        "--no-reconcile", action="store_true",
        help="do not reconcile after ingesting (read commands then say how stale the reconciliation is)",
    )  # fmt: skip

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
    p.add_argument(
        "--pair", type=country_pair, metavar="XX-YY", help="two country codes, either order (KZ-TJ)"
    )
    p.add_argument(
        "--type",
        type=one_of("fact type", FACT_TYPES),
        metavar="TYPE",
        help=f"fact type: {', '.join(FACT_TYPES)}",
    )
    p.add_argument(
        "--lang", type=one_of("language", QUOTE_LANGS), metavar="LANG",
        help=f"language of the quote: {', '.join(QUOTE_LANGS)}",
    )  # fmt: skip
    p.add_argument("--doc", metavar="DOC", help="document id")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table, json (FACTS.md lines) or csv (cited: document, cluster, flags) (default: table)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="at most N facts")

    p = command("eval", cmd_eval, "score the pipeline against gold facts (the rules of FACTS.md)")
    p.add_argument("--gold", type=Path, required=True, metavar="FILE", help="gold facts, JSON lines")
    p.add_argument(
        "--docs", type=Path, required=True, metavar="PATH", help="folder of the documents, or one JSONL file"
    )
    p.add_argument(
        "--meta",
        type=Path,
        metavar="FILE",
        help="meta.jsonl with publication dates (default: DIR/meta.jsonl)",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--min-f1", type=float, metavar="X", help="exit 1 when overall strict F1 is below X")
    p.add_argument("--types", metavar="A,B", help="score only these fact types")
    p.add_argument(
        "--explain",
        action="store_true",
        help="list every miss and spurious fact by its guessed cause, with figures per language and type",
    )

    # -- more commands: each module adds its own subcommands here -----------------------------
    cli_reconcile.register(command, db_option)
    serve_cli.register(command, db_option, budget_option)
    watch_cli.register(command, db_option)
    cli_spark.register(command, db_option)
    official_cli.register(command, db_option)
    promises_cli.register(command, db_option)
    store_cli.register(command, db_option)
    return parser


def reference_markdown() -> str:
    """The CLI reference as the README shows it: `--help` of karavan and of each command."""
    blocks: list[tuple[str, str]] = []

    def add(prog: str, p: argparse.ArgumentParser) -> None:  # a command, then its own subcommands
        blocks.append((f"{prog} --help", p.format_help()))
        for action in p._subparsers._group_actions if p._subparsers else []:
            for name, sub in action.choices.items():
                add(f"{prog} {name}", sub)

    add("karavan", build_parser())
    return "\n".join(f"```text\n$ {cmd}\n{text.rstrip()}\n```\n" for cmd, text in blocks)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments; an option the command does not have is reported with that command's usage (exit 2)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if getattr(args, "db", "") is None:
        args.db = os.environ.get(DB_ENV) or DEFAULT_DB
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.func(args, sys.stdout)
    except KaravanError as e:
        print(f"karavan: error: {e}", file=sys.stderr)
        return 2
    except sqlite3.Error as e:  # one no store method turned into a karavan error: still one line
        print(f"karavan: error: {store_error(e, getattr(args, 'db', None))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `karavan facts | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("karavan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
