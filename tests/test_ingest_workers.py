"""`--jobs N`: the pool's workers die with the process that started them, on SIGKILL and on SIGTERM of it.

Before, a killed `karavan ingest --jobs 2` left its workers blocked on their task queue, holding the
database open, for good (68 minutes later they were still there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from karavan.doc import Doc

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

SCRIPT = """
import sys
from karavan import api
from tests.test_ingest_workers import slow_process
api.ingest_paths([sys.argv[1]], sys.argv[2], process=slow_process, jobs=2)
"""


def slow_process(doc: Doc) -> Doc:
    """A pipeline that takes its time, so the workers are busy when their parent is killed."""
    time.sleep(0.3)
    return doc


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(c) for c in text.split()}
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_ingest_workers_die_with_their_parent(tmp_path: Path, sig: signal.Signals) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(f'{{"id": "d{i}", "text": "Товарооборот {i} млрд долларов."}}\n' for i in range(200)),
        encoding="utf-8",
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(feed), str(tmp_path / "k.db")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            assert parent.poll() is None and time.monotonic() < deadline, "no workers started"
            workers = {p for p in children(parent.pid) if alive(p)}
            time.sleep(0.1)
        time.sleep(0.5)  # the workers are in their tasks
        os.kill(parent.pid, sig)
        parent.wait(30)
        deadline = time.monotonic() + 15
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if alive(p)], "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for p in workers:  # a failed run must not leave them behind either
            if alive(p):
                os.kill(p, signal.SIGKILL)
