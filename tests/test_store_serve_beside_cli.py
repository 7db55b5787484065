"""`karavan serve` beside the CLI: every document committed by any process is seen by every process, and is
still there once both have stopped.

The server runs as its own process with ingest over HTTP on. While it answers readers (each new worker
thread opens its own connection), CLI processes ingest, list, reconcile and ingest again, and several
HTTP writers post documents at once. Before the fix, the server's first reader thread dropped SQLite's
locks (a check read the file with Python's open()), a CLI command then deleted the server's -wal file,
and documents the server had accepted vanished.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from karavan.store import open_store

# an exception in a reader or writer thread fails the test, never only a warning
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "beside-cli-token"
COUNTRIES = ("Казахстаном и Узбекистаном", "Казахстаном и Таджикистаном", "Кыргызстаном и Казахстаном")


def text_of(n: int) -> str:
    pair = COUNTRIES[n % len(COUNTRIES)]
    return f"Товарооборот между {pair} в {2000 + n % 24} году составил {n % 90 + 1},{n % 10} млрд долларов."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def karavan(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "karavan.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "CI": "true"},
    )


def parsed(content_type: str | None, raw: bytes) -> dict:
    """A JSON answer's body; an HTML page (the dashboard) gives {}."""
    return json.loads(raw or b"{}") if (content_type or "").startswith("application/json") else {}


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", f"Bearer {TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, parsed(r.headers.get("Content-Type"), r.read())
    except urllib.error.HTTPError as e:
        return e.code, parsed(e.headers.get("Content-Type"), e.read())


def write_batch(folder: Path, prefix: str, numbers: range) -> set[str]:
    folder.mkdir()
    ids = set()
    for n in numbers:
        (folder / f"{prefix}{n}.txt").write_text(text_of(n), encoding="utf-8")
        ids.add(f"{prefix}{n}")
    return ids


@pytest.fixture()
def server(tmp_path: Path):  # noqa: ANN201
    db = tmp_path / "k.db"
    first = write_batch(tmp_path / "seed", "seed-", range(3))
    done = karavan("ingest", str(tmp_path / "seed"), "--db", str(db), "--quiet")
    assert done.returncode == 0, done.stderr
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "karavan.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "KARAVAN_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if request(port, "GET", "/api/pairs")[0] == 200:
                break
        except OSError:
            pass
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    try:
        yield db, port, proc, first
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_store_serve_beside_cli_loses_no_committed_document(tmp_path: Path, server) -> None:  # noqa: ANN001
    db, port, proc, committed = server
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def readers() -> None:  # new server threads open new connections: the moment the old check broke locks
        while not stop.is_set():
            for path in ("/api/facts?limit=5", "/api/pairs", "/api/documents/seed-0", "/"):
                try:
                    status, _ = request(port, "GET", path)
                except (OSError, ValueError) as e:  # a reset connection, a body that is not JSON
                    status = f"{e!r}"
                if status != 200:
                    with lock:
                        failures.append(f"GET {path}: {status}")

    def http_writer(w: int) -> None:
        for n in range(6):
            ident = f"http-{w}-{n}"
            try:
                status, body = request(
                    port, "POST", "/api/documents", {"id": ident, "text": text_of(w * 10 + n)}
                )
            except OSError as e:
                status, body = 0, {"error": f"{e}"}
            with lock:
                if status == 201 and body.get("new") == 1:
                    committed.add(ident)
                else:
                    failures.append(f"POST {ident}: {status} {body}")

    def cli(batch: str, numbers: range, *extra: str) -> None:
        ids = write_batch(tmp_path / batch, f"{batch}-", numbers)
        done = karavan("ingest", str(tmp_path / batch), "--db", str(db), "--quiet", *extra)
        with lock:
            if done.returncode == 0 and f"{len(ids)} new" in done.stdout and "0 errors" in done.stdout:
                committed.update(ids)
            else:
                failures.append(f"ingest {batch}: {done.returncode} {done.stdout} {done.stderr}")

    threads = [threading.Thread(target=readers) for _ in range(2)]
    threads += [threading.Thread(target=http_writer, args=(w,)) for w in range(4)]
    threads += [threading.Thread(target=cli, args=("cli-a", range(0, 12)))]
    threads += [threading.Thread(target=cli, args=("cli-b", range(12, 24), "--jobs", "2"))]
    for t in threads:
        t.start()
    for command in (["docs"], ["reconcile", "--full"], ["facts", "--limit", "3"], ["pairs"]):
        done = karavan(*command, "--db", str(db))
        if done.returncode != 0:
            failures.append(f"{command}: {done.returncode} {done.stderr}")
    cli("cli-c", range(24, 30))
    for t in threads[2:]:
        t.join()
    stop.set()
    for t in threads[:2]:
        t.join()
    assert not failures, failures
    assert len(committed) == 3 + 4 * 6 + 12 + 12 + 6

    # every process sees every committed document: the server, a new CLI process ...
    missing = [i for i in sorted(committed) if request(port, "GET", f"/api/documents/{i}")[0] != 200]
    assert missing == [], "the server does not see documents others committed"
    listed = karavan("docs", "--db", str(db))
    assert listed.returncode == 0
    seen = {line.split()[0] for line in listed.stdout.splitlines()[1:-1]}
    assert committed <= seen
    # ... and everything is still there once the server has stopped
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 0
    with open_store(db) as store:
        stored = {r[0] for r in store.conn.execute("SELECT id FROM documents")}
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert committed == stored
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("SELECT id FROM documents")} == stored
    conn.close()
