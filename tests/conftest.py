"""Shared fixtures: where the shared seeds are, the seeds ingested (and reconciled) by the real pipeline once
per session, and a stand-in pipeline that finds facts."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from karavan import api
from karavan.doc import Doc, Fact, Span

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# The ids of the five shared seeds, in order.
D000, D001, D002, D003, D004 = (
    "000_d4d45d304eb320fd",
    "001_343e52f150faa84a",
    "002_3a69e06fae4e0300",
    "003_7b0e68fd49b5f3de",
    "004_5236af6fb8725874",
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SHARED / "seeds"


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
