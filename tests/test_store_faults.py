"""SQLite failures are karavan errors that say what to do, and never harm what is stored.

- disk full: a 1.2 MB tmpfs when the tests run as root (and may mount), else SQLite's max_page_count;
  the ingest stops with one line, the store stays whole, and the same command goes on once there is room;
- read-only (a read-only tmpfs as root, file and folder permissions otherwise): writing says so in
  one line, and every read works, reconciliation included (in memory);
- damage in the middle of the file: quick_check finds it on open, nothing is written into it,
  `karavan check` lists it; reads fail with one line at worst, never a traceback;
- a lock held too long by another process: one line, nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan.cli import main
from karavan.serve.app import create_app
from karavan.store import db as store_db
from karavan.store import open_store

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
SENTENCE = "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил {n},5 млрд долларов. "


def write_jsonl(path: Path, n: int, size: int = 30_000, prefix: str = "d") -> dict[str, str]:
    texts = {}
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            unit = SENTENCE.format(n=i % 9 + 1)
            text = (unit * (size // len(unit) + 1))[:size] + f" Документ {i}."
            texts[f"{prefix}{i:03}"] = text
            f.write(json.dumps({"id": f"{prefix}{i:03}", "text": text}, ensure_ascii=False) + "\n")
    return texts


def stored_texts(db: Path) -> dict[str, str]:
    with open_store(db) as store:
        return {r[0]: r[1] for r in store.conn.execute("SELECT id, text FROM documents")}


def whole(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def mount_tmpfs(path: Path, size_kb: int) -> bool:
    if not ROOT or shutil.which("mount") is None:
        return False
    path.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True, capture_output=True)


def umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def small_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> Iterator[tuple[Path, Callable[[], None]]]:
    """A folder for the database that fills up after about 1.2 MB (an empty store takes 225 KB), and a
    function that makes room: a small tmpfs (`how` "tmpfs", as root), or SQLite's max_page_count."""
    where = tmp_path / "disk"
    if how == "tmpfs":
        if not mount_tmpfs(where, 1200):
            pytest.skip("a small tmpfs needs root and the right to mount (max_page_count is tested instead)")
        try:
            yield where, lambda: remount(where, "size=32m")
        finally:
            umount(where)
        return
    where.mkdir()
    real = store_db.connect

    def limited(path: Path, mode: str = "rw") -> sqlite3.Connection:
        conn = real(path, mode)
        conn.execute("PRAGMA max_page_count = 300")  # 1.2 MB of 4 KB pages
        return conn

    monkeypatch.setattr(store_db, "connect", limited)
    yield where, lambda: monkeypatch.setattr(store_db, "connect", real)


# -- disk full --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["tmpfs", "max_page_count"])
def test_store_disk_full_stops_with_one_line_keeps_the_store_whole_and_resumes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    with_fake_pipeline,  # noqa: ANN001
    how: str,
) -> None:
    feed = tmp_path / "feed.jsonl"
    texts = write_jsonl(feed, 40)
    with small_disk(tmp_path, monkeypatch, how) as (where, make_room):
        db = where / "k.db"
        code = main(["ingest", str(feed), "--db", str(db), "--quiet"])
        err = capsys.readouterr().err
        assert code == 1, err
        lines = err.strip().splitlines()
        assert "Traceback" not in err and "cannot rollback" not in err
        assert len(lines) == 2, lines
        assert (
            lines[0].startswith(f"karavan: error: {db}: storing document 'd0")
            and "the disk is full" in lines[0]
        )
        assert "run the same command again" in lines[0]
        assert lines[1].startswith("karavan: stopped: ") and "documents stored by this run" in lines[1]
        first = stored_texts(db)
        assert 0 < len(first) < len(texts)
        assert whole(db)
        assert all(texts[i] == t for i, t in first.items())  # every stored document is whole
        with open_store(db) as store:
            counts = dict(store.conn.execute("SELECT doc_id, count(*) FROM facts GROUP BY doc_id").fetchall())
        assert set(counts) == set(first) and set(counts.values()) == {3}  # with all its facts

        make_room()
        assert main(["ingest", str(feed), "--db", str(db), "--quiet"]) == 0
        out = capsys.readouterr().out
        assert f"{len(first)} unchanged" in out and f"{len(texts) - len(first)} new" in out
        assert stored_texts(db) == texts
        assert whole(db)


# -- read-only ------------------------------------------------------------------------------------


@contextmanager
def read_only(tmp_path: Path, source: Path) -> Iterator[Path]:
    """A read-only copy of the store at `source` (closed, checkpointed)."""
    where = tmp_path / "ro"
    if ROOT:
        if not mount_tmpfs(where, 8192):
            pytest.skip("running as root without the right to mount: no way to make a file read-only")
        try:
            shutil.copy(source, where / "k.db")
            remount(where, "ro")
            yield where / "k.db"
        finally:
            umount(where)
        return
    where.mkdir()
    shutil.copy(source, where / "k.db")
    os.chmod(where / "k.db", 0o444)
    os.chmod(where, 0o555)
    try:
        yield where / "k.db"
    finally:
        os.chmod(where, 0o755)


