"""Spark against `karavan extract --jobs 2` on the same documents, in the same run, and a cost model.

    nice -n 19 .venv/bin/python bench/spark.py [--docs 10000] [--docs 100000] [--keep DIR] [--no-store]

For each size a corpus of N documents is written as JSONL files of 100 documents, then these phases run,
each in a process of its own (so a phase's process tree is its own: the JVM only in the Spark phase):
- `corpus`: the documents (see below);
- `extract`: `karavan extract --jobs 2` (api.extract_paths, two worker processes);
- `spark`: `karavan spark extract` in local[2] (a fresh session, 4g of heap: local mode's executor is the
  driver; Parquet out);
- `reconcile_parquet`: `karavan reconcile --parquet` of the Spark output (in place, block by block);
- `load`, `reconcile_store`: `karavan load` of it and a full `karavan reconcile` of the store (not with
  --no-store).
Each phase records wall seconds, the CPU seconds of its whole process tree (the Python driver, the JVM,
Spark's Python workers, the extract worker processes; bench/phases.py reads them from /proc), and the load
average at its start and end. On a shared machine the CPU figures are the ones that hold: wall time grows
with the other users' load. Both ratios are printed.

With --keep DIR, each phase's result goes to DIR/docs-N/PHASE.json as it finishes (and the corpus,
the Spark output and the store stay there): a rerun with the same --keep skips the finished phases and
reuses the corpus, so a run stopped by Ctrl-C or a reboot goes on where it was. Without --keep the work is
done in a temporary folder. The long phases print the documents done once a minute.

The documents are made of the articles of ../shared/realpress/docs.jsonl (read at run time, never copied
into the repository; the shared seeds when it is missing): document i is article i mod n, with a paragraph
of another article added and, from the second round on, its figures changed (every number that is not a
year, plus the round), so no two documents are the same text and their facts differ.

The cost model takes the measured per-document cost (CPU seconds of the Spark phase's tree, session start
apart) to 10M documents on E executors of C cores, with the reconcile of the facts they make beside it:

    extract(10M) = 10M x cpu_per_doc / (E x C)  +  session start
    reconcile(F facts) = F x cpu_per_fact of reconcile --parquet (one core; with two sizes measured, also
                         scaled by the growth exponent between them)

Needs the [spark] extra and Java 17+.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extract import varied  # noqa: E402
from bench.phases import Phases, TreeClock  # noqa: E402

DOCS_10M = 10_000_000
PER_FILE = 100
DRIVER_MEMORY = "4g"
SHOW_EVERY = 60.0  # seconds between progress lines
STORE_PHASES = ("load", "reconcile_store")
PHASES = ("corpus", "extract", "spark", "reconcile_parquet", *STORE_PHASES)


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


def digest(folder: Path) -> str:
    """A hash of the files under `folder`, names and bytes: the same corpus gives the same digest."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def origin(base: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """What a corpus is made of: a kept corpus is reused only for the same articles and size."""
    h = hashlib.sha256(json.dumps(base, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"docs": n, "articles": len(base), "articles_sha256": h}


def say(text: str) -> None:
    print(text, flush=True)  # each figure as it is measured: a long run shows where it is


class Ticker:
    """Prints `line()` every SHOW_EVERY seconds from a thread, until stopped."""

    def __init__(self, line: Callable[[], str]) -> None:
        self.line, self.stop = line, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(SHOW_EVERY):
            say(self.line())

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def progress_line(what: str, n: int, done: int, began: float) -> str:
    spent = time.perf_counter() - began
    rate = done / spent if spent else 0.0
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    return f"    {what}: {done:,}/{n:,} documents, {spent:.0f} s, {rate:.1f} docs/s; load {load}"


class Counted:
    """The pipeline, counting the documents it has done into a file of its own under `folder` (one a
    Spark task): the bench's progress in the Spark phase. Pickled by value to the Python workers."""

    def __init__(self, folder: str) -> None:
        self.folder, self.done, self.name, self.process = folder, 0, "", None

    def __call__(self, doc: Any) -> Any:
        if self.process is None:
            from karavan.api import default_process

            self.process, self.name = default_process(), uuid.uuid4().hex
        out = self.process(doc)
        self.done += 1
        if self.done % 50 == 0:
            Path(self.folder, self.name).write_text(str(self.done))
        return out


