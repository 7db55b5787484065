"""The per-document time budget: a document that runs out of it is stored with the results of the stages
that finished, no facts and a warning, and never holds up the documents after it.

A stage that never ends on a marked document stands in for a pathological text (no timing is asserted:
without the budget these runs would never finish).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan import api, pipeline
from karavan.budget import DEFAULT_BUDGET, OutOfTime, time_limit
from karavan.cli import main
from karavan.doc import Doc
from karavan.serve.app import create_app
from karavan.store import open_store

GOOD = "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,5 млрд долларов."
MARK = "СТОП"
STALLED = threading.Event()  # set when a stall begins


def stall(doc: Doc) -> Doc:
    """A stage that never returns on a document holding MARK."""
    if MARK in doc.text:
        STALLED.set()
    while MARK in doc.text:
        pass
    return doc


def stall_before(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline with the stall stage just before `stage`, warmed up (lexicons loaded)."""
    pipeline.process(Doc(id="warm", text=GOOD))
    stages = list(pipeline.STAGES)
    stages.insert([name for name, _ in stages].index(stage), ("stall", stall))
    monkeypatch.setattr(pipeline, "STAGES", tuple(stages))


@pytest.fixture()
def stalling(monkeypatch: pytest.MonkeyPatch) -> None:
    stall_before("extract", monkeypatch)


@pytest.mark.parametrize("stage", ["clean", "annotate", "extract"])
def test_pipeline_over_budget_keeps_the_finished_stages_and_no_facts(
    stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stall_before(stage, monkeypatch)
    doc = Doc(id="slow", text=f"{MARK} {GOOD}", meta={"k": 1})
    out = pipeline.process(doc, budget=1.0)
    spent = out.meta["over_budget"]
    assert spent["stage"] == "stall" and spent["budget"] == 1.0
    assert out.facts == [] and out.mentions == [] and out.meta["k"] == 1
    before = [name for name, _ in pipeline.STAGES][: [n for n, _ in pipeline.STAGES].index("stall")]
    assert spent["done"] == before
    assert (out.lang is not None) == ("clean" in before)  # clean's results kept only when it finished
    assert out.text == doc.text and out.id == "slow"


def test_pipeline_within_budget_is_the_plain_pipeline() -> None:
    plain = pipeline.process(Doc(id="a", text=GOOD))
    timed = pipeline.process(Doc(id="a", text=GOOD), budget=DEFAULT_BUDGET)
    assert [f.to_dict() for f in timed.facts] == [f.to_dict() for f in plain.facts] and plain.facts
    assert "over_budget" not in timed.meta


def test_pipeline_budget_a_worker_reports_a_document_over_budget(tmp_path: Path, stalling: None) -> None:
    """`--jobs N` workers (spawned: the stalling stage is patched into this process, so the worker's own code
    runs here) report the document that ran out of its budget as a warning, and store it."""
    from karavan.api import default_process
    from karavan.ingest import parallel
    from karavan.store import open_store

    # what the worker's initializer sets up (its die-with-parent part aside: this is no worker process)
    parallel._worker.update(
        store=open_store(tmp_path / "k.db"), process=default_process(1.0), limit=1, force=False
    )
    problems: list = []
    out = parallel._one(Doc(id="slow", text=f"{MARK} {GOOD}"), problems)
    assert out.status == "new" and out.facts == 0
    assert [type(p).__name__ for p in problems] == ["OverBudget"] and "ran out of its 1 s budget" in str(
        problems[0]
    )


@pytest.mark.parametrize("jobs", ["1"])
def test_pipeline_budget_a_stalling_document_is_stored_and_the_next_ones_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stalling: None, jobs: str
) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": "a", "text": GOOD}, {"id": "slow", "text": f"{MARK} {GOOD}"}, {"id": "b", "text": GOOD}]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "k.db"
    code = main(["ingest", str(feed), "--db", str(db), "--quiet", "--budget", "1", "--jobs", jobs])
    captured = capsys.readouterr()
    assert code == 0
    (line,) = captured.err.strip().splitlines()
    assert line.startswith(
        f"karavan: warning: {feed}: document 'slow' ran out of its 1 s budget in the stall stage"
    )
    assert "stored with no facts" in line and "--budget" in line
    assert "3 new" in captured.out and "0 errors, 1 warnings" in captured.out
    with open_store(db) as store:
        counts = {d["id"]: d["facts"] for d in store.doc_summaries()}
        slow = store.get_doc("slow")
    assert counts == {"a": 1, "slow": 0, "b": 1}
    assert slow.meta["over_budget"]["stage"] == "stall"
    # unchanged next time: the same command does not run it again (--force with a larger budget would)
    assert main(["ingest", str(feed), "--db", str(db), "--quiet", "--budget", "1"]) == 0
    assert "3 unchanged" in capsys.readouterr().out


def test_pipeline_budget_extract_reports_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stalling: None
) -> None:
    (tmp_path / "slow.txt").write_text(f"{MARK} {GOOD}", encoding="utf-8")
    (tmp_path / "z.txt").write_text(GOOD, encoding="utf-8")
    assert main(["extract", str(tmp_path), "--budget", "1"]) == 0
    captured = capsys.readouterr()
    assert "document 'slow' ran out of its 1 s budget" in captured.err and "no facts from it" in captured.err
    assert [json.loads(line)["doc"] for line in captured.out.splitlines()] == ["z"]


def test_pipeline_budget_a_slow_post_does_not_hold_up_another_writer(tmp_path: Path, stalling: None) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([], db)
    app = create_app(db, token="t", budget=1.5)
    finished: list[str] = []
    with TestClient(app) as client:

        def post(ident: str, text: str) -> None:
            r = client.post(
                "/api/documents", json={"id": ident, "text": text}, headers={"Authorization": "Bearer t"}
            )
            assert r.status_code == 201, r.text
            finished.append(ident)

        STALLED.clear()
        slow = threading.Thread(target=post, args=("slow", f"{MARK} {GOOD}"))
        slow.start()
        assert STALLED.wait(60)
        post("quick", GOOD)  # stored while the slow one is in its pipeline: it holds no lock there
        slow.join()
        body = client.get("/api/documents/slow").json()
    assert finished == ["quick", "slow"]
    assert body["facts"] == []


def test_pipeline_time_limit_leaves_nothing_behind() -> None:
    for _ in range(200):  # limits that run out about when their blocks end
        try:
            with time_limit(0.0005):
                sum(range(3000))
        except OutOfTime:
            pass
    sum(range(10**6))  # no stray OutOfTime goes off afterwards
    with pytest.raises(OutOfTime):
        with time_limit(0.05):
            while True:
                pass
