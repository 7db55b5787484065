"""karavan watch as a process: killed with SIGKILL mid-round and restarted, nothing is lost, duplicated or
fetched again; SIGTERM and Ctrl-C stop it cleanly; without --once it goes on polling."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from watch_site import Site, article_html, rss

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 24


def press(site: Site, n: int, delay: float) -> None:
    """A feed of `n` articles in three languages, each answered after `delay` seconds."""
    items = []
    for i in range(n):
        lang = ("ru", "kk", "en")[i % 3]
        site.add(f"/news/{i}", article_html(lang, i), delay=delay)
        items.append((site.url(f"/news/{i}"), f"n{i}", "Fri, 14 Mar 2025 09:30:00 +0500"))
    site.add("/rss.xml", rss(items), "application/rss+xml", etag='"v1"')


def sources_file(tmp_path: Path, site: Site, interval: str = "0") -> Path:
    path = tmp_path / "SOURCES.toml"
    path.write_text(
        f'[watch]\ninterval = "{interval}"\nper_host_delay = 0\nper_host_connections = 2\nworkers = 2\n'
        f'batch = 5\n\n[[source]]\nname = "press"\nkind = "feed"\nurl = "{site.url("/rss.xml")}"\n',
        encoding="utf-8",
    )
    return path


def start(sources: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "karavan.cli", "watch", str(sources), "--db", str(db), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(db: Path, sql: str) -> list[tuple]:
    """Rows of `sql`, read as another process would while the watch writes (read-only; no migrations)."""
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the watch is still creating the schema
        return []


def intact(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], seconds: float = 60) -> None:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the watch ended early ({proc.returncode}):\n{out}\n{err}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("timed out waiting for the watch")


def stored_paths(db: Path) -> list[str]:
    rows = query(db, "SELECT json_extract(meta, '$.fetched_url') FROM documents")
    return [r[0].split("/", 3)[3] for r in rows]


def test_watch_resumes_after_sigkill_without_loss_duplicates_or_refetch(tmp_path: Path) -> None:
    db = tmp_path / "press.db"
    with Site() as site:
        press(site, N_ARTICLES, delay=0.1)
        sources = sources_file(tmp_path, site)
        proc = start(sources, db, "--once")
        wait_for(lambda: len(query(db, "SELECT id FROM documents")) >= 6, proc)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        before = site.requested()
        kept = {
            r[0].split("/", 3)[3]
            for r in query(db, "SELECT url FROM watch_urls WHERE state IN ('fetched', 'done')")
        }
        stored = set(stored_paths(db))
        assert stored and stored <= kept and len(kept) < N_ARTICLES  # killed mid-round, with documents stored

        again = start(sources, db, "--once")
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, out + err
        after = site.requested()

    paths = stored_paths(db)
    assert sorted(paths) == sorted(f"news/{i}" for i in range(N_ARTICLES))  # none lost, none twice
    assert len(query(db, "SELECT id FROM documents")) == N_ARTICLES and intact(db)
    for path in kept:  # a page stored or kept before the kill is never asked for again
        assert after[f"/{path}"] == before[f"/{path}"] == 1, path
    assert all(after[f"/news/{i}"] <= 2 for i in range(N_ARTICLES))  # at most the ones in flight, again
    assert query(db, "SELECT count(*) FROM watch_urls WHERE role = 'article' AND state != 'done'") == [(0,)]


def test_watch_sigterm_stops_cleanly_and_the_next_run_finishes(tmp_path: Path) -> None:
    db = tmp_path / "press.db"
    with Site() as site:
        press(site, 12, delay=0.15)
        sources = sources_file(tmp_path, site, interval="1h")
        proc = start(sources, db)
        wait_for(lambda: len(query(db, "SELECT id FROM documents")) >= 2, proc)
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        stopped_in = time.monotonic() - began
        assert proc.returncode == 0, out + err
        assert "SIGTERM: stopping" in err and "stopped; run the same command again" in out
        assert stopped_in < 10
        first = site.requested()
        kept = {
            r[0].split("/", 3)[3]
            for r in query(db, "SELECT url FROM watch_urls WHERE state IN ('fetched', 'done')")
        }
        again = start(sources, db, "--once")
        out2, err2 = again.communicate(timeout=120)
        assert again.returncode == 0, out2 + err2
        after = site.requested()
    assert 2 <= len(kept) < 12 and intact(db)
    assert sorted(stored_paths(db)) == sorted(f"news/{i}" for i in range(12))
    for path in kept:
        assert after[f"/{path}"] == first[f"/{path}"] == 1, path


def test_watch_polls_again_until_ctrl_c(tmp_path: Path) -> None:
    db = tmp_path / "press.db"
    with Site() as site:
        press(site, 3, delay=0)
        sources = sources_file(tmp_path, site, interval="1s")
        log = tmp_path / "watch.log"
        proc = start(sources, db, "--log", str(log))
        wait_for(lambda: query(db, "SELECT count(*) FROM watch_rounds") >= [(3,)], proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        feed_polls = site.hits("/rss.xml")
    assert proc.returncode == 130, out + err
    assert "Ctrl-C: stopping" in err
    assert feed_polls >= 3 and all(site.hits(f"/news/{i}") == 1 for i in range(3))
    assert out.count("round ") >= 3 and "not modified (304)" in out
    logged = log.read_text(encoding="utf-8")
    assert re.search(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO GET http://127\.0\.0\.1:\d+/news/0 200 ", logged, re.M
    )
    assert logged.count("round ") >= 3 and "stopped; run the same command again" in logged
