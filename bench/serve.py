"""Serving speed of every endpoint of `karavan serve` on a 100k-fact store, uncached, quiet and while an ingest writes.

    .venv/bin/python bench/serve.py [--store DIR] [--facts 100000] [--requests 200] [--threads 4]
                                    [--seconds 15] [--ingest-batch 300] [--cached] [--only WORD]
                                    [--phase quiet|ingest|both] [--no-exports-ahead]

The store is bench/corpus.py's synthetic press archive filled through ingest (visits with meetings,
agreements, targets, ranks and near-duplicate reposts; about 19k documents for 100k facts, 4-8 minutes on
two cores) and reconciled. With --store DIR it is kept in DIR/store.db and used again when there (a
second run starts at once).

The server is `karavan serve`'s app under uvicorn in another process, pinned to core 0 with taskset when
there is one. Its reads and pages are not cached (StoreHandle.cached builds every time, as on the first
request after the store changed: --cached keeps the app's caches), and every request draws its own
parameters from the store: pairs (the big ones, KZ-RU and CN-KZ, and rare ones with few facts, in rows of
their own), filters, periods, cursors, pages, documents, facts, clusters, people, promises, search words.
Every GET route is driven (POST /api/documents is the writer of the second phase); the baseline is a
static file of the same server in the same phase. The quiet phase starts once the server has written the
whole CSV exports ahead (karavan/serve/exports_ahead.py: as on a server whose store has been still a while);
--no-exports-ahead serves without them (every export rendered at each request), to compare.

A request's time is until its last byte arrived, as the server sent it (an export sent gzipped is
not unpacked: that is the client's time, not the server's). Phase 1 is quiet. In phase 2, on a copy of the store, `karavan ingest` (another process, on core 1) stores
new documents of the archive (those past the stored ones, --ingest-batch at a time, one ingest after
another) and reconciles after each, while the endpoints are driven again (it starts once the server has written the
exports ahead of the copy, as on a server whose store was still before the ingest began); the cluster and promise ids
requests draw are read again every 2 s (a reconcile replaces them). Goals: p99 under 100 ms quiet,
under 200 ms while an ingest writes. Not a test.
"""

from __future__ import annotations

import argparse
import base64
import gc
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from corpus import WORDS, Archive  # noqa: E402

BIG = 2  # the pairs with most facts, driven in rows of their own
RARE = 6  # the pairs with fewest facts, driven in rows of their own
SEARCH_WORDS = ["товарооборот", "trade", "соглашение", "меморандум", "тауар"]
OK = {200, 303}  # /facts/{id} answers a fact of a cluster with a redirect to the cluster's page


# -- the store -----------------------------------------------------------------------------------------------


def prepare(folder: Path, facts: int, seed: int) -> Path:
    """folder/store.db holding at least `facts` facts of the archive (filled through ingest when short),
    reconciled."""
    from karavan import api

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "store.db"
    started = time.perf_counter()
    filled = Archive(seed).fill(db, facts=facts, work=folder / "work")
    took = time.perf_counter() - started
    print(f"store: {db} ({filled['documents']} documents, {filled['facts']} facts; filled in {took:.0f} s)")
    started = time.perf_counter()
    api.reconcile(db)
    print(f"reconcile: {time.perf_counter() - started:.1f} s", flush=True)
    return db


