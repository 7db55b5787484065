"""A block's statements kept in the store (karavan/reconcile/block_stmts.py): after each kind of edit, the
kept statements of every block are those a run reading every fact would make, only the chunks of changed
documents are written again, and a chunk that is damaged, of another format or missing is read from the
facts again without changing any result."""

from __future__ import annotations

import marshal
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

import pytest
from conftest import edit_then_compare_with_full, press_doc, reconciled_store

from karavan.reconcile import block_stmts, incremental
from karavan.reconcile import store_bridge as bridge
from karavan.store import open_store

TEXTS = {
    "a": ("2024-02-10", "Товарооборот Казахстана и Таджикистана в 2023 году составил 1,2 млрд долларов."),
    "b": ("2024-03-01", "В 2022 году товарооборот между Казахстаном и Таджикистаном достиг 980 млн долларов."),
    "c": ("2024-04-15", "Trade between Kazakhstan and Tajikistan reached $1.2 billion in 2023."),
    "d": (
        "2024-05-20",
        "Президенты Казахстана и Таджикистана провели переговоры в Душанбе. Товарооборот за 2023 год "
        "составил 1,2 млрд долларов, стороны намерены довести его до 2 млрд долларов. Подписано соглашение "
        "о сотрудничестве в области энергетики.",
    ),
    "f": ("2024-05-21", "Қазақстан мен Тәжікстан арасындағы тауар айналымы 2023 жылы 1,2 млрд долларды құрады."),
}  # fmt: skip

EDITS = {
    # name: (text of a new or replaced document, its id, published); None text: delete the document
    "restatement": ("Товарооборот Казахстана и Таджикистана в 2023 году составил 1,2 млрд долларов.", "e", "2024-06-01"),
    "new period": ("Товарооборот Казахстана и Таджикистана в 2021 году составил 800 млн долларов.", "e", "2024-06-01"),
    "meeting": ("Президенты Таджикистана и Казахстана встретились в Астане 2 июня 2024 года.", "e", "2024-06-02"),
    "other pair": ("Товарооборот Казахстана и Кыргызстана в 2023 году составил 1,7 млрд долларов.", "e", "2024-06-01"),
    "repost": (TEXTS["a"][1], "e", "2024-02-11"),
    "re-dated": (TEXTS["d"][1], "d", "2025-01-09"),
    "replaced": ("Товарооборот Казахстана и Таджикистана в 2023 году составил 1,4 млрд долларов.", "c", "2024-04-15"),
    "deleted": (None, "b", None),
}  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return reconciled_store(tmp_path / "kept.db", TEXTS)


def _comparable(stmts: list, docs: dict) -> tuple[list, list]:
    rows = [
        (s.fid, sorted(s.fact.items()), s.subject, s.time, s.interval, s.number, s.doc, s.group, s.year, s.day,
         s.own_data, s.changes, s.light)
        for s in stmts
    ]  # fmt: skip
    return rows, sorted(docs.items())


def _read_fresh(conn: sqlite3.Connection, block: str) -> tuple[list, list]:
    """The block's statements as a run reading every fact makes them (events light, as an incremental run
    keeps them)."""
    stmts, docs, _ = incremental._block_input(conn, block, light=True)
    for s in stmts:  # an event without its clustering keys filed reads whole: kept light all the same
        if s.subject.type in {"meeting", "agreement", "project"} and not s.light:
            s.fact, s.light = block_stmts._light(s, {})
    return _comparable(stmts, docs)


def _kept_equal_fresh(db: Path) -> list[str]:
    with open_store(db) as s:
        blocks = [b for (b,) in s.conn.execute("SELECT DISTINCT block FROM recon_fact_blocks ORDER BY block")]
        for block in blocks:
            chunks = block_stmts.read(s.conn, block)
            assert chunks is not None, block
            assert _comparable(*block_stmts.statements(chunks)) == _read_fresh(s.conn, block), block
        kept = {b for (b,) in s.conn.execute("SELECT DISTINCT block FROM recon_block_stmts")}
    assert kept == set(blocks)  # no block kept that has no facts
    return blocks