def counted(folder: Path) -> int:
    total = 0
    for path in folder.glob("*"):
        try:
            total += int(path.read_text() or 0)
        except (OSError, ValueError):
            continue
    return total


# ---- the phases: each runs in a process of its own (`--phase NAME`) and returns its result ----


def phase_corpus(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    base = articles(args.texts, args.seeds)
    part = work / "in.part"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    clock = TreeClock()
    make_corpus(base, n, part)
    result = clock.read()
    shutil.rmtree(work / "in", ignore_errors=True)
    part.rename(work / "in")
    files = sorted((work / "in").iterdir())
    return {**result, **origin(base, n), "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "sha256": digest(work / "in")}  # fmt: skip


def phase_extract(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    from karavan import api

    clock = TreeClock()
    state = {"docs": 0, "facts": 0}
    ticker = Ticker(lambda: progress_line("extract --jobs 2", n, state["docs"], clock.began))
    try:
        for doc in api.extract_paths([work / "in"], jobs=2):
            state["docs"] += 1
            state["facts"] += len(doc.facts)
    finally:
        ticker.close()
    return {**clock.read(), **state}


def phase_spark(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    from karavan.spark import extract, session

    # local mode runs the executor in the driver's JVM: its heap is an executor's (Spark's default, 1g,
    # would spill the cached rows of 100k documents to disk)
    os.environ.setdefault("PYSPARK_SUBMIT_ARGS", f"--driver-memory {DRIVER_MEMORY} pyspark-shell")
    marks = work / "progress"
    shutil.rmtree(marks, ignore_errors=True)
    marks.mkdir()
    clock = TreeClock()
    spark = session("local[2]")
    started = clock.read()
    began = time.perf_counter()
    ticker = Ticker(lambda: progress_line("spark local[2]", n, counted(marks), began))
    try:
        manifest = extract(spark, str(work / "in"), str(work / "out"), process=Counted(str(marks)))
    finally:
        ticker.close()
    whole = clock.read()
    spark.stop()
    shutil.rmtree(marks, ignore_errors=True)
    out = work / "out"
    files = {part: sum(1 for _ in (out / part).rglob("*.parquet")) for part in ("documents", "facts")}
    folders = sum(1 for p in (out / "facts").glob("pair=*/year=*") if p.is_dir())
    return {
        **whole,
        "session_wall_s": started["wall_s"],
        "session_cpu_s": started["cpu_s"],
        "extract_wall_s": round(whole["wall_s"] - started["wall_s"], 2),
        "extract_cpu_s": round(whole["cpu_s"] - started["cpu_s"], 2),
        "docs": manifest["documents"],
        "facts": manifest["facts"],
        "errors": manifest["errors"],
        "files": files,
        "fact_partitions": folders,
        "submit_args": os.environ["PYSPARK_SUBMIT_ARGS"],
    }


def phase_reconcile_parquet(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    from karavan.spark.parquet_reconcile import reconcile_parquet

    clock = TreeClock()
    summary = reconcile_parquet(work / "out")
    return {
        **clock.read(),
        **{k: summary[k] for k in ("facts", "blocks", "largest_block", "clusters", "flags")},
    }


def phase_load(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    from karavan.spark.load import load_parquet

    for leftover in work.glob("k.db*"):  # a load stopped half-way: start the store again
        leftover.unlink()
    clock = TreeClock()
    stored = load_parquet(work / "out", work / "k.db")
    return {**clock.read(), **stored}


def phase_reconcile_store(args: argparse.Namespace, work: Path, n: int) -> dict[str, Any]:
    from karavan import api

    clock = TreeClock()
    api.reconcile(work / "k.db", full=True)
    return clock.read()


RUN: dict[str, Callable[[argparse.Namespace, Path, int], dict[str, Any]]] = {
    "corpus": phase_corpus,
    "extract": phase_extract,
    "spark": phase_spark,
    "reconcile_parquet": phase_reconcile_parquet,
    "load": phase_load,
    "reconcile_store": phase_reconcile_store,
}


def run_phase(args: argparse.Namespace) -> None:
    """In the child: one phase, its result saved as it finishes."""
    work = Path(args.work)
    Phases(work).save(args.phase, RUN[args.phase](args, work, args.size))


def spawn(args: argparse.Namespace, name: str, work: Path, n: int) -> None:
    """One phase in a process of its own (it inherits this one's nice); Ctrl-C stops it, saving nothing."""
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--size", str(n),
               "--work", str(work), "--texts", str(args.texts), "--seeds", str(args.seeds)]  # fmt: skip
    child = subprocess.Popen(command)
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        raise
    if code:
        raise SystemExit(f"phase {name} of {n} documents failed (exit {code}); finished phases are in {work}")


def phases_of(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(p for p in PHASES if not (args.no_store and p in STORE_PHASES))


def measure(args: argparse.Namespace, n: int, work: Path) -> dict[str, dict[str, Any]]:
    """Every phase of one size, skipping those finished earlier in `work`; their results."""
    phases = Phases(work)
    base = articles(args.texts, args.seeds)
    kept = phases.done("corpus")
    if kept and {k: kept.get(k) for k in origin(base, n)} != origin(base, n):
        raise SystemExit(f"{work} holds a corpus made of other articles; give another --keep")
    say(f"{n} documents ({work})")
    for name in phases_of(args):
        if phases.done(name) is not None:
            say(f"  {name}: finished in an earlier run ({phases.path(name).name})")
            continue
        spawn(args, name, work, n)
        say(f"  {name}: {line(name, phases.done(name) or {})}")
    return {name: phases.done(name) or {} for name in phases_of(args)}


def load_text(r: dict[str, Any]) -> str:
    return f"load {r['load_start'][0]:.1f} -> {r['load_end'][0]:.1f}"


def line(name: str, r: dict[str, Any]) -> str:
    wall, cpu = r.get("wall_s", 0.0), r.get("cpu_s", 0.0)
    if name == "spark":
        wall, cpu = r["extract_wall_s"], r["extract_cpu_s"]
    text = f"{wall:8.1f} s wall, {cpu:8.1f} s CPU ({load_text(r)})"
    if name in ("extract", "spark"):
        text += f"; {r['docs'] / wall:.1f} docs/s, {cpu / r['docs'] * 1e3:.1f} CPU-ms a document, {r['facts']} facts"
    if name == "spark":
        k = r["cpu_by_kind"]
        text += (
            f"; session start {r['session_wall_s']:.1f} s; CPU: driver {k['driver']:.0f} s, JVM {k['jvm']:.0f} s, "
            f"Python workers {k['workers']:.0f} s; {r['files']['facts']} fact files in {r['fact_partitions']} "
            f"partitions, {r['files']['documents']} document files"
        )
    if name == "reconcile_parquet":
        text += (
            f"; {cpu / max(1, r['facts']) * 1e3:.3f} CPU-ms a fact, {r['blocks']} country sets, "
            f"the largest {r['largest_block']} facts"
        )
    return text


def ratios(results: dict[str, dict[str, Any]]) -> str:
    local, spark = results["extract"], results["spark"]
    same = "the same facts" if local["facts"] == spark["facts"] else "NOT the same facts"
    wall = local["wall_s"] / spark["extract_wall_s"]
    cpu = local["cpu_s"] / spark["extract_cpu_s"]
    return f"  spark local[2] / extract --jobs 2 (speed): x{wall:.2f} wall, x{cpu:.2f} CPU; {same}"


def cost_model(args: argparse.Namespace, measured: dict[int, dict[str, dict[str, Any]]]) -> list[str]:
    """The cost of 10M documents from the largest size measured (see the module doc)."""
    n = max(measured)
    spark, recon = measured[n]["spark"], measured[n]["reconcile_parquet"]
    cores = args.executors * args.cores
    per_doc = spark["extract_cpu_s"] / n
    per_doc_wall = spark["extract_wall_s"] * 2 / n  # core-seconds if the two cores were the job's alone
    facts_10m = spark["facts"] / n * DOCS_10M
    per_fact = recon["cpu_s"] / max(1, recon["facts"])
    out = [
        f"cost model from {n} documents, 10M documents on {args.executors} executors x {args.cores} cores:",
        f"  extract: {per_doc * 1e3:.1f} CPU-ms a document ({per_doc_wall * 1e3:.1f} core-ms from wall time) "
        f"-> {DOCS_10M * per_doc / cores / 3600:.2f} h ({DOCS_10M * per_doc_wall / cores / 3600:.2f} h) "
        f"+ session start {spark['session_wall_s']:.0f} s",
        f"  reconcile --parquet of {facts_10m / 1e6:.1f}M facts on one core at {per_fact * 1e3:.3f} CPU-ms a "
        f"fact: {facts_10m * per_fact / 3600:.2f} h",
    ]
    if len(measured) > 1:
        m = min(measured)
        lesser = measured[m]["spark"]
        marginal = (spark["extract_cpu_s"] - lesser["extract_cpu_s"]) / (n - m)
        fixed = lesser["extract_cpu_s"] - marginal * m
        out.insert(
            2,
            f"  from {m} and {n} documents: {marginal * 1e3:.1f} CPU-ms a document more, and {fixed:.0f} CPU-s "
            f"whatever the size (the JVM's compilers, planning): {DOCS_10M * marginal / cores / 3600:.2f} h, "
            f"+ about {fixed / args.cores:.0f} s for each executor's own",
        )
        small = measured[m]["reconcile_parquet"]
        grow = math.log(recon["cpu_s"] / small["cpu_s"]) / math.log(recon["facts"] / small["facts"])
        scaled = recon["cpu_s"] * (facts_10m / recon["facts"]) ** grow
        out.append(
            f"  its growth {small['facts']} -> {recon['facts']} facts: exponent {grow:.2f}; "
            f"scaled by it, {scaled / 3600:.2f} h"
        )
    return out


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
    parser.add_argument("--keep", type=Path, help="keep the work and each phase's result in KEEP/docs-N/")
    parser.add_argument("--executors", type=int, default=50, help="executors in the cost model")
    parser.add_argument("--cores", type=int, default=4, help="cores per executor in the cost model")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)  # the child's: one phase
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops the phase running, as Ctrl-C
    sizes = args.docs or [10_000, 100_000]
    temporary = None if args.keep else tempfile.TemporaryDirectory(prefix="karavan-spark-")
    keep = args.keep or Path(temporary.name)  # type: ignore[union-attr]
    measured: dict[int, dict[str, dict[str, Any]]] = {}
    try:
        for n in sizes:
            measured[n] = measure(args, n, keep / f"docs-{n}")
            say(ratios(measured[n]) + "\n")
        for text in cost_model(args, measured):
            say(text)
    except KeyboardInterrupt:
        kept = f"the finished phases are in {keep}: a rerun with --keep {keep} goes on from there"
        say(f"\nstopped; {kept if args.keep else 'nothing kept (no --keep)'}")
        sys.exit(130)
    finally:
        if temporary:
            temporary.cleanup()


if __name__ == "__main__":
    main()
