"""Ingest speed: the full karavan ingest (read, pipeline, store) against a plain read-and-insert baseline.

    .venv/bin/python bench/ingest.py [--docs 2000] [--seeds ../shared/seeds]

The shared seeds are repeated to N documents with unique ids (files in a temporary folder), then
ingested twice into fresh temporary databases in the same run:
- baseline: read each file's text and insert it into a table, one commit per document (WAL);
- karavan:  `karavan.api.ingest_paths` (decode, clean, annotate, extract, store, one commit per document).
With --jobs N (default: the CPU count) a second karavan run uses N processes, whose workers read, run the
pipeline and write themselves; the speed-up over one process is printed. A run with no pipeline stages shows what reading, decoding and storing cost. A last pass re-ingests the unchanged corpus (what resuming costs). Prints documents per second and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from karavan import api  # noqa: E402


def make_corpus(seeds: Path, n: int, folder: Path) -> int:
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt seeds in {seeds}")
    chars = 0
    for i in range(n):
        stem, text = texts[i % len(texts)]
        (folder / f"{i:05d}_{stem}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def baseline(folder: Path, db: Path) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, text TEXT NOT NULL)")
    n = 0
    for path in sorted(folder.glob("*.txt")):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO documents VALUES (?, ?)", (path.stem, path.read_text(encoding="utf-8")))
        conn.execute("COMMIT")
        n += 1
    conn.close()
    return n


def main_reads_and_writes(corpus: Path, work: Path, jobs: int) -> None:
    """What --jobs did before: the main process reads, pickles each document out and back, and writes."""
    from karavan.ingest import plan_sources, read_sources
    from karavan.progress import Progress
    from karavan.store import open_store

    with open_store(work / f"main{jobs}.db") as store:
        docs = read_sources(plan_sources([corpus], print), print)
        result = api.IngestReport()
        api.ingest_docs(docs, store, print, result, Progress(None, enabled=False), jobs=jobs)


def timed(label: str, n_docs: int, run) -> float:
    began = time.perf_counter()
    run()
    seconds = time.perf_counter() - began
    rate = n_docs / seconds
    print(f"{label:<28} {n_docs:>6} docs  {seconds:8.2f} s  {rate:10.1f} docs/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel run"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="karavan-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        chars = make_corpus(args.seeds, args.docs, corpus)
        print(f"corpus: {args.docs} documents, {chars / args.docs:.0f} characters each on average\n")
        problems: list = []
        base = timed("baseline read+insert", args.docs, lambda: baseline(corpus, work / "base.db"))
        results = {}

        def full(jobs: int) -> None:
            db = work / f"k{jobs}.db"
            results[jobs] = api.ingest_paths([corpus], db, report=problems.append, jobs=jobs)

        bare = timed(
            "karavan ingest, no stages",
            args.docs,
            lambda: api.ingest_paths([corpus], work / "bare.db", process=lambda doc: doc),
        )
        rates = {1: timed("karavan ingest, 1 process", args.docs, lambda: full(1))}
        if args.jobs > 1:
            rates[args.jobs] = timed(
                f"karavan ingest, {args.jobs} processes", args.docs, lambda: full(args.jobs)
            )
            main_io = timed(
                "  same, main process r/w", args.docs, lambda: main_reads_and_writes(corpus, work, args.jobs)
            )
        again = timed(
            "karavan re-ingest (skip)", args.docs, lambda: api.ingest_paths([corpus], work / "k1.db")
        )
        r = results[1]
        print(
            f"\nstored {r.new} documents, {r.facts} facts ({dict(sorted(r.by_type.items()))}), {len(problems)} problems"
        )
        for jobs, rate in rates.items():
            print(f"karavan / baseline, {jobs} process(es): {rate / base:.1%}  (goal: at least 60%)")
        for jobs, rate in rates.items():
            if jobs > 1:  # the workers read, run the pipeline and write (karavan.ingest.parallel)
                print(f"speed-up of {jobs} processes over 1: {rate / rates[1]:.2f}x")
                print(
                    f"  the same with reading and writing in the main process (before): {main_io / rates[1]:.2f}x"
                )
        print(f"re-ingest of unchanged documents / baseline: {again / base:.1%}")
        print(f"ingest and store alone (no pipeline stages) / baseline: {bare / base:.1%}")


if __name__ == "__main__":
    main()
