"""What a long benchmark on a shared machine needs: the CPU seconds of a whole process tree, the load
average, and phases whose results are kept as JSON files, so a rerun skips what finished.

A process tree's CPU is read from /proc (Linux): for every process alive in the tree, its user and system
time plus that of its children it has waited for (utime + stime + cutime + cstime). A child that ended and
was reaped inside the tree is then counted once, in its parent's figures; one alive is counted on its own.
The CPU spent in a stretch of work is the difference of two such readings (`TreeClock`). On a loaded
machine this is what holds: wall time grows with the other users' load, CPU time hardly does.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    name: str
    started: int  # clock ticks after boot: with pid, names one process (pids are reused)
    cpu: float  # seconds: own user + system, and those of the waited-for children


def parse_stat(text: str) -> Proc:
    """One /proc/PID/stat line. The name is in parentheses and may hold spaces and parentheses itself."""
    head, _, rest = text.rpartition(")")
    pid, _, name = head.partition(" (")
    fields = rest.split()  # fields[0] is the state (field 3 of proc(5))
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return Proc(int(pid), int(fields[1]), name, int(fields[19]), (utime + stime + cutime + cstime) / TICK)


def processes(proc: Path = Path("/proc")) -> list[Proc]:
    """Every process readable under /proc now (those that end while it is read are left out)."""
    found = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                found.append(parse_stat((entry / "stat").read_text()))
            except (OSError, ValueError, IndexError):
                continue
    return found


def tree(procs: Iterable[Proc], root: int) -> list[Proc]:
    """`root` and its descendants among `procs`."""
    children: dict[int, list[Proc]] = {}
    by_pid = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
        by_pid[p.pid] = p
    out, todo = [], [by_pid[root]] if root in by_pid else []
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p.pid, []))
    return out


def kind(p: Proc, root: int) -> str:
    """The part of a run a process is: the measuring process itself, a JVM, or a worker (anything else)."""
    if p.pid == root:
        return "driver"
    return "jvm" if p.name == "java" else "workers"


def cpu_by_kind(before: Iterable[Proc], after: Iterable[Proc], root: int) -> dict[str, float]:
    """CPU seconds spent between two readings of one tree, by kind and in all ('total'). A process in the
    first reading that has ended by the second is now counted in its reaper's figures: its first reading
    is taken off there, so nothing it spent is counted twice or missed."""
    start = {(p.pid, p.started): p for p in before}
    out = {"driver": 0.0, "jvm": 0.0, "workers": 0.0}
    for p in after:
        out[kind(p, root)] += p.cpu - (
            start.pop((p.pid, p.started)).cpu if (p.pid, p.started) in start else 0
        )
    for p in start.values():  # ended since: their time so far was in `before`, their whole time is in after
        out[kind(p, root)] -= p.cpu
    out["total"] = sum(out.values())
    return {k: round(v, 2) for k, v in out.items()}


class TreeClock:
    """Wall and CPU seconds (this process and all it started) and load averages of one stretch of work."""

    def __init__(self, root: int | None = None) -> None:
        self.root = root or os.getpid()
        self.began = time.perf_counter()
        self.load_start = os.getloadavg()
        self.start = tree(processes(), self.root)

    def read(self) -> dict[str, Any]:
        cpu = cpu_by_kind(self.start, tree(processes(), self.root), self.root)
        return {
            "wall_s": round(time.perf_counter() - self.began, 2),
            "cpu_s": cpu["total"],
            "cpu_by_kind": cpu,
            "load_start": [round(v, 2) for v in self.load_start],
            "load_end": [round(v, 2) for v in os.getloadavg()],
        }


@dataclass
class Phases:
    """Results of named phases, one JSON file each in `folder`: written whole when a phase finishes (to a
    temporary name, then renamed), so a run stopped anywhere leaves only finished phases, and a rerun
    with the same folder skips them."""

    folder: Path
    ran: list[str] = field(default_factory=list)

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def done(self, name: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.path(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save(self, name: str, result: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.path(name).with_suffix(".json.part")
        part.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        part.replace(self.path(name))

    def run(self, name: str, work: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
        """The phase's result, and whether it ran now (False: read from its file)."""
        found = self.done(name)
        if found is not None:
            return found, False
        result = work()
        self.save(name, result)
        self.ran.append(name)
        return result, True
