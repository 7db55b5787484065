"""Reconciles of one store started at once by different processes (`karavan serve`'s worker and an ingest's
own run, two ingests) run one after another: none fails, and the results are a full run's."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest
from conftest import press_doc, recon_dump

from karavan import api
from karavan.store import open_store

ROOT = Path(__file__).resolve().parents[1]

PAIRS = [("Казахстаном", "Узбекистаном"), ("Кыргызстаном", "Таджикистаном"), ("Казахстаном", "Таджикистаном"),
         ("Узбекистаном", "Таджикистаном"), ("Казахстаном", "Кыргызстаном")]  # fmt: skip
NEW = [  # our own phrasings: figures, targets and events of several pairs, so that each run redoes many blocks
    (f"r{i}-{j}", f"2024-0{1 + j}-1{i}", text)
    for i, (a, b) in enumerate(PAIRS)
    for j, text in enumerate([
        f"Товарооборот между {a} и {b} в 2023 году составил {1 + i},5 млрд долларов.",
        f"Стороны намерены довести товарооборот между {a} и {b} до {5 + i} млрд долларов к 2030 году.",
        f"Между {a} и {b} подписано соглашение о торговле и транспорте.",
    ])
]  # fmt: skip


def _reconcile(db: str, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:
    start.wait(30)
    try:
        out.put(("ok", api.reconcile(db).get("kind")))
    except Exception as e:  # what the run said, for the assertion
        out.put(("error", f"{type(e).__name__}: {e}"))


@pytest.mark.parametrize("runs", [2, 4])
def test_reconcile_runs_started_at_once_do_not_fail_and_equal_a_full_run(tmp_path: Path, runs: int) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([ROOT / "examples"], db, report=lambda p: None)
    api.reconcile(db)
    with open_store(db) as s:
        for doc_id, published, text in NEW:
            s.put(press_doc(doc_id, text, published))
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_reconcile, args=(str(db), start, out)) for _ in range(runs)]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert [r for r in results if r[0] != "ok"] == []
    assert [r[1] for r in results].count("incremental") >= 1
    full = tmp_path / "full.db"
    shutil.copy(db, full)
    api.reconcile(full, full=True)
    assert recon_dump(db) == recon_dump(full)
