"""Incremental reconciliation equals a full one: a store changed step by step (documents added, replaced,
reposted under another id, re-dated, deleted) and reconciled after each step holds, table for table and row
for row, what one full run over its final state writes; and a step redoes only the blocks it reaches.

Corpora: the seeds, examples/ and ../shared/realpress, each run once through the real pipeline."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, recon_dump, shared

from karavan import api
from karavan.doc import Doc
from karavan.reconcile import store_bridge as bridge
from karavan.store import open_store


def _processed(paths: list[Path]) -> list[Doc]:
    return list(api.extract_paths(paths))


@pytest.fixture(scope="module")
def corpus() -> list[Doc]:
    paths = [ROOT / "examples", shared("seeds"), shared("realpress", "realpress/docs.jsonl") / "docs.jsonl"]
    return _processed(paths)


dump = recon_dump


def reads(db: Path) -> dict[str, object]:
    with open_store(db) as s:
        pairs = bridge.read_pairs(s)
        return {
            "pairs": pairs,
            "series": [bridge.read_series(s, p["pair"]) for p in pairs],
            "discrepancies": bridge.read_discrepancies(s),
            "flags": bridge.read_flags(s),
            "people": bridge.read_people(s),
            "meetings": bridge.read_meetings(s),
            "latest": bridge.latest_figures(s),
        }


def full_copy(db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "full.db"
    shutil.copy(db, copy)
    with open_store(copy) as s:
        assert bridge.reconcile_store(s, full=True)["kind"] == "full"
    return copy


def _delete(db: Path, doc_id: str) -> None:
    with open_store(db) as s:
        s.conn.execute("BEGIN IMMEDIATE")
        s.conn.execute("DELETE FROM facts WHERE doc_id = ?", (doc_id,))
        s.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        s.conn.execute("COMMIT")


def test_reconcile_incremental_steps_equal_a_full_run(corpus: list[Doc], tmp_path: Path) -> None:
    db = tmp_path / "steps.db"
    docs = sorted(corpus, key=lambda d: d.id)
    thirds = [docs[i::3] for i in range(3)]
    kinds = []
    with open_store(db) as s:
        for batch in thirds:  # added in three batches, each reconciled
            for d in batch:
                s.put(d)
            kinds.append(bridge.reconcile_store(s)["kind"])
        first, second = docs[0], docs[1]
        s.put(replace(second, id="repost-of-" + first.id, text=first.text, facts=[]))  # a repost: groups move
        s.put(replace(docs[2], published="2019-02-03"))  # re-dated: its year and evidence change
        kinds.append(bridge.reconcile_store(s)["kind"])
    _delete(db, docs[3].id)
    with open_store(db) as s:
        step = bridge.reconcile_store(s)
        kinds.append(step["kind"])
        assert bridge.reconcile_store(s)["changed"] is False
    assert kinds == ["full", "incremental", "incremental", "incremental", "incremental"]
    assert 0 < step["redone_blocks"] < len(dump(db)["recon_pairs"]) + 10
    full = full_copy(db, tmp_path)
    assert dump(db) == dump(full)
    assert reads(db) == reads(full)


@pytest.mark.parametrize("batch", [1, 7])
def test_reconcile_incremental_one_document_at_a_time_on_the_seeds_and_examples(
    batch: int, tmp_path: Path
) -> None:
    docs = sorted(_processed([ROOT / "examples", shared("seeds")]), key=lambda d: d.id)
    db = tmp_path / "one.db"
    with open_store(db) as s:
        for i in range(0, len(docs), batch):
            for d in docs[i : i + batch]:
                s.put(d)
            bridge.reconcile_store(s)
    assert dump(db) == dump(full_copy(db, tmp_path))


def test_reconcile_incremental_redoes_only_the_blocks_a_document_reaches(
    corpus: list[Doc], tmp_path: Path
) -> None:
    db = tmp_path / "reach.db"
    with open_store(db) as s:
        for d in corpus:
            s.put(d)
        bridge.reconcile_store(s)
        blocks = {r[0] for r in s.conn.execute("SELECT DISTINCT block FROM recon_fact_blocks")}
        doc = next(d for d in corpus if d.facts)
        own = {
            r[0]
            for r in s.conn.execute("SELECT DISTINCT block FROM recon_fact_blocks WHERE doc = ?", (doc.id,))
        }
        s.put(replace(doc, source="another-site.example"))
        step = bridge.reconcile_store(s)
    assert step["kind"] == "incremental" and step["redone_docs"] == 1
    assert step["redone_blocks"] == len(own) < len(blocks)


def test_reconcile_freshness_counts_the_documents_changed_since(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    api.ingest_paths([ROOT / "examples"], db)
    with open_store(db) as s:
        assert bridge.freshness(s)["reconciled"] is None
        bridge.reconcile_store(s)
        first = bridge.freshness(s)
        assert (first["stale"], first["changed_docs"]) == (False, 0)
        doc = next(iter(s.iter_docs()))
        s.put(replace(doc, source="elsewhere.example"))
        later = bridge.freshness(s)
    assert (later["stale"], later["changed_docs"], later["reconciled"]) == (True, 1, first["reconciled"])
