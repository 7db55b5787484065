"""A redone block writes only what differs (karavan/reconcile/block_delta.py), and what it leaves equals a
full run: each edit of a small store of our own phrasings (a restatement, a new period, a contradicting
figure, a repost, a deleted document, a re-dated one) is reconciled incrementally, then compared table by
table with a full run, and the clusters it kept and built are counted."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import edit_then_compare_with_full, press_doc, recon_dump, reconciled_store

from karavan.reconcile import incremental
from karavan.reconcile import store_bridge as bridge
from karavan.reconcile.block_delta import replace_block
from karavan.reconcile.blocks import reconcile_block
from karavan.store import open_store

TEXTS = {
    "a": ("2024-02-10", "Товарооборот Казахстана и Таджикистана в 2023 году составил 1,2 млрд долларов."),
    "b": (
        "2024-03-01",
        "В 2022 году товарооборот между Казахстаном и Таджикистаном достиг 980 млн долларов.",
    ),
    "c": ("2024-04-15", "Trade between Kazakhstan and Tajikistan reached $1.2 billion in 2023."),
    "d": (
        "2024-05-20",
        "Товарооборот Казахстана и Таджикистана за 2023 год составил 1,2 млрд долларов, "
        "стороны намерены довести его до 2 млрд долларов.",
    ),  # fmt: skip
}

EDITS = {
    # name: (text of a new or replaced document, its id, published); None text: delete the document
    "restatement": ("Товарооборот Казахстана и Таджикистана в 2023 году составил 1,2 млрд долларов.", "e", "2024-06-01"),
    "new period": ("Товарооборот Казахстана и Таджикистана в 2021 году составил 800 млн долларов.", "e", "2024-06-01"),
    "contradiction": ("Товарооборот Казахстана и Таджикистана в 2022 году составил 1,5 млрд долларов.", "e", "2024-06-01"),
    "other pair": ("Товарооборот Казахстана и Кыргызстана в 2023 году составил 1,7 млрд долларов.", "e", "2024-06-01"),
    "repost": (TEXTS["a"][1], "e", "2024-02-11"),
    "re-dated": (TEXTS["d"][1], "d", "2025-01-09"),
    "deleted": (None, "b", None),
}  # fmt: skip


_doc = press_doc


dump = recon_dump


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return reconciled_store(tmp_path / "small.db", TEXTS)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_reconcile_block_delta_after_an_edit_equals_a_full_run(
    edit: str, store: Path, tmp_path: Path
) -> None:
    text, doc_id, published = EDITS[edit]
    doc = None if text is None else _doc(doc_id, text, published)
    edit_then_compare_with_full(store, tmp_path, doc, delete=doc_id if text is None else None)


def _redo(db: Path, block: str, changed: set[str]) -> dict[str, int]:
    with open_store(db) as s:
        conn = s.conn
        stmts, docs, _ = incremental._block_input(conn, block)
        conn.execute("BEGIN IMMEDIATE")
        try:
            return replace_block(conn, reconcile_block(block, stmts, docs), changed)
        finally:
            conn.execute("ROLLBACK")


def test_reconcile_block_delta_keeps_every_cluster_when_nothing_changed(store: Path) -> None:
    counts = _redo(store, "KZ-TJ", set())
    assert counts["built"] == 0 and counts["rows"] == 0 and counts["kept"] > 0


@pytest.mark.parametrize(
    ("changed", "rebuilt"),
    [
        ({"b"}, {"2022-01/2022-12"}),  # only the 2022 figure is b's
        ({"a"}, {"2023-01/2023-12"}),  # a restates the 2023 figure with c and d
        ({"d"}, {"2023-01/2023-12", "2024"}),  # d states 2023 and the target (dated by its year)
        ({"a", "b"}, {"2022-01/2022-12", "2023-01/2023-12"}),
    ],
)
def test_reconcile_block_delta_builds_only_the_clusters_of_changed_documents(
    changed: set[str], rebuilt: set[str], store: Path
) -> None:
    with open_store(store) as s:
        periods = dict(
            s.conn.execute("SELECT id, period FROM recon_clusters WHERE pair = 'KZ-TJ'").fetchall()
        )
    counts = _redo(store, "KZ-TJ", changed)
    assert counts["rows"] == 0  # the same results: only their rows were written again
    assert counts["built"] == sum(1 for p in periods.values() if p in rebuilt)
    assert counts["kept"] == len(periods) - counts["built"]


def test_reconcile_block_delta_moves_a_document_to_another_block(store: Path, tmp_path: Path) -> None:
    with open_store(store) as s:
        s.put(replace(_doc("b", TEXTS["b"][1].replace("Таджикистан", "Кыргызстан"), TEXTS["b"][0])))
        bridge.reconcile_store(s)
        pairs = {r[0] for r in s.conn.execute("SELECT DISTINCT pair FROM recon_clusters")}
    assert {"KG-KZ", "KZ-TJ"} <= pairs
    full = tmp_path / "full.db"
    shutil.copy(store, full)
    with open_store(full) as s:
        bridge.reconcile_store(s, full=True)
    assert dump(store) == dump(full)
