"""What bench/spark.py needs for a long run on a shared machine (bench/phases.py): a process tree's CPU
from /proc, counted once whether a process is alive or was reaped; phase results kept as files, so a
rerun skips finished phases; the corpus the same on a rerun. No Spark here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import spark as bench_spark  # noqa: E402
from bench.phases import TICK, Phases, Proc, TreeClock, cpu_by_kind, parse_stat, tree  # noqa: E402


def stat_line(pid: int, name: str, ppid: int, ticks: tuple[int, int, int, int], started: int = 500) -> str:
    # proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    # cutime cstime priority nice threads itrealvalue starttime ...
    u, s, cu, cs = ticks
    return f"{pid} ({name}) S {ppid} 1 1 0 -1 0 0 0 0 0 {u} {s} {cu} {cs} 20 0 1 0 {started} 1000 10\n"


@pytest.mark.parametrize(
    ("name", "ticks"),
    [
        ("python", (100, 50, 0, 0)),
        ("java", (10, 0, 30, 20)),  # waited-for children count in their parent
        ("a name (with) spaces", (1, 2, 3, 4)),  # comm may hold spaces and parentheses
        ("x) S 9 (", (0, 0, 0, 0)),
    ],
)
def test_bench_stat_line_is_read_whatever_the_name(name: str, ticks: tuple[int, int, int, int]) -> None:
    p = parse_stat(stat_line(42, name, 7, ticks, started=900))
    assert (p.pid, p.ppid, p.name, p.started) == (42, 7, name, 900)
    assert p.cpu == pytest.approx(sum(ticks) / TICK)


def proc(pid: int, ppid: int, cpu: float, name: str = "python", started: int = 1) -> Proc:
    return Proc(pid, ppid, name, started, cpu)


ROOT_PID = 10
# (before, after, expected CPU by kind): the root is the driver, `java` the JVM, the rest workers
CASES = [
    ("alive throughout", [proc(10, 1, 5.0), proc(11, 10, 2.0)], [proc(10, 1, 6.0), proc(11, 10, 4.5)],
     {"driver": 1.0, "workers": 2.5, "jvm": 0.0, "total": 3.5}),
    ("started in between", [proc(10, 1, 5.0)], [proc(10, 1, 5.5), proc(12, 10, 3.0, "java")],
     {"driver": 0.5, "workers": 0.0, "jvm": 3.0, "total": 3.5}),
    # 11 ended with 7 s in all and was reaped by the root: its 7 s are in the root's cutime now
    ("ended and reaped", [proc(10, 1, 5.0), proc(11, 10, 2.0)], [proc(10, 1, 5.0 + 1.0 + 7.0)],
     {"driver": 8.0, "workers": -2.0, "jvm": 0.0, "total": 6.0}),
    ("pid reused", [proc(10, 1, 5.0), proc(11, 10, 2.0, started=1)], [proc(10, 1, 5.0 + 2.0), proc(11, 10, 1.0, started=9)],
     {"driver": 2.0, "workers": -1.0, "jvm": 0.0, "total": 1.0}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "before", "after", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bench_tree_cpu_counts_each_second_once(case: str, before, after, expected) -> None:
    assert cpu_by_kind(before, after, ROOT_PID) == expected


def test_bench_tree_is_the_root_and_its_descendants() -> None:
    procs = [proc(1, 0, 0), proc(10, 1, 0), proc(11, 10, 0), proc(12, 11, 0), proc(20, 1, 0)]
    assert sorted(p.pid for p in tree(procs, 10)) == [10, 11, 12]
    assert tree(procs, 99) == []


def test_bench_tree_clock_counts_a_reaped_child() -> None:
    clock = TreeClock()
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    subprocess.run([sys.executable, "-c", spin], check=True)
    read = clock.read()
    assert read["cpu_by_kind"]["workers"] + read["cpu_by_kind"]["driver"] >= 0.3
    assert read["wall_s"] >= 0.3 and len(read["load_start"]) == len(read["load_end"]) == 3


@pytest.mark.parametrize(
    ("finished", "leftover", "runs"),
    [
        ([], [], ["a", "b", "c"]),
        (["a"], [], ["b", "c"]),
        (["a", "b", "c"], [], []),
        (["a"], ["b"], ["b", "c"]),  # b was stopped while its result was being written: it runs again
    ],
)
def test_bench_phases_rerun_skips_finished(
    tmp_path: Path, finished: list[str], leftover: list[str], runs: list[str]
) -> None:
    earlier = Phases(tmp_path)
    for name in finished:
        earlier.save(name, {"name": name, "earlier": True})
    for name in leftover:
        earlier.path(name).with_suffix(".json.part").write_text('{"half', encoding="utf-8")
    now = Phases(tmp_path)
    results = [now.run(name, lambda name=name: {"name": name, "earlier": False}) for name in "abc"]
    assert now.ran == runs
    assert [r["name"] for r, _ in results] == ["a", "b", "c"]
    assert [ran for _, ran in results] == [name in runs for name in "abc"]
    assert all(r["earlier"] == (name not in runs) for (r, _), name in zip(results, "abc", strict=True))
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["a.json", "b.json", "c.json"]


def test_bench_phase_that_fails_saves_nothing(tmp_path: Path) -> None:
    phases = Phases(tmp_path)

    def stopped() -> dict:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        phases.run("spark", stopped)
    assert phases.done("spark") is None and phases.ran == []


BASE = [
    {
        "id": "a",
        "text": "Trade reached 120 million dollars in 2023.\n\n" + "Talks on transit and grain. " * 4,
    },
    {
        "id": "b",
        "text": "The two sides signed 7 agreements worth 300 million.\n\n" + "Energy and water. " * 6,
    },
]


@pytest.mark.parametrize("n", [1, 150, 250])
def test_bench_spark_corpus_is_the_same_on_a_rerun(tmp_path: Path, n: int) -> None:
    first, again = tmp_path / "first", tmp_path / "again"
    for folder in (first, again):
        folder.mkdir()
        bench_spark.make_corpus(BASE, n, folder)
    assert bench_spark.digest(first) == bench_spark.digest(again)
    lines = [line for p in sorted(first.iterdir()) for line in p.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n and len(set(lines)) == n  # no two documents the same
    assert len(list(first.iterdir())) == -(-n // bench_spark.PER_FILE)


@pytest.mark.parametrize(
    ("base", "n", "same"),
    [(BASE, 100, True), (BASE, 200, False), (BASE[:1], 100, False), ([{**BASE[0], "text": "x"}, BASE[1]], 100, False)],
)  # fmt: skip
def test_bench_spark_kept_corpus_is_reused_only_for_its_articles_and_size(base, n: int, same: bool) -> None:
    assert (bench_spark.origin(base, n) == bench_spark.origin(BASE, 100)) is same


@pytest.mark.parametrize(
    ("finished", "no_store", "spawned"),
    [
        ([], True, ["corpus", "extract", "spark", "reconcile_parquet"]),
        (["corpus", "extract"], True, ["spark", "reconcile_parquet"]),
        (["corpus", "extract", "spark", "reconcile_parquet"], False, ["load", "reconcile_store"]),
        (list(bench_spark.PHASES), False, []),
    ],
)
def test_bench_spark_rerun_runs_only_the_missing_phases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finished: list[str], no_store: bool, spawned: list[str]
) -> None:
    texts = tmp_path / "docs.jsonl"
    texts.write_text("".join(bench_spark.json.dumps(a) + "\n" for a in BASE), encoding="utf-8")
    work = tmp_path / "docs-100"
    for name in finished:
        Phases(work).save(name, {"earlier": True, **bench_spark.origin(BASE, 100)})
    ran: list[str] = []

    def spawn(args, name: str, where: Path, n: int) -> None:
        ran.append(name)
        Phases(where).save(name, {"earlier": False})

    monkeypatch.setattr(bench_spark, "spawn", spawn)
    monkeypatch.setattr(bench_spark, "line", lambda name, result: "")
    args = bench_spark.argparse.Namespace(texts=texts, seeds=tmp_path, no_store=no_store)
    results = bench_spark.measure(args, 100, work)
    assert ran == spawned
    assert list(results) == list(bench_spark.phases_of(args))
    assert all(results[name]["earlier"] == (name in finished) for name in results)
