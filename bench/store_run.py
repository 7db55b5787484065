"""bench/reconcile.py on a real store: filled through ingest with bench/corpus.py's archive (see its doc)."""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from corpus import Archive, counts

from karavan import api

FULL = """
import json, resource, sys, time
from karavan import api
t, c = time.perf_counter(), time.process_time()
summary = api.reconcile(sys.argv[1], full=True)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "summary": summary}))
"""


def slope(points: list[tuple[float, float]]) -> float:
    """The log-log slope of (size, time) points: the growth exponent (1.0 = linear)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def full_reconcile(db: Path) -> dict[str, Any]:
    """A full reconcile in a child process: its seconds, peak memory and summary."""
    out = subprocess.run([sys.executable, "-c", FULL, str(db)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"the full reconcile of {db} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def largest_blocks(db: Path, n: int = 3) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT block, count(*) c FROM recon_fact_blocks GROUP BY block ORDER BY c DESC LIMIT ?", (n,)
        ).fetchall()


def add_one(archive: Archive, db: Path, work: Path, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """The archive's next document (or `record`) ingested alone, then the incremental reconcile an ingest
    runs."""
    path = work / "one.jsonl"
    if record is None:
        docs, _ = counts(db)
        archive.write(path, docs, 1)
        record = json.loads(path.read_text(encoding="utf-8"))
    else:
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    t = time.perf_counter()
    api.ingest_paths([path], db, report=lambda problem: None)
    ingest_s = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    summary = api.reconcile(db)
    reconcile_s, reconcile_cpu = time.perf_counter() - t, time.process_time() - c
    with sqlite3.connect(db) as conn:
        blocks = [
            b
            for (b,) in conn.execute(
                "SELECT DISTINCT block FROM recon_fact_blocks WHERE doc = ?", (record["id"],)
            )
        ]
        facts = conn.execute("SELECT n_facts FROM recon_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    return {"doc": record["id"], "blocks": blocks, "redone": summary.get("redone_blocks"), "facts": facts,
            "ingest": ingest_s, "reconcile": reconcile_s, "cpu": reconcile_cpu}  # fmt: skip


def real_store(args: argparse.Namespace) -> None:
    sizes = [int(x) for x in args.sizes.split(",")]
    keep = args.store is not None
    root = args.store or Path(tempfile.mkdtemp(prefix="karavan-bench-reconcile-"))
    root.mkdir(parents=True, exist_ok=True)
    db, work = root / "bench.db", root / "work"
    work.mkdir(exist_ok=True)
    archive = Archive(args.seed)
    points: list[tuple[float, float]] = []
    print(f"store {db} ({'kept' if keep else 'removed after the run'}); archive seed {args.seed}", flush=True)
    print("(CPU seconds: the machine may be shared; the exponent is of CPU time)")
    print(f"{'facts':>9} {'documents':>9} {'fill s':>7} {'full reconcile s':>16} {'CPU s':>7} {'CPU ms a fact':>13}"
          f" {'peak MB':>8}  largest blocks (facts)", flush=True)  # fmt: skip
    try:
        for n, size in enumerate(sizes):
            filled = archive.fill(db, size, work, jobs=args.jobs, progress=False)
            run = full_reconcile(db)
            docs, facts = counts(db)
            points.append((facts, run["cpu"]))
            big = ", ".join(f"{b} {c}" for b, c in largest_blocks(db))
            print(
                f"{facts:>9} {docs:>9} {filled['seconds']:>7} {run['seconds']:>16.1f} {run['cpu']:>7.1f} "
                f"{run['cpu'] / facts * 1e3:>13.3f} {run['peak_mb']:>8.0f}  {big}",
                flush=True,
            )
            if n == 0 and args.added:
                added(archive, db, work, args.added)
        if len(points) > 1 and points[-1][0] >= 1.5 * points[0][0]:
            print(
                f"growth exponent of the full reconcile's CPU time (log-log slope, 1.00 = linear): {slope(points):.2f}"
            )
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def about(archive: Archive, db: Path, blocks: list[str]) -> list[dict[str, Any]]:
    """For each block, a document of the archive's stream beyond the store about that pair (its id marked
    `-probe`, so the stream's own document stays to come)."""
    docs, _ = counts(db)
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM documents WHERE id LIKE '%-probe'")}
    found: dict[str, dict[str, Any]] = {}
    first = docs + 1000
    while len(found) < len(blocks) and first < docs + 200_000:
        for record in archive.documents(first, 2000):
            visit = archive.visit(int(record["id"].split("-")[1]))
            pair = "-".join(sorted((visit.host, visit.guest)))
            probe = record["id"] + "-probe"
            if pair in blocks and pair not in found and record["id"].endswith("-0") and probe not in stored:
                found[pair] = {
                    **record,
                    "id": probe,
                }  # not one an earlier run added: that would change nothing
        first += 2000
    return [found[b] for b in blocks if b in found]


def added(archive: Archive, db: Path, work: Path, n: int) -> None:
    print(f"\n{n} documents added one at a time, each ingested then reconciled (incremental), then one")
    print("on each of the three largest blocks and on the smallest:")
    print(
        f"{'document':>24} {'blocks':>24} {'facts redone':>12} {'ingest s':>9} {'reconcile s':>11} {'CPU s':>6}"
    )
    with sqlite3.connect(db) as conn:
        sizes = conn.execute(
            "SELECT block, count(*) c FROM recon_fact_blocks WHERE block LIKE '%-%' AND block NOT LIKE '%-%-%'"
            " GROUP BY block ORDER BY c DESC"
        ).fetchall()
    probes = about(archive, db, [b for b, _ in sizes[:3]] + [b for b, _ in sizes[-1:]])
    runs = []
    for k in range(n + len(probes)):
        r = add_one(archive, db, work, probes[k - n] if k >= n else None)
        runs.append(r)
        print(f"{r['doc']:>24} {','.join(r['blocks']) or '-':>24} {r['facts']:>12} {r['ingest']:>9.2f} "
              f"{r['reconcile']:>11.2f} {r['cpu']:>6.2f}", flush=True)  # fmt: skip
    for what, name in (("reconcile", "wall"), ("cpu", "CPU")):
        times = sorted(r[what] for r in runs)
        print(
            f"reconcile after one document, {name}: median {statistics.median(times):.2f} s, "
            f"90th percentile {times[int(len(times) * 0.9) - 1 if len(times) >= 10 else -1]:.2f} s, "
            f"max {times[-1]:.2f} s",
            flush=True,
        )
    print()