def _blobs(db: Path) -> dict[tuple[str, int], bytes]:
    with closing(sqlite3.connect(db)) as conn:
        return {
            (b, k): bytes(d) for b, k, d in conn.execute("SELECT block, chunk, data FROM recon_block_stmts")
        }


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_reconcile_block_stmts_kept_equal_a_fresh_read_after_an_edit(
    edit: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _kept_equal_fresh(store)  # as the full first run left them
    before = _blobs(store)
    text, doc_id, published = EDITS[edit]
    doc = None if text is None else press_doc(doc_id, text, published)
    whole: list[str] = []  # blocks an incremental run (light reads) read every fact of
    read = incremental._block_input

    def spy(conn, block, light=False, of_docs=None, events=None):  # noqa: ANN001, ANN202
        if light and of_docs is None:
            whole.append(block)
        return read(conn, block, light, of_docs, events)

    monkeypatch.setattr(incremental, "_block_input", spy)
    edit_then_compare_with_full(store, tmp_path, doc, delete=doc_id if text is None else None)
    assert not [b for b in whole if b in blocks]  # a block kept reads only its changed documents' facts
    monkeypatch.undo()
    _kept_equal_fresh(store)
    after = _blobs(store)
    rewritten = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    touched = {doc_id} | ({"a"} if edit == "repost" else set())  # a repost regroups its original
    assert {k for _, k in rewritten} <= {block_stmts.chunk_of(d) for d in touched}


def _garble(db: Path, how: str) -> None:
    with closing(sqlite3.connect(db)) as conn, conn:
        block, chunk = conn.execute(
            "SELECT block, chunk FROM recon_block_stmts ORDER BY block, chunk"
        ).fetchone()
        if how == "missing":
            conn.execute("DELETE FROM recon_block_stmts WHERE block = ? AND chunk = ?", (block, chunk))
            return
        if how == "a damaged row":  # marshal data of the right shape whose first row's subject is no subject
            fmt, rows, docs = marshal.loads(zlib.decompress(conn.execute(
                "SELECT data FROM recon_block_stmts WHERE block = ? AND chunk = ?", (block, chunk)
            ).fetchone()[0]))  # fmt: skip
            rows[0] = (*rows[0][:2], 7, *rows[0][3:])
            data = zlib.compress(marshal.dumps((fmt, rows, docs)))
            conn.execute(
                "UPDATE recon_block_stmts SET data = ? WHERE block = ? AND chunk = ?", (data, block, chunk)
            )
            return
        data = {
            "rows of another shape": zlib.compress(marshal.dumps((block_stmts.FORMAT, [("x",)], []))),
            "not zlib": b"\x00 not a chunk",
            "not marshal": zlib.compress(b"\xff\xfe garbage"),
            "other format": zlib.compress(marshal.dumps((block_stmts.FORMAT + 1, [], []))),
            "not lists": zlib.compress(marshal.dumps((block_stmts.FORMAT, "rows", "docs"))),
        }[how]
        conn.execute(
            "UPDATE recon_block_stmts SET data = ? WHERE block = ? AND chunk = ?", (data, block, chunk)
        )


@pytest.mark.parametrize(
    "how",
    [
        "missing",
        "not zlib",
        "not marshal",
        "other format",
        "not lists",
        "rows of another shape",
        "a damaged row",
    ],
)
def test_reconcile_block_stmts_damaged_chunk_is_read_from_the_facts(
    how: str, store: Path, tmp_path: Path
) -> None:
    _garble(store, how)
    doc = press_doc(
        "e", "Товарооборот Казахстана и Таджикистана в 2021 году составил 800 млн долларов.", "2024-06-01"
    )
    edit_then_compare_with_full(store, tmp_path, doc)
    _kept_equal_fresh(store)  # written whole again


@pytest.mark.parametrize(
    ("blob", "readable"),
    [
        (block_stmts.Chunk().dumps(), True),
        (block_stmts.Chunk([], [("d", None, None, None)]).dumps(), True),
        (b"", False),
        (zlib.compress(marshal.dumps([1, 2])), False),
        (zlib.compress(marshal.dumps((block_stmts.FORMAT, [], []))[:-1]), False),
    ],
)
def test_reconcile_block_stmts_chunk_loads(blob: bytes, readable: bool) -> None:
    assert (block_stmts._loads(blob) is not None) is readable


def test_reconcile_block_stmts_nothing_changed_writes_nothing(store: Path) -> None:
    before = _blobs(store)
    with open_store(store) as s:
        assert bridge.reconcile_store(s)["changed"] is False
    assert _blobs(store) == before


def test_reconcile_block_stmts_not_taken_after_another_version_ran(store: Path) -> None:
    """After a run of another karavan or results version (another fingerprint in recon_runs) the next run is
    full: the kept statements are written again from the facts, whatever they held."""
    with closing(sqlite3.connect(store)) as conn, conn:
        block, chunk, blob = conn.execute(
            "SELECT block, chunk, data FROM recon_block_stmts LIMIT 1"
        ).fetchone()
        fmt, rows, docs = marshal.loads(zlib.decompress(blob))
        rows = [(*r[:5], 1.0, *r[6:]) for r in rows]  # every number 1: what a stale chunk would hold
        conn.execute(
            "UPDATE recon_block_stmts SET data = ? WHERE block = ? AND chunk = ?",
            (zlib.compress(marshal.dumps((fmt, rows, docs))), block, chunk),
        )
        conn.execute(
            "UPDATE recon_runs SET fingerprint = 'karavan 0.0 results 4'"
        )  # an older karavan ran last
    with open_store(store) as s:
        s.put(
            press_doc(
                "e",
                "Товарооборот Казахстана и Таджикистана в 2021 году составил 800 млн долларов.",
                "2024-06-01",
            )
        )
        assert bridge.reconcile_store(s)["kind"] == "full"
    _kept_equal_fresh(store)
