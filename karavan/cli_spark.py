"""`karavan spark extract INPUT OUTPUT` (the pipeline as a Spark job writing Parquet) and `karavan load
OUTPUT` (such an output into the store). Both need the [spark] extra; `load` needs only its pyarrow."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TextIO

from karavan import cli_reconcile
from karavan.cli_reconcile import Command
from karavan.ingest.sources import DEFAULT_MAX_BYTES


def cmd_spark_extract(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.spark import extract, session

    spark = session(None if args.master == "submit" else args.master)
    manifest = extract(spark, args.input, args.output, form=args.format, limit=args.max_bytes)
    print(json.dumps(manifest, ensure_ascii=False, indent=2), file=out)
    return 0


def cmd_load(args: argparse.Namespace, out: TextIO) -> int:
    from karavan.spark.load import load_parquet

    stored = load_parquet(args.output, args.db)
    print(
        f"{args.db}: {stored['documents']} documents and {stored['facts']} facts loaded from {args.output}",
        file=out,
    )
    if not args.no_reconcile:
        cli_reconcile.after_ingest(args.db, out)
    return 0


def cmd_reconcile_parquet(args: argparse.Namespace, out: TextIO) -> int:
    """`karavan reconcile --parquet OUTPUT`: results under OUTPUT/reconciled/ (karavan.spark.parquet_reconcile)."""
    import sys

    from karavan.spark.parquet_reconcile import RESULTS, reconcile_parquet

    shown = sys.stderr.isatty()

    def progress(what: str, done: int, total: int) -> None:
        if shown:
            end = "\n" if done >= total else ""
            print(f"\rkaravan: {what} {done}/{total}", end=end, file=sys.stderr, flush=True)

    s = reconcile_parquet(args.parquet, progress, jobs=max(1, args.jobs))
    print(
        f"{args.parquet}/{RESULTS}: {s['facts']} facts from {s['docs']} documents in {s['blocks']} country sets "
        f"(largest {s['largest_block']} facts) -> {s['clusters']} clusters, {s['discrepancies']} discrepancies, "
        f"{s['changes']} changes, {s['flags']} flags ({s['seconds']:.2f} s)",
        file=out,
    )
    return 0


def register(command: Command, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add `spark` and `load` to the karavan parser (called from karavan.cli.build_parser)."""
    p = command(
        "spark", cmd_spark_extract, "run the pipeline as a Spark job: Parquet documents, facts, errors"
    )
    sub = p.add_subparsers(dest="spark_command", metavar="JOB", required=True)
    e = sub.add_parser("extract", help="documents under INPUT to Parquet datasets under OUTPUT")
    e.set_defaults(func=cmd_spark_extract, command_parser=e)
    e.add_argument(
        "input", metavar="INPUT", help="folder or file (.txt, .html, .jsonl) or Parquet, any Spark path"
    )
    e.add_argument("output", metavar="OUTPUT", help="folder for documents/, facts/, errors/, manifest.json")
    e.add_argument(
        "--format", choices=("files", "parquet"), default="files",
        help="INPUT holds files (default) or a Parquet dataset with columns id, text, url, published, source",
    )  # fmt: skip
    e.add_argument(
        "--master", default="local[2]", metavar="URL",
        help="Spark master (default: local[2]); 'submit' leaves it to spark-submit",
    )  # fmt: skip
    e.add_argument(
        "--max-mb", dest="max_bytes", type=lambda v: int(float(v) * 1_000_000), default=DEFAULT_MAX_BYTES,
        metavar="MB", help=f"refuse files larger than this (default: {DEFAULT_MAX_BYTES // 1_000_000})",
    )  # fmt: skip

    p = command("load", cmd_load, "bring the Parquet output of `karavan spark extract` into the store")
    db_option(p)
    p.add_argument("output", metavar="OUTPUT", help="the OUTPUT folder of a `karavan spark extract` run")
    p.add_argument("--no-reconcile", action="store_true", help="leave reconciling to a later command")