@pytest.fixture()
def filled(tmp_path: Path, with_fake_pipeline) -> Path:  # noqa: ANN001
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, 12, size=3000)
    db = tmp_path / "k.db"
    assert main(["ingest", str(feed), "--db", str(db), "--quiet"]) == 0
    return db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    got = capsys.readouterr()
    return code, got.out, got.err


def test_store_read_only_refuses_writes_in_one_line_and_reads_work(
    tmp_path: Path, filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "new.txt").write_text(SENTENCE.format(n=5), encoding="utf-8")
    expected = {cmd: run(capsys, cmd, "--db", str(filled))[1] for cmd in ("docs", "facts")}
    with read_only(tmp_path, filled) as db:
        before = db.read_bytes()
        for write in (["ingest", str(tmp_path / "new.txt")], ["reconcile"]):
            code, _, err = run(capsys, *write, "--db", str(db))
            assert code == 2 and "Traceback" not in err
            assert err.startswith(f"karavan: error: {db}: ") and "the database is read-only" in err
            assert "reading it works" in err and len(err.strip().splitlines()) == 1
        for read in ("docs", "facts"):
            code, out, err = run(capsys, read, "--db", str(db))
            assert (code, err) == (0, "") and out == expected[read]
        code, out, err = run(capsys, "pairs", "--db", str(db), "--format", "json")
        assert code == 0 and "Traceback" not in err  # read as the last reconciliation left it
        assert any(p["pair"] == "KZ-TJ" for p in json.loads(out))
        code, out, _ = run(capsys, "check", "--db", str(db))
        assert code == 0 and "read-only" in out
        with TestClient(create_app(db, token="t")) as client:
            assert client.get("/api/pairs").status_code == 200
            assert client.get("/api/documents/d000").json()["id"] == "d000"
            r = client.post(
                "/api/documents", json={"id": "x", "text": "two"}, headers={"Authorization": "Bearer t"}
            )
            assert r.status_code == 503 and "read-only" in r.json()["error"]["message"]
        assert db.read_bytes() == before


# -- damage ---------------------------------------------------------------------------------------


def damage(db: Path) -> None:
    """Random bytes over one page in the middle of the file (the store is closed)."""
    size = db.stat().st_size
    page = 4096
    middle = (size // page // 2) * page
    with open(db, "r+b") as f:
        f.seek(middle)
        f.write(hashlib.sha512(b"damage").digest() * (page // 64))


def test_store_damage_is_found_on_open_and_nothing_is_written_into_it(
    tmp_path: Path, filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(filled)
    before = filled.read_bytes()
    (tmp_path / "new.txt").write_text(SENTENCE.format(n=5), encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(tmp_path / "new.txt"), "--db", str(filled))
    assert code == 2 and err.startswith(f"karavan: error: {filled}: ingest: the database is damaged")
    assert "karavan check" in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "check", "--db", str(filled))
    assert code == 1 and "DAMAGED" in out and "problem: " in out and err == ""
    code, out, _ = run(capsys, "check", "--db", str(filled), "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["problems"]
    for command in (["docs"], ["facts"], ["pairs"], ["show", "d003"], ["reconcile"]):
        code, _, err = run(capsys, *command, "--db", str(filled))
        assert "Traceback" not in err
        assert code == 0 or (code == 2 and len(err.strip().splitlines()) == 1), (command, err)
    assert filled.read_bytes() == before
    beside = sorted(p.name for p in filled.parent.iterdir() if p.name.startswith("k.db"))
    assert beside in (["k.db"], ["k.db", "k.db.reconcile-lock"])  # no log, no journal (the lock is the runs')


def test_store_check_of_a_whole_store_counts_its_rows(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "--db", str(filled), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert report["counts"]["documents"] == 12 and report["counts"]["facts"] == 36
    assert report["journal"] == "wal" and report["readonly"] is False
    code, out, _ = run(capsys, "check", "--db", str(filled))
    assert code == 0 and out.startswith(f"{filled}: ok (PRAGMA integrity_check)") and "12 documents" in out


# -- a lock held too long ---------------------------------------------------------------------------


def test_store_lock_held_too_long_is_one_line_and_changes_nothing(
    tmp_path: Path, filled: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT", 0.2)
    (tmp_path / "new.txt").write_text(SENTENCE.format(n=5), encoding="utf-8")
    holder = sqlite3.connect(filled, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing: here, another connection
    try:
        code, _, err = run(capsys, "ingest", str(tmp_path / "new.txt"), "--db", str(filled))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert first.startswith(f"karavan: error: {filled}: storing document 'new': the database stayed locked")
    assert "new" not in stored_texts(filled)