def copy_store(db: Path, to: Path) -> None:
    """A consistent copy (SQLite's backup: the WAL included)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def cursor_of(fact_id: int) -> str:
    return base64.urlsafe_b64encode(f"f{fact_id}".encode()).decode().rstrip("=")


def list_cursor(tag: str, values: list[object]) -> str:
    """A cursor of a keyset list (karavan/serve/paging.py): the sort key of the row a page starts after, as
    a user who followed `next` links to there holds it."""
    from karavan.serve.paging import encode

    return encode(tag, values)


@dataclass
class Draws:
    """What requests are drawn from, read from the store once."""

    big: list[str]
    rare: list[str]
    pairs: list[str]
    pair_facts: dict[str, int]
    years: list[int]
    docs: list[str]
    n_docs: int
    facts: list[int]
    max_fact: int
    clusters: list[str]
    people: list[str]
    promises: list[str]
    promise_pairs: list[str]
    types: list[str]
    langs: list[str]
    countries: list[str]
    words: list[str] = field(default_factory=list)
    disc_keys: list[tuple[str, str]] = field(default_factory=list)  # (pair, ord) of each discrepancy
    meeting_keys: list[list[object]] = field(
        default_factory=list
    )  # a meeting's sort key, as its cursor holds
    promise_keys: list[tuple[str, str]] = field(default_factory=list)  # (pair, ord) of each promise
    doc_keys: list[tuple[int, str | None, str]] = field(default_factory=list)  # a document's sort key
    fact_keys: list[tuple[str, str, int]] = field(default_factory=list)  # a fact's newest-first sort key

    @classmethod
    def read(cls, db: Path, rng: random.Random) -> Draws:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        q = conn.execute
        counts = {p: n for p, n in q("SELECT pair, count(*) FROM fact_pairs GROUP BY pair") if p[:2] != p[3:]}
        ranked = sorted(counts, key=lambda p: (-counts[p], p))
        rare = ranked[-RARE:]
        docs = [r[0] for r in q("SELECT id FROM documents")]
        facts = [r[0] for r in q("SELECT id FROM facts")]
        clusters = [r[0] for r in q("SELECT id FROM recon_clusters")]
        people = [r[0] for r in q("SELECT DISTINCT name FROM recon_people")]
        promises = list(q("SELECT id, pair FROM promises"))
        values = list(q("SELECT field, value FROM fact_values WHERE n > 0"))
        years = sorted({int(y) for (y,) in q("SELECT DISTINCT substr(published, 1, 4) FROM documents") if y})
        disc_keys = list(q("SELECT pair, ord FROM recon_discrepancies"))
        meeting_keys = [
            [int(p is None), p or "", i]
            for i, p in q("SELECT id, period FROM recon_clusters WHERE type = 'meeting'")
        ]
        promise_keys = list(q("SELECT pair, ord FROM promises"))
        doc_keys = [(int(p is None), p, i) for i, p in q("SELECT id, published FROM documents")]
        fact_keys = list(
            q(
                "SELECT coalesce(d.published, ''), f.doc_id, f.id FROM facts f JOIN documents d ON d.id = f.doc_id"
            )
        )
        conn.close()
        words = [WORDS["country"][c][lang]["nom"] for c in WORDS["country"] for lang in ("ru", "en", "kk")]
        words += [p.split()[-1] for p in people] + SEARCH_WORDS
        return cls(
            big=ranked[:BIG], rare=rare, pairs=ranked, pair_facts=counts, years=years, docs=docs,
            n_docs=len(docs), facts=facts, max_fact=max(facts), clusters=clusters, people=people,
            promises=[p for p, _ in promises], promise_pairs=sorted({p for _, p in promises}),
            types=sorted(v for f, v in values if f == "type"), langs=sorted(v for f, v in values if f == "lang"),
            countries=sorted(v for f, v in values if f == "country"), words=words, disc_keys=disc_keys,
            meeting_keys=meeting_keys, promise_keys=promise_keys, doc_keys=doc_keys,
            fact_keys=fact_keys,
        )  # fmt: skip


# -- the endpoints -------------------------------------------------------------------------------------------


def _q(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _filters(d: Draws, rng: random.Random, page: bool) -> list[tuple[str, str]]:
    """A random fact filter as a page (language=) or the API (lang=) writes it; now and then none."""
    out: list[tuple[str, str]] = []
    if rng.random() < 0.3:
        out.append(("type", rng.choice(d.types)))
    if rng.random() < 0.3:
        y = rng.choice(d.years)
        out += [("period_from", str(y - rng.randint(1, 3))), ("period_to", str(y))]
    if rng.random() < 0.2:
        out.append(("language" if page else "lang", rng.choice(d.langs)))
    if rng.random() < 0.1:
        out.append(("q", rng.choice(["товарооборот", "trade", "млрд", "billion", "тауар"])))
    if page and rng.random() < 0.3:
        out.append(("lang", rng.choice(["en", "ru"])))  # the interface's language
    return out


def _person(d: Draws, rng: random.Random) -> str:
    name = rng.choice(d.people)
    return quote(name.lower().replace(" ", "-") if rng.random() < 0.5 else name, safe="")


def endpoints(d: Draws) -> list[tuple[str, Callable[[random.Random], str]]]:
    """(name, draw a path): every GET route of the app."""
    big, rare, pairs = d.big, d.rare, d.pairs

    def pair_of(kind: list[str]) -> Callable[[random.Random], str]:
        def draw(rng: random.Random) -> str:
            p = rng.choice(kind)
            return "-".join(reversed(p.split("-"))) if rng.random() < 0.3 else p  # either order

        return draw

    bigp, rarep, anyp = pair_of(big), pair_of(rare), pair_of(pairs)
    flow = lambda rng: rng.choice(["turnover", "export", "import"])  # noqa: E731
    doc = lambda rng: quote(rng.choice(d.docs), safe="")  # noqa: E731
    cluster = lambda rng: quote(rng.choice(d.clusters), safe="")  # noqa: E731

    def api_facts(kind: Callable[[random.Random], str] | None) -> Callable[[random.Random], str]:
        def draw(rng: random.Random) -> str:
            params = [("pair", kind(rng))] if kind else []
            if kind is None and rng.random() < 0.5:
                params.append(("country", rng.choice(d.countries)))
            params += _filters(d, rng, page=False)
            if rng.random() < 0.7:
                params.append(("cursor", cursor_of(rng.randint(1, d.max_fact))))
            params.append(("limit", str(rng.choice([20, 100, 100, 500]))))
            return _q("/api/facts", params)

        return draw

    def page_facts(rng: random.Random) -> str:
        params = [("country", rng.choice(d.countries))] if rng.random() < 0.5 else []
        return _q("/facts", params + _filters(d, rng, page=True))

    def one_year(rng: random.Random) -> list[tuple[str, str]]:
        year = str(rng.choice(d.years))
        return [("period_from", year), ("period_to", year)]

    def promise_pair(rng: random.Random) -> list[tuple[str, str]]:
        return [("pair", rng.choice(d.promise_pairs))] if d.promise_pairs and rng.random() < 0.7 else []

    def later(rng: random.Random, tag: str, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A later page of a list, of one pair now and then: the cursor of a row drawn from it."""
        pair, key = rng.choice(keys)
        by_pair = rng.random() < 0.3
        return [*([("pair", pair)] if by_pair else []), ("cursor", list_cursor(tag, [key]))]

    def doc_cursor(rng: random.Random) -> list[tuple[str, str]]:
        return [("cursor", list_cursor("docs", list(rng.choice(d.doc_keys))))] if rng.random() < 0.8 else []

    def search(rng: random.Random) -> str:
        kind = rng.random()
        q = rng.choice(pairs) if kind < 0.25 else rng.choice(d.words)
        return _q("/search", [("q", q)])

    rows: list[tuple[str, Callable[[random.Random], str]]] = [
        ("page /", lambda rng: _q("/", [("lang", rng.choice(["en", "ru"]))])),
        ("page /pairs/{big}", lambda rng: _q(f"/pairs/{bigp(rng)}", _filters(d, rng, page=True))),
        ("page /pairs/{rare}", lambda rng: _q(f"/pairs/{rarep(rng)}", _filters(d, rng, page=True))),
        ("page /facts?filters", page_facts),
        (
            "page /facts?cursor",
            lambda rng: _q(
                "/facts",
                [
                    *_filters(d, rng, page=True),
                    ("cursor", list_cursor("recent", list(rng.choice(d.fact_keys)))),
                ],
            ),
        ),
        ("page /facts/{id}", lambda rng: f"/facts/{rng.choice(d.facts)}"),
        ("page /clusters/{id}", lambda rng: f"/clusters/{cluster(rng)}"),
        ("page /documents?page=", lambda rng: f"/documents?page={rng.randint(1, max(1, d.n_docs // 100))}"),
        ("page /documents/{id}", lambda rng: f"/documents/{doc(rng)}"),
        ("page /discrepancies", lambda rng: _q("/discrepancies", [("lang", rng.choice(["en", "ru"]))])),
        ("page /discrepancies?cursor", lambda rng: _q("/discrepancies", later(rng, "disc", d.disc_keys))),
        ("page /search?q=", search),
        ("page /people", lambda rng: "/people"),
        ("page /people/{person}", lambda rng: f"/people/{_person(d, rng)}"),
        ("page /meetings", lambda rng: "/meetings"),
        (
            "page /meetings?cursor",
            lambda rng: _q("/meetings", [("cursor", list_cursor("meet", rng.choice(d.meeting_keys)))]),
        ),
        ("page /promises", lambda rng: _q("/promises", promise_pair(rng))),
        ("page /promises?cursor", lambda rng: _q("/promises", later(rng, "prom", d.promise_keys))),
        ("page /promises/{id}", lambda rng: f"/promises/{quote(rng.choice(d.promises), safe='')}"),
        ("page /sources", lambda rng: "/sources"),
        ("page /docs", lambda rng: "/docs"),
        ("csv /facts.csv?pair={rare}", lambda rng: _q("/facts.csv", [("pair", rarep(rng))])),
        (
            "csv /facts.csv?pair={big}&year",
            lambda rng: _q("/facts.csv", [("pair", bigp(rng)), *one_year(rng)]),
        ),
        ("csv /facts.csv?pair={big} (all)", lambda rng: _q("/facts.csv", [("pair", bigp(rng))])),
        (
            "csv /facts.csv?pair={big}&limit&cursor",
            lambda rng: _q(
                "/facts.csv",
                [
                    ("pair", bigp(rng)),
                    ("limit", "500"),
                    *([("cursor", cursor_of(rng.randint(1, d.max_fact)))] if rng.random() < 0.8 else []),
                ],
            ),
        ),
        ("csv /documents.csv (all)", lambda rng: "/documents.csv"),
        (
            "csv /documents.csv?limit&cursor",
            lambda rng: _q("/documents.csv", [("limit", "500"), *doc_cursor(rng)]),
        ),
        ("csv /people.csv", lambda rng: "/people.csv"),
        ("csv /meetings.csv (all)", lambda rng: "/meetings.csv"),
        (
            "csv /meetings.csv?limit&cursor",
            lambda rng: _q(
                "/meetings.csv",
                [("limit", "500"), ("cursor", list_cursor("meet", rng.choice(d.meeting_keys)))],
            ),
        ),
        ("csv /pairs/{pair}/series.csv", lambda rng: f"/pairs/{anyp(rng)}/series.csv"),
        ("csv /promises.csv (all)", lambda rng: _q("/promises.csv", promise_pair(rng))),
        (
            "csv /promises.csv?limit&cursor",
            lambda rng: _q("/promises.csv", [("limit", "100"), *later(rng, "prom", d.promise_keys)]),
        ),
        ("feed /feed.atom", lambda rng: "/feed.atom"),
        ("feed /pairs/{big}/feed.atom", lambda rng: f"/pairs/{bigp(rng)}/feed.atom"),
        ("feed /pairs/{rare}/feed.atom", lambda rng: f"/pairs/{rarep(rng)}/feed.atom"),
        ("api /api/facts?pair={big}", api_facts(bigp)),
        ("api /api/facts?pair={rare}", api_facts(rarep)),
        ("api /api/facts?filters", api_facts(None)),
        ("api /api/facts?format=csv", lambda rng: api_facts(anyp)(rng) + "&format=csv"),
        ("api /api/clusters/{id}", lambda rng: f"/api/clusters/{cluster(rng)}"),
        ("api /api/pairs", lambda rng: "/api/pairs"),
        ("api /api/pairs/{big}/series", lambda rng: f"/api/pairs/{bigp(rng)}/series?flow={flow(rng)}"),
        ("api /api/pairs/{rare}/series", lambda rng: f"/api/pairs/{rarep(rng)}/series"),
        ("api /api/pairs/{pair}/official", lambda rng: f"/api/pairs/{anyp(rng)}/official"),
        ("api /api/discrepancies", lambda rng: "/api/discrepancies"),
        (
            "api /api/discrepancies?cursor",
            lambda rng: _q("/api/discrepancies", later(rng, "disc", d.disc_keys)),
        ),
        ("api /api/discrepancies?pair=", lambda rng: f"/api/discrepancies?pair={anyp(rng)}"),
        ("api /api/documents/{id}", lambda rng: f"/api/documents/{doc(rng)}"),
        ("api /api/people", lambda rng: "/api/people"),
        ("api /api/people/{person}", lambda rng: f"/api/people/{_person(d, rng)}"),
        ("api /api/promises", lambda rng: _q("/api/promises", promise_pair(rng))),
        ("api /api/promises?cursor", lambda rng: _q("/api/promises", later(rng, "prom", d.promise_keys))),
        ("api /api/promises/{id}", lambda rng: f"/api/promises/{quote(rng.choice(d.promises), safe='')}"),
        ("api /openapi.json", lambda rng: "/openapi.json"),
    ]
    return rows


