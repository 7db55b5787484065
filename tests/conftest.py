"""Shared fixtures: the data beside the repository (../shared) and how a test asks for it, the seeds ingested
(and reconciled) by the real pipeline once per session, and a stand-in pipeline that finds facts.

A plain `git clone` has no ../shared (the seeds, their gold, the real-press corpus, the reference scorer).
A test that reads it calls `shared("seeds")` (or asks for the `seeds_dir` / `shared_dir` fixtures, which do):
without it the test is skipped with a message naming the missing path, so a plain clone's suite passes.
CI has ../shared and sets KARAVAN_REQUIRE_SHARED=1: there a missing path fails the test instead, so
nothing that CI is meant to check is skipped silently.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from karavan import api
from karavan.doc import Doc, Fact, Span

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REQUIRE_SHARED = "KARAVAN_REQUIRE_SHARED"  # set to 1 (as .ci/run does): a missing path fails, never skips
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# The ids of the five shared seeds, in order.
D000, D001, D002, D003, D004 = (
    "000_d4d45d304eb320fd",
    "001_343e52f150faa84a",
    "002_3a69e06fae4e0300",
    "003_7b0e68fd49b5f3de",
    "004_5236af6fb8725874",
)


def need(*paths: Path, why: str = "") -> None:
    """Skip the calling test (or, at module level, the module) when any of `paths` is missing, naming them;
    fail instead when KARAVAN_REQUIRE_SHARED=1."""
    absent = [p for p in paths if not p.exists()]
    if not absent:
        return
    names = ", ".join(_shown(p) for p in absent)
    message = f"needs {names}{f' ({why})' if why else ''}: not there (a plain clone has no ../shared)"
    if os.environ.get(REQUIRE_SHARED) == "1":
        pytest.fail(f"{message}, and {REQUIRE_SHARED}=1", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def _shown(path: Path) -> str:
    try:
        return "../" + str(path.resolve().relative_to(ROOT.parent))
    except ValueError:
        return str(path)


def shared(*parts: str) -> Path:
    """../shared/<first part> (../shared itself with none): every part is checked, and a missing one skips
    the test naming it."""
    paths = [SHARED / p for p in parts] or [SHARED]
    need(*paths)
    return paths[0]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shared("seeds", "seeds/meta.jsonl")


@pytest.fixture(scope="session")
def seeds_ingested_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds ingested by the real pipeline, never reconciled. Read only: copy it to change it."""
    db = tmp_path_factory.mktemp("seeds-ingested") / "seeds.db"
    api.ingest_paths([seeds_dir], db)
    return db


