"""Serving speed: requests/s and p99 latency of the API and the pair page on a store of 100,000 facts.

    .venv/bin/python bench/serve.py [--facts 100000] [--requests 2000] [--threads 8] [--seconds 60]

Builds a synthetic store (documents of 100 trade, target and meeting facts each, pairs among six
countries, years 2015-2024, some periods stated twice with different values), reconciles it, starts
`karavan serve`'s app with uvicorn in a separate process on a free loopback port (pinned to one core
with taskset when there is one), then drives a fixed number of requests per endpoint from a thread
pool with httpx, each run bounded by --seconds. The baseline is a static file from the same server
in the same run. Goal: p99 under 100 ms on one core. Not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from karavan.doc import Doc, Fact  # noqa: E402
from karavan.store import open_store  # noqa: E402

COUNTRIES = ["KZ", "TJ", "KG", "UZ", "TM", "RU"]
PER_DOC = 100


def synthetic_doc(i: int, rng: random.Random) -> Doc:
    lines, facts = [], []
    pos = 0
    for k in range(PER_DOC):
        a, b = rng.sample(COUNTRIES, 2) if k % 4 else ("KZ", "TJ")
        year = rng.randint(2015, 2024)
        value = round(rng.uniform(0.2, 3.0), 1) * 1e9
        kind = rng.random()
        if kind < 0.8:
            text = f"Товарооборот между {a} и {b} в {year} году составил {value / 1e9:.1f} млрд долларов."
            fields = {"flow": "turnover", "reporter": a, "partner": b, "product": "total",
                      "period": f"{year}-01/{year}-12", "value": value, "unit": "USD"}  # fmt: skip
            ftype = "trade"
        elif kind < 0.9:
            text = f"{a} и {b} намерены довести товарооборот до {value / 1e9:.1f} млрд долларов."
            fields = {"flow": "turnover", "reporter": a, "partner": b, "product": "total", "value": value,
                      "unit": "USD", "by": None}  # fmt: skip
            ftype = "target"
        else:
            text = f"Лидеры {a} и {b} провели переговоры."
            fields = {"participants": [f"Leader {a}", f"Leader {b}"], "countries": [a, b], "place": None}
            ftype = "meeting"
        facts.append(Fact(type=ftype, doc=f"bench-{i}", start=pos, end=pos + len(text), quote=text,
                          fields=fields, lang="ru", rule="bench"))  # fmt: skip
        lines.append(text)
        pos += len(text) + 1
    day = f"{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    doc = Doc(id=f"bench-{i}", text="\n".join(lines), published=day, source=f"site{i % 50}.kz")
    doc.lang, doc.script, doc.facts = "ru", "Cyrl", facts
    return doc


def build_store(db: Path, n_facts: int) -> float:
    rng = random.Random(7)
    started = time.perf_counter()
    with open_store(db) as store:
        for i in range(n_facts // PER_DOC):
            store.put(synthetic_doc(i, rng))
    return time.perf_counter() - started


def reconcile(db: Path) -> float:
    from karavan.reconcile import store_bridge

    started = time.perf_counter()
    with open_store(db) as store:
        store_bridge.reconcile_store(store, full=True)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn; from karavan.serve.app import create_app; "
        f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, log_level='warning', access_log=False)"
    )
    cmd = [sys.executable, "-c", code]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def drive(base: str, path: str, requests: int, threads: int, seconds: float) -> dict[str, float]:
    """`requests` GETs of `path` from `threads` threads (stops early after `seconds`)."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds
    per_thread = [requests // threads + (1 if i < requests % threads else 0) for i in range(threads)]

    def worker(n: int) -> tuple[list[float], int]:
        own, bad = [], 0
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(n):
                if time.monotonic() > stop_at:
                    break
                t0 = time.perf_counter()
                r = client.get(path)
                own.append(time.perf_counter() - t0)
                bad += r.status_code != 200
        return own, bad

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for own, bad in pool.map(worker, per_thread):
            latencies += own
            errors += bad
    wall = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": statistics.median(latencies) * 1000,
            "p99": p99 * 1000, "errors": errors}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60, help="time limit per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="karavan-bench-serve-") as tmp:
        db = Path(tmp) / "bench.db"
        print(f"store: {args.facts} facts built in {build_store(db, args.facts):.1f} s", flush=True)
        print(f"reconcile: {reconcile(db):.1f} s", flush=True)
        port = free_port()
        proc = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            endpoints = [
                ("static file (baseline)", "/static/style.css"),
                ("GET /api/facts?pair=KZ-TJ", "/api/facts?pair=KZ-TJ"),
                ("GET /pairs/KZ-TJ (page)", "/pairs/KZ-TJ"),
            ]
            for _, path in endpoints:  # warm up: caches, first reconcile check
                httpx.get(base + path, timeout=120)
            pinned = "one core (taskset -c 0)" if shutil.which("taskset") else f"{os.cpu_count()} cores"
            print(f"server on {pinned}; {args.requests} requests per endpoint, {args.threads} client threads")
            print(f"{'endpoint':30} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
            for name, path in endpoints:
                r = drive(base, path, args.requests, args.threads, args.seconds)
                print(
                    f"{name:30} {r['n']:8d} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:6d}"
                )
        finally:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
