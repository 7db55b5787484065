"""The store under ingest: idempotent re-ingest, replacement of changed documents, resume after interruption."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import fake_process

from karavan import api
from karavan.doc import Doc
from karavan.errors import StoreError
from karavan.store import db as store_db
from karavan.store import open_store


def counts(db: Path) -> tuple[int, int]:
    with open_store(db) as store:
        return store.count("documents"), store.count("facts")


def duplicate_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    dups = conn.execute(
        'SELECT count(*) FROM (SELECT doc_id, start, "end", count(*) c FROM facts GROUP BY 1, 2, 3 HAVING c > 1)'
    ).fetchone()[0]
    conn.close()
    return dups


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def test_store_reingest_changes_nothing_and_skips_the_pipeline(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    first = api.ingest_paths([corpus], db, process=fake_process)
    assert (first.read, first.new, first.unchanged, first.replaced, first.facts) == (5, 5, 0, 0, 15)
    before = (
        sqlite3.connect(db).execute("SELECT id, sha256, ingested_at FROM documents ORDER BY id").fetchall()
    )

    def must_not_run(doc: Doc) -> Doc:
        raise AssertionError(f"pipeline ran again on unchanged {doc.id}")

    again = api.ingest_paths([corpus], db, process=must_not_run)
    assert (again.read, again.new, again.unchanged, again.replaced, again.errors) == (5, 0, 5, 0, 0)
    assert counts(db) == (5, 15)
    assert (
        sqlite3.connect(db).execute("SELECT id, sha256, ingested_at FROM documents ORDER BY id").fetchall()
        == before
    )
    assert duplicate_rows(db) == 0


def test_store_force_reprocesses_without_duplicating(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([corpus], db, process=fake_process)
    forced = api.ingest_paths([corpus], db, process=fake_process, force=True)
    assert (forced.new, forced.replaced, forced.unchanged) == (0, 5, 0)
    assert counts(db) == (5, 15) and duplicate_rows(db) == 0


@pytest.mark.parametrize(
    ("new_text", "meta_line", "status"),
    [
        ("Новый текст: экспорт 12 и 40,4 тыс. тонн.", None, "replaced"),
        (None, '{"id": "002_3a69e06fae4e0300", "published": "2024-12-20", "source": "kabar.kg"}', "replaced"),
        (None, None, "unchanged"),
    ],
)
def test_store_changed_document_replaces_its_row_and_facts(
    corpus: Path, tmp_path: Path, new_text: str | None, meta_line: str | None, status: str
) -> None:
    db = tmp_path / "k.db"
    api.ingest_paths([corpus], db, process=fake_process)
    target = corpus / "002_3a69e06fae4e0300.txt"
    if new_text:
        target.write_text(new_text, encoding="utf-8")
    if meta_line:
        with open(corpus / "meta.jsonl", "a", encoding="utf-8") as f:
            f.write(meta_line + "\n")
    result = api.ingest_paths([corpus], db, process=fake_process)
    assert (result.replaced, result.unchanged) == ((1, 4) if status == "replaced" else (0, 5))
    with open_store(db) as store:
        doc = store.get_doc("002_3a69e06fae4e0300")
        assert doc.text == target.read_text(encoding="utf-8")
        assert [f.quote for f in doc.facts] == [f.quote for f in fake_process(Doc(doc.id, doc.text)).facts]
        assert store.count("documents") == 5
    if new_text:
        assert [f.quote for f in doc.facts] == ["12", "40,4"]
    if meta_line:
        assert (doc.published, doc.source) == ("2024-12-20", "kabar.kg")
    assert duplicate_rows(db) == 0


@pytest.mark.parametrize("stop_after", [0, 1, 3, 4])
def test_store_interrupted_ingest_resumes_where_it_stopped(
    tmp_path: Path, seeds_dir: Path, stop_after: int
) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    for i, text in enumerate(texts):
        (corpus / f"d{i}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "k.db"
    calls: list[str] = []

    def interrupted(doc: Doc) -> Doc:
        if len(calls) == stop_after:
            raise KeyboardInterrupt
        calls.append(doc.id)
        return fake_process(doc)

    first = api.ingest_paths([corpus], db, process=interrupted)
    assert first.interrupted and first.new == stop_after
    assert counts(db) == (stop_after, 3 * stop_after)

    seen: list[str] = []

    def resumed(doc: Doc) -> Doc:
        seen.append(doc.id)
        return fake_process(doc)

    second = api.ingest_paths([corpus], db, process=resumed)
    assert not second.interrupted
    assert (second.unchanged, second.new) == (stop_after, len(texts) - stop_after)
    assert seen == [f"d{i}" for i in range(stop_after, len(texts))]
    assert counts(db) == (len(texts), 3 * len(texts)) and duplicate_rows(db) == 0


def test_store_failed_transaction_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "k.db"
    doc = fake_process(Doc("a", "Экспорт 1, 2 и 3."))
    with open_store(db) as store:
        store.put(doc)
        broken = fake_process(Doc("a", "Новый текст 7 и 8."))
        # the facts' insert fails after the old rows were deleted (a 2**70 offset did, until such numbers
        # were stored as floats in their columns)
        monkeypatch.setattr(
            store_db, "INSERT_FACT", store_db.INSERT_FACT.replace("INSERT INTO facts", "INSERT INTO nowhere")
        )
        with pytest.raises(StoreError, match="storing document 'a'"):
            store.put(broken)
        kept = store.get_doc("a")
    assert kept.text == "Экспорт 1, 2 и 3." and [f.quote for f in kept.facts] == ["1", "2", "3"]


def test_store_pipeline_failure_on_one_document_is_reported_and_the_rest_stored(
    corpus: Path, tmp_path: Path
) -> None:
    problems = []

    def flaky(doc: Doc) -> Doc:
        if doc.id.startswith("001"):
            raise ValueError("boom")
        return fake_process(doc)

    result = api.ingest_paths([corpus], tmp_path / "k.db", process=flaky, report=problems.append)
    assert (result.new, result.errors) == (4, 1)
    assert [str(p) for p in problems] == [
        f"{corpus / '001_343e52f150faa84a.txt'}: pipeline failed on document '001_343e52f150faa84a': ValueError: boom"
    ]


@pytest.mark.parametrize("jobs", [2, 3])
def test_store_parallel_ingest_stores_the_same_as_one_process(
    corpus: Path, tmp_path: Path, jobs: int
) -> None:
    one = api.ingest_paths([corpus], tmp_path / "one.db", process=fake_process)
    many = api.ingest_paths([corpus], tmp_path / f"many{jobs}.db", process=fake_process, jobs=jobs)
    assert (many.new, many.facts, dict(many.by_type)) == (one.new, one.facts, dict(one.by_type))
    with open_store(tmp_path / "one.db") as a, open_store(tmp_path / f"many{jobs}.db") as b:
        assert list(a.query_facts()) == list(b.query_facts())
    again = api.ingest_paths([corpus], tmp_path / f"many{jobs}.db", process=fake_process, jobs=jobs)
    assert (again.unchanged, again.new) == (5, 0)


def test_store_parallel_extract_keeps_the_order(seeds_dir: Path) -> None:
    assert [d.id for d in api.extract_paths([seeds_dir], process=fake_process, jobs=2)] == [
        p.stem for p in sorted(seeds_dir.glob("*.txt"))
    ]