@pytest.fixture(scope="session")
def seeds_reconciled_db(tmp_path_factory: pytest.TempPathFactory, seeds_ingested_db: Path) -> Path:
    """A copy of `seeds_ingested_db`, reconciled. Read only: copy it to change it."""
    db = tmp_path_factory.mktemp("seeds-reconciled") / "seeds.db"
    shutil.copy(seeds_ingested_db, db)
    api.reconcile(db)
    return db


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/ (the project's own corpus) ingested by the real pipeline and reconciled, once per session:
    for tests that must run on a plain clone too. Read only: copy it to change it."""
    db = tmp_path_factory.mktemp("examples") / "examples.db"
    api.ingest_paths([ROOT / "examples"], db)
    api.reconcile(db)
    return db


def fake_process(doc: Doc) -> Doc:
    """A pipeline stand-in: the first line is chrome, each of the first three numbers is a `trade` fact."""
    first_line = doc.text.find("\n")
    if first_line > 0:
        doc.excluded = [Span(0, first_line, "test-chrome")]
    doc.lang, doc.script = "ru", "Cyrl"
    for m in list(NUMBER.finditer(doc.text))[:3]:
        doc.facts.append(
            Fact(
                type="trade",
                doc=doc.id,
                start=m.start(),
                end=m.end(),
                quote=m.group(),
                fields={
                    "flow": "turnover",
                    "reporter": "KZ",
                    "partner": "TJ",
                    "value": float(m.group().replace(",", ".")),
                },
                lang="ru",
                rule="test.number",
            )
        )
    return doc


@pytest.fixture
def with_fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> Callable[[Doc], Doc]:
    """Make karavan.api (and so the CLI) run `fake_process` instead of the real pipeline."""
    monkeypatch.setattr(api, "default_process", lambda *budget: fake_process)
    return fake_process


def recon_dump(db: Path) -> dict[str, list[tuple]]:
    """Every recon_* table of a store, rows sorted (recon_flags without its store-given id): what an
    incremental run and a full one must leave alike."""
    import sqlite3

    from karavan.reconcile.results_store import RECON_TABLES

    conn = sqlite3.connect(db)
    out = {}
    for table in RECON_TABLES:
        cols = [
            c[1]
            for c in conn.execute(f"PRAGMA table_info({table})")
            if (table, c[1]) != ("recon_flags", "id")
        ]
        names = ", ".join(cols)
        out[table] = conn.execute(f"SELECT {names} FROM {table} ORDER BY {names}").fetchall()
    out["recon_block_stmts"] = kept_statements(conn)
    conn.close()
    return out


def kept_statements(conn) -> dict[str, list[tuple]]:
    """The statements kept of each block (karavan/reconcile/block_stmts.py) as comparable rows: chunk,
    statement (its fact's items sorted) and document rows; the chunks' bytes may differ where these do not."""
    from karavan.reconcile import block_stmts

    out: dict[str, list[tuple]] = {}
    for (block,) in conn.execute("SELECT DISTINCT block FROM recon_block_stmts ORDER BY block"):
        chunks = block_stmts.read(conn, block)
        assert chunks is not None, f"block {block}: kept statements unreadable"
        out[block] = sorted(
            [
                ("stmt", k, r[0], repr(sorted(r[1].items())), repr(r[2:]))
                for k, c in chunks.items()
                for r in c.rows
            ]
            + [("doc", k, *d) for k, c in chunks.items() for d in c.docs]
        )
    return out


def edit_then_compare_with_full(db: Path, tmp_path: Path, doc: Doc | None, delete: str | None = None) -> None:
    """Store `doc` (or delete the document `delete`) in the reconciled store at `db`, reconcile it
    incrementally, and check that every recon_* table equals a full run's on a copy."""
    from karavan.reconcile import store_bridge
    from karavan.store import open_store

    with open_store(db) as s:
        if delete is not None:
            s.conn.execute("BEGIN IMMEDIATE")
            s.conn.execute("DELETE FROM facts WHERE doc_id = ?", (delete,))
            s.conn.execute("DELETE FROM documents WHERE id = ?", (delete,))
            s.conn.execute("COMMIT")
        if doc is not None:
            s.put(doc)
        step = store_bridge.reconcile_store(s)
    assert step["kind"] == "incremental"
    full = tmp_path / "full.db"
    shutil.copy(db, full)
    with open_store(full) as s:
        store_bridge.reconcile_store(s, full=True)
    assert recon_dump(db) == recon_dump(full)


def press_doc(doc_id: str, text: str, published: str) -> Doc:
    """One of our own phrasings through the real pipeline, from a site of its own."""
    from karavan.pipeline import process

    return process(Doc(id=doc_id, text=text, published=published, source=f"site-{doc_id}.example"))


def reconciled_store(db: Path, texts: dict[str, tuple[str, str]]) -> Path:
    """A store at `db` holding `texts` (id -> (published, text)) through the pipeline, reconciled."""
    from karavan.reconcile import store_bridge
    from karavan.store import open_store

    with open_store(db) as s:
        for doc_id, (published, text) in texts.items():
            s.put(press_doc(doc_id, text, published))
        store_bridge.reconcile_store(s)
    return db