# -- driving -------------------------------------------------------------------------------------------------

SERVER = """
import uvicorn
from karavan.serve import state
from karavan.serve.app import create_app
if {uncached}:
    def cached(self, key, build):  # every read and page built at each request, as after a store change
        self.refresh()
        return build()
    state.StoreHandle.cached = cached
uvicorn.run(create_app({db!r}, exports_ahead={ahead}), host="127.0.0.1", port={port}, log_level="warning",
            access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinned(cmd: list[str], core: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core), *cmd]
    return cmd


def start_server(db: Path, port: int, uncached: bool, ahead: bool) -> subprocess.Popen[bytes]:
    code = SERVER.format(uncached=uncached, db=str(db), port=port, ahead=ahead)
    proc = subprocess.Popen(pinned([sys.executable, "-c", code], 0), cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the server did not start")


@dataclass
class Result:
    n: int
    rps: float
    p50: float
    p99: float
    worst: float
    errors: int
    first_error: str | None


def drive(base: str, draw: Callable[[random.Random], str], requests: int, threads: int, seconds: float,
          seed: int) -> Result:  # fmt: skip
    """`requests` GETs, each of a path drawn anew, from `threads` threads (stopped after `seconds`)."""
    stop_at = time.monotonic() + seconds
    per_thread = [requests // threads + (1 if i < requests % threads else 0) for i in range(threads)]

    def worker(i: int) -> tuple[list[float], int, str | None]:
        rng = random.Random(seed * 1000 + i)
        own: list[float] = []
        bad, first = 0, None
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(per_thread[i]):
                if time.monotonic() > stop_at:
                    break
                path = draw(rng)
                t0 = time.perf_counter()
                with client.stream(
                    "GET", path
                ) as r:  # until the last byte, as sent (a gzip body not unpacked)
                    for _ in r.iter_raw():
                        pass
                own.append(time.perf_counter() - t0)
                if r.status_code not in OK:
                    bad += 1
                    first = first or f"{r.status_code} {path}"
        return own, bad, first

    started = time.perf_counter()
    latencies: list[float] = []
    errors, first_error = 0, None
    with ThreadPoolExecutor(threads) as pool:
        for own, bad, first in pool.map(worker, range(threads)):
            latencies += own
            errors += bad
            first_error = first_error or first
    wall = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return Result(0, 0.0, float("nan"), float("nan"), float("nan"), errors, first_error)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(len(latencies), len(latencies) / wall, statistics.median(latencies) * 1000, p99 * 1000,
                  latencies[-1] * 1000, errors, first_error)  # fmt: skip


def table(base: str, rows: list[tuple[str, Callable[[random.Random], str]]], args: argparse.Namespace,
          goal: float) -> list[tuple[str, Result]]:  # fmt: skip
    print(f"{'endpoint':36} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'p99/static':>10} {'errors':>6}")  # fmt: skip
    out = []
    static = None
    for i, (name, draw) in enumerate([("static file (baseline)", lambda rng: "/static/style.css"), *rows]):
        r = drive(base, draw, args.requests, args.threads, args.seconds, seed=i)
        static = static or r.p99
        mark = "" if r.p99 < goal else "  > goal"
        print(f"{name:36} {r.n:8d} {r.rps:7.0f} {r.p50:8.1f} {r.p99:8.1f} {r.worst:8.1f} "
              f"{r.p99 / static:10.1f} {r.errors:6d}{mark}"
              + (f"  (first error: {r.first_error})" if r.first_error else ""), flush=True)  # fmt: skip
        out.append((name, r))
    missed = [name for name, r in out if r.p99 >= goal]
    print(f"p99 under {goal:.0f} ms: {len(out) - len(missed)} of {len(out)}"
          + (f"; over: {', '.join(missed)}" if missed else ""))  # fmt: skip
    return out


class Writer:
    """`karavan ingest` of the archive's next documents, `batch` at a time, one run after another (each
    reconciles after storing), in another process on core 1, until stopped."""

    def __init__(self, db: Path, seed: int, first: int, batch: int, folder: Path) -> None:
        self.db, self.archive, self.next, self.batch, self.folder = db, Archive(seed), first, batch, folder
        self.stop = threading.Event()
        self.runs: list[tuple[int, float, int]] = []  # (documents, seconds, rc)
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.proc: subprocess.Popen[bytes] | None = None

    def _loop(self) -> None:
        karavan = str(Path(sys.executable).with_name("karavan"))
        while not self.stop.is_set():
            path = self.folder / f"next-{self.next:08d}.jsonl"
            self.archive.write(path, self.next, self.batch)
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(pinned([karavan, "ingest", str(path), "--db", str(self.db), "--quiet"], 1),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            _, err = self.proc.communicate()
            self.runs.append((self.batch, time.perf_counter() - t0, self.proc.returncode))
            if self.proc.returncode:
                print(f"  ingest failed ({self.proc.returncode}): {err.decode(errors='replace')[-400:]}")
            self.next += self.batch
            path.unlink()

    def __enter__(self) -> Writer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()  # the run under way finishes: an interrupted ingest is not what is measured


def exports_written(db: Path, timeout: float = 1800) -> None:
    """Wait until the server has written the whole exports ahead of this (still) store, as it has on a
    server whose store has not changed for a while (karavan/serve/exports_ahead.py)."""
    from types import SimpleNamespace

    from karavan.serve.exports_ahead import COMPLETE, data_stamp, folder_of

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    done = folder_of(db) / data_stamp(SimpleNamespace(conn=conn)) / COMPLETE  # type: ignore[arg-type]
    conn.close()
    started = time.monotonic()
    while not done.exists() and time.monotonic() - started < timeout:
        time.sleep(1)
    print(f"exports ahead: {'written' if done.exists() else 'NOT written'} after {time.monotonic() - started:.0f} s "
          f"(waited for {done})", flush=True)  # fmt: skip


class Fresh:
    """While an ingest writes: the cluster and promise ids requests draw, read again every `every` seconds
    (a reconcile replaces them: a stale id is a 404 the server is right to give)."""

    def __init__(self, db: Path, draws: Draws, every: float = 2.0) -> None:
        self.db, self.draws, self.every = db, draws, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.wait(self.every):
            try:
                conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
                clusters = [r[0] for r in conn.execute("SELECT id FROM recon_clusters")]
                promises = [r[0] for r in conn.execute("SELECT id FROM promises")]
                conn.close()
            except sqlite3.Error:
                continue
            if clusters:
                self.draws.clusters = clusters  # rebound, never changed in place: a draw reads one list
            if promises:
                self.draws.promises = promises

    def __enter__(self) -> Fresh:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def phase(db: Path, rows: list[tuple[str, Callable[[random.Random], str]]], args: argparse.Namespace,
          goal: float, title: str, draws: Draws, writer: Writer | None = None) -> list[tuple[str, Result]]:  # fmt: skip
    port = free_port()
    proc = start_server(db, port, uncached=not args.cached, ahead=args.exports_ahead)
    base = f"http://127.0.0.1:{port}"
    try:
        for _, draw in rows:  # every endpoint answers once before timing (imports, templates, first plans)
            httpx.get(base + draw(random.Random(0)), timeout=300)
        if args.exports_ahead:  # as on a server whose store was still a while (before an ingest began)
            exports_written(db)
        load = os.getloadavg()
        print(f"\n{title}: server on {'core 0' if shutil.which('taskset') else f'{os.cpu_count()} cores'}, "
              f"{'cached' if args.cached else 'no cache'}, {args.threads} client threads, up to {args.requests} "
              f"requests or {args.seconds:.0f} s an endpoint; load average {load[0]:.2f} {load[1]:.2f} "
              f"{load[2]:.2f} on {os.cpu_count()} cores", flush=True)  # fmt: skip
        if writer is None:
            return table(base, rows, args, goal)
        with writer, Fresh(db, draws):
            out = table(base, rows, args, goal)
        done = [r for r in writer.runs if r[2] == 0]
        print(f"meanwhile: {len(writer.runs)} ingest runs of {args.ingest_batch} documents (each reconciling "
              f"after), {sum(n for n, _, _ in done)} documents stored, "
              f"{statistics.mean(s for _, s, _ in writer.runs) if writer.runs else 0:.0f} s a run; load "
              f"average now {os.getloadavg()[0]:.2f}")  # fmt: skip
        return out
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="folder of the built store, used again when there")
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200, help="per endpoint")
    parser.add_argument("--threads", type=int, default=4, help="client threads (concurrent requests)")
    parser.add_argument("--seconds", type=float, default=15, help="time limit per endpoint")
    parser.add_argument("--ingest-batch", type=int, default=300, help="documents per ingest run (phase 2)")
    parser.add_argument("--cached", action="store_true", help="keep the app's caches of reads and pages")
    parser.add_argument("--only", help="endpoints whose name has this word")
    parser.add_argument("--phase", choices=["quiet", "ingest", "both"], default="both")
    parser.add_argument("--no-exports-ahead", dest="exports_ahead", action="store_false",
                        help="serve with `karavan serve --no-exports-ahead` (every export rendered at each request)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="karavan-bench-serve-") as tmp:
        folder = args.store or Path(tmp) / "store"
        db = prepare(folder, args.facts, args.seed)
        draws = Draws.read(db, random.Random(args.seed))
        # the client's own full collections (its draws are ~100k objects) paused its threads for up to 60 ms,
        # counted as the server's latency: what lives now is left out of them, as the server does its own
        gc.collect()
        gc.freeze()
        facts_of = lambda pairs: ", ".join(f"{p} ({draws.pair_facts[p]})" for p in pairs)  # noqa: E731
        print(f"pairs: {len(draws.pairs)}; big: {facts_of(draws.big)}; rare: {facts_of(draws.rare)} facts")
        rows = [r for r in endpoints(draws) if not args.only or args.only in r[0]]
        if args.phase in ("quiet", "both"):
            phase(db, rows, args, 100, "Quiet", draws)
        if args.phase in ("ingest", "both"):
            scratch = Path(tmp) / "ingest.db"
            copy_store(db, scratch)
            writer = Writer(scratch, args.seed, draws.n_docs, args.ingest_batch, Path(tmp))
            phase(scratch, rows, args, 200, "While an ingest writes", draws, writer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
