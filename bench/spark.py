"""Spark against `karavan extract --jobs 2` on the same documents, in the same run, and a cost model.

    .venv/bin/python bench/spark.py [--docs 10000] [--docs 100000] [--seeds ../shared/seeds]

For each size the shared seeds are repeated to N .txt files with unique ids, then:
- `karavan extract --jobs 2` (api.extract_paths, two processes): documents per second;
- `karavan spark extract` in local[2] (Parquet out): documents per second, and the ratio to the line above;
- `karavan load` of the Spark output and a full `karavan reconcile`: seconds per fact.
The cost model then takes the measured per-document cost (core-seconds, from the local[2] run) to 10M
documents on E executors of C cores, with the reconcile of the facts they make beside it:

    extract(10M) = 10M x cost_per_doc / (E x C)  +  session start
    reconcile(F facts) = F x cost_per_fact (blocked, near-linear: bench/reconcile.py shows the exponent)

Needs the [spark] extra and Java 17+.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from karavan import api  # noqa: E402
from karavan.spark import extract, session  # noqa: E402
from karavan.spark.load import load_parquet  # noqa: E402

DOCS_10M = 10_000_000


def make_corpus(seeds: Path, n: int, folder: Path) -> None:
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt seeds in {seeds}")
    for i in range(n):
        stem, text = texts[i % len(texts)]
        (folder / f"{i:07d}_{stem}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, action="append", help="documents (repeatable; default 10000 and 100000)"
    )
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--executors", type=int, default=50, help="executors in the cost model")
    parser.add_argument("--cores", type=int, default=4, help="cores per executor in the cost model")
    args = parser.parse_args()
    sizes = args.docs or [10_000, 100_000]

    began = time.perf_counter()
    spark = session("local[2]")
    start_s = time.perf_counter() - began
    print(f"Spark session (local[2]): {start_s:.1f} s to start\n")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="karavan-spark-") as tmp:
            work = Path(tmp)
            corpus = work / "in"
            corpus.mkdir()
            make_corpus(args.seeds, n, corpus)

            t = time.perf_counter()
            local_facts = sum(len(d.facts) for d in api.extract_paths([corpus], jobs=2))
            local_s = time.perf_counter() - t

            t = time.perf_counter()
            manifest = extract(spark, str(corpus), str(work / "out"))
            spark_s = time.perf_counter() - t

            t = time.perf_counter()
            load_parquet(work / "out", work / "k.db")
            load_s = time.perf_counter() - t
            t = time.perf_counter()
            api.reconcile(work / "k.db", full=True)
            recon_s = time.perf_counter() - t

        same = "same facts" if manifest["facts"] == local_facts else f"{local_facts} facts from extract!"
        print(f"{n} documents, {manifest['facts']} facts ({same})")
        print(f"  karavan extract --jobs 2   {local_s:8.1f} s  {n / local_s:8.1f} docs/s")
        print(f"  karavan spark, local[2]    {spark_s:8.1f} s  {n / spark_s:8.1f} docs/s")
        print(f"  spark / extract --jobs 2: {local_s / spark_s:.2f}x")
        print(
            f"  load {load_s:.1f} s; full reconcile {recon_s:.1f} s ({recon_s / max(1, manifest['facts']) * 1e3:.3f} ms a fact)"
        )
        per_doc = spark_s * 2 / n  # core-seconds a document, session start included
        per_fact = recon_s / max(1, manifest["facts"])
        facts_10m = manifest["facts"] / n * DOCS_10M
        cores = args.executors * args.cores
        print(
            f"  cost model, 10M documents on {args.executors} executors x {args.cores} cores: "
            f"extract {DOCS_10M * per_doc / cores / 3600:.2f} h ({per_doc * 1e3:.1f} core-ms a document), "
            f"then reconcile of {facts_10m / 1e6:.1f}M facts {facts_10m * per_fact / 3600:.2f} h on one core\n"
        )


if __name__ == "__main__":
    main()
