"""Spark against `karavan extract --jobs 2` on the same documents, in the same run, and a cost model.

    .venv/bin/python bench/spark.py [--docs 10000] [--docs 100000] [--texts ../shared/realpress/docs.jsonl]

For each size a corpus of N documents is written as JSONL files of 100 documents, then:
- `karavan extract --jobs 2` (api.extract_paths, two processes): documents per second;
- `karavan spark extract` in local[2] (Parquet out): documents per second, and the ratio to the line above;
- `karavan reconcile --parquet` of the Spark output (in place, block by block), and `karavan load` of it and
  a full `karavan reconcile` of the store: seconds per fact.
The documents are made of the articles of ../shared/realpress/docs.jsonl (read at run time, never copied
into the repository; the shared seeds when it is missing): document i is article i mod n, with a paragraph
of another article added and, from the second round on, its figures changed (every number that is not a
year, plus the round), so no two documents are the same text and their facts differ.
The cost model then takes the measured per-document cost (core-seconds, from the local[2] run) to 10M
documents on E executors of C cores, with the reconcile of the facts they make beside it:

    extract(10M) = 10M x cost_per_doc / (E x C)  +  session start
    reconcile(F facts) = F x cost_per_fact (blocked, near-linear: bench/reconcile.py shows the exponent)

Needs the [spark] extra and Java 17+.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extract import varied  # noqa: E402
from karavan import api  # noqa: E402
from karavan.spark import extract, session  # noqa: E402
from karavan.spark.load import load_parquet  # noqa: E402
from karavan.spark.parquet_reconcile import reconcile_parquet  # noqa: E402

DOCS_10M = 10_000_000


PER_FILE = 100


def articles(path: Path, seeds: Path) -> list[dict[str, Any]]:
    """The articles the corpus is made of: realpress' documents, else the seeds' texts."""
    if path.is_file():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(seeds.glob("*.txt"))]
    if not found:
        raise SystemExit(f"neither {path} nor .txt seeds in {seeds}")
    return found


def make_corpus(base: list[dict[str, Any]], n: int, folder: Path) -> None:
    """`n` documents in JSONL files of PER_FILE (see the module doc)."""
    paragraphs = [p for a in base for p in a["text"].split("\n\n") if len(p) > 80]
    for start in range(0, n, PER_FILE):
        lines = []
        for i in range(start, min(n, start + PER_FILE)):
            article = base[i % len(base)]
            extra = paragraphs[(i * 7 + 3) % len(paragraphs)] if paragraphs else ""
            text = varied(f"{article['text']}\n\n{extra}", i // len(base))
            record = {"id": f"{i:07d}_{article['id']}", "text": text, "published": article.get("published"),
                      "source": article.get("source")}  # fmt: skip
            lines.append(json.dumps(record, ensure_ascii=False))
        (folder / f"{start // PER_FILE:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, action="append", help="documents (repeatable; default 10000 and 100000)"
    )
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "shared" / "realpress" / "docs.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds", help="else these")
    parser.add_argument("--no-store", action="store_true", help="no `karavan load` and store reconcile")
    parser.add_argument("--keep", type=Path, help="copy each size's Spark output to KEEP/out-N")
    parser.add_argument("--executors", type=int, default=50, help="executors in the cost model")
    parser.add_argument("--cores", type=int, default=4, help="cores per executor in the cost model")
    args = parser.parse_args()
    sizes = args.docs or [10_000, 100_000]
    base = articles(args.texts, args.seeds)
    print(f"corpus made of {len(base)} articles ({args.texts if args.texts.is_file() else args.seeds})")

    began = time.perf_counter()
    spark = session("local[2]")
    start_s = time.perf_counter() - began
    print(f"Spark session (local[2]): {start_s:.1f} s to start\n")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="karavan-spark-") as tmp:
            measure(args, base, spark, n, Path(tmp))


def say(text: str) -> None:
    print(text, flush=True)  # each figure as it is measured: a long run shows where it is


def measure(args: argparse.Namespace, base: list[dict[str, Any]], spark: Any, n: int, work: Path) -> None:
    corpus = work / "in"
    corpus.mkdir()
    make_corpus(base, n, corpus)
    say(f"{n} documents")

    t = time.perf_counter()
    local_facts = sum(len(d.facts) for d in api.extract_paths([corpus], jobs=2))
    local_s = time.perf_counter() - t
    say(f"  karavan extract --jobs 2   {local_s:8.1f} s  {n / local_s:8.1f} docs/s  ({local_facts} facts)")

    t = time.perf_counter()
    manifest = extract(spark, str(corpus), str(work / "out"))
    spark_s = time.perf_counter() - t
    same = (
        "the same facts" if manifest["facts"] == local_facts else f"{manifest['facts']} facts: NOT the same"
    )
    say(f"  karavan spark, local[2]    {spark_s:8.1f} s  {n / spark_s:8.1f} docs/s  ({same})")
    say(f"  spark / extract --jobs 2: {local_s / spark_s:.2f}x")

    facts = max(1, manifest["facts"])
    t = time.perf_counter()
    in_place = reconcile_parquet(work / "out")
    parquet_s = time.perf_counter() - t
    say(
        f"  reconcile --parquet {parquet_s:.1f} s ({parquet_s / facts * 1e3:.3f} ms a fact; "
        f"{in_place['blocks']} country sets, the largest {in_place['largest_block']} facts)"
    )
    if not args.no_store:
        t = time.perf_counter()
        load_parquet(work / "out", work / "k.db")
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        api.reconcile(work / "k.db", full=True)
        recon_s = time.perf_counter() - t
        say(f"  load {load_s:.1f} s; full reconcile {recon_s:.1f} s ({recon_s / facts * 1e3:.3f} ms a fact)")
    if args.keep:
        shutil.copytree(work / "out", args.keep / f"out-{n}", dirs_exist_ok=True)

    per_doc = spark_s * 2 / n  # core-seconds a document on local[2]
    per_fact = parquet_s / facts
    facts_10m = manifest["facts"] / n * DOCS_10M
    cores = args.executors * args.cores
    say(
        f"  cost model, 10M documents on {args.executors} executors x {args.cores} cores: "
        f"extract {DOCS_10M * per_doc / cores / 3600:.2f} h ({per_doc * 1e3:.1f} core-ms a document), "
        f"then reconcile --parquet of {facts_10m / 1e6:.1f}M facts {facts_10m * per_fact / 3600:.2f} h on one core\n"
    )


if __name__ == "__main__":
    main()
