"""ingest --jobs N, where the workers read and write: the same store, counts and problems as one process."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import ROOT, fake_process

from karavan import api


def stored(db: Path) -> tuple[list[tuple], list[str]]:
    conn = sqlite3.connect(db)
    docs = conn.execute(
        "SELECT id, sha256, lang, url, published, source FROM documents ORDER BY id"
    ).fetchall()
    facts = [r[0] for r in conn.execute("SELECT data FROM facts ORDER BY doc_id, start, data")]
    conn.close()
    return docs, facts


def summary(r: api.IngestReport) -> tuple:
    return (
        r.read, r.new, r.unchanged, r.replaced, r.errors, r.warnings, r.facts,
        dict(r.by_type), dict(r.langs), r.interrupted,
    )  # fmt: skip


@pytest.fixture
def mixed(tmp_path: Path, seeds_dir: Path) -> Path:
    """Seeds beside inputs that go wrong: empty, binary, a duplicate id, a JSONL file with a bad line,
    and a meta.jsonl with a bad line."""
    folder = tmp_path / "mixed"
    shutil.copytree(seeds_dir, folder / "seeds")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "dup").mkdir()
    first_seed = sorted((folder / "seeds").glob("*.txt"))[0]
    shutil.copy(first_seed, folder / "dup" / first_seed.name)
    lines = [
        json.dumps({"id": "j1", "text": "Товарооборот составил 12,5 млн долларов."}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "j2", "text": "Trade reached 7 million dollars in 2023."}),
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "seeds" / "meta.jsonl").write_text(
        json.dumps({"id": first_seed.stem, "url": "https://example.org/a", "published": "2024-05-01"})
        + "\n[1, 2]\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("jobs", [2, 3])
def test_ingest_workers_store_count_and_report_as_one_process(mixed: Path, tmp_path: Path, jobs: int) -> None:
    one_problems: list[str] = []
    many_problems: list[str] = []
    one = api.ingest_paths(
        [mixed], tmp_path / "one.db", process=fake_process, report=lambda p: one_problems.append(str(p))
    )
    many = api.ingest_paths(
        [mixed],
        tmp_path / "many.db",
        process=fake_process,
        jobs=jobs,
        report=lambda p: many_problems.append(str(p)),
    )
    assert summary(many) == summary(one)
    assert many_problems == one_problems
    assert len(one_problems) >= 5  # empty, binary, duplicate, bad JSONL line, bad meta line
    assert stored(tmp_path / "many.db") == stored(tmp_path / "one.db")
    again = api.ingest_paths(
        [mixed], tmp_path / "many.db", process=fake_process, jobs=jobs, report=lambda p: None
    )
    assert (again.new, again.replaced, again.unchanged) == (0, 0, one.new)


def test_ingest_workers_run_the_real_pipeline_as_one_process(tmp_path: Path) -> None:
    one = api.ingest_paths([ROOT / "examples"], tmp_path / "one.db", report=lambda p: None)
    two = api.ingest_paths([ROOT / "examples"], tmp_path / "two.db", jobs=2, report=lambda p: None)
    assert summary(two) == summary(one)
    assert stored(tmp_path / "two.db") == stored(tmp_path / "one.db")
    assert one.facts > 0


def test_ingest_workers_failing_pipeline_is_reported_and_the_rest_stored(mixed: Path, tmp_path: Path) -> None:
    problems: list[str] = []
    result = api.ingest_paths(
        [mixed], tmp_path / "k.db", process=failing_on_001, jobs=2, report=lambda p: problems.append(str(p))
    )
    assert any("pipeline failed on document '001_" in p and "ValueError: boom" in p for p in problems)
    assert result.new > 0 and "001_" not in " ".join(d[0] for d in stored(tmp_path / "k.db")[0])


def failing_on_001(doc):  # module level: the workers must be able to pickle it
    if doc.id.startswith("001"):
        raise ValueError("boom")
    return fake_process(doc)
