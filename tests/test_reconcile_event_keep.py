"""An incremental run clusters a block's events from the few keys clustering reads (keys.EVENT_KEYS, kept in
recon_fact_blocks.prep) and builds only the event clusters it does not keep (block_delta.Keeper).

- on the seeds, examples/ and ../shared/realpress, light statements cluster exactly as decoded ones;
- each edit of a small store of our own phrasings about visits (another report of one meeting, a later
  meeting, an earlier one that comes first in clustering order, a deleted report, a re-dated one, an
  agreement restated) reconciled incrementally equals a full run, table by table;
- a redone block builds only the event clusters that hold a changed document's statements.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, edit_then_compare_with_full, press_doc, reconciled_store, shared

from karavan import api
from karavan.reconcile import incremental
from karavan.reconcile.block_delta import Keeper
from karavan.reconcile.blocks import reconcile_block
from karavan.reconcile.events import cluster_events
from karavan.reconcile.keys import EVENT_TYPES
from karavan.store import open_store

VISIT = (
    "Президент Казахстана Касым-Жомарт Токаев встретился в Душанбе с Президентом Таджикистана Эмомали "
    "Рахмоном. Стороны подписали Соглашение о сотрудничестве в области энергетики."
)
TALKS = "Эмомали Рахмон провел переговоры с Касым-Жомартом Токаевым в Астане."
TEXTS = {
    "v1": ("2024-03-10", VISIT),
    "v2": ("2024-03-11", VISIT.replace("встретился в Душанбе с", "провел в Душанбе переговоры с")),
    "t1": ("2024-05-20", TALKS),
    "t2": ("2024-05-21", TALKS),
}
EDITS = {
    # name: (text of a new or replaced document, its id, published); None text: delete the document
    "another report": (VISIT, "v3", "2024-03-12"),
    "later meeting": (TALKS, "t3", "2024-09-02"),
    "earlier meeting": (TALKS, "t0", "2023-11-15"),  # first in clustering order: every later one follows
    "deleted report": (None, "v2", None),
    "re-dated report": (TEXTS["t2"][1], "t2", "2024-08-30"),
    "agreement restated": (VISIT.split(". ")[1], "a1", "2024-04-01"),
}


_doc = press_doc


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return reconciled_store(tmp_path / "visits.db", TEXTS)


def _event_clusters(db: Path) -> int:
    with open_store(db) as s:
        marks = ", ".join("?" * len(EVENT_TYPES))
        sql = f"SELECT count(*) FROM recon_clusters WHERE type IN ({marks})"
        return int(s.conn.execute(sql, sorted(EVENT_TYPES)).fetchone()[0])


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_reconcile_event_keep_after_an_edit_equals_a_full_run(edit: str, store: Path, tmp_path: Path) -> None:
    assert _event_clusters(store) >= 2  # the store holds events to keep
    text, doc_id, published = EDITS[edit]
    doc = None if text is None else _doc(doc_id, text, published)
    edit_then_compare_with_full(store, tmp_path, doc, delete=doc_id if text is None else None)


@pytest.mark.parametrize(
    ("changed", "some_kept"),
    [
        (set(), True),  # nothing changed: every event cluster kept, none built
        ({"t1"}, True),  # the talks built again; the Dushanbe meeting and its agreement kept
        ({"v2"}, True),  # the Dushanbe meeting and agreement built again; the talks kept
        ({"v1", "t2"}, False),  # every event cluster holds one of them
    ],
)
def test_reconcile_event_keep_builds_only_the_event_clusters_of_changed_documents(
    store: Path, changed: set[str], some_kept: bool
) -> None:
    with open_store(store) as s:
        conn = s.conn
        block = "KZ-TJ"
        stmts, docs, _ = incremental._block_input(conn, block, light=True)
        assert any(m.light for m in stmts)
        keeper = Keeper(conn, block, changed)
        r = reconcile_block(block, stmts, docs, keep=keeper, decode=lambda f: incremental.full_facts(conn, f))
    events = [c for c in r.clusters if c.type in EVENT_TYPES]
    assert {e.doc for c in events for e in c.evidence} >= changed  # every changed report's clusters built
    assert all(any(e.doc in changed for e in c.evidence) for c in events)  # and no other
    assert bool(r.kept) == some_kept
    assert all(not m.light for _, rc in r.pairs for m in rc.members)  # what was built was decoded


@pytest.fixture(scope="module")
def corpora_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    paths = [ROOT / "examples", shared("seeds"), shared("realpress", "realpress/docs.jsonl") / "docs.jsonl"]
    db = tmp_path_factory.mktemp("corpora") / "k.db"
    api.ingest_paths(paths, db, report=lambda problem: None)
    api.reconcile(db)
    return db


def _memberships(stmts: list) -> list[tuple[str, str | None, tuple[str, ...]]]:
    events = [s for s in stmts if s.subject.type in EVENT_TYPES]
    return [(rc.subject.text, rc.time, tuple(m.fid for m in rc.members)) for rc in cluster_events(events)]


def test_reconcile_event_keep_light_statements_cluster_as_decoded_ones_on_the_corpora(
    corpora_store: Path,
) -> None:
    with open_store(corpora_store) as s:
        blocks = [r[0] for r in s.conn.execute("SELECT DISTINCT block FROM recon_fact_blocks ORDER BY block")]
        n_events = 0
        for block in blocks:
            full, _, _ = incremental._block_input(s.conn, block)
            light, _, _ = incremental._block_input(s.conn, block, light=True)
            assert [m.fid for m in full] == [m.fid for m in light]
            assert _memberships(full) == _memberships(light), block
            n_events += sum(m.light for m in light)
    assert n_events > 50  # the corpora hold events to compare
